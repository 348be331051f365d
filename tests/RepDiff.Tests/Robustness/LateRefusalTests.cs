using RepDiff.Cli;
using RepDiff.Methods;
using RepDiff.Methods.Rdx;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// A refused run's stderr is its one error line, though the refusal needs work done first (review 174, finding 12: with
/// stderr redirected, "distances and ranks: 100%" had come before `rdx --gamma 1e-300`'s error line); a run's plain
/// progress lines are held back for its first seconds, and a run that goes on longer still logs them.
/// </summary>
public class LateRefusalTests
{
    private readonly string dir = TestData.TempDir();

    /// <summary>The whole of stderr, progress lines included (AssertBadInput leaves those out).</summary>
    private static string[] StderrLines(Outcome outcome) => outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("--gamma 1E-300 flattens every difference", "--gamma", "1e-300")]  // decided by the options: refused before any work
    [InlineData("--beta 200 makes the affinities exp(beta G) overflow", "--beta", "200")]  // needs the differences: refused after them
    public void ARefusedRunPrintsOnlyItsErrorLine(string error, params string[] option)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "earlier");
        var outcome = Run(["rdx", a, b, .. option, "--out", outDir]);
        Assert.Equal(2, outcome.Code);
        var line = Assert.Single(StderrLines(outcome));
        Assert.StartsWith("error: " + error, line);
        Assert.Equal(["keep.txt"], Directory.GetFiles(outDir).Select(Path.GetFileName));
    }

    /// <summary>The same run that is refused above runs when its options allow it, and its log still shows its stages.</summary>
    [Fact]
    public void ARunThatIsNotRefusedStillLogsItsProgress()
    {
        var (a, b, _) = SmallPair(dir);
        var outcome = Run("rdx", a, b, "--beta", "50", "--out", Path.Combine(dir, "out"));
        Assert.Equal(0, outcome.Code);
        Assert.Contains("distances and ranks: 100%", outcome.Stderr);
        Assert.Contains("report model: 100%", outcome.Stderr);
    }

    /// <summary>A --gamma that flattens every difference whatever the data is refused by the checks before the run, as other options are.</summary>
    [Fact]
    public void AGammaThatFlattensEveryDifferenceIsRefusedBeforeTheRun()
    {
        var pair = new RepresentationPair(TestData.LoadFixture("planted_a.npy"), TestData.LoadFixture("planted_b.npy"));
        var method = (IPairMethod)new RdxMethod();
        var refused = Assert.ThrowsAny<RepDiffInputException>(() => method.CheckSampleCount(pair, pair.N, new RdxOptions { Gamma = 1e-300 }.GammaGiven()));
        Assert.Contains("--gamma 1E-300 flattens every difference", refused.Message);
        // Max-normalized distances reach 1: a gamma of 1e-7 flattens them, while neighbourhood ranks reach n − 1 and keep it apart.
        var normalized = new RdxOptions { Gamma = 1e-7, Distance = RdxDistance.MaxNormalized }.GammaGiven();
        Assert.ThrowsAny<RepDiffInputException>(() => method.CheckSampleCount(pair, pair.N, normalized));
        method.CheckSampleCount(pair, pair.N, new RdxOptions { Gamma = 1e-7 }.GammaGiven());
    }

    [Fact]
    public void HeldLinesArePrintedWhenTheWorkIsDoneAndLeftOutWhenItIsRefused()
    {
        var n = Environment.NewLine;
        foreach (bool refused in new[] { false, true })
        {
            var lines = new StringWriter();
            using var progress = new ProgressDisplay.PlainProgress(lines, () => false, hold: 3600);
            progress.Report(new ProgressUpdate("distances and ranks", 1));
            progress.Report(new ProgressUpdate("affinities", 0.5));
            Assert.Equal("", lines.ToString());
            if (refused) progress.Drop(); else progress.Release();
            progress.Report(new ProgressUpdate("k-means", 0));
            Assert.Equal(refused ? "" : $"distances and ranks: 100%{n}affinities: 50%{n}k-means: 0%{n}", lines.ToString());
        }
    }

    /// <summary>A run longer than the hold logs its lines once the hold is over, though no stage reports then (one long stage).</summary>
    [Fact]
    public void HeldLinesArePrintedOnceTheHoldIsOver()
    {
        var lines = new StringWriter();
        using var progress = new ProgressDisplay.PlainProgress(TextWriter.Synchronized(lines), () => false, hold: 0.2);
        progress.Report(new ProgressUpdate("aligning", 0));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (lines.ToString() == "" && waited.Elapsed.TotalSeconds < 60) Thread.Sleep(20);
        Assert.Equal($"aligning: 0%{Environment.NewLine}", lines.ToString());
        progress.Report(new ProgressUpdate("aligning", 0.25));
        Assert.EndsWith($"aligning: 25%{Environment.NewLine}", lines.ToString());
        // Refused after the hold: the lines already printed stay, as the log of a run that went on that long.
        progress.Drop();
        progress.Report(new ProgressUpdate("aligning", 0.5));
        Assert.DoesNotContain("50%", lines.ToString());
    }
}

internal static class GivenGamma
{
    /// <summary>The options as a command line that typed --gamma gives them.</summary>
    public static MethodOptions GammaGiven(this RdxOptions options) => (MethodOptions)options.WithGiven([nameof(RdxOptions.Gamma)]);
}
