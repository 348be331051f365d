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
        Assert.Equal("early keeps 3 and 8 together where late separates them (concept 1, 34 images: 62% 3, 35% 8); "
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
        Assert.Equal("MiniLM keeps together sentences of several labels, above all reviews and news, that arctic separates "
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
}
