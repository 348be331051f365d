using System.Numerics.Tensors;
using RepDiff.Numerics;
using RepDiff.Options;

namespace RepDiff.Spectral;

/// <summary>Sample-space (n×n) kernel matrices, accumulated in float64 with a weight.</summary>
internal static class SampleKernels
{
    /// <summary>dest += weight · exp(−‖x_i − x_j‖² / (2σ²)).</summary>
    public static void AddGaussian(Matrix x, double sigma, double weight, double[] dest)
    {
        int n = x.Rows;
        var d2 = Distances.SquaredEuclidean(x);
        double scale = GaussianScale(sigma);
        Parallel.For(0, n, () => new double[n], (i, _, row) =>
        {
            var distances = d2.Row(i);
            for (int j = 0; j < n; j++) row[j] = scale * distances[j];
            TensorPrimitives.Exp(row, row);
            var target = dest.AsSpan(i * n, n);
            TensorPrimitives.MultiplyAdd(row, weight, target, target);
            return row;
        }, _ => { });
        // The n² float32 distances are garbage now. Collected here, the next kernel (B's) and the eigensolver reuse their
        // memory instead of adding to it: SPEC's exact route peaked at 22 n² bytes against its 12 n² estimate
        // (1.42 GB at n = 8,000; 0.98 GB with this, and no slower).
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
    }

    /// <summary>
    /// dest += weight · exp(−‖x_i − x_j‖²/(2σ²)) with every squared distance summed in double from the rows' differences:
    /// a kernel that is factored (FINC's exact route, K = L Lᵀ) must be positive semi-definite to within Cholesky's first
    /// jitter. <see cref="AddGaussian"/>'s float32 distances carry relative errors near 1e-7, which made the kernel of a set and
    /// its copy one float32 step away indefinite by 3e-7; the jitter that then took (1e-6) moved the eigenvalues of
    /// Lᵀ W L by up to √(jitter · ‖K‖) / n, five "modes" of ±3.6e-5 where the sets differ by round-off (helper 97).
    /// O(n² d) in double: for the exact route's few thousand rows, a second or two beside its O(n³) factorization at d = 768.
    /// Rows are taken <see cref="DifferenceBlock"/> at a time against every later row, so each later row is read from memory
    /// once a block, not once a row: row by row, 1,500 + 1,500 rows of 20,000 dimensions took 78 s (the float32 kernel 2 s),
    /// every pair streaming a 160 KB row (helper 100). Each pair's sum is the same either way.
    /// </summary>
    public static void AddGaussianFromDifferences(Matrix x, double sigma, double weight, double[] dest)
    {
        int n = x.Rows, d = x.Cols;
        double scale = GaussianScale(sigma);
        // Row i fills (i, j) and (j, i) for j ≥ i: the entries below the diagonal of a row are written by earlier rows only.
        // Rows are widened to double as they are used, in buffers of a block and one row per worker: a double copy of every
        // row (8·n·d bytes, 480 MB at 3,000 × 20,000) went uncounted by the route's memory check (helper 100).
        int blocks = (n + DifferenceBlock - 1) / DifferenceBlock;
        Parallel.For(0, blocks, () => (Block: new double[DifferenceBlock * d], Row: new double[d], Difference: new double[d]), (block, _, buffers) =>
        {
            int first = block * DifferenceBlock, end = Math.Min(n, first + DifferenceBlock);
            TensorPrimitives.ConvertChecked<float, double>(x.Data.AsSpan(first * d, (end - first) * d), buffers.Block);
            for (int j = first; j < n; j++)
            {
                TensorPrimitives.ConvertChecked<float, double>(x.Data.AsSpan(j * d, d), buffers.Row);
                for (int i = first; i < end && i <= j; i++)
                {
                    TensorPrimitives.Subtract(buffers.Block.AsSpan((i - first) * d, d), buffers.Row, buffers.Difference);
                    double k = weight * Math.Exp(scale * TensorPrimitives.SumOfSquares<double>(buffers.Difference));
                    dest[(long)i * n + j] += k;
                    if (j != i) dest[(long)j * n + i] += k;
                }
            }
            return buffers;
        }, _ => { });
    }

    /// <summary>Rows <see cref="AddGaussianFromDifferences"/> takes against each later row in one pass.</summary>
    private const int DifferenceBlock = 16;

    /// <summary>
    /// −1/(2σ²), held finite: below σ ≈ 1e-154 it overflows to −∞ (0 · −∞ = NaN on the diagonal), where the
    /// kernel is already the identity (1 for equal rows, 0 otherwise), which the largest finite scale gives too.
    /// </summary>
    public static double GaussianScale(double sigma) => Math.Max(-double.MaxValue, -1 / (2 * sigma * sigma));

    /// <summary>
    /// dest += weight · Φ Φᵀ (the kernel of explicit features, one row per sample). work, when given, is n×n float32 work
    /// space that several calls may share (<see cref="Syrk.AddProduct"/>).
    /// </summary>
    public static void AddGram(Matrix features, double weight, double[] dest, float[]? work = null) =>
        Syrk.AddProduct(features, dest, weight, work);

    public static Matrix Transpose(Matrix m)
    {
        var t = new Matrix(m.Cols, m.Rows);
        const int block = 64;
        Parallel.For(0, (m.Rows + block - 1) / block, b =>
        {
            int i0 = b * block, i1 = Math.Min(m.Rows, i0 + block);
            for (int j0 = 0; j0 < m.Cols; j0 += block)
                for (int i = i0; i < i1; i++)
                    for (int j = j0, j1 = Math.Min(m.Cols, j0 + block); j < j1; j++)
                        t.Data[(long)j * m.Rows + i] = m.Data[(long)i * m.Cols + j];
        });
        return t;
    }

    /// <summary>Bytes the n×n routes hold at once: the float64 operator plus a float32 work matrix.</summary>
    public static long Bytes(long n) => n * n * 12;

    /// <summary>
    /// The covariance routes hold a few D×D float64 matrices (covariance, factor, its transpose), within <see cref="IO.MemoryBudget.WorkLimit()"/> as
    /// the n×n routes: the fixed 8.6 GB alone let a machine with 2 GB free start 4.7 GB of covariance (--rff-dim 3500).
    /// </summary>
    public static void CheckFeatureMemory(long d, int matrices, string property)
    {
        long bytes = d * d * 8 * matrices, limit = IO.MemoryBudget.WorkLimit();
        if (bytes > limit)
            throw new InvalidOptionException(property,
                $"a feature dimension of {d} needs {bytes / 1e9:F1} GB for its {d}×{d} covariance matrices (limit {limit / 1e9:F1} GB); make it smaller");
    }

    /// <summary>
    /// Bytes a feature route holds at once on n samples with D feature columns, the widest map's being <paramref name="widest"/>.
    /// With fewer samples than features (<paramref name="sampleSpace"/>): the float64 n×n operator, every map's n×D float32
    /// features (<see cref="FeatureBatches.MapAll"/>) and the float32 work of <see cref="AddGram"/> (counted as n × the widest map's D);
    /// with <paramref name="factor"/> (FINC's solve through <see cref="FeatureGram"/>) also the operator's n×n Cholesky factor,
    /// made after that copy is gone. Otherwise three D×D float64 matrices. Both factors now take their matrix's storage
    /// (<see cref="Cholesky.FactorInPlace"/>), so these are upper bounds (SPEC's covariance route holds about one and a half
    /// D×D matrices). The 12 n² of the n×n routes had counted the operator
    /// alone: SPEC at n = 10,000 with --rff-dim 100000 passed it (1.2 GB) and was killed at 24 GB building the features.
    /// </summary>
    public static long FeatureRouteBytes(long n, long features, long widest, bool sampleSpace, bool factor) => sampleSpace
        ? 8 * n * n + 4 * n * features + Math.Max(4 * n * widest, factor ? 8 * n * n : 0)
        : 3 * 8 * features * features;

    /// <summary>
    /// Refuses a feature route past <see cref="IO.MemoryBudget.WorkLimit()"/> before it allocates, naming the option that sets its dimension and the
    /// largest value of it that fits (either route: fewer features than samples take the covariance form).
    /// </summary>
    /// <param name="ridged">SPEC's --covariance-ridge: the covariance form, or the span of the feature rows where that is cheaper
    /// or alone fits (<see cref="RidgedSpan.Takes"/>), whatever the sample count.</param>
    /// <param name="factor">See <see cref="FeatureRouteBytes"/>.</param>
    public static void CheckFeatureRoute(int n, FeatureOption option, bool ridged, bool factor, long? available = null)
    {
        long limit = IO.MemoryBudget.WorkLimit();
        bool SampleSpace(long features) => !ridged && n <= features;
        bool Span(long features) => ridged && RidgedSpan.Takes(n, features, limit);
        // A quarter more than the large matrices counted, for what is not (the eigensolver's vectors, the frequencies, the
        // runtime): at exactly the counted figure a suggested --rff-dim ran out of memory (helper 89: 3,377 under a 2 GB heap).
        long BytesAt(int value)
        {
            var (features, widest) = option.ColumnsAt(value);
            return (Span(features) ? RidgedSpan.Bytes(n, features) : FeatureRouteBytes(n, features, widest, SampleSpace(features), factor)) / 4 * 5;
        }
        long bytes = BytesAt(option.Value);
        if (bytes <= limit) return;
        long d = option.ColumnsAt(option.Value).Features;
        string what = Span(d) ? "its n×D features and the n×n Grams of their span" : SampleSpace(d) ? "its n×n operator and n×D features" : "its D×D covariance matrices";
        // Not monotone in the value (D just below n takes the covariance form, 24 D², more than the n×n form at D = n): every value is tried.
        int fits = Enumerable.Range(1, option.MaxValue).LastOrDefault(v => BytesAt(v) <= limit);
        throw new InvalidOptionException(option.Property,
            $"n = {n:N0} samples with D = {d:N0} features need {bytes / 1e9:F1} GB for {what} (limit {limit / 1e9:F1} GB); "
            + (fits > 0 ? $"{fits:N0} is the largest value that fits" : "use fewer samples or dimensions"));
    }

    /// <summary>Refuses n×n kernels past <see cref="IO.MemoryBudget.WorkLimit()"/>, naming the option and value that stay linear in n.</summary>
    /// <param name="bytesPerPair">Bytes held per entry of n×n: <see cref="Bytes"/>'s 12, or 16 where a float64 Cholesky factor sits beside the float64 kernel (FINC).</param>
    /// <param name="rowBytes">The rows read whole beside the kernels (for the modes' functions): at 3,000 rows of 20,000 dimensions,
    /// 240 MB against the kernels' 144 MB, which the check had not counted.</param>
    /// <remarks>Against what this machine has free now (<see cref="IO.MemoryBudget.Available"/>; tests set it with MemoryBudget.Assume).</remarks>
    public static void CheckMemory(int n, string property, string scalableValue, long rowBytes, long bytesPerPair = 12)
    {
        long limit = IO.MemoryBudget.WorkLimit(), bytes = (long)n * n * bytesPerPair + rowBytes;
        if (bytes > limit)
            throw new InvalidOptionException(property,
                $"n = {n} needs {bytes / 1e9:F1} GB for n×n kernels and the rows (limit {limit / 1e9:F1} GB); set it to {scalableValue}, which stays linear in n");
    }

    /// <summary>The bytes of float32 rows read whole.</summary>
    public static long RowBytes(IRowSource rows) => (long)rows.Rows * rows.Cols * sizeof(float);
}

/// <summary>
/// The option a feature route's memory refusal names: its value, the largest value to try for what fits (0: none, the inputs set
/// the features) and the feature columns a value gives (all maps, and the widest one).
/// </summary>
internal sealed record FeatureOption(string Property, int Value, int MaxValue, Func<int, (long Features, long Widest)> ColumnsAt);
