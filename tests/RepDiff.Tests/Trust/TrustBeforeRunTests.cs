using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Trust;

/// <summary>
/// What stability and held-out validation refuse from sizes and options alone is refused before the method runs:
/// `kmeans --concepts 17 --stability 4` on 20 rows ran k-means on both sides and only then said its reruns on 16 rows
/// cannot hold 17 concepts; rdx --max-samples 12 --validate ran RDX before saying 12 rows cannot be split. Now: exit 2,
/// the one line and nothing else on stderr (no progress: no work started), no output folder.
/// </summary>
public class TrustBeforeRunTests
{
    private readonly string dir = TestData.TempDir();

    private void AssertRefusedBeforeAnyWork(string[] args, string message)
    {
        string outDir = Path.Combine(dir, "out");
        var outcome = Run([.. args, "--out", outDir]);
        Assert.True(outcome.Code == 2, $"exit {outcome.Code}: {outcome.Stderr}");
        Assert.Equal("error: " + message + "\n", outcome.Stderr.Replace("\r\n", "\n"));
        Assert.Equal("", outcome.Stdout);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void ARerunTooSmallForTheOptionsIsRefusedBeforeTheFullRun()
    {
        var (a20, b20, _) = SmallPair(Directory.CreateDirectory(Path.Combine(dir, "20")).FullName, 20);
        AssertRefusedBeforeAnyWork(["kmeans", a20, b20, "--concepts", "17", "--stability", "4"],
            "--concepts: 17 concepts need at least as many samples, but there are 16 (stability reruns the method on 16 of the 20 samples)");
        // --trust's stability counts too, and an option too large for every sample is named as such, not by a rerun's share.
        AssertRefusedBeforeAnyWork(["pca", a20, b20, "--concepts", "17", "--trust"],
            "--trust: needs at least 40 samples to split into a discovery and a validation half; there are 20");
        AssertRefusedBeforeAnyWork(["nmf", a20, b20, "--concepts", "25", "--stability", "4"],
            "--concepts: 25 concepts need at least as many samples, but there are 20");

        var (a, b, _) = SmallPair(dir, 60);
        AssertRefusedBeforeAnyWork(["kmeans", a, b, "--concepts", "31", "--validate"],
            "--concepts: 31 concepts need at least as many samples, but there are 30 (held-out validation runs the method on 30 of the 60 samples)");
        // RDX explains its --max-samples rows: they are what is split and resampled.
        AssertRefusedBeforeAnyWork(["rdx", a, b, "--max-samples", "12", "--concepts", "2", "--grid-size", "3", "--validate"],
            "--validate: needs at least 40 samples to split into a discovery and a validation half; there are 12 (the method runs on 12 of the 60 samples)");
        AssertRefusedBeforeAnyWork(["rdx", a, b, "--max-samples", "50", "--clustering", "pagerank", "--concepts", "2", "--grid-size", "24", "--trust"],
            "--concepts: pagerank clustering takes 24 samples per concept; 2 concepts need 48 samples, but there are 25 (held-out validation runs the method on 25 of the 50 samples)");
        AssertRefusedBeforeAnyWork(["rdx", a, b, "--concepts", "48", "--stability", "2"],
            "--concepts: 49 clusters (48 plus the null cluster) need at least as many samples, but there are 48 (stability reruns the method on 48 of the 60 samples)");
        AssertRefusedBeforeAnyWork(["rdx", a, b, "--max-samples", "13", "--concepts", "1", "--grid-size", "2", "--align", "--stability", "2"],
            "--align: needs at least 4 training and 4 held-out samples (70/30 split of 10) (stability reruns the method on 10 of the 13 samples)");

        // KODA's features route on 100 samples of 24 + 40 dimensions: the discovery half's 50 are too few.
        var (a100, b100, _) = SmallPair(Directory.CreateDirectory(Path.Combine(dir, "100")).FullName, 100);
        AssertRefusedBeforeAnyWork(["koda", a100, b100, "--kernel", "cosine", "--route", "features", "--validate"],
            "--route: features needs more samples than features, and there are 50 samples for 64 features (the two representations' dimensions); give --route exact "
            + "(held-out validation runs the method on 50 of the 100 samples)");
    }

    /// <summary>FINC splits each set on its own: the refusal counts the smaller set (it had said "there are 6" of 3 + 80 rows).</summary>
    [Fact]
    public void FincValidationNamesTheSmallerSet()
    {
        var (a, _, _) = SmallPair(dir, 80);
        string three = Path.Combine(dir, "three.npy");
        Npy.Write(three, Npy.ReadMatrix(a).SelectRows([0, 1, 2]));
        AssertRefusedBeforeAnyWork(["finc", three, a, "--validate"],
            "--validate: needs at least 20 samples in each set to split both into a discovery and a validation half; the smaller set has 3");
        AssertRefusedBeforeAnyWork(["finc", three, a, "--trust"],
            "--trust: needs at least 20 samples in each set to split both into a discovery and a validation half; the smaller set has 3");
    }

    /// <summary>SPEC-align's minimum under --stability had said "got 6" of the 8 rows given, not that 6 was the rerun's share.</summary>
    [Fact]
    public void SpecAlignsMinimumNamesTheRerun()
    {
        var (a, b, _) = SmallPair(dir, 8);
        AssertRefusedBeforeAnyWork(["spec-align", a, b, "--stability", "2"],
            "SPEC-align needs at least 8 samples, to train W on some and judge it on the rest; there are 6 (stability reruns the method on 6 of the 8 samples)");
    }

    [Fact]
    public void CompareChecksEveryMethodsRerunsBeforeRunningAny()
    {
        var (a, b, _) = SmallPair(dir, 6);
        AssertRefusedBeforeAnyWork(["compare", a, b, "--methods", "spec,kmeans", "--stability", "4"],
            "kmeans cannot run on these inputs (--concepts: 5 concepts need at least as many samples, but there are 4 (stability reruns the method on 4 of the 6 samples)); "
            + "run `repdiff kmeans` to set --concepts, or leave kmeans out with --methods spec");
    }

    /// <summary>
    /// Every method an option stops is named in one line, and the --methods it suggests leaves them all out: compare on
    /// 100,000 rows had refused rdx alone, suggesting a list with spec in it, which the next run then refused (helper 108).
    /// </summary>
    [Fact]
    public void CompareNamesEveryMethodThatCannotRunAtOnce()
    {
        var (a, b, _) = SmallPair(dir, 6);
        string rerun = "(--concepts: 5 concepts need at least as many samples, but there are 4 (stability reruns the method on 4 of the 6 samples))";
        AssertRefusedBeforeAnyWork(["compare", a, b, "--methods", "kmeans,spec,pca", "--stability", "4"],
            $"kmeans cannot run on these inputs {rerun}; pca cannot run on these inputs {rerun}; "
            + "run each alone (`repdiff kmeans`, `repdiff pca`) to set its option, or leave them out with --methods spec");
        // Left out as the line says, nothing else stops the comparison before its work.
        var outcome = Run("compare", a, b, "--methods", "spec", "--stability", "4", "--out", Path.Combine(dir, "spec-only"));
        Assert.DoesNotContain("cannot run on these inputs", outcome.Stderr);
    }
}
