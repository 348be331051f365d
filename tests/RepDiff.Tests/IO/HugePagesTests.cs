using RepDiff.IO;
using System.Runtime.InteropServices;
using Xunit;

namespace RepDiff.Tests.IO;

public class HugePagesTests
{
    [Fact]
    public void TheHeapRangeHoldsSmallAndLargeObjects()
    {
        var (start, end) = HugePages.HeapRange();
        Assert.True(end > start);
        var large = new float[4 << 20];  // 16 MB: the large-object heap
        Assert.InRange(AddressOf(large), start, end - 1);
        Assert.InRange(AddressOf(new byte[16]), start, end - 1);
    }

    /// <summary>
    /// The kernel's own answer: after the advice, the mapping that holds a newly allocated 16 MB array may be backed by
    /// huge pages (smaps' THPeligible) in the madvise mode, where it had not been; in the always mode it already is and
    /// nothing is advised; in the never mode nothing is advised and nothing is eligible.
    /// </summary>
    [Fact]
    public void AdvisedHeapMemoryIsEligibleForHugePagesUnlessTheKernelSaysNever()
    {
        string? mode = HugePages.Mode();
        long advised = HugePages.AdviseManagedHeap();
        var (start, end) = HugePages.HeapRange();
        Assert.Equal(mode == "madvise" ? (long)(end - start) : 0, advised);
        var large = new float[4 << 20];
        Assert.Equal(mode is "madvise" or "always" ? 1 : 0, Eligible(AddressOf(large)));
        GC.KeepAlive(large);
    }

    private static ulong AddressOf(Array array)
    {
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try { return (ulong)handle.AddrOfPinnedObject(); }
        finally { handle.Free(); }
    }

    /// <summary>The THPeligible field of the smaps entry holding address.</summary>
    private static int Eligible(ulong address)
    {
        bool inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (char.IsAsciiHexDigit(line[0]) && line.Contains('-') && line.IndexOf(' ') > line.IndexOf('-'))
            {
                var range = line[..line.IndexOf(' ')].Split('-');
                inside = Convert.ToUInt64(range[0], 16) <= address && address < Convert.ToUInt64(range[1], 16);
            }
            else if (inside && line.StartsWith("THPeligible:", StringComparison.Ordinal))
                return int.Parse(line["THPeligible:".Length..].Trim());
        }
        throw new InvalidOperationException($"no smaps entry holds 0x{address:x}");
    }
}
