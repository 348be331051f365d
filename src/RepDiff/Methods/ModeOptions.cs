using RepDiff.Options;

namespace RepDiff.Methods;

/// <summary>
/// Options every spectral method (SPEC, SPEC-align, KODA, FINC) shares, declared once so they read the
/// same in every command: how many modes become concepts, and how many members each has and shows.
/// </summary>
public abstract record ModeOptions : MethodOptions
{
    [Option("concepts (modes) per direction", Min = 1, Max = 1000)]
    public int Concepts { get; init; } = 10;

    [Option("members per concept", Min = 1, Max = 100_000)]
    public int Members { get; init; } = 50;

    // At least two, as RDX's and the given groups': BSR scores the pairs of a grid, so a grid of one was left unscored while
    // the finding still said the model "ranks the samples shown for five groups" nearer (spec --grid-size 1).
    [Option("members shown per concept (at least 2: a grid of one sample has no pairs to score)", Min = 2, Max = 1000)]
    public int GridSize { get; init; } = 9;
}
