namespace RepDiff.IO;

/// <summary>Writes a file so that readers see either the old file or the complete new one, never a part.</summary>
public static class AtomicFile
{
    /// <param name="output">The run's output (evaluate's, export's): once it is in place the run is complete (<see cref="TemporaryPaths.MarkComplete"/>).</param>
    public static void Write(string path, Action<Stream> write, bool output = false)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string name = Path.GetFileName(full);
        OutputFolder.CheckTarget(full, "the output file");
        try
        {
            TemporaryPaths.CreateFolder(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepDiffInputException($"{path}: cannot create its folder ({e.Message})");
        }
        string? temp = null;
        try
        {
            (temp, var claim) = OutputFolder.ClaimTemporaryFile(dir, name);
            // The claim is held until the file is in place, so that another run's cleanup never takes it for a dead writer's.
            using (claim)
            {
                using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                    write(stream);
                lock (TemporaryPaths.Gate)
                {
                    TemporaryPaths.ThrowIfStopping();
                    File.Move(temp, full, overwrite: true);
                    if (output) TemporaryPaths.MarkComplete();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepDiffInputException($"{path}: cannot be written ({e.Message})");
        }
        finally
        {
            if (temp is not null)
            {
                if (File.Exists(temp)) File.Delete(temp);
                TemporaryPaths.Remove(temp);
            }
        }
    }

    public static void WriteAllText(string path, string text, bool output = false) =>
        Write(path, s => { using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false)); w.Write(text); }, output);
}
