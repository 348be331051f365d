namespace RepDiff.Embedding;

/// <summary>An input left out by --skip-unreadable: its position in the input, its name and why.</summary>
public sealed record SkippedSample(int Index, string Name, string Reason);
