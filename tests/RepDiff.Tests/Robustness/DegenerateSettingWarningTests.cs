using RepDiff.Numerics;
using RepDiff.Spectral;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// Legal settings that leave a run's answer saying little get one warning line each, and ordinary runs none (review 174,
/// finding 9: `spec --sigma-a 1e-30`, `--rff-dim 1`, `spec-align --holdout-fraction 0.9` and `--stability 1` had run
/// without a word).
/// </summary>
public class DegenerateSettingWarningTests
{
    private readonly string dir = TestData.TempDir();

    private static string[] Warnings(Outcome outcome)
    {
        Assert.True(outcome.Code == 0, outcome.Stderr);
        return outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("warning: ")).ToArray();
    }

    [Theory]
    // 60 planted rows: median distances of a few units, so 1e-30 is 1e-31 of them, and 0.01 well below 1/15.
    [InlineData("--sigma-a 1E-30 is", "spec", "--sigma-a", "1e-30")]
    [InlineData("--sigma-b 0.01 is", "spec", "--sigma-b", "0.01")]
    [InlineData("--sigma-a 1E-30 is", "koda", "--sigma-a", "1e-30")]
    [InlineData("--sigma-b 0.01 is", "koda", "--sigma-b", "0.01")]
    [InlineData("--rff-dim 1: so few random Fourier frequencies", "spec", "--route", "rff", "--rff-dim", "1")]
    [InlineData("--rff-dim 99: so few random Fourier frequencies", "spec", "--route", "rff", "--rff-dim", "99")]
    [InlineData("--stability 1: each concept's stability is how well one rerun", "kmeans", "--stability", "1")]
    public void ADegenerateSettingOfAPairMethodIsWarnedOnce(string warning, string method, params string[] extra)
    {
        var (a, b, _) = SmallPair(dir);
        var warnings = Warnings(Run([method, a, b, .. extra, "--out", Path.Combine(dir, "out")]));
        Assert.StartsWith("warning: " + warning, Assert.Single(warnings));
    }

    [Theory]
    [InlineData("--sigma 0.001 is", "--sigma", "0.001")]
    [InlineData("--rff-dim 10: so few", "--route", "rff", "--rff-dim", "10")]
    public void ADegenerateSettingOfFincIsWarnedOnce(string warning, params string[] extra)
    {
        var (a, b, _) = SmallPair(dir);
        var warnings = Warnings(Run(["finc", a, a, .. extra, "--out", Path.Combine(dir, "out")]));
        Assert.StartsWith("warning: " + warning, Assert.Single(warnings));
    }

    /// <summary>Ten rows with 90% held out: W was trained on one row.</summary>
    [Fact]
    public void SpecAlignTrainedOnFewerRowsThanItNeedsIsWarned()
    {
        var (a, b, _) = SmallPair(dir, rows: 10);
        var warnings = Warnings(Run("spec-align", a, b, "--holdout-fraction", "0.9", "--concepts", "2", "--out", Path.Combine(dir, "out")));
        Assert.Equal("warning: --holdout-fraction 0.9 leaves 1 of 10 rows to train W on, fewer than the 8 SPEC-align needs for a run: W is fit to one row, "
            + "so the held-out SPEC-diff says little; use a smaller fraction or more samples", Assert.Single(warnings));
        Assert.Equal(1, RepDiff.Methods.Spec.SpecAlign.TrainingRows(10, 0.9));
        Assert.Equal(7, RepDiff.Methods.Spec.SpecAlign.TrainingRows(10, 0.3));  // the default fraction on 10 rows: 7 rows, warned too
    }

    /// <summary>The thresholds' edges: a bandwidth at 1/15 of the median and 100 frequencies are not warned, nor are defaults.</summary>
    [Theory]
    [InlineData("spec")]
    [InlineData("spec", "--route", "rff", "--rff-dim", "100")]
    [InlineData("spec", "--sigma-a", "2")]
    [InlineData("koda", "--sigma-a", "2")]
    [InlineData("finc")]
    [InlineData("spec-align", "--concepts", "2")]
    [InlineData("rdx", "--stability", "2")]
    [InlineData("compare", "--methods", "kmeans,pca")]
    public void OrdinarySettingsAreNotWarned(string method, params string[] extra)
    {
        var (a, b, _) = SmallPair(dir);
        Assert.Empty(Warnings(Run([method, a, method == "finc" ? a : b, .. extra, "--out", Path.Combine(dir, "out")])));
    }

    [Fact]
    public void CompareWarnsOfOneStabilityResample()
    {
        var (a, b, _) = SmallPair(dir);
        var warnings = Warnings(Run("compare", a, b, "--methods", "kmeans", "--stability", "1", "--out", Path.Combine(dir, "out")));
        Assert.StartsWith("warning: --stability 1:", Assert.Single(warnings));
    }

    [Fact]
    public void ANarrowBandwidthIsMeasuredAgainstTheMedianDistance()
    {
        // Rows 0, 1, 2, 3 on a line: pairwise distances 1, 1, 1, 2, 2, 3, median 1.5.
        var rows = new Matrix(4, 1, [0f, 1f, 2f, 3f]);
        Assert.Null(Bandwidth.Narrow(rows, 0.1, 0, "--sigma", "x"));        // 1/15 of the median
        Assert.Contains("--sigma 0.099 is 0.066 times x's median pairwise distance (1.5)", Bandwidth.Narrow(rows, 0.099, 0, "--sigma", "x"));
        Assert.Null(RandomFourierFeatures.TooFew(RandomFourierFeatures.FewestUseful, "--rff-dim"));
        Assert.Contains("±0.1 (1/√99)", RandomFourierFeatures.TooFew(99, "--rff-dim"));
    }
}
