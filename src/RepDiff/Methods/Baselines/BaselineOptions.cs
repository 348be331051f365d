using RepDiff.Options;

namespace RepDiff.Methods.Baselines;

/// <summary>What every baseline shows: how many concepts per representation and how many members in a grid.</summary>
public abstract record BaselineOptions : MethodOptions
{
    [Option("concepts per representation", Min = 1, Max = 1000)]
    public int Concepts { get; init; } = 5;

    [Option(GridSizeDescription, Min = 2, Max = 1000)]
    public int GridSize { get; init; } = 9;
}
