using System.Text.Json.Nodes;
using RepDiff.IO;

namespace RepDiff.Tests.IO;

/// <summary>
/// Files numpy wrote (Data/make_golden.py) read back with numpy's values: every .npy dtype, byte order,
/// memory order and format version, .npz stored/deflated/zip64, .safetensors of every dtype, .pt in torch.save's
/// layout (tensors alone, in dicts and lists, views, big-endian, protocol 4), .csv/.tsv.
/// </summary>
public class GoldenFileTests
{
    public static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "golden", name);

    /// <summary>Writes a small text file for a test and returns its path.</summary>
    public static string WriteText(string dir, string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static readonly Lazy<JsonObject> expected = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "golden.json")))!.AsObject());

    public static JsonObject Expected => expected.Value;

    public static TheoryData<string> Files() => new(Expected["files"]!.AsObject().Select(p => p.Key));

    [Theory]
    [MemberData(nameof(Files))]
    public void ReadsWhatNumpyWrote(string entry)
    {
        var e = Expected["files"]![entry]!;
        string file = e["file"]!.GetValue<string>();
        string? key = e["key"]?.GetValue<string>();
        using var rows = Embeddings.Open(Golden(file), key, file == "with_ids.csv" ? "id" : null, validate: false);
        var shape = e["shape"]!.AsArray().Select(v => v!.GetValue<long>()).ToArray();
        if (file.EndsWith(".npy") || file.EndsWith(".npz") || file.EndsWith(".safetensors") || file.EndsWith(".pt"))
        {
            Assert.Equal(shape, rows.Shape);
            Assert.Equal(e["dtype"]!.GetValue<string>(), rows.Dtype);
        }
        var values = e["values"]!.AsArray();
        Assert.Equal(values.Count, rows.Rows);
        var m = rows.ReadAll();
        for (int i = 0; i < m.Rows; i++)
        {
            var row = values[i]!.AsArray();
            Assert.Equal(row.Count, m.Cols);
            for (int j = 0; j < m.Cols; j++)
                Assert.Equal(Number(row[j]!), m[i, j]);
        }
    }

    [Fact]
    public void BatchesOfRowsMatchTheWholeMatrix()
    {
        foreach (string file in new[] { "le_f4.npy", "fortran_f4.npy", "fortran_be_f8.npy", "be_i8.npy" })
        {
            using var rows = Embeddings.OpenRows(Golden(file));
            var all = rows.ReadAll();
            var batch = new float[2 * rows.Cols];
            rows.ReadRows(2, 2, batch);
            Assert.Equal(all.Data.AsSpan(2 * rows.Cols, 2 * rows.Cols).ToArray(), batch);
        }
    }

    [Fact]
    public void CsvIdsAreReadInFileOrder()
    {
        using var rows = Embeddings.Open(Golden("with_ids.csv"), null, "id", validate: true);
        Assert.Equal(Strings(Expected["ids"]!["with_ids.csv"]!), rows.Ids);
        using var quoted = Embeddings.Open(Golden("shuffled_ids.csv"), null, "sample id", validate: true);
        Assert.Equal(Strings(Expected["ids"]!["shuffled_ids.csv"]!), quoted.Ids);
        Assert.Equal(1, quoted.Cols);
    }

    [Fact]
    public void AnUnnamedFirstColumnIsPandasIndexAndBecomesTheIds()
    {
        string path = WriteText(TestData.TempDir(), "pandas.csv", ",0,1\n0,0.5,1.5\n1,2.5,3.5\n");
        using var rows = Embeddings.OpenRows(path);
        Assert.Equal(["0", "1"], rows.Ids!);
        Assert.Equal([0.5f, 1.5f, 2.5f, 3.5f], rows.ReadAll().Data);
    }

    /// <summary>
    /// pandas without its index (DataFrame.to_csv(index=False)) names unnamed columns 0, 1, …: a header, not a first row
    /// of data. Read as data it added a row of 0, 1, 2 to every such file.
    /// </summary>
    [Fact]
    public void PandasDefaultColumnNamesAreAHeader()
    {
        string dir = TestData.TempDir();
        using var rows = Embeddings.OpenRows(WriteText(dir, "pandas.csv", "0,1,2\n0.5,1.5,2.5\n3.5,4.5,5.5\n"));
        Assert.Equal([0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f], rows.ReadAll().Data);
        // Whole numbers that are not that sequence stay data.
        using var data = Embeddings.OpenRows(WriteText(dir, "counts.csv", "0,2,1\n3,4,5\n"));
        Assert.Equal(2, data.Rows);
    }

    /// <summary>
    /// A headerless CSV of whole numbers whose first row happens to be 0, 1, …, w − 1 (np.savetxt(fmt='%d') of binary codes:
    /// "0,1" is a quarter of all rows of two bits) reads exactly as pandas' names above whole-number columns. It was dropped
    /// as a header, so the file lost its first sample ("has 2 rows but b.npy has 3"); it is refused, saying how to settle it.
    /// </summary>
    [Fact]
    public void ColumnNumbersAboveWholeNumbersAreNeitherGuessedHeaderNorData()
    {
        string dir = TestData.TempDir();
        string path = WriteText(dir, "bits.csv", "0,1\n1,1\n0,0\n");
        var e = Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(path));
        Assert.Equal($"{path}: line 1 reads 0, 1, which is pandas' column names or a first row of data, and every value is a whole number, "
            + "so it could be either; name the columns (e.g. d0,d1,…) if it is a header, or put a header above it if it is data", e.Message);
        // Either fix reads: named columns above the same rows, or a header above the first row of data.
        using var named = Embeddings.OpenRows(WriteText(dir, "named.csv", "d0,d1\n1,1\n0,0\n"));
        Assert.Equal([1f, 1f, 0f, 0f], named.ReadAll().Data);
        using var data = Embeddings.OpenRows(WriteText(dir, "data.csv", "d0,d1\n0,1\n1,1\n0,0\n"));
        Assert.Equal(3, data.Rows);
        // A later decimal settles it as pandas' header, wherever it is (here on the last line).
        using var pandas = Embeddings.OpenRows(WriteText(dir, "late.csv", "0,1,2\n1,2,3\n4,5,6.5\n"));
        Assert.Equal(2, pandas.Rows);
    }

    /// <summary>
    /// pandas' index written as the first column (to_csv(header=False); a frame read back and saved again calls it
    /// "Unnamed: 0") was read as a dimension: values up to n beside values near 1, the distances its alone. A first column
    /// holding every row number once, shuffled or not, beside decimals is refused; whole-number data is left alone.
    /// </summary>
    [Fact]
    public void APandasRowIndexIsNotReadAsADimension()
    {
        string dir = TestData.TempDir();
        string headerless = WriteText(dir, "noheader.csv", "2,0.5,1.5\n0,2.5,3.5\n1,4.5,5.5\n");
        Assert.Equal($"{headerless}: column 1 holds every row number 0 to 2 once: a row index (pandas writes one first), not a dimension; "
            + "write the file without it (to_csv(index=False))", Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(headerless)).Message);
        string named = WriteText(dir, "named.csv", "Unnamed: 0,a,b\n0,0.5,1.5\n1,2.5,3.5\n2,4.5,5.5\n");
        Assert.EndsWith("column 1 ('Unnamed: 0') holds every row number 0 to 2 once: a row index (pandas writes one first), not a dimension; "
            + "name it with --id-column Unnamed: 0, or write the file without it (to_csv(index=False))", Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(named)).Message);
        using var asIds = Embeddings.Open(named, null, "Unnamed: 0", validate: true);
        Assert.Equal(["0", "1", "2"], asIds.Ids!);
        using var counts = Embeddings.OpenRows(WriteText(dir, "counts.csv", "0,5,7\n1,2,3\n2,4,4\n"));
        Assert.Equal(3, counts.Rows);
    }

    /// <summary>
    /// A first column numbering the rows from 1 (R's write.table without column names, a spreadsheet's row numbers) was read
    /// as a dimension while one from 0 was refused: values up to n beside values near 1. It is refused alike, naming the
    /// column and --id-column when the header names it; counts (whole numbers throughout) and a column that skips or
    /// repeats a number are data.
    /// </summary>
    [Fact]
    public void ARowIndexFromOneIsRefusedAsOneFromZeroIs()
    {
        string dir = TestData.TempDir();
        string headerless = WriteText(dir, "r.csv", "\"3\",0.5,1.5\n\"1\",2.5,3.5\n\"2\",4.5,5.5\n\"4\",6.5,7.5\n");
        Assert.Equal($"{headerless}: column 1 holds every row number 1 to 4 once: a row index (R's row names and spreadsheets' row numbers count from 1), "
            + "not a dimension; write the file without it (in R write.csv(x, row.names = FALSE))", Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(headerless)).Message);
        string named = WriteText(dir, "sheet.csv", "index,a,b\n1,0.5,1.5\n2,2.5,3.5\n3,4.5,5.5\n");
        Assert.EndsWith("column 1 ('index') holds every row number 1 to 3 once: a row index (R's row names and spreadsheets' row numbers count from 1), "
            + "not a dimension; name it with --id-column index, or write the file without it (in R write.csv(x, row.names = FALSE))",
            Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(named)).Message);
        using var asIds = Embeddings.Open(named, null, "index", validate: true);
        Assert.Equal(["1", "2", "3"], asIds.Ids!);
        Assert.Equal(2, asIds.Cols);
        // Data whose first column happens to count: whole numbers throughout, a repeated number, a gap, a start at 2.
        foreach (string text in new[] { "1,5,7\n2,2,3\n3,4,4\n", "1,0.5,1.5\n2,2.5,3.5\n2,4.5,5.5\n", "1,0.5,1.5\n2,2.5,3.5\n4,4.5,5.5\n", "2,0.5,1.5\n3,2.5,3.5\n4,4.5,5.5\n" })
        {
            using var data = Embeddings.OpenRows(WriteText(dir, "data.csv", text));
            Assert.Equal((3, 3), (data.Rows, data.Cols));
        }
    }

    public static TheoryData<string> LabelFiles() => new(Expected["labels"]!.AsObject().Select(p => p.Key));

    [Theory]
    [MemberData(nameof(LabelFiles))]
    public void LabelsReadAsNumpyPrintsThem(string file)
    {
        var labels = SampleFiles.LoadLabels(Golden(file));
        var want = Strings(Expected["labels"]![file]!);
        Assert.Equal(want, Enumerable.Range(0, labels.Codes.Length).Select(i => labels[i]).ToArray());
    }

    public static TheoryData<string> FixtureFiles() => new(Expected["fixtures"]!.AsObject().Select(p => p.Key));

    /// <summary>The shared fixtures load with the values numpy reads (first, middle, last value, and the mean).</summary>
    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public void FixturesLoadWithNumpysValues(string file)
    {
        var e = Expected["fixtures"]![file]!;
        var shape = e["shape"]!.AsArray().Select(v => v!.GetValue<long>()).ToArray();
        using var rows = Npy.OpenRows(TestData.Fixture(file), checkFinite: true, flatten: true);
        Assert.Equal(shape, rows.Shape);
        Assert.Equal(e["dtype"]!.GetValue<string>(), rows.Dtype);
        var m = rows.ReadAll();
        Assert.Equal(e["first"]!.GetValue<double>(), m[0, 0]);
        Assert.Equal(e["last"]!.GetValue<double>(), m[m.Rows - 1, m.Cols - 1]);
        Assert.Equal(e["middle"]!.GetValue<double>(), m[m.Rows / 2, m.Cols / 2]);
        double mean = m.Data.Sum(v => (double)v) / m.Data.Length;
        Assert.Equal(e["mean"]!.GetValue<double>(), mean, 1e-12 * Math.Max(1, Math.Abs(mean)));
    }

    [Fact]
    public void NpzKeyWorksWithAndWithoutTheNpySuffix()
    {
        var a = Embeddings.Load(Golden("stored.npz"), "emb");
        var b = Embeddings.Load(Golden("stored.npz"), "emb.npy");
        Assert.Equal(a.Data, b.Data);
        using (var npz = ArrayArchive.Open(Golden("stored.npz"))!) Assert.Equal(["emb", "labels"], npz.Keys);
        using (var safetensors = ArrayArchive.Open(Golden("all_dtypes.safetensors"))!) Assert.Equal(13, safetensors.Keys.Count);
    }

    [Fact]
    public void TheOnlyArrayNeedsNoKey()
    {
        Assert.Equal((5, 3), Dims(Embeddings.Load(Golden("deflated.npz"))));
        Assert.Equal((5, 3), Dims(Embeddings.Load(Golden("single.safetensors"))));
    }

    [Fact]
    public void SeveralArraysWithoutAKeyIsAnErrorListingTheKeys()
    {
        var e = Assert.Throws<RepDiffInputException>(() => Embeddings.Load(Golden("stored.npz")));
        Assert.Contains("emb, labels", e.Message);
        Assert.Contains("choose one with --key", e.Message);
        e = Assert.Throws<RepDiffInputException>(() => Embeddings.Load(Golden("all_dtypes.safetensors"), "nope"));
        Assert.Contains("'nope'", e.Message);
        Assert.Contains("bf16", e.Message);
    }

    [Fact]
    public void NonFiniteValuesNameTheFirstBadRow()
    {
        var e = Assert.Throws<RepDiffInputException>(() => Embeddings.Load(Golden("nan_row2_f4.npy")));
        Assert.StartsWith(Golden("nan_row2_f4.npy"), e.Message);
        Assert.Contains("row 2 column 1", e.Message);
        using var rows = Embeddings.OpenRows(Golden("nan_row2_f4.npy"));
        var buffer = new float[2 * 3];
        rows.ReadRows(0, 2, buffer); // rows before the bad one read fine when streaming
        Assert.Throws<RepDiffInputException>(() => rows.ReadRows(1, 2, buffer));
    }

    [Fact]
    public void ZeroRowsIsAnError()
    {
        var e = Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(Golden("empty_rows_f4.npy")));
        Assert.Contains("zero rows", e.Message);
        using var inspected = Embeddings.Open(Golden("empty_rows_f4.npy"), null, null, validate: false);
        Assert.Equal([0L, 3L], inspected.Shape);
    }

    private static (int, int) Dims(Matrix m) => (m.Rows, m.Cols);

    /// <summary>A value of golden.json: a number, or "nan"/"inf"/"-inf" (JSON has no NaN).</summary>
    private static double Number(JsonNode node) => node.GetValueKind() == System.Text.Json.JsonValueKind.String
        ? double.Parse(node.GetValue<string>().Replace("inf", "Infinity"), System.Globalization.CultureInfo.InvariantCulture)
        : node.GetValue<double>();

    internal static string[] Strings(JsonNode node) => node.AsArray().Select(v => v!.GetValue<string>()).ToArray();
}
