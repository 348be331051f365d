using RepDiff.IO;
using RepDiff.Methods.Finc;
using RepDiff.Methods.Spec;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>
/// What a newcomer meets first, from a review of the docs against the behaviour (review 161): help that lists only what a
/// command takes and says its defaults, and one line that says what to do when a command cannot.
/// </summary>
public class NewcomerMessagesTests
{
    private readonly string dir = TestData.TempDir();

    /// <summary>The lines of a command's --help that describe <paramref name="flag"/> (its description wraps onto the next lines).</summary>
    private static string HelpOf(string command, string flag)
    {
        var help = Run(command, "--help");
        Assert.Equal(0, help.Code);
        var lines = help.Stdout.Split('\n');
        // The flag among the names that start its line (`--column, --key <key>`).
        int at = Array.FindIndex(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^\s+(-\S+, )*{System.Text.RegularExpressions.Regex.Escape(flag)}[ ,]"));
        Assert.True(at >= 0, $"{command} --help has no {flag}: {help.Stdout}");
        // The description's continuation lines are indented past the flags' column; the next flag starts at two spaces.
        var own = lines.Skip(at + 1).TakeWhile(l => l.StartsWith("   ", StringComparison.Ordinal) && !l.TrimStart().StartsWith('-'));
        return string.Join(" ", new[] { lines[at] }.Concat(own).Select(l => l.Trim()));
    }

    /// <summary>`groups --help` had listed --stability, --validate and --trust, which groups refuses (its groups are given, not found).</summary>
    [Fact]
    public void GroupsHelpListsNoTrustOptionsAndStillSaysWhyWhenOneIsGiven()
    {
        string groupsHelp = Run("groups", "--help").Stdout;
        foreach (string flag in new[] { "--stability", "--validate", "--trust" })
        {
            Assert.DoesNotContain(flag, groupsHelp);
            Assert.Contains(flag, Run("rdx", "--help").Stdout);
        }
        var (a, b, _) = SmallPair(dir);
        string groups = Path.Combine(dir, "groups.csv");
        File.WriteAllLines(groups, ["group,row", .. Enumerable.Range(0, 10).Select(i => $"g,{i}")]);
        string output = Path.Combine(dir, "out");
        Run("groups", a, b, "--groups", groups, "--trust", "--out", output).AssertBadInput("--trust: groups scores groups given in a file");
        Assert.False(Directory.Exists(output));
    }

    /// <summary>
    /// A typo is offered only the options the command's help lists: `groups --trsut` had been asked "did you mean --trust?",
    /// which groups then refused. A visible option's typo is still offered it, and --trust typed exactly still says why.
    /// </summary>
    [Fact]
    public void GroupsOffersNoHiddenOptionForATypo()
    {
        var (a, b, _) = SmallPair(dir);
        string groups = Path.Combine(dir, "groups.csv");
        File.WriteAllLines(groups, ["group,row", .. Enumerable.Range(0, 10).Select(i => $"g,{i}")]);
        string output = Path.Combine(dir, "out");
        foreach (string typo in new[] { "--trsut", "--stabilty", "--valdate" })
        {
            var refused = Run("groups", a, b, "--groups", groups, typo, "--out", output);
            refused.AssertBadInput($"error: Unrecognized command or argument '{typo}'; see --help");
        }
        Run("groups", a, b, "--grups", groups, "--out", output).AssertBadInput("error: Unrecognized command or argument '--grups' (did you mean --groups?); see --help");
        Run("groups", a, b, "--groups", groups, "--lables", "l.txt", "--out", output).AssertBadInput("(did you mean --labels?)");
        Run("groups", a, b, "--groups", groups, "--trust", "--out", output).AssertBadInput("--trust: groups scores groups given in a file");
        Assert.False(Directory.Exists(output));
    }

    /// <summary>inspect's --column help had said a file of several lists them all; a JSON Lines file of two vector fields is refused naming them.</summary>
    [Fact]
    public void InspectColumnHelpSaysWhatAJsonLinesFileOfSeveralVectorFieldsDoes()
    {
        string help = HelpOf("inspect", "--key");
        Assert.Contains("a JSON Lines file of several vector fields is refused, naming them", help);
        string jsonl = Path.Combine(dir, "pairs.jsonl");
        File.WriteAllLines(jsonl, Enumerable.Range(0, 5).Select(i => $$"""{"img":[{{i}},1],"txt":[1,{{i}}]}"""));
        Run("inspect", jsonl).AssertBadInput("choose one with --column (fields: img, txt)");
    }

    /// <summary>
    /// A 1200×28×28 pixel array given to inspect had been told only to pool its "tokens"; a 4-D one had no advice at all.
    /// Both now say that pixel arrays go with --images or are embedded first, on the one error line.
    /// </summary>
    [Theory]
    [InlineData(new long[] { 12, 28, 28 })]
    [InlineData(new long[] { 12, 8, 8, 3 })]
    public void APixelShapedArraySaysToGiveItAsImagesOrEmbedIt(long[] shape)
    {
        string images = Path.Combine(dir, "images.npy");
        Npy.Write(images, new float[shape.Aggregate(1L, (p, d) => p * d)], shape);
        var outcome = Run("inspect", images);
        outcome.AssertBadInput("give them with --images, or embed them with `repdiff embed resnet18 --images FILE --out embeddings.npy`");
        // Token embeddings are the other thing a 3-D array often is, and keep their advice.
        if (shape.Length == 3) Assert.Contains("x.mean(axis=1)", outcome.Stderr);
        else Assert.DoesNotContain("token", outcome.Stderr);
    }

    /// <summary>sae --trust measures no stability (each rerun retrains it): the terminal had not said so, only --help did.</summary>
    [Fact]
    public void SaeTrustSaysOnTheTerminalThatStabilityIsNotMeasured()
    {
        var (a, b, _) = SmallPair(dir);
        string output = Path.Combine(dir, "out");
        var outcome = Run("sae", a, b, "--epochs", "3", "--concepts", "2", "--trust", "--out", output);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var said = outcome.ErrorLines.Where(l => l.Contains("stability not measured", StringComparison.Ordinal)).ToList();
        Assert.Equal("warning: sae: stability not measured: each sae rerun retrains it from scratch, so --trust leaves it out; give --stability R to measure it", Assert.Single(said));
        // Asked for explicitly, it is measured, and nothing is said.
        var measured = Run("sae", a, b, "--epochs", "3", "--concepts", "2", "--trust", "--stability", "2", "--out", Path.Combine(dir, "again"));
        Assert.True(measured.Code == 0, measured.Stderr);
        Assert.DoesNotContain("stability not measured", measured.Stderr);
    }

    /// <summary>
    /// evaluate rescores the concept grids of a pair method's results; FINC's modes are rows of two sample sets in one
    /// representation and metrics has no concepts. A finc run on sets of different sizes had been refused for the sets'
    /// sizes ("has 60 rows but … has 40"), hiding the reason; a metrics run after reading both inputs.
    /// </summary>
    [Fact]
    public void EvaluateRefusesFincAndMetricsResultsUpFront()
    {
        string finc = Path.Combine(dir, "finc");
        Assert.Equal(0, Run("finc", TestData.Fixture("finc_test.npy"), TestData.Fixture("finc_ref.npy"), "--concepts", "2", "--out", finc).Code);
        string fincResults = Path.Combine(finc, "results.json");
        string before = File.ReadAllText(fincResults);
        Run("evaluate", fincResults, TestData.Fixture("finc_test.npy"), TestData.Fixture("finc_ref.npy"))
            .AssertBadInput("results.json: holds finc's results, whose modes are rows of two sample sets (TEST and REF) in one representation; "
                + "evaluate rescores the concepts of a pair method (A and B, the same samples in two representations), so there is nothing to rescore");
        Assert.Equal(before, File.ReadAllText(fincResults));

        var (a, b, _) = SmallPair(dir);
        string metrics = Path.Combine(dir, "metrics");
        Assert.Equal(0, Run("metrics", a, b, "--out", metrics).Code);
        string metricsResults = Path.Combine(metrics, "results.json");
        // Refused before the inputs are looked at: files that do not exist are not named.
        Run("evaluate", metricsResults, Path.Combine(dir, "missing-a.npy"), Path.Combine(dir, "missing-b.npy"))
            .AssertBadInput("results.json: holds metrics' measures (CKA, mutual k-NN, probes), which have no concepts; evaluate rescores the concepts of a pair method");
        string copy = Path.Combine(dir, "evaluated.json");
        Run("evaluate", metricsResults, a, b, "--out", copy).AssertBadInput("holds metrics' measures");
        Assert.False(File.Exists(copy));

        Assert.Contains("results.json of a pair method or of compare (not finc's, nor metrics')", Run("evaluate", "--help").Stdout);
    }

    /// <summary>export of a metrics results.json had written a header-only CSV, exit 0.</summary>
    [Fact]
    public void ExportRefusesMetricsResultsAndWritesNothing()
    {
        var (a, b, _) = SmallPair(dir);
        string metrics = Path.Combine(dir, "metrics");
        Assert.Equal(0, Run("metrics", a, b, "--out", metrics).Code);
        string csv = Path.Combine(dir, "members.csv");
        Run("export", Path.Combine(metrics, "results.json"), "--out", csv)
            .AssertBadInput("results.json: holds metrics' measures (CKA, mutual k-NN, probes), which have no concepts; export writes the members of concepts");
        Assert.False(File.Exists(csv));
        var toStdout = Run("export", Path.Combine(metrics, "results.json"));
        toStdout.AssertBadInput("holds metrics' measures");
        Assert.Empty(toStdout.Stdout);
    }

    /// <summary>An unknown command had been "Unrecognized command or argument 'frob' (and 1 more)", naming no command.</summary>
    [Fact]
    public void AnUnknownCommandNamesTheCommandsAndTheOneMeant()
    {
        var commands = string.Join(", ", global::RepDiff.Cli.Cli.BuildRoot().Subcommands.Select(c => c.Name));
        Run("frob").AssertBadInput($"error: 'frob' is not a command; the commands are: {commands}; see --help");
        var (a, b, _) = SmallPair(dir);
        Run("Rdx", a, b).AssertBadInput($"error: 'Rdx' is not a command (did you mean rdx?); the commands are: {commands}; see --help");
        Run("comapre", a, b).AssertBadInput("'comapre' is not a command (did you mean compare?)");
        Assert.DoesNotContain("more)", Run("Rdx", a, b, "--out", "x").Stderr);
        // An option before any command, alone or with a value: the option is named, not its value as a command.
        Run("--frob").AssertBadInput($"error: '--frob' is not an option of repdiff itself; options follow a command: {commands}; see --help");
        Run("--frob", "x").AssertBadInput($"error: '--frob' is not an option of repdiff itself; options follow a command: {commands}; see --help");
    }

    /// <summary>A flag on by default said "default: true" without saying how to turn it off.</summary>
    [Theory]
    [InlineData("rdx", "--null-cluster")]
    [InlineData("metrics", "--probes")]
    public void AFlagOnByDefaultSaysHowToTurnItOff(string command, string flag)
    {
        Assert.Contains($"default: true ({flag} false turns it off)", HelpOf(command, flag));
    }

    /// <summary>spec's and finc's --route auto had not said which route it takes (koda's did); the help now gives the code's limits.</summary>
    [Fact]
    public void RouteAutoSaysWhatItPicks()
    {
        Assert.Contains($"auto (exact up to {SpecOptions.AutoExactLimit:N0} samples, above them rff for the Gaussian kernel and features for the cosine; rff when --omega-a or --omega-b is given)",
            HelpOf("spec", "--route"));
        Assert.Contains($"auto (exact up to {FincOptions.AutoExactLimit:N0} rows of TEST and REF together, rff above them or when --omega is given)", HelpOf("finc", "--route"));
    }

    /// <summary>embed's --pooling, --normalize and --max-length stated no default.</summary>
    [Fact]
    public void EmbedHelpGivesThePoolingNormalizeAndMaxLengthDefaults()
    {
        Assert.Contains("default: the model's own (a built-in model's or preset's, or its description's), else auto: none for an output of one vector per sample, else the mean over its token or spatial axes",
            HelpOf("embed", "--pooling"));
        Assert.Contains("default: the model's own, else false", HelpOf("embed", "--normalize"));
        Assert.Contains("default: the model's own (minilm-l6 256, arctic-embed-xs 512), else 512", HelpOf("embed", "--max-length"));
    }
}
