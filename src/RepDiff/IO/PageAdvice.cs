using System.Globalization;
using System.Runtime.InteropServices;

namespace RepDiff.IO;

/// <summary>
/// Linux memory advice that saves page faults, each of which costs ~10 µs of kernel time on this project's virtual
/// machines: 2 MB pages under the managed heap, and the pages of a fresh array or of a mapped file range mapped in one
/// call before they are first touched. Every call is a hint: nothing changes where the kernel does not support it.
///
/// Huge pages: asks Linux for 2 MB pages under the managed heap. Where transparent huge pages are given only on request (the
/// `madvise` mode, the default of many distributions and of this project's machines), every first touch of heap memory
/// costs one page fault per 4 KB: `rdx` at 2,000 rows took 53,000 faults for its 215 MB, a fifth of its CPU time in the
/// kernel, and its GEMMs and UMAP descent missed the TLB on every new page. The heap is one reserved range that
/// the GC commits piece by piece; advising the whole range once, before the run allocates, covers every later commit
/// (docs/benchmarks.md, thirty-fifth session, has the measurements). Nothing changes where the mode is `always`
/// (already huge) or `never` (the kernel refuses), and nothing is ever required: it is a hint.
/// </summary>
public static class PageAdvice
{
    private const int AdviseHugePage = 14;  // MADV_HUGEPAGE
    private const int PopulateRead = 22;  // MADV_POPULATE_READ (Linux 5.14)
    private const int PopulateWrite = 23;  // MADV_POPULATE_WRITE (Linux 5.14)

    /// <summary>Arrays and file ranges from this size on (bytes) have their pages mapped at once.</summary>
    public const long MapAtOnceBytes = 64 * 1024;

    /// <summary>Advises the managed heap's reserved range; returns the bytes advised (0 when not on Linux or not needed).</summary>
    public static long AdviseManagedHeap()
    {
        if (!OperatingSystem.IsLinux() || Mode() != "madvise") return 0;
        var (start, end) = HeapRange();
        if (end <= start) return 0;
        return Advise((nint)start, (nuint)(end - start), AdviseHugePage) == 0 ? (long)(end - start) : 0;
    }

    /// <summary>
    /// Maps the pages of a newly allocated array, which the runtime leaves untouched, in one call. Its first writes would
    /// otherwise fault once per 4 KB page wherever the GC's commits left them outside a 2 MB page: half of `rdx`'s
    /// 25,000 faults at 2,000 rows. Arrays below <see cref="MapAtOnceBytes"/> are left alone; pages already mapped stay as they are.
    /// </summary>
    public static unsafe T[] MapForWriting<T>(T[] array) where T : unmanaged
    {
        if ((long)array.LongLength * sizeof(T) >= MapAtOnceBytes)
            fixed (T* start = array) MapForWriting((nint)start, array.LongLength * sizeof(T));
        return array;
    }

    /// <summary>A new zeroed array, its pages mapped at once when it is large (<see cref="MapForWriting{T}"/>).</summary>
    public static T[] NewArray<T>(long length) where T : unmanaged => MapForWriting(new T[length]);

    internal static unsafe void MapForWriting(nint start, long length) => Populate((void*)start, length, PopulateWrite);

    /// <summary>
    /// Maps the pages of a range of a read-only file mapping in one call, before a pass reads them all (one fault per
    /// 4 KB page otherwise: 7,000 for the two inputs of a 10,000-row `spec`).
    /// </summary>
    public static unsafe void MapForReading(byte* start, long length) => Populate(start, length, PopulateRead);

    /// <summary>madvise over the whole pages inside [start, start + length); failures (old kernels) are ignored.</summary>
    private static unsafe void Populate(void* start, long length, int advice)
    {
        if (!OperatingSystem.IsLinux()) return;
        ulong page = (ulong)Environment.SystemPageSize;
        ulong first = ((ulong)start + page - 1) & ~(page - 1), end = ((ulong)start + (ulong)length) & ~(page - 1);
        if (end > first) Advise((nint)first, (nuint)(end - first), advice);
    }

    /// <summary>The kernel's transparent huge page mode (always, madvise or never), or null when it has none.</summary>
    internal static string? Mode()
    {
        try
        {
            string text = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled");
            int open = text.IndexOf('['), close = text.IndexOf(']');
            return open >= 0 && close > open ? text[(open + 1)..close] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// The anonymous mappings, contiguous with each other, that hold a managed object: the GC's reservation (committed and
    /// reserved parts are separate mappings of one range). Empty when /proc/self/maps cannot be read.
    /// </summary>
    internal static (ulong Start, ulong End) HeapRange()
    {
        var probe = new byte[1];
        var handle = GCHandle.Alloc(probe, GCHandleType.Pinned);
        ulong address = (ulong)handle.AddrOfPinnedObject();
        handle.Free();
        List<(ulong Start, ulong End, bool Anonymous)> mappings;
        try { mappings = File.ReadLines("/proc/self/maps").Select(Parse).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return (0, 0); }
        int k = mappings.FindIndex(m => m.Start <= address && address < m.End);
        if (k < 0 || !mappings[k].Anonymous) return (0, 0);
        int first = k, last = k;
        while (first > 0 && mappings[first - 1].Anonymous && mappings[first - 1].End == mappings[first].Start) first--;
        while (last + 1 < mappings.Count && mappings[last + 1].Anonymous && mappings[last + 1].Start == mappings[last].End) last++;
        return (mappings[first].Start, mappings[last].End);
    }

    /// <summary>One line of /proc/self/maps: "start-end perms offset dev inode [path]"; anonymous when it has no path or a name given to anonymous memory.</summary>
    private static (ulong Start, ulong End, bool Anonymous) Parse(string line)
    {
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        var range = fields[0].Split('-');
        string path = fields.Length < 6 ? "" : fields[5].Trim();
        bool anonymous = path.Length == 0 || path.StartsWith("[anon:", StringComparison.Ordinal);
        return (ulong.Parse(range[0], NumberStyles.HexNumber), ulong.Parse(range[1], NumberStyles.HexNumber), anonymous);
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Advise(nint address, nuint length, int advice);
}
