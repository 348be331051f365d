using System.Runtime.InteropServices;

namespace RepDiff.IO;

/// <summary>How much memory a reader may take: what the process may use and the system has free now.</summary>
public static class MemoryBudget
{
    /// <summary>Physical memory (or the container limit), capped by what /proc/meminfo says is available now.</summary>
    public static long Available()
    {
        if (assumed.Value is { } bytes) return bytes;
        long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    long kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
                    total = Math.Min(total, kb * 1024);
                }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return total;
    }

    private static readonly AsyncLocal<long?> assumed = new();

    /// <summary>
    /// Makes <see cref="Available"/> return <paramref name="bytes"/> in this flow of work until disposed: the tests check the memory
    /// refusals of a small machine on tiny inputs without allocating (an AsyncLocal, so tests running beside it see the real figure).
    /// </summary>
    internal static IDisposable Assume(long bytes)
    {
        var before = assumed.Value;
        assumed.Value = bytes;
        return new Restore(() => assumed.Value = before);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>
    /// The one memory policy of work that grows faster than the inputs (n×n kernels, distances and Gram matrices; d×d
    /// covariances): it may take 3/4 of what is available now (<see cref="Available"/>), and never more than
    /// <see cref="MaxWorkBytes"/>. Every estimate-and-refuse before such an allocation compares with this and names the option
    /// that scales (a subsample's size, the feature route, a smaller feature dimension).
    /// </summary>
    /// <remarks>
    /// The cap: on a machine other jobs share, what is free when a run starts is not free for the whole run, and each such work has
    /// a route that scales. RDX had used 80% of what is available (17 GB of 23 GB here) while SPEC stopped at 8.6 GB.
    /// </remarks>
    public static long WorkLimit() => WorkLimit(Available());

    /// <summary><see cref="WorkLimit()"/> with <paramref name="available"/> bytes free (0 or less: unknown, the cap alone).</summary>
    public static long WorkLimit(long available) => available > 0 ? Math.Min(MaxWorkBytes, available / 4 * 3) : MaxWorkBytes;

    /// <summary>The most any one run's n² or d² work may take, however much is free (<see cref="WorkLimit()"/>).</summary>
    public const long MaxWorkBytes = 8L << 30;

    /// <summary>
    /// The largest size in 1..<paramref name="upper"/> whose work (<paramref name="bytes"/>, growing with the size) fits
    /// <paramref name="limit"/>, or 0 when none does: the figure a refusal offers (--max-samples, --rbf-max-samples).
    /// </summary>
    public static int LargestFitting(int upper, long limit, Func<int, long> bytes)
    {
        int low = 0, high = upper; // bytes(low) fits (or low = 0); every size above high does not
        while (low < high)
        {
            int mid = low + (high - low + 1) / 2;
            if (bytes(mid) <= limit) low = mid;
            else high = mid - 1;
        }
        return low;
    }

    /// <summary>
    /// How much one decoded table (Parquet, Arrow, HDF5) may hold in memory between passes: an eighth of what is available now,
    /// so both inputs of a pair held together take a quarter and the run's own work still has its <see cref="WorkLimit()"/>
    /// of the rest; a load of such a table would hold the same bytes. Unknown availability (0 or less) holds nothing.
    /// </summary>
    public static long HeldTableBytes() => Math.Max(0, Available() / 8);

    /// <summary>Throws naming the file when holding `bytes` in memory would take more than 3/4 of what is available.</summary>
    /// <param name="remedy">What the user can do instead, added to the message when given.</param>
    public static void EnsureFits(string name, long bytes, string what, string? remedy = null)
    {
        long available = Available();
        if (bytes < 0 || available > 0 && bytes > available / 4 * 3)
            throw RepDiffInputException.ForFile(name, $"{what} would take {Megabytes(bytes)} in memory; about {Megabytes(available)} is available{(remedy is null ? "" : "; " + remedy)}");
    }

    /// <summary>
    /// Whether the process runs under a finite limit on address space (ulimit -v, a grid engine's h_vmem): reservations then
    /// fail long before memory runs out, so the CLI bounds malloc's arenas (ProcessSetup) and OpenBLAS stays unloaded (NativeBlas).
    /// </summary>
    public static bool AddressSpaceIsLimited() =>
        OperatingSystem.IsLinux() && GetLimit(AddressSpaceResource, out var limit) == 0 && limit.Current != ulong.MaxValue;

    private const int AddressSpaceResource = 9;

    [StructLayout(LayoutKind.Sequential)]
    private struct Limit
    {
        public ulong Current, Maximum;
    }

    [DllImport("libc", EntryPoint = "getrlimit")]
    private static extern int GetLimit(int resource, out Limit limit);

    public static string Megabytes(long bytes) => bytes < 0 ? "more than 8 EB" : $"{bytes / 1e6:#,0} MB";
}
