using RepDiff.Options;
using RepDiff.Spectral;

namespace RepDiff.Methods.Koda;

/// <summary>Options of KODA (docs/methods/METHODS.md §5). A null epsilon means the median nonzero eigenvalue of the constraining kernel.</summary>
public sealed record KodaOptions : ModeOptions
{
    [Option("kernel of both representations")]
    public KernelKind Kernel { get; init; } = KernelKind.Gaussian;

    [Option("Gaussian bandwidth of A (default: median pairwise distance)", Min = 0, MinExclusive = true)]
    public double? SigmaA { get; init; }

    [Option("Gaussian bandwidth of B (default: median pairwise distance)", Min = 0, MinExclusive = true)]
    public double? SigmaB { get; init; }

    [Option("bound on the other kernel's quadratic form (default: median nonzero eigenvalue of that kernel / n)", Min = 0, MinExclusive = true)]
    public double? Epsilon { get; init; }

    [Option("most steps shrinking the bracket for λ (each an eigensolve)", Min = 1, Max = 200)]
    public int BisectionSteps { get; init; } = 20;

    [Option("the search for λ stops once its bracket is this fraction of λ wide", Min = 0, MinExclusive = true, Max = 1)]
    public double LambdaTolerance { get; init; } = 1e-3;

    /// <inheritdoc/>
    public override IEnumerable<UnreadOption> UnreadOptions() => Kernel == KernelKind.Gaussian ? []
        : [UnreadOption.BandwidthOf(nameof(SigmaA), Kernel), UnreadOption.BandwidthOf(nameof(SigmaB), Kernel)];
}
