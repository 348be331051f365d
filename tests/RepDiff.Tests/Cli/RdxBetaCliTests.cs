using RepDiff.Tests.Metrics;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>
/// Review 174, finding 8: `rdx --difference standard` at its default --beta overflows exp(beta G) on an ordinary 40-sample pair,
/// and the refusal did not name --normalize-difference, which fixes it; --beta's help promised up to 10000 where the default
/// difference refuses anything above about 80.
/// </summary>
public class RdxBetaCliTests
{
    [Fact]
    public void TheStandardDifferencesOverflowNamesNormalizeDifferenceWhichRuns()
    {
        string dir = TestData.TempDir();
        string a = Path.Combine(dir, "a.npy"), b = Path.Combine(dir, "b.npy"), outDir = Path.Combine(dir, "out");
        Npy.Write(a, CkaTests.Random(40, 8, seed: 1));
        Npy.Write(b, CkaTests.Random(40, 6, seed: 2));
        Run("rdx", a, b, "--difference", "standard", "--maps", "pca", "--out", outDir)
            .AssertBadInput("or less, or give --normalize-difference (differences then reach 1)");
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(0, Run("rdx", a, b, "--difference", "standard", "--normalize-difference", "--maps", "pca", "--out", outDir).Code);
        // The default difference is already within (−1, 1): there, normalizing is no remedy and is not offered.
        var large = Run("rdx", a, b, "--beta", "100", "--maps", "pca", "--out", Path.Combine(dir, "other"));
        large.AssertBadInput("use --beta 80 or less");
        Assert.DoesNotContain("--normalize-difference", large.Stderr);
    }

    [Fact]
    public void BetasHelpSaysWhatTheDefaultDifferenceAllows()
    {
        var help = Run("rdx", "--help").Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("--beta"));
        Assert.Contains("beta times the largest difference may be at most 80 (float32), so above 80 only with a small --gamma", help);
    }
}

/// <summary>Review 174, finding 11: labels all alike refuse the probes as labels all distinct do, naming the way past them.</summary>
public class ProbeLabelsCliTests
{
    [Fact]
    public void LabelsAllAlikeOfferProbesFalseAsLabelsAllDistinctDo()
    {
        string dir = TestData.TempDir();
        var (a, b, _) = SmallPair(dir, rows: 20);
        string same = Path.Combine(dir, "same.txt"), outDir = Path.Combine(dir, "out");
        File.WriteAllText(same, string.Concat(Enumerable.Repeat("x\n", 20)));
        Run("metrics", a, b, "--labels", same, "--out", outDir)
            .AssertBadInput("--labels: every sample has the same label ('x'); the linear probe needs at least two (or give --probes false)");
        Assert.False(Directory.Exists(outDir));
    }
}
