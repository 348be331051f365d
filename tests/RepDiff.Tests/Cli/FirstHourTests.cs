using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>
/// A new user's first hour: the options they guess and the files they already have (token embeddings not pooled, a
/// pickled array, a CSV with a label column, a Hugging Face datasets folder). Each mistake gets one line saying what to do.
/// </summary>
public class FirstHourTests
{
    private readonly string dir = TestData.TempDir();

    /// <summary>
    /// An option the command lacks names the one meant: misspelt, cut short, run on or as other tools call it. These had
    /// been "Unrecognized command or argument '--lables' (and 1 more)", the "1 more" being the option's own value.
    /// </summary>
    [Theory]
    [InlineData("--lables", "--labels")]
    [InlineData("--label", "--labels")]
    [InlineData("--labels-file", "--labels")]
    [InlineData("--output", "--out")]
    [InlineData("-o", "--out")]
    [InlineData("--n-clusters", "--concepts")]
    [InlineData("--id-col", "--id-column")]
    [InlineData("--meta", "--metadata")]
    [InlineData("--random-state", "--seed")]
    public void AMistypedOptionNamesTheOneMeant(string typed, string meant)
    {
        var (a, b, _) = SmallPair(dir);
        var outcome = Run("rdx", a, b, typed, "x", "--out", Path.Combine(dir, "out"));
        outcome.AssertBadInput($"Unrecognized command or argument '{typed}' (did you mean {meant}?); see --help");
        Assert.DoesNotContain("more)", outcome.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    /// <summary>A word nothing resembles is named without a guess, and a second unknown word is still counted.</summary>
    [Fact]
    public void AnOptionLikeNothingIsNamedWithoutAGuess()
    {
        var (a, b, _) = SmallPair(dir);
        Run("rdx", a, b, "--frobnicate", "3").AssertBadInput("error: Unrecognized command or argument '--frobnicate'; see --help");
        Run("rdx", a, b, "--frobnicate", "3", "--wibble", "4").AssertBadInput("'--frobnicate' (and 1 more); see --help");
    }

    /// <summary>
    /// `--key a … --key b`, the obvious guess for two arrays of one .npz, had said "Option '--key' expects a single argument
    /// but 2 were provided", not that A and B have options of their own.
    /// </summary>
    [Fact]
    public void AnOptionGivenTwicePointsToItsPerSideOptions()
    {
        var (a, b, _) = SmallPair(dir);
        Run("rdx", a, b, "--key", "a", "--key", "b").AssertBadInput("--key is given more than once; to give A and B each its own, use --key-a and --key-b");
        Run("rdx", a, b, "--column", "a", "--column", "b").AssertBadInput("--column is given more than once; to give A and B each its own, use --column-a and --column-b");
        Run("rdx", a, b, "--seed", "1", "--seed", "2").AssertBadInput("--seed is given more than once; give it once");
    }
}
