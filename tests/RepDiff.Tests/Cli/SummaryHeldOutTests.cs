using System.Text.Json;
using RepDiff.Cli;

namespace RepDiff.Tests.Cli;

/// <summary>The terminal's held-out column: a concept without a tested p says why instead of printing its placeholder p = 1.</summary>
public class SummaryHeldOutTests
{
    /// <summary>The strongest concept's phrases, joined as the terminal's table cell shows them on one line.</summary>
    private static string Strongest(Direction direction) => string.Join(' ', ComparisonSummary.StrongestPhrases(direction));

    /// <summary>A BSR and its chance level to the report table's three decimals each (review 167: "0.892 (0.48)" beside the table's "0.892 / 0.484").</summary>
    [Fact]
    public void ABsrAndItsChanceLevelShareTheTablesDecimals()
    {
        Assert.Equal("0.892 (0.484)", Summary.WithChance(0.8921, 0.4841));
        Assert.Equal("0.997 (1.000)", Summary.WithChance(0.997, 0.9996));
        Assert.Equal("0.500", Summary.WithChance(0.5, null));
        Assert.Equal("–", Summary.WithChance(null, 0.5));
    }

    /// <summary>
    /// MNED on minilm-l6 against arctic-embed-xs read "1.000 (1.000)" for B's grids (1 beside 0.9995); a side at 0.0003
    /// beside 0.0001 read "0.000 (0.000)": three decimals hid the gap the figure is there to show. Now as many as tell them
    /// apart, up to six; figures three decimals already tell apart read as before; equal even at six, said in words.
    /// </summary>
    [Fact]
    public void ABsrAndAChanceLevelThatRoundAlikeShowTheDecimalsThatTellThemApart()
    {
        Assert.Equal("0.9998 (0.9995)", Summary.WithChance(0.99981, 0.99952));
        Assert.Equal("0.00030 (0.00010)", Summary.WithChance(0.0003, 0.0001));
        Assert.Equal("0.00030 (0.00050)", Summary.WithChance(0.0003, 0.0005)); // "0.000 (0.001)": apart, but the gap read five times its size
        Assert.Equal("0.620 (0.490)", Summary.WithChance(0.62, 0.49));
        Assert.Equal("0.999998 (0.999995)", Summary.WithChance(0.9999982, 0.9999951));
        Assert.Equal("1.000 (= chance)", Summary.WithChance(1, 0.9999999));
        Assert.Equal("0.500 (= chance)", Summary.WithChance(0.5, 0.5));
    }

    [Fact]
    public void AConceptWithoutATestedPSaysWhyInsteadOfPOne()
    {
        // HeldOutValidation gives an untested concept p = 1 and no held-out score; a tested concept always has a score.
        var notFound = new Concept { Rank = 1, PValue = 1, PAdjusted = 1, FoundAgain = false };
        var tooFew = new Concept { Rank = 2, PValue = 1, PAdjusted = 1, FoundAgain = true };
        var tested = new Concept { Rank = 3, PValue = 1, PAdjusted = 1, FoundAgain = true, HeldOutScore = 0.41 };
        Assert.Equal("no, not found again on half the samples", Summary.HeldOut(notFound));
        Assert.Equal("no, too few held-out members to test", Summary.HeldOut(tooFew));
        Assert.Equal("no, p = 1.000 (adjusted 1.000)", Summary.HeldOut(tested));
        Assert.Equal("yes, p = 0.005 (adjusted 0.020)", Summary.HeldOut(new Concept { PValue = 0.005, PAdjusted = 0.02, FoundAgain = true, HeldOutScore = 0.7 }));
        Assert.Equal("–", Summary.HeldOut(new Concept { Rank = 4 }));

        // results.json keeps the difference, and a file from before found_again existed gives both reasons.
        string json = JsonSerializer.Serialize(notFound, Explanation.JsonOptions);
        Assert.Contains("\"found_again\": false", json.Replace("\":false", "\": false"));
        Assert.Equal(notFound.Untested, JsonSerializer.Deserialize<Concept>(json, Explanation.JsonOptions)!.Untested);
        Assert.Equal("not found again on half the samples, or too few held-out members to test", new Concept { PValue = 1, PAdjusted = 1 }.Untested);
    }

    [Fact]
    public void AfterValidationTheComparisonTableShowsTheStrongestConfirmedConcept()
    {
        // compare --trust on the planted fixture: PCA's rank 1 of concepts_of_b was not confirmed, and the table still
        // showed it as the direction's strongest concept, beside "3 of 5" confirmed.
        Concept Made(int rank, int members, double? adjusted) => new()
        {
            Rank = rank, Members = Enumerable.Range(rank * 100, members).ToArray(), LabelCounts = new() { [$"L{rank}"] = members },
            PValue = adjusted, PAdjusted = adjusted, FoundAgain = adjusted is not null, HeldOutScore = adjusted is null ? null : 0.6,
        };
        var mixed = new Direction { Name = "concepts_of_b", Concepts = [Made(1, 119, 0.4), Made(2, 61, 0.01)] };
        Assert.Equal("rank 2: 61 members L2 ×61", Strongest(mixed));
        var none = new Direction { Name = "concepts_of_a", Concepts = [Made(1, 119, 0.4), Made(2, 61, 1)] };
        Assert.Equal("none confirmed", Strongest(none));
        Assert.Equal("0 of 2", ComparisonSummary.ConfirmedCount(none));
        // Without validation the strongest concept is rank 1, as before.
        var plain = new Direction { Name = "concepts_of_a", Concepts = [Made(1, 119, null), Made(2, 61, null)] };
        Assert.Equal("119 members L1 ×119", Strongest(plain));
        Assert.Equal("", Strongest(new Direction { Name = "empty" }));
        Assert.Equal("strongest confirmed concept", ComparisonSummary.StrongestHeader([mixed, none]));
        Assert.Equal("strongest concept", ComparisonSummary.StrongestHeader([plain]));
    }

    [Fact]
    public void AMethodThatWasNotValidatedIsNotReadAsNoneConfirmed()
    {
        // The demo validates its headline method only: SPEC and the baselines beside it read "none confirmed" and
        // "0 of 10" held-out confirmed, a verdict no test gave.
        var validated = new Direction { Name = "more_similar_in_a", Concepts = [new Concept { Rank = 1, Members = [1, 2], PValue = 0.001, PAdjusted = 0.004, FoundAgain = true, HeldOutScore = 0.9 }] };
        var notValidated = new Direction { Name = "more_similar_in_a", Concepts = [new Concept { Rank = 1, Members = [3, 4, 5] }] };
        Assert.Equal("3 members", Strongest(notValidated));
        Assert.Equal("not validated", ComparisonSummary.ConfirmedCount(notValidated));
        Assert.Equal("1 of 1", ComparisonSummary.ConfirmedCount(validated));
        Assert.Equal("strongest concept (confirmed, where validated)", ComparisonSummary.StrongestHeader([validated, notValidated]));
    }

    [Fact]
    public void TheTopLabelsCellCutsALongLabel()
    {
        // A 10,000-character label wrapped the summary table's cell over hundreds of terminal lines.
        var concept = new Concept { LabelCounts = new() { [new string('x', 10_000)] = 5, ["b"] = 2 } };
        Assert.Equal(new string('x', 20) + "…" + new string('x', 19) + " ×5, b ×2", string.Join(' ', Summary.TopLabelPhrases(concept)));
        // Labels sharing a long start keep their distinguishing ends (a cut after 40 characters made these two alike).
        concept = new Concept { LabelCounts = new() { ["/data/imagenet/train/n01440764/tench-fish"] = 5, ["/data/imagenet/train/n01443537/goldfish-carassius"] = 2 } };
        Assert.Equal("/data/imagenet/train…01440764/tench-fish ×5, /data/imagenet/train…/goldfish-carassius ×2", string.Join(' ', Summary.TopLabelPhrases(concept)));
        // Neither cut splits a character outside the basic plane.
        string emoji = new string('a', 19) + "😀" + new string('b', 40) + "😀" + new string('c', 18);
        string cut = Summary.Shorten(emoji);
        Assert.Equal(new string('a', 19) + "…" + new string('c', 18), cut);
        Assert.Equal(40, Summary.Shorten(new string('y', 41)).Length);
        Assert.Equal(new string('y', 40), Summary.Shorten(new string('y', 40)));
    }

    /// <summary>compare on 5 rows: k-means' strongest concept read "1 members" (the report's cards say "1 member").</summary>
    [Fact]
    public void AConceptOfOneSampleIsOneMember()
    {
        var one = new Direction { Name = "concepts_of_a", Concepts = [new Concept { Rank = 1, Members = [3] }] };
        Assert.Equal("1 member", Strongest(one));
        var many = new Direction { Name = "concepts_of_a", Concepts = [new Concept { Rank = 1, Members = [.. Enumerable.Range(0, 12)] }] };
        Assert.Equal("12 members", Strongest(many));
    }

    /// <summary>compare's --seed help said "at least 0"; it refuses 2147483647 as every command does, so it says the range.</summary>
    [Fact]
    public void CompareSeedHelpGivesItsRange()
    {
        var outcome = Robustness.CliHarness.Run("compare", "--help");
        var line = outcome.Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("--seed"));
        Assert.Contains($"from 0 to {RepDiff.Methods.MethodOptions.MaxSeed}", line);
    }
}
