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

    /// <summary>How many keys the flag chooses between (a table's float-list columns: its ids and scalars are never chosen).</summary>
    public virtual int ChoiceCount => Keys.Count;

    /// <summary>What the keys are called, and the flag that names one, as listings and messages say them.</summary>
    public virtual string KeysAre => "arrays";
    public virtual string KeyFlag => "--key";

    /// <summary>What error messages about one array name it by ("a.npz[emb]").</summary>
    public virtual string NameOf(string key) => $"{Path}[{key}]";

    /// <summary>The array named by key, or the only one when key is null; the rows stay readable after the archive is closed.</summary>
    public abstract RowFile OpenRows(string? key, bool checkFinite);

    public virtual void Dispose() { }

    /// <summary>The file opened as an archive of arrays (or of a table's columns), or null when its format holds one array.</summary>
    public static ArrayArchive? Open(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".npz" => Npz.Open(path),
        ".safetensors" => Safetensors.Open(path),
        ".pt" or ".pth" => TorchFile.Open(path),
        ".h5" or ".hdf5" => Hdf5.Open(path),
        ".parquet" => new TableArchive(path, ParquetFile.Columns(path), column => ParquetColumn.Open(path, column, idColumn: null)),
        ".arrow" or ".feather" or ".arrows" or ".ipc" => new TableArchive(path, ArrowColumn.Columns(path), column => ArrowColumn.Open(path, column, idColumn: null)),
        _ => null,
    };

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
            throw RepDiffInputException.ForFile(Path, $"holds {all.Count} arrays; choose one with --key (keys: {KeyList(all, display)})");
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
