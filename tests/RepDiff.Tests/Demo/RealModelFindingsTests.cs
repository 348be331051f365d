using System.Globalization;
using RepDiff.Cli;
using RepDiff.Demo;
using RepDiff.Findings;
using RepDiff.Methods;
using RepDiff.Methods.Rdx;

namespace RepDiff.Tests.Demo;

/// <summary>
/// The demo's real-model findings, locked to the concept members they are read from. The pairs are the
/// demo's own at its small sample counts (300 sentences, 200 garments, 320 emoji), embedded with the real
/// built-in models through the demo's embedding cache (shared with the browser test, so a test run embeds
/// them once), and explained by RDX as the demo runs it. A change to the data, the embedding, the task model
/// or RDX that breaks a finding fails here.
/// </summary>
public class RealModelFindingsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private sealed record Explained(DemoPair Demo, Explanation Rdx, ExplanationFindings Findings);

    private static readonly Lazy<IReadOnlyList<Explained>> Pairs = new(() =>
        RealModelDemo.Build(RealModelDemo.Resolve(null), DemoSampleCounts.Small, DemoEmbeddings.DefaultFolder, seed: 0, progress: null)
            .Select(demo =>
            {
                var rdx = Comparison.Run(demo.Pair, [MethodRun.WithDefaults(new RdxMethod(), 0)], seed: 0).Explanations[0];
                return new Explained(demo, rdx, FindingText.Describe(rdx, demo.Pair, demo.SampleNoun));
            }).ToList());

    private static Explained Pair(string slug) => Pairs.Value.Single(p => p.Demo.Slug == slug);

    private static string Percent(double share) => (share * 100).ToString("F0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Label counts of a concept's members, counted here from the members and the pair's labels.</summary>
    private static Dictionary<string, int> CountLabels(Explained pair, Concept concept)
    {
        var labels = pair.Demo.Pair.Samples.Labels!;
        return concept.Members.GroupBy(i => labels[i]).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Mean share of the largest label over a direction's first concepts, counted here from their members.</summary>
    private static double MeanPurity(Explained pair, string direction) =>
        pair.Rdx.GetDirection(direction).Concepts.Take(FindingText.DefaultMaxConcepts)
            .Average(c => (double)CountLabels(pair, c).Values.Max() / c.Members.Length);

    [Theory]
    [InlineData("brown-minilm-arctic")]
    [InlineData("fashion-resnet-task")]
    [InlineData("twemoji-pictures-names")]
    public void EachSentenceNamesItsLeadConceptsLabelsWithTheirShareOfItsMembers(string slug)
    {
        var pair = Pair(slug);
        foreach (var finding in pair.Findings.Directions)
        {
            var lead = finding.Lead!;
            var concept = pair.Rdx.GetDirection(finding.Direction).Concepts.Single(c => c.Rank == lead.Rank);
            var counts = CountLabels(pair, concept);
            Assert.Equal(counts.OrderByDescending(kv => kv.Value).First().Value, lead.Labels[0].Count);
            output.WriteLine($"{slug} {finding.Direction}: {finding.Text}");
            // The headline gives the concept's size with its rank (and flags a small one).
            Assert.Contains($"concept {lead.Rank}, {(concept.Members.Length < ConceptProfile.SmallConcept ? "only " : "")}{concept.Members.Length} {pair.Demo.SampleNoun}", finding.Text);
            if (lead.Mix is ConceptMix.Spread)
                Assert.Contains($"spread over {counts.Count} labels, none over-represented, the largest label, {lead.Labels[0].Label}, at {Percent((double)counts[lead.Labels[0].Label] / concept.Members.Length)}", finding.Text);
            else
                foreach (var share in lead.Leading)
                    Assert.Contains($"{Percent((double)counts[share.Label] / concept.Members.Length)} {share.Label}", finding.Text);
            // A concept leaning to labels names those its card's enrichment test finds over-represented.
            if (lead.Mix is ConceptMix.Leaning)
            {
                var enriched = concept.Enrichment!.Where(e => e.Column == "label").Select(e => e.Value!).ToList();
                Assert.Subset(enriched.ToHashSet(), lead.Leading.Select(s => s.Label).ToHashSet());
                Assert.Equal(Math.Min(enriched.Count, ConceptProfile.MaxLabelsNamed), lead.Leading.Count);
            }
            Assert.Equal(MeanPurity(pair, finding.Direction), finding.MeanPurity!.Value, 12);
        }
        // The index line is the direction whose concepts mix labels most, with both purities.
        var mixing = pair.Findings.Directions.MinBy(d => d.MeanPurity)!;
        var other = pair.Findings.Directions.Single(d => d != mixing);
        Assert.Contains(mixing.Headline.TrimEnd('.'), pair.Findings.Summary);
        // Beside the purity a group gets by drawing from the set: the whole set's largest label share.
        var labels = pair.Demo.Pair.Samples.Labels!;
        double wholeSet = labels.Codes.GroupBy(c => c).Max(g => g.Count()) / (double)labels.Codes.Length;
        Assert.Contains($"label purity of its concepts {Percent(mixing.MeanPurity!.Value)} against {Percent(other.MeanPurity!.Value)} the other way (the whole set's largest label {Percent(wholeSet)})", pair.Findings.Summary);
    }

    [Fact]
    public void TheTaskModelGroupsGarmentsMoreByClassThanImageNetFeaturesDo()
    {
        // What ResNet-18 keeps together and the task model pulls apart mixes garment classes more than the reverse:
        // the task model was trained on these classes, ImageNet features were not.
        var pair = Pair("fashion-resnet-task");
        double resNet = MeanPurity(pair, DirectionNames.MoreSimilarInA), task = MeanPurity(pair, DirectionNames.MoreSimilarInB);
        Assert.True(task > resNet + 0.1, $"label purity: task model {task:P0}, ResNet-18 {resNet:P0}");
        Assert.StartsWith(RealModelPairs.ResNet18, pair.Findings.Summary);
    }

    [Fact]
    public void EmojiNamesGroupByCategoryMoreThanTheirPicturesDo()
    {
        // Categories are about meaning: MiniLM on the names keeps same-category emoji together more than ResNet-18 on the pictures.
        var pair = Pair("twemoji-pictures-names");
        double pictures = MeanPurity(pair, DirectionNames.MoreSimilarInA), names = MeanPurity(pair, DirectionNames.MoreSimilarInB);
        Assert.True(names > pictures + 0.1, $"label purity: names {names:P0}, pictures {pictures:P0}");
        Assert.StartsWith($"{RealModelPairs.ResNet18} on the pictures", pair.Findings.Summary);
    }

    [Fact]
    public void WhatFineTuningChangesCutsAcrossGenres()
    {
        // Retrieval fine-tuning moves sentences by topic and form, not by Brown genre: in both directions no genre
        // holds half of a concept on average (15 genres: a random group would be about 7% each).
        var pair = Pair("brown-minilm-arctic");
        foreach (string direction in new[] { DirectionNames.MoreSimilarInA, DirectionNames.MoreSimilarInB })
            Assert.InRange(MeanPurity(pair, direction), 0.07, 0.5);
        Assert.Contains(pair.Findings.Directions, d => d.Lead!.Mix == ConceptMix.Spread);
    }
}
