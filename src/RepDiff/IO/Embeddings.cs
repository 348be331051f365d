namespace RepDiff.IO;

/// <summary>Opens an embedding matrix from any supported file, its format chosen by content and extension (<see cref="EmbeddingFormat.Reading"/>), and validates it.</summary>
public static class Embeddings
{
    /// <summary>The formats read, as errors and help texts list them (<see cref="EmbeddingFormat.All"/>).</summary>
    public static string Formats => EmbeddingFormat.Listed;

    /// <summary>The formats as a short list for help texts.</summary>
    public static string FormatList => EmbeddingFormat.ListedShort;

    /// <summary>The formats that keep sample ids beside the embeddings (an array "ids"), for help texts: ".npz, .safetensors, .pt and .h5".</summary>
    public static string KeepingIdsList => EmbeddingFormat.ListedWhere(f => f.KeepsIds);

    /// <summary>What --key (alias --column) picks, for every command's help.</summary>
    public const string KeyHelp = "array inside .npz/.safetensors/.pt files or dataset of .h5 files, float-list column of .parquet/.arrow/.feather tables (or float columns, one dimension each: 'emb_*' reads every float column whose name starts with emb_), or vector field of JSON Lines records";

    /// <summary>
    /// Rows of an embedding file (n × d, read as float32): memory-mapped for .npy and .safetensors, a block of
    /// rows at a time for tables and .h5, in memory otherwise. Zero rows are an error, and reading a row with NaN or Inf throws naming that row.
    /// </summary>
    public static RowFile OpenRows(string path, string? key = null) => OpenRows(EmbeddingInput.Of(path), key);

    public static RowFile OpenRows(EmbeddingInput input, string? key = null) => Open(input, key, idColumn: null, validate: true);

    /// <summary>The inputs read by their content as another format than their names say, one warning each (a file given twice, once).</summary>
    public static IReadOnlyList<string> FormatWarnings(params EmbeddingInput[] inputs) =>
        inputs.DistinctBy(input => input.Path).Select(input => input.Warning).OfType<string>().ToList();

    /// <summary>Whether the file can hold several arrays or columns, one of which a key picks.</summary>
    public static bool TakesKey(string path) => EmbeddingInput.Of(path).TakesKey;

    /// <summary>
    /// The array or column <paramref name="key"/> picks in the input, named as the file lists it
    /// (<see cref="ArrayArchive.ArrayNamed"/>: an .npz's "x.npy" is its "x", and no key its only array); a JSON Lines field
    /// as given; null for a file of one array, which a key picks nothing in.
    /// </summary>
    public static string? ArrayNamed(EmbeddingInput input, string? key)
    {
        if (!input.TakesKey) return null;
        using var archive = ArrayArchive.Open(input);
        return archive?.ArrayNamed(key) ?? key;
    }

    public static string? ArrayNamed(string path, string? key) => ArrayNamed(EmbeddingInput.Of(path), key);

    /// <summary>
    /// A key given only for files that hold one array each picks nothing: refused rather than ignored (with an .npz A
    /// and an .npy B, --key names A's array and B needs none). An empty key names nothing either. The message names
    /// <paramref name="flag"/>, the flag the key came from.
    /// </summary>
    public static void CheckKey(string flag, string? key, IEnumerable<EmbeddingInput> files)
    {
        if (key is null) return;
        if (string.IsNullOrWhiteSpace(key)) throw new RepDiffInputException($"{flag}: is empty; name an array or a column");
        var inputs = files.ToList();
        if (inputs.Count == 0 || inputs.Any(input => input.TakesKey)) return;
        var (names, several) = FileNames(inputs);
        throw new RepDiffInputException($"{flag} {key}: {names} {(several ? "hold one array each" : "holds one array")}; "
            + $"{flag} picks an array of an .npz, .safetensors or .pt file, a dataset of an .h5 file, a column of a Parquet or Arrow table, or the vector field of JSON Lines");
    }

    /// <summary>
    /// An id column named for files without named columns (.npy, .npz, .safetensors, .pt, .h5) picks nothing: refused rather than
    /// ignored. <paramref name="alsoMetadata"/>: the command's --metadata file may hold it instead.
    /// </summary>
    public static void CheckIdColumn(string? idColumn, IEnumerable<EmbeddingInput> files, bool alsoMetadata)
    {
        var inputs = files.ToList();
        if (idColumn is null || inputs.Any(input => input.HasColumns)) return;
        var (names, several) = FileNames(inputs);
        throw new RepDiffInputException($"--id-column {idColumn}: {names} {(several ? "have" : "has")} no named columns; "
            + $"--id-column names a column of a .csv, .tsv, Parquet or Arrow {(alsoMetadata ? $"input, a field of a JSON Lines input or a column of --metadata (for {EmbeddingFormat.ListedWhere(f => !f.HasColumns)} inputs give --ids)" : "file or a field of a JSON Lines file")}");
    }

    /// <summary>The files' names for a message ("a.npy and b.npy", or one name when both are the same file name).</summary>
    private static (string Names, bool Several) FileNames(IEnumerable<EmbeddingInput> inputs)
    {
        var names = inputs.Select(input => Path.GetFileName(input.Path)).Distinct().ToList();
        return (string.Join(" and ", names), names.Count > 1);
    }

    /// <summary>
    /// A folder where a file belongs, most often a Hugging Face datasets folder (save_to_disk: data-00000-of-00001.arrow
    /// beside dataset_info.json, or one such folder per split). It had been "unsupported file type ''": the files RepDiff
    /// could read inside it are named, looked for in the folder and the folders in it.
    /// </summary>
    private static RepDiffInputException FolderGiven(string path)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 1, IgnoreInaccessible = true };
        var readable = Directory.EnumerateFiles(path, "*", options).Take(10_000)
            .Where(f => EmbeddingFormat.OfExtension(f) is not null)
            // Only what Open would read: a FIFO or socket named emb.npy is no file to suggest (reading a FIFO blocks).
            .Where(f => FileKind.Of(f) == FileKind.Regular)
            .Select(f => Path.GetRelativePath(path, f)).Order(NaturalComparer.Instance).ToList();
        string datasets = File.Exists(Path.Combine(path, "dataset_info.json")) || File.Exists(Path.Combine(path, "dataset_dict.json"))
            ? " (a Hugging Face datasets folder; --column names its embedding column)" : "";
        return readable.Count switch
        {
            0 => RepDiffInputException.ForFile(path, $"is a directory, not a file, and holds no file RepDiff reads ({Formats}); give the embeddings file"),
            1 => RepDiffInputException.ForFile(path, $"is a directory, not a file; give the file in it: {Path.Combine(path, readable[0])}{datasets}"),
            _ => RepDiffInputException.ForFile(path, $"is a directory, not a file; give one of the {readable.Count} files in it ("
                + string.Join(", ", readable.Take(4)) + (readable.Count > 4 ? ", …" : "") + $"){datasets}; "
                + "RepDiff reads one file per model (a dataset saved in shards: concatenate them, e.g. ds.to_parquet(\"emb.parquet\"))"),
        };
    }

    /// <summary>Why a file of a format RepDiff does not read is refused, once it is known to be there (else: not found).</summary>
    private static RepDiffInputException NotRead(string path, string problem)
    {
        FileKind.RequireRegular(path);
        return RepDiffInputException.ForFile(path, problem);
    }

    /// <summary>
    /// Why a file of no format RepDiff reads is refused: a compressed embedding file, or a format a Python user reaches for
    /// first, is named with the way on (each had been "unsupported file type" alone).
    /// </summary>
    private static RepDiffInputException NotAFormat(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        string inner = Path.GetExtension(Path.GetFileNameWithoutExtension(path));
        return ext switch
        {
            // a.npy.gz, emb.csv.zip: the format is inside; RepDiff reads files as they are, so say how to get at it.
            _ when EmbeddingFormat.CompressedFormatName(path) => RepDiffInputException.ForFile(path, $"is a compressed {inner} file ('{ext}'); "
                + $"decompress it first (RepDiff reads {Formats} as they are; .npz is compressed already)"),
            ".pkl" or ".pickle" or ".joblib" => NotRead(path, $"is a Python pickle, which RepDiff does not read "
                + $"(unpickling can run any code); save the array with np.save(\"{Stem(path)}.npy\", array) or the tensor with torch.save, "
                + "whose .pt RepDiff reads without running anything"),
            // A MATLAB file of v7.3 is HDF5, read by its signature; other bytes not told apart (FileSignature) are MATLAB's
            // own format: v4 files begin with no header.
            ".mat" => NotRead(path, $"is {FileSignature.MatlabBefore73.What}; {FileSignature.MatlabBefore73.Advice}"),
            ".json" => NotRead(path, $"JSON is not an embedding format RepDiff reads ({Formats}); "
                + $"save the vectors with numpy, e.g. np.save(\"{Stem(path)}.npy\", np.array(vectors, np.float32))"),
            // Binary formats were looked for by their signatures; text has none, so CSV and JSON Lines go by their extension.
            // A pipe (<(cat a.csv), /dev/stdin) has no content to look at and no extension: it is no regular file, said as such
            // (it had been "unsupported file type ''").
            _ => NotRead(path, $"unsupported file type '{ext}' (expected {Formats}; binary files are recognised by their content, "
                + "text files by their extension)"),
        };
    }

    /// <summary>The file's name without its extension, for the file a conversion writes.</summary>
    private static string Stem(string path) => Path.GetFileNameWithoutExtension(path);

    /// <summary>
    /// Opens any supported file. <paramref name="key"/> picks the array of an .npz/.safetensors/.pt, the
    /// float-list column of a .parquet/.arrow/.feather or the vector field of JSON Lines (ignored by single-array formats);
    /// <paramref name="idColumn"/> names the id column of a .csv/.tsv/.parquet/.arrow/.feather or the id field of JSON Lines. Without
    /// <paramref name="validate"/>, zero rows and non-finite values are accepted (inspect counts them).
    /// </summary>
    public static RowFile Open(string path, string? key, string? idColumn, bool validate) => Open(EmbeddingInput.Of(path), key, idColumn, validate);

    /// <summary>
    /// <see cref="Open(string, string?, string?, bool)"/> of a file whose format was read where it was named: it is not read
    /// again. An archive of arrays already opened in <paramref name="archives"/> is read through, not opened again.
    /// </summary>
    public static RowFile Open(EmbeddingInput input, string? key, string? idColumn, bool validate, InputArchives? archives = null)
    {
        string path = input.Path;
        if (Directory.Exists(path)) throw FolderGiven(path);
        var rows = input.Format is not { } format ? throw NotAFormat(path)
            : format.RowsFromArchive && archives?.ForReader(input) is { } archive ? archive.OpenNamedRows(key, validate)
            : format.OpenRows(path, key, idColumn, validate);
        // A table's column and a JSON Lines field are named as given (an archive of arrays names its own: OpenNamedRows).
        if (key is not null && input.TakesKey) rows.ArrayName ??= key;
        if (validate && rows.Rows == 0)
        {
            rows.Dispose();
            throw RepDiffInputException.ForFile(rows.Name, $"has zero rows (shape {RowFile.ShapeText(rows.Shape)}): it holds no samples; save the array after the embeddings are filled in");
        }
        if (validate && rows.Cols == 0)
        {
            // Every sample would be the same empty vector: no method can tell samples apart.
            rows.Dispose();
            throw RepDiffInputException.ForFile(rows.Name, $"has zero columns (shape {RowFile.ShapeText(rows.Shape)}): each sample's embedding is empty");
        }
        return rows;
    }

    /// <summary>Loads and validates the whole matrix: at least one row, every value finite.</summary>
    public static Matrix Load(string path, string? key = null)
    {
        using var rows = OpenRows(path, key);
        return rows.Load();
    }
}
