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
        Assert.Contains("<dt>test set</dt><dd>finc_test.npy <small>1,000 samples</small></dd>", html);
        Assert.Contains("<dt>reference set</dt><dd>finc_ref.npy <small>1,000 samples</small></dd>", html);
        Assert.DoesNotContain("<dt>samples</dt>", html);
        Assert.Contains("Sample numbers (#) are rows of finc_ref.npy.", html);
    }
}
