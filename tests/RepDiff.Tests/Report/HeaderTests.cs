using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Report;

/// <summary>The facts at the top of a report, from a real run.</summary>
public class HeaderTests
{
    [Fact]
    public void ASubsampledRunSaysSoBesideTheSampleCount()
    {
        string dir = TestData.TempDir();
        var (a, b, _) = CliHarness.SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        var outcome = CliHarness.Run("rdx", a, b, "--max-samples", "30", "--concepts", "2", "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        Assert.Contains("<dd>60 <small>(rdx on a seeded 30: --max-samples)</small></dd>", File.ReadAllText(Path.Combine(outDir, "report.html")));
    }
}
