using System.Text.RegularExpressions;
using RepDiff.IO;
using RepDiff.Methods;
using RepDiff.Options;
using RepDiff.Tests.Robustness;
using static RepDiff.Tests.Methods.Unusual.ShapedMethod;

namespace RepDiff.Tests.Methods.Unusual;

/// <summary>
/// The method contract under legal but unusual methods (test-only, registered as NeighbourRatio is): explanations of odd
/// shapes, options of every kind and options named like the commands' own flags, a method that throws, one that reports
/// odd progress. Each gives a true report and results.json, or one clear line.
/// </summary>
public class UnusualMethodTests
{
    private static List<Concept> Two(int n, int from) => [Concept(1, 2.0, Block(n, from, 10)), Concept(2, 1.0, Block(n, from + 10, 10))];

    /// <summary>Shapes of the pair's n, so that stability's and validation's reruns on part of the samples get the same shape.</summary>
    private static readonly Dictionary<string, Func<int, Explanation>> Shapes = new()
    {
        ["empty-a"] = n => Of([], Two(n, 0)),
        ["empty-both"] = n => Of([], []),
        ["one-member"] = n => Of([Concept(1, 1, [3])], Two(n, 20)),
        ["all-samples"] = n => Of([Concept(1, 1, Block(n, 0, n))], Two(n, 20)),
        ["overlap"] = n => Of([Concept(1, 2, Block(n, 0, 12)), Concept(2, 1, Block(n, 0, 12)), Concept(3, 0.5, Block(n, 6, 12))], Two(n, 20)),
        ["many"] = n => Of(Enumerable.Range(0, 200).Select(c => Concept(c + 1, 200 - c, Block(n, c, 3))).ToList(), Two(n, 20)),
        ["no-grid"] = n => Of([Concept(1, 1, Block(n, 0, 10), grid: 0)], Two(n, 20)),
        ["equal-strengths"] = n => Of([Concept(1, 1, Block(n, 0, 10)), Concept(2, 1, Block(n, 10, 10))], Two(n, 20)),
        ["negative-strengths"] = n => Of([Concept(1, -1, Block(n, 0, 10)), Concept(2, -2, Block(n, 10, 10))], Two(n, 20)),
        ["zero-strengths"] = n => Of([Concept(1, 0, Block(n, 0, 10)), Concept(2, 0, Block(n, 10, 10))], Two(n, 20)),
    };

    public static TheoryData<string> ShapeNames => new(Shapes.Keys);

    private static readonly MethodRegistry ShapeRegistry = MethodRegistry.Default.With(Shapes.Select(s => (IMethod)new ShapedMethod(s.Key, s.Value)).ToArray());

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public void EveryShapeGivesResultsAReportAndAnEvaluationWithTheTrustMeasures(string shape)
    {
        string root = TestData.TempDir();
        var (a, b, labels) = CliHarness.SmallPair(root, 120);
        foreach (string[] command in new[] { new[] { shape }, ["compare", "--methods", shape + ",pca"] })
        {
            string dir = Path.Combine(root, command[0]);
            var run = CliHarness.Run(ShapeRegistry, [.. command, a, b, "--labels", labels, "--trust", "--out", dir]);
            Assert.True(run.Code == 0, run.Stderr);
            Assert.DoesNotContain("NaN", run.Stdout + run.Stderr);
            string json = File.ReadAllText(Path.Combine(dir, "results.json"));
            Assert.DoesNotContain("NaN", json);
            Assert.DoesNotContain("Infinity", json);
            // The page's words and data, not its scripts (report.js tests for NaN itself).
            Assert.DoesNotContain("NaN", Regex.Replace(File.ReadAllText(Path.Combine(dir, "report.html")), "(?s)<script>.*?</script>", ""));
            var scored = CliHarness.Run(ShapeRegistry, "evaluate", Path.Combine(dir, "results.json"), a, b, "--out", Path.Combine(root, command[0] + ".json"));
            // A file with no grid to score is refused in one line; compare's has PCA's to score.
            if (shape == "empty-both" && command[0] == shape) scored.AssertBadInput("nothing to score");
            else Assert.True(scored.Code == 0, scored.Stderr);
        }
    }

    /// <summary>compare --trust: a direction without concepts had read "not validated" in the held-out column, though validation ran on it.</summary>
    [Fact]
    public void CompareCountsADirectionWithoutConceptsAsValidatedWhenValidationRan()
    {
        string root = TestData.TempDir();
        var (a, b, labels) = CliHarness.SmallPair(root, 120);
        var run = CliHarness.Run(ShapeRegistry, "compare", a, b, "--labels", labels, "--methods", "empty-a,pca", "--trust", "--out", Path.Combine(root, "out"));
        Assert.True(run.Code == 0, run.Stderr);
        Assert.DoesNotContain("not validated", run.Stdout);
        Assert.Matches(@"empty-a\s+│ more_similar_in_a │ 0 .*│ 0 of 0\s+│", run.Stdout);
        Assert.Matches(@"empty-a\s+│ more_similar_in_b │ 2 .*│ 0 of 2\s+│", run.Stdout);
    }

    /// <summary>The terminal had said all 202 concepts were "in results.json and the report"; the report shows 12 a direction.</summary>
    [Fact]
    public void TheTerminalSaysWhatTheReportLeavesOut()
    {
        string root = TestData.TempDir();
        var (a, b, labels) = CliHarness.SmallPair(root, 120);
        string dir = Path.Combine(root, "out");
        var run = CliHarness.Run(ShapeRegistry, "many", a, b, "--labels", labels, "--out", dir);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains("(the first 5 concepts of each direction; all 202 are in results.json, and the report shows the first 12 of each)", run.Stdout);
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Equal(12 + 2, Regex.Matches(html, "<article class=\"card").Count);
        Assert.Contains("188 weaker concepts not shown (they are in results.json).", html);
    }

    [Fact]
    public void OptionsOfEveryKindBindShowInHelpAndResultsAndRefuseBadValues()
    {
        var registry = MethodRegistry.Default.With(new FunctionMethod<RichOptions>("rich", (pair, o, _) =>
        {
            if (o.Table is { } table) File.ReadAllText(table);
            return Of([Concept(1, 2, Block(pair.N, 0, 10))], [Concept(1, 1, Block(pair.N, 20, 10))]);
        }));
        var help = CliHarness.Run(registry, "rich", "--help").Stdout;
        Assert.Matches(@"--flavour <plain\|extra-spicy>\s+a choice; one of: plain, extra-spicy; default: plain", help);
        Assert.Matches(@"--strict\s+a switch\n", help);
        Assert.Matches(@"--table <FILE>\s+a file the method reads\n", help);
        Assert.Matches(@"--share <X>\s+a fraction; above 0 and at most 1; default: 0.5", help);
        string root = TestData.TempDir();
        var (a, b, labels) = CliHarness.SmallPair(root, 120);
        string dir = Path.Combine(root, "out");
        var run = CliHarness.Run(registry, "rich", a, b, "--flavour", "extra-spicy", "--strict", "--table", labels, "--share", "1", "--trust", "--out", dir);
        Assert.True(run.Code == 0, run.Stderr);
        var parameters = Explanation.FromJson(File.ReadAllText(Path.Combine(dir, "results.json"))).Parameters;
        Assert.Equal("extra-spicy", parameters["flavour"]!.GetValue<string>());
        Assert.True(parameters["strict"]!.GetValue<bool>());
        Assert.Equal(labels, parameters["table"]!.GetValue<string>());
        Assert.Equal(1.0, parameters["share"]!.GetValue<double>());
        foreach (var (args, message) in new[]
        {
            (new[] { "--share", "0" }, "--share: must be above 0 and at most 1, got 0"),
            (["--share", "NaN"], "--share: 'NaN' is not a finite number (above 0 and at most 1)"),
            (["--flavour", "mild"], "--flavour: 'mild' is not one of: plain, extra-spicy"),
            (["--table", ""], "--table: is empty; name a file"),
            // The method reads the file itself (File.ReadAllText): a missing one had been "internal error: FileNotFoundException".
            (["--table", Path.Combine(root, "absent.txt")], $"--table {Path.Combine(root, "absent.txt")}: file not found"),
            (["--table", root], $"--table {root}: is a directory, not a file"),
        })
        {
            string bad = Path.Combine(root, "bad");
            CliHarness.Run(registry, ["rich", a, b, .. args, "--out", bad]).AssertBadInput(message);
            Assert.False(Directory.Exists(bad));
        }
    }

    /// <summary>
    /// A flag the command has already, as a name or an alias, or the help every command takes: refused when the commands are
    /// built, naming the option. --column (an alias of --key) had been listed twice, and --help had hidden the command's help.
    /// </summary>
    [Fact]
    public void AnOptionNamedLikeOneOfTheCommandsFlagsIsRefusedNamingIt()
    {
        static Explanation None(RepresentationPair pair) => Of([], []);
        foreach (var (method, message) in new (IMethod, string)[]
        {
            (new FunctionMethod<OutOptions>("named-out", (p, _, _) => None(p)), "OutOptions.Out would reuse --out"),
            (new FunctionMethod<LabelsOptions>("named-labels", (p, _, _) => None(p)), "LabelsOptions.Labels would reuse --labels"),
            (new FunctionMethod<ColumnOptions>("named-column", (p, _, _) => None(p)), "ColumnOptions.Column would reuse --column"),
            (new FunctionMethod<HelpOptions>("named-help", (p, _, _) => None(p)), "HelpOptions.Help would reuse --help"),
            (new FunctionMethod<StabilityOptions>("named-stability", (p, _, _) => None(p)), "would reuse --stability"),
            // A seed of its own hid the one the trust measures read: their reruns drew with seed 0 whatever --seed said.
            (new FunctionMethod<SeedOptions>("named-seed", (p, _, _) => None(p)), "SeedOptions.Seed hides MethodOptions.Seed"),
        })
        {
            var e = Assert.Throws<InvalidOperationException>(() => RepDiff.Cli.Cli.BuildRoot(MethodRegistry.Default.With(method)));
            Assert.Contains(message, e.Message);
        }
    }

    /// <summary>
    /// An OperationCanceledException of the method's own (no signal came) had ended the run with exit code 130 and nothing on
    /// stderr, as if the user had pressed Ctrl+C: it is the method's failure, said as one.
    /// </summary>
    [Fact]
    public void AMethodsOwnCancellationIsAnErrorNotASilentInterrupt()
    {
        var registry = MethodRegistry.Default.With(
            new FunctionMethod<PlainOptions>("gives-up", (_, _, _) => throw new OperationCanceledException("gave up")),
            new FunctionMethod<PlainOptions>("refuses", (_, o, _) => throw new InvalidOptionException(nameof(o.Seed), "is not one this method can use")));
        string root = TestData.TempDir();
        var (a, b, _) = CliHarness.SmallPair(root, 60);
        foreach (string[] command in new[] { new[] { "gives-up" }, ["compare", "--methods", "gives-up,pca"] })
        {
            string dir = Path.Combine(root, "out");
            var run = CliHarness.Run(registry, [.. command, a, b, "--out", dir]);
            Assert.Equal(1, run.Code);
            Assert.Equal("internal error: OperationCanceledException: gave up", Assert.Single(run.ErrorLines));
            Assert.False(Directory.Exists(dir));
        }
        CliHarness.Run(registry, "refuses", a, b, "--out", Path.Combine(root, "out")).AssertBadInput("--seed: is not one this method can use");
        Assert.False(Directory.Exists(Path.Combine(root, "out")));
    }

    /// <summary>Progress of any fraction shows in 0..100%: a method's 0/0 had shown "NaN%", a fraction of 7 "700%".</summary>
    [Fact]
    public void ProgressOfAnyFractionIsShownBetweenNothingAndAll()
    {
        var registry = MethodRegistry.Default.With(new FunctionMethod<PlainOptions>("slow", (pair, _, progress) =>
        {
            for (int i = 0; i <= 4; i++) { progress.Report("slow work", i / 4.0); Thread.Sleep(20); }
            progress?.Report(new ProgressUpdate("odd fractions", double.NaN));
            progress?.Report(new ProgressUpdate("odd fractions", 7));
            return Of([Concept(1, 2, Block(pair.N, 0, 10))], [Concept(1, 1, Block(pair.N, 20, 10))]);
        }));
        string root = TestData.TempDir();
        var (a, b, _) = CliHarness.SmallPair(root, 60);
        var run = CliHarness.Run(registry, "slow", a, b, "--out", Path.Combine(root, "out"));
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains("slow work: 50%", run.Stderr);
        Assert.Contains("odd fractions: 0%", run.Stderr);
        Assert.Contains("odd fractions: 100%", run.Stderr);
        Assert.DoesNotContain("NaN", run.Stderr);
        Assert.DoesNotContain("700%", run.Stderr);
    }
}
