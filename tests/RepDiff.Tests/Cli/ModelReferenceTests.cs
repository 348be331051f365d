using System.Text.Json.Nodes;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>
/// A model's name inside a sentence, "B (b.npy)": a name with parentheses of its own ("ViT-B/16 (DINOv2)") had read
/// "B (ViT-B/16 (DINOv2)) ranks …" on the terminal and in the report (review 167, F12); it goes in brackets instead, and a
/// name without them reads as before.
/// </summary>
public class ModelReferenceTests
{
    private const string Parenthesised = "ViT-B/16 (DINOv2)";
    private readonly string dir = TestData.TempDir();

    [Fact]
    public void ANameWithParenthesesIsBracketedAndOneWithoutKeepsTheLettersParentheses()
    {
        Assert.Equal("B (b.npy)", ModelReference.Of("B", "b.npy"));
        Assert.Equal("B [ViT-B/16 (DINOv2)]", ModelReference.Of("B", Parenthesised));
        Assert.Equal("the test set [run) 2]", ModelReference.Of("the test set", "run) 2"));
        // Isolated (the findings' marks) or as HTML (the report's bdi), the name is looked at, not its wrapping.
        Assert.Equal("A (<bdi>a.npy</bdi>)", ModelReference.Of("A", "<bdi>a.npy</bdi>"));
        Assert.Equal("A [\u2068x (y)\u2069]", ModelReference.Of("A", BidiControls.Isolate("x (y)")));
    }

    /// <summary>Every reading of a direction names its models the one way, whatever the direction.</summary>
    [Theory]
    [InlineData(DirectionNames.MoreSimilarInA)]
    [InlineData(DirectionNames.MoreSimilarInB)]
    [InlineData(DirectionNames.ConceptsOfA)]
    [InlineData(DirectionNames.ConceptsOfB)]
    [InlineData(DirectionNames.MoreFrequentInTest)]
    [InlineData(DirectionNames.MoreFrequentInRef)]
    public void NoReadingNestsParentheses(string direction)
    {
        string reading = DirectionNames.Reading(direction, Parenthesised, "other (v2)");
        Assert.DoesNotContain("(" + Parenthesised + ")", reading);
        Assert.DoesNotContain("(other (v2))", reading);
        Assert.Matches(@"\[ViT-B/16 \(DINOv2\)\]|\[other \(v2\)\]", reading);
    }

    /// <summary>
    /// compare's report with B named "ViT-B/16 (DINOv2)": each direction's reading and the spectrum's caption bracket it,
    /// and A's plain file name keeps the letter's parentheses.
    /// </summary>
    [Fact]
    public void CompareReportBracketsAParenthesisedName()
    {
        var (a, b, labels) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        var outcome = Run("compare", a, b, "--labels", labels, "--name-b", Parenthesised, "--methods", "rdx,spec", "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("A (<bdi>a.npy</bdi>) ranks these samples as nearer neighbours of each other than B [<bdi>ViT-B/16 (DINOv2)</bdi>] does.", html);
        Assert.Contains("B [<bdi>ViT-B/16 (DINOv2)</bdi>] ranks these samples as nearer neighbours of each other than A (<bdi>a.npy</bdi>) does.", html);
        Assert.Contains("negative (red) are modes more similar in B [<bdi>ViT-B/16 (DINOv2)</bdi>].", html);
        Assert.DoesNotContain("(<bdi>ViT-B/16 (DINOv2)</bdi>)", html);
    }

    /// <summary>
    /// `repdiff groups` names the model a group holds in on the terminal, in results.json and in the report: with A named
    /// "ViT-B/16 (DINOv2)", each says "A [ViT-B/16 (DINOv2)]".
    /// </summary>
    [Fact]
    public void GroupsRunBracketsAParenthesisedNameOnTheTerminalAndInTheReport()
    {
        var planted = TestData.LoadFixture("planted_groups.npy").Data.Select(v => (int)v).ToArray();
        var rows = Enumerable.Range(0, planted.Length);
        var lines = rows.Where(i => planted[i] == 2).Select(i => $"two,{i}").Concat(rows.Where(i => planted[i] is 3 or 4).Select(i => $"three and four,{i}"));
        string groups = Path.Combine(dir, "groups.csv");
        File.WriteAllText(groups, "group,row\n" + string.Join("\n", lines) + "\n");
        string outDir = Path.Combine(dir, "out");
        var outcome = Run("groups", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--groups", groups, "--name-a", Parenthesised, "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);

        const string HoldsInA = "holds in A [ViT-B/16 (DINOv2)], which ranks its scored members as nearer neighbours of each other than B does";
        Assert.Contains("group 'two' " + HoldsInA, outcome.Stdout);
        Assert.Contains("group 'three and four' holds in B (planted_b.npy), which ranks", outcome.Stdout);
        string summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["findings"]!["summary"]!.GetValue<string>();
        Assert.Contains("one " + HoldsInA, summary);
        Assert.Contains(summary, outcome.Stdout);
        Assert.DoesNotContain("(" + Parenthesised + ")", outcome.Stdout);

        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("kept together by A [<bdi>ViT-B/16 (DINOv2)</bdi>] and pulled apart by B (<bdi>planted_b.npy</bdi>)", html);
        Assert.Contains("kept together by B (<bdi>planted_b.npy</bdi>) and pulled apart by A [<bdi>ViT-B/16 (DINOv2)</bdi>]", html);
        Assert.Contains("one holds in A [<bdi>ViT-B/16 (DINOv2)</bdi>], which ranks", html);
        Assert.DoesNotContain("(<bdi>ViT-B/16 (DINOv2)</bdi>)", html);
    }
}
