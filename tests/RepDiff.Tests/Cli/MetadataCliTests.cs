using System.Text.Json.Nodes;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Cli;

/// <summary>`--metadata` beside `--labels` on a method command, through to results.json and the report.</summary>
public class MetadataCliTests
{
    [Fact]
    public void MetadataColumnNamedLabelStaysBesideTheLabelsAndHugeNumbersStillMakeAReport()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = CliHarness.SmallPair(dir);
        int n = File.ReadAllLines(labels).Length;
        // "label" names other values than --labels; one score in ten is beyond float32 (the page colours by float32).
        string metadata = Path.Combine(dir, "meta.csv");
        File.WriteAllLines(metadata, ["label,score", .. Enumerable.Range(0, n).Select(i => $"m{i % 3},{(i % 10 == 0 ? "1e39" : (i * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture))}")]);
        string outDir = Path.Combine(dir, "out");

        var outcome = CliHarness.Run("rdx", a, b, "--labels", labels, "--metadata", metadata, "--out", outDir);

        Assert.True(outcome.Code == 0, outcome.Stderr);
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        var enrichment = results["directions"]!.AsArray().SelectMany(d => d!["concepts"]!.AsArray())
            .SelectMany(c => c!["enrichment"]?.AsArray() ?? []).ToList();
        // The labels' entries hold the --labels values (planted groups 0–4), not the metadata's m0–m2.
        var labelValues = enrichment.Where(e => (string)e!["column"]! == "label").Select(e => (string)e!["value"]!).ToList();
        Assert.NotEmpty(labelValues);
        Assert.All(labelValues, v => Assert.Matches("^[0-4]$", v));
        Assert.All(enrichment.Where(e => (string)e!["column"]! == "metadata_label"), e => Assert.StartsWith("m", (string)e!["value"]!));
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("<option value=\"0\" selected>label</option><option value=\"1\">metadata_label</option><option value=\"2\">score</option>", html);
    }
}
