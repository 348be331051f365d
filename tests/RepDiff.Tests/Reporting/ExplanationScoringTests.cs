using RepDiff.Methods.Rdx;
using RepDiff.Reporting;
using RepDiff.Tests.Trust;

namespace RepDiff.Tests.Reporting;

public class ExplanationScoringTests
{
    /// <summary>
    /// A run on a subsample (RDX's --max-samples) is scored among the rows it explained, as its stability and held-out
    /// validation are: its BSR and chance levels are those of the same run given those rows as its input. Over every row,
    /// `rdx --max-samples 2000` on 1,000,000 rows spent 42 s scoring against a 2 s method.
    /// </summary>
    [Fact]
    public void ARunOnASubsampleIsScoredAmongItsOwnRows()
    {
        var method = new RdxMethod();
        var pair = StabilityFixtures.Planted();
        var capped = method.Run(pair, new RdxOptions { MaxSamples = 300, Seed = 2 });
        ExplanationScoring.Score(capped, pair);
        using var subsample = pair.SelectRows(capped.RowsUsed!);
        var direct = method.Run(subsample, new RdxOptions { Seed = 2 });
        ExplanationScoring.Score(direct, subsample);

        static (double?, double?)[] Values(Explanation e) => e.Directions.SelectMany(d => d.Concepts).Select(c => (c.Bsr, c.BsrChance)).ToArray();
        Assert.Equal(Values(direct), Values(capped));
        Assert.All(Values(capped), v => Assert.NotNull(v.Item1));
        foreach (string key in new[] { "bsr", "bsr_mned", "bsr_lsed", "bsr_chance", "bsr_chance_sd" })
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(direct.Metrics[key], capped.Metrics[key]), key);
        // The grids stay rows of the whole input.
        Assert.All(capped.Directions.SelectMany(d => d.Concepts).SelectMany(c => c.Grid), i => Assert.Contains(i, capped.RowsUsed!));
    }

    [Fact]
    public void EvaluateScoresARunOnASubsampleAsTheRunDid()
    {
        // results.json marks the rows --max-samples left out with label −1; evaluate reads them back and reproduces the run's scores.
        string dir = TestData.TempDir();
        string a = TestData.Fixture("planted_a.npy"), b = TestData.Fixture("planted_b.npy");
        Assert.Equal(0, RepDiff.Cli.Cli.Run(RepDiff.Cli.Cli.BuildRoot(), ["rdx", a, b, "--max-samples", "300", "--concepts", "3", "--out", dir]));
        string results = Path.Combine(dir, "results.json"), rescored = Path.Combine(dir, "rescored.json");
        var written = Explanation.FromJson(File.ReadAllText(results));
        Assert.Equal(300, written.RowsUsed!.Length);
        Assert.Equal(0, RepDiff.Cli.Cli.Run(RepDiff.Cli.Cli.BuildRoot(), ["evaluate", results, a, b, "--out", rescored]));
        var metrics = Explanation.FromJson(File.ReadAllText(rescored)).Metrics;
        foreach (string key in new[] { "bsr", "bsr_mned", "bsr_lsed", "bsr_chance", "bsr_chance_sd" })
            Assert.Equal(written.Metrics[key]!.ToJsonString(), metrics[key]!.ToJsonString());
    }
}
