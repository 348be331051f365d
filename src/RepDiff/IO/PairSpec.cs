namespace RepDiff.IO;

/// <summary>
/// Which files make up a representation pair and its sample side information. Samples are in A's row
/// order: when both A and B carry ids (a CSV id column, or an ids file) B's rows are joined to A's by
/// id; otherwise row i of A and row i of B are the same sample. Labels, images and texts follow A's order.
/// </summary>
public sealed record PairSpec(string PathA, string PathB)
{
    public string? KeyA { get; init; }
    public string? KeyB { get; init; }
    /// <summary>
    /// The options that gave <see cref="KeyA"/> and <see cref="KeyB"/> as the user typed them (--key or its alias --column for
    /// both, --key-a or --column-a for one), which messages name: one option for both is checked once, against both files.
    /// </summary>
    public string KeyFlagA { get; init; } = "--key-a";
    public string KeyFlagB { get; init; } = "--key-b";

    /// <summary>
    /// A and B with the format each is read as, read from each file's first bytes on first use and kept with the spec, so that
    /// the key and id-column checks, the readers, the warnings and results.json's key names take it from here rather than
    /// each reading the file again (<see cref="EmbeddingInput"/>). Read again when a copy names another file (`with { PathA = … }`).
    /// </summary>
    private EmbeddingInput InputA => inputA is { } known && known.Path == PathA ? known : inputA = EmbeddingInput.Of(PathA);
    private EmbeddingInput InputB => inputB is { } known && known.Path == PathB ? known : inputB = EmbeddingInput.Of(PathB);
    private EmbeddingInput? inputA, inputB;

    /// <summary>
    /// The arrays the keys picked, as the files name them (<see cref="RowFile.ArrayName"/>), kept when the pair is opened with
    /// the path and key they were read for: results.json's key names had opened each archive again after the run.
    /// </summary>
    private (string Path, string? Key, string? Name)? readA, readB;

    /// <summary>A or B by its path, its format as read for the spec (evaluate's key lookups); another path's read now.</summary>
    public EmbeddingInput InputAt(string path) => path == PathA ? InputA : path == PathB ? InputB : EmbeddingInput.Of(path);

    /// <summary>Whether <paramref name="flag"/> gives one key for both inputs (--key, --column) rather than one side's.</summary>
    private static bool KeyForBoth(string flag) => flag is "--key" or "--column";
    /// <summary>Name of the id column of .csv/.tsv/.parquet/.arrow inputs.</summary>
    public string? IdColumn { get; init; }
    /// <summary>Ids of the rows of any input that carries none itself (one per line, or a 1-D .npy).</summary>
    public string? Ids { get; init; }
    /// <summary>Ids of A's rows, resp. B's (override the CSV id column and <see cref="Ids"/>).</summary>
    public string? IdsA { get; init; }
    public string? IdsB { get; init; }
    public string? Labels { get; init; }
    public string? Images { get; init; }
    public string? Texts { get; init; }
    public string? TextField { get; init; }
    /// <summary>Per-sample metadata columns (.csv/.tsv/.parquet/.arrow), keyed by id or by row (see <see cref="MetadataFile"/>).</summary>
    public string? Metadata { get; init; }
    /// <summary>The metadata's id column; without it, the column named like <see cref="IdColumn"/> or "id" when the samples have ids.</summary>
    public string? MetadataIdColumn { get; init; }
    /// <summary>
    /// Keep only the samples both A and B hold, by id (`--common-samples`), rather than refuse ids that partly overlap: A's
    /// rows whose id B has, in A's order. Side information describes A's rows as given (one per row of A, or joined by id,
    /// each of A's ids), and is kept for the same rows; the pair's <see cref="SampleInfo.LeftOut"/> says what was left out.
    /// </summary>
    public bool CommonSamples { get; init; }
    /// <summary>What summaries and the report call A and B (the models' names); the file names when not given.</summary>
    public string? NameA { get; init; }
    public string? NameB { get; init; }

    /// <summary>Whether B is joined to A by sample ids (an id column or ids files) rather than by row position.</summary>
    public bool JoinsById => IdColumn is not null || Ids is not null || IdsA is not null || IdsB is not null;

    /// <summary>
    /// For the commands that explain a difference: one array of one file given as both A and B has none, and every
    /// method would list only noise ("no better than random groups"). A mistake, so refused; `metrics` still compares them.
    /// </summary>
    /// <remarks>An archive it opens is kept in <paramref name="archives"/> for the pair's readers.</remarks>
    public void RefuseSameInput(InputArchives archives)
    {
        if (IdsA == IdsB && FileKind.SameFile(PathA, PathB) && SameArray(archives))
            throw new RepDiffInputException($"{Path.GetFileName(PathA)}{(KeyA is null ? "" : $" ({KeyA})")} is both A and B, so there is no difference to explain; "
                + "give the embeddings of two models (or two arrays of one file with --key-a and --key-b)");
    }

    /// <summary>
    /// Whether the keys of one file pick one array, compared by the array's name (`--key-a x --key-b x.npy` of an .npz had
    /// passed as two arrays, to be refused only after both were read, as holding the same values). The one file names
    /// both keys' arrays from one opening (one for each key had opened it twice), which the pair's readers use when given
    /// the same <paramref name="archives"/>.
    /// </summary>
    private bool SameArray(InputArchives archives)
    {
        if (KeyA == KeyB) return true;
        if (KeyA is null || KeyB is null || !InputA.TakesKey) return false;
        var archive = archives.Of(InputA);
        return (archive?.ArrayNamed(KeyA) ?? KeyA) == (archive?.ArrayNamed(KeyB) ?? KeyB);
    }

    /// <summary>
    /// For the commands that explain a difference: <see cref="RefuseSameInput"/>, then <see cref="Open"/>, the archive the
    /// refusal opened to compare two keys of one file read by the pair's readers rather than opened again.
    /// </summary>
    public RepresentationPair OpenToExplain()
    {
        using var archives = new InputArchives();
        RefuseSameInput(archives);
        return Open(archives);
    }

    /// <summary>
    /// The same for two files (or arrays) that hold the same values, row for row once joined: a copy, or one model embedded
    /// twice. Checked on the opened pair, so a CSV and an .npy of the same numbers count; reading stops at the first
    /// difference, which two models' embeddings have in their first row.
    /// </summary>
    public void RefuseIdenticalValues(RepresentationPair pair)
    {
        IRowSource a = pair.RowsA, b = pair.RowsB;
        if (a.Cols != b.Cols || a.Rows != b.Rows) return;
        int batch = Math.Max(1, (1 << 18) / Math.Max(1, a.Cols));
        var rowsA = PageAdvice.NewArray<float>((long)Math.Min(batch, a.Rows) * a.Cols);
        var rowsB = PageAdvice.NewArray<float>(rowsA.Length);
        for (int first = 0; first < a.Rows; first += batch)
        {
            int count = Math.Min(batch, a.Rows - first);
            a.ReadRows(first, count, rowsA);
            b.ReadRows(first, count, rowsB);
            if (!rowsA.AsSpan(0, count * a.Cols).SequenceEqual(rowsB.AsSpan(0, count * a.Cols))) return;
        }
        throw new RepDiffInputException($"{Side(PathA, KeyA)} and {Side(PathB, KeyB)} hold the same values{(JoinsById ? " for every id" : " in every row")}, "
            + "so there is no difference to explain; give the embeddings of two models (`repdiff metrics` compares them anyway)");
    }

    private static string Side(string path, string? key) => $"{Path.GetFileName(path)}{(key is null ? "" : $" ({key})")}";

    /// <summary>
    /// results.json's "inputs": the given files by their keys (a, b, labels, images, texts, ids, ids_a, ids_b, metadata), as
    /// file names, and the arrays (or columns) of A and B as "key_a" and "key_b" when a key picked them: two arrays of one file
    /// have one name and one SHA-256, and only their keys tell `evaluate` that they were given the other way round.
    /// </summary>
    /// <remarks>
    /// A key is recorded as the file names the array it read (<see cref="Embeddings.ArrayNamed"/>), not as typed: "x" and
    /// "x.npy" read one array of an .npz, and so record one name, which is what results.json says was read. Results written
    /// before recorded the key as typed; `evaluate` resolves the recorded key in the file as it resolves the one given.
    /// </remarks>
    public Dictionary<string, string> InputNames()
    {
        var names = InputFiles().ToDictionary(input => input.Key, input => System.IO.Path.GetFileName(input.Path));
        if (KeyA is not null && ArrayNamed(readA, InputA, KeyA) is { } keyA) names["key_a"] = keyA;
        if (KeyB is not null && ArrayNamed(readB, InputB, KeyB) is { } keyB) names["key_b"] = keyB;
        return names;
    }

    /// <summary>The array a key picks, as read when the pair was opened, else as the file names it now (a spec not opened).</summary>
    private static string? ArrayNamed((string Path, string? Key, string? Name)? read, EmbeddingInput input, string key) =>
        read is { } known && known.Path == input.Path && known.Key == key ? known.Name : Embeddings.ArrayNamed(input, key);

    /// <summary>The given files (or --images folder) by results.json's "inputs" keys, as given.</summary>
    public IEnumerable<(string Key, string Path)> InputFiles() => new (string Key, string? Path)[]
    {
        ("a", PathA), ("b", PathB), ("labels", Labels), ("images", Images), ("texts", Texts),
        ("ids", Ids), ("ids_a", IdsA), ("ids_b", IdsB), ("metadata", Metadata),
    }.Where(input => input.Path is not null).Select(input => (input.Key, input.Path!));

    private (string A, string B) Names() =>
        ChooseNames(new(PathA, KeyA, NameA, "--name-a"), new(PathB, KeyB, NameB, "--name-b"), "model");

    /// <summary>One side as it is named: its file and key, the name the user gave (or null) and the flag that gives it.</summary>
    public readonly record struct NamedSide(string Path, string? Key, string? Given, string Flag);

    /// <summary>
    /// The names the summary and the report use: those given, else <paramref name="defaults"/> or <see cref="DefaultNames"/>.
    /// A given name that is also the other side's is refused: it would read "X keeps … together that X pulls apart".
    /// </summary>
    public static (string A, string B) ChooseNames(NamedSide first, NamedSide second, string what, (string A, string B)? defaults = null)
    {
        var (a, b) = defaults ?? DefaultNames(first.Path, first.Key, second.Path, second.Key);
        (a, b) = (first.Given ?? a, second.Given ?? b);
        if (a == b && (first.Given ?? second.Given) is not null)
            throw new RepDiffInputException($"{(second.Given is not null ? second.Flag : first.Flag)} {a}: is also what the other {what} is called; give the two {what}s different names");
        return (a, b);
    }

    /// <summary>
    /// What the summary and the report call two inputs when the user names neither: their file names, or, when those are
    /// the same (dino/features.npy and dinov2/features.npy, the usual layout), the array keys or as many parent folders as
    /// tell them apart; "features.npy keeps … together that features.npy pulls apart" said nothing.
    /// </summary>
    public static (string A, string B) DefaultNames(string pathA, string? keyA, string pathB, string? keyB)
    {
        string a = Path.GetFileName(pathA), b = Path.GetFileName(pathB);
        if (a != b) return (a, b);
        if (keyA != keyB) return (Side(pathA, keyA), Side(pathB, keyB));
        char[] separators = ['/', Path.DirectorySeparatorChar];
        string[] partsA = Path.GetFullPath(pathA).Split(separators, StringSplitOptions.RemoveEmptyEntries);
        string[] partsB = Path.GetFullPath(pathB).Split(separators, StringSplitOptions.RemoveEmptyEntries);
        for (int last = 2; last <= Math.Max(partsA.Length, partsB.Length); last++)
        {
            a = string.Join('/', partsA.TakeLast(last));
            b = string.Join('/', partsB.TakeLast(last));
            if (a != b) return (a, b);
        }
        // One file by two paths (refused by the commands that explain a difference; metrics and finc take it): its name, not
        // every folder above it, which a shared report would give away.
        return (Path.GetFileName(pathA), Path.GetFileName(pathB));
    }

    /// <summary>
    /// The pair without loading it: memory-mapped row files (.npy, .safetensors) that streaming routes read
    /// in batches and other methods load on first use. Inputs joined by id are loaded (<see cref="Load"/>), and so are
    /// inputs that carry their own ids (JSON Lines records' ids, an .npz's or .pt's ids beside the embeddings): those are
    /// used as an ids file's would be.
    /// </summary>
    public RepresentationPair Open() => Open(null);

    /// <summary><see cref="Open()"/>, an input whose archive <paramref name="archives"/> has open already read through it.</summary>
    public RepresentationPair Open(InputArchives? archives)
    {
        if (JoinsById) return Load(archives);
        CheckFlags();
        var (nameA, nameB) = Names(); // before any file is opened: a name clash is refused without reading
        var a = Embeddings.Open(InputA, KeyA, idColumn: null, validate: true, archives);
        readA = (PathA, KeyA, a.ArrayName);
        try
        {
            var b = Embeddings.Open(InputB, KeyB, idColumn: null, validate: true, archives);
            readB = (PathB, KeyB, b.ArrayName);
            if (a.Ids is not null || b.Ids is not null)
                using (b)
                {
                    var (sideA, sideB) = (Side(a, IdsA, "--ids-a"), Side(b, IdsB, "--ids-b"));
                    a.Dispose();
                    return Joined(sideA, sideB, nameA, nameB);
                }
            if (CommonSamples || a.Rows != b.Rows)
            {
                b.Dispose();
                if (CommonSamples) throw NoIdsToKeepBy($"neither {a.Name} nor {b.Name} has any");
                throw RowCountMismatch(a.Name, a.Rows, a.Cols, b.Name, b.Rows, b.Cols);
            }
            return new RepresentationPair(a, b, LoadSamples(a.Rows)) { NameA = nameA, NameB = nameB };
        }
        catch
        {
            a.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A flag that names part of an input picks nothing when there is no such part: refused rather than ignored. A key
    /// for files that hold one array (<see cref="Embeddings.CheckKey"/>), a JSONL field without --texts, a metadata
    /// column without --metadata, an id column when neither input nor the metadata has columns.
    /// </summary>
    private void CheckFlags()
    {
        // One key for both sides came from --key (or --column): it picks the array of every input that has arrays, and is
        // checked against both files whether or not --key-a or --key-b overrides it for one (`--key emb --key-a emb` on an
        // .npz A and an .npy B had been refused naming --key, as if given for B alone, where --key alone ran). A side's own
        // key, from --key-a or --key-b (or their --column aliases), is checked against its own file. Without a key (or an id
        // column) the files are not looked at before the names are chosen (Open), as before.
        if (KeyA is not null) Embeddings.CheckKey(KeyFlagA, KeyA, KeyForBoth(KeyFlagA) ? [InputA, InputB] : [InputA]);
        if (KeyFlagB != KeyFlagA && KeyB is not null) Embeddings.CheckKey(KeyFlagB, KeyB, KeyForBoth(KeyFlagB) ? [InputA, InputB] : [InputB]);
        if (TextField is not null && Texts is null)
            throw new RepDiffInputException($"--text-field {TextField}: names the field of a --texts JSONL file, but no --texts was given");
        if (MetadataIdColumn is not null && Metadata is null)
            throw new RepDiffInputException($"--metadata-id-column {MetadataIdColumn}: names a column of the --metadata file, but no --metadata was given");
        if (Metadata is null && IdColumn is not null) Embeddings.CheckIdColumn(IdColumn, [InputA, InputB], alsoMetadata: true);
    }

    /// <summary>
    /// A and B of different row counts; one whose columns number the other's rows was most likely saved transposed
    /// (dimensions × samples, as a feature matrix of some libraries is), which the counts alone did not say.
    /// </summary>
    private static RepDiffInputException RowCountMismatch(string nameA, int rowsA, int colsA, string nameB, int rowsB, int colsB)
    {
        // When each could be the other transposed (16 × 200 beside 200 × 16), the one with fewer rows than columns is: samples
        // usually outnumber dimensions.
        bool bTransposed = colsB == rowsA && (colsA != rowsB || rowsB < colsB);
        bool aTransposed = !bTransposed && colsA == rowsB;
        string transposed = bTransposed ? $"; {nameB} is {rowsB} × {colsB}: saved transposed (dimensions × samples)? save its transpose (x.T)"
            : aTransposed ? $"; {nameA} is {rowsA} × {colsA}: saved transposed (dimensions × samples)? save its transpose (x.T)" : " (or give ids to join them)";
        return new RepDiffInputException($"{nameA} has {rowsA} row{(rowsA == 1 ? "" : "s")} but {nameB} has {rowsB}; both must hold the same samples{transposed}");
    }

    /// <summary>Loads and validates both representations and the side information; any problem is a RepDiffInputException.</summary>
    public RepresentationPair Load() => Load(null);

    /// <summary><see cref="Load()"/>, an input whose archive <paramref name="archives"/> has open already read through it.</summary>
    public RepresentationPair Load(InputArchives? archives)
    {
        CheckFlags();
        var (shownA, shownB) = Names();
        LoadedSide a, b;
        using (var rows = Embeddings.Open(InputA, KeyA, IdColumn, validate: true, archives))
        {
            a = Side(rows, IdsA, "--ids-a");
            readA = (PathA, KeyA, rows.ArrayName);
        }
        using (var rows = Embeddings.Open(InputB, KeyB, IdColumn, validate: true, archives))
        {
            b = Side(rows, IdsB, "--ids-b", a);
            readB = (PathB, KeyB, rows.ArrayName);
        }
        return Joined(a, b, shownA, shownB);
    }

    /// <summary>B's rows in A's order by their ids when both have ids, else row for row; the samples carry A's ids (or B's).</summary>
    private RepresentationPair Joined(LoadedSide a, LoadedSide b, string shownA, string shownB)
    {
        if (CommonSamples) return CommonRows(a, b, shownA, shownB);
        var valuesB = b.Values;
        if (a.Ids is not null && b.Ids is not null)
            valuesB = valuesB.SelectRows(JoinedToA(b, () => SampleFiles.JoinById(a.Ids, a.IdSource, b.Ids, b.IdSource)));
        else if (a.Values.Rows != b.Values.Rows)
            throw RowCountMismatch(a.Name, a.Values.Rows, a.Values.Cols, b.Name, b.Values.Rows, b.Values.Cols);
        return new RepresentationPair(a.Values, valuesB, LoadSamples(a.Values.Rows, a.Ids ?? b.Ids, OneSidedIds(a, b))) { NameA = shownA, NameB = shownB };
    }

    /// <summary>
    /// Ids that only one input carries (a JSON Lines B beside an .npy A) name the other's rows matched by position: said, as a
    /// warning, since the pairing is by position all the same (it had gone unsaid). Ids given for one side (--ids-a, --ids-b)
    /// are the user's choice, and --ids gives every input without its own ids the same ones, so neither is warned of.
    /// </summary>
    private string? OneSidedIds(LoadedSide a, LoadedSide b)
    {
        if ((a.Ids is null) == (b.Ids is null) || IdsA is not null || IdsB is not null) return null;
        var (without, with, flag) = a.Ids is null ? (a, b, "--ids-a") : (b, a, "--ids-b");
        // File names, as results.json names its inputs: the warning is kept there too.
        string none = Path.GetFileName(without.Name), named = Path.GetFileName(with.Name), source = Path.GetFileName(with.IdSource);
        return $"{none} carries no ids; its rows are matched to {named}'s by position and named by {source}'s ids "
            + $"(if they are not the same samples in the same order, give {none}'s ids with {flag} to join them by id)";
    }

    /// <summary>B's ids joined to A's; a refusal that names B's ids file (an id A lacks) names the option that gave it too.</summary>
    private static T JoinedToA<T>(LoadedSide b, Func<T> join) =>
        b.IdsFile is { } idsFile ? RepDiffInputException.GivenWith(b.IdsFlag!, idsFile, join) : join();

    /// <summary>--common-samples: the rows of A whose id B has, B's rows joined to them, the side information following A's rows.</summary>
    private RepresentationPair CommonRows(LoadedSide a, LoadedSide b, string shownA, string shownB)
    {
        if (a.Ids is null || b.Ids is null)
            throw NoIdsToKeepBy(a.Ids is null && b.Ids is null ? $"neither {a.Name} nor {b.Name} has any" : $"{(a.Ids is null ? a.Name : b.Name)} has none");
        var (rowsA, rowsB, leftOut) = JoinedToA(b, () => SampleFiles.CommonIds(a.Ids, a.IdSource, b.Ids, b.IdSource));
        // Side files describe A's rows as given, so they are read for all of them (each count checked against A's) and then kept for the common rows.
        var samples = LoadSamples(a.Values.Rows, a.Ids).Keep(rowsA, leftOut);
        var valuesA = leftOut.CountA == 0 ? a.Values : a.Values.SelectRows(rowsA);
        return new RepresentationPair(valuesA, b.Values.SelectRows(rowsB), samples) { NameA = shownA, NameB = shownB };
    }

    /// <summary>--common-samples without ids on both sides: <paramref name="lacking"/> says which has none ("b.npy has none").</summary>
    private static RepDiffInputException NoIdsToKeepBy(string lacking) =>
        new($"--common-samples: keeps the samples both A and B hold by their ids, but {lacking}; give ids (--ids-a and --ids-b, --ids or --id-column, or ids the files carry)");

    /// <summary>
    /// The side information (labels, images, texts, metadata) for n samples, each count checked against n; for
    /// callers that stream the rows themselves instead of calling <see cref="Load"/>.
    /// </summary>
    public SampleInfo LoadSamples(int n, string[]? ids = null, string? idsWarning = null)
    {
        var samples = new SampleInfo
        {
            InputWarnings = Embeddings.FormatWarnings(InputA, InputB).Append(idsWarning).OfType<string>().ToList(),
            Ids = ids,
            Labels = Labels is null ? null : RepDiffInputException.GivenWith("--labels", Labels, () => CountedLabels(LoadLabels(n, ids), n)),
            Images = Images is null ? null : RepDiffInputException.GivenWith("--images", Images, () =>
            {
                var images = ImagesOf(SampleFiles.LoadImages(Images), ids);
                CheckCount(Images, images.Count, n);
                return images;
            }),
            Texts = Texts is null ? null : RepDiffInputException.GivenWith("--texts", Texts, () =>
            {
                var texts = SampleFiles.LoadTexts(Texts, TextField);
                // JSON Lines' blank lines are no records: only a file of one text per line has blank lines to name.
                CheckCount(Texts, texts.Length, n, texts is [var text, ..] ? text : null, texts: SampleFiles.IsJsonLines(Texts, TextField) ? null : texts);
                return texts;
            }),
            Metadata = Metadata is null ? null : RepDiffInputException.GivenWith("--metadata", Metadata, () => MetadataFile.Load(Metadata, n, ids, MetadataIdColumn, [IdColumn, "id"])),
        };
        return samples;
    }

    /// <summary>The labels, once their count is the samples' (<paramref name="n"/>).</summary>
    private SampleLabels CountedLabels(SampleLabels labels, int n)
    {
        CheckCount(Labels, labels.Codes.Length, n, labels.Codes.Length > 0 ? labels[0] : null, labels: true);
        return labels;
    }

    /// <summary>
    /// Image files joined to the samples by id where the ids name every sample's file as embed writes them (its path relative
    /// to the folder or manifest), else row for row. `embed --skip-unreadable` leaves a broken image out of its rows and ids,
    /// so the folder it read held more images than the model's rows: "has 58 entries but the representations have 56 rows"
    /// had refused the journey --common-samples is documented for.
    /// </summary>
    private static ImageSet ImagesOf(ImageSet images, string[]? ids)
    {
        if (ids is null || images.FileNames is not { } names) return images;
        var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++) rowOf.TryAdd(names[i], i);
        var rows = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++)
            if (!rowOf.TryGetValue(ids[i], out rows[i])) return images;
        return rows.Length == names.Length && rows.Select((row, i) => row == i).All(same => same) ? images : images.SelectRows(rows);
    }

    /// <summary>The labels' count against n before the representations exist (compare --model-a/-b, before embedding).</summary>
    public void CheckLabelCount(int n)
    {
        if (Labels is not null) RepDiffInputException.GivenWith("--labels", Labels, () => CountedLabels(SampleFiles.LoadLabels(Labels), n));
    }

    /// <summary>
    /// One input's matrix, its display name, its ids (its ids file, its own, or the shared ids file), the file they came from,
    /// and the ids file with the option that gave it (--ids, --ids-a or --ids-b), which its refusals name.
    /// </summary>
    private readonly record struct LoadedSide(Matrix Values, string Name, string[]? Ids, string IdSource, string? IdsFile, string? IdsFlag);

    /// <summary>
    /// One input's rows loaded, with the ids that go with them: its own ids file before the ids the file carries, those before
    /// --ids. An ids file <paramref name="before"/> (A's side) read already is not read again: --ids (or one file given as
    /// --ids-a and --ids-b) names both inputs' rows, and had been read once for each.
    /// </summary>
    /// <remarks>
    /// <paramref name="sideFlag"/> is the option that gives this side's own ids file (--ids-a or --ids-b); the file --ids gave
    /// is named by --ids, also where compare --model-a passes it as each side's.
    /// </remarks>
    private LoadedSide Side(RowFile rows, string? idsFile, string sideFlag, LoadedSide? before = null)
    {
        var values = rows.Load();
        string? file = idsFile ?? (rows.Ids is null ? Ids : null);
        if (file is null) return CountedIds(rows.Ids, rows.Name, rows, values, null, null);
        string flag = file == Ids ? "--ids" : sideFlag;
        return RepDiffInputException.GivenWith(flag, file, () => CountedIds(
            before is { IdsFile: { } read } a && read == file ? a.Ids : SampleFiles.LoadIds(file), file, rows, values, file, flag));
    }

    /// <summary>The side once its ids, if any, number its rows.</summary>
    private static LoadedSide CountedIds(string[]? ids, string idSource, RowFile rows, Matrix values, string? idsFile, string? idsFlag)
    {
        if (ids is not null && ids.Length != values.Rows)
            throw RepDiffInputException.ForFile(idSource, $"has {ids.Length} ids but {rows.Name} has {values.Rows} rows; give one id per row, in the order of its rows");
        // A join that fails names the file that holds the ids: an ids file, not the embeddings beside it that hold none.
        return new LoadedSide(values, rows.Name, ids, idSource, idsFile, idsFlag);
    }

    /// <summary>
    /// --labels: one label per line (or a 1-D .npy), or a .csv/.tsv table with a header whose column 'label' holds them,
    /// its rows matched to the samples as --metadata's are (by an id column when the samples have ids, else by row): the
    /// table a pandas user writes (id,label) had been refused, pointing to --metadata, which gives no labels (helper 79).
    /// </summary>
    private SampleLabels LoadLabels(int n, string[]? ids)
    {
        if (SampleFiles.LabelColumnOf(Labels!) is not { } column) return SampleFiles.LoadLabels(Labels!);
        var table = MetadataFile.Load(Labels!, n, ids, guessIdColumns: [IdColumn, "id"]);
        var values = table[column]?.Values ?? throw RepDiffInputException.ForFile(Labels!, $"its column '{column}' holds the ids the rows are joined on, not labels");
        int missing = Array.FindIndex(values, string.IsNullOrWhiteSpace);
        if (missing >= 0) throw RepDiffInputException.ForFile(Labels!, $"sample {missing} has no label in column '{column}'; every sample needs a label (write one such as 'unknown' for samples without)");
        SampleFiles.RefuseSpacingTwins(Labels!, values!, i => $"sample {i}");
        return new SampleLabels(values!);
    }

    private static void CheckCount(string? path, int? count, int n, string? first = null, bool labels = false, string[]? texts = null)
    {
        if (path is not null && count != n && texts is not null && SampleFiles.OnePageOfTexts(path, texts, n) is { } page) throw page;
        if (path is not null && count != n)
            throw RepDiffInputException.ForFile(path, $"has {count} entries but the representations have {n} rows"
                + (Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase) ? ""
                    : TextLines.LoneCarriageReturnNote(path) is { Length: > 0 } lone ? lone
                    : BlankTextsNote(path, texts, n) ?? HeaderNote(path, count, n, first, labels) ?? (labels ? LabelsPerRowNote : "")));
    }

    /// <summary>What a labels file of another count should be: the counts alone had left the user without a next step.</summary>
    private const string LabelsPerRowNote = "; give one label per line, in the order of the representations' rows, "
        + "or a .csv with an id column and a 'label' column to join them by id";

    /// <summary>
    /// Texts whose blank lines make up the difference: RepDiff reads a blank line as a text of its own (`embed` embeds it in
    /// its row), but an embedding script that skipped them (`if line.strip()`) made fewer rows than the file has lines, and
    /// "has 1,002 entries" alone had left the user counting.
    /// </summary>
    private static string? BlankTextsNote(string path, string[]? texts, int n)
    {
        if (texts is null) return null;
        int blank = texts.Count(BlankTexts.IsBlank);
        return blank > 0 && texts.Length - blank == n
            ? $"; its {blank:N0} blank line{(blank == 1 ? "" : "s")} make{(blank == 1 ? "s" : "")} the difference: if the embeddings left them out, "
                + $"leave them out of it too ({BlankTexts.GrepLeavingOut(path)}), or embed them, as `repdiff embed` does"
            : null;
    }

    /// <summary>
    /// One entry more than the samples, in a file of one entry per line: its first line is likely a header (pandas'
    /// to_csv(index=False) of one column writes the column's name first), so the error names it and what to do, where
    /// "has 201 entries" alone had left the user counting lines.
    /// </summary>
    private static string? HeaderNote(string path, int? count, int n, string? first, bool labels)
    {
        if (count != n + 1 || first is null) return null;
        bool table = Path.GetExtension(path).ToLowerInvariant() is ".csv" or ".tsv";
        return $"; one more than the samples: if its first line ('{NpyDtype.Truncate(first)}') is a header, remove it"
            + (labels && table ? ", or name that column 'label'" : "");
    }
}
