namespace RepDiff.IO;

/// <summary>
/// The archives of a command's inputs (.npz, .safetensors, .pt, .h5, and a table's columns), each opened once, by its path,
/// for the questions asked before the pair is read (which array a key picks: <see cref="PairSpec.RefuseSameInput"/>,
/// evaluate's swapped-input checks) and handed to the pair's readers (<see cref="Embeddings.Open"/>), which had opened each
/// file again. The caller disposes them; rows opened through one stay readable after.
/// </summary>
public sealed class InputArchives(Func<EmbeddingInput, ArrayArchive?>? open = null) : IDisposable
{
    private readonly Func<EmbeddingInput, ArrayArchive?> open = open ?? ArrayArchive.Open;
    private readonly Dictionary<string, ArrayArchive?> opened = new(StringComparer.Ordinal);

    /// <summary>The input's archive, opened on first use; null when its format holds one array. A file that does not open throws, and is tried again when asked again.</summary>
    public ArrayArchive? Of(EmbeddingInput input)
    {
        if (!opened.TryGetValue(input.Path, out var archive))
            opened[input.Path] = archive = open(input);
        return archive;
    }

    /// <summary>The paths whose archive a reader has read rows through.</summary>
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    /// <summary>
    /// The input's archive for a reader if a question has opened it already, else null (nothing is opened here). One reader
    /// per archive: A and B of one file (two keys) each read through a file of their own, as they had, since their rows
    /// may be read at once from two threads.
    /// </summary>
    internal ArrayArchive? ForReader(EmbeddingInput input) =>
        opened.GetValueOrDefault(input.Path) is { } archive && read.Add(input.Path) ? archive : null;

    public void Dispose()
    {
        foreach (var archive in opened.Values) archive?.Dispose();
        opened.Clear();
        read.Clear();
    }
}
