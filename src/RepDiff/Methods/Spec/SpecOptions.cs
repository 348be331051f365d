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

    [Option("auto, exact (n×n kernels), features (cosine) or rff (Gaussian, random Fourier features; streams the rows)")]
    public SpecRoute Route { get; init; } = SpecRoute.Auto;

    [Option("random Fourier frequencies per representation (rff route)", Min = 1, Max = 100_000)]
    public int RffDim { get; init; } = 3000;

    [Option("frequencies for A (.npy, d_A × r, already divided by sigma), e.g. omega_a.npy of an earlier run", IsFile = true)]
    public string? OmegaA { get; init; }

    [Option("frequencies for B (.npy, d_B × r, already divided by sigma)", IsFile = true)]
    public string? OmegaB { get; init; }

    [Option("ε added to the feature covariance before its Cholesky factor; 1e-7 reproduces the authors' code (0: equal to the exact route)", Min = 0, Max = 1)]
    public double CovarianceRidge { get; init; }

    [Option("rows read at a time on the streaming routes", Min = 1, Max = 1_000_000)]
    public int BatchRows { get; init; } = 4096;

    /// <inheritdoc/>
    public override IEnumerable<string> UnreadOptions()
    {
        if (Route == SpecRoute.Exact) return [nameof(RffDim), nameof(OmegaA), nameof(OmegaB), nameof(CovarianceRidge), nameof(BatchRows)];
        // The cosine features have no frequencies; frequency files for both sides set their own count.
        if (Kernel == KernelKind.Cosine) return [nameof(RffDim), nameof(OmegaA), nameof(OmegaB)];
        return OmegaA is not null && OmegaB is not null ? [nameof(RffDim)] : [];
    }

    /// <summary>Largest n the automatic route computes with exact n×n kernels.</summary>
    public const int AutoExactLimit = 5000;
}
