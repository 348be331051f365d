using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>`repdiff metrics` with labels the linear probe cannot use: the error names the option to change.</summary>
public class MetricsCommandTests
{
    private readonly string dir = TestData.TempDir();

    [Fact]
    public void LabelsOfOneClassNameLabels()
    {
        var (a, b, _) = SmallPair(dir);
        string labels = Path.Combine(dir, "one.txt");
        File.WriteAllText(labels, string.Concat(Enumerable.Repeat("cat\n", 60)));
        string outDir = Path.Combine(dir, "out");
        Run("metrics", a, b, "--labels", labels, "--out", outDir).AssertBadInput("error: --labels: every sample has the same label ('cat')");
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void FewerSamplesThanFoldsNameFolds()
    {
        var (a, b, _) = SmallPair(dir, rows: 3);
        string labels = Path.Combine(dir, "three.txt");
        File.WriteAllText(labels, "x\ny\nx\n");
        Run("metrics", a, b, "--labels", labels, "--out", Path.Combine(dir, "out")).AssertBadInput("error: --folds: 5 folds need at least 5 samples");
        Assert.Equal(0, Run("metrics", a, b, "--labels", labels, "--folds", "3", "--out", Path.Combine(dir, "out")).Code);
    }
}
