using RepDiff;
using RepDiff.IO;

namespace RepDiff.Embedding;

/// <summary>
/// What `embed --images/--texts SRC` reads, with one id per sample: images from a folder (natural order),
/// a manifest or a .npy of pixel arrays (ids: paths relative to SRC's folder, or row numbers); texts one
/// per line or JSON Lines (ids: line numbers, from 1). Texts must be valid UTF-8.
/// </summary>
public sealed record EmbeddingSource(string Path, bool Texts, string? TextField = null)
{
    public (ImageSet Images, string[] Ids) LoadImages()
    {
        if (!File.Exists(Path) && !Directory.Exists(Path)) throw RepDiffInputException.ForFile(Path, "not found");
        var images = SampleFiles.LoadImages(Path);
        if (images.Paths is null) return (images, Enumerable.Range(0, images.Count).Select(i => i.ToString()).ToArray());
        string root = Directory.Exists(Path) ? System.IO.Path.GetFullPath(Path) : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        return (images, images.Paths.Select(p => System.IO.Path.GetRelativePath(root, p).Replace('\\', '/')).ToArray());
    }

    public (string[] Texts, string[] Ids) LoadTexts()
    {
        if (!File.Exists(Path)) throw RepDiffInputException.ForFile(Path, "not found");
        var lines = TextTokenizer.ReadStrictUtf8Lines(Path);
        var texts = SampleFiles.LoadTexts(Path, TextField);
        if (texts.Length == 0) throw RepDiffInputException.ForFile(Path, "holds no texts");
        bool jsonLines = TextField is not null || System.IO.Path.GetExtension(Path).ToLowerInvariant() is ".jsonl" or ".ndjson";
        var ids = jsonLines
            ? Enumerable.Range(0, lines.Count).Where(i => !string.IsNullOrWhiteSpace(lines[i])).Select(i => (i + 1).ToString()).ToArray()
            : Enumerable.Range(1, texts.Length).Select(i => i.ToString()).ToArray();
        if (ids.Length != texts.Length) throw RepDiffInputException.ForFile(Path, "line endings that split lines differently from the text reader; save it with \\n line endings");
        return (texts, ids);
    }
}
