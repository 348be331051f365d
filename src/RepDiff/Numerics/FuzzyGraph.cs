namespace RepDiff.Numerics;

/// <summary>
/// UMAP's fuzzy simplicial set: a symmetric sparse graph (CSR, columns ascending in each row) whose weights are
/// membership strengths in (0, 1]. Built from a k-NN graph as umap-learn does: per point, rho = distance to the
/// nearest neighbour (local connectivity 1) and sigma from a binary search so that Σ_j exp(−(d_j − rho)/sigma)
/// = log₂(k) over the neighbours (k counts the point itself, as umap-learn's n_neighbors does); then the
/// directed strengths w are symmetrized by the fuzzy union w + wᵀ − w∘wᵀ.
/// </summary>
public sealed class FuzzyGraph
{
    private const int SearchSteps = 64;
    private const double Tolerance = 1e-5;
    private const double MinScale = 1e-3;

    public int N { get; }
    public int[] RowStart { get; }
    public int[] Columns { get; }
    public float[] Weights { get; }

    /// <summary>Per point: distance to the nearest neighbour (rho) and the fitted scale (sigma).</summary>
    public double[] Rho { get; }
    public double[] Sigma { get; }

    private FuzzyGraph(int n, int[] rowStart, int[] columns, float[] weights, double[] rho, double[] sigma)
    {
        N = n;
        RowStart = rowStart;
        Columns = columns;
        Weights = weights;
        Rho = rho;
        Sigma = sigma;
    }

    public static FuzzyGraph FromNeighbours(NeighbourGraph knn)
    {
        int n = knn.N, k = knn.K;
        var rho = new double[n];
        var sigma = new double[n];
        var strength = new float[(long)n * k];
        double meanAll = 0;
        foreach (float d in knn.Distances) meanAll += d;
        meanAll /= Math.Max(1, knn.Distances.Length);
        double target = Math.Log2(k + 1);
        Parallel.For(0, n, i =>
        {
            var d = knn.DistancesOf(i);
            (rho[i], sigma[i]) = SmoothDistances(d, target, meanAll);
            for (int s = 0; s < k; s++)
            {
                double excess = d[s] - rho[i];
                strength[(long)i * k + s] = excess <= 0 || sigma[i] == 0 ? 1f : (float)Math.Exp(-excess / sigma[i]);
            }
        });
        return Symmetrize(knn, strength, rho, sigma);
    }

    /// <summary>rho and sigma of one point (umap-learn's smooth_knn_dist with local_connectivity 1, bandwidth 1).</summary>
    internal static (double Rho, double Sigma) SmoothDistances(ReadOnlySpan<float> d, double target, double meanAll)
    {
        double rho = 0;
        foreach (float v in d)
            if (v > 0) { rho = v; break; } // nearest first: the first positive distance
        double lo = 0, hi = double.PositiveInfinity, mid = 1;
        for (int step = 0; step < SearchSteps; step++)
        {
            double sum = 0;
            foreach (float v in d)
            {
                double excess = v - rho;
                sum += excess > 0 ? Math.Exp(-excess / mid) : 1;
            }
            if (Math.Abs(sum - target) < Tolerance) break;
            if (sum > target)
            {
                hi = mid;
                mid = (lo + hi) / 2;
            }
            else
            {
                lo = mid;
                mid = double.IsPositiveInfinity(hi) ? mid * 2 : (lo + hi) / 2;
            }
        }
        // A floor on sigma, relative to the point's mean distance, so that tight groups do not get zero width.
        double mean = 0;
        foreach (float v in d) mean += v;
        mean /= Math.Max(1, d.Length);
        double floor = MinScale * (rho > 0 ? mean : meanAll);
        return (rho, Math.Max(mid, floor));
    }

    /// <summary>The fuzzy union of w and wᵀ, as CSR with sorted columns; zero weights are dropped.</summary>
    private static FuzzyGraph Symmetrize(NeighbourGraph knn, float[] strength, double[] rho, double[] sigma)
    {
        int n = knn.N, k = knn.K;
        // Each row gathers its own k edges and the reverse of every edge pointing at it.
        var count = new int[n + 1];
        for (int i = 0; i < n; i++)
        {
            count[i] += k;
            foreach (int j in knn.NeighboursOf(i)) count[j]++;
        }
        var start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + count[i];
        var fill = start[..n].ToArray();
        var column = IO.PageAdvice.NewArray<int>(start[n]);
        var forward = IO.PageAdvice.NewArray<float>(start[n]);
        var reverse = IO.PageAdvice.NewArray<float>(start[n]);
        for (int i = 0; i < n; i++)
        {
            var neighbours = knn.NeighboursOf(i);
            for (int s = 0; s < k; s++)
            {
                int j = neighbours[s];
                float w = strength[(long)i * k + s];
                int a = fill[i]++;
                column[a] = j;
                forward[a] = w;
                int b = fill[j]++;
                column[b] = i;
                reverse[b] = w;
            }
        }
        // Per row: sort by column, merge duplicates, combine w(i,j) and w(j,i) by the fuzzy union.
        var kept = new int[n];
        Parallel.For(0, n, i =>
        {
            int s0 = start[i], len = start[i + 1] - s0;
            var cols = column.AsSpan(s0, len);
            var order = new int[len];
            for (int a = 0; a < len; a++) order[a] = a;
            var key = cols.ToArray();
            Array.Sort(key, order);
            var fw = new float[len];
            var rv = new float[len];
            for (int a = 0; a < len; a++)
            {
                fw[a] = forward[s0 + order[a]];
                rv[a] = reverse[s0 + order[a]];
            }
            int outCount = 0;
            for (int a = 0; a < len;)
            {
                int j = key[a];
                float f = 0, r = 0;
                for (; a < len && key[a] == j; a++)
                {
                    f = Math.Max(f, fw[a]);
                    r = Math.Max(r, rv[a]);
                }
                float w = f + r - f * r;
                if (w > 0 && j != i)
                {
                    column[s0 + outCount] = j;
                    forward[s0 + outCount] = w;
                    outCount++;
                }
            }
            kept[i] = outCount;
        });
        var rowStart = new int[n + 1];
        for (int i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + kept[i];
        var columns = new int[rowStart[n]];
        var weights = new float[rowStart[n]];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(column, start[i], columns, rowStart[i], kept[i]);
            Array.Copy(forward, start[i], weights, rowStart[i], kept[i]);
        }
        return new FuzzyGraph(n, rowStart, columns, weights, rho, sigma);
    }
}
