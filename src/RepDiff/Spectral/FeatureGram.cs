using System.Numerics.Tensors;
using RepDiff.Numerics;
using RepDiff.Options;

namespace RepDiff.Spectral;

/// <summary>
/// The feature route's small eigenproblem (docs/methods/METHODS.md §3): for Λ = Φ S Φᵀ with G = ΦᵀΦ = L Lᵀ, the
/// nonzero eigenpairs come from Θ = Lᵀ S L (D×D, symmetric): Θu = λu gives w = S L u and the
/// sample-space mode s = Φ w, with ‖s‖² = λ² ‖u‖² ⇒ s / |λ| is a unit eigenvector of Λ.
/// </summary>
internal static class FeatureGram
{
    /// <summary>
    /// Cholesky's first jitter, relative to G's mean diagonal (retried ten times larger while G is indefinite), for a G
    /// of double products (<see cref="FeatureBatches.MeanGram"/> with inDouble). The eigenvalues of Θ move by up to
    /// √(jitter · mean diag · ‖G‖) when the blocks nearly coincide (S·G then nearly nilpotent), so the factor's default
    /// 1e-10 alone would put 1.5e-6 where a set and its near-copy differ by 6e-9. Such a G is semi-definite to ~1e-16
    /// relative, which this covers.
    /// </summary>
    internal const double Jitter = 1e-14;

    /// <param name="gram">G (D×D, row-major; consumed).</param>
    /// <param name="signs">The diagonal of S.</param>
    /// <param name="timings">Receives "cholesky" (seconds of the factorization), when given.</param>
    /// <param name="jitter">Cholesky's first jitter relative to G's mean diagonal (<see cref="Jitter"/> for a G of double products).</param>
    public static (SignedModes Modes, double[][] PositiveWeights, double[][] NegativeWeights) Solve(
        double[] gram, double[] signs, int k, double zero, int seed, IProgress<ProgressUpdate>? progress, Dictionary<string, double>? timings = null,
        double jitter = Cholesky.DefaultJitter)
    {
        int d = signs.Length;
        progress.Report("factorizing the feature covariance", 0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var l = Cholesky.Factor(gram, d, jitter);
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
        private readonly double[] lower, upper, signs;

        /// <param name="transposeInto">A D×D array to overwrite with Lᵀ (upper triangle; the rest zeroed).</param>
        public ThetaOperator(double[] l, double[] signs, double[] transposeInto)
        {
            Size = signs.Length;
            lower = l;
            this.signs = signs;
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

        // Above the dense limit L is D² doubles read twice per product; a block of vectors reads it once.
        public bool BlocksPayOff => true;

        // A single vector is a block of one: only fallback solves (none above the dense limit) multiply one at a time.
        public void Multiply(double[] x, double[] y) => Multiply([x], [y]);

        public void Multiply(double[][] x, double[][] y)
        {
            int d = Size;
            var xs = BlockProduct.Pack(x, out int width);
            var zs = new double[(long)d * width];
            var ys = new double[(long)d * width];
            int groups = (d + BlockProduct.TileRows - 1) / BlockProduct.TileRows;
            // Z = S L X: rows i0..i0+7 of L are zero beyond column i0+7.
            Parallel.For(0, groups, g =>
            {
                int i0 = g * BlockProduct.TileRows, rows = Math.Min(BlockProduct.TileRows, d - i0);
                BlockProduct.Rows(lower, d, i0, rows, 0, Math.Min(d, i0 + BlockProduct.TileRows), xs, zs, width);
                for (int r = 0; r < rows; r++)
                    TensorPrimitives.Multiply<double>(zs.AsSpan((i0 + r) * width, width), signs[i0 + r], zs.AsSpan((i0 + r) * width, width));
            });
            // Y = Lᵀ Z: rows j0..j0+7 of Lᵀ are zero before column j0.
            Parallel.For(0, groups, g =>
            {
                int j0 = g * BlockProduct.TileRows;
                BlockProduct.Rows(upper, d, j0, Math.Min(BlockProduct.TileRows, d - j0), j0, d, zs, ys, width);
            });
            BlockProduct.Unpack(ys, width, y);
        }
    }
}
