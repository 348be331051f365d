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

    [Option(GridSizeDescription, Min = 2, Max = 1000)]
    public int GridSize { get; init; } = 9;
}
