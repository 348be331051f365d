namespace RepDiff.Numerics;

/// <summary>
/// UMAP of a large set in O(n): the descent runs on a seeded subset, and every other point is placed where
/// umap-learn's transform starts a new point, at the membership-weighted mean of the positions of its nearest
/// subset points. Candidates are the subset points that share a random-projection leaf with the point in any tree
/// of a forest over all points, so placing costs O(n · trees · candidates · d), never n × subset distances.
/// </summary>
public static class UmapPlacement
{
    private const int Trees = 6;

    /// <summary>
    /// Positions of every row of x: subset[s] stays at (subsetX[s], subsetY[s]); each other row goes to the weighted
    /// mean of its (up to) neighbours nearest subset rows, weighted exp(−(d − d₁)/σ) as UMAP's memberships.
    /// </summary>
    public static (float[] X, float[] Y) Place(Matrix x, int[] subset, float[] subsetX, float[] subsetY, int neighbours, int seed)
    {
        int n = x.Rows, m = subset.Length;
        if (m == 0 || subsetX.Length != m || subsetY.Length != m) throw new ArgumentException("the subset and its layout must be non-empty and of one length");
        var slot = new int[n];
        Array.Fill(slot, -1);
        for (int s = 0; s < m; s++) slot[subset[s]] = s;
        var xs = new float[n];
        var ys = new float[n];
        for (int s = 0; s < m; s++) (xs[subset[s]], ys[subset[s]]) = (subsetX[s], subsetY[s]);
        if (m == n) return (xs, ys);

        // Leaves large enough to hold about 2·neighbours subset points each; per tree, each leaf's subset points (CSR).
        int leafSize = (int)Math.Clamp(2.0 * neighbours * n / m, 32, int.MaxValue / 2);
        var forest = RandomProjectionForest.Build(x, Trees, leafSize, Rng.Derive(seed, 23));
        var starts = new int[Trees][];
        var members = new int[Trees][];
        for (int t = 0; t < Trees; t++)
        {
            int leaves = forest.LeafCount(t);
            var start = new int[leaves + 1];
            var items = new List<int>();
            for (int l = 0; l < leaves; l++)
            {
                start[l] = items.Count;
                foreach (int i in forest.Leaf(t, l))
                    if (slot[i] >= 0) items.Add(slot[i]);
            }
            start[leaves] = items.Count;
            starts[t] = start;
            members[t] = items.ToArray();
        }

        Parallel.For(0, n, () => (new HashSet<int>(), new List<(float D, int S)>()), (i, _, scratch) =>
        {
            if (slot[i] >= 0) return scratch;
            var (seen, near) = scratch;
            seen.Clear();
            near.Clear();
            var row = x.Row(i);
            for (int t = 0; t < Trees; t++)
            {
                int leaf = forest.LeafIndex(t, i);
                for (int e = starts[t][leaf]; e < starts[t][leaf + 1]; e++)
                    if (seen.Add(members[t][e])) near.Add((NearestNeighbours.SquaredDistance(row, x.Row(subset[members[t][e]])), members[t][e]));
            }
            // No subset point in any of its leaves (rare): every subset point is a candidate.
            if (near.Count == 0)
                for (int s = 0; s < m; s++) near.Add((NearestNeighbours.SquaredDistance(row, x.Row(subset[s])), s));
            near.Sort();
            int k = Math.Min(neighbours, near.Count);
            double nearest = Math.Sqrt(near[0].D), spread = 0;
            for (int j = 0; j < k; j++) spread += Math.Sqrt(near[j].D) - nearest;
            double sigma = Math.Max(spread / k, 1e-6 * (nearest + 1e-12));
            double wx = 0, wy = 0, total = 0;
            for (int j = 0; j < k; j++)
            {
                double w = Math.Exp(-(Math.Sqrt(near[j].D) - nearest) / sigma);
                wx += w * subsetX[near[j].S];
                wy += w * subsetY[near[j].S];
                total += w;
            }
            xs[i] = (float)(wx / total);
            ys[i] = (float)(wy / total);
            return scratch;
        }, _ => { });
        return (xs, ys);
    }
}
