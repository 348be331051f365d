using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// k-means: k-means++ seeding (D² sampling), Lloyd iterations, several restarts keeping the lowest inertia.
/// Distances to centroids come from one GEMM per iteration (row dot products for k ≤ 16) on mean-centred data (centring keeps the
/// ‖x‖² − 2x·c + ‖c‖² expansion accurate). The centred values are snapped to a per-column grid fine enough to
/// change nothing float32 can show but coarse enough that double sums of them are exact, so centroid sums do not depend on
/// the order rows are added in: a seed fixes the result whatever the thread count, and a sum can be kept up to date by
/// moving only the rows that changed cluster. With k ≤ 16, <see cref="BoundedLloyd"/> skips the rows whose cluster
/// provably stays (Hamerly's bounds) and gives the same labels as the plain iteration. Inertia is recomputed exactly
/// (double) at the end.
/// </summary>
public static class KMeans
{
    public static KMeansResult Fit(Matrix x, int k, int seed = 0, int restarts = 10, int maxIterations = 300, double tolerance = 1e-6)
        => Fit(x, k, seed, restarts, maxIterations, tolerance, bounded: true);

    /// <param name="bounded">Skip rows by Hamerly's bounds where the row dot products are used (k ≤ 16); false runs
    /// the plain Lloyd iteration, which the bounded one must match (tests).</param>
    internal static KMeansResult Fit(Matrix x, int k, int seed, int restarts, int maxIterations, double tolerance, bool bounded)
    {
        int n = x.Rows, d = x.Cols;
        if (k < 1 || k > n) throw new RepDiffInputException($"cannot form {k} clusters from {n} samples (k must be between 1 and the number of samples)");
        ArgumentOutOfRangeException.ThrowIfLessThan(restarts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);

        var mean = ColumnMeans(x);
        var centred = new Matrix(n, d);
        Gemm.ParallelFor(n, Gemm.ThreadsFor((long)n * d), i => TensorPrimitives.Subtract(x.Row(i), mean, centred.Row(i)));
        SnapToSummableGrid(centred);
        var norms = Distances.RowSquaredNorms(centred);
        double threshold = tolerance * TotalVariance(centred) / Math.Max(1, d);
        bool useBounds = bounded && k <= NarrowK && BoundedLloyd.Applies(d);

        KMeansResult? best = null;
        for (int r = 0; r < restarts; r++)
        {
            var rng = Rng.Create(Rng.Derive(seed, r));
            var result = useBounds
                ? new BoundedLloyd(centred, norms, k).Run(PlusPlus(centred, k, rng), maxIterations, threshold)
                : Lloyd(centred, norms, PlusPlus(centred, k, rng), maxIterations, threshold);
            if (best is null || result.Inertia < best.Inertia) best = result;
        }
        var centroids = best!.Centroids;
        for (int c = 0; c < k; c++) TensorPrimitives.Add(centroids.Row(c), mean, centroids.Row(c));
        return best;
    }

    /// <summary>
    /// Rounds every value to a multiple of its column's grid 2^(e − b), where 2^e bounds the column's magnitudes and
    /// 2^b · n ≤ 2^52: every partial sum of a column is then an integer number of grid steps below 2^53, which a double
    /// holds exactly, so sums and differences of rows are exact in any order. At n ≤ 100,000 the grid is at least 2^34 times
    /// finer than the column's largest magnitude, so a value moves by at most 2^-35 of it: about 2^11 times below float32's
    /// resolution at that magnitude, and only values below 2^-11 of it move at all.
    /// </summary>
    internal static void SnapToSummableGrid(Matrix x)
    {
        int n = x.Rows, d = x.Cols;
        if (n == 0 || d == 0) return;
        int bits = 52 - (int)Math.Ceiling(Math.Log2(n));
        var largest = new float[d];
        for (int i = 0; i < n; i++)
        {
            var row = x.Row(i);
            for (int j = 0; j < d; j++) largest[j] = Math.Max(largest[j], Math.Abs(row[j]));
        }
        var grid = new double[d];
        for (int j = 0; j < d; j++) grid[j] = largest[j] == 0 ? 0 : Math.ScaleB(1.0, Math.ILogB(largest[j]) + 1 - bits);
        Gemm.ParallelFor(n, Gemm.ThreadsFor((long)n * d), i =>
        {
            var row = x.Row(i);
            // A rounded value m·grid has |m| < 2^24 wherever rounding changes it (its float spacing was finer than the grid),
            // so it is a float again.
            for (int j = 0; j < d; j++)
                if (grid[j] > 0) row[j] = (float)(Math.Round(row[j] / grid[j]) * grid[j]);
        });
    }

    /// <summary>The plain Lloyd iteration: assign every row, recompute every centroid, until the centroids stop moving.</summary>
    private static KMeansResult Lloyd(Matrix x, double[] norms, Matrix centroids, int maxIterations, double threshold)
    {
        int n = x.Rows, d = x.Cols, k = centroids.Rows;
        var labels = new int[n];
        var distance = new double[n];
        var cross = new Matrix(n, k);
        var partial = new double[Math.Min(16, n)][];
        for (int c = 0; c < partial.Length; c++) partial[c] = new double[k * d];
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            Assign(x, norms, centroids, cross, labels, distance);
            var updated = Update(x, labels, distance, k, partial);
            double shift = SquaredShift(centroids, updated);
            centroids = updated;
            if (shift <= threshold) break;
        }
        Assign(x, norms, centroids, cross, labels, distance);
        return new KMeansResult(labels, centroids, Inertia(x, labels, centroids));
    }

    /// <summary>Σ over centroids of the squared distance each moved: the stopping rule compares it with the threshold.</summary>
    internal static double SquaredShift(Matrix before, Matrix after)
    {
        double shift = 0;
        for (int i = 0; i < after.Data.Length; i++) shift += Square(after.Data[i] - before.Data[i]);
        return shift;
    }

    internal static double Inertia(Matrix x, int[] labels, Matrix centroids)
    {
        double inertia = 0;
        for (int i = 0; i < x.Rows; i++) inertia += SquaredDistance(x.Row(i), centroids.Row(labels[i]));
        return inertia;
    }

    // k-means++: the first centre uniformly, each next one with probability ∝ squared distance to the nearest chosen.
    private static Matrix PlusPlus(Matrix x, int k, Random rng)
    {
        int n = x.Rows;
        var centroids = new Matrix(k, x.Cols);
        var nearest = new double[n];
        int chosen = rng.Next(n);
        x.Row(chosen).CopyTo(centroids.Row(0));
        Gemm.ParallelFor(n, Gemm.ThreadsFor((long)n * x.Cols), i => nearest[i] = SquaredDistance(x.Row(i), centroids.Row(0)));
        for (int c = 1; c < k; c++)
        {
            double total = 0;
            foreach (double v in nearest) total += v;
            if (total > 0)
            {
                double target = rng.NextDouble() * total, cumulative = 0;
                chosen = n - 1;
                for (int i = 0; i < n; i++)
                {
                    cumulative += nearest[i];
                    if (cumulative > target && nearest[i] > 0) { chosen = i; break; }
                }
            }
            else chosen = rng.Next(n); // every point coincides with a centre already
            x.Row(chosen).CopyTo(centroids.Row(c));
            var centre = centroids.Row(c).ToArray();
            Gemm.ParallelFor(n, Gemm.ThreadsFor((long)n * x.Cols), i => nearest[i] = Math.Min(nearest[i], SquaredDistance(x.Row(i), centre)));
        }
        return centroids;
    }

    /// <summary>Up to this many clusters, x·Cᵀ is computed by row dot products instead of the packed GEMM.</summary>
    internal const int NarrowK = 16;
    private const int RowBlock = 256;

    private static void Assign(Matrix x, double[] norms, Matrix centroids, Matrix cross, int[] labels, double[] distance)
    {
        int k = centroids.Rows;
        if (k <= NarrowK)
        {
            // A handful of centroids fits in L1: one pass over x with row-by-centroid dot products beats the
            // packed GEMM, whose packing dominates when the output has only k columns.
            Gemm.ParallelFor((x.Rows + RowBlock - 1) / RowBlock, Gemm.ThreadsFor((long)x.Rows * k * x.Cols), b =>
            {
                for (int i = b * RowBlock, end = Math.Min(x.Rows, i + RowBlock); i < end; i++) RowDots(x.Row(i), centroids, cross.Row(i));
            });
        }
        else Gemm.Multiply(x, false, centroids, true, cross);
        var cnorms = Distances.RowSquaredNorms(centroids);
        Gemm.ParallelFor(x.Rows, Gemm.ThreadsFor((long)x.Rows * k), i =>
        {
            labels[i] = Nearest(norms[i], cnorms, cross.Row(i), out double best, out _);
            distance[i] = Math.Max(0, best);
        });
    }

    /// <summary>x·c for every centroid c, as float dot products: the one way the row-by-row paths compute them.</summary>
    internal static void RowDots(ReadOnlySpan<float> row, Matrix centroids, Span<float> dots)
    {
        for (int c = 0; c < dots.Length; c++) dots[c] = TensorPrimitives.Dot(row, centroids.Row(c));
    }

    /// <summary>‖x‖² + ‖c‖² − 2x·c: the squared distance as every path computes it, so that all of them agree bit for bit.</summary>
    internal static double Expanded(double norm, double centroidNorm, float dot) => norm + centroidNorm - 2.0 * dot;

    /// <summary>
    /// The nearest centroid by ‖x‖² + ‖c‖² − 2x·c (the first of equals), with that value and the next smallest (the
    /// smallest over the other centroids).
    /// </summary>
    internal static int Nearest(double norm, double[] cnorms, ReadOnlySpan<float> dots, out double best, out double second)
    {
        int label = 0;
        best = second = double.PositiveInfinity;
        for (int c = 0; c < dots.Length; c++)
        {
            double dist = Expanded(norm, cnorms[c], dots[c]);
            if (dist < best) { second = best; best = dist; label = c; }
            else if (dist < second) second = dist;
        }
        return label;
    }

    // Centroid = mean of its members. Rows are summed in a fixed number of chunks (in parallel) and the chunks added;
    // the sums are exact (SnapToSummableGrid), so the order does not matter.
    private static Matrix Update(Matrix x, int[] labels, double[] distance, int k, double[][] partial)
    {
        int n = x.Rows, d = x.Cols, chunks = partial.Length;
        var counts = new int[k];
        foreach (int label in labels) counts[label]++;
        Gemm.ParallelFor(chunks, Gemm.ThreadsFor((long)n * d), chunk =>
        {
            var sums = partial[chunk];
            Array.Clear(sums);
            for (int i = (int)((long)n * chunk / chunks), end = (int)((long)n * (chunk + 1) / chunks); i < end; i++)
                AddWidened(x.Row(i), sums.AsSpan(labels[i] * d, d), 1);
        });
        for (int chunk = 1; chunk < chunks; chunk++) TensorPrimitives.Add(partial[0], partial[chunk], partial[0]);
        return CentroidsFrom(x, partial[0], counts, distance);
    }

    /// <summary>
    /// Each centroid from its members' sum (k × d, row-major) and count; an empty cluster takes the point farthest from its
    /// own centre (by <paramref name="distance"/>), a different one for each empty cluster.
    /// </summary>
    internal static Matrix CentroidsFrom(Matrix x, double[] sums, int[] counts, double[] distance)
    {
        int n = x.Rows, d = x.Cols, k = counts.Length;
        var centroids = new Matrix(k, d);
        bool[]? taken = null;
        for (int c = 0; c < k; c++)
        {
            if (counts[c] == 0)
            {
                taken ??= new bool[n];
                int far = -1;
                for (int i = 0; i < n; i++)
                    if (!taken[i] && (far < 0 || distance[i] > distance[far])) far = i;
                taken[far] = true;
                x.Row(far).CopyTo(centroids.Row(c));
                continue;
            }
            var dest = centroids.Row(c);
            for (int j = 0; j < d; j++) dest[j] = (float)(sums[c * d + j] / counts[c]);
        }
        return centroids;
    }

    /// <summary>sum += sign · row (sign ±1), each float widened to double (four lanes at a time when the hardware has them).</summary>
    internal static void AddWidened(ReadOnlySpan<float> row, Span<double> sum, double sign)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float r = ref MemoryMarshal.GetReference(row);
            ref double t = ref MemoryMarshal.GetReference(sum);
            var signs = Vector256.Create(sign);
            for (; j <= row.Length - 4; j += 4)
            {
                var wide = Vector256.WidenLower(Vector128.LoadUnsafe(ref r, (nuint)j).ToVector256Unsafe());
                (Vector256.LoadUnsafe(ref t, (nuint)j) + signs * wide).StoreUnsafe(ref t, (nuint)j);
            }
        }
        for (; j < row.Length; j++) sum[j] += sign * row[j];
    }

    internal static float[] ColumnMeans(Matrix x)
    {
        var sums = new double[x.Cols];
        for (int i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            for (int j = 0; j < row.Length; j++) sums[j] += row[j];
        }
        return sums.Select(s => (float)(s / Math.Max(1, x.Rows))).ToArray();
    }

    private static double TotalVariance(Matrix centred)
    {
        double total = 0;
        for (int i = 0; i < centred.Rows; i++) total += Distances.SquaredNorm(centred.Row(i));
        return total / Math.Max(1, centred.Rows);
    }

    internal static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Distances.ExactSquared(a, b);

    private static double Square(double v) => v * v;
}
