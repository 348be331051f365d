namespace RepDiff.IO;

/// <summary>
/// One embedding file format and what RepDiff knows of it by its extension. Every question about a file's format (is it
/// read, does --key pick in it, can --id-column name one of its columns, does it keep ids beside the embeddings, how is it
/// opened, how do help texts list it) reads <see cref="All"/>, so a new format is one row there.
/// </summary>
internal sealed record EmbeddingFormat
{
    /// <summary>Its extensions, lower case; the first is the one short lists show (".pt" of ".pt" and ".pth").</summary>
    public required string[] Extensions { get; init; }

    /// <summary>How the full list of formats names it (".pt/.pth (torch.save)"); by default, its first extension.</summary>
    public string? Shown { get; init; }

    /// <summary>Whether a file can hold several arrays or columns (or JSON Lines fields), one of which --key picks.</summary>
    public bool TakesKey { get; init; }

    /// <summary>Whether the file has named columns (or JSON Lines fields), one of which --id-column can name.</summary>
    public bool HasColumns { get; init; }

    /// <summary>Whether an array named "ids" (or "id") beside the embeddings is read as the samples' ids (<see cref="ArrayArchive.IdNames"/>).</summary>
    public bool KeepsIds { get; init; }

    /// <summary>Opens the rows: (path, key, id column, validate), as <see cref="Embeddings.Open"/> takes them.</summary>
    internal required Func<string, string?, string?, bool, RowFile> OpenRows { get; init; }

    /// <summary>Opens the file as an archive of its arrays or columns (what `inspect` lists); null when it holds one array.</summary>
    internal Func<string, ArrayArchive>? OpenArchive { get; init; }

    /// <summary>
    /// Whether its rows are read through its archive (<see cref="ArrayArchive.OpenNamedRows"/>), so that an archive opened
    /// already can read them; a table's are read with its id column, not through its archive of columns.
    /// </summary>
    internal bool RowsFromArchive => OpenArchive is not null && !HasColumns;

    public static readonly IReadOnlyList<EmbeddingFormat> All =
    [
        new() { Extensions = [".npy"], Noun = "an .npy array", OpenRows = (path, _, _, validate) => Npy.OpenRows(path, validate) },
        new()
        {
            Extensions = [".npz"], Noun = "an .npz archive", TakesKey = true, KeepsIds = true,
            OpenRows = (path, key, _, validate) => Npz.OpenRows(path, key, validate), OpenArchive = Npz.Open,
        },
        new()
        {
            Extensions = [".safetensors"], Noun = "a safetensors file", TakesKey = true, KeepsIds = true,
            OpenRows = (path, key, _, validate) => Safetensors.OpenRows(path, key, validate), OpenArchive = Safetensors.Open,
        },
        new()
        {
            Extensions = [".pt", ".pth"], Noun = "a torch.save file", Shown = ".pt/.pth (torch.save)", TakesKey = true, KeepsIds = true,
            OpenRows = (path, key, _, validate) => TorchFile.OpenRows(path, key, validate), OpenArchive = TorchFile.Open,
        },
        new()
        {
            Extensions = [".h5", ".hdf5"], Noun = "an HDF5 file", Shown = ".h5/.hdf5", TakesKey = true, KeepsIds = true,
            OpenRows = (path, key, _, validate) => Hdf5.OpenRows(path, key, validate), OpenArchive = Hdf5.Open,
        },
        new() { Extensions = [".csv"], Noun = "a CSV file", HasColumns = true, OpenRows = (path, _, idColumn, validate) => DelimitedText.OpenRows(path, idColumn, validate) },
        new() { Extensions = [".tsv"], Noun = "a TSV file", HasColumns = true, OpenRows = (path, _, idColumn, validate) => DelimitedText.OpenRows(path, idColumn, validate) },
        new()
        {
            Extensions = [".parquet"], Noun = "a Parquet table", TakesKey = true, HasColumns = true,
            OpenRows = (path, key, idColumn, validate) => new RowFile(ParquetColumn.Open(path, key, idColumn), validate),
            OpenArchive = path => new TableArchive(path, ParquetFile.Columns(path), column => ParquetColumn.Open(path, column, idColumn: null)),
        },
        // Arrow IPC: a file (.arrow, .feather version 2) or a stream (.arrows, .ipc; a Hugging Face datasets cache file).
        ArrowIpc([".arrow", ".arrows", ".ipc"]),
        ArrowIpc([".feather"]),
        new()
        {
            Extensions = [".jsonl", ".ndjson"], Noun = "a JSON Lines file", Shown = ".jsonl/.ndjson (JSON Lines)", TakesKey = true, HasColumns = true,
            OpenRows = (path, key, idColumn, validate) => JsonLinesEmbeddings.OpenRows(path, key, idColumn, validate),
        },
    ];

    private static EmbeddingFormat ArrowIpc(string[] extensions) => new()
    {
        Extensions = extensions, Noun = "an Arrow IPC file", TakesKey = true, HasColumns = true,
        OpenRows = (path, key, idColumn, validate) => new RowFile(ArrowColumn.Open(path, key, idColumn), validate),
        OpenArchive = path => new TableArchive(path, ArrowColumn.Columns(path), column => ArrowColumn.Open(path, column, idColumn: null)),
    };

    private static readonly Dictionary<string, EmbeddingFormat> ByExtension =
        All.SelectMany(format => format.Extensions.Select(extension => (extension, format))).ToDictionary(p => p.extension, p => p.format);

    /// <summary>The format its extension (any case) names, or null: for files not yet read (a folder's files listed as suggestions).</summary>
    public static EmbeddingFormat? OfExtension(string path) => ByExtension.GetValueOrDefault(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>The format the file at path is read as (<see cref="Reading"/>), or null when RepDiff does not read it.</summary>
    public static EmbeddingFormat? Of(string path) => Reading(path).Format;

    /// <summary>
    /// The format the file at path is read as, and the one-line warning to give when its extension names another. The binary
    /// formats begin with a signature (<see cref="ByContent"/>), which decides over the extension: pytorch_model.bin, emb.vec,
    /// a file without an extension or an .npz saved as a.npy hold what their first bytes say, and a user who gave them meant
    /// those embeddings, so they are read, with a warning where the extension named another format (it may be a mix-up the
    /// user wants to know of). Text carries no signature, so text files keep their extension (.csv, .tsv, JSON Lines) and
    /// text of another extension is refused as before. A binary extension on content of no signature is left to its reader,
    /// which says what is wrong with the file.
    /// </summary>
    public static (EmbeddingFormat? Format, string? Warning) Reading(string path)
    {
        var named = OfExtension(path);
        if (Refused(path) || FileKind.Of(path) != FileKind.Regular) return (named, null);
        var content = ByContent(path, named);
        if (content is null) return (named, null);
        // Both Arrow rows read files and streams alike: a .feather that is an Arrow IPC file is what its name says.
        if (named is null || named.Noun == content.Noun) return (named ?? content, null);
        return (content, $"{Path.GetFileName(path)} is {content.Noun} by its content, not {Path.GetExtension(path).ToLowerInvariant()} as its name says; "
            + $"read as one (rename it to end in {content.Extensions[0]})");
    }

    /// <summary>
    /// Extensions that name a format RepDiff refuses with its own message (a pickle, JSON, a compressed file): their content is
    /// not looked at, since a pickle begins like torch's legacy files and a compressed a.npy.gz is no embedding file as it is.
    /// </summary>
    private static bool Refused(string path) => Path.GetExtension(path).ToLowerInvariant() is ".pkl" or ".pickle" or ".joblib" or ".json"
        or ".gz" or ".zip" or ".bz2" or ".xz" or ".zst";

    /// <summary>How a warning names a file of this format ("an .npz archive").</summary>
    public required string Noun { get; init; }

    /// <summary>
    /// The binary format the file's first bytes are the signature of, or null. A zip is an .npz unless it holds torch.save's
    /// data.pkl; its entries are looked at only when the name says neither (an .npz or .pt is read once, by its reader). A
    /// bare pickle is torch.save's legacy format, which the .pt reader refuses saying so. A file that cannot be read has
    /// none: its reader says why.
    /// </summary>
    private static EmbeddingFormat? ByContent(string path, EmbeddingFormat? named)
    {
        Span<byte> start = stackalloc byte[512];
        FileStream stream;
        try { stream = InputFile.OpenRead(path); }
        catch (RepDiffInputException) { return null; }
        using (stream)
        {
            start = start[..InputFile.ReadFully(stream, start)];
            string? extension = start switch
            {
                [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', ..] => ".npy",
                // torch.save writes its pickle first: a torch file named .npz is read as one, with the warning, not by the .npz reader.
                [(byte)'P', (byte)'K', 3, 4, ..] when FirstEntryIsTorchPickle(start) => ".pt",
                [(byte)'P', (byte)'K', 3, 4, ..] or [(byte)'P', (byte)'K', 5, 6, ..] when named?.Extensions[0] is ".npz" or ".pt" => named.Extensions[0],
                [(byte)'P', (byte)'K', 3, 4, ..] or [(byte)'P', (byte)'K', 5, 6, ..] => HoldsTorchPickle(stream) ? ".pt" : ".npz",
                [0x80, >= 2 and <= 5, ..] => ".pt",
                _ when start.StartsWith(Hdf5.Signature) => ".h5",
                [(byte)'P', (byte)'A', (byte)'R', (byte)'1', ..] => ".parquet",
                [(byte)'A', (byte)'R', (byte)'R', (byte)'O', (byte)'W', (byte)'1', ..] or [0xFF, 0xFF, 0xFF, 0xFF, ..] => ".arrow",
                [(byte)'F', (byte)'E', (byte)'A', (byte)'1', ..] => ".feather",
                _ when IsSafetensors(start, stream.Length) => ".safetensors",
                // HDF5 after a user block (a MATLAB v7.3 .mat file).
                _ when Hdf5.SignatureOffset(stream) is not null => ".h5",
                _ => null,
            };
            return extension is null ? null : ByExtension[extension];
        }
    }

    /// <summary>safetensors: the JSON header's length as 8 little-endian bytes, within the file, then the header's '{'.</summary>
    private static bool IsSafetensors(ReadOnlySpan<byte> start, long fileLength) =>
        start.Length > 8 && start[8] == (byte)'{' && BitConverter.ToUInt64(start[..8]) is var length && length >= 2 && length <= (ulong)fileLength - 8;

    /// <summary>Whether the zip's first entry, whose local header the first bytes hold, is torch.save's pickle (archive/data.pkl).</summary>
    private static bool FirstEntryIsTorchPickle(ReadOnlySpan<byte> start)
    {
        if (start.Length < 30) return false;
        int nameLength = BitConverter.ToUInt16(start[26..28]);
        if (start.Length < 30 + nameLength) return false;
        var name = start.Slice(30, nameLength);
        return name.SequenceEqual("data.pkl"u8) || name.EndsWith("/data.pkl"u8);
    }

    /// <summary>Whether a zip holds torch.save's pickle (archive/data.pkl, any folder name), which an .npz never does.</summary>
    private static bool HoldsTorchPickle(FileStream stream)
    {
        try
        {
            stream.Position = 0;
            using var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true);
            return zip.Entries.Any(entry => entry.FullName == "data.pkl" || entry.FullName.EndsWith("/data.pkl", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException) { return false; }
    }

    /// <summary>Every format as help texts and errors list them: ".npy, .npz, …, .feather or .jsonl/.ndjson (JSON Lines)".</summary>
    public static string Listed { get; } = string.Join(", ", All.SkipLast(1).Select(f => f.Shown ?? f.Extensions[0])) + " or " + (All[^1].Shown ?? All[^1].Extensions[0]);

    /// <summary>Every format by its first extension, for short help texts: ".npy, .npz, …, .jsonl".</summary>
    public static string ListedShort { get; } = string.Join(", ", All.Select(f => f.Extensions[0]));

    /// <summary>The formats with a fact or without it, by their first extensions: ".npy, .npz, .safetensors, .pt and .h5".</summary>
    public static string ListedWhere(Func<EmbeddingFormat, bool> fact)
    {
        var names = All.Where(fact).Select(f => f.Extensions[0]).ToList();
        return names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.SkipLast(1)) + " and " + names[^1];
    }
}
