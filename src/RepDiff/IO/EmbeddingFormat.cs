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

    public static readonly IReadOnlyList<EmbeddingFormat> All =
    [
        new() { Extensions = [".npy"], OpenRows = (path, _, _, validate) => Npy.OpenRows(path, validate) },
        new()
        {
            Extensions = [".npz"], TakesKey = true, KeepsIds = true,
            OpenRows = (path, key, _, validate) => Npz.OpenRows(path, key, validate), OpenArchive = Npz.Open,
        },
        new()
        {
            Extensions = [".safetensors"], TakesKey = true, KeepsIds = true,
            OpenRows = (path, key, _, validate) => Safetensors.OpenRows(path, key, validate), OpenArchive = Safetensors.Open,
        },
        new()
        {
            Extensions = [".pt", ".pth"], Shown = ".pt/.pth (torch.save)", TakesKey = true, KeepsIds = true,
            OpenRows = (path, key, _, validate) => TorchFile.OpenRows(path, key, validate), OpenArchive = TorchFile.Open,
        },
        new()
        {
            Extensions = [".h5", ".hdf5"], Shown = ".h5/.hdf5", TakesKey = true, KeepsIds = true,
            OpenRows = (path, key, _, validate) => Hdf5.OpenRows(path, key, validate), OpenArchive = Hdf5.Open,
        },
        new() { Extensions = [".csv"], HasColumns = true, OpenRows = (path, _, idColumn, validate) => DelimitedText.OpenRows(path, idColumn, validate) },
        new() { Extensions = [".tsv"], HasColumns = true, OpenRows = (path, _, idColumn, validate) => DelimitedText.OpenRows(path, idColumn, validate) },
        new()
        {
            Extensions = [".parquet"], TakesKey = true, HasColumns = true,
            OpenRows = (path, key, idColumn, validate) => new RowFile(ParquetColumn.Open(path, key, idColumn), validate),
            OpenArchive = path => new TableArchive(path, ParquetFile.Columns(path), column => ParquetColumn.Open(path, column, idColumn: null)),
        },
        // Arrow IPC: a file (.arrow, .feather version 2) or a stream (.arrows, .ipc; a Hugging Face datasets cache file).
        ArrowIpc([".arrow", ".arrows", ".ipc"]),
        ArrowIpc([".feather"]),
        new()
        {
            Extensions = [".jsonl", ".ndjson"], Shown = ".jsonl/.ndjson (JSON Lines)", TakesKey = true, HasColumns = true,
            OpenRows = (path, key, idColumn, validate) => JsonLinesEmbeddings.OpenRows(path, key, idColumn, validate),
        },
    ];

    private static EmbeddingFormat ArrowIpc(string[] extensions) => new()
    {
        Extensions = extensions, TakesKey = true, HasColumns = true,
        OpenRows = (path, key, idColumn, validate) => new RowFile(ArrowColumn.Open(path, key, idColumn), validate),
        OpenArchive = path => new TableArchive(path, ArrowColumn.Columns(path), column => ArrowColumn.Open(path, column, idColumn: null)),
    };

    private static readonly Dictionary<string, EmbeddingFormat> ByExtension =
        All.SelectMany(format => format.Extensions.Select(extension => (extension, format))).ToDictionary(p => p.extension, p => p.format);

    /// <summary>The format of the file at path by its extension (any case), or null when RepDiff does not read it.</summary>
    public static EmbeddingFormat? Of(string path) => ByExtension.GetValueOrDefault(Path.GetExtension(path).ToLowerInvariant());

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
