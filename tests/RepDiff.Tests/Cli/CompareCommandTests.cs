using System.Globalization;
using System.Text.Json.Nodes;
using RepDiff.Demo;
using RepDiff.IO;
using RepDiff.Methods;
using RepDiff.Trust;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

public class CompareCommandTests
{
    private static readonly Lazy<Optdigits> Digits = new(() => Optdigits.Load(Optdigits.FindDataFile()));

    /// <summary>Writes a small digits pair (A = pixels, B = pixels squared) with labels and pixel images.</summary>
    private static (string A, string B, string Labels, string Images, int N) WriteInputs(string dir)
    {
        var digits = Digits.Value.Where(d => d is 0 or 1 or 7);
        var subset = Enumerable.Range(0, 150).ToArray();
        var a = digits.AsMatrix().SelectRows(subset);
        var b = new Matrix(a.Rows, a.Cols);
        for (int i = 0; i < a.Data.Length; i++) b.Data[i] = a.Data[i] * a.Data[i];
        string pathA = Path.Combine(dir, "a.npy"), pathB = Path.Combine(dir, "b.npy");
        Npy.Write(pathA, a);
        Npy.Write(pathB, b);
        string labels = Path.Combine(dir, "labels.txt");
        File.WriteAllLines(labels, subset.Select(i => digits.Labels[i].ToString()));
        var pixels = new Matrix(subset.Length, 64, digits.AsMatrix().SelectRows(subset).Data);
        string images = Path.Combine(dir, "images.npy");
        Npy.Write(images, pixels.Data, subset.Length, 8, 8);
        return (pathA, pathB, labels, images, subset.Length);
    }

    [Fact]
    public void TheDocumentNamesEveryInputFileGiven()
    {
        // --ids and --metadata shape the samples a comparison describes; results.json named neither.
        string dir = TestData.TempDir();
        var (a, b, _, _, n) = WriteInputs(dir);
        string ids = Path.Combine(dir, "ids.txt"), metadata = Path.Combine(dir, "meta.csv"), outDir = Path.Combine(dir, "out");
        File.WriteAllLines(ids, Enumerable.Range(0, n).Select(i => $"s{i}"));
        File.WriteAllLines(metadata, ["id,group", .. Enumerable.Range(0, n).Select(i => $"s{i},g{i % 3}")]);
        var (code, _, stderr) = Run("compare", a, b, "--ids", ids, "--metadata", metadata, "--methods", "pca", "--out", outDir);
        Assert.True(code == 0, stderr);
        var inputs = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["inputs"]!;
        Assert.Equal("ids.txt", inputs["ids"]!.GetValue<string>());
        Assert.Equal("meta.csv", inputs["metadata"]!.GetValue<string>());
        Assert.Null(inputs["labels"]);
    }

    [Fact]
    public void CompareWritesTheComparisonDocumentAndReport()
    {
        string dir = TestData.TempDir();
        var (a, b, labels, _, n) = WriteInputs(dir);
        string method = MethodRegistry.Default.PairMethods.First().Name;
        string outDir = Path.Combine(dir, "out");
        var (code, stdout, stderr) = Run("compare", a, b, "--labels", labels, "--methods", method, "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("report.html", stdout);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!.AsObject();
        Assert.Equal("comparison", json["kind"]!.GetValue<string>());
        Assert.Equal(n, json["n"]!.GetValue<int>());
        Assert.Equal(64, json["dimensions"]!["a"]!.GetValue<int>());
        Assert.Equal("a.npy", json["inputs"]!["a"]!.GetValue<string>());
        Assert.InRange(json["context"]!["linear_cka"]!.GetValue<double>(), 0, 1);
        Assert.InRange(json["context"]!["mutual_knn"]!.GetValue<double>(), 0, 1);
        var explanations = ResultsFile.Read(Path.Combine(outDir, "results.json")).Explanations;
        Assert.Equal(method, Assert.Single(explanations).Method);
        var table = json["bsr_table"]!.AsArray();
        Assert.Contains(table, row => row!["direction"]!.GetValue<string>() == "mean" && row["silb"] is not null);
        Assert.Contains("<article class=\"card\"", File.ReadAllText(Path.Combine(outDir, "report.html")));
        // The terminal gives each direction's BSR beside its chance level, and the finding in words.
        foreach (var row in table.Where(r => r!["direction"]!.GetValue<string>() != "mean"))
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{row!["silb"]!.GetValue<double>():F3} ({row["silb_chance"]!.GetValue<double>():F3})"), stdout);
        Assert.Contains($"finding: {method}: ", stdout);
        // Mutual k-NN beside the overlap random neighbours have (k/(n − 1)), as the report and `metrics` give it.
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"mutual_knn {json["context"]!["mutual_knn"]!.GetValue<double>():F3} (random neighbours {10.0 / (n - 1):F3})"), stdout);
        // results.json holds the same findings in words, by method.
        Assert.Contains(json["findings"]![method]!["summary"]!.GetValue<string>(), stdout);
        Assert.Equal(2, json["findings"]![method]!["directions"]!.AsObject().Count);
    }

    /// <summary>
    /// The report leads with the finding the terminal ends with (the best-ranked method's line): a report opened or shared
    /// without the terminal had only the fourteen direction sentences of seven methods, and no word of which one ranked first.
    /// </summary>
    [Fact]
    public void TheReportLeadsWithTheTerminalsFinding()
    {
        string dir = TestData.TempDir();
        var (a, b, labels, _, _) = WriteInputs(dir);
        string outDir = Path.Combine(dir, "out");
        var (code, stdout, stderr) = Run("compare", a, b, "--labels", labels, "--methods", "rdx,kmeans", "--out", outDir);
        Assert.True(code == 0, stderr);
        string finding = stdout.Split('\n').Single(l => l.StartsWith("finding: ", StringComparison.Ordinal))["finding: ".Length..].TrimEnd();
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        var headline = System.Text.RegularExpressions.Regex.Match(html, "<p class=\"headline\">(.*?)</p>");
        Assert.True(headline.Success, "the report has no headline finding");
        string text = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(headline.Groups[1].Value, "<[^>]+>", ""));
        Assert.EndsWith(" " + finding, text);
    }

    /// <summary>
    /// Against a representation whose rows are all the same, the context's CKA and mutual k-NN are undefined: results.json
    /// holds null and a note, the terminal and the report say "undefined" (CKA used to read 0, a similarity it does not have).
    /// </summary>
    [Fact]
    public void ContextAgainstAConstantRepresentationIsUndefined()
    {
        string dir = TestData.TempDir();
        var (a, _, _, _, n) = WriteInputs(dir);
        string constant = Path.Combine(dir, "constant.npy");
        var rows = new Matrix(n, 4);
        Array.Fill(rows.Data, -1.5f);
        Npy.Write(constant, rows);
        string outDir = Path.Combine(dir, "out");
        // sae, which takes constant rows: k-means now refuses more clusters than distinct rows (review 174, finding 10).
        var (code, stdout, stderr) = Run("compare", a, constant, "--methods", "sae", "--out", outDir);
        Assert.True(code == 0, stderr);
        var context = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["context"]!.AsObject();
        foreach (string key in new[] { "linear_cka", "mutual_knn" })
        {
            Assert.True(context.ContainsKey(key) && context[key] is null, $"{key} is {context[key]}, not null");
            Assert.Equal("undefined: every row of constant.npy is the same, so it has no variance", context[key + "_note"]!.GetValue<string>());
        }
        Assert.Contains("context: linear_cka undefined, mutual_knn undefined", stdout);
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("linear CKA <b>undefined</b>", html);
        Assert.Contains("every row of constant.npy is the same", html);
    }

    [Fact]
    public void UnknownMethodIsBadInput()
    {
        string dir = TestData.TempDir();
        var (a, b, _, _, _) = WriteInputs(dir);
        var (code, _, stderr) = Run("compare", a, b, "--methods", "nosuchmethod", "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, code);
        Assert.Contains("unknown method 'nosuchmethod'", stderr);
    }

    /// <summary>a.npy and b.npy in dir: rows × 4 uniform values each, seeded.</summary>
    private static (string A, string B) UniformPair(string dir, int rows, int seed)
    {
        var rng = new Random(seed);
        string Write(string name)
        {
            var m = new Matrix(rows, 4);
            for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)rng.NextDouble();
            string path = Path.Combine(dir, name);
            Npy.Write(path, m);
            return path;
        }
        return (Write("a.npy"), Write("b.npy"));
    }

    [Fact]
    public void AMethodNamedForAPairItDoesNotApplyToSaysWhy()
    {
        // KODA runs in compare up to 1,000 samples: naming it for 1,100 says so and where to go, before any work.
        string dir = TestData.TempDir();
        var (a, b) = UniformPair(dir, 1100, seed: 6);
        var (code, _, stderr) = Run("compare", a, b, "--methods", "rdx,koda", "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, code);
        Assert.Equal("error: --methods: koda: compare runs it on at most 1,000 samples (an n×n eigensolve for every λ of its search), "
            + "and there are 1,100; run `repdiff koda` (with --kernel cosine its features route is linear in n)", stderr.Trim());
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public void ADefaultMethodThatDoesNotApplyIsNamedNotDroppedSilently()
    {
        // 1,001 samples: KODA (at most 1,000 in compare) is left out of the defaults, and the warning, the report and
        // results.json say so with why.
        string dir = TestData.TempDir();
        var (a, b) = UniformPair(dir, 1001, seed: 7);
        string outDir = Path.Combine(dir, "out");
        var (code, _, stderr) = Run("compare", a, b, "--out", outDir);
        Assert.True(code == 0, stderr);
        string why = "compare runs it on at most 1,000 samples (an n×n eigensolve for every λ of its search), and there are 1,001; "
            + "run `repdiff koda` (with --kernel cosine its features route is linear in n)";
        Assert.Contains($"warning: koda is left out: {why}", stderr);
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        Assert.Equal(why, (string)results["left_out"]!["koda"]!);
        Assert.DoesNotContain(results["explanations"]!.AsArray(), e => (string)e!["method"]! == "koda");
        // In the report, after a dash and with the command as code (review 167: "Left out: koda (… run `repdiff koda` (with …))").
        string intro = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(outDir, "report.html")), "<p class=\"intro\">(.*?)</p>").Groups[1].Value;
        Assert.StartsWith("Left out: koda — compare runs it on at most 1,000 samples", intro);
        Assert.EndsWith("run <code>repdiff koda</code> (with --kernel cosine its features route is linear in n).", intro);
        Assert.DoesNotContain("`", intro);
    }

    [Fact]
    public void NamesGivenForTheModelsReplaceTheFileNamesInTheSummaryAndTheReport()
    {
        string dir = TestData.TempDir();
        var (a, b, labels, images, _) = WriteInputs(dir);
        string outDir = Path.Combine(dir, "out");
        var (code, output, error) = Run("compare", a, b, "--labels", labels, "--images", images, "--methods", "rdx", "--name-a", "pixels", "--name-b", "squared pixels", "--out", outDir);
        Assert.True(code == 0, error);
        Assert.Contains("pixels (A) vs squared pixels (B), n = 150", output);
        // With images, the finding counts images, not samples.
        Assert.Matches(@"finding: rdx: .*concept \d+, \d+ images", output);
        Assert.DoesNotContain("a.npy", output);
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("RepDiff: pixels vs squared pixels", html);
        Assert.DoesNotContain("a.npy (A)", html);

        // An empty name is bad input, and nothing is written.
        string other = Path.Combine(dir, "other");
        (code, _, error) = Run("compare", a, b, "--methods", "pca", "--name-a", " ", "--out", other);
        Assert.Equal((2, "error: --name-a: give a name, not an empty one"), (code, error.Trim()));
        Assert.False(Directory.Exists(other));
    }

    /// <summary>
    /// Too many rows for the memory: RDX's --max-samples and SPEC's --rff-dim are named in one line, before any work, and the
    /// --methods suggested leaves both out. SPEC's feature route had been checked only when it ran, so compare on 100,000 rows
    /// named RDX alone and suggested a list with spec in it, which the next run then refused (helper 108).
    /// </summary>
    [Fact]
    public void MethodsTooLargeForTheMemoryAreNamedTogether()
    {
        string dir = TestData.TempDir();
        var random = new Random(3);
        // Beyond SPEC's exact route (5,000 rows), so compare takes its feature route.
        Matrix Gaussian() => new(5001, 4, Enumerable.Range(0, 5001 * 4).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray());
        string a = Path.Combine(dir, "a.npy"), b = Path.Combine(dir, "b.npy"), outDir = Path.Combine(dir, "out");
        Npy.Write(a, Gaussian());
        Npy.Write(b, Gaussian());
        Outcome outcome;
        using (MemoryBudget.Assume(16_000_000))
            outcome = Run("compare", a, b, "--methods", "rdx,spec,pca", "--out", outDir);
        outcome.AssertBadInput("rdx cannot run on these inputs (--max-samples: ");
        string line = outcome.ErrorLines.Last();
        Assert.Contains("; spec cannot run on these inputs (--rff-dim: n = 5,001 samples", line);
        Assert.EndsWith("run each alone (`repdiff rdx`, `repdiff spec`) to set its option, or leave them out with --methods pca", line);
        Assert.DoesNotContain("pca", string.Join("\n", outcome.ErrorLines.SkipLast(1)));
        Assert.False(Directory.Exists(outDir));
        // Given groups stay by keeping --groups: --methods does not take their name, so the suggestion leaves it out.
        string groups = Path.Combine(dir, "groups.csv");
        File.WriteAllText(groups, "group,row\ng,1\ng,2\n");
        using (MemoryBudget.Assume(16_000_000))
            outcome = Run("compare", a, b, "--methods", "rdx,spec,pca", "--groups", groups, "--out", outDir);
        Assert.EndsWith("or leave them out with --methods pca", outcome.ErrorLines.Last());
    }

    [Fact]
    public void AMethodThatCannotRunWithItsDefaultsIsNamedWithTheWayAround()
    {
        // Most rows identical: the median rule gives SPEC no bandwidth, an option compare does not take.
        string dir = TestData.TempDir();
        var a = new Matrix(60, 4);
        for (int i = 0; i < 4; i++) a[i, i] = 1;
        var b = new Matrix(60, 4);
        for (int i = 0; i < a.Data.Length; i++) b.Data[i] = 2 * a.Data[i];
        string pathA = Path.Combine(dir, "a.npy"), pathB = Path.Combine(dir, "b.npy"), outDir = Path.Combine(dir, "out");
        Npy.Write(pathA, a);
        Npy.Write(pathB, b);
        var (code, _, stderr) = Run("compare", pathA, pathB, "--methods", "pca,spec", "--out", outDir);
        Assert.Equal(2, code);
        Assert.Equal("error: spec cannot run on these inputs (--sigma-a: not given, and the median pairwise distance of a.npy is 0 " +
            "(most rows are identical), so the median rule gives no bandwidth; give one); run `repdiff spec` to set --sigma-a, or leave spec out with --methods pca",
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
        // Found before any method ran: pca, first in the list, reported no progress.
        Assert.DoesNotContain(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).SkipLast(1), line => line.Contains("pca"));
        Assert.False(Directory.Exists(outDir));
        // Left out as the message says, the comparison runs.
        Assert.Equal(0, Run("compare", pathA, pathB, "--methods", "pca", "--out", outDir).Code);
    }

    [Fact]
    public void SideInformationOfTheWrongLengthIsBadInputAndWritesNothing()
    {
        string dir = TestData.TempDir();
        var (a, b, _, _, n) = WriteInputs(dir);
        string texts = Path.Combine(dir, "texts.txt");
        File.WriteAllLines(texts, Enumerable.Range(0, n - 3).Select(i => $"text {i}"));
        string manifest = Path.Combine(dir, "images.txt");
        var png = RepDiff.Report.Png.Encode(new byte[4], 2, 2, 1);
        for (int i = 0; i < n - 1; i++) File.WriteAllBytes(Path.Combine(dir, $"{i}.png"), png);
        File.WriteAllLines(manifest, Enumerable.Range(0, n - 1).Select(i => $"{i}.png"));
        foreach (var side in new[] { new[] { "--texts", texts }, ["--images", manifest] })
        {
            string outDir = Path.Combine(dir, "out" + side[0]);
            var (code, _, stderr) = Run(["compare", a, b, .. side, "--out", outDir]);
            Assert.Equal(2, code);
            Assert.Contains(Path.GetFileName(side[1]), stderr);
            Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
        }
    }

    [Fact]
    public void TrustValidatesEveryConceptAndMeasuresStabilityWhereAResampleIsNotAFullTraining()
    {
        string dir = TestData.TempDir();
        var (a, b, labels, _, _) = WriteInputs(dir);
        string outDir = Path.Combine(dir, "out");
        var (code, stdout, stderr) = Run("compare", a, b, "--labels", labels, "--methods", "kmeans,sae", "--trust", "--out", outDir);
        Assert.True(code == 0, stderr);
        var explanations = ResultsFile.Read(Path.Combine(outDir, "results.json")).Explanations.ToDictionary(e => e.Method);
        var concepts = explanations.Values.SelectMany(e => e.Directions).SelectMany(d => d.Concepts).ToList();
        Assert.NotEmpty(concepts);
        // The terminal table counts each direction's confirmed concepts.
        foreach (var direction in explanations.Values.SelectMany(e => e.Directions))
            Assert.Contains($"{direction.Concepts.Count(c => c.Confirmed == true)} of {direction.Concepts.Count}", stdout);
        Assert.All(concepts, c => { Assert.InRange(c.PValue!.Value, 0, 1); Assert.InRange(c.PAdjusted!.Value, c.PValue.Value, 1); });
        // k-means reruns on TrustResamples subsamples; the autoencoder, which would retrain on each, is left out and says so.
        Assert.Equal(TrustOptions.TrustResamples, explanations["kmeans"].Metrics["stability_resamples"]!.GetValue<int>());
        Assert.All(explanations["kmeans"].Directions.SelectMany(d => d.Concepts), c => Assert.InRange(c.Stability!.Value, 0, 1));
        Assert.All(explanations["sae"].Directions.SelectMany(d => d.Concepts), c => Assert.Null(c.Stability));
        Assert.Contains("--stability R", explanations["sae"].Metrics["stability_note"]!.GetValue<string>());
        // And the terminal, on one line (it had said nothing).
        Assert.Contains("warning: sae: stability not measured: each sae rerun retrains it from scratch", stderr);
        // The cards say both in words, the stability's number first.
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("each sae rerun retrains it from scratch", html);
        Assert.Matches(@"stability \d\.\d\d: (found again|partly found again|not found again) when rerun on 80% of the samples", html);
        Assert.Matches("holds on held-out samples|not confirmed on held-out samples", html);

        // An explicit --stability measures every method, the autoencoder included.
        string again = Path.Combine(dir, "again");
        (code, _, stderr) = Run("compare", a, b, "--methods", "sae", "--trust", "--stability", "2", "--out", again);
        Assert.True(code == 0, stderr);
        var sae = Assert.Single(ResultsFile.Read(Path.Combine(again, "results.json")).Explanations);
        Assert.Equal(2, sae.Metrics["stability_resamples"]!.GetValue<int>());
        Assert.All(sae.Directions.SelectMany(d => d.Concepts), c => Assert.InRange(c.Stability!.Value, 0, 1));
        Assert.Null(sae.Metrics["stability_note"]);
    }

    [Fact]
    public void UnreadableImageFilesGiveAPlaceholderAndAWarningNotACrash()
    {
        string dir = TestData.TempDir();
        var (a, b, _, _, n) = WriteInputs(dir);
        for (int i = 0; i < n; i++) File.WriteAllText(Path.Combine(dir, $"{i}.png"), "truncated, not a PNG");
        string manifest = Path.Combine(dir, "images.txt");
        File.WriteAllLines(manifest, Enumerable.Range(0, n).Select(i => $"{i}.png"));
        string method = MethodRegistry.Default.PairMethods.First().Name;
        var (code, _, stderr) = Run("compare", a, b, "--images", manifest, "--methods", method, "--out", Path.Combine(dir, "out"));
        Assert.True(code == 0, stderr);
        Assert.Contains("warning: image of sample", stderr);
        string html = File.ReadAllText(Path.Combine(dir, "out", "report.html"));
        // The CLI thumbnails image files with Skia, whose decoder names the problem.
        Assert.Contains("not a readable image", html);
    }

    /// <summary>
    /// `--help` of compare and the demo says which methods --methods takes and which of them run without it; compare on a
    /// pair every method applies to runs exactly those (the help used to say "every method that applies", and spec-align,
    /// which applies, does not run unless named).
    /// </summary>
    [Theory]
    [InlineData("compare")]
    [InlineData("demo")]
    public void MethodsHelpSaysWhatRunsByDefault(string command)
    {
        string line = Run(command, "--help").Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("--methods"));
        var help = System.Text.RegularExpressions.Regex.Match(line, @"of: ([a-z, -]+) \(default: every method that applies to the inputs, except ([a-z, -]+), which runs? only when named\)");
        Assert.True(help.Success, line);
        var offered = help.Groups[1].Value.Split(", ");
        var onlyWhenNamed = help.Groups[2].Value.Split(", ");
        // Methods whose concepts are given in a file (groups) take it from compare's --groups, not from --methods.
        Assert.Equal(MethodRegistry.Default.PairMethods.Where(m => !m.ConceptsAreGiven).Select(m => m.Name), offered);
        Assert.Equal(["spec-align"], onlyWhenNamed);

        string dir = TestData.TempDir();
        var (a, b, _) = RepDiff.Tests.Robustness.CliHarness.SmallPair(dir);
        var (code, _, err) = Run("compare", a, b, "--out", Path.Combine(dir, "out"));
        Assert.True(code == 0, err);
        var ran = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "out", "results.json")))!["explanations"]!.AsArray()
            .Select(e => e!["method"]!.GetValue<string>());
        Assert.Equal(offered.Except(onlyWhenNamed), ran);
    }
}
