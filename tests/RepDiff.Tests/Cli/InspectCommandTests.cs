using System.Text.Json.Nodes;
using RepDiff.Cli;
using static RepDiff.Tests.IO.GoldenFileTests;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>`repdiff inspect` through the command line, and the plain progress lines.</summary>
public class InspectCommandTests
{
    [Theory]
    [InlineData("le_f4.npy")]
    [InlineData("nan_row2_f4.npy")]
    [InlineData("be_i8.npy")]
    public void JsonHasNumpysStatistics(string file)
    {
        var (code, output, error) = Run("inspect", Golden(file), "--json");
        Assert.Equal((0, ""), (code, error));
        var json = JsonNode.Parse(output)!.AsObject();
        var want = Expected["inspect"]![file]!;
        Assert.Equal(want["shape"]!.ToJsonString(), json["shape"]!.ToJsonString());
        Assert.Equal(want["dtype"]!.GetValue<string>(), json["dtype"]!.GetValue<string>());
        Assert.Equal(want["mean"]!.GetValue<double>(), json["mean"]!.GetValue<double>(), 1e-12);
        Assert.Equal(want["mean_row_norm"]!.GetValue<double>(), json["mean_row_norm"]!.GetValue<double>(), 1e-12);
        Assert.Equal(want["nan"]!.GetValue<int>(), json["nan"]!.GetValue<int>());
        Assert.Equal(want["inf"]!.GetValue<int>(), json["inf"]!.GetValue<int>());
    }

    /// <summary>inspect a.npy (or an .npz of several arrays) --id-column id showed the file as if no flag were given; the pair commands refuse it.</summary>
    [Fact]
    public void AnIdColumnOfAFileWithoutColumnsIsRefused()
    {
        var (code, output, error) = Run("inspect", Golden("le_f4.npy"), "--id-column", "id");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("error: --id-column id: le_f4.npy has no named columns; --id-column names a column of a .csv, .tsv, Parquet or Arrow file or a field of a JSON Lines file", error.Trim());
        // A file of several arrays listed them all, the flag ignored.
        (code, output, error) = Run("inspect", Golden("stored.npz"), "--id-column", "id");
        Assert.Equal((2, ""), (code, output));
        Assert.StartsWith("error: --id-column id: stored.npz has no named columns;", error);
    }

    /// <summary>The ids row names the column --id-column read them from: it had said "the file" for a table's or a CSV's column (helper 139).</summary>
    [Fact]
    public void TheIdsRowNamesTheIdColumn()
    {
        string dir = TestData.TempDir();
        string parquet = RepDiff.Tests.IO.TableWriter.Parquet(Path.Combine(dir, "t.parquet"), ["x", "y", "z"], [[1f, 2f], [3f, 4f], [5f, 6f]]);
        foreach (var (file, column) in new[] { (parquet, "id"), (Golden("with_ids.csv"), "id") })
        {
            var (code, output, error) = Run("inspect", file, "--id-column", column, "--json");
            Assert.True(code == 0, error);
            Assert.Equal($"column '{column}'", JsonNode.Parse(output)!["ids"]!.GetValue<string>());
        }
    }

    [Fact]
    public void EveryFormatCanBeInspected()
    {
        foreach (var (args, mean) in new[]
        {
            (new[] { Golden("stored.npz"), "--key", "labels" }, 1.8), // labels 3, 1, 3, 0, 2
            ([Golden("deflated.npz")], 0.75),
            ([Golden("all_dtypes.safetensors"), "--key", "bf16"], 0.75),
            ([Golden("with_ids.csv"), "--id-column", "id"], 0.75),
            ([Golden("plain.tsv")], 0.75),
        })
        {
            var (code, output, error) = Run(["inspect", .. args, "--json"]);
            Assert.True(code == 0, error);
            var json = JsonNode.Parse(output)!.AsObject();
            Assert.Equal(mean, json["mean"]!.GetValue<double>(), 1e-12);
            Assert.Equal(5, json["shape"]![0]!.GetValue<int>());
        }
    }

    [Fact]
    public void TableShowsTheSameNumbers()
    {
        var (code, output, _) = Run("inspect", Golden("le_f4.npy"));
        Assert.Equal(0, code);
        Assert.Contains("(5, 3)", output);
        Assert.Contains("float32", output);
        Assert.Contains("5.10455", output);
    }

    /// <summary>A float64 file whose every value is beyond float32 (±Inf once read) has no mean: the table said "NaN".</summary>
    [Fact]
    public void AFileWithoutAFiniteValueHasNoMeanInsteadOfNaN()
    {
        string path = Path.Combine(TestData.TempDir(), "huge64.npy");
        RepDiff.IO.Npy.Write(path, new[] { 1e300, -1e300, 2e300, -2e300 }, 2, 2);
        var (code, output, error) = Run("inspect", path);
        Assert.Equal((0, ""), (code, error));
        Assert.DoesNotMatch(@"mean( row norm)?\s+│\s+NaN", output);
        Assert.Contains("none (no finite value)", output);
    }

    [Fact]
    public void ALongPathIsPrintedWholeAboveTheTable()
    {
        // A table's own title is cut to the table's width ("/data/run-3/f…"), and this table is narrow.
        string dir = Path.Combine(TestData.TempDir(), "a-folder-name-longer-than-the-table-of-numbers", "and-another-one");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "embeddings-of-model-a.npy");
        File.Copy(Golden("le_f4.npy"), path);
        var (code, output, _) = Run("inspect", path);
        Assert.Equal(0, code);
        Assert.Equal(path, output.Split('\n')[0].TrimEnd());
    }

    [Fact]
    public void AKeyForAFileOfOneArrayIsExitCode2()
    {
        var (code, _, error) = Run("inspect", Golden("le_f4.npy"), "--key", "emb");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --key emb: le_f4.npy holds one array;", error);
    }

    [Fact]
    public void HelpWorks()
    {
        var (code, output, _) = Run("inspect", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--json", output);
    }

    [Fact]
    public void AFileOfSeveralArraysWithoutAKeyListsEveryArraysStatistics()
    {
        var (code, output, error) = Run("inspect", Golden("stored.npz"), "--json");
        Assert.Equal((0, ""), (code, error));
        var arrays = JsonNode.Parse(output)!["arrays"]!.AsArray();
        Assert.Equal(["emb", "labels"], arrays.Select(a => a!["key"]!.GetValue<string>()));
        Assert.Equal(0.75, arrays[0]!["mean"]!.GetValue<double>(), 1e-12);
        Assert.Equal(1.8, arrays[1]!["mean"]!.GetValue<double>(), 1e-12);  // labels 3, 1, 3, 0, 2

        (code, output, error) = Run("inspect", Golden("dict.pt"), "--json");
        Assert.Equal((0, ""), (code, error));
        Assert.Equal(["embeddings", "labels", "layers.0", "layers.1"], JsonNode.Parse(output)!["arrays"]!.AsArray().Select(a => a!["key"]!.GetValue<string>()));

        // A state dict holds tensors that are no embedding (a 3-D weight): its row says why, and the others are listed.
        string dir = Directory.CreateTempSubdirectory("repdiff-inspect").FullName;
        try
        {
            string path = Path.Combine(dir, "state.safetensors");
            var header = System.Text.Encoding.ASCII.GetBytes("""{"fc":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"conv":{"dtype":"F32","shape":[2,1,2],"data_offsets":[16,32]}}""");
            File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. new byte[32]]);
            (code, output, error) = Run("inspect", path);
            Assert.Equal((0, ""), (code, error));
            Assert.Contains("2 arrays (give --key NAME to inspect one, and to use it as an input)", output);
            Assert.Matches(@"│ fc +│ \(2, 2\) +│ float32 +│ 0 ", output);
            (code, output, error) = Run("inspect", path, "--json");
            var conv = JsonNode.Parse(output)!["arrays"]![1]!;
            Assert.Equal(("conv", "expected a 2-D array (samples × dimensions), found shape (2, 1, 2)"), (conv["key"]!.GetValue<string>(), conv["problem"]!.GetValue<string>()));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void AnArchiveWhoseArraysAreBrokenListsEachWithWhy()
    {
        // A .pt of a good tensor, one whose view begins before its storage (an internal error when deflated, stored
        // bytes before the data read as values when stored) and one whose stored data fails the zip's CRC-32.
        string dir = Directory.CreateTempSubdirectory("repdiff-inspect").FullName;
        try
        {
            string path = Path.Combine(dir, "state.pt");
            RepDiff.Tests.IO.HandTorch.Save(path, ("good", [1, 2, 3, 4, 5, 6], 0, 2, 3), ("early", [7, 8, 9, 10, 11, 12], -3, 2, 3),
                ("flipped", [13, 14, 15, 16, 17, 18], 0, 2, 3));
            var bytes = File.ReadAllBytes(path);
            bytes[bytes.AsSpan().IndexOf(System.Runtime.InteropServices.MemoryMarshal.AsBytes<float>([13, 14, 15]))] ^= 1;
            File.WriteAllBytes(path, bytes);

            var (code, output, error) = Run("inspect", path, "--json");
            Assert.Equal((0, ""), (code, error));
            var arrays = JsonNode.Parse(output)!["arrays"]!.AsArray();
            Assert.Equal(["good", "early", "flipped"], arrays.Select(a => a!["key"]!.GetValue<string>()));
            Assert.Equal(3.5, arrays[0]!["mean"]!.GetValue<double>(), 1e-12);
            Assert.Equal("its view (offset -3, 6 values) begins before its storage of 6 values", arrays[1]!["problem"]!.GetValue<string>());
            Assert.Equal("corrupt record x/data/2 (its data does not match the zip's CRC-32)", arrays[2]!["problem"]!.GetValue<string>());
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>
    /// A safetensors checkpoint holding an FP8 tensor beside float ones (a quantized model's weights and their scales) had
    /// been refused whole ("unsupported safetensors dtype 'F8_E4M3'") by inspect and by --key of any of its tensors: the
    /// listing now shows the FP8 one with why, and the others are read.
    /// </summary>
    [Fact]
    public void ASafetensorsFileWithAnFp8TensorListsItWithWhyAndReadsTheOthers()
    {
        string dir = TestData.TempDir();
        string header = "{\"emb\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 16]}, "
            + "\"w_fp8\": {\"dtype\": \"F8_E4M3\", \"shape\": [2, 3], \"data_offsets\": [16, 22]}}";
        header += new string(' ', (8 - header.Length % 8) % 8);
        string path = Path.Combine(dir, "quantized.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)header.Length), .. System.Text.Encoding.ASCII.GetBytes(header),
            .. System.Runtime.InteropServices.MemoryMarshal.AsBytes<float>([1, 2, 3, 6]), 0x38, 0x40, 0x44, 0x48, 0x4C, 0x50]);

        var (code, output, error) = Run("inspect", path, "--json");
        Assert.Equal((0, ""), (code, error));
        var arrays = JsonNode.Parse(output)!["arrays"]!.AsArray();
        Assert.Equal(["emb", "w_fp8"], arrays.Select(a => a!["key"]!.GetValue<string>()));
        Assert.Equal(3.0, arrays[0]!["mean"]!.GetValue<double>(), 1e-12);
        Assert.Equal("unsupported safetensors dtype 'F8_E4M3' (F16, BF16, F32, F64, I8-I64, U8-U64 and BOOL are read)", arrays[1]!["problem"]!.GetValue<string>());

        Assert.Equal(0, Run("inspect", path, "--key", "emb").Code);
        Run("inspect", path, "--key", "w_fp8").AssertBadInput($"{path}[w_fp8]: unsupported safetensors dtype 'F8_E4M3'");
    }

    /// <summary>Rows of width d with distinct values (row i, column j: i − j/4 + offset), as a table stores them.</summary>
    private static float?[]?[] Lists(int n, int d, float offset) =>
        Enumerable.Range(0, n).Select(i => Enumerable.Range(0, d).Select(j => (float?)(i - j / 4f + offset)).ToArray()).ToArray();

    private static readonly string[] FiveIds = ["a", "b", "c", "d", "e"];

    /// <summary>
    /// A Hugging Face dataset of image and text embeddings (and a third list column) beside its ids, as Parquet and as
    /// Arrow: inspect without --column lists every column, the float lists with the numbers --column shows for each.
    /// </summary>
    [Theory]
    [InlineData(".parquet")]
    [InlineData(".arrow")]
    public void ATableOfSeveralFloatListColumnsListsEachWithItsStatistics(string extension)
    {
        string path = Path.Combine(TestData.TempDir(), "pairs" + extension);
        var (image, text, audio) = (Lists(5, 4, 0), Lists(5, 3, 10), Lists(5, 2, -3));
        if (extension == ".parquet")
            RepDiff.Tests.IO.TableWriter.ParquetTable(path, FiveIds, ("image_embeds", image), ("text_embeds", text), ("audio_embeds", audio));
        else
            RepDiff.Tests.IO.TableWriter.ArrowTable(path, ("id", new Apache.Arrow.StringArray.Builder().AppendRange(FiveIds).Build()),
                ("image_embeds", RepDiff.Tests.IO.TableWriter.FloatLists(image)),
                ("text_embeds", RepDiff.Tests.IO.TableWriter.FloatLists(text, RepDiff.Tests.IO.TableWriter.ListKind.FixedSize)),
                ("audio_embeds", RepDiff.Tests.IO.TableWriter.FloatLists(audio, RepDiff.Tests.IO.TableWriter.ListKind.LargeList)));

        var (code, output, error) = Run("inspect", path, "--json");
        Assert.Equal((0, ""), (code, error));
        var listing = JsonNode.Parse(output)!.AsObject();
        Assert.Equal(path, listing["file"]!.GetValue<string>());
        var arrays = listing["arrays"]!.AsArray();
        Assert.Equal(["id", "image_embeds", "text_embeds", "audio_embeds"], arrays.Select(a => a!["key"]!.GetValue<string>()));
        Assert.Equal("not an embedding: strings, not lists of floats", arrays[0]!["problem"]!.GetValue<string>());
        foreach (var (row, values) in arrays.Skip(1).Zip(new[] { image, text, audio }))
        {
            string column = row!["key"]!.GetValue<string>();
            Assert.Equal($"[5,{values[0]!.Length}]", row["shape"]!.ToJsonString());
            Assert.Equal("float32", row["dtype"]!.GetValue<string>());
            Assert.Equal(values.SelectMany(r => r!).Average(v => (double)v!.Value), row["mean"]!.GetValue<double>(), 1e-9);
            // The same numbers as inspecting the column alone.
            (code, output, error) = Run("inspect", path, "--column", column, "--json");
            Assert.Equal((0, ""), (code, error));
            var alone = JsonNode.Parse(output)!.AsObject();
            Assert.Equal($"{path} (column '{column}')", alone["file"]!.GetValue<string>());
            alone.Remove("file");
            Assert.Equal(Path.GetExtension(path), alone["format"]!.GetValue<string>());
            alone.Remove("format");  // the file's, said once above the listing's columns
            var listed = row.DeepClone().AsObject();
            listed.Remove("key");
            Assert.Equal(alone.ToJsonString(), listed.ToJsonString());
        }

        (code, output, error) = Run("inspect", path);
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("4 columns (give --column NAME to inspect one, and to use it as an input)", output);
        Assert.Matches(@"│ column +│ shape +│ dtype +│ mean ", output);
        Assert.Matches(@"│ id +│ +│ +│ not an embedding: strings, not lists of floats", output);
        Assert.Matches(@"│ image_embeds +│ \(5, 4\) +│ float32 +│ 1\.625 +│", output); // mean of i − j/4: 2 − 0.375
        Assert.Matches(@"│ text_embeds +│ \(5, 3\) +│ float32 +│ 11\.75 +│", output);
    }

    /// <summary>
    /// The methods do not guess between float-list columns: they refuse naming them and --column, before any output; with
    /// --id-column inspect means one column too, and says the same.
    /// </summary>
    [Fact]
    public void MethodsRefuseATableOfSeveralFloatListColumnsNamingThemAndColumn()
    {
        string dir = TestData.TempDir();
        string a = RepDiff.Tests.IO.TableWriter.ParquetTable(Path.Combine(dir, "a.parquet"), FiveIds, ("image_embeds", Lists(5, 4, 0)), ("text_embeds", Lists(5, 3, 1)));
        string b = RepDiff.Tests.IO.TableWriter.ParquetTable(Path.Combine(dir, "b.parquet"), FiveIds, ("image_embeds", Lists(5, 4, 2)), ("text_embeds", Lists(5, 3, 3)));
        string refusal = $"error: {a}: has 2 float-list columns; choose one with --column (float-list columns: image_embeds, text_embeds)";
        foreach (var method in new[] { "rdx", "spec", "compare" })
        {
            string outDir = Path.Combine(dir, "out-" + method);
            var (code, output, error) = Run(method, a, b, "--out", outDir);
            Assert.Equal((2, refusal), (code, error.Trim()));
            Assert.False(Directory.Exists(outDir));
        }
        var (inspectCode, _, inspectError) = Run("inspect", a, "--id-column", "id");
        Assert.Equal((2, refusal), (inspectCode, inspectError.Trim()));
        // --column picks one; the other column's values are not read.
        Assert.Equal(Lists(5, 3, 1)[4]![2]!.Value, RepDiff.IO.Embeddings.Load(a, "text_embeds")[4, 2]);

        // A table of one float-list column needs no --column: inspect shows that column as before.
        string one = RepDiff.Tests.IO.TableWriter.ParquetTable(Path.Combine(dir, "one.parquet"), FiveIds, ("emb", Lists(5, 4, 0)));
        var (oneCode, oneOutput, oneError) = Run("inspect", one, "--json");
        Assert.Equal((0, ""), (oneCode, oneError));
        Assert.Equal("[5,4]", JsonNode.Parse(oneOutput)!["shape"]!.ToJsonString());
    }

    /// <summary>
    /// In a listing, a column that cannot be an embedding is described, not an error: ragged lists, a column of null
    /// lists, a column of the null type, lists of integers. Asked for with --column, a bad column is exit 2.
    /// </summary>
    [Fact]
    public void ATableListingDescribesColumnsThatAreNoEmbedding()
    {
        string dir = TestData.TempDir();
        var ragged = Lists(5, 4, 0);
        ragged[2] = [1, 2, 3];
        var nulls = new float?[]?[5];
        string parquet = RepDiff.Tests.IO.TableWriter.ParquetTable(Path.Combine(dir, "t.parquet"), FiveIds,
            ("good", Lists(5, 2, 0)), ("ragged", ragged), ("nulls", nulls));
        var ints = new Apache.Arrow.ListArray.Builder(Apache.Arrow.Types.Int64Type.Default);
        for (int i = 0; i < 5; i++) { ints.Append(); ((Apache.Arrow.Int64Array.Builder)ints.ValueBuilder).Append(i); }
        string arrow = RepDiff.Tests.IO.TableWriter.ArrowTable(Path.Combine(dir, "t.arrow"),
            ("id", new Apache.Arrow.StringArray.Builder().AppendRange(FiveIds).Build()), ("good", RepDiff.Tests.IO.TableWriter.FloatLists(Lists(5, 2, 0))),
            ("ragged", RepDiff.Tests.IO.TableWriter.FloatLists(ragged)), ("nulls", RepDiff.Tests.IO.TableWriter.FloatLists(nulls)),
            ("nothing", new Apache.Arrow.NullArray(5)), ("labels", ints.Build()));
        string raggedProblem = "row 2 has 3 values but row 0 has 4; every row needs the same number of values (ragged lists are not embeddings)";
        foreach (var (path, problems) in new[]
        {
            (parquet, new[] { "not an embedding: strings, not lists of floats", null, raggedProblem, "row 0 is null; every row needs a list of numbers" }),
            (arrow, new[] { "not an embedding: strings, not lists of floats", null, raggedProblem, "row 0 is null; every row needs a list of numbers",
                "not an embedding: nulls, not lists of floats", "not an embedding: lists of int64 numbers, not lists of floats" }),
        })
        {
            var (code, output, error) = Run("inspect", path, "--json");
            Assert.Equal((0, ""), (code, error));
            var arrays = JsonNode.Parse(output)!["arrays"]!.AsArray();
            Assert.Equal(problems, arrays.Select(a => a!["problem"]?.GetValue<string>()));
            Assert.Equal("[5,2]", arrays[1]!["shape"]!.ToJsonString());

            (code, output, error) = Run("inspect", path, "--column", "ragged");
            Assert.Equal((2, ""), (code, output));
            Assert.Equal($"error: {path} (column 'ragged'): {raggedProblem}", error.Trim());
        }
        var (idCode, _, idError) = Run("inspect", arrow, "--column", "id");
        Assert.Equal(2, idCode);
        Assert.Equal($"error: {arrow}: column 'id' is not a list of floating-point values (float-list columns: good, ragged, nulls)", idError.Trim());
    }

    /// <summary>An empty table lists its float-list columns with no rows and no mean; a method refuses its zero rows.</summary>
    [Fact]
    public void AnEmptyTableListsItsColumnsWithZeroRows()
    {
        string dir = TestData.TempDir();
        string path = RepDiff.Tests.IO.TableWriter.ArrowTable(Path.Combine(dir, "empty.arrow"),
            ("id", new Apache.Arrow.StringArray.Builder().Build()), ("image_embeds", RepDiff.Tests.IO.TableWriter.FloatLists([])),
            ("text_embeds", RepDiff.Tests.IO.TableWriter.FloatLists([])));
        var (code, output, error) = Run("inspect", path, "--json");
        Assert.Equal((0, ""), (code, error));
        var arrays = JsonNode.Parse(output)!["arrays"]!.AsArray();
        foreach (var row in arrays.Skip(1))
            Assert.Equal(("[0,0]", null), (row!["shape"]!.ToJsonString(), row["mean"]?.GetValue<double>()));
        (code, output, error) = Run("inspect", path);
        Assert.Matches(@"│ image_embeds +│ \(0, 0\) +│ float32 +│ none \(no finite value\)", output);

        string outDir = Path.Combine(dir, "out");
        (code, _, error) = Run("rdx", path, path, "--column-a", "image_embeds", "--column-b", "text_embeds", "--out", outDir);
        Assert.Equal((2, $"error: {path} (column 'image_embeds'): has zero rows (shape (0, 0)): it holds no samples; save the array after the embeddings are filled in"), (code, error.Trim()));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void PlainProgressPrintsEachStageAndEveryQuarter()
    {
        var lines = new StringWriter();
        var progress = new ProgressDisplay.PlainProgress(lines);
        foreach (double f in new[] { 0, 0.1, 0.2, 0.3, 0.6, 0.7, 1.0 }) progress.Report(new ProgressUpdate("kernel", f));
        progress.Report(new ProgressUpdate("eigen", 0.5));
        var n = Environment.NewLine;
        Assert.Equal($"kernel: 0%{n}kernel: 30%{n}kernel: 60%{n}kernel: 100%{n}eigen: 50%{n}", lines.ToString());
    }

    /// <summary>
    /// A slow stage prints between its quarters once the interval has passed and it has moved, with the time left at its pace:
    /// spec-align on 10 × 10,000 had shown "aligning: 0%" alone for two minutes (review 174). A fast stage prints as before.
    /// </summary>
    [Fact]
    public void PlainProgressOfASlowStagePrintsBetweenQuartersWithTheTimeLeft()
    {
        var lines = new StringWriter();
        double t = 0;
        var progress = new ProgressDisplay.PlainProgress(lines, () => false, () => t);
        progress.Report(new ProgressUpdate("aligning", 0));
        t = 10; progress.Report(new ProgressUpdate("aligning", 0.01));   // before the interval: no line
        t = 20; progress.Report(new ProgressUpdate("aligning", 0.02));   // 20 s for 2%: 980 s left
        t = 40; progress.Report(new ProgressUpdate("aligning", 0.02));   // has not moved: no line
        t = 50; progress.Report(new ProgressUpdate("aligning", 0.10));   // 50 s for 10%: 450 s left
        t = 51; progress.Report(new ProgressUpdate("aligning", 0.25));   // a quarter, at once
        var n = Environment.NewLine;
        Assert.Equal($"aligning: 0%{n}aligning: 2% (about 17 min left){n}aligning: 10% (about 8 min left){n}aligning: 25%{n}", lines.ToString());
        Assert.Equal("45 s", ProgressDisplay.PlainProgress.Remaining(44.2));
        Assert.Equal("1.5 h", ProgressDisplay.PlainProgress.Remaining(5400));
    }

    /// <summary>
    /// Once a signal is stopping the run, no progress line follows: the work goes on until the process exits, and a log had
    /// ended "stopped by SIGTERM: …" and then "rdx: k-means: 0%", as if the run had gone on (helper h150).
    /// </summary>
    [Fact]
    public void PlainProgressEndsOnceTheRunIsStopping()
    {
        var lines = new StringWriter();
        bool stopping = false;
        var progress = new ProgressDisplay.PlainProgress(lines, () => stopping);
        progress.Report(new ProgressUpdate("rdx: eigensolver", 1));
        stopping = true;
        progress.Report(new ProgressUpdate("rdx: k-means", 0));
        Assert.Equal($"rdx: eigensolver: 100%{Environment.NewLine}", lines.ToString());
    }

    [Fact]
    public void PlainProgressOfInterleavedStagesPrintsEachQuarterOnceAndARestartAgain()
    {
        var lines = new StringWriter();
        var progress = new ProgressDisplay.PlainProgress(lines);
        // A's and B's stages report alternately, as when both run at once, then A's stage starts again.
        foreach (double f in new[] { 0, 0.01, 0.02, 0.3, 0.31 })
        {
            progress.Report(new ProgressUpdate("sae on a", f));
            progress.Report(new ProgressUpdate("sae on b", f));
        }
        progress.Report(new ProgressUpdate("sae on a", 0));
        var n = Environment.NewLine;
        Assert.Equal($"sae on a: 0%{n}sae on b: 0%{n}sae on a: 30%{n}sae on b: 30%{n}sae on a: 0%{n}", lines.ToString());
    }

    /// <summary>
    /// A file of no finite value has no mean row norm (it read 0 beside a null mean); a float64 beyond float32's range,
    /// counted among the infinite values because rows are read as float32, is said to be so.
    /// </summary>
    [Fact]
    public void StatisticsOfValuesThatAreNotFiniteSayWhatTheyCount()
    {
        string dir = TestData.TempDir();
        string nan = Path.Combine(dir, "nan.npy");
        RepDiff.IO.Npy.Write(nan, new Matrix(3, 4, Enumerable.Repeat(float.NaN, 12).ToArray()));
        var json = JsonNode.Parse(Run("inspect", nan, "--json").Stdout)!;
        Assert.Null(json["mean"]);
        Assert.Null(json["mean_row_norm"]);
        string wide = Path.Combine(dir, "wide.npy");
        double[] values = [1, 1e39, 2, 3];
        RepDiff.IO.AtomicFile.Write(wide, stream => RepDiff.IO.Npy.WriteRaw(stream, "<f8", [2, 2], System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())));
        Assert.Contains("Inf (or beyond float32's ±3.4e38) │ 1", Run("inspect", wide).Stdout);
    }

    /// <summary>
    /// One matrix holding 1e39 (finite as the file holds it, beyond float32) and one holding NaN, in each format that can
    /// hold them: `inspect` counts them in every one (a CSV's 1e39 had been refused, a JSON Lines file's counted under a
    /// plain "Inf"), and a method refuses each in the same words, naming the place as the format has it.
    /// </summary>
    [Fact]
    public void EveryFormatCountsValuesBeyondFloat32AndMethodsRefuseThemAlike()
    {
        string dir = TestData.TempDir();
        var (_, b, _) = SmallPair(dir, rows: 3);
        double[] wide = [1, 2, 3, 1e39, 5, 6];
        double[] nan = [1, 2, 3, double.NaN, 5, 6];
        string npy = Path.Combine(dir, "wide.npy"), h5 = Path.Combine(dir, "wide.h5");
        RepDiff.IO.AtomicFile.Write(npy, stream => RepDiff.IO.Npy.WriteRaw(stream, "<f8", [3, 2], System.Runtime.InteropServices.MemoryMarshal.AsBytes(wide.AsSpan())));
        new PureHDF.H5File { ["x"] = new double[3, 2] { { 1, 2 }, { 3, 1e39 }, { 5, 6 } } }.Write(h5);
        // Parquet and Arrow float64 lists too: they had been refused as "row 1 column 1 is Inf; values must be finite".
        double[][] rows = [[1, 2], [3, 1e39], [5, 6]];
        string parquet = RepDiff.Tests.IO.TableWriter.DoubleLists(Path.Combine(dir, "wide.parquet"), rows);
        string arrow = RepDiff.Tests.IO.TableWriter.DoubleLists(Path.Combine(dir, "wide.arrow"), rows);
        string csv = WriteText(dir, "wide.csv", "1,2\n3,1e39\n5,6\n"), tsv = WriteText(dir, "wide.tsv", "a\tb\n1\t2\n3\t1e39\n5\t6\n");
        string jsonl = WriteText(dir, "wide.jsonl", "[1, 2]\n[3, 1e39]\n[5, 6]\n");
        // What a method's refusal names: the file (and a table's column) and the place as the format has it.
        var files = new (string File, string Where)[]
        {
            (csv, $"{csv}: line 2 column 2 is 1e39"),
            (tsv, $"{tsv}: line 3 column 2 is 1e39"),
            (jsonl, $"{jsonl}: line 2 value 1 is 1e39"),
            (npy, $"{npy}: row 1 column 1 is 1E+39"),
            (h5, $"{h5}: row 1 column 1 is 1E+39"),
            (parquet, $"{parquet} (column 'emb'): row 1 column 1 is 1E+39"),
            (arrow, $"{arrow} (column 'emb'): row 1 column 1 is 1E+39"),
        };
        foreach (var (file, where) in files)
        {
            var (code, output, error) = Run("inspect", file);
            Assert.True(code == 0, $"{file}: {error}");
            Assert.Contains("Inf (or beyond float32's ±3.4e38) │ 1 ", output);
            var json = JsonNode.Parse(Run("inspect", file, "--json").Stdout)!;
            Assert.Equal((1, true), (json["inf"]!.GetValue<long>(), json["inf_includes_beyond_float32"]!.GetValue<bool>()));
            Run("metrics", file, b, "--out", Path.Combine(dir, "out")).AssertBadInput($"{where}, beyond the float32 range (±3.4e38) RepDiff computes in; scale the data down");
        }
        Assert.False(JsonNode.Parse(Run("inspect", b, "--json").Stdout)!["inf_includes_beyond_float32"]!.GetValue<bool>());
        string nanNpy = Path.Combine(dir, "nan.npy");
        RepDiff.IO.AtomicFile.Write(nanNpy, stream => RepDiff.IO.Npy.WriteRaw(stream, "<f8", [3, 2], System.Runtime.InteropServices.MemoryMarshal.AsBytes(nan.AsSpan())));
        foreach (var (file, place) in new[] { (WriteText(dir, "nan.csv", "x,y\n1,2\n3,NaN\n5,6\n"), "line 3 column 2 is NaN"), (nanNpy, "row 1 column 1 is NaN") })
        {
            Assert.Equal(1, JsonNode.Parse(Run("inspect", file, "--json").Stdout)!["nan"]!.GetValue<long>());
            Run("metrics", file, b, "--out", Path.Combine(dir, "out")).AssertBadInput($"{file}: {place}; values must be finite");
        }
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    /// <summary>
    /// A .pt of dicts each holding the one below twice (pickle's memo shares it): 2^levels paths from a few hundred bytes.
    /// Before, inspect opened each path by a search through all of them: 16 levels (2.6 KB) ran past a minute, 20 levels took 485 MB.
    /// </summary>
    [Fact]
    public void SharedDictsInAPtAreListedUpToALimitOrRefused()
    {
        string dir = TestData.TempDir();
        var storage = Enumerable.Range(0, 12).Select(i => (float)i).ToArray();
        string listed = Path.Combine(dir, "shared14.pt"), refused = Path.Combine(dir, "shared20.pt");
        RepDiff.Tests.IO.HandTorch.SaveSharedDicts(listed, 14, storage, 4, 3);
        RepDiff.Tests.IO.HandTorch.SaveSharedDicts(refused, 20, storage, 4, 3);

        var (code, output, error) = Run("inspect", listed, "--json");
        Assert.Equal((0, ""), (code, error));
        var listing = JsonNode.Parse(output)!.AsObject();
        var arrays = listing["arrays"]!.AsArray();
        Assert.Equal(InspectCommand.MaxListed, arrays.Count);
        Assert.Equal((1 << 14) - InspectCommand.MaxListed, listing["arrays_not_listed"]!.GetValue<int>());
        Assert.Equal(string.Join(".", Enumerable.Repeat("a", 14)) + ".t", arrays[0]!["key"]!.GetValue<string>());
        Assert.Equal("[4,3]", arrays[0]!["shape"]!.ToJsonString());
        (code, output, error) = Run("inspect", listed);
        Assert.Equal((0, ""), (code, error));
        Assert.Contains($"16,384 arrays; the first 1,000 listed, 15,384 more not (give --key NAME", output.ReplaceLineEndings(" "));
        // The last path, never listed, is still found by its key.
        (code, output, error) = Run("inspect", listed, "--key", string.Join(".", Enumerable.Repeat("b", 14)) + ".t", "--json");
        Assert.Equal((0, ""), (code, error));

        (code, output, error) = Run("inspect", refused);
        Assert.Equal((2, ""), (code, output));
        Assert.Equal($"error: {refused}: reaches more than {RepDiff.IO.TorchFile.MaxPaths:N0} values through dicts and lists (they share parts, each level doubling the paths)", error.Trim());
    }

    /// <summary>An .npz of thousands of arrays: each opened by a lookup of its key (a search per key took 55 s for 50,000), the listing bounded.</summary>
    [Fact]
    public void AnNpzOfManyArraysListsTheFirstAndCountsTheRest()
    {
        string dir = TestData.TempDir();
        string one = Path.Combine(dir, "one.npy"), path = Path.Combine(dir, "many.npz");
        RepDiff.IO.Npy.Write(one, [1f, 2f, 3f, 4f], 2, 2);
        byte[] array = File.ReadAllBytes(one);
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
            for (int i = 0; i < 1500; i++)
                using (var entry = zip.CreateEntry($"e{i}.npy", System.IO.Compression.CompressionLevel.NoCompression).Open())
                    entry.Write(array);

        var (code, output, error) = Run("inspect", path, "--json");
        Assert.Equal((0, ""), (code, error));
        var listing = JsonNode.Parse(output)!.AsObject();
        Assert.Equal(Enumerable.Range(0, InspectCommand.MaxListed).Select(i => $"e{i}"), listing["arrays"]!.AsArray().Select(a => a!["key"]!.GetValue<string>()));
        Assert.Equal(500, listing["arrays_not_listed"]!.GetValue<int>());
        // Both spellings of a key still find it: numpy's name and the entry's.
        foreach (string key in new[] { "e1499", "e1499.npy" })
        {
            (code, output, error) = Run("inspect", path, "--key", key, "--json");
            Assert.Equal((0, ""), (code, error));
            Assert.Equal(2.5, JsonNode.Parse(output)!["mean"]!.GetValue<double>(), 1e-12);
        }
    }
}
