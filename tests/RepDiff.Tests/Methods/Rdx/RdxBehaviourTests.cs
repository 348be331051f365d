using RepDiff.Options;
using RepDiff.IO;
using RepDiff.Methods;
using System.Text.Json.Nodes;
using RepDiff.Methods.Rdx;
using RepDiff.Metrics;
using CliRoot = RepDiff.Cli.Cli;

namespace RepDiff.Tests.Methods.Rdx;

public class RdxBehaviourTests
{
    private static readonly RdxOptions Settings = new() { Concepts = 3, Gamma = 0.1 };

    private static string WithoutTimings(Explanation e)
    {
        var json = JsonNode.Parse(e.ToJson())!.AsObject();
        json.Remove("timings");
        return json.ToJsonString();
    }

    [Fact]
    public void SameSeedGivesTheSameResult()
    {
        var pair = RdxFixtureTests.Pair("planted");
        var options = Settings with { Seed = 7, Grid = RdxGrid.Random, MaxSamples = 500 };
        Assert.Equal(WithoutTimings(new RdxMethod().Run(pair, options)), WithoutTimings(new RdxMethod().Run(pair, options)));
    }

    /// <summary>
    /// The heatmap shows at most 120 samples whatever --concepts is (docs/methods/rdx.md, results-schema.md): it took 24 of
    /// every cluster, so 12 concepts on the planted pair showed 276 samples (76,000 values per direction) and 40 on 1,000 rows wrote 8 MB of
    /// heatmaps into results.json, growing with the square of the concepts. Every concept still has a sample in it,
    /// and its entries are still sign·G of the samples shown.
    /// </summary>
    [Fact]
    public void HeatmapShowsAtMost120SamplesWithEveryConceptInIt()
    {
        var e = new RdxMethod().Run(RdxFixtureTests.Pair("planted"), Settings with { Concepts = 12 });
        foreach (var direction in e.Directions)
        {
            var heatmap = direction.Heatmap!;
            int m = heatmap.Samples.Length;
            Assert.InRange(m, 12, 120);
            Assert.Equal(m * m, heatmap.Values.Length);
            Assert.Equal(heatmap.Samples.Length, heatmap.Samples.Distinct().Count());
            Assert.Equal(heatmap.Samples.Select(i => direction.Labels![i]), heatmap.Clusters);
            var shown = heatmap.Clusters.Where(c => c > 0).Distinct().Order();
            Assert.Equal(Enumerable.Range(1, 12), shown);
        }
    }

    /// <summary>With more clusters than places (200 clusters of 3), the strongest clusters (highest labels) get one sample each.</summary>
    [Fact]
    public void HeatmapOfMoreClustersThanPlacesShowsTheStrongest()
    {
        int n = 600;
        var labels = Enumerable.Range(0, n).Select(i => 1 + i / 3).ToArray();
        var g = new Matrix(n, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) g[i, j] = (i - j) / (float)n;
        var heatmap = DifferenceHeatmap.Sample(g, -1f, labels, "test");
        Assert.Equal(120, heatmap.Samples.Length);
        Assert.Equal(Enumerable.Range(81, 120).Reverse(), heatmap.Clusters);
        Assert.Equal(MathF.Round(-g[heatmap.Samples[0], heatmap.Samples[1]], 3), heatmap.Values[1]);
    }

    [Fact]
    public void ParametersHoldEveryValueUsed()
    {
        var e = new RdxMethod().Run(RdxFixtureTests.Pair("planted"), new RdxOptions { Concepts = 3 });
        Assert.Equal(80.0 / 600, e.Parameters["gamma"]!.GetValue<double>(), 12);
        Assert.Equal("neighborhood", e.Parameters["distance"]!.GetValue<string>());
        Assert.Equal(9, e.Parameters["grid_size"]!.GetValue<int>());
        Assert.Equal(0, e.Parameters["seed"]!.GetValue<int>());
    }

    [Fact]
    public void ConceptsAreOrderedByStrengthWithLabelsRisingInCoherence()
    {
        var e = new RdxMethod().Run(RdxFixtureTests.Pair("planted"), Settings);
        foreach (var direction in e.Directions)
        {
            Assert.Equal(direction.Name == DirectionNames.MoreSimilarInA ? "a" : "b", direction.Explains);
            var strengths = direction.Concepts.Select(c => c.Strength).ToArray();
            Assert.Equal(strengths.OrderDescending(), strengths);
            Assert.Equal([1, 2, 3], direction.Concepts.Select(c => c.Rank));
            for (int r = 0; r < 3; r++)
            {
                var concept = direction.Concepts[r];
                int label = 3 - r;   // rank 1 = highest label
                Assert.Equal(Enumerable.Range(0, 600).Where(i => direction.Labels![i] == label).Order(), concept.Members.Order());
                Assert.Equal(9, concept.Grid.Length);
                Assert.All(concept.Grid, i => Assert.Equal(label, direction.Labels![i]));
            }
        }
    }

    [Fact]
    public void SubsampleIsStratifiedAndIndicesReferToOriginalRows()
    {
        var labels = RdxVariantTests.Groups;
        var rows = RepDiff.Numerics.Sampling.Stratified(600, 300, 1, labels);
        Assert.Equal(300, rows.Distinct().Count());
        foreach (var group in labels.Distinct())
            Assert.Equal(labels.Count(l => l == group) / 2, rows.Count(i => labels[i] == group));

        var e = new RdxMethod().Run(RdxFixtureTests.Pair("planted"), Settings with { MaxSamples = 300 });
        Assert.Equal(600, e.N);
        var direction = e.Directions[0];
        Assert.Equal(300, direction.Labels!.Count(l => l >= 0));
        Assert.All(direction.Concepts.SelectMany(c => c.Members), i => Assert.True(direction.Labels![i] > 0));
    }

    public static TheoryData<string, RdxOptions> BadOptions => new()
    {
        { nameof(RdxOptions.Concepts), Settings with { Concepts = 600 } },
        { nameof(RdxOptions.Gamma), Settings with { Gamma = 0 } },
        { nameof(RdxOptions.Gamma), Settings with { Gamma = -1 } },
        { nameof(RdxOptions.GridSize), Settings with { GridSize = 1 } },
        { nameof(RdxOptions.GuideLabels), Settings with { GuideLabels = TestData.SaveLabels(new int[599]) } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionsAreInputErrors(string what, RdxOptions options)
    {
        var error = Assert.Throws<InvalidOptionException>(() => new RdxMethod().Run(RdxFixtureTests.Pair("planted"), options));
        Assert.Equal(what, error.Property);
    }

    [Fact]
    public void TooLargeForMemoryIsRefusedSuggestingMaxSamples()
    {
        var error = Assert.Throws<InvalidOptionException>(() => RdxMemory.Check(100_000, 256, 256, 24L << 30));
        Assert.Equal(nameof(RdxOptions.MaxSamples), error.Property);
        RdxMemory.Check(20_000, 256, 256, 24L << 30);
    }

    [Fact]
    public void TooManyRowsAreRefusedAndASubsampleRunsWithoutLoadingTheFiles()
    {
        // Above the index limit: refused from the sample count alone, before any row is loaded (a 1,000,000-row pair was
        // loaded whole, 6 GB and a minute, only to be refused); --max-samples reads its rows, not the files.
        int n = RdxMemory.MaxSamples + 10;
        var rng = new Random(3);
        string dir = TestData.TempDir(), a = Path.Combine(dir, "a.npy"), b = Path.Combine(dir, "b.npy");
        foreach (string path in new[] { a, b })
            Npy.Write(path, Enumerable.Range(0, n * 4).Select(_ => (float)rng.NextDouble()).ToArray(), n, 4);
        using var pair = new PairSpec(a, b).Open();

        var error = Assert.Throws<InvalidOptionException>(() => ((IPairMethod)new RdxMethod()).Prepare(pair, new RdxOptions(), null));
        Assert.Equal(nameof(RdxOptions.MaxSamples), error.Property);
        Assert.False(pair.ReadWhole);
        var e = new RdxMethod().Run(pair, new RdxOptions { MaxSamples = 300, Concepts = 3 });
        Assert.False(pair.ReadWhole);
        Assert.Equal(n, e.N);
    }

    [Theory]
    [InlineData("--concepts", "600")]
    [InlineData("--gamma", "0")]
    [InlineData("--grid-size", "1")]
    [InlineData("--distance", "cosine")]
    public void CliRejectsBadInputWithExitCodeTwoAndWritesNothing(string option, string value)
    {
        string dir = Path.Combine(TestData.TempDir(), "out");
        int code = CliRoot.Run(CliRoot.BuildRoot(),
            ["rdx", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), option, value, "--out", dir]);
        Assert.Equal(2, code);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void CliRejectsGuideLabelsOfTheWrongLength()
    {
        string temp = TestData.TempDir();
        string labels = Path.Combine(temp, "labels.txt");
        File.WriteAllLines(labels, Enumerable.Range(0, 599).Select(i => (i % 3).ToString()));
        string dir = Path.Combine(temp, "out");
        int code = CliRoot.Run(CliRoot.BuildRoot(),
            ["rdx", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--guide-labels", labels, "--out", dir]);
        Assert.Equal(2, code);
        Assert.False(Directory.Exists(dir));
    }

    [Theory]
    [InlineData(RdxDistance.Neighborhood)]
    [InlineData(RdxDistance.MaxNormalized)]
    public void GuidedConceptsStayWithinOneLabel(RdxDistance distance)
    {
        // Cross-label pairs get the same comparable value in A and B (rank after every same-label sample,
        // or 5·max / 5·max = 1), so their difference is 0. Local scaling divides 25·max² by each
        // representation's own s_i s_j, so there the cross-label pairs still differ (see docs/methods/rdx.md).
        var labels = RdxVariantTests.Groups;
        var e = new RdxMethod().Run(RdxFixtureTests.Pair("planted"), Settings with { GuideLabels = TestData.SaveLabels(labels), Distance = distance });
        foreach (var direction in e.Directions)
            foreach (var concept in direction.Concepts)
            {
                var grid = concept.Grid.Select(i => labels[i]).Distinct().ToArray();
                Assert.True(grid.Length == 1, $"{direction.Name} rank {concept.Rank} mixes labels {string.Join(",", grid)}");
            }
    }

    [Fact]
    public void EvaluateRewritesTheMetricsOfAResultsFile()
    {
        string dir = TestData.TempDir();
        int code = CliRoot.Run(CliRoot.BuildRoot(),
            ["rdx", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--concepts", "3", "--gamma", "0.1", "--out", dir]);
        Assert.Equal(0, code);
        string results = Path.Combine(dir, "results.json");
        var written = Explanation.FromJson(File.ReadAllText(results));
        var fromRdx = written.Metrics.DeepClone().AsObject();
        written.Metrics.Remove("bsr");
        written.Metrics.Remove("bsr_mned");
        written.Metrics.Remove("bsr_lsed");
        File.WriteAllText(results, written.ToJson());

        string rescored = Path.Combine(dir, "rescored.json");
        Assert.Equal(0, CliRoot.Run(CliRoot.BuildRoot(),
            ["evaluate", results, TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--out", rescored]));
        var metrics = Explanation.FromJson(File.ReadAllText(rescored)).Metrics;
        double reference = TestData.Reference["planted"]!["rdx"]![DirectionNames.MoreSimilarInA]!["bsr_silb"]!.GetValue<double>();
        Assert.Equal(reference, metrics["bsr"]![DirectionNames.MoreSimilarInA]!.GetValue<double>(), 12);
        foreach (var key in new[] { "bsr", "bsr_mned", "bsr_lsed" })
            Assert.Equal(fromRdx[key]!.ToJsonString(), metrics[key]!.ToJsonString());   // evaluate reproduces rdx's own scoring

        Assert.Equal(0, CliRoot.Run(CliRoot.BuildRoot(),
            ["evaluate", results, TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy")]));
        Assert.True(Explanation.FromJson(File.ReadAllText(results)).Metrics.ContainsKey("bsr"));

        // Another pair's embeddings: a clear input error, the file untouched.
        string before = File.ReadAllText(results);
        Assert.Equal(2, CliRoot.Run(CliRoot.BuildRoot(),
            ["evaluate", results, TestData.Fixture("digits_m49_a.npy"), TestData.Fixture("digits_m49_b.npy")]));
        Assert.Equal(before, File.ReadAllText(results));
    }
}

public class RowRankTests
{
    /// <summary>Value kinds that exercise the radix passes: ties and several exponents (every digit varies), one exponent
    /// (the top digit shared and skipped), all equal (only self's key differs), more rows than one digit's buckets, a
    /// few neighbouring values (keys of two bits: digits of one), and guidance's far value beside exact copies at 0 (keys
    /// of the widest range, digits of 11 bits); self first, last and between.</summary>
    [Theory]
    [InlineData("ties and exponents", 300)]
    [InlineData("one exponent", 300)]
    [InlineData("all equal", 300)]
    [InlineData("ties and exponents", 5000)]
    [InlineData("three neighbouring values", 300)]
    [InlineData("far and copies", 300)]
    public void RanksPutSelfFirstAndBreakTiesByIndex(string kind, int n)
    {
        var rng = new Random(5);
        var values = Enumerable.Range(0, n).Select(i => kind switch
        {
            "ties and exponents" => i % 7 == 0 ? 1e6f * (float)rng.NextDouble() : rng.Next(5),
            "one exponent" => 256f + 255f * (float)rng.NextDouble(),
            "three neighbouring values" => BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(7f) + (uint)(i % 3)),
            "far and copies" => i % 5 == 0 ? float.MaxValue : i % 5 == 1 ? 0f : rng.Next(1000),
            _ => 3f,
        }).ToArray();
        var scratch = new DifferenceMatrix.RowScratch(values.Length);
        var ranks = new float[values.Length];
        foreach (int self in Enumerable.Range(0, n).Where(i => i % 37 == 0 || i == n - 1))
        {
            RowScale.RowRanks(self, values, ranks, scratch);
            var expected = Enumerable.Range(0, values.Length)
                .OrderBy(j => j == self ? -1 : values[j]).ThenBy(j => j).ToArray();
            for (int p = 0; p < expected.Length; p++) Assert.Equal(p, ranks[expected[p]]);
        }
    }
}
