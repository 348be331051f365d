using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RepDiff.IO;
using RepDiff.Report;
using RepDiff.Reporting;

namespace RepDiff.Tests.Report;

/// <summary>What the cards say beyond their grids, read from the rendered HTML and page data (the browser tests check the page in Chromium).</summary>
public class CardPartsTests
{
    /// <summary>40 samples labelled by halves, the synthetic explanation and a second method whose first concept holds 15 of the first half.</summary>
    private static (ReportModel Model, Explanation First, Explanation Second) TwoMethods()
    {
        var labels = new SampleLabels(Enumerable.Range(0, 40).Select(i => i < 20 ? "left" : "right").ToArray());
        var (pair, first) = HtmlReportTests.Synthetic(new SampleInfo { Labels = labels, Ids = Enumerable.Range(0, 40).Select(i => $"s{i}").ToArray() });
        var second = new Explanation
        {
            Method = "other", N = 40, Parameters = new JsonObject { ["seed"] = 0 },
            Directions = [new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a",
                Concepts = [new Concept { Rank = 1, Strength = 1, Members = Enumerable.Range(0, 15).ToArray(), Grid = [0, 1, 2], Scores = Enumerable.Range(0, 15).Select(i => 1.0 / (i + 1)).ToArray() }] }],
        };
        ExplanationScoring.Score(first, pair);
        ExplanationScoring.Score(second, pair);
        return (ReportModel.ForPair(pair, [first, second], new JsonObject(), "two"), first, second);
    }

    private static JsonObject PageData(string html) =>
        JsonNode.Parse(Regex.Match(html, "<script type=\"application/json\" id=\"rd-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value)!.AsObject();

    [Fact]
    public void CardsListEnrichedValuesAndTheirClosestConcept()
    {
        var (model, _, _) = TwoMethods();
        string html = HtmlReport.Render(model);
        // The first concept is the whole left half: every member 'left', against half of all samples.
        Assert.Matches("<article class=\"card\" id=\"card-m0d0c1\"[^>]*>.*?<ul class=\"enriched\"><li title=\"log odds ratio [0-9.]+ \\(20 of 20 members, 20 of 40 samples\\); hypergeometric p = [0-9.e+-]+; Benjamini.Hochberg q = [^\"]+\"><bdi>label</bdi>: 100% &#39;<bdi>left</bdi>&#39; \\(whole set 50%\\)</li>", html);
        // Its closest concept in the other method shares 15 of 20 members: Jaccard 0.75, linked to that card.
        Assert.Contains("closest in other: <a href=\"#card-m1d0c1\" data-key=\"m1d0c1\">More similar in A #1</a> <span class=\"jac\">(Jaccard 0.75)</span>", html);
        Assert.Contains("<button type=\"button\" class=\"open-members\" data-key=\"m0d0c1\">all 20 members ▸</button>", html);
    }

    /// <summary>A card lists three enriched values and counts the rest in words that agree with the count ("1 more value", not "values").</summary>
    [Fact]
    public void TheCountOfEnrichedValuesLeftOutIsSingularForOne()
    {
        var (pair, explanation) = HtmlReportTests.Synthetic();
        static List<RepDiff.Metrics.EnrichedValue> Values(int count) => Enumerable.Range(0, count).Select(k => new RepDiff.Metrics.EnrichedValue
            { Column = "source", Value = $"v{k}", Members = 20, MembersWithValue = 20 - k, Total = 40, TotalWithValue = 20, PValue = 0.001, QValue = 0.002 }).ToList();
        var concepts = explanation.Directions[0].Concepts;
        concepts[0].Enrichment = Values(4);
        concepts[1].Enrichment = Values(5);
        string html = HtmlReport.Render(HtmlReportTests.Model(pair, explanation));
        Assert.Contains("<li class=\"more\">and 1 more over-represented value</li>", html);
        Assert.Contains("<li class=\"more\">and 2 more over-represented values</li>", html);
    }

    [Fact]
    public void CardsOfOneMemberAndOfNoneSaySoInWords()
    {
        var (pair, _) = HtmlReportTests.Synthetic(new SampleInfo());
        var explanation = new Explanation
        {
            Method = "pca", N = 40, Parameters = new JsonObject { ["seed"] = 0 },
            Directions = [new Direction { Name = DirectionNames.ConceptsOfA, Explains = "a", Concepts =
            [
                new Concept { Rank = 1, Strength = 2, Members = [7], Grid = [7], Scores = [1.0] },
                new Concept { Rank = 2, Strength = 0, Members = [], Grid = [], Scores = [] },
            ] }],
        };
        string html = HtmlReport.Render(ReportModel.ForPair(pair, [explanation], new JsonObject(), "one and none"));
        Assert.Contains("<span>1 member</span>", html);
        Assert.Contains("its one member ▸</button>", html);
        Assert.Contains("<span>no members: no sample belongs to this concept</span>", html);
        Assert.DoesNotContain("all 0 members", html);
        Assert.DoesNotContain("all 1 members", html);
    }

    [Fact]
    public void GridSamplesAreEachIsolatedSoRightToLeftLabelsKeepTheirNumbers()
    {
        var labels = new SampleLabels(Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "سمكة" : "dog").ToArray());
        var (pair, explanation) = HtmlReportTests.Synthetic(new SampleInfo { Labels = labels });
        string html = HtmlReport.Render(ReportModel.ForPair(pair, [explanation], new JsonObject(), "rtl"));
        var ids = Regex.Match(html, "<p class=\"ids\">(.*?)</p>").Groups[1].Value;
        // Each entry left to right ("#9 (label)", not turned round by a right-to-left label), its id and label each isolated in
        // it and in its title.
        const string Entry = "<bdi dir=\"ltr\" title=\"\u2068#([0-9]+)\u2069 \\(\u2068(سمكة|dog)\u2069\\)\"><bdi>#[0-9]+</bdi> \\(<bdi>(سمكة|dog)</bdi>\\)</bdi>";
        Assert.Matches($"^{Entry}(  {Entry})*$", ids);
    }

    [Fact]
    public void TheConsensusSectionTabulatesEveryMethodAndDirection()
    {
        var (model, _, _) = TwoMethods();
        string html = HtmlReport.Render(model);
        string section = Regex.Match(html, "<section class=\"consensus\".*?</section>", RegexOptions.Singleline).Value;
        Assert.Equal(3, Regex.Matches(Regex.Match(section, "<tbody>.*?</tbody>", RegexOptions.Singleline).Value, "<tr>").Count);
        // The pairs of different methods that share members, largest Jaccard first: (test A#1, other #1) 15/20.
        var pairs = Regex.Matches(section, "<tr class=\"pair\" tabindex=\"0\" data-a=\"(\\w+)\" data-b=\"(\\w+)\">.*?<td class=\"num\">(\\d+)</td><td class=\"num\"[^>]*>([0-9.]+)</td>");
        Assert.Equal(("m0d0c1", "m1d0c1", "15", "0.75"), (pairs[0].Groups[1].Value, pairs[0].Groups[2].Value, pairs[0].Groups[3].Value, pairs[0].Groups[4].Value));
        // One method alone has no consensus and no closest concept.
        var (singlePair, singleExplanation) = HtmlReportTests.Synthetic();
        string alone = HtmlReport.Render(HtmlReportTests.Model(singlePair, singleExplanation));
        Assert.DoesNotContain("class=\"consensus\"", alone);
        Assert.DoesNotContain("class=\"closest", alone);
    }

    [Fact]
    public void ThePageDataHoldsEveryMemberWithScoresAndTheExportColumns()
    {
        var (model, first, second) = TwoMethods();
        var page = PageData(HtmlReport.Render(model));
        var cards = page["cards"]!.AsObject();
        var samples = page["samples"]!.AsObject();
        Assert.Equal(MemberExport.Header(model.Explanations, model.Samples), cards["header"]!.AsArray().Select(h => (string)h!));
        var concept = cards["concepts"]!["m1d0c1"]!;
        Assert.Equal(second.Directions[0].Concepts[0].Members, concept["members"]!.AsArray().Select(v => (int)v!));
        Assert.Equal(second.Directions[0].Concepts[0].Scores!.Select(s => (double)(float)s), concept["scores"]!.AsArray().Select(v => (double)(float)v!));
        Assert.Equal(first.Directions[0].Concepts[0].Members.Length, cards["concepts"]!["m0d0c1"]!["members"]!.AsArray().Count);
        // Every sample is plotted here, so values are given for all of them in order ("rows": null).
        Assert.Null(samples["rows"]);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"s{i}"), samples["ids"]!.AsArray().Select(v => (string)v!));
        var label = samples["columns"]![0]!;
        Assert.Equal("label", (string)label["name"]!);
        Assert.Equal(1, (int)label["bytes"]!);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => i < 20 ? "left" : "right"), Convert.FromBase64String((string)label["codes"]!).Select(c => (string)label["names"]![(int)c]!));
    }

    [Fact]
    public void CardsGiveTheAdjustedPTheVerdictReadsAndSayWhenAConceptWasNotFoundAgain()
    {
        var (pair, e) = HtmlReportTests.Synthetic();
        var (first, second) = (e.Directions[0].Concepts[0], e.Directions[0].Concepts[1]);
        var third = e.Directions[1].Concepts[0];
        (first.PValue, first.PAdjusted, first.FoundAgain, first.HeldOutScore) = (0.001, 0.003, true, 0.81);
        // p = 0.045 alone would pass 0.05; adjusted over the method's concepts it is 0.083, and the card must not read as confirmed.
        (second.PValue, second.PAdjusted, second.FoundAgain, second.HeldOutScore) = (0.045, 0.083, true, 0.58);
        // p = 1 by convention: the discovery half had no matching concept, so there is no p to give.
        (third.PValue, third.PAdjusted, third.FoundAgain, third.HeldOutScore) = (1, 1, false, null);
        string html = HtmlReport.Render(HtmlReportTests.Model(pair, e));

        string Line(string key) => Regex.Match(html, $"<article class=\"card[^\"]*\" id=\"card-{key}\".*?<div class=\"trust (held|unconfirmed)\"[^>]*>([^<]*)</div>").Groups[2].Value;
        Assert.Equal("holds on held-out samples (adjusted p = 0.003)", Line("m0d0c1"));
        Assert.Equal("not confirmed on held-out samples (adjusted p = 0.083)", Line("m0d0c2"));
        Assert.Equal("not confirmed on held-out samples (not found again on half the samples)", Line("m0d1c1"));
        // Confirmed, but its members change on reruns (the digits pair's 4-and-9 cluster at k = 3): the card reads the two together.
        first.Stability = 0.5;
        html = HtmlReport.Render(HtmlReportTests.Model(pair, e));
        Assert.Equal("holds on held-out samples (adjusted p = 0.003), though its members change when the method reruns: a real difference whose boundary is not settled", Line("m0d0c1"));
        first.Stability = 0.9;
        html = HtmlReport.Render(HtmlReportTests.Model(pair, e));
        Assert.Equal("holds on held-out samples (adjusted p = 0.003)", Line("m0d0c1"));
        // Confirmed, while its own grid sits no closer than random groups (helper 79's SPEC concept): the card says both.
        (first.Bsr, first.BsrChance) = (0.17, 0.49);
        html = HtmlReport.Render(HtmlReportTests.Model(pair, e));
        Assert.Equal("holds on held-out samples (adjusted p = 0.003), yet its own grid is no closer than random groups (BSR 0.17, random groups 0.49)", Line("m0d0c1"));
        first.Bsr = 0.8;
        html = HtmlReport.Render(HtmlReportTests.Model(pair, e));
        Assert.Equal("holds on held-out samples (adjusted p = 0.003)", Line("m0d0c1"));
        // The raw p stays on hover.
        Assert.Contains("title=\"p = 0.045, Benjamini–Hochberg adjusted over the method&#39;s concepts 0.083 (confirmed at ≤ 0.05); held-out statistic 0.58\"", html);
    }
    /// <summary>
    /// A p at the smallest its random groups can give, 1/(N + 1), is a bound: the card, its title and the terminal say "≤" and
    /// why (review 167: "adjusted p = 0.005" on every card confirmed at the floor of 400 random groups). N is read from the
    /// explanation's metrics.validation.random_groups, where validation records it.
    /// </summary>
    [Fact]
    public void APAtTheSmallestItsRandomGroupsCanGiveIsShownAsABound()
    {
        var (pair, e) = HtmlReportTests.Synthetic();
        var (first, second) = (e.Directions[0].Concepts[0], e.Directions[0].Concepts[1]);
        e.Metrics["validation"] = new JsonObject { ["random_groups"] = 400 };
        (first.PValue, first.PAdjusted, first.FoundAgain, first.HeldOutScore) = (1.0 / 401, 2.0 / 401, true, 0.93);
        (second.PValue, second.PAdjusted, second.FoundAgain, second.HeldOutScore) = (3.0 / 401, 4.0 / 401, true, 0.71);
        string html = HtmlReport.Render(HtmlReportTests.Model(pair, e));

        string Line(string key) => Regex.Match(html, $"<article class=\"card[^\"]*\" id=\"card-{key}\".*?<div class=\"trust (held|unconfirmed)\"[^>]*>([^<]*)</div>").Groups[2].Value;
        string Title(string key) => Regex.Match(html, $"<article class=\"card[^\"]*\" id=\"card-{key}\".*?<div class=\"trust (held|unconfirmed)\" title=\"([^\"]*)\"").Groups[2].Value;
        Assert.Equal("holds on held-out samples (adjusted p ≤ 0.005: none of 400 random groups scored as high)", Line("m0d0c1"));
        Assert.Equal("p ≤ 0.0025 (1/401, the smallest 400 random groups can give), Benjamini–Hochberg adjusted over the method&#39;s concepts ≤ 0.005 (confirmed at ≤ 0.05); held-out statistic 0.93", Title("m0d0c1"));
        // Above the floor, the p is a measured value and reads as one.
        Assert.Equal("holds on held-out samples (adjusted p = 0.010)", Line("m0d0c2"));
        Assert.StartsWith("p = 0.00748, Benjamini–Hochberg", Title("m0d0c2"));
        // The terminal's held-out column says the same.
        Assert.Equal("yes, p ≤ 0.0025 (adjusted ≤ 0.005): none of 400 random groups scored as high", RepDiff.Cli.Summary.HeldOut(first, e));
        Assert.Equal("yes, p = 0.007 (adjusted 0.010)", RepDiff.Cli.Summary.HeldOut(second, e));

        // With 200 random groups (a small family) the floor is 1/201, and 2/201 is a measured p.
        e.Metrics["validation"] = new JsonObject { ["random_groups"] = 200 };
        first.PValue = 1.0 / 201;
        Assert.Equal(200, RepDiff.Trust.HeldOutValidation.AtSmallestP(first, e));
        first.PValue = 2.0 / 201;
        Assert.Null(RepDiff.Trust.HeldOutValidation.AtSmallestP(first, e));
        // Not found again: p = 1 is a convention with no held-out statistic, never a bound.
        Assert.Null(RepDiff.Trust.HeldOutValidation.AtSmallestP(new Concept { PValue = 1.0 / 201, PAdjusted = 1, FoundAgain = false }, e));
    }

    /// <summary>A bound is rounded up, so it stays a bound: 1/401 = 0.002494 must not read "≤ 0.002".</summary>
    [Theory]
    [InlineData(1.0 / 401, "0.0025")]
    [InlineData(2.0 / 401, "0.005")]
    [InlineData(1.0 / 201, "0.005")]
    [InlineData(1.0 / 801, "0.0013")]
    [InlineData(0.05, "0.05")]
    [InlineData(1.0, "1")]
    public void ABoundIsRoundedUpToTwoSignificantDigits(double p, string shown)
    {
        Assert.Equal(shown, RepDiff.Trust.HeldOutValidation.BoundText(p));
        Assert.True(double.Parse(shown, System.Globalization.CultureInfo.InvariantCulture) >= p);
    }

    /// <summary>
    /// A card's BSR beside its chance level: the same decimals for both, three where two would read them equal or the wrong
    /// way round, and † where it is at or below its chance level, by the table's rule (review 167, F9 and F10: "0.33 / 0.47"
    /// had no mark, and 0.498 against 0.502 read "0.50 / 0.50"); equal even at six decimals (null chance shown), "= chance".
    /// </summary>
    private const string EqualNote = "<small class=\"chance\" title=\"equal to its chance level, the mean BSR of random groups of the same size, to six decimals\"> = chance</small>";

    [Theory]
    [InlineData(0.97, 0.484, "0.97", "0.48", false)]
    [InlineData(0.33, 0.47, "0.33", "0.47", true)]
    [InlineData(0.498, 0.502, "0.498", "0.502", true)]
    [InlineData(0.503, 0.498, "0.503", "0.498", false)]
    [InlineData(0.5, 0.5, "0.50", null, true)]
    public void ACardsBsrAndChanceShareTheirDecimalsAndAtChanceIsMarked(double bsr, double chance, string shownBsr, string? shownChance, bool marked)
    {
        var (pair, e) = HtmlReportTests.Synthetic();
        var concept = e.Directions[0].Concepts[0];
        (concept.Bsr, concept.BsrChance) = (bsr, chance);
        string html = HtmlReport.Render(HtmlReportTests.Model(pair, e));
        string sub = Regex.Match(html, "<article class=\"card[^\"]*\" id=\"card-m0d0c1\".*?<div class=\"sub\">(.*?)</div>").Groups[1].Value;
        Assert.Contains($"members ·</span> <span title=\"BSR (SILB) of this grid: fraction of pairs closer in the explained model than in the other\">BSR <b>{shownBsr}</b>{(shownChance is null ? EqualNote : $"<small class=\"chance\" title=\"chance level: mean BSR of random groups of the same size, same distance\"> / {shownChance}</small>")}</span>", sub);
        Assert.Equal(marked, sub.Contains("<span class=\"at-chance\" title=\"at or below its chance level: this grid is no closer than random groups of the same size\">†</span>"));
        // Said where the table's † is explained.
        Assert.Contains("on a card, † marks a grid at or below its own", html);
    }
}
