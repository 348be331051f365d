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
    /// The format the file at path is read as, the one-line warning to give when its extension names another, and the
    /// refusal (after "PATH: ") of content RepDiff reads in no format. The binary formats begin with a signature
    /// (<see cref="FileSignature"/>), which decides over the extension: pytorch_model.bin, emb.vec, a file without an
    /// extension or an .npz saved as a.npy hold what their first bytes say, and a user who gave them meant those embeddings,
    /// so they are read, with a warning where the extension named another format (it may be a mix-up the user wants to know
    /// of). Text carries no signature, so text files keep their extension (.csv, .tsv, JSON Lines): text of another name
    /// is refused naming the extension it would be read under, not read by a guess at its format; and so is text plainly
    /// of another kind than its text extension says (JSON in a .csv). Content that is no format RepDiff reads (an HTML page,
    /// a compressed, empty or MATLAB file, …) is refused saying what it is, whatever its name. A binary extension on content
    /// of no signature is left to its reader, which says what is wrong with the file.
    /// </summary>
    public static (EmbeddingFormat? Format, string? Warning, string? Refusal) Reading(string path)
    {
        var named = OfExtension(path);
        if (Refused(path) || FileKind.Of(path) != FileKind.Regular) return (named, null, null);
        var (extension, other) = FileSignature.Of(path, named?.Extensions[0]);
        if (other is not null) return (null, null, Refusal(path, named, other));
        if (extension is null) return (named, null, null);
        var content = ByExtension[extension];
        // Both Arrow rows read files and streams alike: a .feather that is an Arrow IPC file is what its name says.
        if (named is null || named.Noun == content.Noun) return (named ?? content, null, null);
        return (content, $"{Path.GetFileName(path)} is {content.Noun} by its content, not {Path.GetExtension(path).ToLowerInvariant()} as its name says; "
            + $"read as one (rename it to end in {content.Extensions[0]})", null);
    }

    /// <summary>
    /// Why content of no format RepDiff reads is refused: what it is, the format its name says where that is another (a
    /// legacy torch pickle named .pt is what its name says, only too old), and what to do.
    /// </summary>
    private static string Refusal(string path, EmbeddingFormat? named, FileSignature.Foreign other)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        string? noun = named?.Noun ?? (extension == ".mat" ? "a MATLAB .mat file" : null);
        bool namedItsOwn = other.Extension is { } own && (named?.Extensions.Contains(own) ?? extension == own);
        string against = other.AgainstName && noun is not null && !namedItsOwn ? $", not {noun} as its name says" : "";
        return $"is {other.What}{against}; {other.Advice}";
    }

    /// <summary>
    /// Names RepDiff refuses with its own message (a pickle, JSON, an embedding file compressed): their content is not looked
    /// at, since a pickle begins like torch's legacy files and a compressed a.npy.gz is no embedding file as it is. Any other
    /// compressed name (emb.gz, vectors.zip) is read by its content, as every name is: a gzip stream is refused saying to
    /// decompress it, and a zip of NAME.npy arrays is an .npz (it had been "unsupported file type '.gz'").
    /// </summary>
    private static bool Refused(string path) => Path.GetExtension(path).ToLowerInvariant() is ".pkl" or ".pickle" or ".joblib" or ".json"
        || CompressedFormatName(path);

    /// <summary>Whether the name is an embedding format's compressed: a.npy.gz, x.jsonl.zst, x.pth.zip.</summary>
    internal static bool CompressedFormatName(string path) => Path.GetExtension(path).ToLowerInvariant() is ".gz" or ".zip" or ".bz2" or ".xz" or ".zst"
        && OfExtension(Path.GetFileNameWithoutExtension(path)) is not null;

    /// <summary>How a warning names a file of this format ("an .npz archive").</summary>
    public required string Noun { get; init; }

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
