namespace RepDiff.Embedding;

/// <summary>An input left out by --skip-unreadable: its position in the input, its name and why (without its name).</summary>
public sealed record SkippedSample(int Index, string Name, string Reason)
{
    /// <summary>
    /// The input <paramref name="name"/> left out for <paramref name="failure"/>: the reason without the name the message begins
    /// with, which the list's line gives before it (each line had named the path twice: "/x/a.png\t/x/a.png: not a …").
    /// </summary>
    public static SkippedSample Of(int index, string name, RepDiffInputException failure) =>
        new(index, name, failure.FileName == name && failure.Message.StartsWith($"{name}: ", StringComparison.Ordinal)
            ? failure.Message[(name.Length + 2)..] : failure.Message);
}
