using RepDiff.Options;

namespace RepDiff.Methods.Baselines;

/// <summary>Options of the k-means baseline (docs/methods/METHODS.md §6).</summary>
public sealed record KMeansOptions : BaselineOptions
{
    [Option("k-means++ restarts; the lowest inertia is kept", Min = 1, Max = 1000)]
    public int Restarts { get; init; } = 10;

    [Option("Lloyd iterations per restart", Min = 1, Max = 100_000)]
    public int MaxIterations { get; init; } = 300;

    [Option("stop when the centroids move less than this (relative)", Min = 0, Max = 1)]
    public double Tolerance { get; init; } = 1e-6;
}
