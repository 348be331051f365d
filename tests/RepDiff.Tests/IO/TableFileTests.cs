using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using RepDiff.IO;
using static RepDiff.Tests.IO.TableWriter;

namespace RepDiff.Tests.IO;

/// <summary>Embeddings stored as a float-list column of a Parquet or Arrow IPC table (files written by the libraries).</summary>
public class TableFileTests
{
    /// <summary>n rows of width d with distinct values: row i, column j holds i + j/8 (exact in float16 for small i).</summary>
    private static float?[]?[] Rows(int n, int d) =>
        Enumerable.Range(0, n).Select(i => Enumerable.Range(0, d).Select(j => (float?)(i + j / 8f)).ToArray()).ToArray();

    private static string[] TextIds(int n) => Enumerable.Range(0, n).Select(i => $"s{i}").ToArray();

    private static void AssertRows(RowFile file, float?[]?[] rows)
    {
        var all = file.ReadAll();
        Assert.Equal((rows.Length, rows[0]!.Length), (all.Rows, all.Cols));
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < all.Cols; j++) Assert.Equal(rows[i]![j]!.Value, all[i, j]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ParquetListColumnReadsAcrossRowGroupsWithIds(bool doubles)
    {
        string dir = TestData.TempDir();
        var rows = Rows(10, 3);
        string path = TableWriter.Parquet(Path.Combine(dir, "e.parquet"), TextIds(10), rows, groupRows: 4, doubles: doubles);
        using var file = Embeddings.Open(path, key: null, idColumn: "id", validate: true);
        Assert.Equal(doubles ? "float64" : "float32", file.Dtype);
        Assert.Equal([10L, 3], file.Shape);
        Assert.Equal(TextIds(10), file.Ids!);
        AssertRows(file, rows);
        // Rows 3..6 span the first two row groups; reading back and forth re-decodes the right group.
        var part = new float[4 * 3];
        file.ReadRows(3, 4, part);
        Assert.Equal([3f, 3.125f, 3.25f, 4, 4.125f, 4.25f, 5, 5.125f, 5.25f, 6, 6.125f, 6.25f], part);
        file.ReadRows(0, 1, part);
        Assert.Equal([0f, 0.125f, 0.25f], part[..3]);
    }

    /// <summary>
    /// A Parquet file only Parquet.Net refuses (its leading "PAR1" made "QAR1" by one flipped bit) says what is wrong with
    /// it before the library's words, as an Arrow file does: "is not a readable Parquet file (not a parquet file, head:
    /// 51415231, tail: 50415231)" had been all, and of other flips the library's words alone ("Invalid copy offset",
    /// "Specified argument was out of the range of valid values.") said nothing of the file.
    /// </summary>
    [Fact]
    public void AParquetFileOnlyParquetNetRefusesIsCalledCorruptTruncatedOrNotParquet()
    {
        string dir = TestData.TempDir();
        string path = TableWriter.Parquet(Path.Combine(dir, "flipped.parquet"), TextIds(3), Rows(3, 2));
        byte[] bytes = File.ReadAllBytes(path);
        bytes[0] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        string message = $"{path}: is not a readable Parquet file: corrupt, truncated or not Parquet (Parquet.Net: not a parquet file, head: 51415231, tail: 50415231)" + ParquetFile.Rewrite;
        Assert.Equal(message, Assert.Throws<RepDiffInputException>(() => Embeddings.Load(path)).Message);
        RepDiff.Tests.Robustness.CliHarness.Run("inspect", path).AssertBadInput("error: " + message);
    }

    /// <summary>
    /// A column chunk of many pages, as pyarrow writes them, reads its rows in order across pages and row groups: the
    /// page-header walk reads the headers by position, through a 512-byte buffer of its own, which pages of 3 rows of 8
    /// floats (several headers a fill) and of 20 (about 700 bytes: one header a fill) both cross.
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(20)]
    public void ParquetListColumnOfManyPagesReadsItsRows(int pageRows)
    {
        string dir = TestData.TempDir();
        float[][] rows = [.. Enumerable.Range(0, 40).Select(i => Enumerable.Range(0, 8).Select(j => i + j / 8f).ToArray())];
        string path = PagedParquet.Write(Path.Combine(dir, $"pages{pageRows}.parquet"), rows, pageRows, groupRows: 20);
        var all = Embeddings.Load(path, "emb");
        Assert.Equal((40, 8), (all.Rows, all.Cols));
        Assert.Equal(rows.SelectMany(r => r), all.Data);
    }

    [Theory]
    [InlineData(ListKind.FixedSize, "float32", false, null)]
    [InlineData(ListKind.List, "float16", true, null)]
    [InlineData(ListKind.LargeList, "float64", false, CompressionCodecType.Lz4Frame)]
    [InlineData(ListKind.FixedSize, "float32", true, CompressionCodecType.Zstd)]
    public void ArrowListColumnsOfEveryKindRead(ListKind kind, string dtype, bool stream, CompressionCodecType? compression)
    {
        IArrowType type = dtype switch { "float16" => HalfFloatType.Default, "float64" => DoubleType.Default, _ => FloatType.Default };
        string dir = TestData.TempDir();
        var rows = Rows(9, 4);
        long[] ids = Enumerable.Range(0, 9).Select(i => 100L - i).ToArray();
        string path = Arrow(Path.Combine(dir, stream ? "e.arrows" : "e.arrow"), ids, rows, kind, type, batchRows: 4, stream, compression);
        using var file = Embeddings.Open(path, key: "emb", idColumn: "id", validate: true);
        Assert.Equal(dtype, file.Dtype);
        Assert.Equal(ids.Select(i => i.ToString()), file.Ids!);
        AssertRows(file, rows);
        var last = new float[4];
        file.ReadRows(8, 1, last); // the last batch, then back to the first (a stream is re-read from its start)
        Assert.Equal([8f, 8.125f, 8.25f, 8.375f], last);
        file.ReadRows(1, 1, last);
        Assert.Equal([1f, 1.125f, 1.25f, 1.375f], last);
    }

    [Fact]
    public void FeatherExtensionIsTheArrowFileFormat()
    {
        string dir = TestData.TempDir();
        var rows = Rows(3, 2);
        string path = Arrow(Path.Combine(dir, "e.feather"), [1, 2, 3], rows, ListKind.List, FloatType.Default, compression: CompressionCodecType.Lz4Frame);
        using var file = Embeddings.OpenRows(path);
        AssertRows(file, rows);
        // Its "id" column names the rows, as a JSON Lines file's "id" field does (they had been matched by position).
        Assert.Equal(["1", "2", "3"], file.Ids!);
    }

    [Fact]
    public void PairJoinsAParquetAndAnArrowFileById()
    {
        string dir = TestData.TempDir();
        var rows = Rows(5, 2);
        string a = TableWriter.Parquet(Path.Combine(dir, "a.parquet"), ["3", "1", "4", "0", "2"], [rows[3], rows[1], rows[4], rows[0], rows[2]]);
        string b = Arrow(Path.Combine(dir, "b.arrow"), [0, 1, 2, 3, 4], rows, ListKind.FixedSize, FloatType.Default);
        var pair = new PairSpec(a, b) { IdColumn = "id" }.Load();
        Assert.Equal(["3", "1", "4", "0", "2"], pair.Samples.Ids!);
        Assert.Equal(pair.A.Data, pair.B.Data);
    }

    [Fact]
    public void TablesWithAnIdColumnAreJoinedByItWithoutIdColumnAsJsonLinesIs()
    {
        // Review 180, finding 2: two exports in different orders were matched by row, silently, unless --id-column id was given.
        string dir = TestData.TempDir();
        var rows = Rows(5, 2);
        int[] order = [3, 1, 4, 0, 2];
        string a = TableWriter.Parquet(Path.Combine(dir, "a.parquet"), TextIds(5), rows);
        string b = TableWriter.Parquet(Path.Combine(dir, "b.parquet"), order.Select(i => $"s{i}").ToArray(), order.Select(i => rows[i]).ToArray());
        var pair = new PairSpec(a, b).Load();
        Assert.Equal(TextIds(5), pair.Samples.Ids!);
        Assert.Equal(pair.A.Data, pair.B.Data);

        string arrowA = Arrow(Path.Combine(dir, "a.arrow"), order.Select(i => (long)i).ToArray(), order.Select(i => rows[i]).ToArray(), ListKind.List, FloatType.Default);
        string arrowB = Arrow(Path.Combine(dir, "b.arrow"), [0, 1, 2, 3, 4], rows, ListKind.FixedSize, FloatType.Default);
        var arrows = new PairSpec(arrowA, arrowB).Load();
        Assert.Equal(["3", "1", "4", "0", "2"], arrows.Samples.Ids!);
        Assert.Equal(arrows.A.Data, arrows.B.Data);

        // Beside a file that carries ids, A's rows keep their own ids rather than take B's by position.
        string jsonl = Path.Combine(dir, "b.jsonl");
        File.WriteAllLines(jsonl, order.Select(i => $"{{\"id\": \"s{i}\", \"embedding\": [{i}, {i}.125]}}")); // Rows(5, 2): i, i + 1/8
        var mixed = new PairSpec(a, jsonl).Load();
        Assert.Equal(TextIds(5), mixed.Samples.Ids!);
        Assert.Equal(mixed.A.Data, mixed.B.Data);
    }

    public static TheoryData<string, float?[]?[], string> BadParquet => new()
    {
        { "ragged", [[1, 2], [3, 4], [5, 6, 7]], "row 2 has 3 values but row 0 has 2" },
        { "short", [[1, 2], [3], [5, 6]], "row 1 has 1 values but row 0 has 2" },
        { "nullrow", [[1, 2], null, [5, 6]], "row 1 is null" },
        { "empty", [[1, 2], [], [5, 6]], "row 1 is an empty list" },
        { "nullvalue", [[1, 2], [3, 4], [5, null]], "row 2 has a null at position 1" },
        { "nan", [[1, 2], [3, 4], [float.NaN, 6]], "row 2 column 0 is NaN" },
        { "inf", [[1, 2], [3, float.NegativeInfinity], [5, 6]], "row 1 column 1 is -Inf" },
    };

    [Theory]
    [MemberData(nameof(BadParquet))]
    public void BadParquetRowsNameTheFirstBadRow(string name, float?[]?[] rows, string message)
    {
        string dir = TestData.TempDir();
        string path = TableWriter.Parquet(Path.Combine(dir, name + ".parquet"), TextIds(rows.Length), rows, groupRows: 2);
        var e = Assert.Throws<RepDiffInputException>(() => Embeddings.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [MemberData(nameof(BadParquet))]
    public void BadArrowRowsNameTheFirstBadRow(string name, float?[]?[] rows, string message)
    {
        string dir = TestData.TempDir();
        string path = Arrow(Path.Combine(dir, name + ".arrow"), [0, 1, 2], rows, ListKind.List, FloatType.Default, batchRows: 2);
        var e = Assert.Throws<RepDiffInputException>(() => Embeddings.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ColumnChoiceListsTheFloatListColumns()
    {
        string dir = TestData.TempDir();
        string path = TableWriter.Parquet(Path.Combine(dir, "e.parquet"), TextIds(2), Rows(2, 2), listName: "vector");
        Assert.Contains("has no column 'emb' (float-list columns: vector)", Assert.Throws<RepDiffInputException>(() => Embeddings.Load(path, "emb")).Message);
        Assert.Contains("column 'score' is not a list of floating-point values (float-list columns: vector)",
            Assert.Throws<RepDiffInputException>(() => Embeddings.Load(path, "score")).Message);
        Assert.Equal(2, Embeddings.Load(path).Rows); // the only float-list column needs no --column
        Assert.Contains("has no scalar column 'key' for ids (columns: id, score)",
            Assert.Throws<RepDiffInputException>(() => Embeddings.Open(path, null, "key", validate: true)).Message);
    }

    /// <summary>
    /// Two columns of one name (pyarrow and pandas allow it): which one --column or --id-column meant is undefined, so it
    /// is refused, as two .npz entries of one name are; a column of another name still reads.
    /// </summary>
    [Fact]
    public void TwoColumnsOfOneNameAreRefusedWhenChosen()
    {
        string dir = TestData.TempDir();
        var ids = new Apache.Arrow.Int64Array.Builder().AppendRange([1, 2]).Build();
        string arrow = TableWriter.ArrowTable(Path.Combine(dir, "twice.arrow"),
            ("emb", TableWriter.FloatLists(Rows(2, 2))), ("emb", TableWriter.FloatLists(Rows(2, 3))), ("other", TableWriter.FloatLists(Rows(2, 4))), ("id", ids), ("id", ids));
        Assert.Equal($"{arrow}: has two columns named 'emb'; which one is meant is undefined (rename one)",
            Assert.Throws<RepDiffInputException>(() => Embeddings.Load(arrow, "emb")).Message);
        Assert.Equal($"{arrow}: has two columns named 'id'; which one is meant is undefined (rename one)",
            Assert.Throws<RepDiffInputException>(() => Embeddings.Open(arrow, "other", "id", validate: true)).Message);
        // Its ids are read from "id" without --id-column too (as a JSON Lines file's are): two of them are refused as well,
        // rather than the rows matched by position.
        Assert.Equal($"{arrow}: has two columns named 'id'; which one is meant is undefined (rename one)",
            Assert.Throws<RepDiffInputException>(() => Embeddings.Load(arrow, "other")).Message);

        string parquet = TableWriter.ParquetTable(Path.Combine(dir, "twice.parquet"), TextIds(2), ("emb", Rows(2, 2)), ("emb", Rows(2, 3)), ("other", Rows(2, 4)));
        Assert.Equal($"{parquet}: has two columns named 'emb'; which one is meant is undefined (rename one)",
            Assert.Throws<RepDiffInputException>(() => Embeddings.Load(parquet, "emb")).Message);
        Assert.Equal(4, Embeddings.Load(parquet, "other").Cols);
    }

    [Fact]
    public void DuplicateIdsAndBrokenFilesAreInputErrors()
    {
        string dir = TestData.TempDir();
        string dup = TableWriter.Parquet(Path.Combine(dir, "dup.parquet"), ["a", "b", "a"], Rows(3, 2));
        Assert.Contains("id 'a' appears at row 0 and row 2", Assert.Throws<RepDiffInputException>(() => Embeddings.Open(dup, null, "id", validate: true)).Message);
        string arrowDup = Arrow(Path.Combine(dir, "dup.arrow"), [7, 7], Rows(2, 2), ListKind.FixedSize, FloatType.Default);
        Assert.Contains("id '7' appears at row 0 and row 1", Assert.Throws<RepDiffInputException>(() => Embeddings.Open(arrowDup, null, "id", validate: true)).Message);
        // An empty id (a lost one) is no id: it was accepted and joined to the other side's empty id wherever it stood.
        string blank = TableWriter.Parquet(Path.Combine(dir, "blank.parquet"), ["a", " ", "c"], Rows(3, 2));
        Assert.Contains("id column 'id' is empty at row 1; every row needs an id", Assert.Throws<RepDiffInputException>(() => Embeddings.Open(blank, null, "id", validate: true)).Message);

        // Truncated copies: one line naming the file, never a crash.
        foreach (string good in new[] { dup, arrowDup })
        {
            byte[] bytes = File.ReadAllBytes(good);
            foreach (int length in new[] { 3, bytes.Length / 2, bytes.Length - 7 })
            {
                string cut = Path.Combine(dir, $"cut{length}" + Path.GetExtension(good));
                File.WriteAllBytes(cut, bytes[..length]);
                var e = Assert.Throws<RepDiffInputException>(() => Embeddings.Load(cut));
                Assert.StartsWith(cut, e.Message);
                // Cut before its closing magic, an Arrow file is left to Apache.Arrow, whose words alone said nothing of the file.
                if (good == arrowDup && length > 3)
                    Assert.Equal($"{cut}: is not a readable Arrow IPC file: corrupt, truncated or not Arrow (Apache.Arrow: Invalid magic at offset <{length}>)" + ArrowColumn.Rewrite, e.Message);
            }
        }

        // A stream that is its end-of-stream marker alone (with or without the continuation bytes) has no schema, which
        // Apache.Arrow gives as null: it had been an internal error (NullReferenceException) in every command and in inspect.
        foreach (byte[] bytes in new[] { [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0], new byte[8], [0xFF, 0xFF, 0xFF, 0xFF, .. new byte[68]] })
        {
            string empty = Path.Combine(dir, $"empty{bytes.Length}{bytes[0]}.arrow");
            File.WriteAllBytes(empty, bytes);
            Assert.Equal($"{empty}: is an empty Arrow stream: it ends before its schema, so it holds no columns{ArrowColumn.Rewrite}",
                Assert.Throws<RepDiffInputException>(() => Embeddings.Load(empty)).Message);
        }
    }

    /// <summary>
    /// Every byte of a small table flipped: each copy reads, as embeddings with ids and as metadata, or is one line naming
    /// the file. Apache.Arrow's accessors threw ArgumentOutOfRange or IndexOutOfRange for a batch whose lengths or offsets
    /// outran its buffers, Parquet.Net's schema decoding threw for corrupt footer types, and a first repetition level other
    /// than 0 indexed row −1: all internal errors.
    /// </summary>
    [Theory]
    [InlineData("t.parquet", null)]
    [InlineData("t.arrow", ListKind.List)]
    [InlineData("t.arrows", ListKind.LargeList)]
    [InlineData("t.feather", ListKind.FixedSize)]
    public void FlippedBytesOfTablesAreAnInputErrorOrStillValid(string name, ListKind? kind)
    {
        string dir = TestData.TempDir();
        var rows = Rows(6, 3);
        string good = kind is { } k
            ? Arrow(Path.Combine(dir, name), [0, 1, 2, 3, 4, 5], rows, k, FloatType.Default, batchRows: 3, stream: name.EndsWith(".arrows"),
                compression: name.EndsWith(".feather") ? CompressionCodecType.Lz4Frame : null)
            : TableWriter.Parquet(Path.Combine(dir, name), TextIds(6), rows, groupRows: 3);
        var failures = FlipFailures(good, dir, 6);
        Assert.True(failures.Count == 0, $"{failures.Count} flips of {name} failed, e.g. {string.Join("; ", failures.Take(3))}");
    }

    /// <summary>
    /// Every byte of a table of <paramref name="rows"/> rows with an "id" column flipped (^0xFF, ^0x01), each copy read as
    /// embeddings with ids and as metadata: what failed other than by one line naming the file, or allocated over 32 MB.
    /// </summary>
    internal static List<string> FlipFailures(string good, string dir, int rows)
    {
        byte[] bytes = File.ReadAllBytes(good);
        var failures = new List<string>();
        foreach (byte mask in new byte[] { 0xFF, 0x01 })
            for (int i = 0; i < bytes.Length; i++)
            {
                var copy = (byte[])bytes.Clone();
                copy[i] ^= mask;
                string path = Path.Combine(dir, $"flip{i}x{mask}{Path.GetExtension(good)}");
                File.WriteAllBytes(path, copy);
                foreach (var read in new Action[]
                {
                    () => { using var file = Embeddings.Open(path, null, "id", validate: true); file.ReadAll(); },
                    () => MetadataFile.Load(path, rows, null),
                })
                {
                    long before = GC.GetAllocatedBytesForCurrentThread() + ArrowColumn.NativeBytesOnThread;
                    string? refusal = null;
                    try { read(); }
                    catch (RepDiffInputException e) when (e.Message.StartsWith(path) && !e.Message.Contains('\n')) { refusal = e.Message; }
                    catch (Exception e) { failures.Add($"byte {i} ^ {mask:x2}: {e.GetType().Name}: {e.Message}"); }
                    // The whole read, the libraries' own included (Apache.Arrow reads on this thread, and its native buffers are
                    // counted): a width taken from a corrupt offset or schema had allocated 0.6–1.7 GB in RepDiff for this 1.5 KB
                    // file, and a corrupt count of field nodes or of a field's children 128 MB to 2 GB in Apache.Arrow.
                    long allocated = GC.GetAllocatedBytesForCurrentThread() + ArrowColumn.NativeBytesOnThread - before;
                    if (allocated > 32 << 20)
                        failures.Add($"byte {i} ^ {mask:x2}: {allocated >> 20} MB allocated ({refusal ?? "read"})");
                }
                File.Delete(path);
            }
        return failures;
    }

    /// <summary>
    /// A table that fits in memory is decoded straight into the one array a load takes over: each record batch had been
    /// decoded into an array of its own and then copied, so opening and loading an 8 MB Arrow file of 4 batches allocated
    /// 17.1 MB, now 9.1 MB. Managed memory counted on this thread (Apache.Arrow's buffers are native). Parquet and HDF5
    /// decode through the same path; Parquet.Net's own allocations (25 MB for this table) would hide the copy there.
    /// </summary>
    [Fact]
    public void ATableHeldWholeIsDecodedIntoTheArrayALoadTakesOver()
    {
        const int n = 2600, d = 768;
        var random = new Random(2361);
        float?[]?[] rows = [.. Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => (float?)random.NextSingle()).ToArray())];
        string path = Arrow(Path.Combine(TestData.TempDir(), "held.arrow"), null, rows, ListKind.List, FloatType.Default, batchRows: n / 4);
        Load(path); // the library's first use is not this read's
        long before = GC.GetAllocatedBytesForCurrentThread();
        var loaded = Load(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before, tableBytes = (long)n * d * sizeof(float);
        // The table's array and the file's 1 MiB read buffer; a batch's copy would add 2 MB each.
        Assert.True(allocated < tableBytes * 5 / 4, $"opening and loading {tableBytes:N0} bytes of float32 in 4 batches allocated {allocated:N0} bytes");
        for (int i = 0; i < n; i += 97)
            for (int j = 0; j < d; j++) Assert.Equal(rows[i]![j]!.Value, loaded[i, j]);

        static Matrix Load(string path)
        {
            using var file = Embeddings.Open(path, key: null, idColumn: null, validate: true);
            return file.Load();
        }
    }

    /// <summary>
    /// Apache.Arrow sizes an array by a schema field's count of children, and a list by a record batch's count of field
    /// nodes, before it reads what they count: byte 96 of this 1.2 KB stream flipped (in the schema's field 'emb') had made
    /// it allocate 2 GB before it failed. The counts are checked against the metadata that holds them first.
    /// </summary>
    [Fact]
    public void ACorruptCountInArrowMetadataIsRefusedBeforeTheLibraryAllocatesByIt()
    {
        string path = Arrow(Path.Combine(TestData.TempDir(), "t.arrows"), [0, 1, 2, 3, 4, 5], Rows(6, 3), ListKind.LargeList, FloatType.Default,
            batchRows: 3, stream: true);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[96] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread() + ArrowColumn.NativeBytesOnThread;
        var error = Assert.Throws<RepDiffInputException>(() => Embeddings.Open(path, null, "id", validate: true));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() + ArrowColumn.NativeBytesOnThread - before < 1 << 20);
        Assert.Equal($"{path}: the count of children of column 'emb' in the schema (first message) is 268,435,456, more than its metadata "
            + "of 232 bytes holds (33): the file is corrupt" + ArrowColumn.Rewrite, error.Message);
    }

    /// <summary>
    /// A Parquet or Arrow file reads on a thread whose synchronization context runs nothing while that thread waits (a UI
    /// thread's): the libraries' awaits resumed on the caller's context, which the reader blocked, so the read never returned.
    /// </summary>
    [Fact]
    public void TablesReadOnAThreadWhoseContextRunsNothingWhileItWaits()
    {
        string dir = TestData.TempDir();
        var rows = Rows(6, 3);
        foreach (string path in new[]
        {
            TableWriter.Parquet(Path.Combine(dir, "t.parquet"), TextIds(6), rows, groupRows: 3),
            Arrow(Path.Combine(dir, "t.arrow"), [0, 1, 2, 3, 4, 5], rows, ListKind.List, FloatType.Default, batchRows: 3, stream: false),
            Arrow(Path.Combine(dir, "t.arrows"), [0, 1, 2, 3, 4, 5], rows, ListKind.List, FloatType.Default, batchRows: 3, stream: true),
        })
        {
            Exception? error = null;
            var reader = new Thread(() =>
            {
                SynchronizationContext.SetSynchronizationContext(new BlockedThreadContext());
                try
                {
                    using (var file = Embeddings.Open(path, null, "id", validate: true)) AssertRows(file, rows);
                    Assert.Equal(6, MetadataFile.Load(path, 6, null).Count);
                }
                catch (Exception e) { error = e; }
            }) { IsBackground = true };
            reader.Start();
            Assert.True(reader.Join(TimeSpan.FromMinutes(1)), $"{path}: the read had not returned after a minute");
            Assert.True(error is null, $"{path}: {error}");
        }
    }

    /// <summary>The context of a thread that is blocked: work posted to it would run once the thread is free, so here never.</summary>
    private sealed class BlockedThreadContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback callback, object? state) { }
        public override void Send(SendOrPostCallback callback, object? state) => throw new InvalidOperationException("the thread is blocked");
    }

    /// <summary>
    /// Lengths the libraries allocate by are checked against the file first: a fake Parquet or Arrow file whose
    /// footer or first message declares 2^31 − 1 bytes is one line naming the file and the length (it was
    /// "out of memory" without a name), and an Arrow body declared far beyond the file is refused before
    /// Apache.Arrow zero-fills it (1.5 GB here).
    /// </summary>
    [Fact]
    public void DeclaredLengthsBeyondTheFileAreNamed()
    {
        string dir = TestData.TempDir();
        byte[] noise = Enumerable.Range(0, 20_000).Select(i => (byte)(i * 151 + 3)).ToArray();
        byte[] huge = BitConverter.GetBytes(int.MaxValue);
        string Write(string name, byte[] bytes)
        {
            string path = Path.Combine(dir, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }
        foreach (var (path, message) in new[]
        {
            (Write("fake.parquet", [.. "PAR1"u8, .. noise, .. huge, .. "PAR1"u8]), "footer length 2147483647 is larger than the file (20,012 bytes): not a Parquet file or truncated" + ParquetFile.Rewrite),
            (Write("fake.arrow", [.. "ARROW1\0\0"u8, .. noise, .. huge, .. "ARROW1"u8]), "footer length 2147483647 is larger than the file (20,018 bytes): not an Arrow IPC file or truncated" + ArrowColumn.Rewrite),
            (Write("fake-stream.arrow", [0xFF, 0xFF, 0xFF, 0xFF, .. huge, .. noise]), "first message length 2147483647 is larger than the file (20,008 bytes): not an Arrow IPC stream or truncated" + ArrowColumn.Rewrite),
        })
        {
            var e = Assert.Throws<RepDiffInputException>(() => Embeddings.Open(path, null, null, validate: true));
            Assert.Equal($"{path}: {message}", e.Message);
        }

        // A real stream (schema, one record batch, end marker) whose batch declares a 1.5 GB body.
        string stream = Arrow(Path.Combine(dir, "body.arrow"), [1, 2, 3], Rows(3, 4), ListKind.List, FloatType.Default, stream: true);
        byte[] bytes = File.ReadAllBytes(stream);
        int schemaEnd = 8 + BitConverter.ToInt32(bytes, 4), metadata = schemaEnd + 8, metadataLength = BitConverter.ToInt32(bytes, schemaEnd + 4);
        long body = bytes.Length - (metadata + metadataLength) - 8;
        var at = Enumerable.Range(metadata, metadataLength - 7).Where(i => BitConverter.ToInt64(bytes, i) == body).ToList();
        BitConverter.GetBytes(1_500_000_000L).CopyTo(bytes, Assert.Single(at));
        File.WriteAllBytes(stream, bytes);
        var error = Assert.Throws<RepDiffInputException>(() => Embeddings.Open(stream, null, null, validate: true));
        // Since every message is checked against the bytes that remain, the body is refused before the allocator sees it.
        Assert.Equal($"{stream}: message 2 body length 1500000000 is larger than the file ({bytes.Length:N0} bytes): not an Arrow IPC stream or truncated" + ArrowColumn.Rewrite, error.Message);
    }

    /// <summary>
    /// Messages after the first are checked as the first is: in a stream and in a file of three record batches (written
    /// by Apache.Arrow), the third batch's metadata length and body length are patched to 200 MB, under the 256 MB that
    /// the allocator lets through, so Apache.Arrow rented, or allocated and zero-filled, 200 MB for a file of 2 KB.
    /// Each is now one line naming the message and the field.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LaterArrowMessagesBeyondTheFileAreNamed(bool stream)
    {
        string dir = TestData.TempDir();
        string path = Arrow(Path.Combine(dir, "e.arrow"), [1, 2, 3, 4, 5, 6], Rows(6, 4), ListKind.List, FloatType.Default, batchRows: 2, stream: stream);
        byte[] original = File.ReadAllBytes(path);
        // Messages follow "ARROW1" and its padding in a file: each is 0xFFFFFFFF, its metadata length, the metadata
        // (holding the int64 body length) and the body, in which these small values never put 0xFFFFFFFF.
        int third = stream ? 0 : 8, next = third;
        for (int m = 0; m < 4; m++)
        {
            third = next;
            next = original.AsSpan(third + 8 + BitConverter.ToInt32(original, third + 4)).IndexOf((ReadOnlySpan<byte>)[0xFF, 0xFF, 0xFF, 0xFF]) + third + 8 + BitConverter.ToInt32(original, third + 4);
        }
        // third is now the third record batch (message 4, after the schema and two batches), next the message after it.
        int metadataLength = BitConverter.ToInt32(original, third + 4);
        long body = next - (third + 8 + metadataLength);
        int bodyAt = Enumerable.Range(third + 8, metadataLength - 7).Last(i => BitConverter.ToInt64(original, i) == body);
        string format = stream ? "not an Arrow IPC stream" : "not an Arrow IPC file";
        string name = stream ? "message 4" : "record batch 2";
        foreach (var (at, value, field) in new[] { (third + 4, 200_000_000L, "length"), (bodyAt, 200_000_000L, "body length") })
        {
            byte[] bytes = [.. original];
            (field == "length" ? BitConverter.GetBytes((int)value) : BitConverter.GetBytes(value)).CopyTo(bytes, at);
            string file = Path.Combine(dir, $"{field.Replace(' ', '-')}.arrow");
            File.WriteAllBytes(file, bytes);
            var e = Assert.Throws<RepDiffInputException>(() => Embeddings.Open(file, null, null, validate: true));
            Assert.Equal($"{file}: {name} {field} {value} is larger than the file ({bytes.Length:N0} bytes): {format} or truncated" + ArrowColumn.Rewrite, e.Message);
        }
    }

    /// <summary>
    /// Every size and count Parquet.Net allocates by is checked before it reads, on a real file (300 rows of 1,000
    /// floats, uncompressed: one 1.2 MB page, whose header sizes take 4-byte varints) patched in place: a page's
    /// compressed or uncompressed size of 134 MB (the uncompressed one made Parquet.Net allocate 134 MB for this
    /// uncompressed page), a row group declaring 2,000,000 rows (an 8 GB float buffer for 300 rows), and a footer
    /// listing 2^28 − 1 row groups (Parquet.Net sizes the list by the count: 2 GB).
    /// </summary>
    [Fact]
    public async Task ParquetPageSizesAndRowCountsBeyondTheFileAreNamed()
    {
        string dir = TestData.TempDir();
        string path = TableWriter.Parquet(Path.Combine(dir, "e.parquet"), TextIds(300), Rows(300, 1000), compression: Parquet.CompressionMethod.None);
        byte[] original = File.ReadAllBytes(path);
        int page;
        await using (var reader = await global::Parquet.ParquetReader.CreateAsync(path))
            page = (int)reader.RowGroups[0].GetMetadata(reader.Schema.DataFields[1])!.MetaData!.DataPageOffset;
        // The page header opens with its type, uncompressed size and compressed size: 0x15 and a zigzag varint each.
        Assert.Equal([0x15, 0x00, 0x15], original[page..(page + 3)]);
        Assert.Equal(0x15, original[page + 7]);
        byte[] huge = ZigZag(134_217_727);
        Assert.Equal(4, huge.Length);
        string Write(string name, byte[] bytes)
        {
            string file = Path.Combine(dir, name);
            File.WriteAllBytes(file, bytes);
            return file;
        }
        byte[] Patched(int at, byte[] value)
        {
            byte[] bytes = [.. original];
            value.CopyTo(bytes, at);
            return bytes;
        }
        // The footer is self-contained: a field may grow there when the footer's length grows with it.
        byte[] InFooter(byte[] find, byte[] replacement)
        {
            int at = original.AsSpan().LastIndexOf(find);
            Assert.True(at > original.Length - 8 - BitConverter.ToInt32(original, original.Length - 8));
            byte[] bytes = [.. original[..at], .. replacement, .. original[(at + find.Length)..]];
            BitConverter.GetBytes(BitConverter.ToInt32(original, original.Length - 8) + replacement.Length - find.Length).CopyTo(bytes, bytes.Length - 8);
            return bytes;
        }
        string leaf = "row group 0 column 'emb/list/element'";
        foreach (var (file, message) in new[]
        {
            (Write("compressed.parquet", Patched(page + 8, huge)),
                $"{leaf} page 0 compressed size 134217727 is larger than the file ({original.Length:N0} bytes): not a Parquet file or truncated"),
            (Write("uncompressed.parquet", Patched(page + 3, huge)),
                $"{leaf} page 0 uncompressed size 134217727 is more than its 300000 values can take (3,601,024 bytes): the file is corrupt"),
            // RowGroup.num_rows (field 3, i64, after total_byte_size) is the last 300 in the footer.
            (Write("rows.parquet", InFooter([0x16, .. ZigZag(300)], [0x16, .. ZigZag(2_000_000)])),
                $"{leaf} declares 300000 values for 2000000 rows: the file is corrupt"),
            // FileMetaData.row_groups (field 4, a list of structs) follows num_rows: one element, 0x1C; 15 and more take a varint.
            (Write("groups.parquet", InFooter([0x16, .. ZigZag(300), 0x19, 0x1C], [0x16, .. ZigZag(300), 0x19, 0xFC, .. Varint(268_435_455)])),
                $"footer list length 268435455 is larger than the file ({original.Length + 4:N0} bytes): not a Parquet file or truncated"),
        })
        {
            var e = Assert.Throws<RepDiffInputException>(() => Embeddings.Open(file, null, null, validate: true));
            Assert.Equal($"{file}: {message}{ParquetFile.Rewrite}", e.Message);
        }
        await using (var reader = await global::Parquet.ParquetReader.CreateAsync(Path.Combine(dir, "rows.parquet")))
            Assert.Equal(2_000_000, reader.RowGroups[0].RowCount); // the patch hit the row group's count
    }

    /// <summary>
    /// Pages shorter than their values, in a real file (300 rows of 100 floats, uncompressed, a page a column) whose page
    /// headers are patched in place. Parquet.Net decodes what a page holds and leaves the rest of its arrays as its pool
    /// had them, without a word: the last 100 floats were read as zeros or as an earlier read's numbers, and an id cut
    /// off was "". The decode now checks that the values reach the last one the levels mark present. A required
    /// column's PLAIN page, and a dictionary page, hold every value at its size, so the page walk names one too short
    /// for them (the cut score page had Parquet.Net read on into the next page header: "missing data page header").
    /// </summary>
    [Fact]
    public async Task ParquetPagesShorterThanTheirValuesAreNamed()
    {
        string dir = TestData.TempDir();
        string path = TableWriter.Parquet(Path.Combine(dir, "e.parquet"), TextIds(300), Rows(300, 100), compression: Parquet.CompressionMethod.None);
        byte[] original = File.ReadAllBytes(path);
        int[] pages;
        await using (var reader = await global::Parquet.ParquetReader.CreateAsync(path))
            pages = reader.Schema.DataFields.Select(f => (int)reader.RowGroups[0].GetMetadata(f)!.MetaData!.DataPageOffset).ToArray();
        // Lowers the zigzag varint at `at` by `by`, in as many bytes; returns where the next field starts.
        int Lower(byte[] bytes, int at, int by)
        {
            int length = Array.FindIndex(bytes, at, b => b < 0x80) - at + 1;
            long zigzag = 0;
            for (int i = length - 1; i >= 0; i--) zigzag = zigzag << 7 | (bytes[at + i] & 0x7FL);
            byte[] lowered = ZigZag((zigzag >> 1) - by);
            Assert.Equal(length, lowered.Length);
            lowered.CopyTo(bytes, at);
            return at + length;
        }
        // A page header opens with its type (0x15, data page 0x00), uncompressed size and compressed size (0x15 and a
        // zigzag varint each), then its data page header (0x2C: field 5, a struct; a dictionary page header is field 7).
        string Shortened(string name, string column, int by, bool dictionary = false)
        {
            byte[] bytes = [.. original];
            int page = pages[Array.IndexOf(["id", "element", "score"], column)];
            Assert.Equal([0x15, 0x00, 0x15], bytes[page..(page + 3)]);
            int next = Lower(bytes, page + 3, by);
            Assert.Equal(0x15, bytes[next]);
            next = Lower(bytes, next + 1, by);
            Assert.Equal(0x2C, bytes[next]);
            if (dictionary) (bytes[page + 1], bytes[next]) = (0x04, 0x4C);
            string file = Path.Combine(dir, name);
            File.WriteAllBytes(file, bytes);
            return file;
        }
        string leaf = "row group 0 column 'emb/list/element'";
        // The float column 'score' is read as the one dimension of a wide table ('score*'): a float id column is refused.
        foreach (var (file, key, idColumn, message) in new (string, string?, string?, string)[]
        {
            (Shortened("values.parquet", "element", 400), null, null, $"{leaf} holds fewer values than its levels mark present: the file is corrupt"),
            (Shortened("ids.parquet", "id", 8), null, "id", "row group 0 column 'id' holds fewer values than its levels mark present: the file is corrupt"),
            (Shortened("scores.parquet", "score", 8), "score*", null,
                "row group 0 column 'score' page 0 uncompressed size 2392 is less than its 300 values take (2,400 bytes): the file is corrupt"),
            // The float page as a dictionary of its 30,000 entries, 4 bytes short of them (121,512 bytes held 1,512 of levels).
            (Shortened("dictionary.parquet", "element", 1516, dictionary: true), null, null,
                $"{leaf} page 0 uncompressed size 119996 is less than its 30000 values take (120,000 bytes): the file is corrupt"),
        })
        {
            var e = Assert.Throws<RepDiffInputException>(() => { using var rows = Embeddings.Open(file, key, idColumn, validate: true); rows.ReadAll(); });
            Assert.Equal($"{file}: {message}{ParquetFile.Rewrite}", e.Message);
        }
    }

    /// <summary>
    /// A value decoded is told from one left unwritten by a marker the values are filled with first: all ones, then
    /// zeros. A last value of all ones (a float NaN) is read again with zeros, not taken for a short page.
    /// </summary>
    [Fact]
    public void ParquetLastValueWithTheMarkersBytesIsRead()
    {
        float ones = BitConverter.Int32BitsToSingle(-1);
        string path = TableWriter.Parquet(Path.Combine(TestData.TempDir(), "e.parquet"), TextIds(2), [[1, 2], [3, ones]]);
        using var file = Embeddings.Open(path, key: null, idColumn: "id", validate: false);
        var last = new float[2];
        file.ReadRows(1, 1, last);
        Assert.Equal((3f, -1), (last[0], BitConverter.SingleToInt32Bits(last[1])));
    }

    private static byte[] Varint(long value)
    {
        var bytes = new List<byte>();
        for (ulong v = (ulong)value; ; v >>= 7)
        {
            if (v < 0x80) return [.. bytes, (byte)v];
            bytes.Add((byte)(v | 0x80));
        }
    }

    private static byte[] ZigZag(long value) => Varint((value << 1) ^ (value >> 63));

    [Fact]
    public void ZeroRowsIsAnError()
    {
        string dir = TestData.TempDir();
        string path = Arrow(Path.Combine(dir, "empty.arrow"), [], [], ListKind.List, FloatType.Default);
        Assert.Contains("has zero rows", Assert.Throws<RepDiffInputException>(() => Embeddings.Load(path)).Message);
    }

    [Fact]
    public void InspectAndMetricsTakeTablesWithColumnAndIdColumn()
    {
        string dir = TestData.TempDir();
        var rows = Rows(6, 3);
        string a = TableWriter.Parquet(Path.Combine(dir, "a.parquet"), TextIds(6), rows, groupRows: 4);
        string b = Arrow(Path.Combine(dir, "b.feather"), [0, 1, 2, 3, 4, 5], rows, ListKind.FixedSize, FloatType.Default, compression: CompressionCodecType.Lz4Frame);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), ["inspect", a, "--column", "emb", "--id-column", "id", "--json"], stdout, stderr);
        Assert.Equal((0, ""), (code, stderr.ToString()));
        var json = System.Text.Json.Nodes.JsonNode.Parse(stdout.ToString())!;
        Assert.Equal("[6,3]", json["shape"]!.ToJsonString());
        Assert.Equal("float32", json["dtype"]!.GetValue<string>());
        Assert.Equal(rows.SelectMany(r => r!).Average(v => (double)v!.Value), json["mean"]!.GetValue<double>(), 1e-6);

        stderr = new StringWriter();
        code = global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), ["metrics", a, b, "--column-a", "nope", "--out", Path.Combine(dir, "out")], new StringWriter(), stderr);
        Assert.Equal(2, code);
        Assert.Equal($"error: {a}: has no column 'nope' (float-list columns: emb)", stderr.ToString().Trim());
    }
}
