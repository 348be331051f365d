using RepDiff.Options;

namespace RepDiff.Methods.Baselines;

/// <summary>Options of the NMF baseline (docs/methods/METHODS.md §6).</summary>
public sealed record NmfOptions : BaselineOptions
{
    [Option("nmf for non-negative inputs, semi-nmf for any; auto picks per representation")]
    public NmfVariant Variant { get; init; } = NmfVariant.Auto;

    [Option("multiplicative-update rounds at most", Min = 1, Max = 100_000)]
    public int MaxIterations { get; init; } = 200;

    [Option("stop when the loss changes by less than this (relative)", Min = 0, Max = 1)]
    public double Tolerance { get; init; } = 1e-4;
}
