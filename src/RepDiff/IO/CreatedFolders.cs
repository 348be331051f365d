namespace RepDiff.IO;

/// <summary>
/// The parent folders an output creates, so that a run that fails leaves none of them behind: note
/// <see cref="OutermostMissing"/> before creating a folder, and <see cref="RemoveEmpty"/> after a failure.
/// </summary>
public static class CreatedFolders
{
    /// <summary>The outermost folder on <paramref name="folder"/>'s path that does not exist yet (itself included), or null when it exists.</summary>
    public static string? OutermostMissing(string folder)
    {
        string? outermost = null;
        for (string? f = folder; f is not null && !Path.Exists(f); f = Path.GetDirectoryName(f)) outermost = f;
        return outermost;
    }

    /// <summary>
    /// Deletes <paramref name="folder"/> and its parents up to <paramref name="outermost"/>, innermost first, stopping at
    /// the first that cannot go (something else is in it now).
    /// </summary>
    public static void RemoveEmpty(string folder, string outermost)
    {
        for (string? f = folder; f is not null; f = Path.GetDirectoryName(f))
        {
            try { Directory.Delete(f); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { break; }
            if (f == outermost) break;
        }
    }
}
