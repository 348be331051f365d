using System.Text.Json.Nodes;
using RepDiff.IO;
using RepDiff.Methods;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Methods.NeighbourRatio;

/// <summary>
/// The proof of the method contract: a method that exists only in this folder, added to the registry by
/// one line, gets a command with its options and --help, a place in compare, a report section and a
/// results.json whose parameters are its options record.
/// </summary>
public class AddingAMethodTests
{
    /// <summary>The one registry line.</summary>
    private static readonly MethodRegistry Registry = MethodRegistry.Default.With(new NeighbourRatioMethod());

    private static readonly string A = TestData.Fixture("planted_a.npy"), B = TestData.Fixture("planted_b.npy");

    private static CliHarness.Outcome Run(params string[] args) => CliHarness.Run(Registry, args);

    [Fact]
    public void ItsCommandListsEveryOptionWithItsDefaultInHelp()
    {
        var (code, help, _) = Run("neighbour-ratio", "--help");
        Assert.Equal(0, code);
        Assert.Contains("Test-only: samples whose nearest neighbours", help);
        foreach (var flag in new[] { "--neighbours", "--concepts", "--members", "--grid-size", "--scale", "--seed", "--labels", "--out" })
            Assert.Contains(flag, help);
        Assert.Contains("one of: mean, max; default: mean", help);
        Assert.Contains("from 1 to 100; default: 5", help);
    }

    [Fact]
    public void ItsCommandWritesResultsWithItsParametersAndAReportSection()
    {
        string dir = Path.Combine(TestData.TempDir(), "out");
        var (code, stdout, error) = Run("neighbour-ratio", A, B, "--labels", TestData.Fixture("planted_groups.npy"), "--neighbours", "7", "--scale", "max", "--seed", "3", "--out", dir);
        Assert.True(code == 0, error);
        Assert.Contains("neighbour-ratio", stdout);
        var e = Explanation.FromJson(File.ReadAllText(Path.Combine(dir, "results.json")));
        Assert.Equal("neighbour-ratio", e.Method);
        Assert.Equal(7, e.Parameters["neighbours"]!.GetValue<int>());
        Assert.Equal("max", e.Parameters["scale"]!.GetValue<string>());
        Assert.Equal(3, e.Parameters["seed"]!.GetValue<int>());
        Assert.Equal(6, e.Parameters["grid_size"]!.GetValue<int>());
        Assert.All(e.Directions, d => Assert.Equal(2, d.Concepts.Count));
        Assert.All(e.Directions.SelectMany(d => d.Concepts), c => Assert.NotNull(c.Bsr));
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("<span class=\"mname\">neighbour-ratio</span>", html);
        // What its strength measures comes from the method, into results.json and the report's note.
        Assert.Equal(new NeighbourRatioMethod().StrengthMeaning, e.StrengthMeaning);
        Assert.Contains("<b>Strength</b> (on each card): mean over the members of r,", html);
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(html, "<article class=\"card\"").Count);
    }

    [Fact]
    public void ItsBadOptionValuesGetTheSameOneLineMessageAsEveryCommand()
    {
        foreach (var (args, expected) in new[]
        {
            (new[] { "--neighbours", "0" }, "error: --neighbours: must be from 1 to 100, got 0"),
            (new[] { "--scale", "median" }, "error: --scale: 'median' is not one of: mean, max"),
            (new[] { "--neighbours", "700" }, "error: --neighbours: must be from 1 to 100, got 700"),
            (new[] { "--members", "400" }, "error: --members: 2 concepts of 400 members per direction need 1600 samples; there are 600"),
        })
        {
            string dir = Path.Combine(TestData.TempDir(), "out");
            var (code, _, error) = Run(["neighbour-ratio", A, B, .. args, "--out", dir]);
            Assert.Equal(2, code);
            Assert.Equal(expected, error.TrimEnd());
            Assert.False(Directory.Exists(dir));
        }
    }

    [Fact]
    public void CompareRunsItByDefaultAndByName()
    {
        using var pair = new PairSpec(A, B).Open();
        Assert.Contains(Registry.CompareDefaults(pair), m => m.Name == "neighbour-ratio");
        string dir = Path.Combine(TestData.TempDir(), "out");
        var (code, _, error) = Run("compare", A, B, "--methods", "neighbour-ratio,pca", "--out", dir);
        Assert.True(code == 0, error);
        var results = ResultsFile.Read(Path.Combine(dir, "results.json"));
        Assert.Equal(["neighbour-ratio", "pca"], results.Explanations.Select(e => e.Method));
        var table = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "results.json")))!["bsr_table"]!.AsArray();
        Assert.Contains(table, row => row!["method"]!.GetValue<string>() == "neighbour-ratio");
    }
}
