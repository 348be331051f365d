using System.Globalization;
using System.Text.Json.Nodes;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>
/// A method command's report shows linear CKA and mutual k-NN in its header; its results.json left them out (compare's
/// has them as "context"), so two of the numbers a shared report shows were in no file another tool could read.
/// </summary>
public class MethodResultsContextTests
{
    private readonly string dir = TestData.TempDir();

    [Fact]
    public void AMethodsResultsHoldTheContextItsReportShowsAndEvaluateKeepsIt()
    {
        var (a, b, labels) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        var run = Run("kmeans", a, b, "--labels", labels, "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);

        string results = Path.Combine(outDir, "results.json");
        var document = JsonNode.Parse(File.ReadAllText(results))!.AsObject();
        var context = Assert.IsType<JsonObject>(document["context"]);
        double cka = context["linear_cka"]!.GetValue<double>(), knn = context["mutual_knn"]!.GetValue<double>();
        // The same figures as compare computes for the pair, and the ones the report's header shows.
        using var pair = new PairSpec(a, b).Open();
        var expected = Comparison.ContextMetrics(pair);
        Assert.Equal(expected["linear_cka"]!.GetValue<double>(), cka);
        Assert.Equal(expected["mutual_knn"]!.GetValue<double>(), knn);
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"linear CKA <b>{cka:F3}</b>"), html);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"<b>{knn:F3}</b>"), html);

        // The findings in words, as the terminal prints them, for scripts (helper 79: no file held them).
        var findings = Assert.IsType<JsonObject>(document["findings"]);
        Assert.False(string.IsNullOrEmpty(findings["summary"]!.GetValue<string>()));
        var sentences = Assert.IsType<JsonObject>(findings["directions"]);
        Assert.Equal(2, sentences.Count);
        foreach (var (direction, sentence) in sentences) Assert.Contains($"{direction}: {sentence!.GetValue<string>()}", run.Stdout);

        // evaluate rewrites the explanation and keeps what the document holds beside it, but not sentences it did not write.
        Assert.Equal(0, Run("evaluate", results, a, b).Code);
        var rewritten = JsonNode.Parse(File.ReadAllText(results))!.AsObject();
        Assert.True(JsonNode.DeepEquals(context, rewritten["context"]), rewritten["context"]?.ToJsonString());
        Assert.NotNull(rewritten["samples"]);
        Assert.Null(rewritten["findings"]);
    }

    [Fact]
    public void RowsThatAreNotTheSameSamplesAreWarnedOfAndJoinedByIdTheWarningGoes()
    {
        // B saved in another order and no ids given: the pair shares no more neighbours than random rows (helper 79's
        // shuffled B ran silently and printed a confident finding).
        var (a, b, shuffled, order) = ShuffledPair();
        var run = Run("kmeans", a, shuffled, "--out", Path.Combine(dir, "shuffled-out"));
        Assert.Equal(0, run.Code);
        string warning = Assert.Single(run.Stderr.Split('\n'), l => l.StartsWith("warning: a.npy and shuffled.npy share no more nearest neighbours", StringComparison.Ordinal));
        // --id-column too: two Parquet tables, each with a sample_id column, had been pointed to ids files only.
        Assert.Contains("join them by id (--ids-a, --ids-b, or --id-column naming the id column of a table, CSV or JSON Lines file)", warning);
        // metrics, which measures exactly this overlap, says it too.
        var metrics = Run("metrics", a, shuffled, "--out", Path.Combine(dir, "shuffled-metrics"));
        Assert.Equal(0, metrics.Code);
        Assert.Contains(metrics.Stderr.Split('\n'), l => l.StartsWith("warning: a.npy and shuffled.npy share no more nearest neighbours", StringComparison.Ordinal));
        // Read against the chance of the k it was measured with: 25/299 = 0.084 (taken as k = 10's 0.033, the shuffled rows'
        // 0.08 overlap looked like twice chance and nothing was said).
        var wider = Run("metrics", a, shuffled, "--neighbours", "25", "--out", Path.Combine(dir, "shuffled-metrics-25"));
        Assert.Equal(0, wider.Code);
        Assert.Contains(wider.Stderr.Split('\n'), l => l.StartsWith("warning: a.npy and shuffled.npy share no more nearest neighbours", StringComparison.Ordinal) && l.Contains("chance 0.084"));

        // Joined by ids, the same files line up again and nothing is said.
        string idsA = Path.Combine(dir, "ids_a.txt"), idsB = Path.Combine(dir, "ids_b.txt");
        File.WriteAllLines(idsA, Enumerable.Range(0, 300).Select(i => $"s{i}"));
        File.WriteAllLines(idsB, order.Select(i => $"s{i}"));
        var joined = Run("kmeans", a, shuffled, "--ids-a", idsA, "--ids-b", idsB, "--out", Path.Combine(dir, "joined-out"));
        Assert.True(joined.Code == 0, joined.Stderr);
        Assert.DoesNotContain("nearest neighbours", joined.Stderr);
        Assert.DoesNotContain("nearest neighbours", Run("kmeans", a, b, "--out", Path.Combine(dir, "aligned-out")).Stderr);
    }

    [Fact]
    public void RowsPairedAtRandomAreWarnedOfInResultsJsonAndAtTheTopOfTheReportAndQualifyTheFindings()
    {
        // Review 180, finding 1: the warning reached stderr only; results.json and the report stated the groups as findings.
        var (a, b, shuffled, _) = ShuffledPair();
        const string Start = "a.npy and shuffled.npy share no more nearest neighbours";

        foreach (var (command, extra) in new[] { ("kmeans", Array.Empty<string>()), ("compare", new[] { "--methods", "kmeans,pca" }) })
        {
            string outDir = Path.Combine(dir, command + "-out");
            var run = Run([command, a, shuffled, .. extra, "--out", outDir]);
            Assert.True(run.Code == 0, run.Stderr);
            string said = Assert.Single(run.Stderr.Split('\n'), l => l.StartsWith("warning: " + Start, StringComparison.Ordinal))["warning: ".Length..];
            var document = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!.AsObject();
            Assert.Equal(said, Assert.Single(Assert.IsType<JsonArray>(document["warnings"]))!.GetValue<string>());
            var summaries = command == "compare"
                ? document["findings"]!.AsObject().Select(f => f.Value!["summary"]!.GetValue<string>()).ToList()
                : [document["findings"]!["summary"]!.GetValue<string>()];
            Assert.NotEmpty(summaries);
            Assert.All(summaries, s => Assert.EndsWith(RepDiff.Findings.ExplanationFindings.RowsLookRandomlyPaired, s));

            string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
            int listed = html.IndexOf("<section class=\"warnings\"><h2>Warnings</h2><ul><li>" + Start, StringComparison.Ordinal);
            Assert.True(listed > 0, "no warning at the top of the report");
            Assert.True(listed < html.IndexOf("id=\"method-0\"", StringComparison.Ordinal), "the warning comes after the concepts");
        }

        // metrics writes it beside the scores it is read from.
        string metricsOut = Path.Combine(dir, "metrics-out");
        Assert.Equal(0, Run("metrics", a, shuffled, "--out", metricsOut).Code);
        var measures = JsonNode.Parse(File.ReadAllText(Path.Combine(metricsOut, "results.json")))!.AsObject();
        Assert.StartsWith(Start, Assert.Single(Assert.IsType<JsonArray>(measures["warnings"]))!.GetValue<string>());

        // evaluate rewrites the explanation and keeps the warning beside it.
        string results = Path.Combine(dir, "kmeans-out", "results.json");
        var before = JsonNode.Parse(File.ReadAllText(results))!["warnings"]!.DeepClone();
        Assert.Equal(0, Run("evaluate", results, a, shuffled).Code);
        Assert.True(JsonNode.DeepEquals(before, JsonNode.Parse(File.ReadAllText(results))!["warnings"]));

        // Rows in the same order: no warnings key, no warnings section, the findings unqualified.
        string alignedOut = Path.Combine(dir, "aligned-out");
        Assert.Equal(0, Run("kmeans", a, b, "--out", alignedOut).Code);
        var aligned = JsonNode.Parse(File.ReadAllText(Path.Combine(alignedOut, "results.json")))!.AsObject();
        Assert.Null(aligned["warnings"]);
        Assert.DoesNotContain("paired at random", aligned["findings"]!["summary"]!.GetValue<string>());
        Assert.DoesNotContain("class=\"warnings\"", File.ReadAllText(Path.Combine(alignedOut, "report.html")));
    }

    /// <summary>A 300-row pair and B's rows in another order (shuffled.npy), with that order.</summary>
    private (string A, string B, string Shuffled, int[] Order) ShuffledPair()
    {
        var (a, b, _) = SmallPair(dir, rows: 300);
        var order = Enumerable.Range(0, 300).OrderBy(i => (i * 7919) % 300).ToArray();
        string shuffled = Path.Combine(dir, "shuffled.npy");
        Npy.Write(shuffled, Npy.ReadMatrix(b).SelectRows(order));
        return (a, b, shuffled, order);
    }

    [Fact]
    public void ContextOfAStreamedPairReadsASubsampleNotTheWholeInputs()
    {
        // A streamed run (spec --route rff on 1,000,000 rows) must not hold both inputs in memory for CKA: it reads an
        // evenly spaced subsample. Checked by the pair staying unloaded, and the CKA being that of the subsample.
        int n = Comparison.StreamedCkaMaxSamples + 7;
        var rng = new Random(5);
        var x = new float[n * 3];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        var y = x.Select((v, i) => i % 3 == 0 ? v * v : v + 0.1f).ToArray();
        string a = Path.Combine(dir, "a.npy"), b = Path.Combine(dir, "b.npy");
        Npy.Write(a, x, n, 3);
        Npy.Write(b, y, n, 3);

        using var pair = new PairSpec(a, b).Open();
        Assert.False(pair.ReadWhole);
        var context = Comparison.ContextMetrics(pair);
        // Neither side read whole: a check of whether the mutual k-NN rows were the pair's own had read A whole (3 GB at 1,000,000 × 768).
        Assert.False(pair.ReadWhole);
        Assert.Equal(Comparison.StreamedCkaMaxSamples, context["linear_cka_samples"]!.GetValue<int>());
        var rows = Enumerable.Range(0, Comparison.StreamedCkaMaxSamples).Select(k => (int)((long)k * n / Comparison.StreamedCkaMaxSamples)).ToArray();
        Assert.Equal(RepDiff.Metrics.Cka.Linear(pair.RowsA.SelectRows(rows), pair.RowsB.SelectRows(rows)), context["linear_cka"]!.GetValue<double>());
    }
}
