using System.Text.Json.Nodes;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>
/// `--maps pca` leaves the report's UMAP layouts out (they take about the method's own time on a few thousand samples) and
/// changes nothing else: the same concepts and scores, the same PCA maps, and a report that says why it has no UMAP map.
/// </summary>
public class MapsOptionTests
{
    /// <summary>What a run found and scored: each method's directions (concepts, members, BSR), without its timings.</summary>
    private static string Found(string outDir)
    {
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        var explanations = results["explanations"]?.AsArray().Select(e => e!) ?? [results];
        return string.Join("\n", explanations.Select(e => e["directions"]!.ToJsonString()));
    }

    [Theory]
    [InlineData("rdx")]
    [InlineData("compare")]
    public void PcaMapsOnlyLeaveTheResultsAsTheyAreAndSayWhyThereIsNoUmap(string command)
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = SmallPair(dir, rows: 80);
        string both = Path.Combine(dir, "both"), pca = Path.Combine(dir, "pca");
        string[] methods = command == "compare" ? ["--methods", "rdx,kmeans"] : [];

        var full = Run([command, a, b, "--labels", labels, .. methods, "--out", both]);
        var pcaOnly = Run([command, a, b, "--labels", labels, .. methods, "--maps", "pca", "--out", pca]);

        Assert.True(full.Code == 0, full.Stderr);
        Assert.True(pcaOnly.Code == 0, pcaOnly.Stderr);
        Assert.Contains("\"concepts\"", Found(both));
        Assert.Equal(Found(both), Found(pca));
        var mapsBoth = Npy.ReadMatrix(Path.Combine(both, "maps.npy"));
        var mapsPca = Npy.ReadMatrix(Path.Combine(pca, "maps.npy"));
        Assert.Equal(9, mapsBoth.Cols);
        Assert.Equal(5, mapsPca.Cols);
        for (int i = 0; i < mapsPca.Rows; i++)
            for (int c = 0; c < 5; c++) Assert.Equal(mapsBoth[i, c], mapsPca[i, c]);
        string report = File.ReadAllText(Path.Combine(pca, "report.html"));
        Assert.Contains("PCA maps only: the UMAP maps were not asked for", report);
        Assert.DoesNotContain("data-kind=\"umap\"", report);
        Assert.Contains("data-kind=\"umap\"", File.ReadAllText(Path.Combine(both, "report.html")));
    }

    [Fact]
    public void AnotherMapKindIsOneLineBeforeAnythingRuns()
    {
        string dir = TestData.TempDir();
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");

        Run("rdx", a, b, "--maps", "tsne", "--out", outDir).AssertBadInput("--maps: 'tsne' is not one of: umap, pca");
        Assert.False(Directory.Exists(outDir));
    }
}
