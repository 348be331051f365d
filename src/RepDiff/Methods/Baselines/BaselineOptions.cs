using RepDiff.Options;

namespace RepDiff.Methods.Baselines;

/// <summary>What every baseline shows: how many concepts per representation and how many members in a grid.</summary>
public abstract record BaselineOptions : MethodOptions
{
    [Option("concepts per representation", Min = 1, Max = 1000)]
    public int Concepts { get; init; } = 5;

    // At least two, as RDX's and the given groups': BSR scores the pairs of a grid, so a grid of one was left unscored while
    // the finding still said the model "ranks the samples shown for five groups" nearer (spec --grid-size 1).
    [Option("members shown per concept (at least 2: a grid of one sample has no pairs to score)", Min = 2, Max = 1000)]
    public int GridSize { get; init; } = 9;
}
