namespace RepDiff.IO;

/// <summary>What .npz and .safetensors share: choosing one array of several by --key.</summary>
internal static class Archive
{
    /// <summary>The entry named by key (compared after <paramref name="display"/>, so "x" finds "x.npy"), or the only entry.</summary>
    public static string ChooseKey(string path, string? key, IEnumerable<string> names, Func<string, string> display)
    {
        var all = names.ToList();
        if (key is null)
        {
            if (all.Count == 1) return all[0];
            throw RepDiffInputException.ForFile(path, $"holds {all.Count} arrays; choose one with --key (keys: {KeyList(all, display)})");
        }
        foreach (string name in all)
            if (name == key || display(name) == key) return name;
        throw RepDiffInputException.ForFile(path, $"has no array '{NpyDtype.Truncate(key)}' (keys: {KeyList(all, display)})");
    }

    private static string KeyList(List<string> names, Func<string, string> display)
    {
        var shown = names.Take(20).Select(n => NpyDtype.Truncate(display(n)));
        return string.Join(", ", shown) + (names.Count > 20 ? $", … {names.Count - 20} more" : "");
    }
}
