using RepDiff.Numerics;

namespace RepDiff.Spectral;

internal static class SignedEigen
{
    /// <summary>
    /// Matrices up to this size are decomposed densely; larger ones use Lanczos for the needed pairs only. The full
    /// QL decomposition is O(n³) with all eigenvectors: at n = 1,000 it took 1.5 CPU-s where Lanczos takes 0.15–0.2 s
    /// (1,500 had made SPEC's held-out validation at n = 2,000 cost four times its method).
    /// </summary>
    public const int DenseLimit = 400;

    /// <summary>
    /// Eigenvalues are classed by sign; those within <paramref name="zero"/> of 0 are numerical zeros,
    /// not modes (so exact cancellation, A == B, gives none).
    /// </summary>
    public static SignedModes Solve(double[] a, int n, int k, double zero, int seed, IProgress<ProgressUpdate>? progress)
    {
        k = Math.Min(k, n);
        if (n <= DenseLimit)
        {
            progress.Report("eigendecomposition", 0);
            var all = SymmetricEigen.Decompose(a, n);
            progress.Report("eigendecomposition", 1);
            // The k largest and k smallest, without counting an index twice when n < 2k.
            var computed = Enumerable.Range(0, k).Concat(Enumerable.Range(Math.Max(k, n - k), n - Math.Max(k, n - k))).ToArray();
            // Modes come from their own end only, as from Lanczos: with fewer than k positive eigenvalues the k largest
            // hold negative ones too, which had been added to the k smallest (FINC of 1 row against 80 gave 19 modes for 10).
            var pos = Enumerable.Range(0, k).Where(i => all.Values[i] > zero).ToArray();
            var neg = Enumerable.Range(n - k, k).Reverse().Where(i => all.Values[i] < -zero).ToArray();
            return new SignedModes(pos.Select(i => all.Values[i]).ToArray(), pos.Select(i => all.Vectors[i]).ToArray(),
                neg.Select(i => all.Values[i]).ToArray(), neg.Select(i => all.Vectors[i]).ToArray(),
                computed.Select(i => all.Values[i]).ToArray());
        }
        return Solve(new DenseSymmetricOperator(a, n), k, zero, seed, progress);
    }

    public static SignedModes Solve(ISymmetricOperator op, int k, double zero, int seed, IProgress<ProgressUpdate>? progress)
    {
        k = Math.Min(k, op.Size);
        var (top, bottom) = op is IBlockSymmetricOperator { BlocksPayOff: true } block
            ? BlockLanczos.SolveBothEnds(block, k, seed, progress: Stage(progress, "eigenpairs"))
            : Lanczos.SolveBothEnds(op, k, seed, progress: Stage(progress, "eigenpairs"));
        var pos = Enumerable.Range(0, top.Values.Length).Where(i => top.Values[i] > zero).ToArray();
        var neg = Enumerable.Range(0, bottom.Values.Length).Where(i => bottom.Values[i] < -zero).ToArray();
        return new SignedModes(pos.Select(i => top.Values[i]).ToArray(), pos.Select(i => top.Vectors[i]).ToArray(),
            neg.Select(i => bottom.Values[i]).ToArray(), neg.Select(i => bottom.Vectors[i]).ToArray(),
            top.Values.Concat(bottom.Values.Reverse()).ToArray())
        {
            // Only modes can be approximate: an end whose eigenvalues are all round-off (a set against itself) had made
            // the whole run warn that its modes might be, with none reported.
            Converged = (pos.Length == 0 || top.Converged) && (neg.Length == 0 || bottom.Converged),
        };
    }

    /// <summary>
    /// The numerical-zero threshold for an operator W1·K1 − W2·K2 whose kernels are bounded by 1
    /// (Gaussian, cosine, Fourier features), so its norm is at most w1 + w2. The kernels are built from float32
    /// products, whose entries carry relative errors near 1e-7 (the same rows in two places of one product can round
    /// differently): FINC of a set against itself found ten "modes" near 1e-7 under the double-precision 1e-12. Below
    /// 1e-6 of the norm's bound a mode is round-off.
    /// </summary>
    public static double ZeroThreshold(double weights) => 1e-6 * weights;

    private static IProgress<ProgressUpdate>? Stage(IProgress<ProgressUpdate>? progress, string stage) =>
        progress is null ? null : new RenamedProgress(progress, _ => stage);
}
