using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RepDiff.IO;

/// <summary>
/// A run's output folder (--out), written as one step: every file goes into a staging folder beside it
/// (inside --out's parent, so the final move is a rename on one file system), and <see cref="Commit"/>
/// swaps the staging folder with --out. On Linux the swap is one renameat2(RENAME_EXCHANGE), so at every
/// instant --out holds either the old outputs or all of the new ones; elsewhere it is two renames. Files
/// in --out that the run does not write (the user's own, or side files of an earlier run) are moved back
/// into the new folder. Each run holds a lock file beside its staging folder for as long as the folder is its own; a
/// run killed before it finishes leaves both, and the next run writing beside it, finding the lock free, removes the
/// folder (or, if the swap had happened, finishes it). Commits beside one another take turns, so two runs into one --out
/// end as if one had followed the other.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    private const string StagingPrefix = ".repdiff-staging.";
    /// <summary>Inside a staging folder until its contents are complete and swapped into place.</summary>
    private const string IncompleteMarker = ".repdiff-incomplete";

    private readonly string staging;
    /// <summary>Held while the staging folder is this run's: how another run's cleanup knows to leave it.</summary>
    private readonly FileLocks.OwnerLock owner;
    /// <summary>The folders above --out that Begin created (removed again, when empty, if the run fails).</summary>
    private CreatedFolders.Made? createdParent;
    /// <summary>--out when the run began: a commit that finds another folder there says so.</summary>
    private readonly FoundAtBegin foundAtBegin;
    private bool committed;
    /// <summary>Where a swap left the replaced folder: the staging name, or the fallback's ".old" name when its last rename failed.</summary>
    private string replacedFolder;

    /// <summary>The folder the user named (full path).</summary>
    public string Final { get; }

    private OutputFolder(string final, string staging, FileLocks.OwnerLock owner, FoundAtBegin foundAtBegin)
    {
        Final = final;
        this.foundAtBegin = foundAtBegin;
        this.staging = staging;
        this.owner = owner;
        replacedFolder = staging;
    }

    /// <summary>
    /// Checks --out before any work is done: not empty, not a file or device, its parent a folder that takes new files
    /// (or creatable in one), and none of <paramref name="files"/> inside it a folder. Every problem is one line naming --out.
    /// </summary>
    public static string Check(string dir, params string[] files)
    {
        if (string.IsNullOrWhiteSpace(dir)) throw new RepDiffInputException("--out is empty; name the output folder");
        if (dir.Contains('\0')) throw new RepDiffInputException("--out contains a NUL character; not a valid path");
        RefuseUnexpandedHome(dir, "--out");
        string full;
        try { full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)); }
        catch (Exception e) when (e is ArgumentException or PathTooLongException or NotSupportedException)
        { throw new RepDiffInputException($"--out {dir}: not a valid path ({e.Message})"); }
        full = FollowLink(full, dir);
        if (Path.GetDirectoryName(full) is null) throw new RepDiffInputException($"--out {dir}: the root folder cannot be replaced; name a folder inside it");
        string kind = FileKind.Of(full);
        if (kind != FileKind.Directory && kind != FileKind.Missing && kind != FileKind.Unknown)
            throw new RepDiffInputException($"--out {dir}: is a {kind}, not a folder; name a folder for the results");
        CheckWritableAbove(full, $"--out {dir}");
        if (kind == FileKind.Directory && HoldsCurrentFolder(full) is { } where)
            throw new RepDiffInputException($"--out {dir}: {where}; the run replaces --out as a whole, which would leave this shell in a removed folder, so name a folder inside it (e.g. --out {Path.Join(dir, "results")})");
        // The staging folder is swapped with --out by a rename, which a mount point refuses ("Device or resource busy"), after the
        // whole run: a container's volume given as --out /out failed so (helper 91).
        if (kind == FileKind.Directory && FileKind.IsMountPoint(full))
            throw new RepDiffInputException($"--out {dir}: is a mount point, which the run cannot replace as a whole (it swaps in a new folder at the end), so name a folder inside it (e.g. --out {Path.Join(dir, "results")})");
        // An existing folder's own files are moved into the new one at the end: as another user, whose folder this is not,
        // the run replaced it with a folder of its own and left the old one under a staging name, then failed (helper 77).
        if (kind == FileKind.Directory && OperatingSystem.IsLinux() && Access(full, WriteAndSearch) != 0)
            throw new RepDiffInputException($"--out {dir}: cannot write in it ({(Marshal.GetLastPInvokeError() == ReadOnlyFileSystem ? "a read-only file system" : "permission denied")}); name a folder of your own");
        // The swap puts a folder of the running user's in --out's place: another user's folder (a shared 777 or sticky one) became
        // this user's, or, sticky, kept its owner's files in a hidden staging folder after "cannot move the results into place",
        // with the new results already in it (helper 91). Root keeps the owner (KeepMode).
        if (kind == FileKind.Directory && OperatingSystem.IsLinux() && GetEffectiveUserId() is var user and not 0 && FileKind.Owner(full) is { } owner && owner.Uid != user)
            throw new RepDiffInputException($"--out {dir}: belongs to another user; the run replaces the folder as a whole with one of its own, so name a folder of yours (e.g. --out {Path.Join(dir, "results")})");
        CheckNameLength(Path.GetFileName(full), StagingNameAdds, "--out " + dir);
        foreach (string file in files) CheckTarget(Path.Combine(full, file), "--out " + dir);
        if (kind == FileKind.Directory && Unmovable(full, name => files.Any(f => f.Split('/', '\\')[0] == name)) is { } unmovable)
            throw new RepDiffInputException($"--out {dir}: {unmovable}");
        return full;
    }

    private const int WriteAndSearch = 2 | 1, ReadOnlyFileSystem = 30;

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    /// <summary>
    /// Whether --out is the current folder or one above it, which the swap would replace under the shell that started the run:
    /// `--out .` left the shell in a deleted folder, where `ls` showed nothing and the next run could not even open its
    /// inputs (helper 91). Compared as files, so a link or another spelling of the same folder counts.
    /// </summary>
    private static string? HoldsCurrentFolder(string full)
    {
        string current;
        try { current = Directory.GetCurrentDirectory(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        for (string? folder = current; folder is not null; folder = Path.GetDirectoryName(folder))
            if (FileKind.SameFile(folder, full)) return folder == current ? "is the current folder" : $"holds the current folder ({current})";
        return null;
    }

    /// <summary>
    /// Gives the staging folder --out's permissions, so a private folder stays private: the new folder had the default
    /// mode (a folder of mode 700 became 755, its results readable by every user; helper 91). While the run writes, the
    /// owner keeps full access; the commit sets the mode exactly.
    /// </summary>
    private static void KeepMode(string from, string to, bool whileWriting)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            var mode = File.GetUnixFileMode(from);
            // Owner and group first (root keeps a user's folder the user's; a user keeps a shared folder's group where a member of
            // it): changing them clears the set-group-id bit the mode then sets. What cannot be kept stays the running user's.
            if (OperatingSystem.IsLinux() && FileKind.Owner(from) is { } owner) Chown(to, owner.Uid, owner.Gid);
            File.SetUnixFileMode(to, whileWriting ? mode | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : mode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    private static extern int Access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    /// <summary>
    /// --out as a symbolic link: the folder it leads to. The swap renames folders, so given the link it replaced the link
    /// with a folder of its own and moved the target's files into it, leaving the target empty.
    /// </summary>
    private static string FollowLink(string full, string dir)
    {
        try
        {
            if (new FileInfo(full).LinkTarget is null) return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return full; }  // the checks below say what it is
        FileSystemInfo target;
        try { target = File.ResolveLinkTarget(full, returnFinalTarget: true)!; }
        catch (IOException) { throw new RepDiffInputException($"--out {dir}: is a symbolic link that leads back to itself (a link loop); name a folder"); }
        if (!Path.Exists(target.FullName))
            throw new RepDiffInputException($"--out {dir}: is a symbolic link to {target.FullName}, which does not exist; name a folder, or create that one first");
        return Path.TrimEndingDirectorySeparator(target.FullName);
    }

    /// <summary>
    /// The first existing folder above <paramref name="full"/> (where its staging copy is written, or where the missing
    /// folders will be created) must be a folder that takes new files. A file is created and removed there, so that a
    /// folder nobody may write in (a read-only mount, /proc) fails before the run, not after it: permission bits alone
    /// cannot tell (root passes every access check, yet /proc refuses new files).
    /// </summary>
    private static void CheckWritableAbove(string full, string subject)
    {
        string? folder = Path.GetDirectoryName(full);
        while (folder is not null && FileKind.Of(folder) == FileKind.Missing) folder = Path.GetDirectoryName(folder);
        if (folder is null) return;
        string kind = FileKind.Of(folder);
        if (kind == FileKind.Unknown) return;
        if (kind != FileKind.Directory) throw new RepDiffInputException($"{subject}: {folder} is a {kind}, not a folder");
        string probe = Path.Combine(folder, TemporaryName("repdiff-probe"));
        try
        {
            using var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The probe's own name would only puzzle: say what failed (e.g. "No space left on device").
            string reason = e switch
            {
                UnauthorizedAccessException => "permission denied",
                FileNotFoundException or DirectoryNotFoundException => "it takes no new files",
                _ => e.Message.Replace($"'{probe}'", "").Replace(probe, "").Trim(' ', ':', '.'),
            };
            throw new RepDiffInputException($"{subject}: cannot write in {folder} ({reason})");
        }
    }

    /// <summary>
    /// Refuses an output path that begins with a ~ the shell left as it was (quoted, or after "=": --out=~/res), unless a folder
    /// named ~ is there: the run had written ./~/res and said "Wrote ~/res/results.json", which reads as the home folder (helper 93).
    /// </summary>
    private static void RefuseUnexpandedHome(string path, string what)
    {
        if (FileKind.UnexpandedHome(path) && !System.IO.Directory.Exists("~"))
            throw new RepDiffInputException($"{what} {path}: begins with ~, which the shell expands only unquoted and not after '='; "
                + $"write the folder from $HOME ({what} $HOME{path[1..]}), or ./{path} for a folder named ~");
    }

    /// <summary>Refuses to replace a folder (or a device) with an output file.</summary>
    public static void CheckTarget(string path, string what = "--out")
    {
        // An empty name would reach Path.GetFullPath, whose ArgumentException is no user's error message.
        if (string.IsNullOrWhiteSpace(path)) throw new RepDiffInputException($"{what} is empty; name the output file");
        RefuseUnexpandedHome(path, what);
        string kind = FileKind.Of(path);
        if (kind != FileKind.Regular && kind != FileKind.Missing && kind != FileKind.Unknown)
            throw new RepDiffInputException($"{what}: {path} is a {kind}; RepDiff will not replace it with a file");
    }

    /// <summary>
    /// Checks an output file before any work: <see cref="CheckTarget"/>, and that the folder it will be written in
    /// (or the first existing one above it) takes new files.
    /// </summary>
    /// <param name="besideLonger">
    /// How much longer, in bytes, the names of files the run writes beside it are (embed's X.skipped.txt beside X.npy): its
    /// name is checked for them, so the refusal names the file the user gave and the longest name it may have.
    /// </param>
    public static void CheckNewFile(string path, string what = "--out", int besideLonger = 0)
    {
        CheckTarget(path, what);
        // Missing folders above the file are made for it, as for every output; a name ending in '/' had been made a folder,
        // left behind empty when the file could not then be written there.
        if (Path.EndsInDirectorySeparator(path))
            throw new RepDiffInputException($"{what} {path}: ends in '{path[^1]}', so it names a folder; {what} is the file to write: name one (missing folders above it are made)");
        CheckNameLength(Path.GetFileName(path), TemporaryNameAdds, $"{what} {path}", besideLonger);
        CheckWritableAbove(Path.GetFullPath(path), $"{what} {path}");
    }

    /// <summary>The longest file name Linux file systems take, in bytes (NAME_MAX).</summary>
    private const int LongestName = 255;

    /// <summary>
    /// Bytes a staging folder's lock adds to --out's name (<see cref="TemporaryName"/>: the prefix, ".pid" of up to 10 digits,
    /// ".guid" of 32, ".lock"), and a temporary file's to an output file's (".", ".pid", ".guid", ".tmp").
    /// </summary>
    private const int StagingNameAdds = 17 + 11 + 33 + 5, TemporaryNameAdds = 1 + 11 + 33 + 4;

    /// <summary>
    /// Refuses, before any work, an output name the run could not write beside itself under a longer name: such a name had
    /// failed only at the end, after the whole run, naming the hidden file ("The path '…/.repdiff-staging.ooo….lock' is too long").
    /// </summary>
    private static void CheckNameLength(string name, int adds, string what, int besideLonger = 0)
    {
        int bytes = System.Text.Encoding.UTF8.GetByteCount(name), longer = adds + besideLonger;
        if (bytes + longer > LongestName)
            throw new RepDiffInputException($"{what}: its name is {bytes} bytes long, and the run first writes "
                + (besideLonger > 0 ? $"it and the files beside it under names up to {longer}" : $"it under a name {longer}")
                + $" bytes longer, beyond the {LongestName} bytes a file name may have; give a name of at most {LongestName - longer} bytes");
    }

    /// <summary>Refuses an output file that is one of the command's inputs, which writing it would destroy (evaluate --out A.npy).</summary>
    public static void RefuseInput(string path, string what, params string?[] inputs)
    {
        foreach (var input in inputs)
            if (input is not null && FileKind.SameFile(path, input))
                throw new RepDiffInputException($"{what} {path}: is the input {input}; writing it would destroy it, so name another file");
    }

    /// <summary>Checks --out, removes what killed runs left beside it, and creates the staging folder.</summary>
    public static OutputFolder Begin(string dir, params string[] files)
    {
        string final = Check(dir, files);
        string parent = Path.GetDirectoryName(final)!, name = Path.GetFileName(final);
        var createdParent = CreatedFolders.Record(parent);
        // Every failure from here on removes the folders made above --out (a staging name the file system refuses, a lock file
        // that cannot be made, a stop): they had stayed behind, empty, after "cannot write in …".
        try
        {
            var (staging, owner, found) = Stage(final, parent, name, dir, files);
            return new OutputFolder(final, staging, owner, found) { createdParent = createdParent };
        }
        catch
        {
            createdParent?.Remove();
            throw;
        }
    }

    /// <summary><see cref="Begin"/> once --out is checked: its parent made, the leftovers beside it removed, the staging folder created.</summary>
    private static (string Staging, FileLocks.OwnerLock Owner, FoundAtBegin Found) Stage(string final, string parent, string name, string dir, string[] files)
    {
        try
        {
            TemporaryPaths.CreateFolder(parent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepDiffInputException($"--out {dir}: cannot create {parent} ({e.Message})");
        }
        string staging;
        FileLocks.OwnerLock owner;
        FoundAtBegin found;
        // One turn for both, so that no other run's cleanup judges the new lock file between its creation and its lock.
        using (FileLocks.LockFolder(parent, CommitPatience))
        {
            RemoveLeftovers(parent, name);
            // In the commits' turn, as the commit looks again: another run's commit is either before this or after it.
            found = new FoundAtBegin(Directory.Exists(final), FileKind.Id(final), files);
            (staging, owner) = TakeStagingName(parent, name, dir);
        }
        try
        {
            TemporaryPaths.CreateFolder(staging);
            File.WriteAllBytes(Path.Combine(staging, IncompleteMarker), []);
            if (Directory.Exists(final)) KeepMode(final, staging, whileWriting: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lock (TemporaryPaths.Gate)
            {
                TemporaryPaths.TryDelete(staging);
                TemporaryPaths.Remove(staging);
            }
            ReleaseOwner(owner);
            throw new RepDiffInputException($"--out {dir}: cannot write in {parent} ({e.Message})");
        }
        return (staging, owner, found);
    }

    /// <summary>
    /// --out as the run found it when it began: whether it was a folder, and which one; and the files the run writes (results.json
    /// among them, the demo's index), which a run into the same --out leaves too.
    /// </summary>
    private sealed record FoundAtBegin(bool Existed, FileKind.FileId? Id, string[] Written)
    {
        /// <summary>
        /// Whether the folder at <paramref name="final"/> is another than the one found (or came where there was none) and holds
        /// results: another run committed into --out since this one began. A new folder without them is the user's (`rm -rf out;
        /// mkdir out` during the run), which had been reported as another run's. Unknown (false) where files have no identity to compare.
        /// </summary>
        public bool ReplacedBy(string final) => Directory.Exists(final) && (!Existed || Id is { } then && FileKind.Id(final) is { } now && now != then)
            && Written.Any(file => File.Exists(Path.Combine(final, file)));
    }

    /// <summary>
    /// A new staging name and its lock file, created and locked before the folder exists (so that no other run's cleanup
    /// finds the folder without a live lock), recorded in the order a stop removes them: the folder, then the lock file.
    /// </summary>
    private static (string Staging, FileLocks.OwnerLock Owner) TakeStagingName(string parent, string name, string dir)
    {
        for (int attempt = 1; ; attempt++)
        {
            string staging = Path.Combine(parent, TemporaryName(name, StagingPrefix));
            // Inside the Gate: a stop never comes between creating the lock file and recording it.
            lock (TemporaryPaths.Gate)
            {
                TemporaryPaths.ThrowIfStopping();
                FileLocks.OwnerLock? owner;
                try { owner = FileLocks.OwnerLock.Create(LockFileOf(staging)); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new RepDiffInputException($"--out {dir}: cannot write in {parent} ({e.Message})");
                }
                if (owner is not null)
                {
                    TemporaryPaths.Add(owner.Path);
                    TemporaryPaths.Add(staging);
                    return (staging, owner);
                }
            }
            // Lost to another run's cleanup in the instant between creating and locking (see OwnerLock.Create): a new name.
            if (attempt == 5) throw new RepDiffInputException($"--out {dir}: cannot lock a staging folder in {parent}");
        }
    }

    /// <summary>
    /// A new temporary name beside <paramref name="name"/> in <paramref name="dir"/> (".NAME.PID.GUID.tmp") and the writer's
    /// claim on it (<see cref="FileLocks.CreateClaimed"/>), recorded for a stop; made in the folder's turn, right after the
    /// leftovers of ended writers are removed, so that no other run's cleanup judges the file between its creation and its lock.
    /// </summary>
    public static (string Path, FileStream Claim) ClaimTemporaryFile(string dir, string name)
    {
        using var turn = FileLocks.LockFolder(dir, CommitPatience);
        RemoveLeftovers(dir, name);
        for (int attempt = 1; ; attempt++)
        {
            string temp = Path.Combine(dir, TemporaryName(name));
            // Inside the Gate: a stop never comes between creating the file and recording it.
            lock (TemporaryPaths.Gate)
            {
                TemporaryPaths.ThrowIfStopping();
                if (FileLocks.CreateClaimed(temp) is { } claim)
                {
                    TemporaryPaths.Add(temp);
                    return (temp, claim);
                }
            }
            // Lost to another run's cleanup (one that went on without the turn) in the instant before the lock: a new name.
            if (attempt == 5) throw new IOException($"another process removed each temporary file beside {name} as it was made");
        }
    }

    /// <summary>The lock file its run holds for as long as a staging folder (or its ".old" twin) is the run's.</summary>
    private static string LockFileOf(string staging) =>
        (staging.EndsWith(".old", StringComparison.Ordinal) ? staging[..^".old".Length] : staging) + ".lock";

    /// <summary>Deletes the run's lock file after its staging folder is gone, and lets go of it.</summary>
    private static void ReleaseOwner(FileLocks.OwnerLock owner)
    {
        owner.Delete();
        TemporaryPaths.Remove(owner.Path);
    }

    /// <summary>Where to write the output file <paramref name="relative"/> (e.g. "results.json") before the commit.</summary>
    public string PathOf(string relative) => Path.Combine(staging, relative);

    /// <summary>
    /// Writes one output file into the staging folder; a failure (disk full, permissions) is an error naming --out. Not inside
    /// <see cref="TemporaryPaths.Gate"/>, which a stop would then wait for while a large file is written: a stop deletes the
    /// folder under a write in flight instead, and the CLI tells the failure that follows as the stop.
    /// </summary>
    public void Write(string relative, Action<string> write)
    {
        try
        {
            string path = PathOf(relative);
            TemporaryPaths.CreateFolder(Path.GetDirectoryName(path)!);
            write(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The staging folder is no name of the user's: "Failed to create '…/.repdiff-staging.out.…/results.json' … disk was full".
            throw new RepDiffInputException($"--out {Final}: cannot write {relative} ({e.Message.Replace(staging, Final)})");
        }
    }

    public void WriteText(string relative, string text) => Write(relative, path => File.WriteAllText(path, text, new System.Text.UTF8Encoding(false)));

    /// <summary>How long a commit waits for another run's commit beside --out before it goes on without its turn.</summary>
    private static readonly TimeSpan CommitPatience = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The turn of <paramref name="folder"/> that commits into it take (as <see cref="Commit"/> takes --out's parent's), for a
    /// writer that puts several files in place there together; null when it cannot be had, and the writer goes on without it.
    /// Not to be taken while <see cref="ClaimTemporaryFile"/> runs in the same folder, which takes it too.
    /// </summary>
    public static IDisposable? TakeTurn(string folder) => FileLocks.LockFolder(folder, CommitPatience);

    /// <summary>
    /// Puts every written file into place at once. Runs writing beside one another take turns (a lock on --out's parent
    /// folder), so two runs into the same --out end as if one had run after the other: the last to commit replaces the
    /// first's whole folder, as it would an older one.
    /// </summary>
    /// <returns>What the folder replaced held, and which of its files stay.</returns>
    public Committed Commit()
    {
        var back = new MovedBack([], [], []);
        bool meanwhile;
        // Taken before the Gate, so that a stop is not held up while another process commits.
        using var turn = FileLocks.LockFolder(Path.GetDirectoryName(Final)!, CommitPatience);
        lock (TemporaryPaths.Gate)
        {
            TemporaryPaths.ThrowIfStopping();
            bool replaced;
            meanwhile = foundAtBegin.ReplacedBy(Final);
            try
            {
                foreach (string entry in Directory.EnumerateFileSystemEntries(staging))
                    if (Path.GetFileName(entry) != IncompleteMarker) CheckReplaceable(entry);
                if (Unmovable(Final, name => Path.Exists(Path.Combine(staging, name))) is { } unmovable)
                    throw new RepDiffInputException($"--out {Final}: {unmovable}");
                // A marker in --out is a stray (a run killed between its move and removing it): swapped out with the old folder,
                // it made that folder, the user's files not yet moved back, look like an unfinished run's, and cleanup deleted it.
                RemoveStrayMarker(Final);
                replaced = PutInPlace();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The fallback's renames fail naming the hidden folders they move ("Access to the path '…/.repdiff-staging.out.…'
                // is denied"): both stand for --out, the one name the user knows.
                string reason = e.Message.Replace(staging + ".old", Final).Replace(staging, Final);
                throw new RepDiffInputException($"--out {Final}: cannot move the results into place ({reason})");
            }
            finally
            {
                TemporaryPaths.Remove(staging);
            }
            // --out holds the new results from here on, and the staging name the old folder: nothing may delete that now. A
            // failure moving the user's files back had been "cannot move the results into place" (exit 2, --out already new),
            // and the old folder, the user's files in it, was then deleted as a failed run's staging folder.
            committed = true;
            TemporaryPaths.MarkComplete();
            createdParent?.Kept();
            TemporaryPaths.TryDelete(Path.Combine(Final, IncompleteMarker));
            if (replaced)
            {
                // The staging name (or the fallback's ".old") now holds the old contents (no marker): restore what the run did not replace.
                back = FinishSwap(replacedFolder, Final);
            }
            // What could not be moved back stays in the old folder (the staging name, or its ".old" twin), with the lock file,
            // free: the next run beside --out finds the run ended and tries again.
            if (!back.Stays) owner.Delete();
            else owner.Dispose();
            TemporaryPaths.Remove(owner.Path);
        }
        return new Committed(back.Earlier, back.Moved, back.Stays ? new LeftBehind(back.Stuck, replacedFolder) { Unread = back.Unread } : null)
        {
            KeptFolders = back.MovedFolders,
            RemovedBeforeMovedBack = back.Vanished ? replacedFolder : null,
            CameSinceBegin = meanwhile,
        };
    }

    /// <summary>What a commit replaced, as it found it in its turn (another run's folder may have come since the run began).</summary>
    /// <param name="Earlier">The names in the top level of the folder the commit replaced; empty when --out was missing.</param>
    /// <param name="Kept">Those of them that the run did not write and that stay (moved back from the old folder).</param>
    /// <param name="NotMovedBack">Files of the old folder that could not be moved into the new one, and where they are; null when none.</param>
    public sealed record Committed(IReadOnlyList<string> Earlier, IReadOnlyList<string> Kept, LeftBehind? NotMovedBack = null)
    {
        /// <summary>The folders of its top level that the run did not write and that stay (a demo's pair folders of another run).</summary>
        public IReadOnlyList<string> KeptFolders { get; init; } = [];

        /// <summary>
        /// Where the folder replaced had been put, when something else removed it before its files could be moved back (a
        /// user's `rm -rf` of hidden folders, a run of another tool): the results are whole, what it held is gone. Null otherwise.
        /// </summary>
        public string? RemovedBeforeMovedBack { get; init; }

        /// <summary>
        /// Whether the folder replaced came into --out after the run began (another run's commit, most likely): its results,
        /// which that run announced as written, are replaced by this run's.
        /// </summary>
        public bool CameSinceBegin { get; init; }
    }

    /// <param name="Entries">Each entry that stayed, relative to the old folder, with why.</param>
    /// <param name="Folder">The old folder, which holds them.</param>
    public sealed record LeftBehind(IReadOnlyList<string> Entries, string Folder)
    {
        /// <summary>Why the old folder itself could not be read ("permission denied"): then none of it was moved back. Null otherwise.</summary>
        public string? Unread { get; init; }
    }

    /// <summary>
    /// Why an entry of <paramref name="folder"/> (--out) could not be moved into the new folder at the commit, or null: a mount
    /// point, whichever its name, since the swap moves --out with it inside and the old folder is deleted after the move back;
    /// or, among the entries the run does not write (<paramref name="written"/>), a folder the kernel will not move to another
    /// parent (it must rewrite its "..": no write permission, or immutable). Such a folder had stopped the move back after the
    /// swap, and the old folder, a mounted volume's files too, was deleted.
    /// </summary>
    private static string? Unmovable(string folder, Func<string, bool> written)
    {
        if (!Directory.Exists(folder)) return null;
        try
        {
            foreach (string entry in Directory.EnumerateDirectories(folder))
            {
                if (!IsRealFolder(entry)) continue;
                if (FileKind.IsMountPoint(entry))
                    return $"{entry} is a mount point, which the run cannot move into the new folder it swaps in for --out; unmount it, or name another folder";
                if (!written(Path.GetFileName(entry)) && OperatingSystem.IsLinux() && Access(entry, WriteAndSearch) != 0)
                    return $"{entry} is a folder the run cannot move into the new folder it swaps in for --out ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}); "
                        + "make it writable, move it elsewhere, or name another folder";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>
    /// Moves the staging folder to --out: under --out's name if nothing holds it, else swapped with what does. Returns whether
    /// a folder was swapped out (it is now under the staging name). Each step fails rather than overwrite what another run
    /// (one without the parent's lock: an older version, or one that waited too long) put there since it looked, and is
    /// then taken again: both runs had found --out missing, and the second, after all its work, failed with "cannot move
    /// the results into place (Directory not empty)".
    /// </summary>
    private bool PutInPlace()
    {
        for (int attempt = 1; ; attempt++)
        {
            if (Directory.Exists(Final))
            {
                KeepMode(Final, staging, whileWriting: false);
                if (Swap()) return true;
            }
            else if (MoveIfFree()) return false;
            if (attempt == 10) throw new IOException("another process kept replacing the folder");
        }
    }

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int oldDir, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDir,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);

    private const int CurrentFolder = -100; // AT_FDCWD
    private const uint NoReplace = 1, Exchange = 2;
    private const int NotPermitted = 1, NoSuchFile = 2, Exists = 17, NotEmpty = 39, Unsupported = 22, NoSystemCall = 38;

    /// <summary>
    /// renameat2 of the staging folder onto --out with <paramref name="flags"/>: true done, false refused with one of
    /// <paramref name="retry"/> (--out changed meanwhile), null where the system or file system has no renameat2.
    /// </summary>
    private bool? RenameOnto(uint flags, params int[] retry)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            if (RenameAt2(CurrentFolder, staging, CurrentFolder, Final, flags) == 0) return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return null; }
        int error = Marshal.GetLastPInvokeError();
        if (retry.Contains(error)) return false;
        // EINVAL: a file system without these flags; ENOSYS: a kernel without the call; EPERM: a seccomp filter refusing a call
        // it does not know (systemd's SystemCallFilter, older container profiles), which had failed the run after all its work
        // although a plain rename would do. A real EPERM (a sticky folder, an immutable one) fails the plain rename as well,
        // before anything has moved.
        if (error is Unsupported or NoSystemCall or NotPermitted) return null;
        throw new IOException(Marshal.GetPInvokeErrorMessage(error));
    }

    /// <summary>Moves the staging folder to --out unless something is there now (false).</summary>
    private bool MoveIfFree()
    {
        if (RenameOnto(NoReplace, Exists, NotEmpty) is { } moved) return moved;
        // Without RENAME_NOREPLACE: a rename onto an existing folder fails unless that folder is empty, which loses nothing.
        try { Directory.Move(staging, Final); return true; }
        catch (IOException) when (Path.Exists(Final)) { return false; }
    }

    /// <summary>Exchanges the staging folder and --out, atomically where the system can, else by two renames; false if --out is gone.</summary>
    private bool Swap()
    {
        if (RenameOnto(Exchange, NoSuchFile) is { } swapped) return swapped;
        // Without an exchange: move the old folder aside under the staging name's twin, then the new one in.
        string aside = staging + ".old";
        try { Directory.Move(Final, aside); }
        catch (IOException) when (!Path.Exists(Final)) { return false; }
        try { Directory.Move(staging, Final); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The old folder goes back, so that the failure leaves --out as it was: it had stayed under the hidden ".old" name,
            // --out missing, after a run that said it had changed nothing.
            try { Directory.Move(aside, Final); }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException) { }
            throw;
        }
        // --out holds the new results now: a failure to rename the old folder is no failure of the run (it had been "cannot
        // move the results into place" with the new results in place). The old folder is finished where it stands.
        try { Directory.Move(aside, staging); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { replacedFolder = aside; }
        return true;
    }

    private void CheckReplaceable(string entry)
    {
        string target = Path.Combine(Final, Path.GetFileName(entry));
        string kind = FileKind.Of(target);
        bool isFolder = Directory.Exists(entry);
        if (kind == FileKind.Missing || kind == (isFolder ? FileKind.Directory : FileKind.Regular)) return;
        throw new RepDiffInputException($"--out {Final}: {target} is a {kind}; RepDiff will not replace it");
    }

    /// <summary>
    /// The names in the old folder's top level, the files moved back into --out's, and the entries that could not be moved
    /// (with why); whether the old folder was gone before it could be listed.
    /// </summary>
    private sealed record MovedBack(List<string> Earlier, List<string> Moved, List<string> Stuck)
    {
        /// <summary>The folders moved back into --out's top level.</summary>
        public List<string> MovedFolders { get; } = [];

        public bool Vanished { get; set; }

        /// <summary>Why the old folder could not be listed, so that nothing of it was moved back; null when it was.</summary>
        public string? Unread { get; set; }

        /// <summary>Whether the old folder stays, holding what could not be moved back.</summary>
        public bool Stays => Stuck.Count > 0 || Unread is not null;
    }

    /// <summary>
    /// Moves entries of the old folder that the new one lacks into it, then deletes the old folder, unless something could
    /// not be moved: the old folder then stays as it is, holding it.
    /// </summary>
    private static MovedBack FinishSwap(string old, string final)
    {
        var back = new MovedBack([], [], []);
        MoveMissing(old, final, "", back);
        if (!back.Stays) TemporaryPaths.TryDelete(old);
        return back;
    }

    /// <summary>
    /// Moves what <paramref name="old"/> holds and <paramref name="final"/> lacks into it, within subfolders both
    /// have too (compare's embeddings/ keeps an earlier run's files beside the ones this run wrote); records the names of
    /// the files moved into <paramref name="final"/> itself (a folder may be one the run reuses, as compare's embeddings/),
    /// and goes on past an entry that cannot be moved.
    /// </summary>
    private static void MoveMissing(string old, string final, string relative, MovedBack back)
    {
        List<string> entries;
        // The old folder is listed once, here, and not before: it had been listed for Earlier first, and a folder gone or
        // unreadable at that moment ended a run whose results were in place in "internal error".
        try { entries = [.. Directory.EnumerateFileSystemEntries(old)]; }
        catch (DirectoryNotFoundException) when (relative.Length == 0) { back.Vanished = true; return; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Said in the user's terms: the folder as --out had it, not the staging folder's hidden name (the warning had read
            // "* (Access to the path '…/.repdiff-staging.out.…' is denied.)").
            string why = e is UnauthorizedAccessException ? "permission denied" : e.Message.Replace(old, relative.Length == 0 ? final : relative);
            if (relative.Length == 0) back.Unread = why;
            else back.Stuck.Add($"{relative}{Path.DirectorySeparatorChar} (its files could not be read: {why})");
            return;
        }
        foreach (string entry in entries)
        {
            string name = Path.GetFileName(entry);
            if (name == IncompleteMarker) continue;
            if (relative.Length == 0) back.Earlier.Add(name);
            string target = Path.Combine(final, name);
            try
            {
                if (IsRealFolder(entry) && IsRealFolder(target)) MoveMissing(entry, target, Path.Join(relative, name), back);
                else if (Path.Exists(target)) continue;
                else if (Directory.Exists(entry))
                {
                    Directory.Move(entry, target);
                    if (relative.Length == 0) back.MovedFolders.Add(name);
                }
                else
                {
                    File.Move(entry, target);
                    if (relative.Length == 0) back.Moved.Add(name);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                back.Stuck.Add($"{Path.Join(relative, name)} ({e.Message.Replace(entry, Path.Join(relative, name))})");
            }
        }
    }

    /// <summary>A folder itself, not a link to one (a link's target is not the run's to move things out of).</summary>
    private static bool IsRealFolder(string path) => new DirectoryInfo(path) is { Exists: true, LinkTarget: null };

    /// <summary>
    /// Removes what killed runs left beside <paramref name="name"/> in <paramref name="parent"/>: staging folders and
    /// temporary files whose runs have ended. A staging folder without its marker was already swapped in; its run is
    /// finished instead (entries the new folder lacks are moved into it). Whether a staging folder's run has ended is its
    /// lock file's to say (<see cref="FileLocks.OwnerLock"/>), a temporary file's the claim its writer holds on it
    /// (<see cref="FileLocks.CreateClaimed"/>); staging folders of versions that wrote no lock file, and anything on a file
    /// system without flock, are judged by the process id in their name, as before. Takes its turn with commits beside it.
    /// </summary>
    public static void CleanLeftovers(string parent, string name)
    {
        using var turn = FileLocks.LockFolder(parent, CommitPatience);
        RemoveLeftovers(parent, name);
    }

    /// <summary>
    /// Removes the incomplete marker from <paramref name="folder"/>, a user's --out: only a staging folder's marker means
    /// anything, and one in --out came with results that were complete, moved in by a run killed before it removed it.
    /// </summary>
    private static void RemoveStrayMarker(string folder)
    {
        if (IsRealFolder(folder)) TemporaryPaths.TryDelete(Path.Combine(folder, IncompleteMarker));
    }

    /// <summary>
    /// Puts back the folder of <paramref name="file"/> (a results.json about to be read) where a run killed between the two
    /// renames of the fallback swap left that folder missing, under its hidden ".old" name. The next run into the folder does
    /// the same; a command reading its results (evaluate, export) had said "file not found" until then.
    /// </summary>
    public static void RestoreFolderOf(string file)
    {
        if (string.IsNullOrWhiteSpace(file) || file.Contains('\0') || Path.Exists(file)) return;
        string folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (Path.Exists(folder) || Path.GetDirectoryName(folder) is not { } parent) return;
        string name = Path.GetFileName(folder);
        try
        {
            if (!Directory.EnumerateDirectories(parent, $"{StagingPrefix}{name}.*.old").Any(old => NamedFor(old, name))) return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        CleanLeftovers(parent, name);
    }

    /// <summary><see cref="CleanLeftovers"/> in a turn the caller holds.</summary>
    private static void RemoveLeftovers(string parent, string name)
    {
        RemoveStrayMarker(Path.Combine(parent, name));
        List<string> entries;
        try { entries = Directory.EnumerateFileSystemEntries(parent, $".{name}.*.tmp").Concat(Directory.EnumerateFileSystemEntries(parent, $"{StagingPrefix}{name}.*")).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (string entry in entries.Where(e => NamedFor(e, name) && !IsLockFile(e)))
        {
            using var ended = OwnerEnded(entry);
            if (ended is null) continue;
            try
            {
                string final = Path.Combine(parent, name);
                bool swapped = Directory.Exists(entry) && !File.Exists(Path.Combine(entry, IncompleteMarker));
                if (entry.EndsWith(".old", StringComparison.Ordinal) && !Directory.Exists(final))
                    Directory.Move(entry, final); // killed between the two renames of the fallback swap
                else if (swapped && Directory.Exists(final)) FinishSwap(entry, final);
                else TemporaryPaths.TryDelete(entry);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        // Lock files whose run ended with its staging folder gone (a run killed between removing the two, or after a commit).
        foreach (string lockFile in entries.Where(e => NamedFor(e, name) && IsLockFile(e)))
        {
            string staging = lockFile[..^".lock".Length];
            if (Path.Exists(staging) || Path.Exists(staging + ".old")) continue; // the loop above left that folder's run alone
            var (state, taken) = FileLocks.OwnerLock.TryTake(lockFile);
            if (state == FileLocks.Owner.Ended) taken!.Delete();
        }
    }

    private static bool IsLockFile(string entry) => entry.EndsWith(".lock", StringComparison.Ordinal);

    /// <summary>
    /// When the run that left <paramref name="entry"/> has ended: what to dispose once the entry is dealt with (a staging
    /// folder's lock, deleted then: a run killed after it removed the folder leaves a lock file alone, cleaned above; a
    /// temporary file's own lock, let go of once the file is deleted); null while that run goes on, or when it cannot be told.
    /// </summary>
    private static IDisposable? OwnerEnded(string entry)
    {
        bool isStaging = Path.GetFileName(entry).StartsWith(StagingPrefix, StringComparison.Ordinal);
        // A temporary file is its own lock: a process id is no answer, since another container's writer has an id unknown
        // here (its live file was deleted under it) and a killed writer's id is soon another process's (its file stayed).
        var (state, taken) = FileLocks.OwnerLock.TryTake(isStaging ? LockFileOf(entry) : entry);
        switch (state)
        {
            case FileLocks.Owner.Ended: return isStaging ? new DeleteWhenDone(taken!) : taken;
            case FileLocks.Owner.Running: return null;
            case FileLocks.Owner.Missing when !isStaging: return null; // gone meanwhile
        }
        // No lock file (an earlier version's staging folder) or no flock here: the process id, as those versions judged it.
        return OwnerIsRunning(entry) ? null : new DeleteWhenDone(null);
    }

    /// <summary>
    /// Deletes a dead run's lock file once its leftovers are dealt with, while still holding it; only lets go of it while the
    /// run's staging folder or its ".old" twin is still there (its other folder, next in the loop, or what could not be moved
    /// back), so that the lock, not the process id, goes on judging that folder. Deleted after the first of the fallback
    /// swap's two folders, the lock file left the second to the process id, and a reused id kept it for ever.
    /// </summary>
    private sealed class DeleteWhenDone(FileLocks.OwnerLock? owner) : IDisposable
    {
        public void Dispose()
        {
            if (owner is null) return;
            string staging = owner.Path[..^".lock".Length];
            if (Path.Exists(staging) || Path.Exists(staging + ".old")) owner.Dispose();
            else owner.Delete();
        }
    }

    /// <summary>
    /// Whether a leftover's name is <paramref name="name"/>'s own (".NAME.PID.GUID.tmp", "PREFIX NAME.PID.GUID" and its ".old"
    /// twin and ".lock" file), not a sibling's whose name begins alike: a run into out took .repdiff-staging.out.v2.PID.GUID, left by a run into
    /// out.v2 killed right after its swap, for its own and moved out.v2's old files into out (helper 91).
    /// </summary>
    private static bool NamedFor(string entry, string name)
    {
        string file = Path.GetFileName(entry);
        string rest = file.StartsWith(StagingPrefix, StringComparison.Ordinal) ? file[StagingPrefix.Length..] : file[1..];
        if (!rest.StartsWith(name + ".", StringComparison.Ordinal)) return false;
        var parts = rest[(name.Length + 1)..].Split('.');
        return (parts.Length == 2 || parts.Length == 3 && parts[2] is "old" or "tmp" or "lock")
            && int.TryParse(parts[0], out _) && parts[1].Length == 32 && parts[1].All(char.IsAsciiHexDigit);
    }

    /// <summary>
    /// Temporary names carry the writing process's id: ".NAME.PID.GUID.tmp" or "PREFIX NAME.PID.GUID". A staging folder's run
    /// is judged by its lock file, not the id; the id stays where earlier versions look for it, so their cleanup judges these
    /// folders as it always did.
    /// </summary>
    internal static string TemporaryName(string name, string? prefix = null) =>
        prefix is null ? $".{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp" : $"{prefix}{name}.{Environment.ProcessId}.{Guid.NewGuid():N}";

    private static bool OwnerIsRunning(string entry)
    {
        var parts = Path.GetFileName(entry).Split('.');
        // The process id is the part before the 32-digit guid.
        int guid = Array.FindLastIndex(parts, p => p.Length == 32 && p.All(char.IsAsciiHexDigit));
        if (guid < 1 || !int.TryParse(parts[guid - 1], out int pid)) return true; // not ours: leave it
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Without a commit (an error, a stop), the staging folder is removed and --out stays as it was.</summary>
    public void Dispose()
    {
        if (committed) return;
        lock (TemporaryPaths.Gate)
        {
            TemporaryPaths.TryDelete(staging);
            TemporaryPaths.Remove(staging);
        }
        ReleaseOwner(owner);
        // A failed run leaves no folder it made: the parents of --out it created go too, while nothing else is in them.
        createdParent?.Remove();
    }
}
