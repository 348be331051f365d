namespace RepDiff.IO;

/// <summary>
/// A file of named arrays (.npz, .safetensors, .pt) with its index read once (the zip directory, the JSON header, the
/// pickle), so that `inspect` opens each of a state dict's thousands of arrays without reading the index again for each.
/// </summary>
public abstract class ArrayArchive(string path) : IDisposable
{
    public string Path { get; } = path;

    /// <summary>The arrays' names, as --key gives them.</summary>
    public abstract IReadOnlyList<string> Keys { get; }

    /// <summary>The array named by key, or the only one when key is null; the rows stay readable after the archive is closed.</summary>
    public abstract RowFile OpenRows(string? key, bool checkFinite);

    public virtual void Dispose() { }

    /// <summary>The file opened as an archive of arrays, or null when its format holds one array.</summary>
    public static ArrayArchive? Open(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".npz" => Npz.Open(path),
        ".safetensors" => Safetensors.Open(path),
        ".pt" or ".pth" => TorchFile.Open(path),
        _ => null,
    };

    /// <summary>The entry named by key (compared after <paramref name="display"/>, so "x" finds "x.npy"), or the only entry.</summary>
    protected string ChooseKey(string? key, IEnumerable<string> names, Func<string, string> display)
    {
        var all = names.ToList();
        if (key is null)
        {
            if (all.Count == 1) return all[0];
            throw RepDiffInputException.ForFile(Path, $"holds {all.Count} arrays; choose one with --key (keys: {KeyList(all, display)})");
        }
        foreach (string name in all)
            if (name == key || display(name) == key) return name;
        throw RepDiffInputException.ForFile(Path, $"has no array '{NpyDtype.Truncate(key)}' (keys: {KeyList(all, display)})");
    }

    private static string KeyList(List<string> names, Func<string, string> display)
    {
        var shown = names.Take(20).Select(n => NpyDtype.Truncate(display(n)));
        return string.Join(", ", shown) + (names.Count > 20 ? $", … {names.Count - 20} more" : "");
    }
}
