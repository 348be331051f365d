namespace RepDiff.IO;

/// <summary>
/// The parent folders an output creates, so that a run that fails leaves none of them behind: <see cref="Record"/> them
/// before creating a folder, and <see cref="Made.Remove"/> them after a failure (the writer of --out, of an embedding file
/// and of a single file, <see cref="AtomicFile"/>, each do).
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

    /// <summary>
    /// The folders an output is about to make for itself (<paramref name="folder"/> and its missing parents), recorded for a
    /// stop before they exist; null when the folder exists. The caller makes it, then keeps the folders once its file is in
    /// place (<see cref="Made.Kept"/>) or removes those still empty when it is not (<see cref="Made.Remove"/>).
    /// </summary>
    public static Made? Record(string folder)
    {
        if (OutermostMissing(folder) is not { } outermost) return null;
        TemporaryPaths.AddCreated(folder, outermost);
        return new Made(folder, outermost);
    }

    /// <summary>The folders one output made: <paramref name="Folder"/> and its parents up to <paramref name="Outermost"/>.</summary>
    public sealed record Made(string Folder, string Outermost)
    {
        /// <summary>Those still empty removed: the output was not put in place.</summary>
        public void Remove()
        {
            RemoveEmpty(Folder, Outermost);
            Kept();
        }

        /// <summary>No longer a stop's to remove.</summary>
        public void Kept() => TemporaryPaths.RemoveCreated(Folder, Outermost);
    }
}
