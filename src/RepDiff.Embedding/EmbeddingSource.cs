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
        var images = SampleFiles.LoadImages(Path, eachImageOnce: true);  // each image is a sample, named by its path
        if (images.Paths is null) return (images, Enumerable.Range(0, images.Count).Select(i => i.ToString()).ToArray());
        var ids = images.FileNames!; // what the report and export name these images by too
        // The ids file holds one id per line: a name with a line break would shift every id after it.
        int broken = Array.FindIndex(ids, id => id.AsSpan().ContainsAny('\n', '\r'));
        if (broken >= 0)
            throw RepDiffInputException.ForFile(images.Paths[broken], "its name holds a line break, which the ids file (one id per line) cannot hold; rename it");
        return (images, ids);
    }

    public (string[] Texts, string[] Ids) LoadTexts()
    {
        FileKind.RequireRegular(Path);
        // Through the shared reader (a line's length capped), strictly: invalid UTF-8 is an error naming the line.
        var (texts, numbers, recordIds) = SampleFiles.LoadNumberedTexts(Path, TextField, readIds: true);
        if (texts.Length == 0) throw RepDiffInputException.ForFile(Path, "holds no texts");
        // Blank lines are embedded (row i stays line i for the texts shown beside the rows), but a file of nothing
        // else gave as many copies of the empty text's embedding, with no word said.
        if (texts.All(string.IsNullOrWhiteSpace)) throw RepDiffInputException.ForFile(Path, $"holds no texts: its {texts.Length} {(texts.Length == 1 ? "text is" : "texts are")} all blank");
        // JSON Lines records with an "id" field are named by it (as datasets export them); other texts by their line numbers.
        return (texts, recordIds ?? numbers.Select(n => n.ToString()).ToArray());
    }
}
