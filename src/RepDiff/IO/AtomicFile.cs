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
        OutputFolder.CleanLeftovers(dir, name);
        string temp = Path.Combine(dir, OutputFolder.TemporaryName(name));
        TemporaryPaths.Add(temp);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                write(stream);
            lock (TemporaryPaths.Gate)
            {
                TemporaryPaths.ThrowIfStopping();
                File.Move(temp, full, overwrite: true);
                if (output) TemporaryPaths.MarkComplete();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepDiffInputException($"{path}: cannot be written ({e.Message})");
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
            TemporaryPaths.Remove(temp);
        }
    }

    public static void WriteAllText(string path, string text, bool output = false) =>
        Write(path, s => { using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false)); w.Write(text); }, output);
}
