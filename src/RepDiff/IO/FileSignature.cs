using System.IO.Compression;
using System.Text;
using System.Text.Unicode;

namespace RepDiff.IO;

/// <summary>
/// What a file is by its first bytes: the one place that tells content by its signature (magic number), for the embedding
/// formats RepDiff reads (<see cref="EmbeddingFormat.Reading"/>: a binary format's signature decides over the extension)
/// and for content of none (<see cref="Foreign"/>): text, an HTML page, a compressed or empty file, a zip of other files,
/// MATLAB's own format, Feather 1, a bare pickle. Each such file had reached the reader its extension named, which said
/// what it missed ("safetensors header claims 3472328296311436333 bytes", "End of Central Directory record could not be
/// found", "a MATLAB .mat file of a version before 7.3" for a text file), not what the file is.
/// </summary>
internal static class FileSignature
{
    /// <summary>How much of a file's start is looked at.</summary>
    public const int HeadBytes = 512;

    /// <summary>
    /// Content of no format RepDiff reads: what it is (after "is "), the extension it belongs under when RepDiff reads that
    /// (a refusal then does not set it against a name that says so: a legacy .pt is a torch file), and what to do.
    /// <paramref name="AgainstName"/>: whether the refusal says the name names another format (not for an empty file).
    /// </summary>
    public sealed record Foreign(string What, string Advice, string? Extension = null, bool AgainstName = true);

    /// <summary>
    /// The file's content: the first extension of the embedding format its signature is of, or what else it is, or
    /// neither (bytes of no known signature: the reader its name chose says what is wrong). <paramref name="named"/>: the
    /// first extension of the format the name says, or null. Text carries no signature, so text of a text format's name
    /// is that format unless it is plainly another (an HTML page, JSON in a .csv, a table in a .jsonl, CSV and TSV swapped).
    /// A file that cannot be read has no content here: its reader says why.
    /// </summary>
    public static (string? Format, Foreign? Other) Of(string path, string? named)
    {
        FileStream stream;
        try { stream = InputFile.OpenRead(path); }
        catch (RepDiffInputException) { return (null, null); }
        using (stream) return Of(stream, path, named);
    }

    /// <summary><see cref="Of(string, string?)"/> of a file open at its start, which is left anywhere in it.</summary>
    private static (string? Format, Foreign? Other) Of(FileStream stream, string path, string? named)
    {
        Span<byte> head = stackalloc byte[HeadBytes];
        head = head[..InputFile.ReadFully(stream, head)];
        if (head.IsEmpty) return (null, Empty);
        if (Format(head, stream, named) is { } format) return format;
        if (Compression(head) is var (kind, tool, suffix)) return (null, Compressed(path, kind, tool, suffix, named is TextName or TextsName ? "text files" : "files"));
        if (head.StartsWith("MATLAB 5.0 MAT-file"u8)) return (null, MatlabBefore73);
        if (head.StartsWith("FEA1"u8)) return (null, Feather1);
        if (head is [0x80, >= 2 and <= 5, ..]) return (null, LegacyTorch);
        return (null, Text(head, whole: stream.Length <= head.Length, named));
    }

    /// <summary>The name <see cref="Of"/> is given for a file read as text whatever its name (labels, ids, texts, metadata, groups).</summary>
    private const string TextName = ".txt";

    /// <summary>
    /// The name <see cref="Of"/> is given for texts (one per line), whose line may be a whole HTML document (a crawl's
    /// pages): a web page saved in place of such a file is told by its first line, its doctype or &lt;html&gt; tag alone.
    /// </summary>
    private const string TextsName = ".txt (texts)";

    /// <summary>
    /// What is wrong with a file read as text (after "PATH: "), or null: it is plainly something else, an embedding format, a
    /// zip, an HTML page, a compressed, MATLAB, Feather 1 or pickled file. Such a side file had been refused at its first NUL byte or invalid UTF-8 ("line 1 is not
    /// valid UTF-8" for an .npy given as --texts), or counted as one entry (an HTML page given as --labels). Text of any other
    /// kind, an empty file and bytes of no known signature are left to the reader, which says what is wrong with them.
    /// </summary>
    /// <param name="stream">The file, open and seekable; it is read from its start and left there, for its reader (an input
    /// is opened once for what it is, as <c>InputFormatTests.EachInputIsOpenedForItsFormatOnce</c> counts).</param>
    /// <param name="documentLines">Whether a line may be a whole document (texts): else any HTML page is one saved in place of
    /// the file, as no label, id, path or table is HTML (a page on one line given as --labels had been "has 1 entries").</param>
    /// <param name="formatProblem">What the reader says of an embedding format, where its option has words of its own (texts:
    /// "write the text column one text per line first"), or null for the words here. Asked here, on the reader's own handle,
    /// the reader's option does not look at the file's first bytes once more before (as --texts and --labels had).</param>
    public static string? NotText(FileStream stream, string path, bool documentLines, Func<EmbeddingFormat, string?>? formatProblem)
    {
        stream.Position = 0;
        var (format, other) = Of(stream, path, documentLines ? TextsName : TextName);
        stream.Position = 0;
        if (format is not null)
        {
            // A table may be metadata under its own name; an array is most likely embeddings.
            var content = EmbeddingFormat.OfExtension(format)!;
            return formatProblem?.Invoke(content) ?? $"is {content.Noun}{(content.HasColumns ? "" : " (embeddings?)")}, not text; "
                + "side files are read as UTF-8 text unless named for a format their option reads (a 1-D .npy of labels or ids; a .parquet or .arrow table of metadata): give the text file, or rename it";
        }
        // Text, bytes of no known signature or an empty file: the reader says what is wrong with it, if anything.
        if (other is null || other == Empty) return null;
        // A compressed file or a web page: its own advice says what to do.
        if (other is { AgainstName: false } or { What: HtmlPageWhat }) return $"is {other.What}; {other.Advice}";
        string what = other == LegacyTorch ? "a Python pickle (pickle.dump, or torch.save before 1.6)" : other.What;
        return $"is {what}, not text; side files are read as UTF-8 text as they are: give the text file itself (unzip or export it first)";
    }

    /// <summary>The embedding format whose signature the bytes begin with, or, for a zip, what its entries say it is.</summary>
    private static (string?, Foreign?)? Format(ReadOnlySpan<byte> head, FileStream stream, string? named)
    {
        if (head is [(byte)'P', (byte)'K', 3, 4, ..] or [(byte)'P', (byte)'K', 5, 6, ..]) return Zip(head, stream, named);
        string? extension = head switch
        {
            [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', ..] => ".npy",
            _ when head.StartsWith(Hdf5.Signature) => ".h5",
            [(byte)'P', (byte)'A', (byte)'R', (byte)'1', ..] => ".parquet",
            [(byte)'A', (byte)'R', (byte)'R', (byte)'O', (byte)'W', (byte)'1', ..] or [0xFF, 0xFF, 0xFF, 0xFF, ..] => ".arrow",
            _ when IsSafetensors(head, stream.Length) => ".safetensors",
            // HDF5 after a user block (a MATLAB v7.3 .mat file).
            _ when Hdf5.SignatureOffset(stream) is not null => ".h5",
            _ => null,
        };
        return extension is null ? null : (extension, null);
    }

    /// <summary>
    /// A zip is torch.save's (its pickle, archive/data.pkl, comes first), an .npz (np.savez's entries are NAME.npy) or
    /// neither. Its first entry's name is in its first bytes; its other entries are looked at only when that name says
    /// neither and the file's name does not either (an .npz or .pt is read once, by its reader, which says so of a zip of
    /// other files). An empty zip is an .npz of no arrays, which its reader refuses.
    /// </summary>
    private static (string?, Foreign?) Zip(ReadOnlySpan<byte> head, FileStream stream, string? named)
    {
        if (head is [_, _, 5, 6, ..]) return (".npz", null);
        if (FirstEntryName(head) is { } first)
        {
            if (IsTorchPickle(first)) return (".pt", null);
            if (first.EndsWith(".npy", StringComparison.Ordinal)) return (".npz", null);
        }
        if (named is ".npz" or ".pt") return (named, null);
        try
        {
            stream.Position = 0;
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            return OfZip(zip);
        }
        // A zip that does not open is left to the .npz reader, which says what is wrong with it.
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException) { return (".npz", null); }
    }

    /// <summary>What a zip's entries say it is: torch.save's (its data.pkl), an .npz (NAME.npy arrays, or none) or a zip of other files.</summary>
    public static (string? Format, Foreign? Other) OfZip(ZipArchive zip)
    {
        var names = zip.Entries.Select(entry => entry.FullName).Where(name => !name.EndsWith('/')).ToList();
        if (names.Any(IsTorchPickle)) return (".pt", null);
        if (names.Count == 0 || names.Any(name => name.EndsWith(".npy", StringComparison.Ordinal))) return (".npz", null);
        return (null, OtherZip(names));
    }

    private static bool IsTorchPickle(string name) => name == "data.pkl" || name.EndsWith("/data.pkl", StringComparison.Ordinal);

    /// <summary>The name of the zip's first entry, from its local header in the first bytes; null when it is not all there.</summary>
    private static string? FirstEntryName(ReadOnlySpan<byte> head)
    {
        if (head.Length < 30) return null;
        int nameLength = BitConverter.ToUInt16(head[26..28]);
        return head.Length < 30 + nameLength ? null : Encoding.UTF8.GetString(head.Slice(30, nameLength));
    }

    /// <summary>safetensors: the JSON header's length as 8 little-endian bytes, within the file, then the header's '{'.</summary>
    private static bool IsSafetensors(ReadOnlySpan<byte> start, long fileLength) =>
        start.Length > 8 && start[8] == (byte)'{' && BitConverter.ToUInt64(start[..8]) is var length && length >= 2 && length <= (ulong)fileLength - 8;

    /// <summary>
    /// What compressed the file, from its first bytes, or null: no UTF-8 text and no embedding format starts with these
    /// bytes (bzip2's "BZh" with its block size and its first block's magic, or the empty stream's end marker, so a text
    /// starting "BZh9" is still text).
    /// </summary>
    public static (string Kind, string Tool, string Suffix)? Compression(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b])) return ("gzip", "gunzip -c", ".gz");
        if (head.Length >= 10 && head.StartsWith("BZh"u8) && head[3] is >= (byte)'1' and <= (byte)'9'
            && (head[4..10].SequenceEqual((ReadOnlySpan<byte>)[0x31, 0x41, 0x59, 0x26, 0x53, 0x59]) || head[4..10].SequenceEqual((ReadOnlySpan<byte>)[0x17, 0x72, 0x45, 0x38, 0x50, 0x90])))
            return ("bzip2", "bunzip2 -c", ".bz2");
        if (head.StartsWith((ReadOnlySpan<byte>)[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return ("xz", "unxz -c", ".xz");
        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd])) return ("zstd", "zstd -dc", ".zst");
        return null;
    }

    /// <summary>
    /// A compressed file, with the command that decompresses it beside it: the path as given, so the command works from
    /// where the user is, without the compression's suffix, else with "-decompressed" before its extension (x.npy to
    /// x-decompressed.npy), else with ".txt" added. <paramref name="read"/>: what is read as it is ("text files").
    /// </summary>
    public static Foreign Compressed(string path, string kind, string tool, string suffix, string read)
    {
        // /dev/stdin (a file redirected into the command) or /proc/self/fd/N is a link to the file itself: the command to run
        // names that file, as no decompressed copy can be written beside /dev/stdin ("> /dev/stdin.txt" had been advised).
        bool streamName = path.StartsWith("/dev/", StringComparison.Ordinal) || path.StartsWith("/proc/", StringComparison.Ordinal);
        string source = streamName ? LinkedFile(path) ?? path : path;
        string from = streamName && source == path ? Path.GetFileName(path) : source;
        string extension = Path.GetExtension(from);
        string plain = from.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && from.Length > suffix.Length ? from[..^suffix.Length]
            : extension.Length > 1 ? from[..^extension.Length] + "-decompressed" + extension
            : from + ".txt";
        // Not set against the name: that may say what is inside.
        return new($"{kind}-compressed", $"decompress it first ({tool} {ShellWord.Of(source)} > {ShellWord.Of(plain)}): {read} are read as they are", AgainstName: false);
    }

    /// <summary>The regular file a link such as /dev/stdin finally names, or null (a pipe, a deleted file, no link).</summary>
    private static string? LinkedFile(string path)
    {
        try { return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName is { } target && File.Exists(target) ? target : null; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public static readonly Foreign Empty = new("empty (0 bytes)", "nothing was saved in it: save the embeddings again", AgainstName: false);

    /// <summary>MATLAB's own format (a v5 header; v4 has none): the .mat RepDiff reads is v7.3, which is HDF5.</summary>
    public static readonly Foreign MatlabBefore73 = new("a MATLAB .mat file of a version before 7.3",
        "RepDiff does not read it (v7.3 files are HDF5, which it does): save it with save(path, 'x', '-v7.3'), or as .npy", ".mat");

    /// <summary>Feather 1 came before Arrow IPC; what to do is what it is for any Arrow file that cannot be read (<see cref="ArrowColumn.Rewrite"/>).</summary>
    public static readonly Foreign Feather1 = new("Feather version 1", "RepDiff reads version 2 (Arrow IPC)" + ArrowColumn.Rewrite, ".feather");

    /// <summary>Before PyTorch 1.6 (or with _use_new_zipfile_serialization=False) torch.save wrote a bare pickle stream.</summary>
    public static readonly Foreign LegacyTorch = new("in PyTorch's legacy format (torch.save before 1.6, or _use_new_zipfile_serialization=False)",
        "save it again with a current torch.save, or as .npy or .safetensors", ".pt");

    /// <summary>A zip that is neither an .npz nor torch.save's, named by its first entries.</summary>
    private static Foreign OtherZip(IReadOnlyList<string> names) =>
        new($"a zip archive of other files ({string.Join(", ", names.Take(3).Select(name => NpyDtype.Truncate(name)))}{(names.Count > 3 ? ", …" : "")})",
            "it is neither an .npz (np.savez stores NAME.npy arrays) nor a torch.save file: unzip it and give the embeddings file in it");

    private const string ByExtension = "text files are read by their extension";

    private const string HtmlPageWhat = "an HTML page";

    private static readonly Foreign HtmlPage = new(HtmlPageWhat,
        "a web page saved in place of the file (an error or sign-in page?): download the file again from where it is stored, not its web page");

    /// <summary>
    /// What is wrong with texts whose only line is a whole web page (begun as <see cref="Text"/> tells a page, ended by "&lt;/html&gt;"),
    /// given for <paramref name="samples"/> &gt; 1: one HTML document per line is texts, but a page saved on one line in place
    /// of a file of many texts had been "has 1 entries …". Null otherwise.
    /// </summary>
    public static string? OnePageProblem(IReadOnlyList<string> texts, int samples)
    {
        if (samples < 2 || texts is not [var only]) return null;
        string line = only.Trim().ToLowerInvariant();
        return BeginsAsHtmlPage(line) && line.EndsWith("</html>", StringComparison.Ordinal) ? $"is {HtmlPage.What}; {HtmlPage.Advice}" : null;
    }

    /// <summary>Whether lower-cased text begins as an HTML page does: its doctype, or a tag and an &lt;html&gt; tag after it.</summary>
    private static bool BeginsAsHtmlPage(string lower) =>
        lower.StartsWith("<!doctype html", StringComparison.Ordinal) || (lower.StartsWith('<') && lower.Contains("<html", StringComparison.Ordinal));

    /// <summary>
    /// json.dump of a list of vectors or records: one JSON value, where JSON Lines holds one per line. Named .jsonl it had
    /// been "line 1: value 0 of the vector is a list, not a number"; under another name, renaming it .jsonl would not help.
    /// </summary>
    private static readonly Foreign JsonArray = new("a JSON array holding every vector or record in one value",
        "JSON Lines holds one per line: write each on a line of its own (Python: f.writelines(json.dumps(v) + \"\\n\" for v in vectors)) "
        + "in a file named .jsonl, or save the vectors with np.save");

    /// <summary>Whether text begins a JSON array whose first element is an array or an object: "[[", "[{" or "[" alone on its line.</summary>
    private static bool IsArrayOfValues(string text) =>
        text.StartsWith('[') && text.AsSpan(1).TrimStart() is [ '[' or '{', ..];

    /// <summary>Whether a line is one tag and nothing else ("&lt;!DOCTYPE html&gt;", "&lt;html lang=\"en\"&gt;"), as a saved page's first line is.</summary>
    private static bool IsOneTag(string line)
    {
        string tag = line.Trim();
        return tag.StartsWith('<') && tag.IndexOf('>') == tag.Length - 1;
    }

    /// <summary>
    /// Text (UTF-8 without NUL or control characters, a sequence cut at the end of what was read aside): an HTML page, JSON,
    /// tab- or comma-separated by its first line, or plain text. Under the name of a text format RepDiff reads, only text
    /// that is plainly another is foreign; bytes that are not text are left to the reader.
    /// </summary>
    private static Foreign? Text(ReadOnlySpan<byte> head, bool whole, string? named)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) head = head[3..];
        foreach (byte b in head)
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f') || b == 0x7F) return null;
        int valid = head.Length;
        // A character cut at the end of the bytes read is no sign of binary.
        while (!Utf8.IsValid(head[..valid]) && !whole && valid > head.Length - 3) valid--;
        if (!Utf8.IsValid(head[..valid])) return null;
        string text = Encoding.UTF8.GetString(head[..valid]).TrimStart();
        string lower = text.ToLowerInvariant();
        string firstLine = text.Split('\n')[0];
        bool html = BeginsAsHtmlPage(lower);
        Foreign kind = html ? HtmlPage
            : IsArrayOfValues(text) ? JsonArray
            : text.StartsWith('{') || text.StartsWith('[') ? new("JSON text", $"if it holds one record or vector per line, rename it to end in .jsonl ({ByExtension})", ".jsonl")
            : firstLine.Contains('\t') && !firstLine.Contains(',') ? new("tab-separated text", $"if it is a table of numbers, rename it to end in .tsv ({ByExtension})", ".tsv")
            : firstLine.Contains(',') ? new("comma-separated text (CSV)", $"if it is a table of numbers, rename it to end in .csv ({ByExtension})", ".csv")
            : new("text (UTF-8)", $"RepDiff reads text as .csv, .tsv or .jsonl tables ({ByExtension}): rename it if it is one, else give the embeddings file (e.g. saved with np.save)");
        return named switch
        {
            // Plain text under a table's name is a table of one column, or its reader says which cell is no number; under
            // a JSON Lines name, its reader says which line is no JSON record.
            // A tab in a .tsv's first line is its own separator, commas beside it decimal commas or text: its reader says which cell.
            ".csv" or ".tsv" => html || kind == JsonArray || kind.Extension is { } extension && extension != named && !(named == ".tsv" && firstLine.Contains('\t')) ? kind : null,
            ".jsonl" => html || kind == JsonArray || kind.Extension is ".csv" or ".tsv" ? kind : null,
            // Text read as text is what it is for, unless it is a saved web page. Texts may be one HTML document per line
            // ("<html><body>…</body></html>" on the first), so a page among them is told by its first line, a doctype or
            // <html> tag alone.
            TextName => html ? kind : null,
            TextsName => html && IsOneTag(firstLine) ? kind : null,
            _ => kind,
        };
    }
}
