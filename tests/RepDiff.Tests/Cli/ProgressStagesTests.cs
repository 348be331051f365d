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
        var timings = Timings(outDir);
        foreach (string stage in new[] { "features", "eigen", "members" })
            Assert.True(timings.ContainsKey(stage), $"{stage}: {timings.ToJsonString()}");
    }
}
