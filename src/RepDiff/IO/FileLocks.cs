using System.Runtime.InteropServices;

namespace RepDiff.IO;

/// <summary>
/// Advisory locks (flock) that the kernel drops when their process ends, however it ends: what another process is doing
/// is asked of the kernel instead of guessed from a process id, which another container sharing the volume, or a recycled
/// id, answers wrongly. Where flock is missing (Windows), a file opened without sharing plays the same part.
/// </summary>
internal static class FileLocks
{
    private const int Shared = 1, Exclusive = 2, NonBlocking = 4;

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int fd, int operation);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    /// <summary>flock's "someone else holds it" (EWOULDBLOCK), which differs between Linux and macOS.</summary>
    private static int WouldBlock => OperatingSystem.IsMacOS() ? 35 : 11;

    private static bool HasFlock => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>Takes a lock (exclusive unless <paramref name="shared"/>) on an open file without waiting: true taken, false held by another, null cannot tell.</summary>
    private static bool? TryLock(FileStream stream, bool shared = false)
    {
        if (!HasFlock) return true; // the stream itself, opened without sharing, is the lock
        try
        {
            if (Flock((int)stream.SafeFileHandle.DangerousGetHandle(), (shared ? Shared : Exclusive) | NonBlocking) == 0) return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return null; }
        // ENOLCK, EOPNOTSUPP (a file system without flock): the caller falls back to what it did before.
        return Marshal.GetLastPInvokeError() == WouldBlock ? false : null;
    }

    /// <summary>
    /// Takes the lock of folder <paramref name="folder"/> itself (its own inode, so nothing is written in it), waiting while
    /// another process holds it, at most <paramref name="patience"/>; null where it cannot be had (no flock, an unreadable
    /// folder, a holder that does not let go): the caller goes on without it. Stops waiting once the run is being stopped.
    /// </summary>
    public static IDisposable? LockFolder(string folder, TimeSpan patience)
    {
        if (!HasFlock) return null;
        int fd;
        try { fd = Open(folder, OperatingSystem.IsLinux() ? CloseOnExecLinux : CloseOnExecMacOS); } // O_RDONLY | O_CLOEXEC
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return null; }
        if (fd < 0) return null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (Flock(fd, Exclusive | NonBlocking) == 0) return new FolderLock(fd);
            if (Marshal.GetLastPInvokeError() != WouldBlock || clock.Elapsed > patience || TemporaryPaths.Stopping)
            {
                Close(fd);
                return null;
            }
            Thread.Sleep(5);
        }
    }

    private const int CloseOnExecLinux = 0x80000, CloseOnExecMacOS = 0x1000000;

    /// <summary>Closing the descriptor drops the lock.</summary>
    private sealed class FolderLock(int fd) : IDisposable
    {
        private int fd = fd;

        public void Dispose()
        {
            if (fd >= 0) Close(fd);
            fd = -1;
        }
    }

    /// <summary>
    /// Creates a new file and takes a shared lock on it, held until the returned stream is disposed: a writer's claim on its
    /// temporary file, which <see cref="OwnerLock.TryTake"/> (an exclusive lock) cannot take while the writer lives, in this
    /// container or another. Shared, so that the writer's own streams on the file, on which .NET takes a shared lock of its
    /// own, are not refused. Null when another process's cleanup took the file between its creation and the lock (the caller
    /// takes a new name).
    /// </summary>
    public static FileStream? CreateClaimed(string path)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        if (TryLock(stream, shared: true) is false || !File.Exists(path))
        {
            stream.Dispose();
            return null;
        }
        return stream;
    }

    /// <summary>What <see cref="OwnerLock.TryTake"/> found.</summary>
    public enum Owner
    {
        /// <summary>No lock file: a leftover of a version that wrote none, or already removed.</summary>
        Missing,
        /// <summary>Its process still runs (somewhere: another container's too).</summary>
        Running,
        /// <summary>Nobody holds it: its process has ended; the lock is now the caller's.</summary>
        Ended,
        /// <summary>The file system cannot say (no flock there).</summary>
        Unknown,
    }

    /// <summary>
    /// A lock file its process holds for as long as it works on what the file is named for (a staging folder): created and
    /// locked before that exists, deleted after it is gone, so whoever finds the file unlocked knows its owner has ended.
    /// </summary>
    public sealed class OwnerLock : IDisposable
    {
        private readonly FileStream stream;

        public string Path { get; }

        private OwnerLock(string path, FileStream stream)
        {
            Path = path;
            this.stream = stream;
        }

        /// <summary>
        /// Creates and locks a new lock file. Another process's cleanup can open the file in the moment between its creation
        /// and the lock, find it free and delete it; the lock would then hold a file no longer there, so its name is checked
        /// after the lock is taken, and null says it was lost (the caller takes a new name). A file that cannot be created
        /// throws, as creating any file does.
        /// </summary>
        public static OwnerLock? Create(string path)
        {
            // Windows: no sharing but deletion is the lock; elsewhere .NET's own lock is off when DOTNET_SYSTEM_IO_DISABLEFILELOCKING
            // is set, so the flock below is taken explicitly.
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete);
            if (TryLock(stream) is false || !File.Exists(path))
            {
                stream.Dispose();
                return null;
            }
            return new OwnerLock(path, stream);
        }

        /// <summary>
        /// Asks whether the owner of the lock file at <paramref name="path"/> (or of a temporary file claimed with
        /// <see cref="CreateClaimed"/>) still runs; if not, the lock is the caller's.
        /// </summary>
        public static (Owner Owner, OwnerLock? Taken) TryTake(string path)
        {
            FileStream stream;
            try { stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return (Owner.Missing, null); }
            // .NET's own lock (Unix) or the owner's sharing (Windows) refused: held.
            catch (IOException) { return (Owner.Running, null); }
            catch (UnauthorizedAccessException) { return (Owner.Unknown, null); }
            switch (TryLock(stream))
            {
                case true: return (Owner.Ended, new OwnerLock(path, stream));
                case false: stream.Dispose(); return (Owner.Running, null);
                default: stream.Dispose(); return (Owner.Unknown, null);
            }
        }

        /// <summary>Deletes the lock file, then lets go of the lock: the file never stays unlocked while the owner works.</summary>
        public void Delete()
        {
            try { File.Delete(Path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            stream.Dispose();
        }

        public void Dispose() => stream.Dispose();
    }
}
