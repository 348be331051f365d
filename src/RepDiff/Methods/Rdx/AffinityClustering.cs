using System.Numerics;
using RepDiff.Numerics;

namespace RepDiff.Methods.Rdx;

/// <summary>The clusterings of docs/methods/METHODS.md §1.4, on the symmetrized affinity S of one direction.</summary>
internal static class AffinityClustering
{
    /// <summary>Lanczos residual tolerance (relative to ‖S‖): ample for a k-means embedding.</summary>
    public const double EigenTolerance = 1e-6;

    public const int KMeansRestarts = 10;
    public const double PageRankDamping = 0.85;

    /// <summary>
    /// Normalized spectral clustering into `clusters` groups. S must have a zero diagonal; it is
    /// overwritten with D^{-1/2} S D^{-1/2}. Returns labels 0..clusters−1 and the eigenvalues used.
    /// </summary>
    public static (int[] Labels, double[] Eigenvalues) Spectral(Matrix s, int clusters, int seed, IProgress<ProgressUpdate>? progress)
    {
        int n = s.Rows;
        var inverseRoot = InverseRootDegrees(s);
        Normalize(s, inverseRoot);

        var op = new DenseSymmetricOperator(s);
        var eigen = op.BlocksPayOff
            ? BlockLanczos.Solve(op, clusters, EigenTarget.Largest, seed, EigenTolerance, progress)
            : Lanczos.Solve(op, clusters, EigenTarget.Largest, seed, tolerance: EigenTolerance, progress: progress);
        var embedding = new Matrix(n, clusters);
        for (int c = 0; c < clusters; c++)
        {
            var u = eigen.Vectors[c];
            for (int i = 0; i < n; i++) embedding[i, c] = (float)(u[i] * inverseRoot[i]);
        }
        progress.Report("k-means", 0);
        var fit = KMeans.Fit(embedding, clusters, seed, restarts: KMeansRestarts);
        progress.Report("k-means", 1);
        return (fit.Labels, eigen.Values);
    }

    /// <summary>Rows summed at once, so that their additions overlap instead of each waiting on the one before.</summary>
    private const int DegreeRows = 8;

    /// <summary>
    /// 1/√(row sum) of S (0 for an empty row). Each row is summed in double in column order, which the Lanczos start and
    /// every later float depend on; eight rows go together, their eight chains of additions overlapping (one row at a
    /// time waited on each addition's latency).
    /// </summary>
    internal static unsafe double[] InverseRootDegrees(Matrix s)
    {
        int n = s.Rows;
        var inverseRoot = new double[n];
        Parallel.For(0, (n + DegreeRows - 1) / DegreeRows, group =>
        {
            int first = group * DegreeRows, count = Math.Min(DegreeRows, n - first);
            Span<double> degree = stackalloc double[DegreeRows];
            if (count == DegreeRows)
                fixed (float* r = &s.Data[(long)first * n])
                {
                    double d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0;
                    for (int j = 0; j < n; j++)
                    {
                        d0 += r[j]; d1 += r[n + j]; d2 += r[2 * n + j]; d3 += r[3 * n + j];
                        d4 += r[4 * n + j]; d5 += r[5 * n + j]; d6 += r[6 * n + j]; d7 += r[7 * n + j];
                    }
                    (degree[0], degree[1], degree[2], degree[3], degree[4], degree[5], degree[6], degree[7]) = (d0, d1, d2, d3, d4, d5, d6, d7);
                }
            else
                for (int r = 0; r < count; r++)
                    foreach (float v in s.Row(first + r)) degree[r] += v;
            for (int r = 0; r < count; r++) inverseRoot[first + r] = degree[r] > 0 ? 1 / Math.Sqrt(degree[r]) : 0;
        });
        return inverseRoot;
    }

    /// <summary>S ← D^{-1/2} S D^{-1/2}: each entry (float)(s_ij · r_i · r_j), multiplied in that order in double, a vector at a time.</summary>
    internal static void Normalize(Matrix s, double[] inverseRoot)
    {
        int n = s.Rows, width = Vector<float>.Count;
        Parallel.For(0, n, i =>
        {
            var row = s.Row(i);
            double ri = inverseRoot[i];
            int j = 0;
            for (; j <= n - width; j += width)
            {
                Vector.Widen(new Vector<float>(row[j..]), out var low, out var high);
                low = low * ri * new Vector<double>(inverseRoot, j);
                high = high * ri * new Vector<double>(inverseRoot, j + width / 2);
                Vector.Narrow(low, high).CopyTo(row[j..]);
            }
            for (; j < n; j++) row[j] = (float)(row[j] * ri * inverseRoot[j]);
        });
    }

    /// <summary>
    /// Centrality clustering: `clusters` times, the unassigned sample of highest centrality (PageRank
    /// on S, or S's leading eigenvector) and its size−1 highest-affinity unassigned neighbours form a
    /// cluster. Labels 0..clusters−1 in the order found, −1 for the rest.
    /// </summary>
    public static int[] Centrality(Matrix s, int clusters, int size, bool pageRank, int seed, IProgress<ProgressUpdate>? progress)
    {
        int n = s.Rows;
        double[] centrality = pageRank ? PageRank(s, progress) : EigenCentrality(s, seed, progress);
        var labels = new int[n];
        Array.Fill(labels, -1);
        for (int c = 0; c < clusters; c++)
        {
            int center = -1;
            for (int i = 0; i < n; i++)
                if (labels[i] < 0 && (center < 0 || centrality[i] > centrality[center])) center = i;
            labels[center] = c;
            var row = s.Row(center).ToArray();
            var neighbours = Enumerable.Range(0, n).Where(j => labels[j] < 0)
                .OrderByDescending(j => row[j]).ThenBy(j => j).Take(size - 1).ToArray();
            foreach (int j in neighbours) labels[j] = c;
        }
        return labels;
    }

    /// <summary>PageRank of the weighted graph S by power iteration.</summary>
    private static double[] PageRank(Matrix s, IProgress<ProgressUpdate>? progress)
    {
        const double damping = PageRankDamping;
        int n = s.Rows;
        var op = new DenseSymmetricOperator(s);
        var degree = new double[n];
        op.Multiply(Enumerable.Repeat(1.0, n).ToArray(), degree);
        var rank = Enumerable.Repeat(1.0 / n, n).ToArray();
        var scaled = new double[n];
        var next = new double[n];
        for (int iteration = 0; iteration < 1000; iteration++)
        {
            for (int i = 0; i < n; i++) scaled[i] = degree[i] > 0 ? rank[i] / degree[i] : 0;
            op.Multiply(scaled, next);   // S symmetric: Sᵀ D⁻¹ p = S (p / d)
            double change = 0;
            for (int i = 0; i < n; i++)
            {
                double v = damping * next[i] + (1 - damping) / n;
                change += Math.Abs(v - rank[i]);
                rank[i] = v;
            }
            progress.Report("pagerank", Math.Min(1, iteration / 100.0));
            if (change < 1e-10) break;
        }
        return rank;
    }

    private static double[] EigenCentrality(Matrix s, int seed, IProgress<ProgressUpdate>? progress)
    {
        var top = Lanczos.Solve(new DenseSymmetricOperator(s), 1, EigenTarget.Largest, seed, progress: progress);
        var v = top.Vectors[0];
        // The Perron vector of a positive matrix has one sign; make it positive.
        double sign = v.Sum() < 0 ? -1 : 1;
        return v.Select(x => sign * x).ToArray();
    }
}
