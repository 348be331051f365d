using RepDiff.Numerics;

namespace RepDiff.Methods.Rdx;

/// <summary>Which g members of a concept to show (docs/methods/METHODS.md §1.6), chosen in the explained representation.</summary>
internal static class ConceptGrids
{
    /// <summary>
    /// Max neighbourhood affinity: for every member i, the block of its g nearest cluster-mates in X
    /// (i first) is scored by the sum of M over the block; the best block wins, ordered by distance to i.
    /// </summary>
    public static int[] MaxAffinity(int[] members, Matrix x, int size, Matrix g, float exponent)
    {
        int m = members.Length, take = Math.Min(size, m);
        var distances = new SquaredDistanceBlocks(x.SelectRows(members));
        int blockRows = SquaredDistanceBlocks.BlockRows(m, 4 << 20);
        var blockScores = new double[m];
        var blocks = new int[m][];
        for (int first = 0; first < m; first += blockRows)
        {
            int count = Math.Min(blockRows, m - first);
            var product = distances.Compute(first, count);
            Parallel.For(0, count, r =>
            {
                int a = first + r;
                var row = product.Row(r);
                row[a] = -1; // self comes first
                var nearest = Nearest(row, take);
                double score = 0;
                foreach (int p in nearest)
                    foreach (int q in nearest)
                        score += Math.Exp(exponent * g[members[p], members[q]]);
                blockScores[a] = score;
                blocks[a] = nearest;
            });
        }
        int best = 0;
        for (int a = 1; a < m; a++) if (blockScores[a] > blockScores[best]) best = a;
        return blocks[best].Select(p => members[p]).ToArray();
    }

    /// <summary>The g members nearest the members' mean in X, nearest first.</summary>
    public static int[] Centroid(int[] members, Matrix x, int size)
    {
        int d = x.Cols;
        var mean = new double[d];
        foreach (int i in members)
        {
            var row = x.Row(i);
            for (int c = 0; c < d; c++) mean[c] += row[c];
        }
        for (int c = 0; c < d; c++) mean[c] /= members.Length;
        var distance = new float[members.Length];
        for (int p = 0; p < members.Length; p++)
        {
            var row = x.Row(members[p]);
            double sum = 0;
            for (int c = 0; c < d; c++) sum += (row[c] - mean[c]) * (row[c] - mean[c]);
            distance[p] = (float)sum;
        }
        return Nearest(distance, Math.Min(size, members.Length)).Select(p => members[p]).ToArray();
    }

    /// <summary>g members drawn at random (seeded by the caller's generator).</summary>
    public static int[] Random(int[] members, int size, Random rng)
    {
        var shuffled = (int[])members.Clone();
        rng.Shuffle(shuffled);
        return shuffled[..Math.Min(size, shuffled.Length)];
    }

    /// <summary>Positions of the `take` smallest values, ascending (ties by position).</summary>
    private static int[] Nearest(ReadOnlySpan<float> values, int take)
    {
        var nearest = new int[take];
        Selection.Smallest(values, nearest);
        return nearest;
    }
}
