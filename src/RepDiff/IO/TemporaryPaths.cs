namespace RepDiff.IO;

/// <summary>
/// The temporary files and folders this process is writing, so that a run stopped by SIGINT or SIGTERM
/// removes them before it exits. Moving finished output into place holds <see cref="Gate"/>, so a stop
/// waits for a move that has begun and then finds nothing half-moved.
/// </summary>
public static class TemporaryPaths
{
    public static readonly Lock Gate = new();
    /// <summary>In the order recorded: a stop deletes the latest first, so a staging folder goes before its lock file.</summary>
    private static readonly List<string> live = [];
    private static readonly HashSet<(string Folder, string Outermost)> created = [];
    private static volatile bool stopping;
    private static volatile bool complete;

    /// <summary>Whether a signal is stopping the process (<see cref="DeleteAll"/> has begun).</summary>
    public static bool Stopping => stopping;

    /// <summary>Records a temporary path; once the process is stopping, throws OperationCanceledException and records nothing.</summary>
    public static void Add(string path)
    {
        lock (Gate)
        {
            if (stopping) throw new OperationCanceledException("the run is being stopped");
            if (!live.Contains(path)) live.Add(path);
        }
    }

    public static void Remove(string path)
    {
        lock (Gate) live.Remove(path);
    }

    /// <summary>
    /// Records the folders an output is about to create (<paramref name="folder"/> and its parents up to
    /// <paramref name="outermost"/>): a stop removes them while they are empty (<see cref="CreatedFolders.RemoveEmpty"/>),
    /// as a failure does. An interrupted `embed --out new/deep/x.npy` had left new/deep behind (helper 80).
    /// </summary>
    public static void AddCreated(string folder, string outermost)
    {
        lock (Gate)
        {
            if (stopping) throw new OperationCanceledException("the run is being stopped");
            created.Add((folder, outermost));
        }
    }

    public static void RemoveCreated(string folder, string outermost)
    {
        lock (Gate) created.Remove((folder, outermost));
    }

    /// <summary>
    /// Creates a folder of temporary output (and its missing parents) unless the process is stopping, inside <see cref="Gate"/>:
    /// a stop's <see cref="DeleteAll"/> then never runs while it is made, and a folder a stop deleted is not made again. A
    /// SIGTERM just as compare began its second model's embeddings had left the staging folder: the embedding writer's
    /// CreateDirectory of staging/embeddings made it again after the stop had deleted it.
    /// </summary>
    public static void CreateFolder(string folder)
    {
        lock (Gate)
        {
            ThrowIfStopping();
            Directory.CreateDirectory(folder);
        }
    }

    /// <summary>Thrown inside <see cref="Gate"/> by a commit that starts after a stop: the output stays as it was.</summary>
    public static void ThrowIfStopping()
    {
        if (stopping) throw new OperationCanceledException("the run is being stopped");
    }

    /// <summary>
    /// Records, inside <see cref="Gate"/>, that the run's outputs are in place (called by the move that puts them there): what
    /// is left is telling the user. A stop then changes nothing, so <see cref="TryStop"/> declines it and the run ends as it
    /// would have: a SIGINT in the second the summary took had exited 130 (documented as "--out as it was before the run")
    /// with the new results in --out and no line naming them (helper 91).
    /// </summary>
    public static void MarkComplete() => complete = true;

    /// <summary>Whether the run's outputs are in place (<see cref="MarkComplete"/>).</summary>
    public static bool Complete => complete;

    /// <summary>
    /// Stops the run: deletes every recorded path, refuses new ones and returns true (the process is about to exit); or, once
    /// the outputs are in place (<see cref="MarkComplete"/>), returns false and changes nothing.
    /// </summary>
    public static bool TryStop()
    {
        lock (Gate)
        {
            if (complete) return false;
            DeleteAll();
            return true;
        }
    }

    /// <summary>Deletes every recorded path and refuses new ones: the process is about to exit.</summary>
    public static void DeleteAll()
    {
        lock (Gate)
        {
            stopping = true;
            for (int i = live.Count - 1; i >= 0; i--) TryDelete(live[i]);
            live.Clear();
            foreach (var (folder, outermost) in created) CreatedFolders.RemoveEmpty(folder, outermost);
            created.Clear();
        }
    }

    /// <summary>
    /// Deletes a file, or a folder with its contents, as far as it can: failing to clean up must not hide how the run ended.
    /// A folder is tried a few times: a file the run creates in it while the stop deletes it (the run goes on until the process
    /// exits) makes one recursive delete fail with "directory not empty", and the next finds it.
    /// </summary>
    internal static void TryDelete(string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                else File.Delete(path);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (e is UnauthorizedAccessException || attempt == 4 || !Directory.Exists(path)) return;
            }
        }
    }
}
