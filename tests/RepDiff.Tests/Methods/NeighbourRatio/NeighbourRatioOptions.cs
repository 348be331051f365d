using RepDiff.Methods;
using RepDiff.Options;

namespace RepDiff.Tests.Methods.NeighbourRatio;

public enum NeighbourScale { Mean, Max }

/// <summary>The options of the test-only method: the record is all a method declares to get its flags.</summary>
public sealed record NeighbourRatioOptions : MethodOptions
{
    [Option("neighbours whose distances are compared", Min = 1, Max = 100)]
    public int Neighbours { get; init; } = 5;

    [Option("concepts per direction", Min = 1, Max = 50)]
    public int Concepts { get; init; } = 2;

    [Option("members per concept", Min = 2, Max = 1000)]
    public int Members { get; init; } = 12;

    [Option("members shown per concept", Min = 2, Max = 100)]
    public int GridSize { get; init; } = 6;

    [Option("how a sample's neighbour distances are summarized")]
    public NeighbourScale Scale { get; init; } = NeighbourScale.Mean;
}
