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

    /// <returns>The texts, their ids, and a warning naming the blank ones (<see cref="BlankTextsNote"/>), or null.</returns>
    public (string[] Texts, string[] Ids, string? Note) LoadTexts()
    {
        FileKind.RequireRegular(Path);
        // Through the shared reader (a line's length capped), strictly: invalid UTF-8 is an error naming the line.
        var (texts, numbers, recordIds) = SampleFiles.LoadNumberedTexts(Path, TextField, readIds: true);
        if (texts.Length == 0) throw RepDiffInputException.ForFile(Path, "holds no texts");
        // Blank lines are embedded (row i stays line i for the texts shown beside the rows), but a file of nothing
        // else gave as many copies of the empty text's embedding, with no word said.
        if (texts.All(BlankTexts.IsBlank)) throw RepDiffInputException.ForFile(Path, $"holds no texts: its {texts.Length} {(texts.Length == 1 ? "text is" : "texts are")} all blank");
        // JSON Lines records with an "id" field are named by it (as datasets export them); other texts by their line numbers.
        return (texts, recordIds ?? numbers.Select(n => n.ToString()).ToArray(), BlankTextsNote(texts, numbers));
    }

    /// <summary>At most this many blank texts' lines are named; the count says how many there are.</summary>
    private const int BlankLinesNamed = 5;

    /// <summary>
    /// A warning naming the texts that are empty or only spaces, or null when there are none. They are embedded, as the
    /// empty text (what sentence-transformers gives for ""), and keep their rows: the ids are line numbers a user may join
    /// on. But a blank line among texts is more often a slip than a sample, so it is said, with how to leave them out.
    /// The empty lines at a file's end are no texts at all (<see cref="SampleFiles.LoadTexts"/>).
    /// </summary>
    private string? BlankTextsNote(string[] texts, int[] lineNumbers)
    {
        var named = new List<int>(BlankLinesNamed);
        int blank = 0;
        for (int i = 0; i < texts.Length; i++)
            if (BlankTexts.IsBlank(texts[i]) && ++blank <= BlankLinesNamed) named.Add(lineNumbers[i]);
        if (blank == 0) return null;
        string lines = (blank == 1 ? "line " : "lines ") + string.Join(", ", named) + (blank > named.Count ? ", …" : "");
        // Written beside the file, never over it: `grep ... texts.txt > texts.txt` would empty it.
        string nonblank = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path) ?? "",
            System.IO.Path.GetFileNameWithoutExtension(Path) + ".nonblank" + System.IO.Path.GetExtension(Path));
        string leaveOut = SampleFiles.IsJsonLines(Path, TextField) ? "remove those records"
            : $"{BlankTexts.GrepLeavingOut(Path)} > {ShellWord.Of(nonblank)} (the ids, line numbers, are then those of that file)";
        return $"{Path}: {blank:N0} of {texts.Length:N0} texts {(blank == 1 ? "is" : "are")} empty or only spaces ({lines}); "
            + $"{(blank == 1 ? "it is" : "each is")} embedded as the empty text, keeping its row and id; to leave them out: {leaveOut}";
    }
}
