using RepDiff.Methods;
using RepDiff.Cli;

namespace RepDiff.Tests.Cli;

public class BaselineCliTests
{
    private static readonly string A = TestData.Fixture("planted_a.npy"), B = TestData.Fixture("planted_b.npy");

    [Theory]
    [InlineData("kmeans")]
    [InlineData("pca")]
    [InlineData("nmf")]
    [InlineData("sae", "--epochs", "3")]
    public void BaselineCommandWritesBothDirections(string method, params string[] extra)
    {
        string dir = TestData.TempDir();
        int code = global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), [method, A, B, "--concepts", "3", "--grid-size", "4", "--out", dir, .. extra]);
        Assert.Equal(0, code);
        var e = Explanation.FromJson(File.ReadAllText(Path.Combine(dir, "results.json")));
        Assert.Equal(method, e.Method);
        Assert.Equal([DirectionNames.ConceptsOfA, DirectionNames.ConceptsOfB], e.Directions.Select(d => d.Name));
        Assert.All(e.Directions, d => Assert.Equal(3, d.Concepts.Count));
        Assert.All(e.Directions.SelectMany(d => d.Concepts), c => Assert.True(c.Grid.Length <= 4));
        Assert.Equal(3, e.Parameters["concepts"]!.GetValue<int>());
    }

    /// <summary>
    /// n samples with k active latents each use at most n·k latents: `sae --latents 100000` on 500 samples ran 9 minutes,
    /// 98% of the dictionary dead for certain. Refused before the work, naming the most that can be active; that many runs.
    /// </summary>
    [Fact]
    public void SaeRefusesMoreLatentsThanTheSamplesCanActivate()
    {
        string dir = TestData.TempDir(), outDir = Path.Combine(dir, "out");
        var (a, b, _) = Robustness.CliHarness.SmallPair(dir, rows: 60);
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "before");
        Robustness.CliHarness.Run("sae", a, b, "--latents", "241", "--epochs", "1", "--out", outDir).AssertBadInput(
            "--latents: 241 latents on 60 samples with --active 4: each sample activates at most 4, so at most 240 latents can "
            + "ever be active and the rest would be trained for nothing; set --latents to at most 240 (samples × --active)");
        Assert.Equal(["keep.txt"], Directory.GetFiles(outDir).Select(Path.GetFileName));
        var ran = Robustness.CliHarness.Run("sae", a, b, "--latents", "240", "--epochs", "1", "--out", outDir);
        Assert.True(ran.Code == 0, ran.Stderr);
        ran = Robustness.CliHarness.Run("sae", a, b, "--latents", "241", "--active", "5", "--epochs", "1", "--out", Path.Combine(dir, "more-active"));
        Assert.True(ran.Code == 0, ran.Stderr);
    }

    [Fact]
    public void PlainNmfOnNegativeValuesNamesTheFileThatHasThem()
    {
        // The fit alone can say only "this representation"; the refusal had not said which of the two files (review 174).
        string dir = Path.Combine(TestData.TempDir(), "out");
        var outcome = Robustness.CliHarness.Run("nmf", A, B, "--variant", "nmf", "--out", dir);
        outcome.AssertBadInput("NMF needs non-negative inputs; planted_a.npy has negative values");
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void StabilityAndValidationOfAMethodCommandReachResultsAndTheTerminal()
    {
        string dir = TestData.TempDir();
        var stdout = new StringWriter();
        int code = global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(),
            ["kmeans", A, B, "--concepts", "3", "--stability", "2", "--validate", "--out", dir], stdout, new StringWriter());
        Assert.Equal(0, code);
        var e = Explanation.FromJson(File.ReadAllText(Path.Combine(dir, "results.json")));
        var concepts = e.Directions.SelectMany(d => d.Concepts).ToList();
        Assert.All(concepts, c => { Assert.InRange(c.Stability!.Value, 0, 1); Assert.InRange(c.PValue!.Value, 0, 1); });
        // One row per concept in the terminal, with its stability and its held-out verdict in words.
        string text = stdout.ToString();
        foreach (var c in concepts)
        {
            Assert.Contains(global::RepDiff.Trust.Stability.Shown(c.Stability!.Value).ToString("F2", System.Globalization.CultureInfo.InvariantCulture), text);
            // "p = 0.013", or "p ≤ 0.0025" at the smallest p its random groups can give.
            Assert.Contains(c.Confirmed == true ? "yes, p " : "no, p ", text);
        }
    }

    [Theory]
    [InlineData("rdx", "--validate")]
    [InlineData("rdx", "--trust")]
    [InlineData("compare", "--trust")]
    public void TooFewSamplesToValidateAreRefusedBeforeAnyMethodRuns(string command, string flag)
    {
        // 30 samples cannot be split into halves to validate on: one line, before any work (no progress lines first).
        string tmp = TestData.TempDir();
        string a = Path.Combine(tmp, "a30.npy"), b = Path.Combine(tmp, "b30.npy");
        global::RepDiff.IO.Npy.Write(a, TestData.LoadFixture("planted_a.npy").SelectRows(Enumerable.Range(0, 30).ToArray()));
        global::RepDiff.IO.Npy.Write(b, TestData.LoadFixture("planted_b.npy").SelectRows(Enumerable.Range(0, 30).ToArray()));
        var stderr = new StringWriter();
        string dir = Path.Combine(tmp, "out");
        int code = global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), [command, a, b, flag, "--out", dir], new StringWriter(), stderr);
        Assert.Equal(2, code);
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Named as typed: --trust asks for validation too, and "--validate:" named an option the user had not given.
        Assert.Equal($"error: {flag}: needs at least 40 samples to split into a discovery and a validation half; there are 30", Assert.Single(lines));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void MetricsGiveMutualKnnBesideWhatRandomNeighboursWouldShare()
    {
        string dir = TestData.TempDir();
        var stdout = new StringWriter();
        Assert.Equal(0, global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), ["metrics", A, B, "--out", dir], stdout, new StringWriter()));
        var m = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "results.json")))!["metrics"]!;
        int k = (int)m["mutual_knn_k"]!, n = (int)m["mutual_knn_samples"]!;
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{n:N0} samples; random neighbours {(double)k / (n - 1):F4}"), stdout.ToString());
    }

    [Fact]
    public void BadOptionsExitWithCodeTwo()
    {
        string dir = TestData.TempDir();
        Assert.Equal(2, global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), ["kmeans", A, B, "--concepts", "0", "--out", dir]));
        Assert.Equal(2, global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), ["nmf", A, B, "--variant", "nmf", "--out", dir]));
        Assert.Equal(2, global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), ["metrics", A, B, "--folds", "1", "--out", dir]));
        Assert.Equal(2, global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), ["metrics", A, B, "--rbf-max-samples", "50000", "--out", dir]));
        Assert.False(File.Exists(Path.Combine(dir, "results.json")));
    }

    [Fact]
    public void MetricsCommandWritesTheMeasures()
    {
        string dir = TestData.TempDir();
        string labels = TestData.Fixture("planted_groups.npy");
        int code = global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), ["metrics", A, B, "--labels", labels, "--folds", "3", "--probe-max-samples", "300", "--out", dir]);
        Assert.Equal(0, code);
        var e = Explanation.FromJson(File.ReadAllText(Path.Combine(dir, "results.json")));
        Assert.Equal("metrics", e.Method);
        foreach (var key in new[] { "linear_cka", "debiased_linear_cka", "rbf_cka", "mutual_knn", "probe_accuracy_a", "probe_accuracy_b", "probe_agreement" })
            Assert.InRange(e.Metrics[key]!.GetValue<double>(), -0.1, 1.0);
        Assert.Equal(600, e.Metrics["rbf_cka_samples"]!.GetValue<int>());
        Assert.Equal(300, e.Metrics["probe_samples"]!.GetValue<int>());
    }

    [Fact]
    public void BaselinesAreRegisteredForCompare()
    {
        foreach (var name in new[] { "kmeans", "pca", "nmf", "sae" })
            Assert.Equal(name, MethodRegistry.Default.Find(name)!.Name);
    }
}
