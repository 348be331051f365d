namespace RepDiff.IO;

/// <summary>
/// A file of named arrays (.npz, .safetensors, .pt, .h5) with its index read once (the zip directory, the JSON header, the
/// pickle), so that `inspect` opens each of a state dict's thousands of arrays without reading the index again for each;
/// a Parquet or Arrow table is one too, its columns the keys (<see cref="TableArchive"/>).
/// </summary>
public abstract class ArrayArchive(string path) : IDisposable
{
    public string Path { get; } = path;

    /// <summary>The arrays' names, as --key gives them.</summary>
    public abstract IReadOnlyList<string> Keys { get; }

    /// <summary>How many keys the flag chooses between (a table's float-list columns: its ids and scalars are never chosen; nor ids kept beside the embeddings).</summary>
    public virtual int ChoiceCount => Keys.Count(key => !IsIds(key));

    /// <summary>
    /// The names sample ids are kept under beside the embeddings, in the order looked for: np.savez(path, emb=…, ids=…),
    /// torch.save({"emb": t, "ids": [...]}), save_file({"emb": t, "ids": ids}), h5py's f["ids"] = ids.
    /// </summary>
    public static readonly string[] IdNames = ["ids", "id"];

    /// <summary>
    /// Whether the format keeps ids beside its embeddings (.npz, .pt, .safetensors, .h5, <see cref="EmbeddingFormat.KeepsIds"/>):
    /// then an array named by <see cref="IdNames"/> is read as the ids. Each archive reads one format, so it says this of
    /// itself rather than reading the file's first bytes again; a table (<see cref="TableArchive"/>) does not.
    /// </summary>
    protected virtual bool KeepsIds => true;

    /// <summary>Whether the array of this key holds ids kept beside the embeddings, not embeddings to choose.</summary>
    protected virtual bool IsIds(string key) => KeepsIds && IdNames.Contains(key);

    /// <summary>Ids kept beside the embeddings: <paramref name="Source"/> names them in messages ("a.npz[ids]"), <paramref name="From"/> says where they came from (inspect).</summary>
    protected sealed record KeptIds(string[] Ids, string Source, string From);

    /// <summary>Ids kept as the array <paramref name="key"/> beside the embeddings.</summary>
    protected KeptIds Beside(string key, string[] ids) => new(ids, NameOf(key), $"'{key}' beside the embeddings");

    /// <summary>
    /// The ids kept under <paramref name="idName"/> beside the array <paramref name="chosen"/>, or null when there is
    /// nothing of that name; something there that is no ids (floats, a dict) is an error naming it. A reader whose ids
    /// declare their count before they are read refuses a count other than <paramref name="rows"/>' there.
    /// </summary>
    protected virtual KeptIds? IdsBeside(string idName, string chosen, RowFile rows) => null;

    /// <summary>
    /// Where the ids under <paramref name="idName"/> beside <paramref name="chosen"/> are kept: the same for every array of a
    /// file unless its format keeps ids per group (an .h5's group, a .pt's dict).
    /// </summary>
    protected virtual string IdsPlace(string idName, string chosen) => idName;

    /// <summary>The ids found (or not) at each place, checked: read once per archive, not once per array `inspect` lists.</summary>
    private readonly Dictionary<string, KeptIds?> idsByPlace = new(StringComparer.Ordinal);

    /// <summary>
    /// <see cref="IdsBeside"/>, checked (none blank, none repeated) and kept per place, so that they are read once per archive,
    /// not once per array `inspect` lists. Ids of another count than these rows are returned unchecked and not kept, for
    /// the caller to refuse by their count first, as before; a failure is not kept either, so each array listed says it.
    /// </summary>
    private KeptIds? CheckedIdsBeside(string idName, string chosen, RowFile rows)
    {
        string place = IdsPlace(idName, chosen);
        if (idsByPlace.TryGetValue(place, out var known)) return known;
        var kept = IdsBeside(idName, chosen, rows);
        if (kept is not null && kept.Ids.Length != rows.Rows) return kept;
        if (kept is not null) kept = kept with { Ids = TableColumnChoice.CheckIds(kept.Source, "the id", kept.Ids) };
        idsByPlace[place] = kept;
        return kept;
    }

    /// <summary>The refusal of ids whose count is not the rows' (<see cref="WithIdsBeside"/>, and readers that know the count first).</summary>
    protected static RepDiffInputException CountMismatch(string source, long ids, RowFile rows) =>
        RepDiffInputException.ForFile(source, $"has {ids:N0} ids but {rows.Name} has {rows.Rows:N0} rows");

    /// <summary>
    /// The rows with the ids kept beside them (unless the rows are the ids themselves): checked as an id column's are (none
    /// blank, none repeated) and against the rows' count. The rows are disposed when the ids are refused.
    /// </summary>
    protected RowFile WithIdsBeside(RowFile rows, string chosen)
    {
        // One sample's vector has no ids of its own: the samples' ids are looked for once, for all of them (ReadVectors).
        if (!KeepsIds || IsIds(chosen) || readingVectors) return rows;
        try
        {
            foreach (string idName in IdNames)
            {
                if (CheckedIdsBeside(idName, chosen, rows) is not { } kept) continue;
                if (kept.Ids.Length != rows.Rows) throw CountMismatch(kept.Source, kept.Ids.Length, rows);
                rows.Ids = kept.Ids;
                rows.IdsFrom = kept.From;
                return rows;
            }
            return rows;
        }
        catch
        {
            rows.Dispose();
            throw;
        }
    }

    /// <summary>One array's element type (null when RepDiff does not read it; <paramref name="DtypeName"/> says which) and shape.</summary>
    protected readonly record struct ArrayShape(NpyDtype? Dtype, string DtypeName, long[] Shape);

    /// <summary>
    /// The array's element type and shape, from the file's index or the array's header, without its values; null where the
    /// format holds no per-sample vectors (a table's columns).
    /// </summary>
    protected virtual ArrayShape? ShapeOf(string key) => null;

    /// <summary>
    /// The file's vectors when it holds one per sample (every array besides the ids 1-D, at least two of them:
    /// np.savez(path, *vecs), torch.save({name: vec}), one dataset per sample), else null: their keys in the file's order,
    /// each with the index of its (dtype, length) in Kinds. Found once per archive, from the arrays' shapes alone.
    /// </summary>
    private (List<string> Keys, List<(NpyDtype? Dtype, string DtypeName, long Length)> Kinds, int[] KindOf)? vectors;
    private bool vectorsKnown;

    private (List<string> Keys, List<(NpyDtype? Dtype, string DtypeName, long Length)> Kinds, int[] KindOf)? Vectors()
    {
        if (vectorsKnown) return vectors;
        vectorsKnown = true;
        var keys = Keys.Where(key => !IsIds(key)).ToList();
        if (keys.Count < 2) return null;
        var kinds = new List<(NpyDtype?, string DtypeName, long Length)>();
        var kindIndex = new Dictionary<(string, long), int>();
        var kindOf = new int[keys.Count];
        for (int i = 0; i < keys.Count; i++)
        {
            // A 2-D (or 0-D) array among them makes it an archive of several arrays, one of which --key picks, as before;
            // so does one whose header is refused, which reading it by its key names.
            ArrayShape? described;
            try { described = ShapeOf(keys[i]); }
            catch (RepDiffInputException) { return null; }
            if (described is not { Shape.Length: 1 } shape) return null;
            if (!kindIndex.TryGetValue((shape.DtypeName, shape.Shape[0]), out int kind))
            {
                kindIndex.Add((shape.DtypeName, shape.Shape[0]), kind = kinds.Count);
                kinds.Add((shape.Dtype, shape.DtypeName, shape.Shape[0]));
            }
            kindOf[i] = kind;
        }
        return vectors = (keys, kinds, kindOf);
    }

    /// <summary>Whether the file holds one vector per sample, read without --key as one row each (what `inspect` says of it).</summary>
    public bool HoldsVectorPerSample => Vectors() is not null;

    /// <summary>Set while one sample's vector is read as rows of its own, so that neither ids nor the per-sample checks apply to it.</summary>
    private bool readingVectors;

    /// <summary>Whether the array being opened is one sample's vector, whose memory the whole matrix's estimate has counted already.</summary>
    protected bool ReadingVector => readingVectors;

    /// <summary>
    /// The rows a file of one vector per sample holds (no key), or null when it is no such file; the refusal of a key that
    /// names one sample's vector there: read as n×1 it had been a quietly wrong embedding. Every archive's OpenRows asks
    /// this first. Elsewhere a 1-D array a key names stays one column, as a 1-D .npy is.
    /// </summary>
    protected RowFile? VectorRows(string? key, bool checkFinite)
    {
        if (readingVectors || Vectors() is not { } found) return null;
        if (key is null) return ReadVectors(found.Keys, found.Kinds, found.KindOf, checkFinite);
        string named = ArrayNamed(key);
        if (IsIds(named) || !found.Keys.Contains(named)) return null;
        var (_, dtypeName, length) = found.Kinds[found.KindOf[found.Keys.IndexOf(named)]];
        throw RepDiffInputException.ForFile(Path, $"'{NpyDtype.Truncate(named)}' is one sample's vector of {length:N0} {dtypeName} values; this file holds one vector per sample "
            + $"({found.Keys.Count:N0} of them): read it without {KeyFlag}, as {found.Keys.Count:N0} rows");
    }

    /// <summary>
    /// One row per vector, in the file's order: the order the arrays were saved in (np.savez's arr_0 … arr_10 included, which
    /// a natural sort would also give, but names such as "img/b.jpg" have no order but the file's; safetensors' and h5py's
    /// writers keep them by name), the keys as the samples' ids unless ids are kept beside them. The whole matrix is
    /// estimated against memory before a vector is read.
    /// </summary>
    private RowFile ReadVectors(List<string> keys, List<(NpyDtype? Dtype, string DtypeName, long Length)> kinds, int[] kindOf, bool checkFinite)
    {
        // The kind most vectors share; the first vector of another is named, with the others' shape.
        var counts = new int[kinds.Count];
        foreach (int kind in kindOf) counts[kind]++;
        int common = Array.IndexOf(counts, counts.Max());
        var (dtype, dtypeName, length) = kinds[common];
        if (Array.FindIndex(kindOf, kind => kind != common) is var odd and >= 0)
        {
            var (_, oddDtype, oddLength) = kinds[kindOf[odd]];
            throw RepDiffInputException.ForFile(NameOf(keys[odd]), $"is a vector of shape ({oddLength},) {oddDtype}, but the file's other vectors are ({length},) {dtypeName}: "
                + "a file of one vector per sample needs every vector of one length and dtype; save them again alike (or as one n×d matrix)");
        }
        if (dtype is not { IsNumeric: true })
            throw RepDiffInputException.ForFile(Path, $"holds {keys.Count:N0} vectors of {dtypeName}, which are not numbers; embeddings must be numbers");
        if (length > int.MaxValue)
            throw RepDiffInputException.ForFile(Path, $"holds vectors of {length:N0} values, more than {int.MaxValue:N0}");
        int d = (int)length;
        MemoryBudget.EnsureFits(Path, (long)keys.Count * d * sizeof(float), $"{keys.Count:N0} vectors of {d:N0} values as float32");
        var matrix = new Matrix(keys.Count, d);
        readingVectors = true;
        try
        {
            for (int i = 0; i < keys.Count; i++)
            {
                var row = matrix.Data.AsSpan(i * d, d);
                using (var vector = OpenRows(keys[i], checkFinite: false)) vector.ReadRows(0, d, row);
                if (checkFinite && RowFile.FirstNonFinite(row) is var bad and >= 0)
                    throw RowFile.NotFinite(NameOf(keys[i]), $"value {bad}", float.IsNaN(row[bad]) ? "NaN"
                        : (row[bad] > 0 ? "Inf" : "-Inf") + (dtype.Size == 8 ? " as float32 (infinite, or beyond the ±3.4e38 RepDiff computes in)" : ""));
            }
        }
        finally
        {
            readingVectors = false;
        }
        const string Names = "the arrays' names";
        var rows = new RowFile(Path, matrix, checkFinite: false, storedAs: dtype)
        {
            Ids = TableColumnChoice.CheckIds(Path, Names, keys.ToArray()),
            IdsFrom = Names,
        };
        // Ids kept beside them (np.savez(path, *vecs, ids=names)) name the samples rather than arr_0, arr_1, ….
        rows = WithIdsBeside(rows, chosen: "");
        rows.VectorsFrom = $"{keys.Count:N0} vectors of {d:N0} {dtypeName}, one per sample (ids: {(rows.IdsFrom == Names ? "their names" : rows.IdsFrom)})";
        return rows;
    }

    /// <summary>What the keys are called, and the flag that names one, as listings and messages say them.</summary>
    public virtual string KeysAre => "arrays";
    public virtual string KeyFlag => "--key";

    /// <summary>
    /// A table's columns with what each holds, for `inspect` to list when the table has no float-list column to show (a
    /// wide table, a table of token matrices); null for other archives.
    /// </summary>
    public virtual IReadOnlyList<(string Name, string Holds)>? ColumnTypes => null;

    /// <summary>What error messages about one array name it by ("a.npz[emb]").</summary>
    public virtual string NameOf(string key) => $"{Path}[{key}]";

    /// <summary>The array named by key, or the only one when key is null; the rows stay readable after the archive is closed.</summary>
    public abstract RowFile OpenRows(string? key, bool checkFinite);

    /// <summary>
    /// The name of the array <paramref name="key"/> picks, as <see cref="Keys"/> lists it: one array has one name however its
    /// key was typed ("x.npy" of an .npz is its "x", "/emb" of an .h5 its "emb"), so that keys are compared by the array they
    /// read. No key names the only array, as <see cref="OpenRows"/> reads it; refused as OpenRows refuses a key that names none.
    /// </summary>
    public virtual string ArrayNamed(string? key) => ChooseKey(key, Keys, k => k);

    /// <summary>
    /// <see cref="OpenRows"/> of the array a key names, with its name as the file lists it (<see cref="RowFile.ArrayName"/>),
    /// looked up in this opening of the file rather than in another after the run.
    /// </summary>
    public RowFile OpenNamedRows(string? key, bool checkFinite)
    {
        var rows = OpenRows(key, checkFinite);
        try { rows.ArrayName = key is null ? null : ArrayNamed(key); }
        catch { rows.Dispose(); throw; }
        return rows;
    }

    public virtual void Dispose() { }

    /// <summary>The file opened as an archive of arrays (or of a table's columns), or null when its format holds one array.</summary>
    public static ArrayArchive? Open(string path) => Open(EmbeddingInput.Of(path));

    /// <summary>The input opened as an archive by the format read where it was named, or null when that format holds one array.</summary>
    public static ArrayArchive? Open(EmbeddingInput input) => input.Format?.OpenArchive?.Invoke(input.Path);

    /// <summary>
    /// The ids of an array kept beside the embeddings: one per element of a 1-D array of strings or integers, as an ids
    /// .npy holds them (integers exactly, strings without their padding); any other array is refused naming it.
    /// </summary>
    private protected static string[] IdStrings(string name, NpyDtype dtype, long[] shape, ArrayBytes bytes)
    {
        if (dtype.Kind is not ('U' or 'S' or 'i' or 'u')) throw NotIds(name, $"{dtype.Name} values");
        CheckIdsShape(name, shape);
        var ids = new string[shape[0]];
        for (int i = 0; i < ids.Length; i++) ids[i] = dtype.FormatElement(bytes.Slice((long)i * dtype.Size, dtype.Size));
        return ids;
    }

    /// <summary>Something kept under an ids name that holds no ids (<paramref name="holds"/>: "float32 values").</summary>
    private protected static RepDiffInputException NotIds(string name, string holds) =>
        RepDiffInputException.ForFile(name, $"holds {holds} beside the embeddings, not ids; ids are strings or integers (or give --ids-a/--ids-b, or --key to pick the embeddings)");

    /// <summary>Ids are one per sample: a 1-D array, or a column of one.</summary>
    private protected static void CheckIdsShape(string name, long[] shape)
    {
        if (!(shape.Length == 1 || shape.Length == 2 && shape[1] == 1))
            throw RepDiffInputException.ForFile(name, $"expected one id per sample (a 1-D array), found shape {RowFile.ShapeText(shape)}");
    }

    /// <summary>Each entry by its name and its displayed name, built on the first lookup: the names of an archive never change.</summary>
    private Dictionary<string, string>? entryByKey;
    private List<string>? entryNames;

    /// <summary>
    /// The entry named by key (compared after <paramref name="display"/>, so "x" finds "x.npy"), or the only entry.
    /// Looked up, not searched: `inspect` opens every array by its key, and a search per key took minutes for 50,000 entries.
    /// </summary>
    protected string ChooseKey(string? key, IEnumerable<string> names, Func<string, string> display)
    {
        if (entryByKey is null)
        {
            entryNames = names.ToList();
            entryByKey = new Dictionary<string, string>(entryNames.Count * 2, StringComparer.Ordinal);
            // In the names' order, an exact name before a displayed one of the same entry, so the first match wins as a search did.
            foreach (string name in entryNames)
            {
                entryByKey.TryAdd(name, name);
                entryByKey.TryAdd(display(name), name);
            }
        }
        var all = entryNames!;
        if (key is null)
        {
            if (all.Count == 1) return all[0];
            // Ids kept beside one array leave it the only choice.
            var embeddings = all.Where(name => !IsIds(display(name))).ToList();
            if (embeddings.Count == 1) return embeddings[0];
            // The ids are read with whichever array is chosen, so they are not offered as a choice.
            string besideIds = embeddings.Count < all.Count ? " besides its ids" : "";
            throw RepDiffInputException.ForFile(Path, $"holds {embeddings.Count} arrays{besideIds}; choose one with --key (keys: {KeyList(embeddings, display)})");
        }
        if (entryByKey.TryGetValue(key, out var chosen)) return chosen;
        throw RepDiffInputException.ForFile(Path, $"has no array '{NpyDtype.Truncate(key)}' (keys: {KeyList(all, display)})");
    }

    private static string KeyList(List<string> names, Func<string, string> display)
    {
        var shown = names.Take(20).Select(n => NpyDtype.Truncate(display(n)));
        return string.Join(", ", shown) + (names.Count > 20 ? $", … {names.Count - 20} more" : "");
    }
}
