namespace RepDiff.IO;

/// <summary>
/// The temporary files and folders this process is writing, so that a run stopped by SIGINT or SIGTERM
/// removes them before it exits. Moving finished output into place holds <see cref="Gate"/>, so a stop
/// waits for a move that has begun and then finds nothing half-moved.
/// </summary>
public static class TemporaryPaths
{
    public static readonly Lock Gate = new();
    private static readonly HashSet<string> live = [];
    private static bool stopping;

    /// <summary>Records a temporary path; once the process is stopping, throws OperationCanceledException and records nothing.</summary>
    public static void Add(string path)
    {
        lock (Gate)
        {
            if (stopping) throw new OperationCanceledException("the run is being stopped");
            live.Add(path);
        }
    }

    public static void Remove(string path)
    {
        lock (Gate) live.Remove(path);
    }

    /// <summary>Thrown inside <see cref="Gate"/> by a commit that starts after a stop: the output stays as it was.</summary>
    public static void ThrowIfStopping()
    {
        if (stopping) throw new OperationCanceledException("the run is being stopped");
    }

    /// <summary>Deletes every recorded path and refuses new ones: the process is about to exit.</summary>
    public static void DeleteAll()
    {
        lock (Gate)
        {
            stopping = true;
            foreach (string path in live) TryDelete(path);
            live.Clear();
        }
    }

    /// <summary>Deletes a file, or a folder with its contents, as far as it can: failing to clean up must not hide how the run ended.</summary>
    internal static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
