using System.Text.Json.Nodes;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>
/// The stages around a method (BSR scoring, context metrics, the report's maps) are shown as progress and timed in
/// results.json: on 128,000 rows `pca` used to spend 35 s after its last progress line, most of it in the UMAP maps.
/// </summary>
public class ProgressStagesTests
{
    private static JsonObject Timings(string outDir) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["timings"]!.AsObject();

    [Fact]
    public void AMethodCommandShowsAndTimesTheStagesAfterTheMethod()
    {
        string outDir = Path.Combine(TestData.TempDir(), "out");
        var (code, _, stderr) = Run("pca", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--out", outDir);
        Assert.True(code == 0, stderr);
        foreach (string line in new[] { "scoring (BSR): 100%", "context metrics (CKA, mutual k-NN): 100%", "umap layout: 100%", "maps: 100%", "report model: 100%" })
            Assert.Contains(line, stderr);
        // The maps run inside the report model stage: its end is the last progress line.
        Assert.True(stderr.LastIndexOf("umap layout", StringComparison.Ordinal) < stderr.LastIndexOf("report model: 100%", StringComparison.Ordinal), stderr);
        var timings = Timings(outDir);
        // report_html: rendering the page, done before results.json is serialized (1–2 s at 200,000 rows had been untimed).
        foreach (string stage in new[] { "open_inputs", "scoring", "context", "report_model", "report_html", "total" })
            Assert.True(timings[stage]!.GetValue<double>() >= 0, stage);
    }

    [Fact]
    public void EvaluateShowsItsScoringAsProgress()
    {
        // evaluate re-scores every method of a results file: 10 s at 128,000 rows with nothing on the screen.
        string dir = TestData.TempDir(), outDir = Path.Combine(dir, "out");
        string a = TestData.Fixture("planted_a.npy"), b = TestData.Fixture("planted_b.npy");
        Assert.Equal(0, Run("compare", a, b, "--methods", "pca,kmeans", "--out", outDir).Code);
        var (code, _, stderr) = Run("evaluate", Path.Combine(outDir, "results.json"), a, b, "--out", Path.Combine(dir, "scored.json"));
        Assert.True(code == 0, stderr);
        Assert.Contains("scoring pca (BSR): 100%", stderr);
        Assert.Contains("scoring kmeans (BSR): 100%", stderr);
    }

    [Fact]
    public void CompareShowsTheReportMapsAsProgress()
    {
        string outDir = Path.Combine(TestData.TempDir(), "out");
        var (code, _, stderr) = Run("compare", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--methods", "rdx,pca", "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("umap layout: 100%", stderr);
        // A method's stages carry its name ("affinities: 50%" alone named no method, helper 79), once.
        Assert.Contains("rdx: affinities: 100%", stderr);
        Assert.Contains("pca on planted_a.npy: 100%", stderr);
        Assert.DoesNotContain("pca: pca", stderr);
        Assert.Contains("maps: 100%", stderr);
        Assert.True(Timings(outDir)["report_model"]!.GetValue<double>() >= 0);
        Assert.True(Timings(outDir)["report_html"]!.GetValue<double>() > 0);
    }

    [Fact]
    public void FincTimesOpeningItsInputsAndItsReportModel()
    {
        string outDir = Path.Combine(TestData.TempDir(), "out");
        var (code, _, stderr) = Run("finc", TestData.Fixture("finc_test.npy"), TestData.Fixture("finc_ref.npy"), "--out", outDir);
        Assert.True(code == 0, stderr);
        var timings = Timings(outDir);
        Assert.True(timings.ContainsKey("open_inputs"), timings.ToJsonString());
        Assert.True(timings.ContainsKey("report_model"), timings.ToJsonString());
        Assert.True(timings.ContainsKey("report_html"), timings.ToJsonString());
    }

    [Fact]
    public void TheFeatureRouteWithFewerSamplesThanFeaturesShowsItsKernelAndTimesItsMembers()
    {
        // 600 samples against 2 × 2 × 300 random Fourier features: the n×n operator of the feature route.
        string outDir = Path.Combine(TestData.TempDir(), "out");
        var (code, _, stderr) = Run("spec", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--route", "rff", "--rff-dim", "300", "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("feature kernel (n×n): 0%", stderr);
        Assert.Contains("feature kernel (n×n): 100%", stderr);
        // The mode functions' weights after the eigenpairs: 11.5 s at 10,000 rows without a line (helper 85).
        Assert.Contains("mode functions: 0%", stderr);
        Assert.Contains("mode functions: 100%", stderr);
        var timings = Timings(outDir);
        foreach (string stage in new[] { "features", "eigen", "members" })
            Assert.True(timings.ContainsKey(stage), $"{stage}: {timings.ToJsonString()}");
    }

    [Fact]
    public void KodaShowsItsModeSearchFromTheStart()
    {
        // Each mode takes seconds to minutes: the first line had come after the first mode (20 s in at 6,000 rows).
        string dir = TestData.TempDir();
        var (a, b, _) = SmallPair(dir);
        var (code, _, stderr) = Run("koda", a, b, "--concepts", "2", "--out", Path.Combine(dir, "out"));
        Assert.True(code == 0, stderr);
        Assert.Contains("modes (A): 0%", stderr);
        Assert.Contains("modes (B): 0%", stderr);
    }

    [Fact]
    public void NnDescentThatStopsEarlyEndsAtOne()
    {
        // Clustered rows converge in a few of the 11 iterations: the bar had stopped at 54% (helper 85).
        var (x, _) = RepDiff.Tests.Numerics.UmapTestData.Blobs(4, 500, 10, seed: 3, separation: 4);
        var progress = new Recorder();
        RepDiff.Numerics.NearestNeighbours.Approximate(x, 10, seed: 1, progress: progress);
        var fractions = progress.Of("neighbours");
        Assert.True(fractions.Count < 12, "stopped early: " + string.Join(", ", fractions));
        Assert.Equal(1, fractions[^1]);
    }

    [Fact]
    public void PlacingTheRowsOutsideTheUmapSubsetIsShown()
    {
        // 2–6 s per map at 200,000 rows had passed without a line between "umap layout: 100%" and "maps: 100%".
        var (x, _) = RepDiff.Tests.Numerics.UmapTestData.Blobs(4, 150, 10, seed: 8, separation: 4);
        var subset = RepDiff.Numerics.Sampling.Uniform(x.Rows, 120, seed: 1);
        var layout = subset.Select(i => (float)i).ToArray();
        var progress = new Recorder();
        RepDiff.Numerics.UmapPlacement.Place(x, subset, layout, layout, neighbours: 15, seed: 0, progress);
        var fractions = progress.Of(RepDiff.Numerics.UmapPlacement.Stage);
        Assert.Equal(0, fractions[0]);
        Assert.Equal(1, fractions[^1]);
        Assert.True(fractions.Count > 2, string.Join(", ", fractions));
    }

    /// <summary>Every update, in order, as it is reported.</summary>
    private sealed class Recorder : IProgress<ProgressUpdate>
    {
        private readonly List<ProgressUpdate> seen = [];

        public void Report(ProgressUpdate value)
        {
            lock (seen) seen.Add(value);
        }

        public List<double> Of(string stage) => seen.Where(u => u.Stage == stage).Select(u => u.Fraction).ToList();
    }
}
