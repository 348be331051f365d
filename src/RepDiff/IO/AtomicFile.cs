namespace RepDiff.IO;

/// <summary>Writes a file so that readers see either the old file or the complete new one, never a part.</summary>
public static class AtomicFile
{
    /// <param name="output">The run's output (evaluate's, export's): once it is in place the run is complete (<see cref="TemporaryPaths.MarkComplete"/>).</param>
    public static void Write(string path, Action<Stream> write, bool output = false)
    {
        using var pending = Prepare(path, write);
        try
        {
            lock (TemporaryPaths.Gate)
            {
                TemporaryPaths.ThrowIfStopping();
                pending.PutInPlace();
                if (output) TemporaryPaths.MarkComplete();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepDiffInputException($"{path}: cannot be written ({e.Message})");
        }
    }

    public static void WriteAllText(string path, string text, bool output = false) =>
        Write(path, s => Text(s, text), output);

    /// <summary>
    /// Writes the new file beside <paramref name="path"/>, not yet in its place: files that belong together (embed's ids beside
    /// its embeddings) are each written first and then put in place one after another, so that a write that fails (a full disk)
    /// replaces none of them. Disposing it removes the temporary file unless it was put in place.
    /// </summary>
    public static Pending Prepare(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string name = Path.GetFileName(full);
        OutputFolder.CheckTarget(full, "the output file");
        // The folders made for the file go again unless it is put in place (as the embedding writer's and --out's do): an
        // evaluate or export whose write failed had left the new folders above its --out behind, empty.
        var created = CreatedFolders.Record(dir);
        Pending? pending = null;
        try
        {
            try { TemporaryPaths.CreateFolder(dir); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new RepDiffInputException($"{path}: cannot create its folder ({e.Message})");
            }
            var (temp, claim) = OutputFolder.ClaimTemporaryFile(dir, name);
            // The claim is held until the file is in place, so that another run's cleanup never takes it for a dead writer's.
            pending = new Pending(temp, full, claim, created);
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                write(stream);
            return pending;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Abandon(pending, created);
            throw new RepDiffInputException($"{path}: cannot be written ({e.Message})");
        }
        catch
        {
            Abandon(pending, created);
            throw;
        }
    }

    /// <summary>A failed Prepare's file and folders removed: by its Pending once one was made, else here.</summary>
    private static void Abandon(Pending? pending, CreatedFolders.Made? created)
    {
        if (pending is not null) pending.Dispose();
        else created?.Remove();
    }

    public static Pending PrepareText(string path, string text) => Prepare(path, s => Text(s, text));

    private static void Text(Stream stream, string text)
    {
        using var w = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
        w.Write(text);
    }

    /// <summary>A file written beside its place by <see cref="Prepare"/>, waiting to be put there.</summary>
    public sealed class Pending : IDisposable
    {
        private readonly string temp, full;
        private readonly FileStream claim;
        private readonly CreatedFolders.Made? created;
        private bool placed;

        internal Pending(string temp, string full, FileStream claim, CreatedFolders.Made? created)
        {
            this.temp = temp;
            this.full = full;
            this.claim = claim;
            this.created = created;
        }

        /// <summary>Renames the file into its place; the caller holds <see cref="TemporaryPaths.Gate"/>, having checked that no stop has begun.</summary>
        public void PutInPlace()
        {
            File.Move(temp, full, overwrite: true);
            placed = true;
            created?.Kept();
        }

        public void Dispose()
        {
            claim.Dispose();
            if (File.Exists(temp)) File.Delete(temp);
            TemporaryPaths.Remove(temp);
            if (!placed) created?.Remove();
        }
    }
}
