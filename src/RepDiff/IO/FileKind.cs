using System.Runtime.InteropServices;

namespace RepDiff.IO;

/// <summary>
/// What a path names once symbolic links are followed: a regular file, a directory, or something that
/// must never be read as input (a FIFO blocks forever, /dev/zero never ends). .NET does not expose the
/// file type, so on Linux it is read with statx(2), whose layout is the same on every architecture.
/// </summary>
public static class FileKind
{
    public const string Regular = "regular file", Directory = "directory", Missing = "missing", Unknown = "unknown";

    private const int AtFdCwd = -100, StatxType = 0x1;
    private const int ModeOffset = 28, StatxSize = 256;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern unsafe int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte* buffer);

    private static bool statxMissing = !OperatingSystem.IsLinux();

    private const uint StatxIno = 0x100;
    private const int InoOffset = 32, DevMajorOffset = 136, DevMinorOffset = 140;

    /// <summary>
    /// Whether two paths name one existing file (same device and inode once links are followed, so a hard link or
    /// ./a.npy is caught too); without statx, whether their full paths are equal.
    /// </summary>
    public static bool SameFile(string a, string b)
    {
        if (Of(a) == Missing || Of(b) == Missing) return false;
        if (Id(a) is { } x && Id(b) is { } y) return x == y;
        return Path.GetFullPath(a) == Path.GetFullPath(b);
    }

    /// <summary>Which file a path names: its device and inode.</summary>
    public readonly record struct FileId(ulong Inode, uint DeviceMajor, uint DeviceMinor);

    /// <summary>
    /// The file at path (links followed), as <see cref="SameFile"/> compares them: a folder swapped in under the same name is
    /// another file. Null when it is missing or cannot be read, or without statx.
    /// </summary>
    public static unsafe FileId? Id(string path)
    {
        if (statxMissing) return null;
        byte* x = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, 0, StatxIno, x) != 0) return null;
        return new FileId(*(ulong*)(x + InoOffset), *(uint*)(x + DevMajorOffset), *(uint*)(x + DevMinorOffset));
    }

    private const int UidOffset = 20, GidOffset = 24;

    /// <summary>The owner and group of the file at path (links followed); null without statx or when it cannot be read.</summary>
    public static unsafe (uint Uid, uint Gid)? Owner(string path)
    {
        if (statxMissing) return null;
        try
        {
            byte* x = stackalloc byte[StatxSize];
            if (Statx(AtFdCwd, path, 0, 0x8 | 0x10, x) != 0) return null; // STATX_UID | STATX_GID
            return (*(uint*)(x + UidOffset), *(uint*)(x + GidOffset));
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return null; }
    }

    private const int AttributesOffset = 8, AttributesMaskOffset = 56;
    private const ulong AttributeMountRoot = 0x2000;

    /// <summary>
    /// Whether the folder at path is where a file system (or a bind mount) is mounted, which no rename can move: the root of
    /// its mount where statx tells, else on another device than its parent.
    /// </summary>
    public static unsafe bool IsMountPoint(string path)
    {
        if (statxMissing || Path.GetDirectoryName(path) is not { } parent) return false;
        try
        {
            byte* x = stackalloc byte[StatxSize], y = stackalloc byte[StatxSize];
            if (Statx(AtFdCwd, path, 0, 0, x) != 0) return false;
            if ((*(ulong*)(x + AttributesMaskOffset) & AttributeMountRoot) != 0) return (*(ulong*)(x + AttributesOffset) & AttributeMountRoot) != 0;
            if (Statx(AtFdCwd, parent, 0, 0, y) != 0) return false;
            return *(uint*)(x + DevMajorOffset) != *(uint*)(y + DevMajorOffset) || *(uint*)(x + DevMinorOffset) != *(uint*)(y + DevMinorOffset);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return false; }
    }

    /// <summary>The kind of file at path: <see cref="Regular"/>, <see cref="Directory"/>, <see cref="Missing"/>, or a word such as "FIFO".</summary>
    public static unsafe string Of(string path)
    {
        if (path.Contains('\0')) return Missing;
        if (!statxMissing)
        {
            try
            {
                byte* buffer = stackalloc byte[StatxSize];
                if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
                    return Marshal.GetLastPInvokeError() is 2 or 20 ? Missing : Unknown; // ENOENT, ENOTDIR; else let opening report it
                int type = *(ushort*)(buffer + ModeOffset) & 0xF000;
                return type switch
                {
                    0x8000 => Regular,
                    0x4000 => Directory,
                    0x1000 => "FIFO (named pipe)",
                    0x2000 => "character device",
                    0x6000 => "block device",
                    0xC000 => "socket",
                    _ => "special file",
                };
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                statxMissing = true;
            }
        }
        if (System.IO.Directory.Exists(path)) return Directory;
        return File.Exists(path) ? Regular : Missing;
    }

    /// <summary>Whether a path begins with a ~ that names a home folder in a shell: "~" or "~/...".</summary>
    public static bool UnexpandedHome(string path) => path == "~" || path.StartsWith("~/", StringComparison.Ordinal);

    /// <summary>Throws naming the file unless path is a regular file (after following links).</summary>
    public static void RequireRegular(string path)
    {
        string kind = Of(path);
        if (kind is Regular or Unknown) return;
        if (kind == Missing)
            throw RepDiffInputException.ForFile(path, path.Contains('\0') ? "contains a NUL character; not a valid path"
                // .NET reads names as UTF-8 and shows bytes that are not as U+FFFD, a name no file has: it cannot be opened.
                : path.Contains('\uFFFD') ? "file not found (if its name is not valid UTF-8, as shown by �, RepDiff cannot open it: rename it)"
                : UnexpandedHome(path) ? "file not found (the shell expands a leading ~ only unquoted and not after '=': give the path from $HOME)"
                : "file not found");
        // A run's --out folder given to export or evaluate: name the results.json in it.
        if (kind == Directory)
            throw RepDiffInputException.ForFile(path, "is a directory, not a file"
                + (File.Exists(Path.Combine(path, "results.json")) ? $"; give {Path.Combine(path, "results.json")}, the run's results in it" : ""));
        // A file is sized and its first bytes looked at before it is read, which a pipe or device cannot give: say what to do.
        throw RepDiffInputException.ForFile(path, $"is a {kind}, not a regular file; only regular files are read: write what it gives to a file first and give that file");
    }
}
