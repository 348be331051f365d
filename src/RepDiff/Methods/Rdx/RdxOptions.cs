using System.Text.Json.Serialization;
using RepDiff.Options;

namespace RepDiff.Methods.Rdx;

/// <summary>Every RDX setting; defaults are docs/methods/METHODS.md §1's.</summary>
public sealed record RdxOptions : MethodOptions
{
    [Option("how distances are made comparable across the two models")]
    public RdxDistance Distance { get; init; } = RdxDistance.Neighborhood;

    [Option("how the two models' comparable distances are compared")]
    public RdxDifference Difference { get; init; } = RdxDifference.LocallyBiased;

    [Option("divide the standard difference by its largest magnitude")]
    public bool NormalizeDifference { get; init; }

    // exp(beta G) must stay a finite float32: beta times the largest |G| at most 80, which RdxMethod checks. Above 80 only
    // differences under 1 pass (a small --gamma), so the range's 10000 alone had promised what the default difference refuses.
    [Option("affinity sharpness: M = exp(-beta G); beta times the largest difference may be at most 80 (float32), so above 80 only with a small --gamma", Min = 0, MinExclusive = true, Max = 1e4)]
    public double Beta { get; init; } = 5;

    [Option("locally-biased difference scale (default 80/n)", Min = 0, MinExclusive = true, Max = 1e6)]
    public double? Gamma { get; init; }

    [Option("concepts (clusters) per direction; the null cluster comes on top", Min = 1, Max = 1000)]
    public int Concepts { get; init; } = 5;

    [Option("spectral clustering adds a null cluster for the least coherent samples (false: exactly k clusters)")]
    public bool NullCluster { get; init; } = true;

    [Option("how the affinity is split into concepts")]
    public RdxClustering Clustering { get; init; } = RdxClustering.Spectral;

    [Option("which members of a concept are shown")]
    public RdxGrid Grid { get; init; } = RdxGrid.MaxAffinity;

    [Option("members shown per concept", Min = 2, Max = 1000)]
    public int GridSize { get; init; } = 9;

    [Option("run on a seeded subsample of at most this many rows (stratified by labels when given)", Min = 2)]
    public int? MaxSamples { get; init; }

    [Option("first learn affine maps that maximize debiased linear CKA between the representations")]
    public bool Align { get; init; }

    [Option("labels file (one per sample): explain only differences within each label", IsFile = true)]
    public string? GuideLabels { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<UnreadOption> UnreadOptions()
    {
        // Each difference reads only its own setting.
        if (Difference == RdxDifference.Standard)
            yield return new(nameof(Gamma), "scales the locally-biased difference; --difference standard does not read it");
        else yield return new(nameof(NormalizeDifference), "applies to --difference standard; the locally-biased difference is already within (−1, 1)");
        if (Clustering != RdxClustering.Spectral)
            yield return new(nameof(NullCluster), "applies to spectral clustering only; pagerank and eigencentrality always leave the unassigned samples in the null cluster");
    }

    /// <summary>Neighbour index s of local scaling (self at 0).</summary>
    public const int LocalScalingNeighbor = 7;

    /// <summary>The locally-biased difference scale when none is given: 80 / n.</summary>
    public static double DefaultGamma(int n) => 80.0 / n;
}
