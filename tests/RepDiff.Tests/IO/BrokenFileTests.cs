using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using RepDiff.Cli;
using RepDiff.IO;
using static RepDiff.Tests.IO.GoldenFileTests;

namespace RepDiff.Tests.IO;

/// <summary>
/// A corpus of broken files: truncated at every byte, every byte flipped, and hand-made lies (shapes,
/// offsets, sizes, names, dtypes). Every case is a RepDiffInputException naming the file (or a valid
/// read, for a flip that leaves a valid file), never another exception, a hang, or an allocation
/// beyond a small multiple of the file's size.
/// </summary>
public class BrokenFileTests
{
    /// <summary>
    /// What reading may allocate: the float32 matrix (up to 4× an int8 file), buffers, the error message,
    /// and a constant for the zip library (a byte flipped to compression method 9 selects Deflate64, whose
    /// decoder allocates a ~260 KB window). Any allocation driven by a header's claims would exceed this.
    /// </summary>
    private static long Budget(long fileLength) => 8 * fileLength + (512 << 10);

    private static readonly string[] Bases =
        ["le_f4.npy", "v2_f4.npy", "v3_f4.npy", "fortran_be_f8.npy", "le_f2.npy", "vector_i8.npy",
         "stored.npz", "deflated.npz", "zip64.npz", "single.safetensors", "all_dtypes.safetensors", "tensor.pt", "dict.pt", "plain.csv", "with_ids.csv"];

    private static string? KeyOf(string file) => file switch
    {
        "stored.npz" => "emb",
        "all_dtypes.safetensors" => "bf16",
        "dict.pt" => "layers.1",
        _ => null,
    };

    /// <summary>Reads the way `repdiff compare` does (validated, every row) and checks the outcome.</summary>
    private static Exception? Read(string path, string? key, string? idColumn = null)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? error = null;
        try
        {
            using var rows = Embeddings.Open(path, key, idColumn, validate: true);
            rows.ReadAll();
        }
        catch (Exception e)
        {
            error = e;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long length = File.Exists(path) ? new FileInfo(path).Length : 0;
        Assert.True(allocated <= Budget(length), $"{Path.GetFileName(path)}: allocated {allocated} bytes reading a {length}-byte file");
        if (error is null) return null;
        if (error is not RepDiffInputException)
            Assert.Fail($"{Path.GetFileName(path)}: {error.GetType().Name}: {error.Message}\n{error.StackTrace}");
        Assert.StartsWith(path, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }

    private static int written;

    /// <summary>Writes each case to a new file: rewriting one file thousands of times is slow on ext4 (each truncation flushes).</summary>
    private static string Write(string dir, string name, byte[] bytes)
    {
        string path = Path.Combine(dir, $"{Interlocked.Increment(ref written)}.{name}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static TheoryData<string> BaseFiles() => new(Bases);

    [Theory]
    [MemberData(nameof(BaseFiles))]
    public void TruncationAtEveryByteIsAnInputError(string file)
    {
        var bytes = File.ReadAllBytes(Golden(file));
        string dir = TestData.TempDir();
        try
        {
            Assert.Null(Read(Write(dir, file, bytes), KeyOf(file), file == "with_ids.csv" ? "id" : null));
            for (int length = 0; length < bytes.Length; length++)
            {
                var error = Read(Write(dir, file, bytes[..length]), KeyOf(file), file == "with_ids.csv" ? "id" : null);
                // A text file cut at a line end is still a valid (shorter) file; binary formats never are.
                if (!file.EndsWith(".csv")) Assert.True(error is not null, $"{file} truncated to {length} bytes was accepted");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(BaseFiles))]
    public void FlippedBytesAreAnInputErrorOrStillValid(string file)
    {
        var bytes = File.ReadAllBytes(Golden(file));
        string dir = TestData.TempDir();
        try
        {
            foreach (byte mask in new byte[] { 0xFF, 0x01, 0x80 })
                for (int i = 0; i < bytes.Length; i++)
                {
                    var copy = (byte[])bytes.Clone();
                    copy[i] ^= mask;
                    Read(Write(dir, file, copy), KeyOf(file), file == "with_ids.csv" ? "id" : null);
                }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A .npy file with the given header text and data (header padded as numpy does).</summary>
    private static byte[] NpyBytes(string dict, byte[] data, int major = 1)
    {
        int lengthBytes = major == 1 ? 2 : 4;
        int total = 8 + lengthBytes + dict.Length + 1;
        string header = dict + new string(' ', (total + 63) / 64 * 64 - total) + "\n";
        var result = new List<byte>([0x93, .. "NUMPY"u8, (byte)major, 0]);
        var len = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)header.Length);
        result.AddRange(len[..lengthBytes]);
        result.AddRange(Encoding.Latin1.GetBytes(header));
        result.AddRange(data);
        return result.ToArray();
    }

    private static string Dict(string descr, string shape, string fortran = "False") =>
        $"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}, }}";

    private static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static byte[] Doubles(params double[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static readonly byte[] TwelveFloats = Floats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);

    public static TheoryData<string, string> BrokenNpy() => new()
    {
        { "wrong magic", "not a .npy file" },
        { "empty file", "is empty (0 bytes); nothing was saved in it" },
        { "cut inside the magic", "truncated .npy header (the file ends after 3 bytes)" },
        { "other short file", "is text (UTF-8), not an .npy array as its name says" },
        { "version 4", "unsupported .npy format version 4" },
        { "shape claims more rows than the data holds", "truncated" },
        { "shape claims a million by 768", "truncated" },
        { "shape is impossibly large", "impossibly large" },
        { "shape overflows 64 bits", "impossibly large" },
        { "negative shape", "malformed" },
        { "33 dimensions", "malformed" },
        { "3-D embeddings", "expected a 2-D array" },
        { "scalar", "expected a 2-D array" },
        { "complex dtype", "unsupported dtype '<c8'" },
        { "object dtype", "unsupported dtype '|O'" },
        { "string dtype as embeddings", "not numeric" },
        { "structured dtype", "unsupported dtype" },
        { "header length beyond the file", "truncated .npy header" },
        { "version 2 header claims 4 GB", "truncated .npy header" },
        { "missing shape", "needs 'descr', 'fortran_order' and 'shape'" },
        { "repeated key", "repeated key" },
        { "text after the dictionary", "text after the dictionary" },
        { "fortran order not a bool", "True or False" },
        { "NaN in row 1", "row 1 column 2 is NaN" },
        { "Inf in row 3", "row 3 column 0 is Inf" },
        // A finite float64 beyond float32 is named as the file holds it (it used to read "is Inf; values must be finite").
        { "float64 1e39 (Inf as float32)", "row 2 column 1 is 1E+39, beyond the float32 range" },
        { "Fortran big-endian float64 -1e39 (Inf as float32)", "row 2 column 1 is -1E+39, beyond the float32 range" },
        { "float64 beyond float32 in row 2", "row 2 column 1 is 1E+300, beyond the float32 range" },
        { "float64 beyond float32, Fortran order", "row 1 column 0 is -5E+39, beyond the float32 range" },
        { "float64 Inf", "row 0 column 1 is Inf; values must be finite" },
        { "zero rows", "zero rows" },
        { "zero columns", "zero columns" },
    };

    private static byte[] BrokenNpyBytes(string name) => name switch
    {
        "wrong magic" => [.. "\x93NUMPX"u8, 1, 0, 0, 0],
        "empty file" => [],
        "cut inside the magic" => [0x93, (byte)'N', (byte)'U'],
        "other short file" => [.. "abc"u8],
        "version 4" => NpyBytes(Dict("<f4", "(4, 3)"), TwelveFloats) is var b ? [.. b[..6], 4, .. b[7..]] : [],
        "shape claims more rows than the data holds" => NpyBytes(Dict("<f4", "(5, 3)"), TwelveFloats),
        "shape claims a million by 768" => NpyBytes(Dict("<f4", "(1000000, 768)"), TwelveFloats),
        "shape is impossibly large" => NpyBytes(Dict("<f8", "(4294967296, 4294967296)"), TwelveFloats),
        "shape overflows 64 bits" => NpyBytes(Dict("<f4", "(999999999999999999, 999999999999999999, 16)"), TwelveFloats),
        "negative shape" => NpyBytes(Dict("<f4", "(-4, 3)"), TwelveFloats),
        "33 dimensions" => NpyBytes(Dict("<f4", "(" + string.Join(", ", Enumerable.Repeat("1", 33)) + ")"), TwelveFloats),
        "3-D embeddings" => NpyBytes(Dict("<f4", "(2, 2, 3)"), TwelveFloats),
        "scalar" => NpyBytes(Dict("<f4", "()"), TwelveFloats),
        "complex dtype" => NpyBytes(Dict("<c8", "(4, 3)"), TwelveFloats),
        "object dtype" => NpyBytes(Dict("|O", "(4, 3)"), TwelveFloats),
        "string dtype as embeddings" => NpyBytes(Dict("<U1", "(4, 3)"), new byte[48]),
        "structured dtype" => NpyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (4,), }", TwelveFloats),
        "header length beyond the file" => NpyBytes(Dict("<f4", "(4, 3)"), []) is var b ? [.. b[..8], 0xFF, 0xFF, .. b[10..]] : [],
        "version 2 header claims 4 GB" => NpyBytes(Dict("<f4", "(4, 3)"), TwelveFloats, 2) is var b ? [.. b[..8], 0xFF, 0xFF, 0xFF, 0xFF, .. b[12..]] : [],
        "missing shape" => NpyBytes("{'descr': '<f4', 'fortran_order': False, }", TwelveFloats),
        "repeated key" => NpyBytes("{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (4, 3), }", TwelveFloats),
        "text after the dictionary" => NpyBytes(Dict("<f4", "(4, 3)") + " x", TwelveFloats),
        "fortran order not a bool" => NpyBytes(Dict("<f4", "(4, 3)", "1"), TwelveFloats),
        "NaN in row 1" => NpyBytes(Dict("<f4", "(4, 3)"), Floats(1, 2, 3, 4, 5, float.NaN, 7, 8, float.NaN, 10, 11, 12)),
        "float64 1e39 (Inf as float32)" => NpyBytes(Dict("<f8", "(3, 2)"), new double[] { 1, 2, 3, 4, 5, 1e39 }.SelectMany(BitConverter.GetBytes).ToArray()),
        // Column-major: element (2, 1) is the sixth; big-endian bytes.
        "Fortran big-endian float64 -1e39 (Inf as float32)" => NpyBytes(Dict(">f8", "(3, 2)", "True"),
            new double[] { 1, 2, 3, 4, 5, -1e39 }.SelectMany(v => BitConverter.GetBytes(v).Reverse()).ToArray()),
        "Inf in row 3" => NpyBytes(Dict("<f4", "(4, 3)"), Floats(1, 2, 3, 4, 5, 6, 7, 8, 9, float.PositiveInfinity, 11, 12)),
        "float64 beyond float32 in row 2" => NpyBytes(Dict("<f8", "(3, 2)"), Doubles(1, 2, 3, 4, 5, 1e300)),
        "float64 beyond float32, Fortran order" => NpyBytes(Dict("<f8", "(3, 2)", "True"), Doubles(1, -5e39, 3, 4, 5, 6)),
        "float64 Inf" => NpyBytes(Dict("<f8", "(3, 2)"), Doubles(1, double.PositiveInfinity, 3, 4, 5, 6)),
        "zero rows" => NpyBytes(Dict("<f4", "(0, 3)"), []),
        "zero columns" => NpyBytes(Dict("<f4", "(4, 0)"), []),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(BrokenNpy))]
    public void BrokenNpyIsOneClearError(string name, string message)
    {
        string path = Write(TestData.TempDir(), "broken.npy", BrokenNpyBytes(name));
        var error = Read(path, null);
        Assert.NotNull(error);
        Assert.Contains(message, error.Message);
    }

    /// <summary>A zip of (name, content, compressed) entries.</summary>
    private static byte[] Zip(params (string Name, byte[] Content, bool Deflate)[] entries)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content, deflate) in entries)
            {
                var entry = zip.CreateEntry(name, deflate ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var s = entry.Open();
                s.Write(content);
            }
        return stream.ToArray();
    }

    private static readonly byte[] GoodNpy = NpyBytes(Dict("<f4", "(4, 3)"), TwelveFloats);

    public static TheoryData<string, string?, string> BrokenNpz() => new()
    {
        { "two entries of the same name", "emb", "two entries named 'emb.npy'" },
        { "no such key", "other", "has no array 'other' (keys: emb)" },
        { "several arrays, no key", null, "holds 2 arrays; choose one with --key (keys: a, b)" },
        { "several arrays beside ids, no key", null, "holds 2 arrays besides its ids; choose one with --key (keys: a, b)" },
        { "empty archive", null, "holds no arrays" },
        { "not a zip", null, "is not a readable .npz file: no zip archive, as np.savez writes, could be read from it" },
        { "entry is not npy", null, "not a .npy array: the entry does not begin with numpy's header, as every array np.savez writes does; the file is damaged or was not written by numpy" },
        { "deflated entry with a lying shape", null, "truncated" },
        { "deflated entry whose zip sizes lie", null, "truncated data (needs 153600000 bytes, the entry holds 48)" },
        { "stored entry whose zip sizes lie", null, "corrupt .npz entry" },
        { "NaN in a deflated entry", null, "row 0 column 0 is NaN" },
        { "stored entry with a flipped bit", null, "does not match the zip's CRC-32" },
        { "deflated entry whose checksum differs", null, "does not match the zip's CRC-32" },
        { "entry longer than its array", null, "bytes but its .npy array takes 136" },
        { "encrypted stored entry", null, "its entry emb.npy is encrypted (a password-protected zip); save it again without a password" },
        { "encrypted deflated entry", null, "its entry emb.npy is encrypted (a password-protected zip); save it again without a password" },
    };

    private static byte[] BrokenNpzBytes(string name) => name switch
    {
        "two entries of the same name" => Zip(("emb.npy", GoodNpy, false), ("emb.npy", GoodNpy, true)),
        "no such key" => Zip(("emb.npy", GoodNpy, false)),
        "several arrays, no key" => Zip(("a.npy", GoodNpy, false), ("b.npy", GoodNpy, true)),
        "several arrays beside ids, no key" => Zip(("a.npy", GoodNpy, false), ("ids.npy", NpyBytes(Dict("<i8", "(4,)"), new byte[32]), false), ("b.npy", GoodNpy, true)),
        "empty archive" => Zip(),
        // Bytes of no format's signature: an .npy named .npz is read as the .npy it is (InputFormatTests), not refused.
        "not a zip" => [.. "not a zip archive"u8, 0, 1, 2],
        "entry is not npy" => Zip(("emb.npy", "hello"u8.ToArray(), true)),
        "deflated entry with a lying shape" => Zip(("emb.npy", NpyBytes(Dict("<f4", "(100000000, 768)"), TwelveFloats), true)),
        // The zip claims 2 GB, the header 154 MB: only the data that really arrives may be allocated.
        "deflated entry whose zip sizes lie" => LieAboutSizes(Zip(("emb.npy", NpyBytes(Dict("<f4", "(50000, 768)"), TwelveFloats), true))),
        "stored entry whose zip sizes lie" => LieAboutSizes(Zip(("emb.npy", NpyBytes(Dict("<f4", "(100000000, 768)"), TwelveFloats), false))),
        "NaN in a deflated entry" => Zip(("emb.npy", NpyBytes(Dict("<f4", "(1, 2)"), Floats(float.NaN, 1)), true)),
        // numpy refuses both ("Bad CRC-32"); without the check each read as a valid file with one value changed.
        "stored entry with a flipped bit" => FlipLastValueBit(Zip(("emb.npy", GoodNpy, false))),
        "deflated entry whose checksum differs" => WrongChecksum(Zip(("emb.npy", GoodNpy, true))),
        "entry longer than its array" => Zip(("emb.npy", [.. NpyBytes(Dict("<f4", "(1, 2)"), Floats(1, 2)), 0, 0, 0, 0], true)),
        "encrypted stored entry" => Encrypted(Zip(("emb.npy", GoodNpy, false))),
        "encrypted deflated entry" => Encrypted(Zip(("emb.npy", GoodNpy, true))),
        _ => throw new ArgumentException(name),
    };

    /// <summary>Marks the one entry encrypted (bit 0 of the flags in its local and central headers), as zip -P leaves it.</summary>
    private static byte[] Encrypted(byte[] zip)
    {
        zip[zip.AsSpan().IndexOf("PK\x03\x04"u8) + 6] |= 1;
        zip[zip.AsSpan().IndexOf("PK\x01\x02"u8) + 8] |= 1;
        return zip;
    }

    /// <summary>Flips a bit of the last float of the one stored entry (its bytes lie just before the central directory).</summary>
    private static byte[] FlipLastValueBit(byte[] zip)
    {
        int centralDirectory = zip.AsSpan().IndexOf("PK\x01\x02"u8);
        zip[centralDirectory - 2] ^= 0x40;
        return zip;
    }

    /// <summary>A deflated entry whose data no longer matches the CRC-32 the zip records for it (both copies changed alike).</summary>
    private static byte[] WrongChecksum(byte[] zip)
    {
        foreach (int signature in new[] { zip.AsSpan().IndexOf("PK\x03\x04"u8), zip.AsSpan().IndexOf("PK\x01\x02"u8) })
            zip[signature + (zip[signature + 2] == 3 ? 14 : 16)] ^= 0x01;
        return zip;
    }

    /// <summary>Sets the uncompressed (and, for stored entries, compressed) size in every zip header to 2 GB.</summary>
    private static byte[] LieAboutSizes(byte[] zip)
    {
        for (int i = 0; i + 30 < zip.Length; i++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            int sizes = signature switch { 0x04034b50 => i + 18, 0x02014b50 => i + 20, _ => -1 };
            if (sizes < 0) continue;
            bool stored = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(signature == 0x04034b50 ? i + 8 : i + 10)) == 0;
            if (stored) BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(sizes), 0x7FFFFFF0);
            BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(sizes + 4), 0x7FFFFFF0);
        }
        return zip;
    }

    [Theory]
    [MemberData(nameof(BrokenNpz))]
    public void BrokenNpzIsOneClearError(string name, string? key, string message)
    {
        string path = Write(TestData.TempDir(), "broken.npz", BrokenNpzBytes(name));
        var error = Read(path, key);
        Assert.NotNull(error);
        Assert.Contains(message, error.Message);
    }

    private static byte[] SafetensorsBytes(string json, byte[] data, long? claimedLength = null)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var length = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, claimedLength ?? header.Length);
        return [.. length, .. header, .. data];
    }

    private static string Tensor(string dtype, string shape, string offsets) =>
        $"{{\"x\": {{\"dtype\": \"{dtype}\", \"shape\": {shape}, \"data_offsets\": {offsets}}}}}";

    public static TheoryData<string, string> BrokenSafetensors() => new()
    {
        { "header length beyond the file", "is not a readable safetensors file: its first 8 bytes, the header's length, claim" },
        { "header length 2^63", "the header's length, claim 9,223,372,036,854,775,808 bytes" },
        { "header is not JSON", "not valid JSON" },
        { "header is a list", "not a JSON object" },
        { "deeply nested header", "not valid JSON" },
        { "offsets beyond the file", "lies outside the file" },
        { "offsets do not match the shape", "needs 48 bytes but data_offsets span 44" },
        { "begin after end", "begin <= end" },
        { "negative shape", "non-negative integers" },
        { "fractional offset", "non-negative integers" },
        { "huge shape", "impossibly large" },
        { "unknown dtype", "unsupported safetensors dtype 'F8_E4M3'" },
        { "missing data_offsets", "needs 'dtype', 'shape' and 'data_offsets'" },
        { "the same tensor twice", "names tensor 'x' twice" },
        { "only metadata", "holds no tensors" },
        { "3-D tensor", "expected a 2-D array" },
        { "Inf in F16", "row 1 column 0 is Inf" },
        // The data must hold the tensors back to back (the reference implementation refuses anything else): an offset moved
        // with its length kept read the tensor shifted by a value, its neighbour's bytes or trailing bytes as values.
        { "a tensor shifted by one value", "tensor 'x' begins at byte 4 of the data, but the first tensor must begin at 0 (a gap)" },
        { "overlapping tensors", "tensor 'y' begins at byte 0 of the data, but 'x' ends at 48 (they overlap)" },
        { "bytes after the last tensor", "holds 4 bytes after its last tensor ('x' ends at byte 48 of 52)" },
    };

    private static byte[] BrokenSafetensorsBytes(string name) => name switch
    {
        "header length beyond the file" => SafetensorsBytes(Tensor("F32", "[4, 3]", "[0, 48]"), TwelveFloats, 4000),
        "header length 2^63" => SafetensorsBytes(Tensor("F32", "[4, 3]", "[0, 48]"), TwelveFloats, long.MinValue),
        "header is not JSON" => SafetensorsBytes("{\"x\": ", TwelveFloats),
        "header is a list" => SafetensorsBytes("[1, 2]", TwelveFloats),
        "deeply nested header" => SafetensorsBytes(new string('[', 5000) + new string(']', 5000), TwelveFloats),
        "offsets beyond the file" => SafetensorsBytes(Tensor("F32", "[4, 3]", "[48, 96]"), TwelveFloats),
        "offsets do not match the shape" => SafetensorsBytes(Tensor("F32", "[4, 3]", "[0, 44]"), TwelveFloats),
        "begin after end" => SafetensorsBytes(Tensor("F32", "[4, 3]", "[48, 0]"), TwelveFloats),
        "negative shape" => SafetensorsBytes(Tensor("F32", "[-4, 3]", "[0, 48]"), TwelveFloats),
        "fractional offset" => SafetensorsBytes(Tensor("F32", "[4, 3]", "[0, 47.5]"), TwelveFloats),
        "huge shape" => SafetensorsBytes(Tensor("F32", "[9000000000000, 9000000000000]", "[0, 48]"), TwelveFloats),
        "unknown dtype" => SafetensorsBytes(Tensor("F8_E4M3", "[4, 3]", "[0, 12]"), TwelveFloats[..12]),  // 12 one-byte values
        "missing data_offsets" => SafetensorsBytes("{\"x\": {\"dtype\": \"F32\", \"shape\": [4, 3]}}", TwelveFloats),
        "the same tensor twice" => SafetensorsBytes("{\"x\": {\"dtype\": \"F32\", \"shape\": [4, 3], \"data_offsets\": [0, 48]}, \"x\": {\"dtype\": \"F32\", \"shape\": [4, 3], \"data_offsets\": [0, 48]}}", TwelveFloats),
        "only metadata" => SafetensorsBytes("{\"__metadata__\": {\"format\": \"pt\"}}", []),
        "3-D tensor" => SafetensorsBytes(Tensor("F32", "[2, 2, 3]", "[0, 48]"), TwelveFloats),
        "a tensor shifted by one value" => SafetensorsBytes(Tensor("F32", "[4, 3]", "[4, 52]"), [.. TwelveFloats, 0, 0, 0, 0]),
        "overlapping tensors" => SafetensorsBytes("{\"x\": {\"dtype\": \"F32\", \"shape\": [4, 3], \"data_offsets\": [0, 48]}, \"y\": {\"dtype\": \"F32\", \"shape\": [4, 3], \"data_offsets\": [0, 48]}}", TwelveFloats),
        "bytes after the last tensor" => SafetensorsBytes(Tensor("F32", "[4, 3]", "[0, 48]"), [.. TwelveFloats, 0, 0, 0, 0]),
        "Inf in F16" => SafetensorsBytes(Tensor("F16", "[2, 2]", "[0, 8]"), [0, 0x3C, 0, 0x3C, 0, 0x7C, 0, 0]),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(BrokenSafetensors))]
    public void BrokenSafetensorsIsOneClearError(string name, string message)
    {
        string path = Write(TestData.TempDir(), "broken.safetensors", BrokenSafetensorsBytes(name));
        var error = Read(path, null);
        Assert.NotNull(error);
        Assert.Contains(message, error.Message);
    }

    public static TheoryData<string, string, string?, string> BrokenCsv() => new()
    {
        { "a non-number", "1,2,3\n4,x,6\n", null, "line 2 column 2: 'x' is not a number" },
        { "a ragged row", "1,2,3\n4,5\n", null, "line 2 has 2 fields but the first row has 3" },
        { "an empty file", "", null, "is empty" },
        { "only a header", "a,b\n", null, "header row but no data rows" },
        { "a missing id column", "a,b\n1,2\n", "id", "has no column 'id' (columns: a, b)" },
        { "an id column without a header", "1,2\n3,4\n", "id", "needs a header row" },
        { "duplicate ids", "id,a\nx,1\ny,2\nx,3\n", "id", "id 'x' appears on line 2 and line 4" },
        { "the id column twice", "id,a,id\nx,1,x\n", "id", "line 1: the id column 'id' appears twice in the header (columns 1 and 3)" },
        { "only an id column", "id\nx\n", "id", "no numeric columns" },
        { "an unterminated quote", "a,b\n\"1,2\n", null, "line 2: unterminated quoted field" },
        { "NaN", "1,2\n3,nan\n", null, "line 2 column 2 is nan; values must be finite" },
        { "-inf", "1,2\n-inf,4\n", null, "line 2 column 1 is -inf; values must be finite" },
        // A first row of numbers with one typo is data with a bad cell, not a header to drop silently.
        { "a typo in the first row", "0.25,O.5\n1.5,2.5\n", null, "line 1 column 2: 'O.5' is not a number" },
        // An empty cell was "'' is not a number (name it as the id column)"; a trailing delimiter on every line (Excel,
        // hand-written writers) leaves one at the end of each.
        { "an empty cell in the first row", "0.25,\n1.5,2.5\n", null, "line 1 column 2 is empty (the line ends with a ','); every cell must hold a number" },
        { "an empty cell inside a row", "0.25,0.5\n,2.5\n", null, "line 2 column 1 is empty; every cell must hold a number" },
        // A spreadsheet's export with decimal commas separates its fields by ';': the cell is named with that likely cause.
        { "semicolons", "0,25;0,5\n1,5;2,5\n", null, "line 2 column 2: '5;2' is not a number (fields separated by ';', as spreadsheets with decimal commas write them? a .csv is read by commas and decimal points)" },
        { "a delimiter ending every line", "0.25,0.5,\n1.5,2.5,\n", null, "line 1 column 3 is empty (the line ends with a ',')" },
    };

    [Theory]
    [MemberData(nameof(BrokenCsv))]
    public void BrokenCsvIsOneClearError(string name, string text, string? idColumn, string message)
    {
        string path = Write(TestData.TempDir(), "broken.csv", Encoding.UTF8.GetBytes(text));
        var error = Read(path, null, idColumn);
        Assert.True(error is not null, name);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void MissingFilesAndUnknownFormatsAreInputErrors()
    {
        string dir = TestData.TempDir();
        Assert.Contains("file not found", Read(Path.Combine(dir, "absent.npy"), null)!.Message);
        Assert.Contains("unsupported file type '.dat'", Read(Write(dir, "x.dat", [1, 2, 3]), null)!.Message);
        // A .mat of no HDF5 signature is MATLAB's format before v7.3 (v7.3 is HDF5, read by its signature).
        Assert.Contains("x.mat: is a MATLAB .mat file of a version before 7.3; RepDiff does not read it", Read(Write(dir, "x.mat", [1, 2, 3]), null)!.Message);
        Assert.Contains("x.h5: is not an HDF5 file: it holds 3 bytes, no HDF5 signature; it is damaged or not HDF5: save it again with h5py", Read(Write(dir, "x.h5", [1, 2, 3]), null)!.Message);
        // A compressed embedding file ("unsupported file type '.gz'") is named as such, with what to do.
        Assert.Contains("x.npy.gz: is a compressed .npy file ('.gz'); decompress it first", Read(Write(dir, "x.npy.gz", [0x1f, 0x8b, 8]), null)!.Message);
        Assert.Contains("x.gz: is gzip-compressed; decompress it first", Read(Write(dir, "x.gz", [0x1f, 0x8b, 8]), null)!.Message);
        Directory.CreateDirectory(Path.Combine(dir, "folder.npy"));
        Assert.Contains("is a directory", Read(Path.Combine(dir, "folder.npy"), null)!.Message);
    }

    /// <summary>The CLI turns every broken file into exit code 2 and exactly one line on stderr.</summary>
    [Fact]
    public void InspectOfBrokenFilesExitsWithCode2AndOneLine()
    {
        string dir = TestData.TempDir();
        var cases = BrokenNpy().Select(row => ("npy", (string)row[0]))
            .Concat(BrokenSafetensors().Select(row => ("safetensors", (string)row[0])))
            .Where(c => !c.Item2.Contains("NaN") && !c.Item2.Contains("Inf") && !c.Item2.Contains("beyond float32") && c.Item2 is not ("zero rows" or "zero columns")); // inspect reports these instead
        foreach (var (ext, name) in cases)
        {
            string path = Write(dir, $"broken.{ext}", ext == "npy" ? BrokenNpyBytes(name) : BrokenSafetensorsBytes(name));
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            int code = global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), ["inspect", path], stdout, stderr);
            Assert.True(code == 2, $"{name}: exit code {code}, stderr {stderr}");
            var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            Assert.StartsWith($"error: {path}: ", lines[0]);
            Assert.Equal("", stdout.ToString());
        }
    }
}
