using RepDiff.Options;
using RepDiff.Spectral;

namespace RepDiff.Methods.Spec;

/// <summary>Options of SPEC (docs/methods/METHODS.md §3). Null bandwidths mean the median rule.</summary>
public sealed record SpecOptions : ModeOptions
{
    [Option("kernel of both representations")]
    public KernelKind Kernel { get; init; } = KernelKind.Gaussian;

    [Option("weight of B's kernel in (K_A − eta K_B)/n", Min = 0, MinExclusive = true, Max = 1e6)]
    public double Eta { get; init; } = 1.0;

    [Option("Gaussian bandwidth of A (default: median pairwise distance)", Min = 0, MinExclusive = true)]
    public double? SigmaA { get; init; }

    [Option("Gaussian bandwidth of B (default: median pairwise distance)", Min = 0, MinExclusive = true)]
    public double? SigmaB { get; init; }

    // auto as SpecMethod.ResolvedRoute resolves it, with AutoExactLimit written out (an attribute takes no formatted number).
    [Option("auto (exact up to 5,000 samples, above them rff for the Gaussian kernel and features for the cosine; rff when --omega-a or --omega-b is given), exact (n×n kernels), features (cosine: the normalized rows; with the Gaussian kernel it is rff) or rff (Gaussian, random Fourier features; streams the rows)")]
    public SpecRoute Route { get; init; } = SpecRoute.Auto;

    [Option("random Fourier frequencies per representation (rff route)", Min = 1, Max = MaxRffDim)]
    public int RffDim { get; init; } = 3000;

    /// <summary>The most <see cref="RffDim"/> takes.</summary>
    internal const int MaxRffDim = 100_000;

    [Option("frequencies for A (.npy, d_A × r, already divided by sigma), e.g. omega_a.npy of an earlier run", IsFile = true)]
    public string? OmegaA { get; init; }

    [Option("frequencies for B (.npy, d_B × r, already divided by sigma)", IsFile = true)]
    public string? OmegaB { get; init; }

    [Option("ε added to the feature covariance before its Cholesky factor; 1e-7 reproduces the authors' code (0: equal to the exact route)", Min = 0, Max = 1)]
    public double CovarianceRidge { get; init; }

    [Option("rows read at a time on the streaming routes", Min = 1, Max = 1_000_000)]
    public int BatchRows { get; init; } = 4096;

    /// <inheritdoc/>
    public override MethodOptions ForPartOfTheSamples(MethodOptions resolved) => this with { Route = ((SpecOptions)resolved).Route };

    /// <inheritdoc/>
    public override IEnumerable<UnreadOption> UnreadOptions()
    {
        var unread = new List<UnreadOption>();
        if (Kernel != KernelKind.Gaussian)
        {
            unread.Add(UnreadOption.BandwidthOf(nameof(SigmaA), Kernel));
            unread.Add(UnreadOption.BandwidthOf(nameof(SigmaB), Kernel));
            // The cosine kernel's features are the rows themselves: there are no frequencies to draw or give.
            foreach (var property in new[] { nameof(RffDim), nameof(OmegaA), nameof(OmegaB) })
                unread.Add(new(property, "random Fourier features belong to the Gaussian kernel, not the cosine kernel"));
        }
        if (Route == SpecRoute.Exact)
        {
            foreach (var property in new[] { nameof(RffDim), nameof(OmegaA), nameof(OmegaB), nameof(CovarianceRidge), nameof(BatchRows) })
                if (!unread.Any(u => u.Property == property))
                    unread.Add(UnreadOption.OffExactRoute(property, Kernel == KernelKind.Gaussian ? "rff" : "features", AutoExactLimit));
        }
        else if (Kernel == KernelKind.Gaussian)
        {
            if (OmegaA is not null) unread.Add(UnreadOption.BesideFrequencyFiles(nameof(SigmaA), "--omega-a"));
            if (OmegaB is not null) unread.Add(UnreadOption.BesideFrequencyFiles(nameof(SigmaB), "--omega-b"));
            // Frequency files for both sides set their own count.
            if (OmegaA is not null && OmegaB is not null) unread.Add(UnreadOption.BesideFrequencyFiles(nameof(RffDim), "--omega-a and --omega-b"));
        }
        return unread;
    }

    /// <summary>Largest n the automatic route computes with exact n×n kernels.</summary>
    public const int AutoExactLimit = 5000;
}
