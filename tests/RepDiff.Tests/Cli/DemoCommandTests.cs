namespace RepDiff.Tests.Cli;

/// <summary>`repdiff demo` into a folder an earlier demo run wrote: the new run replaces it (the digit pairs only, RDX only, to stay quick).</summary>
public class DemoCommandTests
{
    [Fact]
    public void ASecondRunReplacesTheFirstRunsFolder()
    {
        string dir = Path.Combine(TestData.TempDir(), "demo");
        string[] args = ["demo", "--out", dir, "--digits-only", "--methods", "rdx"];
        for (int run = 0; run < 2; run++)
        {
            // Before the second run, an rdx run's results in the folder: the demo keeps them and says so (helper 89).
            string[] earlier = run == 1 ? ["results.json", "maps.npy"] : [];
            foreach (string file in earlier) File.WriteAllText(Path.Combine(dir, file), "an earlier rdx run's");
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), args, stdout, stderr);
            Assert.True(code == 0, $"run {run + 1}: exit {code}: {stderr}");
            Assert.Contains("finding: rdx: ", stdout.ToString());
            if (run == 1) Assert.Contains("held an earlier run's results; these files of it stay, as this run writes none of that name: maps.npy, results.json", stderr.ToString());
            foreach (string file in earlier) File.Delete(Path.Combine(dir, file));
        }
        Assert.Equal(["checkpoints", "index.html", "merged-labels"], Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Order());
        Assert.True(File.Exists(Path.Combine(dir, "merged-labels", "report.html")));
        Assert.Contains("class=\"finding\"", File.ReadAllText(Path.Combine(dir, "index.html")));
        // The headline method's concepts were tested on held-out samples, so its finding speaks only of confirmed ones.
        foreach (string pair in new[] { "checkpoints", "merged-labels" })
        {
            var results = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, pair, "results.json")))!;
            var rdx = results["explanations"]!.AsArray().Single(m => (string)m!["method"]! == "rdx")!;
            Assert.All(rdx["directions"]!.AsArray().SelectMany(d => d!["concepts"]!.AsArray()), c => Assert.NotNull(c!["p_adjusted"]));
            // The findings in words, as compare writes them, and the side files saved beside the report as its inputs.
            Assert.NotNull(results["findings"]!["rdx"]!["summary"]);
            Assert.Equal(["a", "b", "images", "labels"], results["inputs"]!.AsObject().Select(p => p.Key).Order());
            Assert.Equal("images.npy", (string)results["inputs"]!["images"]!);
            Assert.True(File.Exists(Path.Combine(dir, pair, "images.npy")));
        }
    }

    [Fact]
    public void AnUnknownMethodIsOneLineAndExitTwoBeforeAnyWork()
    {
        string parent = TestData.TempDir();
        string dir = Path.Combine(parent, "demo");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), ["demo", "--out", dir, "--digits-only", "--methods", "rdx,bogus"], stdout, stderr);
        Assert.Equal(2, code);
        var errors = stderr.ToString().Split('\n').Where(l => l.StartsWith("error", StringComparison.Ordinal)).ToList();
        Assert.Contains("unknown method 'bogus'", Assert.Single(errors));
        Assert.DoesNotContain("AggregateException", stderr.ToString());
        Assert.False(Directory.Exists(dir));
        // It fails before any work: no model trained or pair compared (no progress line), nothing staged beside --out.
        Assert.Equal(errors, stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(stdout.ToString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }
}
