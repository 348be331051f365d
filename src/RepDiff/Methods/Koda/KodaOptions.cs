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

    [Option("auto (the features route for the cosine kernel above 1,500 samples and twice as many samples as features), exact (n×n kernels) or features (cosine kernel: the normalized rows; linear in n)")]
    public KodaRoute Route { get; init; } = KodaRoute.Auto;

    [Option("rows read at a time on the features route", Min = 1, Max = 1_000_000)]
    public int BatchRows { get; init; } = 4096;

    /// <summary>Largest n the automatic route computes with n×n kernels.</summary>
    public const int AutoExactLimit = 1500;

    /// <inheritdoc/>
    public override MethodOptions ForPartOfTheSamples(MethodOptions resolved) => this with { Route = ((KodaOptions)resolved).Route };

    /// <inheritdoc/>
    public override IEnumerable<UnreadOption> UnreadOptions()
    {
        var unread = new List<UnreadOption>();
        if (Kernel != KernelKind.Gaussian)
            unread.AddRange([UnreadOption.BandwidthOf(nameof(SigmaA), Kernel), UnreadOption.BandwidthOf(nameof(SigmaB), Kernel)]);
        if (Route == KodaRoute.Exact)
            unread.Add(new(nameof(BatchRows), $"is an option of --route features (the cosine kernel's; --route auto takes it above {AutoExactLimit:N0} samples); this run takes the exact route, which does not read it"));
        return unread;
    }
}

/// <summary>
/// How KODA computes its kernels (docs/methods/METHODS.md §5: the feature route of §3 applies unchanged). Features only
/// for the cosine kernel: random Fourier features approximate the Gaussian kernel to about 1/√r, far above the small
/// eigenvalues among which the default ε lies (on the planted fixture ε came out 5e-8 against the exact 1.4e-6).
/// </summary>
public enum KodaRoute
{
    Auto,
    Exact,
    Features,
}
