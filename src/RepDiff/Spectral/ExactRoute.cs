using System.Diagnostics;
using RepDiff.Numerics;

namespace RepDiff.Spectral;

/// <summary>
/// The exact route of the spectral methods: Λ = Σ w_k K_k as an n×n float64 matrix, its signed
/// eigenpairs, and each mode's members read off the unit eigenvectors.
/// </summary>
internal static class ExactRoute
{
    /// <param name="property">The option that leads to a linear route, named when n×n does not fit.</param>
    /// <param name="scalableValue">Its value that does.</param>
    /// <param name="keep">Given the n×n operator once built (it is only read afterwards), for reruns that restrict it.</param>
    public static SpectralModes Solve(IReadOnlyList<WeightedKernel> kernels, SignedProblem problem, string property, string scalableValue,
        IProgress<ProgressUpdate>? progress, Dictionary<string, double> timings, Action<double[]>? keep = null)
    {
        int n = kernels[0].Rows.Rows;
        SampleKernels.CheckMemory(n, property, scalableValue, kernels.Sum(k => SampleKernels.RowBytes(k.Rows)));
        var clock = Stopwatch.StartNew();
        var lambda = Operator(kernels, progress);
        keep?.Invoke(lambda);
        timings["kernels"] = clock.Lap();
        var found = Solve(lambda, n, problem, progress);
        timings["eigen"] = clock.Elapsed.TotalSeconds;
        var modes = found.Modes;
        double[][] vectors = [.. modes.PositiveVectors, .. modes.NegativeVectors];
        return found with { Function = KernelExpansion.Of(kernels, kernels.Select(k => k.Rows.ReadAll()).ToArray(), vectors, [.. modes.PositiveValues, .. modes.NegativeValues]) };
    }

    /// <summary>Λ = Σ w_k K_k, n×n float64, row-major.</summary>
    public static double[] Operator(IReadOnlyList<WeightedKernel> kernels, IProgress<ProgressUpdate>? progress)
    {
        int n = kernels[0].Rows.Rows;
        var lambda = DenseMemory.Zeroed((long)n * n);
        for (int k = 0; k < kernels.Count; k++)
        {
            progress.Report("kernels", (double)k / kernels.Count);
            kernels[k].AddTo(lambda);
        }
        progress.Report("kernels", 1);
        return lambda;
    }

    /// <summary>The signed modes of an n×n operator and their members, without mode functions (stability reruns are never extended).</summary>
    public static SpectralModes Solve(double[] lambda, int n, SignedProblem problem, IProgress<ProgressUpdate>? progress)
    {
        var modes = SignedEigen.Solve(lambda, n, problem.Concepts, problem.Zero, problem.Seed, progress);
        return new SpectralModes(modes, ModeMembers.FromVectors([.. modes.PositiveVectors, .. modes.NegativeVectors], problem.Members), null);
    }

    /// <summary>
    /// The operator of the given rows (ascending) of an n×n one, times <paramref name="scale"/>: a kernel restricted to a
    /// subsample is the subsample's kernel, so reruns on subsets reuse the full run's kernels (scale n/m moves 1/n to 1/m).
    /// </summary>
    public static double[] Restrict(double[] lambda, int n, int[] rows, double scale)
    {
        int m = rows.Length;
        var result = DenseMemory.Zeroed((long)m * m);
        Parallel.For(0, m, p =>
        {
            long from = (long)rows[p] * n, to = (long)p * m;
            for (int q = 0; q < m; q++) result[to + q] = lambda[from + rows[q]] * scale;
        });
        return result;
    }
}
