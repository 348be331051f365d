using System.Text;
using RepDiff.IO;
using static RepDiff.Tests.IO.GoldenFileTests;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.IO;

/// <summary>
/// Embeddings as JSON Lines ({"id": …, "embedding": […]} per line, or bare lists), read directly: the same float32 values
/// numpy reads from the file, ids joined as an ids file's are, and every bad record one line naming the file and its line.
/// The golden files were written by /usr/bin/python3's json.dumps (make_golden.py), with what numpy reads back beside them.
/// </summary>
public class JsonLinesEmbeddingsTests : IDisposable
{
    private readonly string dir = TestData.TempDir();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static int[] Bits(Matrix m) => m.Data.Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>
    /// json.dumps of float32 values (.tolist(): their double repr) reads back bit for bit; of float64 values spanning
    /// float32's range down to its subnormals, as np.array(values, np.float32) rounds them; bare lists as records.
    /// </summary>
    [Theory]
    [InlineData("records_f32.jsonl", "field 'embedding'")]
    [InlineData("records_f64.jsonl", "field 'vector'")]
    [InlineData("lists.ndjson", "the records (lists of numbers)")]
    public void ReadsTheValuesNumpyReadsBitForBit(string file, string vectors)
    {
        using var rows = Embeddings.OpenRows(Golden(file));
        var numpy = Npy.ReadMatrix(Golden(file[..file.LastIndexOf('.')] + "_read.npy"));
        var read = rows.ReadAll();
        Assert.Equal((numpy.Rows, numpy.Cols), (read.Rows, read.Cols));
        Assert.Equal(Bits(numpy), Bits(read));
        Assert.Equal(vectors, rows.VectorsFrom);
        if (Expected["ids"]![file] is { } ids) Assert.Equal(Strings(ids), rows.Ids);
        else Assert.Null(rows.Ids);
    }

    /// <summary>
    /// A's and B's records in different orders (B with other dimensions and integer ids) are joined by their ids, as with
    /// --ids-a/--ids-b; against an .npy without ids, row for row, the samples keeping the JSON Lines file's ids.
    /// </summary>
    [Fact]
    public void IdsJoinAAndB()
    {
        var a = Npy.ReadMatrix(Golden("records_f32_read.npy"));
        string[] ids = Strings(Expected["ids"]!["records_f32.jsonl"]!);
        int[] order = [4, 0, 5, 2, 1, 3];
        string b = Write("b.jsonl", string.Join("\n", order.Select(i =>
            $"{{\"embedding\": [{i}.5, {-i}, {i * i}], \"id\": \"{ids[i].Replace("ü", "\\u00fc")}\"}}")) + "\n");
        using var pair = new PairSpec(Golden("records_f32.jsonl"), b).Open();
        Assert.Equal(ids, pair.Samples.Ids);
        Assert.Equal(Bits(a), Bits(pair.A));
        for (int i = 0; i < 6; i++) Assert.Equal([i + 0.5f, -i, i * i], pair.B.Row(i).ToArray());

        string npy = Path.Combine(dir, "b.npy");
        Npy.Write(npy, pair.B);
        using var byRow = new PairSpec(Golden("records_f32.jsonl"), npy).Open();
        Assert.Equal(ids, byRow.Samples.Ids);
        Assert.Equal(Bits(pair.B), Bits(byRow.B));

        // An ids file given for A is used instead of the ids A's records hold, as for a table's id column.
        string idsA = Write("ids_a.txt", string.Join("\n", order.Select(i => $"other-{i}")) + "\n");
        using var given = new PairSpec(Golden("records_f32.jsonl"), npy) { IdsA = idsA }.Open();
        Assert.Equal(order.Select(i => $"other-{i}"), given.Samples.Ids);
    }

    /// <summary>--column names the vector field among several lists, --id-column the id field; both are checked against the records.</summary>
    [Fact]
    public void ColumnAndIdColumnNameTheFields()
    {
        string jsonl = Write("two.jsonl", "{\"uid\": 7, \"clip\": [1, 2], \"dino\": [3, 4, 5]}\n{\"uid\": 8, \"clip\": [6, 7], \"dino\": [8, 9, 10]}\n");
        // Two lists of numbers: which one is meant is not guessed.
        var several = Assert.Throws<RepDiffInputException>(() => Embeddings.Open(jsonl, null, null, validate: true));
        Assert.Equal($"{jsonl}: line 1 has 2 fields holding lists of numbers; choose one with --column (fields: clip, dino)", several.Message);
        using (var clip = Embeddings.Open(jsonl, "clip", null, validate: true))
            Assert.Equal((2, "field 'clip'", (string[]?)null), (clip.Cols, clip.VectorsFrom, clip.Ids));
        using (var dino = Embeddings.Open(jsonl, "dino", "uid", validate: true))
        {
            Assert.Equal([3f, 4, 5, 8, 9, 10], dino.ReadAll().Data);
            Assert.Equal(["7", "8"], dino.Ids!);
        }
        var e = Assert.Throws<RepDiffInputException>(() => Embeddings.Open(jsonl, "siglip", null, validate: true));
        Assert.Equal($"{jsonl}: line 1 has no field 'siglip' (fields: uid, clip, dino)", e.Message);
        e = Assert.Throws<RepDiffInputException>(() => Embeddings.Open(jsonl, "uid", null, validate: true));
        Assert.Equal($"{jsonl}: line 1: field 'uid' is not a list of numbers", e.Message);
        e = Assert.Throws<RepDiffInputException>(() => Embeddings.Open(jsonl, "clip", "id", validate: true));
        Assert.Equal($"{jsonl}: line 1 has no field 'id' for ids (fields: uid, clip, dino)", e.Message);
    }

    /// <summary>Each bad record is one line naming the file and its line, exit code 2, and no output folder.</summary>
    [Theory]
    [InlineData("{\"e\": [1, 2]}\n{\"e\": [1, 2, 3]}\n", "line 2: field 'e' holds 3 values but line 1's holds 2; every vector needs the same length")]
    [InlineData("{\"e\": [1, 2]}\n\n{\"e\": [1]}\n", "line 3: field 'e' holds 1 values but line 1's holds 2")]
    [InlineData("[1, 2]\n[1, null]\n", "line 2: value 1 of the vector is null, not a number")]
    [InlineData("{\"e\": [1, 2]}\n{\"e\": [1, \"2\"]}\n", "line 2: value 1 of the vector is a string, not a number")]
    [InlineData("{\"e\": [1, 2]}\n{\"e\": [1, [2]]}\n", "line 2: value 1 of the vector is a list, not a number")]
    [InlineData("{\"e\": [1, 2]}\n{\"e\": [NaN, 2]}\n", "line 2, column 8: NaN (as Python's json writes NaN and infinities); values must be finite")]
    [InlineData("[1, 2]\n[1, -Infinity]\n", "line 2, column 5: -Infinity (as Python's json writes NaN and infinities)")]
    [InlineData("[1, 2]\n[1, 1e39]\n", "line 2 value 1 is 1e39, beyond the float32 range (±3.4e38) RepDiff computes in")]
    [InlineData("[1, 2]\n[1, 1e400]\n", "line 2 value 1 is 1e400, beyond the float32 range")]
    [InlineData("{\"e\": [1, 2]}\n{\"f\": [1, 2]}\n", "line 2 has no field 'e', which line 1 holds the vector in")]
    [InlineData("{\"e\": [1, 2]}\n{\"e\": [1, 2]\n", "line 2 is not valid JSON (column 13: Expected depth to be zero at the end of the JSON payload")]
    [InlineData("{\"e\": [1, 2]}\n{\"e\": [1, 2]} {\"e\": [3, 4]}\n", "line 2 is not valid JSON")]
    [InlineData("{\"e\": [1, 2]}\n[1, 2]\n", "line 2 is a list, not an object as line 1 is")]
    [InlineData("{\"name\": \"x\", \"e\": []}\n", "line 1: no field holds a list of numbers (fields: name, e); name the vector field with --column")]
    [InlineData("\"just text\"\n", "line 1 is a string, not an object with a list of numbers or a list of numbers")]
    [InlineData("", "is empty")]
    [InlineData("\n  \n\n", "holds only blank lines, no records")]
    [InlineData("{\"id\": \"x\", \"e\": [1]}\n{\"id\": \"y\", \"e\": [2]}\n{\"id\": \"x\", \"e\": [3]}\n", "id 'x' appears on line 1 and line 3; ids must be unique")]
    [InlineData("{\"id\": \"x\", \"e\": [1]}\n{\"e\": [2]}\n", "line 2 has no field 'id', which line 1 holds its id in; every record needs an id")]
    [InlineData("{\"e\": [1]}\n{\"id\": \"y\", \"e\": [2]}\n", "line 2 has a field 'id' but line 1 has none; give every record an id, or none")]
    [InlineData("{\"id\": 1.5, \"e\": [1]}\n", "line 1: field 'id' is the number 1.5, written with a fraction or an exponent")]
    [InlineData("{\"id\": {\"a\": 1}, \"e\": [1]}\n", "line 1: field 'id' is an object, not a string or a whole number")]
    [InlineData("{\"id\": \" \", \"e\": [1]}\n", "line 1: its id is blank or holds a line break")]
    [InlineData("{\"e\": [1], \"e\": [2]}\n", "line 1: field 'e' appears twice")]
    public void BadRecordsNameTheirLine(string content, string problem)
    {
        var (a, _, _) = SmallPair(dir, rows: 3);
        string bad = Write("bad.jsonl", content);
        string output = Path.Combine(dir, "out");
        Run("rdx", bad, a, "--out", output).AssertBadInput($"bad.jsonl: {problem}");
        Assert.False(Directory.Exists(output));
        // inspect counts values beyond float32 as infinite, and NaN and infinities as such, as it does in other formats,
        // rather than refusing them (InspectCountsNamedNonFiniteValuesAsForNpy).
        if (!problem.Contains("float32 range") && !problem.Contains("as Python's json writes NaN")) Run("inspect", bad).AssertBadInput($"bad.jsonl: {problem}");
    }

    /// <summary>`inspect` reads values beyond float32 (as it reads a float64 .npy's) and counts them as infinite.</summary>
    [Fact]
    public void InspectCountsValuesBeyondFloat32()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Run("inspect", Write("far.jsonl", "[1, 1e39]\n[-1e400, 2]\n"), "--json").Stdout)!;
        Assert.Equal(2, json["inf"]!.GetValue<long>());
    }

    /// <summary>Bytes that are not UTF-8 (a Latin-1 export) are named by their line, in a string or outside one.</summary>
    [Fact]
    public void InvalidUtf8NamesItsLine()
    {
        byte[] head = "{\"id\": \"a\", \"e\": [1]}\n{\"id\": \"b\", \"e\": [2]}\n"u8.ToArray();
        string latin1 = Write("latin1.jsonl", [.. head, .. "{\"id\": \"caf"u8, 0xE9, .. "\", \"e\": [3]}\n"u8]);
        var e = Assert.Throws<RepDiffInputException>(() => Embeddings.Load(latin1));
        Assert.Equal($"{latin1}: line 3 is not valid UTF-8", e.Message);
        // A UTF-8 byte order mark (as Windows tools write) is not part of the first record.
        string bom = Write("bom.jsonl", [0xEF, 0xBB, 0xBF, .. head]);
        using var rows = Embeddings.OpenRows(bom);
        Assert.Equal(["a", "b"], rows.Ids!);
    }

    /// <summary>Records with Windows line ends and a last line without one read as any others.</summary>
    [Fact]
    public void CarriageReturnsAndAMissingLastLineEnd()
    {
        string crlf = Write("crlf.jsonl", "[1, 2]\r\n\r\n[3, 4]\r\n[5, 6]");
        Assert.Equal([1f, 2, 3, 4, 5, 6], Embeddings.Load(crlf).Data);
    }

    /// <summary>A record longer than the reader's first buffer (1 MB: 400,000 values of 3 characters) is read whole.</summary>
    [Fact]
    public void ALongRecordIsReadWhole()
    {
        string values = string.Join(", ", Enumerable.Range(0, 400_000).Select(i => (i % 7).ToString()));
        string jsonl = Write("long.jsonl", $"{{\"id\": \"a\", \"e\": [{values}]}}\n{{\"id\": \"b\", \"e\": [{values}]}}\n");
        Assert.True(new FileInfo(jsonl).Length > 2 << 20);
        var m = Embeddings.Load(jsonl);
        Assert.Equal((2, 400_000), (m.Rows, m.Cols));
        Assert.Equal(Enumerable.Range(0, 400_000).Select(i => (float)(i % 7)), m.Row(1).ToArray());
    }

    /// <summary>The matrix's size is known before it is allocated, and a file whose matrix does not fit is refused as other formats are.</summary>
    [Fact]
    public void AMatrixBeyondMemoryIsRefusedBeforeReading()
    {
        string jsonl = Write("big.jsonl", string.Concat(Enumerable.Range(0, 1000).Select(i => $"[{i}, 1, 2, 3]\n")));
        RepDiffInputException e;
        using (MemoryBudget.Assume(16_000))
            e = Assert.Throws<RepDiffInputException>(() => Embeddings.Load(jsonl));
        Assert.StartsWith($"{jsonl}: reading this 0 MB JSON Lines file (1,000 records of 4 values) would take ", e.Message);
        Assert.Contains(" in memory; about ", e.Message);
        Assert.Equal(4000, Embeddings.Load(jsonl).Data.Length);
    }

    /// <summary>`inspect` says where the vectors and the ids were found.</summary>
    [Fact]
    public void InspectShowsTheFieldsItRead()
    {
        var outcome = Run("inspect", Golden("records_f64.jsonl"));
        Assert.Equal(0, outcome.Code);
        Assert.Contains("(6, 4)", outcome.Stdout);
        Assert.Contains("field 'vector'", outcome.Stdout);
        Assert.Contains("field 'id' (used as the samples' ids, joining A and B)", outcome.Stdout);
        var json = System.Text.Json.Nodes.JsonNode.Parse(Run("inspect", Golden("records_f64.jsonl"), "--json").Stdout)!;
        Assert.Equal(("field 'vector'", "field 'id'"), (json["vectors"]!.GetValue<string>(), json["ids"]!.GetValue<string>()));
    }

    /// <summary>
    /// NaN, Infinity and -Infinity, as Python's json.dumps writes them, are counted by inspect as for a .npy of the same
    /// values (it had refused the file); the same words inside strings stay text; a method still refuses the file in one line.
    /// </summary>
    [Fact]
    public void InspectCountsNamedNonFiniteValuesAsForNpy()
    {
        string jsonl = Write("nan.jsonl", "{\"id\": \"NaN \\\" Infinity\", \"embedding\": [0.5, 1.0, NaN]}\n"
            + "{\"id\": \"b\", \"embedding\": [Infinity, 2.0, -Infinity]}\n{\"id\": \"c\", \"embedding\": [NaN, 3.0, 4.0]}\n");
        string npy = Path.Combine(dir, "nan.npy");
        Npy.Write(npy, new Matrix(3, 3, [0.5f, 1, float.NaN, float.PositiveInfinity, 2, float.NegativeInfinity, float.NaN, 3, 4]));
        var fromJsonl = System.Text.Json.Nodes.JsonNode.Parse(Run("inspect", jsonl, "--json").Stdout)!;
        var fromNpy = System.Text.Json.Nodes.JsonNode.Parse(Run("inspect", npy, "--json").Stdout)!;
        Assert.Equal((2, 2), (fromJsonl["nan"]!.GetValue<int>(), fromJsonl["inf"]!.GetValue<int>()));
        foreach (string stat in new[] { "nan", "inf", "mean", "mean_row_norm" })
            Assert.Equal(fromNpy[stat]!.ToJsonString(), fromJsonl[stat]!.ToJsonString());
        using (var rows = Embeddings.Open(jsonl, key: null, idColumn: null, validate: false))
        {
            Assert.Equal(["NaN \" Infinity", "b", "c"], rows.Ids!);
            Assert.Equal(Bits(Npy.ReadMatrix(npy)), Bits(rows.ReadAll()));
        }
        var (a, _, _) = SmallPair(dir, rows: 3);
        string output = Path.Combine(dir, "out");
        Run("pca", jsonl, a, "--out", output).AssertBadInput($"{jsonl}: line 1, column 51: NaN (as Python's json writes NaN and infinities); values must be finite");
        Assert.False(Directory.Exists(output));
    }
}
