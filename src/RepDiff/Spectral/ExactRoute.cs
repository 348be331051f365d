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
    public static SpectralModes Solve(IReadOnlyList<WeightedKernel> kernels, SignedProblem problem, string property, string scalableValue,
        IProgress<ProgressUpdate>? progress, Dictionary<string, double> timings)
    {
        int n = kernels[0].Rows.Rows;
        SampleKernels.CheckMemory(n, property, scalableValue);
        var clock = Stopwatch.StartNew();
        var lambda = DenseMemory.Zeroed((long)n * n);
        for (int k = 0; k < kernels.Count; k++)
        {
            progress.Report("kernels", (double)k / kernels.Count);
            kernels[k].AddTo(lambda);
        }
        progress.Report("kernels", 1);
        timings["kernels"] = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var modes = SignedEigen.Solve(lambda, n, problem.Concepts, problem.Zero, problem.Seed, progress);
        timings["eigen"] = clock.Elapsed.TotalSeconds;
        double[][] vectors = [.. modes.PositiveVectors, .. modes.NegativeVectors];
        var function = KernelExpansion.Of(kernels, kernels.Select(k => k.Rows.ReadAll()).ToArray(), vectors, [.. modes.PositiveValues, .. modes.NegativeValues]);
        return new SpectralModes(modes, ModeMembers.FromVectors(vectors, problem.Members), function);
    }
}
