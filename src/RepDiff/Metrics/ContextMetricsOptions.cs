using RepDiff.Options;

namespace RepDiff.Metrics;

/// <summary>Options of `repdiff metrics` (docs/methods/METHODS.md §6, context measures).</summary>
public sealed record ContextMetricsOptions : GivenOptions
{
    [Option("random seed of the subsets and folds", Min = 0, Max = Methods.MethodOptions.MaxSeed)]
    public int Seed { get; init; }

    [Option("k of mutual k-NN alignment (at most n − 2: with n − 1 every other sample is a neighbour)", Min = 1, Max = 1000)]
    public int Neighbours { get; init; } = 10;

    [Option("mutual k-NN (exact, O(n²·d)) on a seeded random subset above this many samples", Min = 2, Max = 100_000)]
    public int KnnMaxSamples { get; init; } = MutualKnn.DefaultMaxSamples;

    [Option("RBF CKA (n×n Gram matrices) on a seeded random subset above this many samples", Min = 2, Max = Cka.MaxRbfSamples)]
    public int RbfMaxSamples { get; init; } = Cka.DefaultRbfMaxSamples;

    [Option("linear probes on a seeded random subset above this many samples", Min = 2, Max = 10_000_000)]
    public int ProbeMaxSamples { get; init; } = 20000;

    [Option("cross-validation folds of the linear probes (with labels)", Min = 2, Max = 100)]
    public int Folds { get; init; } = 5;

    [Option("optimizer iterations of each linear probe", Min = 1, Max = 100_000)]
    public int ProbeMaxIterations { get; init; } = 100;

    [Option("fit the linear probes when labels are given (the slowest part for large n)")]
    public bool Probes { get; init; } = true;
}
