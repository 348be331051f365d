using System.Text.Json.Nodes;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.IO;

/// <summary>
/// Tables a user writes without a float-list column (h183): one float column per dimension, as pandas'
/// DataFrame(vectors).to_parquet() writes, and a list of float lists per row (unpooled tokens); and a row group too large for memory.
/// </summary>
public class WideTableTests
{
    /// <summary>n × d seeded values, every one distinct enough that a swapped column or row changes the results.</summary>
    private static float?[][] Vectors(int n, int d, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => (float?)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }

    private static string[] Ids(int n) => Enumerable.Range(0, n).Select(i => $"s{i}").ToArray();

    private static string[] Names(string prefix, int d) => Enumerable.Range(0, d).Select(j => prefix + j).ToArray();

    private static string Npy(string path, float?[][] rows)
    {
        RepDiff.IO.Npy.Write(path, rows.SelectMany(r => r.Select(v => v!.Value)).ToArray(), rows.Length, rows[0].Length);
        return path;
    }

    private static string WideArrow(string path, string[] ids, string[] names, float?[][] rows, params (string Name, Apache.Arrow.IArrowArray Column)[] extra) =>
        TableWriter.ArrowTable(path, [("id", new Apache.Arrow.StringArray.Builder().AppendRange(ids).Build()),
            .. names.Select((name, j) => (name, TableWriter.Floats(rows.Select(r => r[j])))), .. extra]);

    /// <summary>
    /// pandas' DataFrame(vectors).to_parquet() (columns "0" … "11", its index column, an id column) and an Arrow table of
    /// columns emb_0 … emb_11 read without --column as the same rows as the .npy, and a method run on them gives the same
    /// results; they had been refused as having "no column of float lists".
    /// </summary>
    [Fact]
    public void AWideTableReadsAsItsFloatColumnsWithTheSameResultsAsNpy()
    {
        string dir = TestData.TempDir();
        var (a, b) = (Vectors(40, 12, 1), Vectors(40, 12, 2));
        string npyA = Npy(Path.Combine(dir, "a.npy"), a), npyB = Npy(Path.Combine(dir, "b.npy"), b);
        string parquetA = TableWriter.WideParquet(Path.Combine(dir, "a.parquet"), Ids(40), Names("", 12), a, pandasIndex: true, groupRows: 15);
        string arrowB = WideArrow(Path.Combine(dir, "b.arrow"), Ids(40), Names("emb_", 12), b);

        foreach (var (wide, npy) in new[] { (parquetA, npyA), (arrowB, npyB) })
        {
            var read = Embeddings.Load(wide);
            var expected = Embeddings.Load(npy);
            Assert.Equal((expected.Rows, expected.Cols), (read.Rows, read.Cols));
            Assert.Equal(expected.Data, read.Data);
        }

        var fromNpy = Run("metrics", npyA, npyB, "--out", Path.Combine(dir, "npy"));
        var fromTables = Run("metrics", parquetA, arrowB, "--out", Path.Combine(dir, "tables"));
        Assert.True(fromNpy.Code == 0, fromNpy.Stderr);
        Assert.True(fromTables.Code == 0, fromTables.Stderr);
        JsonNode Metrics(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, folder, "results.json")))!["metrics"]!;
        Assert.Equal(Metrics("npy").ToJsonString(), Metrics("tables").ToJsonString());
    }

    /// <summary>
    /// --column 'emb_*' reads the float columns it matches, in the file's order, and leaves out the others (a float score,
    /// the text and id columns); a pattern matching a column that is not floats, or none, is one line, exit 2; without
    /// --column, a table with an integer column besides its floats is not guessed at and the refusal names the pattern.
    /// </summary>
    [Theory]
    [InlineData(".parquet")]
    [InlineData(".arrow")]
    public void APatternChoosesTheFloatColumnsAndRefusesWhatIsNoDimension(string extension)
    {
        string dir = TestData.TempDir(), path = Path.Combine(dir, "t" + extension);
        var rows = Vectors(30, 5, 3);
        var score = Vectors(30, 1, 4);
        var counts = new Apache.Arrow.Int64Array.Builder().AppendRange(Enumerable.Range(0, 30).Select(i => (long)i)).Build();
        if (extension == ".parquet")
            TableWriter.WideParquet(path, Ids(30), Names("emb_", 5), rows, doubles: true, intColumn: true);
        else
            WideArrow(path, Ids(30), Names("emb_", 5), rows, ("score", TableWriter.Floats(score.Select(r => r[0]))), ("n", counts));

        var read = Embeddings.Load(path, "emb_*");
        Assert.Equal((30, 5), (read.Rows, read.Cols));
        for (int i = 0; i < 30; i++)
            for (int j = 0; j < 5; j++) Assert.Equal(rows[i][j]!.Value, read[i, j]);

        string other = Path.Combine(dir, "other" + extension), outDir = Path.Combine(dir, "out");
        File.Copy(path, other);
        Run("metrics", path, other, "--column", "*", "--out", outDir)
            .AssertBadInput($"{path}: column 'n' matches --column '*' but does not hold one float a row; only float columns are dimensions: give a pattern that leaves it out");
        Run("metrics", path, other, "--column", "x_*", "--out", outDir).AssertBadInput($"{path}: has no float column matching --column 'x_*'");
        Run("metrics", path, other, "--out", outDir).AssertBadInput("its 5 float columns (emb_0, emb_1, emb_2, emb_3, emb_4) are read as one dimension each with --column 'emb_*'");
        Assert.False(Directory.Exists(outDir));
        var ran = Run("metrics", path, other, "--column", "emb_*", "--out", outDir);
        Assert.True(ran.Code == 0, ran.Stderr);
    }

    /// <summary>
    /// A float column named otherwise beside the dimensions (a score) is not read as one more dimension unasked: the table
    /// is refused naming the pattern of the dimensions, which then reads them alone.
    /// </summary>
    [Theory]
    [InlineData(".parquet")]
    [InlineData(".arrow")]
    public void AFloatColumnNamedOtherwiseIsNotTakenForADimensionUnasked(string extension)
    {
        string dir = TestData.TempDir(), path = Path.Combine(dir, "t" + extension);
        var rows = Vectors(20, 4, 6);
        string[] names = [.. Names("emb_", 3), "score"];
        if (extension == ".parquet") TableWriter.WideParquet(path, Ids(20), names, rows);
        else WideArrow(path, Ids(20), names, rows);
        var refused = Assert.Throws<RepDiffInputException>(() => Embeddings.Load(path));
        Assert.Contains("its 3 float columns (emb_0, emb_1, emb_2) are read as one dimension each with --column 'emb_*'", refused.Message);
        var read = Embeddings.Load(path, "emb_*");
        Assert.Equal((20, 3), (read.Rows, read.Cols));
    }

    /// <summary>A null in a dimension's column is refused naming the row and the column, in Parquet and in Arrow.</summary>
    [Fact]
    public void ANullInADimensionIsRefusedNamingItsRowAndColumn()
    {
        string dir = TestData.TempDir();
        var rows = Vectors(8, 3, 5);
        rows[6][2] = null;
        string parquet = TableWriter.WideParquet(Path.Combine(dir, "t.parquet"), Ids(8), Names("d", 3), rows);
        string arrow = WideArrow(Path.Combine(dir, "t.arrow"), Ids(8), Names("d", 3), rows);
        foreach (string path in new[] { parquet, arrow })
            Run("inspect", path, "--column", "d*").AssertBadInput($"{path} (columns 'd*'): row 6 is null in column 'd2'; every dimension needs a number");
    }

    /// <summary>
    /// A column of token matrices (a list of float lists per row) is refused in one line that says what it holds and to pool
    /// it, with and without --column; it had been "has no column of float lists" or "not a list of floating-point values".
    /// </summary>
    [Fact]
    public void ATokenMatrixColumnIsRefusedSayingToPoolIt()
    {
        string dir = TestData.TempDir();
        string parquet = TableWriter.TokenMatrixParquet(Path.Combine(dir, "t.parquet"));
        string arrow = TableWriter.ArrowTable(Path.Combine(dir, "t.arrow"), ("id", new Apache.Arrow.StringArray.Builder().AppendRange(["x", "y"]).Build()),
            ("tokens", TableWriter.TokenMatrices([[[1, 2], [3, 4], [5, 6]], [[7, 8]]])));
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "before");
        foreach (string path in new[] { parquet, arrow })
            foreach (var column in new[] { Array.Empty<string>(), ["--column", "tokens"] })
            {
                string other = Path.Combine(dir, "other" + Path.GetExtension(path));
                File.Copy(path, other, overwrite: true);
                Run(["rdx", path, other, "--out", outDir, .. column]).AssertBadInput($"error: {path}: column 'tokens' holds a list of lists in each row "
                    + "(e.g. tokens × 768); RepDiff takes one vector per sample: pool it before saving, e.g. mean over tokens");
                Assert.Equal(["keep.txt"], Directory.GetFiles(outDir).Select(Path.GetFileName));
            }
    }

    /// <summary>
    /// inspect exits 0 on a wide table and on a table of token matrices, listing the columns with what each holds and saying
    /// what would be read (the wide table's statistics) or why it is refused, and how to choose.
    /// </summary>
    [Fact]
    public void InspectListsTheColumnsOfWideAndTokenMatrixTablesAndWhatIsRead()
    {
        string dir = TestData.TempDir();
        var rows = Vectors(10, 4, 6);
        string wide = TableWriter.WideParquet(Path.Combine(dir, "wide.parquet"), Ids(10), Names("", 4), rows, pandasIndex: true);
        var (code, output, error) = Run("inspect", wide);
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("wide.parquet (.parquet): 6 columns, none a list of floats", output);
        Assert.Matches(@"│ __index_level_0__ +│ int64 numbers", output);
        Assert.Matches(@"│ 3 +│ float32 numbers", output);
        Assert.Matches(@"│ shape +│ \(10, 4\)", output);
        Assert.Contains("its 4 float columns are read as one dimension each", output);
        Assert.Contains("--column 'PREFIX*'", output);

        (code, output, error) = Run("inspect", wide, "--json");
        Assert.Equal((0, ""), (code, error));
        var document = JsonNode.Parse(output)!;
        Assert.Equal(["__index_level_0__", "id", "0", "1", "2", "3"], document["columns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("[10,4]", document["embedding"]!["shape"]!.ToJsonString());
        Assert.Equal(".parquet", document["format"]!.GetValue<string>());  // the file's, as a file of one embedding says it
        Assert.Equal(rows.Average(r => r.Average(v => (double)v!.Value)), document["embedding"]!["mean"]!.GetValue<double>(), 1e-6);

        string tokens = TableWriter.TokenMatrixParquet(Path.Combine(dir, "tokens.parquet"));
        (code, output, error) = Run("inspect", tokens);
        Assert.Equal((0, ""), (code, error));
        Assert.Matches(@"│ tokens +│ lists of lists of float32 numbers", output);
        Assert.Contains("without --column it is refused: column 'tokens' holds a list of lists in each row", output);
    }

    /// <summary>
    /// A row group is read whole, and a read holds several times its values' 12 bytes (review 180: 42 bytes a float): the
    /// guard counts that, so a row group too large for the memory is refused up front with advice that works, a
    /// row_group_size that fits, rather than starting and failing late as "out of memory; try fewer rows".
    /// </summary>
    [Fact]
    public void ARowGroupTooLargeForMemoryIsRefusedNamingARowGroupSizeThatFits()
    {
        string dir = TestData.TempDir();
        var rows = Vectors(300, 64, 7).Select(r => r.ToArray()).ToArray();
        string big = TableWriter.Parquet(Path.Combine(dir, "big.parquet"), Ids(300), rows), other = Path.Combine(dir, "other.parquet");
        File.Copy(big, other);
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "before");
        // 19,200 floats: their arrays take 230 kB, which 1 MB allows, but a read holds about 1.1 MB.
        Outcome refused;
        using (MemoryBudget.Assume(1_000_000))
            refused = Run("rdx", big, other, "--out", outDir);
        refused.AssertBadInput("a row group is read whole: write the file with smaller ones, e.g. pyarrow.parquet.write_table(table, path, row_group_size=");
        Assert.Equal(["keep.txt"], Directory.GetFiles(outDir).Select(Path.GetFileName));

        int fits = int.Parse(refused.ErrorLines[0].Split("row_group_size=")[1].Split(')')[0]);
        Assert.InRange(fits, 2, 299);
        string small = TableWriter.Parquet(Path.Combine(dir, "small.parquet"), Ids(300), rows, groupRows: fits);
        Outcome read;
        using (MemoryBudget.Assume(1_000_000))
            read = Run("inspect", small);
        Assert.True(read.Code == 0, read.Stderr);
    }
}
