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

    /// <param name="gram">G (D×D, row-major; consumed: it is overwritten by its Cholesky factor).</param>
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
        double trace = 0;
        for (int i = 0; i < d; i++) trace += gram[(long)i * d + i];
        var l = Cholesky.FactorInPlace(gram, d, jitter, out double shift);  // G is consumed: L takes its storage
        zero = Math.Max(zero, JitterBound(shift, trace, signs));
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
            modes = SignedEigen.Solve(new ThetaOperator(l, signs), k, zero, seed, progress);
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
    /// How far the factor's jitter can move Θ's eigenvalues, so no smaller one is taken for a mode. L Lᵀ = G + δI, and Θ has
    /// the eigenvalues of (G + δI)^½ S (G + δI)^½, while G's own are those of G^½ S G^½; both symmetric, so by Weyl they differ
    /// by at most ‖S‖(2√δ ‖G‖^½ + δ), as ‖(G + δI)^½ − G^½‖ ≤ √δ. ‖G‖ ≤ trace G, for G is semi-definite. Where the two blocks
    /// nearly coincide (a set against itself) S G is nearly nilpotent and the shift comes close to that bound: FINC's kernel of
    /// 2 + 2 equal rows under the jitter 1e-10 made eigenvalues of 9e-6 against a bound of 2e-5 and a fixed zero of 2e-6.
    /// </summary>
    internal static double JitterBound(double shift, double trace, double[] signs)
    {
        double s = signs.Length == 0 ? 0 : signs.Max(Math.Abs);
        return s * (2 * Math.Sqrt(shift * Math.Max(trace, 0)) + shift);
    }

    /// <summary>
    /// y = Lᵀ S L x without forming Θ: O(D²) per vector, bound by reading L. Each group of eight rows of L is read
    /// once per block of vectors for both products: z = S L_rows X, then Y += L_rowsᵀ z (see <see cref="BlockLanczos"/>).
    /// </summary>
    private sealed class ThetaOperator(double[] l, double[] signs) : IBlockSymmetricOperator
    {
        /// <summary>
        /// Row groups are split into this many runs of about equal work (L is triangular), each adding its Lᵀ z into a
        /// sum of its own; the sums are added in run order. A fixed count, not one per core, so the bits of every
        /// product are the same whatever the core count or thread timing.
        /// </summary>
        private const int Runs = 8;

        private readonly int[] runStart = RunStarts(signs.Length);
        private double[] xs = [], zs = [];
        private readonly double[][] sums = new double[Runs][];

        public int Size => signs.Length;

        // Above the dense limit L is D² doubles read once per product; a block of vectors reads it once for all of them.
        public bool BlocksPayOff => true;

        // A single vector is a block of one: only fallback solves (none above the dense limit) multiply one at a time.
        public void Multiply(double[] x, double[] y) => Multiply([x], [y]);

        public void Multiply(double[][] x, double[][] y)
        {
            int d = Size, width = BlockProduct.PackedWidth(x.Length);
            // Buffers kept between products: fresh ones cost a page fault per 4 KB page on every product.
            if (xs.Length != (long)d * width)
            {
                xs = new double[(long)d * width];
                zs = new double[(long)d * width];
                for (int r = 0; r < Runs; r++) sums[r] = new double[(long)d * width];
            }
            BlockProduct.Pack(x, xs);
            Parallel.For(0, Runs, r =>
            {
                // Run r's rows reach columns [0, its last row]: only that part of its sum is written. Run 0's sum
                // becomes Y, so it is cleared whole.
                int first = runStart[r], last = runStart[r + 1];
                var sum = sums[r];
                Array.Clear(sum, 0, (r == 0 ? d : last) * width);
                for (int i0 = first; i0 < last; i0 += BlockProduct.TileRows)
                {
                    int rows = Math.Min(BlockProduct.TileRows, d - i0), end = i0 + rows;
                    // z = S L_rows X: rows i0.. of L are zero beyond column end − 1.
                    BlockProduct.Rows(l, d, i0, rows, 0, end, xs, zs, width);
                    for (int t = i0; t < end; t++) TensorPrimitives.Multiply<double>(zs.AsSpan(t * width, width), signs[t], zs.AsSpan(t * width, width));
                    BlockProduct.AddTransposedRows(l, d, i0, rows, end, zs, sum, width);
                }
            });
            // Y = Σ_r sum_r, in run order, rows split over cores (each row's order is the same however they are split).
            var ys = sums[0];
            Parallel.For(0, (d + 255) / 256, chunk =>
            {
                int j0 = chunk * 256, j1 = Math.Min(d, j0 + 256);
                for (int r = 1; r < Runs; r++)
                {
                    int to = Math.Min(j1, runStart[r + 1]);
                    if (to > j0) TensorPrimitives.Add<double>(ys.AsSpan(j0 * width, (to - j0) * width), sums[r].AsSpan(j0 * width, (to - j0) * width), ys.AsSpan(j0 * width, (to - j0) * width));
                }
            });
            BlockProduct.Unpack(ys, width, y);
        }

        // Run boundaries at multiples of the tile height splitting the triangle's area evenly (the work of rows [0, i) grows as i²).
        private static int[] RunStarts(int d)
        {
            var starts = new int[Runs + 1];
            for (int r = 1; r < Runs; r++)
                starts[r] = Math.Min(d, (int)(d * Math.Sqrt((double)r / Runs)) / BlockProduct.TileRows * BlockProduct.TileRows);
            starts[Runs] = d;
            return starts;
        }
    }
}
