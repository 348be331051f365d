namespace RepDiff;

/// <summary>What is known about each sample besides its embeddings. Every array has one entry per sample.</summary>
public sealed class SampleInfo
{
    public string[]? Ids { get; init; }
    public SampleLabels? Labels { get; init; }
    public ImageSet? Images { get; init; }
    public string[]? Texts { get; init; }

    public void CheckCount(int n)
    {
        Check("ids", Ids?.Length, n);
        Check("labels", Labels?.Codes.Length, n);
        Check("images", Images?.Count, n);
        Check("texts", Texts?.Length, n);
    }

    private static void Check(string what, int? count, int n)
    {
        if (count is int c && c != n)
            throw new RepDiffInputException($"{what}: {c} entries for {n} samples; there must be one per sample");
    }
}
