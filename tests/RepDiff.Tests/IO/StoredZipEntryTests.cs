using System.IO.Compression;
using RepDiff.IO;

namespace RepDiff.Tests.IO;

/// <summary>
/// Arrays stored uncompressed in a zip (numpy.savez, torch.save) are memory-mapped as a .npy is, not read into memory:
/// a file larger than memory then streams, and reading rows allocates no more than the rows.
/// </summary>
public sealed class StoredZipEntryTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("repdiff-stored-zip").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "golden", name);

    [Theory]
    [InlineData("stored.npz", "emb", true)]      // numpy.savez
    [InlineData("zip64.npz", null, false)]       // deflated
    [InlineData("deflated.npz", null, false)]    // numpy.savez_compressed
    [InlineData("tensor.pt", null, true)]        // torch.save's layout
    [InlineData("views.pt", "transposed", true)] // a view of a storage: the view's part is mapped
    public void StoredEntriesAreMappedAndDeflatedOnesRead(string file, string? key, bool mapped)
    {
        using var rows = Embeddings.OpenRows(Golden(file), key);
        Assert.Equal(mapped, rows.ReadsConcurrently);
    }

    [Fact]
    public void ReadingRowsOfAStoredArrayAllocatesOnlyTheRows()
    {
        const int n = 4096, d = 512;  // 8 MB of float32
        var values = new float[n * d];
        for (int i = 0; i < values.Length; i++) values[i] = i % 1013 * 0.5f;
        string path = Path.Combine(dir, "big.npz");
        File.WriteAllBytes(path, StoredZip("emb.npy", NpyBytes(values, n, d)));

        var row = new float[d];
        long before = GC.GetAllocatedBytesForCurrentThread();
        using (var rows = Embeddings.OpenRows(path))
            for (int i = 0; i < n; i += 97)
            {
                rows.ReadRows(i, 1, row);
                Assert.Equal(values[i * d + 7], row[7]);
            }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 2_000_000, $"allocated {allocated:N0} bytes reading rows of an 8 MB stored array");
    }

    [Fact]
    public void Zip64DirectoryRecordsAreFollowed()
    {
        // An archive past 4 GB records sizes and offsets in zip64 extra fields and a zip64 end record; written by hand
        // here at a few bytes with every such field forced, as a 4 GB test file would be too slow to write.
        float[] values = [1, 2, 3, 4, 5, 6];
        string path = Path.Combine(dir, "zip64.npz");
        File.WriteAllBytes(path, Zip64Stored("emb.npy", NpyBytes(values, 2, 3)));

        using var rows = Embeddings.OpenRows(path);
        Assert.True(rows.ReadsConcurrently);
        Assert.Equal(values, rows.ReadAll().Data);
    }

    [Fact]
    public void AViewIsCheckedAgainstItsWholeStorage()
    {
        // "rows" maps rows 1-5 of a storage it shares with "whole"; a bit flipped in row 0, outside the view, still
        // means the file is corrupt, and the zip's CRC-32 covers the whole storage.
        string path = Path.Combine(dir, "views.pt");
        File.Copy(Golden("views.pt"), path);
        byte[] view;
        using (var rows = Embeddings.OpenRows(path, "rows"))
            view = System.Runtime.InteropServices.MemoryMarshal.AsBytes(rows.ReadAll().Data.AsSpan()).ToArray();
        byte[] storage;
        using (var zip = ZipFile.OpenRead(path))
            storage = zip.Entries.Where(e => e.FullName.Contains("/data/"))
                .Select(e => { using var s = e.Open(); var b = new byte[e.Length]; s.ReadExactly(b); return b; })
                .Single(b => b.Length > 12 && b.AsSpan(12).StartsWith(view));
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.AsSpan().IndexOf(storage) + 1] ^= 0x01;  // a stored entry's bytes appear in the file as they are
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(path, "rows").Dispose());
        Assert.Contains("does not match the zip's CRC-32", error.Message);
    }

    /// <summary>An array of 1…6, and one of other values with the same length and CRC-32.</summary>
    private static (byte[] Array, byte[] Twin) Twins()
    {
        var array = NpyBytes([1, 2, 3, 4, 5, 6], 2, 3);
        return (array, HandZip.WithCrc(NpyBytes([100, 100, 100, 100, 100, 100], 2, 3), System.IO.Hashing.Crc32.HashToUInt32(array)));
    }

    [Fact]
    public void AnEntryIsMappedFromItsOwnRecordThoughAnotherNameDecodesAlike()
    {
        // Byte 0xE9 without the UTF-8 flag ("\uFFFD" to ZipArchive) before "é" with it: the index decoded the first as
        // Latin-1 "é" and mapped its data for the second, whose length and CRC-32 it shares.
        var (array, twin) = Twins();
        string path = Path.Combine(dir, "names.npz");
        File.WriteAllBytes(path, HandZip.Stored(([0xE9, .. ".npy"u8], twin, 0), ("é.npy"u8.ToArray(), array, HandZip.Utf8Flag)));

        using var rows = Embeddings.OpenRows(path, "é");
        Assert.True(rows.ReadsConcurrently);
        Assert.Equal([1f, 2, 3, 4, 5, 6], rows.ReadAll().Data);
    }

    [Theory]
    [InlineData(true)]   // only the size 0xFFFFFFFF: ZipArchive keeps the end record's directory, the index took the zip64 one
    [InlineData(false)]  // nothing masked: Python's zipfile (numpy's) takes the zip64 record whenever a locator precedes the end record
    public void EndRecordsThatZipReadersFollowDifferentlyAreRefused(bool sizeMasked)
    {
        // Two central directories name a.npy, at the array and at a twin with the same CRC-32: the end record gives one,
        // the zip64 end record the other.
        var (array, twin) = Twins();
        byte[] name = "a.npy"u8.ToArray();
        byte[] first = HandZip.Local(name, array), second = HandZip.Local(name, twin);
        byte[] real = HandZip.Central(name, array, 0), other = HandZip.Central(name, twin, first.Length);
        long realAt = first.Length + second.Length, otherAt = realAt + real.Length + 8;
        long zip64At = otherAt + other.Length;
        string path = Path.Combine(dir, "two_directories.npz");
        File.WriteAllBytes(path, [.. first, .. second, .. real, .. new byte[8], .. other,
            .. HandZip.Zip64End(zip64At, 1, other.Length, otherAt), .. HandZip.End(1, sizeMasked ? uint.MaxValue : real.Length, realAt)]);

        var error = Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(path).Dispose());
        Assert.Equal($"{path}: its end record and its zip64 end record give different central directories (offset {realAt}, count 1; "
            + $"offset {otherAt}, count 1): zip readers (numpy's among them) would disagree on what it holds", error.Message);
    }

    [Fact]
    public void BytesBetweenTheDirectoryAndTheEndRecordAreRefused()
    {
        // Python's zipfile takes such a gap for data prepended to the zip and shifts every offset by it (reading
        // another directory and other entries there); ZipArchive reads the offsets as they are.
        var (array, _) = Twins();
        var zip = HandZip.Stored(("a.npy"u8.ToArray(), array, 0));
        string path = Path.Combine(dir, "gap.npz");
        File.WriteAllBytes(path, [.. zip[..^22], .. new byte[8], .. zip[^22..]]);

        var error = Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(path).Dispose());
        Assert.Contains("does not end where the zip's end records begin", error.Message);
    }

    private static byte[] NpyBytes(float[] values, long rows, long cols)
    {
        using var stream = new MemoryStream();
        Npy.WriteRaw(stream, "<f4", [rows, cols], System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return stream.ToArray();
    }

    private static byte[] StoredZip(string name, byte[] content)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            s.Write(content);
        }
        return stream.ToArray();
    }

    /// <summary>One stored entry whose every size, offset and count is given in zip64 records.</summary>
    private static byte[] Zip64Stored(string name, byte[] content)
    {
        var nameBytes = System.Text.Encoding.ASCII.GetBytes(name);
        uint crc = System.IO.Hashing.Crc32.HashToUInt32(content);
        var zip = new MemoryStream();
        var w = new BinaryWriter(zip);
        void Common(uint signature, bool central)
        {
            w.Write(signature);
            if (central) w.Write((ushort)45);  // version made by
            w.Write((ushort)45);
            w.Write((ushort)0);  // flags
            w.Write((ushort)0);  // stored
            w.Write(0u);         // time and date
            w.Write(crc);
            w.Write(uint.MaxValue);
            w.Write(uint.MaxValue);
            w.Write((ushort)nameBytes.Length);
        }
        Common(0x04034b50, central: false);
        w.Write((ushort)20);
        w.Write(nameBytes);
        w.Write((ushort)1); w.Write((ushort)16); w.Write((long)content.Length); w.Write((long)content.Length);
        w.Write(content);

        long directory = zip.Position;
        Common(0x02014b50, central: true);
        w.Write((ushort)28);
        w.Write((ushort)0); w.Write((ushort)0); w.Write((ushort)0); w.Write(0u);  // comment, disk, attributes
        w.Write(uint.MaxValue);  // the local header's offset, in the extra field
        w.Write(nameBytes);
        w.Write((ushort)1); w.Write((ushort)24); w.Write((long)content.Length); w.Write((long)content.Length); w.Write(0L);
        long directorySize = zip.Position - directory;

        long zip64End = zip.Position;
        w.Write(0x06064b50u); w.Write(44L); w.Write((ushort)45); w.Write((ushort)45); w.Write(0u); w.Write(0u);
        w.Write(1L); w.Write(1L); w.Write(directorySize); w.Write(directory);
        w.Write(0x07064b50u); w.Write(0u); w.Write(zip64End); w.Write(1u);
        w.Write(0x06054b50u); w.Write((ushort)0); w.Write((ushort)0); w.Write(ushort.MaxValue); w.Write(ushort.MaxValue);
        w.Write(uint.MaxValue); w.Write(uint.MaxValue); w.Write((ushort)0);
        return zip.ToArray();
    }
}
