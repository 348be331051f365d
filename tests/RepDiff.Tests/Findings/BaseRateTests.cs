using RepDiff.Findings;
using RepDiff.Metrics;
using static RepDiff.Tests.Findings.FindingTextTests;

namespace RepDiff.Tests.Findings;

/// <summary>
/// Which labels a finding names is read against each label's share of the whole set (review item 3): a label
/// counts when it is over-represented, by the enrichment test the concept cards show.
/// </summary>
public class BaseRateTests
{
    /// <summary>The first samples of each label, as many as asked, label by label.</summary>
    internal static int[] Take(SampleLabels labels, params (string Label, int Count)[] picks) =>
        picks.SelectMany(p => Enumerable.Range(0, labels.Codes.Length).Where(i => labels[i] == p.Label).Take(p.Count)).ToArray();

    [Fact]
    public void WithThreeBalancedClassesAConceptHalfOfOneLabelIsNotOneLabel()
    {
        // The checkpoints' early model (3, 5 and 8, a third each): concept 1 has 21 3s and 12 8s, concept 2 31 8s and 15 3s.
        var labels = Labels(("3", 180), ("5", 180), ("8", 180));
        var threesAndEights = Take(labels, ("3", 21), ("8", 12), ("5", 1));
        var mostlyEights = Take(labels, ("8", 31), ("3", 15), ("5", 7));
        var a = FindingText.Describe(Hand(threesAndEights, mostlyEights), labels, "early", "late", "images").For(DirectionNames.MoreSimilarInA);

        // 3 and 8 hold 33 of 34 members where the whole set has two thirds: a mixture of both.
        Assert.Equal(ConceptMix.Mixed, a.Concepts[0].Mix);
        Assert.Equal(["3", "8"], a.Concepts[0].Leading.Select(s => s.Label));
        // 58% 8 is over-represented, 28% 3 is fewer 3s than the whole set has: neither one label nor a mixture of 8 and 3.
        var eights = a.Concepts[1];
        Assert.True(eights.Labels.Single(s => s.Label == "3").Enrichment < 1);
        Assert.Equal(ConceptMix.Leaning, eights.Mix);
        Assert.Equal(["8"], eights.Leading.Select(s => s.Label));
        Assert.Equal("concept 2, 53 images: 58% 8 (whole set 33%), the rest from 2 other labels", eights.Detail("images"));
        Assert.Equal("early ranks the images shown for a group mixing 3 and 8 as nearer neighbours of each other than late does (concept 1, 34 images: 62% 3, 35% 8); "
            + "of its first two concepts, one mixes a few labels and one leans to a few labels.", a.Text);
        Assert.DoesNotContain("single labels", a.Text);
    }

    /// <summary>Brown: 15 genres of 200 sentences; a concept of 39% reviews and 15% news (7% each in the whole set), the rest 3 or 4 of each other genre.</summary>
    private static (SampleLabels Labels, int[] Members) Brown()
    {
        var genres = new[] { "reviews", "news" }.Concat(Enumerable.Range(0, 13).Select(k => $"genre{k:D2}")).ToArray();
        var labels = Labels(genres.Select(g => (g, 200)).ToArray());
        return (labels, Take(labels, [("reviews", 39), ("news", 15), .. genres[2..].Select((g, k) => (g, k < 7 ? 4 : 3))]));
    }

    [Fact]
    public void WithFifteenGenresAConceptLeaningToOneIsNotSaidToSpreadOverAll()
    {
        var (labels, members) = Brown();
        var a = FindingText.Describe(Hand(members), labels, "MiniLM", "arctic", "sentences").For(DirectionNames.MoreSimilarInA);

        Assert.Equal(ConceptMix.Leaning, a.Lead!.Mix);
        // The labels named are exactly those the card's enrichment test finds over-represented.
        var enriched = new Enrichment(SampleMetadata.WithLabels(new SampleInfo { Labels = labels })!).Of(members).Select(e => e.Value).ToList();
        Assert.Equal(enriched.Order(), a.Lead.Leading.Select(s => s.Label).Order());
        Assert.Equal("MiniLM ranks the sentences shown for groups of several labels, above all reviews and news, as nearer neighbours of each other than arctic does "
            + "(concept 1, 100 sentences: 39% reviews (whole set 7%), 15% news (whole set 7%), the rest from 13 other labels).", a.Text);
        Assert.DoesNotContain("spread", a.Text);
    }

    [Fact]
    public void ClassIndicesAreLabelsHoweverManyThereAre()
    {
        // ImageNet and CIFAR-100 labels are often stored as class indices: 30 classes of 40, a concept of 25 members of
        // class 7 and 15 of class 12. Labels are categories whatever they look like; as numbers with more than 20
        // distinct values they had been tested as a numeric column (a rank test of the class index), so no class was
        // ever over-represented and the concept read as spread over its labels.
        var labels = Labels(Enumerable.Range(0, 30).Select(k => (k.ToString(), 40)).ToArray());
        var members = Take(labels, ("7", 25), ("12", 15));
        var enriched = new Enrichment(SampleMetadata.WithLabels(new SampleInfo { Labels = labels })!).Of(members);
        Assert.Equal(["7", "12"], enriched.Select(e => e.Value));
        var a = FindingText.Describe(Hand(members), labels, "early", "late", "images").For(DirectionNames.MoreSimilarInA);
        Assert.Equal(ConceptMix.Mixed, a.Lead!.Mix);
        Assert.Equal(["7", "12"], a.Lead.Leading.Select(s => s.Label));
    }

    [Fact]
    public void TheCardsEnrichmentDecidesWhichLabelsAreOverRepresented()
    {
        // A scored concept carries the card's enrichment (tested with the metadata columns too, so its q-values can be
        // larger than a test of the labels alone): the sentence follows the card, not a test of its own.
        var (labels, members) = Brown();
        var explanation = Hand(members);
        var card = new Enrichment(SampleMetadata.WithLabels(new SampleInfo { Labels = labels })!).Of(members);
        explanation.Directions[0].Concepts[0].Enrichment = card.Where(e => e.Value == "reviews").ToList();
        Assert.Equal(["reviews"], ConceptProfile.Of(explanation.Directions[0].Concepts[0], labels).Leading.Select(s => s.Label));
        explanation.Directions[0].Concepts[0].Enrichment = [];
        var spread = FindingText.Describe(explanation, labels, "MiniLM", "arctic", "sentences").For(DirectionNames.MoreSimilarInA);
        Assert.Equal(ConceptMix.Spread, spread.Lead!.Mix);
        Assert.Contains("(concept 1, 100 sentences: spread over 15 labels, none over-represented, the largest label, reviews, at 39%)", spread.Text);
    }

    [Fact]
    public void LabelsTiedAtTheEdgeOfAMixtureAreNotPickedArbitrarily()
    {
        // Two of each of five labels (of ten, 10% each): four of them would hold 80%, but the fifth is as large, so five
        // labels (more than a mixture names) and none over-represented on its own: the concept cuts across labels.
        var labels = Labels(Enumerable.Range(0, 10).Select(k => ($"L{k}", 10)).ToArray());
        var members = Take(labels, Enumerable.Range(0, 5).Select(k => ($"L{k}", 2)).ToArray());
        var profile = ConceptProfile.Of(new Concept { Rank = 1, Members = members }, labels);
        Assert.Equal(ConceptMix.Spread, profile.Mix);
        Assert.Empty(profile.Leading);
    }

    /// <summary>Ten labels of 500; k members of L0 and the rest dealt over L1–L9 in turn.</summary>
    private static readonly SampleLabels FiveHundreds = Labels(Enumerable.Range(0, 10).Select(k => ($"L{k}", 500)).ToArray());

    private static ConceptProfile OfL0(int fromL0, int size)
    {
        var rest = Enumerable.Range(0, size - fromL0).GroupBy(j => $"L{1 + j % 9}").Select(g => (g.Key, g.Count()));
        return ConceptProfile.Of(new Concept { Rank = 1, Members = Take(FiveHundreds, [("L0", fromL0), .. rest]) }, FiveHundreds);
    }

    /// <summary>"One label": the largest label holds at least 70% of the members (ConceptProfile.OneLabelShare), at the edge.</summary>
    [Theory]
    [InlineData(70, 100, true)]
    [InlineData(69, 100, false)]
    [InlineData(21, 30, true)]
    [InlineData(20, 30, false)]
    [InlineData(7, 10, true)]
    [InlineData(349, 500, false)]
    public void OneLabelIsSeventyPercentOfTheMembers(int fromL0, int size, bool oneLabel)
    {
        var profile = OfL0(fromL0, size);
        Assert.Equal(oneLabel, profile.Mix == ConceptMix.OneLabel);
        Assert.Equal(oneLabel ? ConceptMix.OneLabel : ConceptMix.Leaning, profile.Mix);
        Assert.Equal(["L0"], profile.Leading.Select(s => s.Label));
    }

    /// <summary>
    /// A share under the rule's 70% keeps a decimal only when whole percents would round it up to 70: 69.5% (139 of 200)
    /// reads "69.5%", 69.4% (347 of 500) "69%"; 349 of 500 (69.8%) "69.8%".
    /// </summary>
    [Theory]
    [InlineData(139, 200, "69.5% L0")]
    [InlineData(347, 500, "69% L0")]
    [InlineData(349, 500, "69.8% L0")]
    [InlineData(7, 10, "70% L0")]
    public void ASharesDecimalIsKeptOnlyWhereItWouldRoundToTheRulesFigure(int fromL0, int size, string said)
        => Assert.Contains($": {said}", OfL0(fromL0, size).Detail("images"));

    /// <summary>
    /// A mixture's labels are the fewest largest holding 80% of the members (MixtureCoverage). 19 and 5 of 30 hold exactly
    /// 80%, but their shares summed to 0.7999…, so a third label (10%, under the 15% a mixture's label needs) joined and
    /// the concept read as leaning to L0; 18 and 5 (77%) need a third.
    /// </summary>
    [Fact]
    public void TwoLabelsHoldingExactlyEightyPercentAreAMixture()
    {
        var ten = Labels(Enumerable.Range(0, 10).Select(k => ($"L{k}", 100)).ToArray());
        var at = ConceptProfile.Of(new Concept { Rank = 1, Members = Take(ten, ("L0", 19), ("L1", 5), ("L2", 3), ("L3", 3)) }, ten);
        Assert.Equal(ConceptMix.Mixed, at.Mix);
        Assert.Equal(["L0", "L1"], at.Leading.Select(s => s.Label));
        Assert.Equal("concept 1, 30 images: 63% L0, 17% L1", at.Detail("images"));
        var below = ConceptProfile.Of(new Concept { Rank = 1, Members = Take(ten, ("L0", 18), ("L1", 5), ("L2", 4), ("L3", 3)) }, ten);
        Assert.NotEqual(ConceptMix.Mixed, below.Mix);
    }

    /// <summary>Each label of a mixture holds at least 15% of the members (NotableShare): 65% + 15% is one, 66% + 14% is not.</summary>
    [Fact]
    public void EachLabelOfAMixtureHoldsFifteenPercent()
    {
        var twenty = Labels(Enumerable.Range(0, 20).Select(k => ($"L{k}", 100)).ToArray());
        ConceptProfile Of(int first, int second) => ConceptProfile.Of(new Concept
            { Rank = 1, Members = Take(twenty, [("L0", first), ("L1", second), .. Enumerable.Range(2, 10).Select(k => ($"L{k}", 2))]) }, twenty);
        var at = Of(65, 15);
        Assert.Equal(ConceptMix.Mixed, at.Mix);
        Assert.Equal(["L0", "L1"], at.Leading.Select(s => s.Label));
        var below = Of(66, 14);
        Assert.Equal(ConceptMix.Leaning, below.Mix);
        Assert.Equal("L0", below.Leading[0].Label);
    }

    /// <summary>A mixture has two to four labels (MaxLabelsNamed): four of 20% and the rest spread is one; five of 18% are not.</summary>
    [Fact]
    public void AMixtureHasAtMostFourLabels()
    {
        var twenty = Labels(Enumerable.Range(0, 20).Select(k => ($"L{k}", 100)).ToArray());
        ConceptProfile Of(int labels, int each, int spread) => ConceptProfile.Of(new Concept { Rank = 1, Members = Take(twenty,
            [.. Enumerable.Range(0, labels).Select(k => ($"L{k}", each)), .. Enumerable.Range(labels, 10).Select(k => ($"L{k}", spread))]) }, twenty);
        var four = Of(4, 20, 2);
        Assert.Equal(ConceptMix.Mixed, four.Mix);
        Assert.Equal("concept 1, 100 images: 20% L0, 20% L1, 20% L2, 20% L3", four.Detail("images"));
        // Five labels reach 80% only together: not a mixture, but each is over-represented, and four of them are named; the
        // fifth is one of "the rest", which counts every label the detail does not name (findings.md, leaning).
        var five = Of(5, 18, 1);
        Assert.Equal(ConceptMix.Leaning, five.Mix);
        Assert.Equal(["L0", "L1", "L2", "L3"], five.Leading.Select(s => s.Label));
        Assert.EndsWith(", the rest from 11 other labels", five.Detail("images"));
    }

    /// <summary>
    /// A mixture is over-represented together: the hypergeometric p of its members' labels, times the C(labels, k) sets that
    /// could have been picked, at most 0.05. Three labels of 300: ten members all from two of them is p = 0.0169 × 3 = 0.051,
    /// not a mixture; eleven is 0.0112 × 3 = 0.034, one.
    /// </summary>
    [Fact]
    public void AMixtureIsOverRepresentedAfterCorrectingForTheLabelSetsItCouldHaveBeen()
    {
        var three = Labels(("3", 300), ("5", 300), ("8", 300));
        Assert.NotEqual(ConceptMix.Mixed, ConceptProfile.Of(new Concept { Rank = 1, Members = Take(three, ("3", 5), ("5", 5)) }, three).Mix);
        var eleven = ConceptProfile.Of(new Concept { Rank = 1, Members = Take(three, ("3", 6), ("5", 5)) }, three);
        Assert.Equal(ConceptMix.Mixed, eleven.Mix);
        Assert.Equal(["3", "5"], eleven.Leading.Select(s => s.Label));
    }

    /// <summary>"As are 95% of all images" is said of a one-label concept whose label is less than 1.2 times as common in it as in the set.</summary>
    [Theory]
    [InlineData(84, "all cat, as are 84% of all images")]
    [InlineData(83, "all cat")]
    public void ALabelHardlyCommonerInTheConceptThanInTheSetSaysSo(int cats, string said)
    {
        var labels = Labels(("cat", cats), ("dog", 100 - cats));
        Assert.EndsWith($": {said}", ConceptProfile.Of(new Concept { Rank = 1, Members = Take(labels, ("cat", 20)) }, labels).Detail("images"));
    }
}
