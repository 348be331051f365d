using RepDiff.IO;
using System.Runtime.InteropServices;
using Xunit;

namespace RepDiff.Tests.IO;

public class PageAdviceTests
{
    [Fact]
    public void TheHeapRangeHoldsSmallAndLargeObjects()
    {
        var (start, end) = PageAdvice.HeapRange();
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
        string? mode = PageAdvice.Mode();
        long advised = PageAdvice.AdviseManagedHeap();
        var (start, end) = PageAdvice.HeapRange();
        Assert.Equal(mode == "madvise" ? (long)(end - start) : 0, advised);
        var large = new float[4 << 20];
        Assert.Equal(mode is "madvise" or "always" ? 1 : 0, Eligible(AddressOf(large)));
        GC.KeepAlive(large);
    }

    /// <summary>A fresh anonymous mapping of 16 MB (untouched: nothing resident) is resident all at once after the call.</summary>
    [Fact]
    public void FreshMemoryIsMappedForWritingInOneCall()
    {
        long page = Environment.SystemPageSize, length = 16 << 20;
        const int readWrite = 3, privateAnonymous = 0x22;  // PROT_READ | PROT_WRITE; MAP_PRIVATE | MAP_ANONYMOUS
        nint memory = Map(0, (nuint)length, readWrite, privateAnonymous, -1, 0);
        Assert.NotEqual(-1, (long)memory);
        try
        {
            Assert.Equal(0, ResidentPages(memory, length));
            PageAdvice.MapForWriting(memory, length);
            Assert.Equal(length / page, ResidentPages(memory, length));
        }
        finally { Unmap(memory, (nuint)length); }
    }

    [DllImport("libc", EntryPoint = "mmap")]
    private static extern nint Map(nint address, nuint length, int protection, int flags, int descriptor, nint offset);

    [DllImport("libc", EntryPoint = "munmap")]
    private static extern int Unmap(nint address, nuint length);

    /// <summary>A large slice of a mapped file has every page mapped when it is taken (smaps' Rss of the file's mapping; one page each without).</summary>
    [Fact]
    public void ALargeSliceOfAMappedFileIsMappedInOneCall()
    {
        string path = Path.Combine(TestData.TempDir(), "rows.bin");
        const int length = 1 << 20;
        File.WriteAllBytes(path, new byte[length]);
        using var bytes = ArrayBytes.Map(new FileStream(path, FileMode.Open, FileAccess.Read), 0, length);
        Assert.Equal(0, MappedKilobytes(path));
        _ = bytes.Slice(4096, length - 4096);
        Assert.InRange(MappedKilobytes(path), (length - 4096) / 1024, length / 1024);  // the kernel may map the page before too
    }

    private static long ResidentPages(nint start, long length)
    {
        var vector = new byte[length / Environment.SystemPageSize];
        Assert.Equal(0, MemoryResidency(start, (nuint)length, vector));
        return vector.Count(b => (b & 1) != 0);
    }

    [DllImport("libc", EntryPoint = "mincore")]
    private static extern int MemoryResidency(nint address, nuint length, byte[] vector);

    /// <summary>The Rss of the mappings of path in this process, in kB.</summary>
    private static long MappedKilobytes(string path)
    {
        long total = 0;
        bool inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (char.IsAsciiHexDigit(line[0]) && line.Contains('-') && line.IndexOf(' ') > line.IndexOf('-'))
                inside = line.EndsWith(path, StringComparison.Ordinal);
            else if (inside && line.StartsWith("Rss:", StringComparison.Ordinal))
                total += long.Parse(line["Rss:".Length..].Trim().Split(' ')[0]);
        }
        return total;
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
