using Apache.Arrow;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.IO;

/// <summary>
/// Arrow tables with string and binary view columns (Utf8View, BinaryView), whose strings lie in a variable number of
/// data buffers that each record batch counts, and whose views name a data buffer and an offset in it: read as ids and
/// metadata, and, where a count or a view is corrupt, refused in one line naming the file and the column before
/// Apache.Arrow allocates or reads by it.
/// </summary>
public class ArrowViewColumnTests
{
    private const int Rows = 3;

    /// <summary>Ids of 24 bytes, longer than a view holds inline (12), so each lies in the column's data buffer.</summary>
    private static string Id(int i) => $"sample-{i:D6}-of-the-set";

    /// <summary>A table of a string view "id", a float-list "emb" and a binary view "blob", as a file or a stream.</summary>
    private static string Table(string path, bool stream = false)
    {
        var ids = new StringViewArray.Builder().AppendRange(Enumerable.Range(0, Rows).Select(Id)).Build();
        var blobs = new BinaryViewArray.Builder().AppendRange(Enumerable.Range(0, Rows).Select(i => new byte[20 + i])).Build();
        var emb = TableWriter.FloatLists([[1f, 2f], [3f, 4f], [5f, 7f]]);
        return TableWriter.ArrowTable(path, stream, ("id", ids), ("emb", emb), ("blob", blobs));
    }

    private static string Corrupted(string good, string name, Action<byte[]> corrupt)
    {
        byte[] bytes = File.ReadAllBytes(good);
        corrupt(bytes);
        string path = Path.Combine(Path.GetDirectoryName(good)!, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Where the batch's counts of data buffers are: the vector [1, 1] (one data buffer each for "id" and "blob").</summary>
    private static int CountsAt(byte[] bytes)
    {
        byte[] vector = [2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        return Assert.Single(Enumerable.Range(0, bytes.Length - vector.Length), i => bytes.AsSpan(i, vector.Length).SequenceEqual(vector));
    }

    /// <summary>Where row 1's view is in the views buffer: its length (24) and the first four bytes of its id.</summary>
    private static int ViewOfRow1(byte[] bytes)
    {
        byte[] view = [24, 0, 0, 0, .. "samp"u8];
        return Enumerable.Range(0, bytes.Length - view.Length).Where(i => bytes.AsSpan(i, view.Length).SequenceEqual(view)).ElementAt(1);
    }

    /// <summary>A string view id column had been refused as "a column of type utf8view cannot hold ids", and skipped as metadata.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StringViewIdsAreReadAsIdsAndMetadata(bool stream)
    {
        string path = Table(Path.Combine(TestData.TempDir(), "v.arrow"), stream);
        using (var file = Embeddings.Open(path, null, "id", validate: true))
        {
            Assert.Equal(Enumerable.Range(0, Rows).Select(Id), file.Ids!);
            Assert.Equal(5f, file.ReadAll()[2, 0]);
        }
        var metadata = MetadataFile.Load(path, Rows, null);
        Assert.Equal(Enumerable.Range(0, Rows).Select(Id), metadata["id"]!.Values);
        // A binary view cannot be ids: said naming the column.
        Assert.Equal($"{path}: column 'blob' is of type binaryview, which cannot hold ids (strings and integers can)",
            Assert.Throws<RepDiffInputException>(() => Embeddings.Open(path, null, "blob", validate: true)).Message);
    }

    /// <summary>
    /// Apache.Arrow sizes a view column's array of buffers by the batch's count of its data buffers before it reads them:
    /// 100 million had made it allocate 2.3 GB for this 1.2 KB file, a negative count or one beyond 2^31 threw an overflow
    /// ("is not a readable Arrow IPC file (Arithmetic operation resulted in an overflow.)"), and a count the batch does not
    /// hold read the other columns' buffers from the wrong places or from beyond the list. Each is one line naming the
    /// column, before the library allocates anything by it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CorruptCountsOfDataBuffersNameTheViewColumn(bool stream)
    {
        string dir = TestData.TempDir();
        string good = Table(Path.Combine(dir, "v.arrow"), stream);
        int at = CountsAt(File.ReadAllBytes(good));
        string batch = stream ? "message 2" : "record batch 0";
        foreach (var (name, offset, value, message) in new (string, int, long, string)[]
        {
            ("huge.arrow", 4, 100_000_000, "gives column 'id' 100,000,000 data buffers, which is no count of the 10 buffers it lists"),
            ("negative.arrow", 12, -5, "gives column 'blob' -5 data buffers, which is no count of the 10 buffers it lists"),
            ("beyond-int.arrow", 4, 1L << 33, "gives column 'id' 8,589,934,592 data buffers, which is no count of the 10 buffers it lists"),
            ("none.arrow", 4, 0, "lists 10 buffers, but its columns take 9 with the data buffers it gives column 'id' (0), column 'blob' (1)"),
            ("three.arrow", 12, 3, "lists 10 buffers, but its columns take 12 with the data buffers it gives column 'id' (1), column 'blob' (3)"),
        })
        {
            string path = Corrupted(good, name, bytes => BitConverter.GetBytes(value).CopyTo(bytes, at + offset));
            long before = GC.GetAllocatedBytesForCurrentThread() + ArrowColumn.NativeBytesOnThread;
            var error = Assert.Throws<RepDiffInputException>(() => { using var file = Embeddings.Open(path, null, "id", validate: true); file.ReadAll(); });
            Assert.True(GC.GetAllocatedBytesForCurrentThread() + ArrowColumn.NativeBytesOnThread - before < 1 << 20, name);
            Assert.Equal($"{path}: {batch} {message}: the file is corrupt{ArrowColumn.Rewrite}", error.Message);
            Assert.Equal(error.Message, Assert.Throws<RepDiffInputException>(() => MetadataFile.Load(path, Rows, null)).Message);
        }
        // A vector that lists one count where the schema has two view columns: the library read the second beyond it.
        string short_ = Corrupted(good, "short.arrow", bytes => bytes[at] = 1);
        Assert.Equal($"{short_}: {batch} gives no count of data buffers for column 'blob' (a string or binary view column): the file is corrupt{ArrowColumn.Rewrite}",
            Assert.Throws<RepDiffInputException>(() => Embeddings.Open(short_, null, "id", validate: true)).Message);
    }

    /// <summary>
    /// A view that names a data buffer the column lacks, an offset past its data or a negative length, or a views buffer
    /// shorter than the rows: Apache.Arrow reads them as the file gives them. Each is one line naming the column (and the
    /// row), as ids and as metadata.
    /// </summary>
    [Fact]
    public void CorruptViewsNameTheColumnAndRow()
    {
        string dir = TestData.TempDir();
        string good = Table(Path.Combine(dir, "v.arrow"));
        int view = ViewOfRow1(File.ReadAllBytes(good));
        const string Outside = "which the column's data buffers (1) do not hold";
        foreach (var (name, offset, value, message) in new[]
        {
            ("offset.arrow", 12, 1000, $"of 24 bytes at byte 1,000 of data buffer 0, {Outside}"),
            ("buffer.arrow", 8, 3, $"of 24 bytes at byte 24 of data buffer 3, {Outside}"),
            ("minus.arrow", 8, -1, $"of 24 bytes at byte 24 of data buffer -1, {Outside}"),
            ("long.arrow", 0, 5000, $"of 5,000 bytes at byte 24 of data buffer 0, {Outside}"),
            ("negative.arrow", 0, -7, "of -7 bytes"),
        })
        {
            string path = Corrupted(good, name, bytes => BitConverter.GetBytes(value).CopyTo(bytes, view + offset));
            string expected = $"{path}: column 'id' holds a string (row 1 of its record batch) {message}: the file is corrupt{ArrowColumn.Rewrite}";
            Assert.Equal(expected, Assert.Throws<RepDiffInputException>(() => Embeddings.Open(path, null, "id", validate: true)).Message);
            Assert.Equal(expected, Assert.Throws<RepDiffInputException>(() => MetadataFile.Load(path, Rows, null)).Message);
        }
        // The views buffer (offset 0, 64 bytes: three views padded) declared 32 bytes long, two views for three rows: the
        // library's span of views threw.
        byte[] viewsBuffer = [.. new byte[8], 64, 0, 0, 0, 0, 0, 0, 0];
        string shortViews = Corrupted(good, "short-views.arrow", bytes => bytes[Assert.Single(Enumerable.Range(0, bytes.Length - 16), i => bytes.AsSpan(i, 16).SequenceEqual(viewsBuffer)) + 8] = 32);
        Assert.Equal($"{shortViews}: column 'id' has 3 rows in a record batch whose views buffer holds 2: the file is corrupt{ArrowColumn.Rewrite}",
            Assert.Throws<RepDiffInputException>(() => Embeddings.Open(shortViews, null, "id", validate: true)).Message);
    }

    /// <summary>Every byte of a table with view columns flipped: read, or one line naming the file, and never over 32 MB.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FlippedBytesOfATableWithViewColumnsAreAnInputErrorOrStillValid(bool stream)
    {
        string dir = TestData.TempDir();
        var failures = TableFileTests.FlipFailures(Table(Path.Combine(dir, "v.arrow"), stream), dir, Rows);
        Assert.True(failures.Count == 0, $"{failures.Count} flips failed, e.g. {string.Join("; ", failures.Take(3))}");
    }

    /// <summary>
    /// Through a command, as the id column (--id-column) and as the column asked for the embeddings (--column): one line,
    /// exit code 2, no output folder.
    /// </summary>
    [Fact]
    public void ACommandRefusesACorruptViewColumnInOneLine()
    {
        string dir = TestData.TempDir();
        string good = Table(Path.Combine(dir, "v.arrow"));
        string huge = Corrupted(good, "huge.arrow", bytes => BitConverter.GetBytes(100_000_000L).CopyTo(bytes, CountsAt(bytes) + 4));
        string outDir = Path.Combine(dir, "out");
        Run(["metrics", huge, good, "--id-column", "id", "--out", outDir])
            .AssertBadInput($"{huge}: record batch 0 gives column 'id' 100,000,000 data buffers, which is no count of the 10 buffers it lists: the file is corrupt");
        Run(["metrics", huge, good, "--column", "id", "--out", outDir])
            .AssertBadInput($"{huge}: record batch 0 gives column 'id' 100,000,000 data buffers");
        Assert.False(Directory.Exists(outDir));
    }
}
