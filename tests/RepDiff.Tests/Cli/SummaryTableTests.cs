using RepDiff.IO;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Cli;

/// <summary>The terminal table a method command prints: only columns something fills, and what it leaves out said.</summary>
public class SummaryTableTests
{
    [Fact]
    public void FincTableNamesTheSetsHasNoEmptyColumnsAndSaysWhatItLeavesOut()
    {
        string dir = TestData.TempDir();
        var outcome = CliHarness.Run("finc", TestData.Fixture("finc_test.npy"), TestData.Fixture("finc_ref.npy"), "--out", Path.Combine(dir, "out"));
        Assert.True(outcome.Code == 0, outcome.Stderr);
        Assert.Contains("finc: finc_test.npy (TEST) vs finc_ref.npy (REF)", outcome.Stdout);
        Assert.DoesNotContain("BSR", outcome.Stdout);
        Assert.DoesNotContain("top labels", outcome.Stdout);
        // --concepts defaults to 10 a direction; the table shows 5 of each.
        Assert.Contains("(the first 5 concepts of each direction; all 20 are in results.json and the report)", outcome.Stdout);
        // Each direction's finding in words, as every method command gives it.
        Assert.Contains("more_frequent_in_test: The test set (finc_test.npy) has more samples than the reference set (finc_ref.npy) in five groups", outcome.Stdout);
        Assert.Contains("more_frequent_in_ref: The reference set (finc_ref.npy) has more samples than the test set (finc_test.npy)", outcome.Stdout);
        // The report's header names each set with its size (it had said "A / B" and one sample count), and each direction
        // says which set its sample numbers are rows of.
        string html = File.ReadAllText(Path.Combine(dir, "out", "report.html"));
        Assert.Contains("<dt>test set</dt><dd><bdi>finc_test.npy</bdi> <small>1,000 samples</small></dd>", html);
        Assert.Contains("<dt>reference set</dt><dd><bdi>finc_ref.npy</bdi> <small>1,000 samples</small></dd>", html);
        Assert.DoesNotContain("<dt>samples</dt>", html);
        Assert.Contains("Sample numbers (#) are rows of <bdi>finc_ref.npy</bdi>.", html);
    }

    /// <summary>
    /// A spectral method asked for more concepts than the difference has modes says how many each direction has and why:
    /// `spec --concepts 1000` had given 123 and 198 without a word.
    /// </summary>
    [Fact]
    public void SpecSaysWhenADirectionHasFewerModesThanConceptsAskedFor()
    {
        string dir = TestData.TempDir();
        var outcome = CliHarness.Run("spec", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--concepts", "1000", "--out", Path.Combine(dir, "out"));
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var results = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "out", "results.json")))!;
        var directions = results["explanations"]?[0]?["directions"] ?? results["directions"]!;
        int Count(int d) => directions[d]!["concepts"]!.AsArray().Count;
        Assert.InRange(Count(0), 1, 599);
        Assert.Equal($"(--concepts 1000: more_similar_in_a has {Count(0)}, more_similar_in_b has {Count(1)}, one per eigenvalue of its sign clearly away from zero; there are no more)",
            outcome.Stdout.Split('\n').Single(l => l.StartsWith("(--concepts", StringComparison.Ordinal)));

        // At the default 10, a direction with all 10 says nothing more.
        outcome = CliHarness.Run("spec", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--out", Path.Combine(dir, "ten"));
        Assert.DoesNotContain("(--concepts", outcome.Stdout);
    }

    /// <summary>
    /// KODA's modes end where its constrained search finds no group one kernel holds clearly tighter than the other, not at
    /// an eigenvalue's sign, and its line says so. B is A with its columns in another order: the same distances, so no mode.
    /// </summary>
    [Fact]
    public void KodaSaysWhyADirectionHasFewerModesThanConceptsAskedFor()
    {
        string dir = TestData.TempDir();
        var rng = new Random(3);
        var a = new Matrix(60, 6, Enumerable.Range(0, 360).Select(_ => (float)rng.NextDouble()).ToArray());
        var reordered = new Matrix(60, 6);
        for (int i = 0; i < 60; i++)
            for (int c = 0; c < 6; c++) reordered[i, c] = a[i, 5 - c];
        Npy.Write(Path.Combine(dir, "a.npy"), a);
        Npy.Write(Path.Combine(dir, "b.npy"), reordered);
        var outcome = CliHarness.Run("koda", Path.Combine(dir, "a.npy"), Path.Combine(dir, "b.npy"), "--out", Path.Combine(dir, "out"));
        Assert.True(outcome.Code == 0, outcome.Stderr);
        Assert.Equal("(--concepts 10: more_similar_in_a has 0, more_similar_in_b has 0, one per group that one kernel holds clearly tighter than the other; there are no more)",
            outcome.Stdout.Split('\n').Single(l => l.StartsWith("(--concepts", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Texts without labels: the planted groups' samples say their group's word, and the table, the findings, results.json
    /// and the cards name each concept by the words its members' texts have.
    /// </summary>
    [Fact]
    public void ConceptsOfTextsAreNamedByTheirWords()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = CliHarness.SmallPair(dir, rows: 120);
        string[] word = ["amber", "basalt", "cobalt", "dune", "ember", "fjord", "garnet", "heron"];
        string texts = Path.Combine(dir, "texts.txt");
        File.WriteAllLines(texts, File.ReadAllLines(labels).Select((g, i) => $"sample {i} of the {word[int.Parse(g)]} kind"));
        string outDir = Path.Combine(dir, "out");
        var outcome = CliHarness.Run("rdx", a, b, "--texts", texts, "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        Assert.Contains("top words", outcome.Stdout);
        Assert.Contains("stands out by the word", outcome.Stdout);
        var results = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        var concepts = results["directions"]!.AsArray().SelectMany(d => d!["concepts"]!.AsArray()).ToList();
        var groupWords = word.ToHashSet();
        // Every concept with words leads with a group's word, with the members' and the texts' counts; most concepts have some
        // (a small one may not: the test is over every word of the texts, and each text has its own number).
        Assert.True(concepts.Count(c => c!["words"]!.AsArray().Count > 0) * 2 > concepts.Count);
        foreach (var concept in concepts.Where(c => c!["words"]!.AsArray().Count > 0))
        {
            var top = concept!["words"]![0]!;
            Assert.Contains(top["word"]!.GetValue<string>(), groupWords);
            int members = concept["members"]!.AsArray().Count, with = concept["members"]!.AsArray().Count(m => File.ReadAllLines(texts)[m!.GetValue<int>()].Contains(" " + top["word"]!.GetValue<string>() + " "));
            Assert.Equal((members, with, 120), (top["members"]!.GetValue<int>(), top["members_with_word"]!.GetValue<int>(), top["total"]!.GetValue<int>()));
        }
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("<p class=\"words\"", html);
        // The report states the finding too (without labels it had shown none: it could only say "see the concept cards").
        Assert.Matches("<span class=\"finding\">(?:[^<]|</?bdi>)*there are no labels to name them; concept \\d+, \\d+ texts, stands out by the word", html);

        // compare: the strongest concept by its words, and the headline method's line naming its groups by them, once.
        string compareDir = Path.Combine(dir, "compare");
        outcome = CliHarness.Run("compare", a, b, "--texts", texts, "--methods", "rdx,kmeans", "--out", compareDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        Assert.Matches(@"\d+ members \(words: \w+", outcome.Stdout);
        var finding = Assert.Single(outcome.Stdout.Split('\n'), l => l.StartsWith("finding: "));
        Assert.Matches("^finding: (rdx|kmeans) finds .*\\(no labels to name them; (its concept \\d+|concept \\d+ of the groups [^;]*?) stands out by '", finding);
        Assert.DoesNotContain("finding: rdx: ", finding);
    }
}
