using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>`repdiff metrics` with labels the linear probe cannot use: the error names the option to change.</summary>
public class MetricsCommandTests
{
    private readonly string dir = TestData.TempDir();

    [Fact]
    public void LabelsOfOneClassNameLabels()
    {
        var (a, b, _) = SmallPair(dir);
        string labels = Path.Combine(dir, "one.txt");
        File.WriteAllText(labels, string.Concat(Enumerable.Repeat("cat\n", 60)));
        string outDir = Path.Combine(dir, "out");
        Run("metrics", a, b, "--labels", labels, "--out", outDir).AssertBadInput("error: --labels: every sample has the same label ('cat')");
        Assert.False(Directory.Exists(outDir));
    }

    /// <summary>Every sample its own label: no held-out label was ever trained on, so the probe's accuracy was 0 by construction.</summary>
    [Fact]
    public void LabelsOfOneSampleEachNameLabels()
    {
        var (a, b, _) = SmallPair(dir);
        string labels = Path.Combine(dir, "unique.txt");
        File.WriteAllLines(labels, Enumerable.Range(0, 60).Select(i => $"s{i}"));
        string outDir = Path.Combine(dir, "out");
        Run("metrics", a, b, "--labels", labels, "--out", outDir).AssertBadInput("error: --labels: every sample has a label of its own (60 labels for 60 samples)");
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(0, Run("metrics", a, b, "--labels", labels, "--probes", "false", "--out", outDir).Code);
    }

    /// <summary>The probes' settings when no probe runs (no --labels, or --probes false) were ignored; now refused, naming why.</summary>
    [Theory]
    [InlineData(false, "--folds", "3", "error: --folds: sets the linear probes, which run only with --labels")]
    [InlineData(false, "--probe-max-iterations", "5", "error: --probe-max-iterations: sets the linear probes, which run only with --labels")]
    [InlineData(true, "--probe-max-samples", "50", "error: --probe-max-samples: sets the linear probes, which --probes false turns off")]
    // At their defaults too: "--folds 5" without labels ran and ignored it (the methods refuse an unread option so).
    [InlineData(false, "--folds", "5", "error: --folds: sets the linear probes, which run only with --labels")]
    [InlineData(false, "--probe-max-samples", "20000", "error: --probe-max-samples: sets the linear probes, which run only with --labels")]
    [InlineData(true, "--probe-max-iterations", "100", "error: --probe-max-iterations: sets the linear probes, which --probes false turns off")]
    public void ProbeSettingsWithoutProbesAreRefused(bool withLabels, string flag, string value, string message)
    {
        var (a, b, labels) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        string[] probes = withLabels ? ["--labels", labels, "--probes", "false"] : [];
        Run(["metrics", a, b, .. probes, flag, value, "--out", outDir]).AssertBadInput(message);
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(0, Run("metrics", a, b, "--labels", labels, flag, value, "--out", outDir).Code);
    }

    /// <summary>
    /// metrics writes no report, so images, texts and metadata were read, checked and ignored (nothing in results.json):
    /// it no longer takes them, and says so in one line like any unknown flag.
    /// </summary>
    [Theory]
    [InlineData("--images")]
    [InlineData("--texts")]
    [InlineData("--metadata")]
    public void ReportOnlyInputsAreNotTaken(string flag)
    {
        var (a, b, labels) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Run("metrics", a, b, flag, labels, "--out", outDir).AssertBadInput(flag);
        Assert.False(Directory.Exists(outDir));
        Assert.DoesNotContain(flag + " ", Run("metrics", "--help").Stdout);
        Assert.Contains("--labels ", Run("metrics", "--help").Stdout);
    }

    [Fact]
    public void FewerSamplesThanFoldsNameFolds()
    {
        var (a, b, _) = SmallPair(dir, rows: 3);
        string labels = Path.Combine(dir, "three.txt");
        File.WriteAllText(labels, "x\ny\nx\n");
        Run("metrics", a, b, "--labels", labels, "--out", Path.Combine(dir, "out")).AssertBadInput("error: --folds: 5 folds need at least 5 samples");
        Assert.Equal(0, Run("metrics", a, b, "--labels", labels, "--folds", "3", "--out", Path.Combine(dir, "out")).Code);
    }

    /// <summary>
    /// A representation whose rows are all the same: every CKA and mutual k-NN is undefined, which results.json says with
    /// null and a note, and the table with "undefined" (it used to report CKA 0, and mutual k-NN the overlap of tie-breaks).
    /// </summary>
    [Fact]
    public void SimilarityToAConstantRepresentationIsUndefined()
    {
        var (a, _, _) = SmallPair(dir);
        string constant = Path.Combine(dir, "constant.npy");
        var rows = new Matrix(60, 3);
        Array.Fill(rows.Data, 2f);
        RepDiff.IO.Npy.Write(constant, rows);
        string outDir = Path.Combine(dir, "out");
        var outcome = Run("metrics", a, constant, "--out", outDir);
        Assert.Equal(0, outcome.Code);
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["metrics"]!.AsObject();
        foreach (string key in new[] { "linear_cka", "debiased_linear_cka", "rbf_cka", "mutual_knn" })
        {
            Assert.True(metrics.ContainsKey(key) && metrics[key] is null, $"{key} is {metrics[key]}, not null");
            Assert.Equal("undefined: every row of constant.npy is the same, so it has no variance", metrics[key + "_note"]!.GetValue<string>());
        }
        Assert.Contains("linear CKA           │ undefined", outcome.Stdout);
        Assert.DoesNotContain("0.0000", outcome.Stdout);
    }

    /// <summary>
    /// Scores that are 1 by construction are no similarity: mutual k-NN with k = n − 1 (every other sample a neighbour in
    /// both: `--neighbours 50` on 20 rows, `--knn-max-samples 11` with k = 10, compare's context on 11 rows) and CKA of 2
    /// samples (`--rbf-max-samples 2`: any two centred 2 × 2 kernels are proportional) had read 1.000.
    /// </summary>
    [Fact]
    public void ScoresThatAreOneByConstructionAreNotReported()
    {
        var (a, b, _) = SmallPair(dir, 20);
        string outDir = Path.Combine(dir, "out");
        System.Text.Json.Nodes.JsonObject MetricsOf(params string[] flags)
        {
            var outcome = Run(["metrics", a, b, .. flags, "--out", outDir]);
            Assert.True(outcome.Code == 0, outcome.Stderr);
            return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["metrics"]!.AsObject();
        }
        // Above n − 2 neighbours, k is clamped to n − 2: a real overlap, below 1 on this pair.
        var clamped = MetricsOf("--neighbours", "50");
        Assert.Equal(18, clamped["mutual_knn_k"]!.GetValue<int>());
        Assert.InRange(clamped["mutual_knn"]!.GetValue<double>(), 0, 0.999);
        var eleven = MetricsOf("--knn-max-samples", "11");
        Assert.Equal(9, eleven["mutual_knn_k"]!.GetValue<int>());
        Assert.InRange(eleven["mutual_knn"]!.GetValue<double>(), 0, 0.999);
        var two = MetricsOf("--knn-max-samples", "2", "--rbf-max-samples", "2");
        Assert.Null(two["mutual_knn"]);
        Assert.Contains("by construction", two["mutual_knn_note"]!.GetValue<string>());
        Assert.Null(two["rbf_cka"]);
        Assert.Contains("by construction", two["rbf_cka_note"]!.GetValue<string>());

        // compare's context takes mutual 10-NN only where 10 neighbours leave a sample out: more than 11 samples.
        string a11 = Path.Combine(dir, "a11.npy"), b11 = Path.Combine(dir, "b11.npy");
        RepDiff.IO.Npy.Write(a11, RepDiff.IO.Npy.ReadMatrix(a).SelectRows([.. Enumerable.Range(0, 11)]));
        RepDiff.IO.Npy.Write(b11, RepDiff.IO.Npy.ReadMatrix(b).SelectRows([.. Enumerable.Range(0, 11)]));
        var compare = Run("compare", a11, b11, "--methods", "pca", "--out", outDir);
        Assert.True(compare.Code == 0, compare.Stderr);
        Assert.DoesNotContain("mutual_knn", compare.Stdout);
        Assert.Null(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["context"]!["mutual_knn"]);
    }
}
