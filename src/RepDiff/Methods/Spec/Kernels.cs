using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RepDiff.Numerics;

namespace RepDiff.Methods.Spec;

/// <summary>Sample-space (n×n) kernel matrices, accumulated in float64 with a weight.</summary>
internal static class SampleKernels
{
    /// <summary>dest += weight · exp(−‖x_i − x_j‖² / (2σ²)).</summary>
    public static void AddGaussian(Matrix x, double sigma, double weight, double[] dest)
    {
        int n = x.Rows;
        var d2 = Distances.SquaredEuclidean(x);
        double scale = -1 / (2 * sigma * sigma);
        Parallel.For(0, n, () => new double[n], (i, _, row) =>
        {
            var distances = d2.Row(i);
            for (int j = 0; j < n; j++) row[j] = scale * distances[j];
            TensorPrimitives.Exp(row, row);
            var target = dest.AsSpan(i * n, n);
            TensorPrimitives.MultiplyAdd(row, weight, target, target);
            return row;
        }, _ => { });
    }

    /// <summary>dest += weight · Φ Φᵀ (the kernel of explicit features, one row per sample).</summary>
    public static void AddGram(Matrix features, double weight, double[] dest) =>
        Syrk.AddTransposeProduct(Transpose(features), dest, weight);

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

    /// <summary>The most the n×n routes may use before they refuse and point to the streaming route.</summary>
    public const long MaxBytes = 8L << 30;

    /// <summary>The covariance routes hold a few D×D float64 matrices (covariance, factor, its transpose).</summary>
    public static void CheckFeatureMemory(int d, int matrices)
    {
        long bytes = (long)d * d * 8 * matrices;
        if (bytes > MaxBytes)
            throw new RepDiffInputException(
                $"a feature dimension of {d} needs {bytes / 1e9:F1} GB for its {d}×{d} covariance matrices (limit {MaxBytes / 1e9:F1} GB); use a smaller --rff-dim");
    }

    public static void CheckMemory(int n, string scalableOption)
    {
        if (Bytes(n) > MaxBytes)
            throw new RepDiffInputException(
                $"n = {n} needs {Bytes(n) / 1e9:F1} GB for n×n kernels (limit {MaxBytes / 1e9:F1} GB); use {scalableOption}, which stays linear in n");
    }
}

/// <summary>
/// The feature route's small eigenproblem (METHODS §3): for Λ = Φ S Φᵀ with G = ΦᵀΦ = L Lᵀ, the
/// nonzero eigenpairs come from Θ = Lᵀ S L (D×D, symmetric): Θu = λu gives w = S L u and the
/// sample-space mode s = Φ w, with ‖s‖² = λ² ‖u‖² ⇒ s / |λ| is a unit eigenvector of Λ.
/// </summary>
internal static class FeatureGram
{
    /// <param name="gram">G (D×D, row-major; consumed).</param>
    /// <param name="signs">The diagonal of S.</param>
    /// <param name="timings">Receives "cholesky" (seconds of the factorization), when given.</param>
    public static (SignedModes Modes, double[][] PositiveWeights, double[][] NegativeWeights) Solve(
        double[] gram, double[] signs, int k, double zero, int seed, IProgress<ProgressUpdate>? progress, Dictionary<string, double>? timings = null)
    {
        int d = signs.Length;
        progress.Report("factorizing the feature covariance", 0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var l = Cholesky.Factor(gram, d);
        if (timings is not null) timings["cholesky"] = clock.Elapsed.TotalSeconds;
        progress.Report("factorizing the feature covariance", 1);
        SignedModes modes;
        if (d <= SignedEigen.DenseLimit)
        {
            var theta = new double[(long)d * d];
            Parallel.For(0, d, i =>
            {
                // Θ_ij = Σ_{m ≥ max(i, j)} L_mi s_m L_mj
                var row = theta.AsSpan(i * d, d);
                for (int m = i; m < d; m++)
                {
                    double f = l[(long)m * d + i] * signs[m];
                    if (f != 0) TensorPrimitives.MultiplyAdd(l.AsSpan(m * d, m + 1), f, row[..(m + 1)], row[..(m + 1)]);
                }
            });
            modes = SignedEigen.Solve(theta, d, k, zero, seed, progress);
        }
        else
        {
            // G is no longer needed: its storage takes Lᵀ, which saves a fresh D×D array (page faults cost here).
            modes = SignedEigen.Solve(new ThetaOperator(l, signs, transposeInto: gram), k, zero, seed, progress);
        }
        // w = S L u for every mode at once: each row of L is read once for all of them.
        double[][] Weights(double[][] vectors)
        {
            var weights = vectors.Select(_ => new double[d]).ToArray();
            Parallel.For(0, d, i =>
            {
                var row = l.AsSpan(i * d, i + 1);
                for (int v = 0; v < vectors.Length; v++) weights[v][i] = signs[i] * TensorPrimitives.Dot<double>(row, vectors[v].AsSpan(0, i + 1));
            });
            return weights;
        }
        return (modes, Weights(modes.PositiveVectors), Weights(modes.NegativeVectors));
    }

    /// <summary>
    /// y = Lᵀ S L x without forming Θ: two triangular products, O(D²) per vector. A single product is bound by
    /// reading L; the block product reads L once for a whole block of vectors (see <see cref="BlockLanczos"/>).
    /// </summary>
    private sealed class ThetaOperator : IBlockSymmetricOperator
    {
        /// <summary>Rows per register tile of the block product.</summary>
        private const int TileRows = 8;

        /// <summary>Block columns per register tile: one Vector512 (or two Vector256) per row.</summary>
        private const int TileCols = 8;

        private readonly double[] lower, upper, signs;
        private readonly double[] z;

        /// <param name="transposeInto">A D×D array to overwrite with Lᵀ (upper triangle; the rest zeroed).</param>
        public ThetaOperator(double[] l, double[] signs, double[] transposeInto)
        {
            Size = signs.Length;
            lower = l;
            this.signs = signs;
            z = new double[Size];
            int d = Size;
            var t = transposeInto;
            // In 64×64 tiles, so the column-strided reads of L stay in cache.
            const int tile = 64;
            Parallel.For(0, (d + tile - 1) / tile, bj =>
            {
                int j0 = bj * tile, j1 = Math.Min(d, j0 + tile);
                for (int j = j0; j < j1; j++) Array.Clear(t, (int)((long)j * d), Math.Min(j, d));
                for (int i0 = j0; i0 < d; i0 += tile)
                    for (int j = j0; j < j1; j++)
                        for (int i = Math.Max(i0, j), i1 = Math.Min(d, i0 + tile); i < i1; i++)
                            t[(long)j * d + i] = l[(long)i * d + j];
            });
            upper = t;
        }

        public int Size { get; }

        public void Multiply(double[] x, double[] y)
        {
            int d = Size;
            Parallel.For(0, d, i => z[i] = signs[i] * TensorPrimitives.Dot<double>(lower.AsSpan(i * d, i + 1), x.AsSpan(0, i + 1)));
            Parallel.For(0, d, j => y[j] = TensorPrimitives.Dot<double>(upper.AsSpan(j * d + j, d - j), z.AsSpan(j, d - j)));
        }

        public void Multiply(double[][] x, double[][] y)
        {
            int d = Size, b = x.Length;
            int width = (b + TileCols - 1) / TileCols * TileCols;  // padded with zero columns
            // Row-major blocks: row i holds the i-th entry of every vector, so one L entry meets them all in registers.
            var xs = new double[(long)d * width];
            var zs = new double[(long)d * width];
            var ys = new double[(long)d * width];
            Parallel.For(0, d, i => { for (int c = 0; c < b; c++) xs[(long)i * width + c] = x[c][i]; });
            int groups = (d + TileRows - 1) / TileRows;
            // Z = S L X: rows i0..i0+7 of L are zero beyond column i0+7.
            Parallel.For(0, groups, g =>
            {
                int i0 = g * TileRows, rows = Math.Min(TileRows, d - i0);
                TileProduct(lower, d, i0, rows, 0, Math.Min(d, i0 + TileRows), xs, zs, width);
                for (int r = 0; r < rows; r++)
                    TensorPrimitives.Multiply<double>(zs.AsSpan((i0 + r) * width, width), signs[i0 + r], zs.AsSpan((i0 + r) * width, width));
            });
            // Y = Lᵀ Z: rows j0..j0+7 of Lᵀ are zero before column j0.
            Parallel.For(0, groups, g =>
            {
                int j0 = g * TileRows, rows = Math.Min(TileRows, d - j0);
                TileProduct(upper, d, j0, rows, j0, d, zs, ys, width);
            });
            Parallel.For(0, b, c => { for (int i = 0; i < d; i++) y[c][i] = ys[(long)i * width + c]; });
        }

        // dest[r0 + t, :] = Σ_{j in [from, to)} a[r0 + t, j] · source[j, :] for t < rows (a is d×d row-major).
        private static unsafe void TileProduct(double[] a, int d, int r0, int rows, int from, int to, double[] source, double[] dest, int width)
        {
            fixed (double* ap = a, sp = source, dp = dest)
            {
                for (int c0 = 0; c0 < width; c0 += TileCols)
                {
                    if (rows == TileRows) Tile(ap + (long)r0 * d, d, from, to, sp + c0, dp + (long)r0 * width + c0, width);
                    else
                        for (int t = 0; t < rows; t++)
                            for (int c = c0; c < c0 + TileCols; c++)
                            {
                                double sum = 0;
                                for (int j = from; j < to; j++) sum += ap[(long)(r0 + t) * d + j] * sp[(long)j * width + c];
                                dp[(long)(r0 + t) * width + c] = sum;
                            }
                }
            }
        }

        // An 8-row × 8-column register tile of dest = a · source over columns [from, to) of a: one source
        // row load and eight broadcast FMAs per step, eight independent accumulators.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void Tile(double* a, int d, int from, int to, double* source, double* dest, int width)
        {
            double* a0 = a, a1 = a + d, a2 = a + 2L * d, a3 = a + 3L * d, a4 = a + 4L * d, a5 = a + 5L * d, a6 = a + 6L * d, a7 = a + 7L * d;
            if (Vector512.IsHardwareAccelerated)
            {
                Vector512<double> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
                for (int j = from; j < to; j++)
                {
                    var s = Vector512.Load(source + (long)j * width);
                    c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[j]), s, c0);
                    c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[j]), s, c1);
                    c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[j]), s, c2);
                    c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[j]), s, c3);
                    c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[j]), s, c4);
                    c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a5[j]), s, c5);
                    c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a6[j]), s, c6);
                    c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a7[j]), s, c7);
                }
                c0.Store(dest); c1.Store(dest + width); c2.Store(dest + 2L * width); c3.Store(dest + 3L * width);
                c4.Store(dest + 4L * width); c5.Store(dest + 5L * width); c6.Store(dest + 6L * width); c7.Store(dest + 7L * width);
                return;
            }
            for (int half = 0; half < TileCols; half += 4)  // Vector256: two passes of 4 columns
            {
                Vector256<double> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
                for (int j = from; j < to; j++)
                {
                    var s = Vector256.Load(source + (long)j * width + half);
                    c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a0[j]), s, c0);
                    c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a1[j]), s, c1);
                    c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a2[j]), s, c2);
                    c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a3[j]), s, c3);
                    c4 = Vector256.FusedMultiplyAdd(Vector256.Create(a4[j]), s, c4);
                    c5 = Vector256.FusedMultiplyAdd(Vector256.Create(a5[j]), s, c5);
                    c6 = Vector256.FusedMultiplyAdd(Vector256.Create(a6[j]), s, c6);
                    c7 = Vector256.FusedMultiplyAdd(Vector256.Create(a7[j]), s, c7);
                }
                c0.Store(dest + half); c1.Store(dest + width + half); c2.Store(dest + 2L * width + half); c3.Store(dest + 3L * width + half);
                c4.Store(dest + 4L * width + half); c5.Store(dest + 5L * width + half); c6.Store(dest + 6L * width + half); c7.Store(dest + 7L * width + half);
            }
        }
    }
}
