using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// k-means: k-means++ seeding (D² sampling), Lloyd iterations, several restarts keeping the lowest inertia.
/// Distances to centroids come from one GEMM per iteration (row dot products for k ≤ 16) on mean-centred data (centring keeps the
/// ‖x‖² − 2x·c + ‖c‖² expansion accurate); centroid sums are double, over fixed row chunks added in order,
/// so a seed fixes the result whatever the thread count. Inertia is recomputed exactly (double) at the end.
/// </summary>
public static class KMeans
{
    public static KMeansResult Fit(Matrix x, int k, int seed = 0, int restarts = 10, int maxIterations = 300, double tolerance = 1e-6)
    {
        int n = x.Rows, d = x.Cols;
        if (k < 1 || k > n) throw new RepDiffInputException($"cannot form {k} clusters from {n} samples (k must be between 1 and the number of samples)");
        ArgumentOutOfRangeException.ThrowIfLessThan(restarts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);

        var mean = ColumnMeans(x);
        var centred = new Matrix(n, d);
        for (int i = 0; i < n; i++) TensorPrimitives.Subtract(x.Row(i), mean, centred.Row(i));
        var norms = Distances.RowSquaredNorms(centred);
        double threshold = tolerance * TotalVariance(centred) / Math.Max(1, d);

        KMeansResult? best = null;
        for (int r = 0; r < restarts; r++)
        {
            var result = Single(centred, norms, k, Rng.Create(Rng.Derive(seed, r)), maxIterations, threshold);
            if (best is null || result.Inertia < best.Inertia) best = result;
        }
        var centroids = best!.Centroids;
        for (int c = 0; c < k; c++) TensorPrimitives.Add(centroids.Row(c), mean, centroids.Row(c));
        return best;
    }

    private static KMeansResult Single(Matrix x, double[] norms, int k, Random rng, int maxIterations, double threshold)
    {
        int n = x.Rows, d = x.Cols;
        var centroids = PlusPlus(x, k, rng);
        var labels = new int[n];
        var distance = new double[n];
        var cross = new Matrix(n, k);
        var partial = new double[Math.Min(16, n)][];
        for (int c = 0; c < partial.Length; c++) partial[c] = new double[k * d];
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            Assign(x, norms, centroids, cross, labels, distance);
            var updated = Update(x, labels, distance, k, partial);
            double shift = 0;
            for (int i = 0; i < updated.Data.Length; i++) shift += Square(updated.Data[i] - centroids.Data[i]);
            centroids = updated;
            if (shift <= threshold) break;
        }
        Assign(x, norms, centroids, cross, labels, distance);
        double inertia = 0;
        for (int i = 0; i < n; i++) inertia += SquaredDistance(x.Row(i), centroids.Row(labels[i]));
        return new KMeansResult(labels, centroids, inertia);
    }

    // k-means++: the first centre uniformly, each next one with probability ∝ squared distance to the nearest chosen.
    private static Matrix PlusPlus(Matrix x, int k, Random rng)
    {
        int n = x.Rows;
        var centroids = new Matrix(k, x.Cols);
        var nearest = new double[n];
        int chosen = rng.Next(n);
        x.Row(chosen).CopyTo(centroids.Row(0));
        Gemm.ParallelFor(n, Environment.ProcessorCount, i => nearest[i] = SquaredDistance(x.Row(i), centroids.Row(0)));
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
            Gemm.ParallelFor(n, Environment.ProcessorCount, i => nearest[i] = Math.Min(nearest[i], SquaredDistance(x.Row(i), centre)));
        }
        return centroids;
    }

    /// <summary>Up to this many clusters, x·Cᵀ is computed by row dot products instead of the packed GEMM.</summary>
    private const int NarrowK = 16;
    private const int RowBlock = 256;

    private static void Assign(Matrix x, double[] norms, Matrix centroids, Matrix cross, int[] labels, double[] distance)
    {
        int k = centroids.Rows;
        if (k <= NarrowK)
        {
            // A handful of centroids fits in L1: one pass over x with row-by-centroid dot products beats the
            // packed GEMM, whose packing dominates when the output has only k columns.
            Gemm.ParallelFor((x.Rows + RowBlock - 1) / RowBlock, Environment.ProcessorCount, b =>
            {
                for (int i = b * RowBlock, end = Math.Min(x.Rows, i + RowBlock); i < end; i++)
                {
                    var row = x.Row(i);
                    var dots = cross.Row(i);
                    for (int c = 0; c < k; c++) dots[c] = TensorPrimitives.Dot(row, centroids.Row(c));
                }
            });
        }
        else Gemm.Multiply(x, false, centroids, true, cross);
        var cnorms = Distances.RowSquaredNorms(centroids);
        Gemm.ParallelFor(x.Rows, Environment.ProcessorCount, i =>
        {
            var row = cross.Row(i);
            int best = 0;
            double bestDistance = double.PositiveInfinity;
            for (int c = 0; c < k; c++)
            {
                double dist = norms[i] + cnorms[c] - 2.0 * row[c];
                if (dist < bestDistance) { bestDistance = dist; best = c; }
            }
            labels[i] = best;
            distance[i] = Math.Max(0, bestDistance);
        });
    }

    // Centroid = mean of its members; an empty cluster takes the point farthest from its own centre.
    // Rows are summed in a fixed number of chunks (in parallel) and the chunks added in order, so the
    // result does not depend on the thread count.
    private static Matrix Update(Matrix x, int[] labels, double[] distance, int k, double[][] partial)
    {
        int n = x.Rows, d = x.Cols, chunks = partial.Length;
        var counts = new int[k];
        foreach (int label in labels) counts[label]++;
        Gemm.ParallelFor(chunks, Environment.ProcessorCount, chunk =>
        {
            var sums = partial[chunk];
            Array.Clear(sums);
            for (int i = (int)((long)n * chunk / chunks), end = (int)((long)n * (chunk + 1) / chunks); i < end; i++)
            {
                var row = x.Row(i);
                AddWidened(row, sums.AsSpan(labels[i] * d, d));
            }
        });
        for (int chunk = 1; chunk < chunks; chunk++) TensorPrimitives.Add(partial[0], partial[chunk], partial[0]);
        var total = partial[0];

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
            for (int j = 0; j < d; j++) dest[j] = (float)(total[c * d + j] / counts[c]);
        }
        return centroids;
    }

    /// <summary>sum += row, each float widened to double (four lanes at a time when the hardware has them).</summary>
    private static void AddWidened(ReadOnlySpan<float> row, Span<double> sum)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float r = ref MemoryMarshal.GetReference(row);
            ref double t = ref MemoryMarshal.GetReference(sum);
            for (; j <= row.Length - 4; j += 4)
            {
                var wide = Vector256.WidenLower(Vector128.LoadUnsafe(ref r, (nuint)j).ToVector256Unsafe());
                (Vector256.LoadUnsafe(ref t, (nuint)j) + wide).StoreUnsafe(ref t, (nuint)j);
            }
        }
        for (; j < row.Length; j++) sum[j] += row[j];
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

    private static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Distances.ExactSquared(a, b);

    private static double Square(double v) => v * v;
}
