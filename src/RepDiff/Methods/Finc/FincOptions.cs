using RepDiff.Options;

namespace RepDiff.Methods.Finc;

/// <summary>Options of FINC (docs/methods/METHODS.md §4). A null sigma means the median rule on both sets pooled.</summary>
public sealed record FincOptions : ModeOptions
{
    [Option("weight of the reference covariance in C_test − eta C_ref", Min = 0, MinExclusive = true, Max = 1e6)]
    public double Eta { get; init; } = 1.0;

    [Option("Gaussian bandwidth shared by both sets (default: median pairwise distance of the pooled rows)", Min = 0, MinExclusive = true)]
    public double? Sigma { get; init; }

    [Option("random Fourier frequencies (rff route)", Min = 1, Max = MaxRffDim)]
    public int RffDim { get; init; } = 3000;

    /// <summary>The most <see cref="RffDim"/> takes.</summary>
    internal const int MaxRffDim = 100_000;

    [Option("shared frequencies (.npy, d × r, already divided by sigma), e.g. omega.npy of an earlier run", IsFile = true)]
    public string? Omega { get; init; }

    // auto as FincMethod.Resolve resolves it, with AutoExactLimit written out (an attribute takes no formatted number).
    [Option("auto (exact up to 3,000 rows of TEST and REF together, rff above them or when --omega is given), exact (pooled n×n kernel) or rff (streams the rows)")]
    public FincRoute Route { get; init; } = FincRoute.Auto;

    [Option("rows read at a time on the rff route", Min = 1, Max = 1_000_000)]
    public int BatchRows { get; init; } = 4096;

    /// <inheritdoc/>
    public override MethodOptions ForPartOfTheSamples(MethodOptions resolved) => this with { Route = ((FincOptions)resolved).Route };

    /// <inheritdoc/>
    public override IEnumerable<UnreadOption> UnreadOptions()
    {
        if (Route == FincRoute.Exact)
            return new[] { nameof(RffDim), nameof(Omega), nameof(BatchRows) }.Select(property => UnreadOption.OffExactRoute(property, "rff", AutoExactLimit));
        return Omega is null ? [] : [UnreadOption.BesideFrequencyFiles(nameof(Sigma), "--omega"), UnreadOption.BesideFrequencyFiles(nameof(RffDim), "--omega")];
    }

    /// <summary>Largest n_test + n_ref the automatic route computes with the exact kernel.</summary>
    public const int AutoExactLimit = 3000;
}
