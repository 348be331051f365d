using System.Globalization;
using System.Text.Json.Nodes;
using RepDiff.Findings;
using RepDiff.Metrics;
using RepDiff.Trust;
using static RepDiff.Tests.Findings.BaseRateTests;
using static RepDiff.Tests.Findings.FindingTextTests;

namespace RepDiff.Tests.Findings;

/// <summary>
/// Directions no better than random groups (review item 2), the wording after held-out validation (item 7) and
/// concept sizes in headlines (item 8).
/// </summary>
public class ChanceAndWordingTests
{
    private static readonly SampleLabels Digits = Labels(("3", 60), ("5", 60), ("8", 60));

    /// <summary>A: a mixture of 5s and 8s; B: 3s. BSR per direction with chance levels as BsrChance writes them.</summary>
    private static Explanation Scored(double bsrA, double chanceA, double? sdA, string directionA = DirectionNames.MoreSimilarInA)
    {
        var e = new Explanation
        {
            Method = "koda",
            Directions =
            [
                new Direction { Name = directionA, Explains = "a", Concepts = [new Concept { Rank = 1, Members = Take(Digits, ("5", 20), ("8", 20)) }] },
                new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts = [new Concept { Rank = 1, Members = Take(Digits, ("3", 30)) }] },
            ],
        };
        e.Metrics["bsr"] = new JsonObject { [directionA] = bsrA, [DirectionNames.MoreSimilarInB] = 0.9 };
        e.Metrics["bsr_chance"] = new JsonObject { [directionA] = chanceA, [DirectionNames.MoreSimilarInB] = 0.5 };
        if (sdA is double sd) e.Metrics["bsr_chance_sd"] = new JsonObject { [directionA] = sd, [DirectionNames.MoreSimilarInB] = 0.03 };
        return e;
    }

    [Fact]
    public void ADirectionAtChanceSaysItsGroupsAreNoBetterThanRandomOnes()
    {
        // Within two spreads of random groups of the same sizes either way (the checkpoints' KODA direction, 0.422 against
        // 0.484 ± 0.029, is 2.1 spreads below: below chance, ADirectionBelowChanceSaysTheOtherModelRanksItsGroupsNearer).
        var findings = FindingText.Describe(Scored(0.440, 0.484, 0.029), Digits, "late checkpoint", "early checkpoint", "images");
        var a = findings.For(DirectionNames.MoreSimilarInA);
        Assert.True(a.NoBetterThanChance);
        Assert.Equal("late checkpoint: the groups found here are no better than random groups (BSR 0.440, random groups of the same sizes 0.484 ± 0.029), "
            + "so they show nothing it keeps together that early checkpoint pulls apart.", a.Text);
        Assert.DoesNotContain("5 and 8", a.Text);
        // The index line speaks of the direction above chance and says what the other one is.
        var b = findings.For(DirectionNames.MoreSimilarInB);
        Assert.False(b.NoBetterThanChance);
        Assert.StartsWith(b.Headline.TrimEnd('.'), findings.Summary);
        Assert.EndsWith("; the other way no better than random groups.", findings.Summary);
    }

    /// <summary>
    /// KODA's direction a on minilm-l6 against arctic-embed-xs (1,000 Brown sentences, h209, h235): BSR 0.306 where random
    /// groups of the same sizes reach 0.495 ± 0.033, 5.7 spreads below, so its groups are nearer neighbours in b.npy, the
    /// opposite of the direction. The sentence had said "no better than random groups", and the line, with nothing the
    /// other way, "it shows no difference".
    /// </summary>
    [Fact]
    public void ADirectionBelowChanceSaysTheOtherModelRanksItsGroupsNearer()
    {
        var e = Scored(0.306, 0.495, 0.033);
        var findings = FindingText.Describe(e, Digits, "a.npy", "b.npy", "texts");
        var a = findings.For(DirectionNames.MoreSimilarInA);
        Assert.True(a.NoBetterThanChance);
        Assert.Equal("a.npy: the groups found here are below chance, the opposite of this direction: the texts shown for them are nearer neighbours of each other "
            + "in b.npy than in a.npy more often than those of random groups (BSR 0.306, random groups of the same sizes 0.495 ± 0.033), "
            + "so they show nothing it keeps together that b.npy pulls apart.", a.Text);
        Assert.Null(a.Lead);
        // The line speaks of the other direction and says what this one shows.
        Assert.StartsWith(findings.For(DirectionNames.MoreSimilarInB).Headline.TrimEnd('.'), findings.Summary);
        const string Opposite = "the groups koda finds nearer in a.npy are nearer in b.npy more often than random groups are "
            + "(BSR 0.306, random groups of the same sizes 0.495 ± 0.033)";
        Assert.EndsWith("; the other way below chance: " + Opposite + ".", findings.Summary);
        Assert.DoesNotContain("no better than random", findings.Summary);

        // Nothing the other way (the real pair before h212 kept direction b's modes).
        e.Directions[1].Concepts = [];
        Assert.Equal("koda finds no group that holds in the direction it was found for: " + Opposite + ".", FindingText.Describe(e, Digits, "a.npy", "b.npy", "texts").Summary);
        // The other way at chance.
        e.Directions[1].Concepts = [new Concept { Rank = 1, Members = Take(Digits, ("3", 30)) }];
        e.Metrics["bsr"]![DirectionNames.MoreSimilarInB] = 0.5;
        Assert.Equal("koda finds no group that holds in the direction it was found for: " + Opposite + "; the other way no better than random groups.",
            FindingText.Describe(e, Digits, "a.npy", "b.npy", "texts").Summary);
        // Without labels the line counts the other way's groups, and says this one too.
        e.Metrics["bsr"]![DirectionNames.MoreSimilarInB] = 0.9;
        Assert.EndsWith("; the other way below chance: " + Opposite + ".", FindingText.Describe(e, null, "a.npy", "b.npy", "texts").Summary);
    }

    [Fact]
    public void BelowChanceIsTwoSpreadsBelowAndNeedsASpread()
    {
        double chance = 0.5, sd = 0.03;
        bool Below(double bsr, double? spread) => FindingText.Describe(Scored(bsr, chance, spread), Digits, "A", "B").For(DirectionNames.MoreSimilarInA)
            .Text.StartsWith("A: the groups found here are below chance", StringComparison.Ordinal);
        Assert.True(Below(chance - (FindingText.ChanceMargin + 0.1) * sd, sd));
        Assert.False(Below(chance - FindingText.ChanceMargin * sd, sd));
        Assert.False(Below(chance - (FindingText.ChanceMargin - 0.1) * sd, sd));
        // Results written before the spreads were: no spread tells a low BSR from what random groups reach.
        Assert.False(Below(0.1, null));
        // Two spreads below B's chance level, B's groups nearer in A.
        var e = Scored(0.9, 0.5, 0.03);
        e.Metrics["bsr"]![DirectionNames.MoreSimilarInB] = 0.3;
        var b = FindingText.Describe(e, Digits, "A", "B", "images").For(DirectionNames.MoreSimilarInB);
        Assert.StartsWith("B: the groups found here are below chance, the opposite of this direction: the images shown for them are nearer neighbours of each other in A than in B", b.Text);
    }

    [Fact]
    public void TheRuleIsChancePlusTwoSpreadsOrTheChanceLevelWithoutASpread()
    {
        double chance = 0.5, sd = 0.03;
        bool AtChance(double bsr, double? spread) =>
            FindingText.Describe(Scored(bsr, chance, spread), Digits, "A", "B").For(DirectionNames.MoreSimilarInA).NoBetterThanChance;
        Assert.True(AtChance(chance + (FindingText.ChanceMargin - 0.1) * sd, sd));
        Assert.True(AtChance(chance + FindingText.ChanceMargin * sd, sd));
        Assert.False(AtChance(chance + (FindingText.ChanceMargin + 0.1) * sd, sd));
        // Results written before the spreads were: the chance level alone.
        Assert.True(AtChance(chance - 0.01, null));
        Assert.True(AtChance(chance, null));
        Assert.False(AtChance(chance + 0.01, null));
        var plain = FindingText.Describe(Scored(chance - 0.01, chance, null), Digits, "A", "B").For(DirectionNames.MoreSimilarInA);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"random groups of the same sizes {chance:F3})"), plain.Text);
        Assert.Contains("A ranks the samples shown for a group mixing 5 and 8 as nearer neighbours of each other than B does", FindingText.Describe(Scored(chance + 0.1, chance, sd), Digits, "A", "B").For(DirectionNames.MoreSimilarInA).Text);
    }

    /// <summary>
    /// A baseline's own groups of single samples (kmeans --concepts n) have no other model to name: the sentence had read
    /// "nothing it keeps together that  pulls apart", the other model's name empty (review 174).
    /// </summary>
    [Theory]
    [InlineData(DirectionNames.ConceptsOfA, "late")]
    [InlineData(DirectionNames.ConceptsOfB, "early")]
    public void ABaselinesSingleSamplesNameNoOtherModel(string direction, string subject)
    {
        var e = new Explanation
        {
            Method = "kmeans",
            Directions = [new Direction { Name = direction, Explains = direction == DirectionNames.ConceptsOfA ? "a" : "b",
                Concepts = [.. Enumerable.Range(0, 4).Select(i => new Concept { Rank = i + 1, Members = [i * 40] })] }],
        };
        var finding = FindingText.Describe(e, Digits, "late", "early", "images").For(direction);
        Assert.True(finding.SingleSamples);
        Assert.Equal($"{subject}: its concepts here are single samples, not groups, so they show no group of images it forms on its own.", finding.Text);
    }

    [Fact]
    public void SingleSamplesAreNotCalledGroups()
    {
        // rdx --max-samples 6 --concepts 5 made five concepts of one sample each, which no BSR measures; the finding had
        // read "keeps five groups (1, 1, 1, 1 and 1 samples) together" (helpers 93, 94).
        var e = Scored(0.9, 0.5, 0.03);
        e.Directions[0].Concepts = [.. Enumerable.Range(0, 5).Select(i => new Concept { Rank = i + 1, Members = [i * 30] })];
        var findings = FindingText.Describe(e, Digits, "late", "early", "images");
        var a = findings.For(DirectionNames.MoreSimilarInA);
        Assert.True(a.SingleSamples);
        Assert.Null(a.Lead);
        Assert.Equal("late: its concepts here are single samples, not groups, so they show nothing it keeps together that early pulls apart.", a.Text);
        Assert.EndsWith("; the other way single samples, not groups.", findings.Summary);

        // One single sample is not "they".
        e.Directions[0].Concepts = [new Concept { Rank = 1, Members = [3] }];
        Assert.Equal("late: its concept here is a single sample, not a group, so it shows nothing it keeps together that early pulls apart.",
            FindingText.Describe(e, Digits, "late", "early", "images").For(DirectionNames.MoreSimilarInA).Text);

        e.Directions[1].Concepts = [new Concept { Rank = 1, Members = [7] }];
        Assert.Equal("koda's concepts are single images, not groups: it shows no difference between late and early.",
            FindingText.Describe(e, Digits, "late", "early", "images").Summary);

        // Beside real groups a single sample is counted apart, not as one of the groups (helper 95), without labels too.
        e.Directions[0].Concepts = [new Concept { Rank = 1, Members = [0, 1, 2] }, new Concept { Rank = 2, Members = [5, 6, 7, 8] }, new Concept { Rank = 3, Members = [9] }];
        var unlabelled = FindingText.Describe(e, null, "late", "early", "images");
        Assert.StartsWith("late ranks the images shown for two groups (3 and 4 images) and one concept of a single sample as nearer neighbours of each other than early does", unlabelled.For(DirectionNames.MoreSimilarInA).Text);
        Assert.Contains("two groups of images whose shown images late ranks as nearer neighbours of each other than early does", unlabelled.Summary);
    }

    [Fact]
    public void BothDirectionsAtChanceMakeTheIndexLineSaySo()
    {
        var e = Scored(0.45, 0.5, 0.03);
        e.Metrics["bsr"]![DirectionNames.MoreSimilarInB] = 0.5;
        var findings = FindingText.Describe(e, Digits, "late", "early", "images");
        Assert.All(findings.Directions, d => Assert.True(d.NoBetterThanChance));
        Assert.Equal("koda's groups of images are no better than random groups: it shows no difference between late and early.", findings.Summary);
    }

    [Fact]
    public void ConfirmedConceptsAndBaselinesAreNotReadAgainstTheDirectionsChance()
    {
        // Held-out confirmation tests more members on unseen samples: a confirmed concept is spoken of.
        var confirmed = Scored(0.45, 0.5, 0.03);
        confirmed.Directions[0].Concepts[0].PAdjusted = 0.01;
        Assert.False(FindingText.Describe(confirmed, Digits, "A", "B").For(DirectionNames.MoreSimilarInA).NoBetterThanChance);
        // A baseline's own groups claim no difference, so its low BSR does not replace what they are.
        var baseline = FindingText.Describe(Scored(0.3, 0.5, 0.03, DirectionNames.ConceptsOfA), Digits, "A", "B").For(DirectionNames.ConceptsOfA);
        Assert.False(baseline.NoBetterThanChance);
        Assert.StartsWith("On its own, A groups 5 and 8 together", baseline.Text);
    }

    [Fact]
    public void AConfirmedConceptWhoseOwnGridIsNoCloserThanRandomGroupsIsNotSpokenOf()
    {
        // SPEC's concept confirmed by the held-out group its mode picked from B alone, while its own grid sat closer in A
        // (helper 79: BSR 0.17, random groups 0.49): the direction at chance says so instead of naming 5 and 8.
        var e = Scored(0.45, 0.5, 0.03);
        var concept = e.Directions[0].Concepts[0];
        (concept.PAdjusted, concept.Bsr, concept.BsrChance) = (0.01, 0.17, 0.49);
        Assert.True(FindingText.Describe(e, Digits, "A", "B").For(DirectionNames.MoreSimilarInA).NoBetterThanChance);
        // At its chance level, too; just above it, spoken of, as any confirmed concept.
        concept.Bsr = 0.49;
        Assert.True(FindingText.Describe(e, Digits, "A", "B").For(DirectionNames.MoreSimilarInA).NoBetterThanChance);
        concept.Bsr = 0.491;
        Assert.False(FindingText.Describe(e, Digits, "A", "B").For(DirectionNames.MoreSimilarInA).NoBetterThanChance);

        // In a direction above chance, a concept below its own chance level does not lead while another can.
        var two = Validated(2, 1, 2);
        two.Directions[0].Concepts[0].Bsr = 0.3;
        two.Directions[0].Concepts[0].BsrChance = 0.5;
        two.Directions[0].Concepts[1].Bsr = 0.8;
        two.Directions[0].Concepts[1].BsrChance = 0.5;
        Assert.Equal(2, FindingText.Describe(two, Ten, "A", "B").For(DirectionNames.MoreSimilarInA).Lead!.Rank);
    }

    [Fact]
    public void AMixtureLeadsTheHeadlineEvenWhenMostConceptsAreOneLabel()
    {
        // B merges L0 and L1 (ranks 1 and 2 mix them); the method's other concepts are whole classes: the headline names the
        // merge, and the tally the rest (helper 79: "lies within single labels (bee, ant and owl; …)" had led).
        var e = Hand(Take(Ten, ("L0", 10), ("L1", 10)), Take(Ten, ("L0", 10), ("L1", 10)).Select(i => i + 10).ToArray(),
            Take(Ten, ("L2", 20)), Take(Ten, ("L3", 20)), Take(Ten, ("L4", 20)));
        var a = FindingText.Describe(e, Ten, "A", "B", "images").For(DirectionNames.MoreSimilarInA);
        Assert.Equal(ConceptMix.Mixed, a.Lead!.Mix);
        Assert.Equal(1, a.Lead.Rank);
        Assert.StartsWith("A ranks the images shown for a group mixing L0 and L1 as nearer neighbours of each other than B does (concept 1, 20 images: 50% L0, 50% L1)", a.Text);
        // Both mixtures are the one merge, and the tally says so rather than count two differences (review 167, F2).
        Assert.EndsWith("; of its first five concepts, two mix the same two labels (L0 and L1) and three are mostly one label.", a.Text);
    }

    [Fact]
    public void AMetadataValueMostOfTheLeadConceptHasIsNamedBesideItsLabels()
    {
        // Helper 79: A's concept was all source 'web' (q ≈ 1e-49) but the sentence named only its 71% fox.
        var e = Hand(Take(Ten, ("L0", 15), ("L1", 5)));
        var concept = e.Directions[0].Concepts[0];
        EnrichedValue Value(string column, string value, int have, double q) => new()
            { Column = column, Value = value, Members = 20, MembersWithValue = have, Total = 200, TotalWithValue = 30, PValue = q, QValue = q };
        concept.Enrichment = [Value(SampleMetadata.LabelColumn, "L0", 15, 1e-12), Value("source", "web", 20, 1e-20), Value("camera", "old", 9, 1e-3)];
        var a = FindingText.Describe(e, Ten, "A", "B", "images").For(DirectionNames.MoreSimilarInA);
        Assert.Equal("Within single labels, A ranks the images shown for each group as nearer neighbours of each other than B does (L0; concept 1, 20 images: 75% L0; source 'web' in 100% of them (whole set 15%)).", a.Text);
        // Held by fewer than half the members, a value does not name the concept.
        concept.Enrichment = [Value("camera", "old", 9, 1e-3)];
        Assert.DoesNotContain("camera", FindingText.Describe(e, Ten, "A", "B", "images").For(DirectionNames.MoreSimilarInA).Text);
        // Held by half of them, it does.
        concept.Enrichment = [Value("camera", "old", 10, 1e-3)];
        Assert.EndsWith("75% L0; camera 'old' in 50% of them (whole set 15%)).", FindingText.Describe(e, Ten, "A", "B", "images").For(DirectionNames.MoreSimilarInA).Text);
    }

    [Fact]
    public void AShareJustUnderTheOneLabelRuleKeepsADecimal()
    {
        // The garments' concept 4: 87 of 125 (69.6%) is a mixture, and "70%" had read as the one-label rule's own figure.
        var hundreds = Labels(Enumerable.Range(0, 10).Select(k => ($"L{k}", 100)).ToArray());
        var a = FindingText.Describe(Hand(Take(hundreds, ("L0", 87), ("L1", 23), ("L2", 15))), hundreds, "A", "B", "images").For(DirectionNames.MoreSimilarInA);
        Assert.StartsWith("A ranks the images shown for a group mixing L0 and L1 as nearer neighbours of each other than B does (concept 1, 125 images: 69.6% L0, 18% L1)", a.Text);
    }

    private static readonly SampleLabels Ten = Labels(Enumerable.Range(0, 10).Select(k => ($"L{k}", 20)).ToArray());

    /// <summary>
    /// Ten labels of 20; concept r is the 20 samples of label r − 1. With ranks listed, held-out validation ran and
    /// confirmed those; without, it did not run.
    /// </summary>
    private static Explanation Validated(int concepts, params int[] confirmedRanks)
    {
        var e = Hand(Enumerable.Range(0, concepts).Select(k => Take(Ten, ($"L{k}", 20))).ToArray());
        if (confirmedRanks.Length > 0)
            foreach (var c in e.Directions[0].Concepts) c.PAdjusted = confirmedRanks.Contains(c.Rank) ? 0.01 : 0.6;
        return e;
    }

    [Fact]
    public void AfterValidationTheTallySpeaksOfTheConfirmedConceptsWhateverTheirRanks()
    {
        // Ranks 1, 2, 6 and 9 confirmed; rank 6 made a mixture so that the kinds differ.
        var e = Validated(10, 1, 2, 6, 9);
        e.Directions[0].Concepts[5].Members = Take(Ten, ("L5", 10), ("L6", 10));
        var a = FindingText.Describe(e, Ten, "A", "B", "images").For(DirectionNames.MoreSimilarInA);
        Assert.Equal([1, 2, 6, 9], a.Concepts.Select(c => c.Rank));
        Assert.EndsWith("; of its four confirmed concepts, one mixes a few labels and three are mostly one label.", a.Text);
        Assert.DoesNotContain("first", a.Text);

        // More confirmed than a finding reads: "its first five confirmed concepts".
        var many = FindingText.Describe(Validated(10, 1, 2, 3, 4, 6, 7, 9), Ten, "A", "B").For(DirectionNames.MoreSimilarInA);
        Assert.EndsWith("; all five of its first five confirmed concepts are mostly one label.", many.Text);
    }

    [Fact]
    public void TwoConceptsAreBothNeverAllTwo()
    {
        var confirmed = FindingText.Describe(Validated(10, 3, 8), Ten, "A", "B").For(DirectionNames.MoreSimilarInA);
        Assert.EndsWith("; both of its confirmed concepts are mostly one label.", confirmed.Text);
        var first = FindingText.Describe(Validated(2), Ten, "A", "B").For(DirectionNames.MoreSimilarInA);
        Assert.EndsWith("; both of its first two concepts are mostly one label.", first.Text);
        var none = FindingText.Describe(Validated(2, 9), Ten, "A", "B");
        var neither = none.For(DirectionNames.MoreSimilarInA);
        Assert.Equal("A: neither of the two concepts found in this direction was confirmed on held-out samples.", neither.Text);
        Assert.Equal("hand finds no group of samples that holds on held-out samples: none of its concepts was confirmed.", none.Summary);
        Assert.Equal("A: the one concept found in this direction was not confirmed on held-out samples.",
            FindingText.Describe(Validated(1, 9), Ten, "A", "B").For(DirectionNames.MoreSimilarInA).Text);
        Assert.Equal("A: none of the three concepts found in this direction was confirmed on held-out samples.",
            FindingText.Describe(Validated(3, 9), Ten, "A", "B").For(DirectionNames.MoreSimilarInA).Text);
        Assert.All(new[] { confirmed, first, neither }, d => Assert.DoesNotContain("all two", d.Text));
    }

    [Fact]
    public void AHeadlineSaysHowManyMembersItsConceptHasAndASmallOneDoesNotLead()
    {
        var labels = Labels(Enumerable.Range(0, 10).Select(k => ($"L{k}", 50)).ToArray());
        var three = Take(labels, ("L5", 3));
        var forty = Take(labels, ("L3", 24), ("L5", 16));
        Assert.True(three.Length < ConceptProfile.SmallConcept && forty.Length >= ConceptProfile.SmallConcept);

        // The strongest concept has three members: the 40-member mixture leads, with its size.
        var a = FindingText.Describe(Hand(three, forty), labels, "merged", "standard", "images").For(DirectionNames.MoreSimilarInA);
        Assert.Equal(2, a.Lead!.Rank);
        Assert.Equal("merged ranks the images shown for a group mixing L3 and L5 as nearer neighbours of each other than standard does (concept 2, 40 images: 60% L3, 40% L5); "
            + "of its first two concepts, one mixes a few labels and one is mostly one label.", a.Text);

        // With no larger concept the small one leads, flagged; one member is "1 image".
        var small = FindingText.Describe(Hand(three), labels, "merged", "standard", "images").For(DirectionNames.MoreSimilarInA);
        Assert.Equal("Within single labels, merged ranks the images shown for each group as nearer neighbours of each other than standard does (L5; concept 1, only 3 images: all L5).", small.Text);
        Assert.Equal("concept 1, only 1 image: all L5", ConceptProfile.Of(new Concept { Rank = 1, Members = [three[0]] }, labels).Detail("images"));
    }

    private static readonly SampleLabels Hundreds = Labels(Enumerable.Range(0, 10).Select(k => ($"L{k}", 100)).ToArray());

    /// <summary>Concepts of 20 of each kind: all L0; four each of L5–L9 (spread); ten of L3 and two each of L4–L8 (leaning to L3).</summary>
    private static int[] OfKind(ConceptMix kind) => kind switch
    {
        ConceptMix.OneLabel => Take(Hundreds, ("L0", 20)),
        ConceptMix.Spread => Take(Hundreds, [.. Enumerable.Range(5, 5).Select(k => ($"L{k}", 4))]),
        ConceptMix.Leaning => Take(Hundreds, [("L3", 10), .. Enumerable.Range(4, 5).Select(k => ($"L{k}", 2))]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// Without a mixture the headline says what most concepts are; a tie goes to one label, then to leaning, then to spread,
    /// whatever the concepts' ranks, and the strongest concept of that kind leads.
    /// </summary>
    [Theory]
    [InlineData(new[] { ConceptMix.Spread, ConceptMix.OneLabel }, ConceptMix.OneLabel, 2)]
    [InlineData(new[] { ConceptMix.Leaning, ConceptMix.OneLabel }, ConceptMix.OneLabel, 2)]
    [InlineData(new[] { ConceptMix.Spread, ConceptMix.Leaning }, ConceptMix.Leaning, 2)]
    [InlineData(new[] { ConceptMix.Spread, ConceptMix.Leaning, ConceptMix.OneLabel, ConceptMix.Leaning }, ConceptMix.Leaning, 2)]
    [InlineData(new[] { ConceptMix.OneLabel, ConceptMix.Spread, ConceptMix.Spread }, ConceptMix.Spread, 2)]
    public void WithoutAMixtureTheHeadlineIsTheCommonestKindAndTiesGoToOneLabelThenLeaning(ConceptMix[] kinds, ConceptMix leads, int rank)
    {
        var a = FindingText.Describe(Hand([.. kinds.Select(OfKind)]), Hundreds, "A", "B", "images").For(DirectionNames.MoreSimilarInA);
        Assert.Equal(kinds, a.Concepts.Select(c => c.Mix));
        Assert.Equal(leads, a.Lead!.Mix);
        Assert.Equal(rank, a.Lead.Rank);
        Assert.StartsWith(leads switch
        {
            ConceptMix.OneLabel => "Within single labels, A ranks the images shown for each group as nearer neighbours of each other than B does (L0; concept 2, 20 images: all L0)",
            ConceptMix.Leaning => "A ranks the images shown for groups of several labels, above all L3, as nearer neighbours of each other than B does (concept 2, 20 images: 50% L3 (whole set 10%), the rest from 5 other labels)",
            _ => "A ranks the images shown for groups of many labels as nearer neighbours of each other than B does (concept 2, 20 images: spread over 5 labels, none over-represented, the largest label, L5, at 20%)",
        }, a.Text);
    }

    /// <summary>
    /// A concept of fewer than ten members (ConceptProfile.SmallConcept) is not a candidate while a larger one is: nine of L0
    /// beside a spread concept of 20 leave the spread one to lead; ten of L0 tie with it, and one label leads. The tally
    /// counts both either way.
    /// </summary>
    [Theory]
    [InlineData(9, "A ranks the images shown for groups of many labels as nearer neighbours of each other than B does (concept 2, 20 images: spread over 5 labels, none over-represented, the largest label, L5, at 20%)")]
    [InlineData(10, "Within single labels, A ranks the images shown for each group as nearer neighbours of each other than B does (L0; concept 1, 10 images: all L0)")]
    public void AConceptOfNineMembersIsSmallAndOneOfTenIsNot(int size, string headline)
    {
        var a = FindingText.Describe(Hand(Take(Hundreds, ("L0", size)), OfKind(ConceptMix.Spread)), Hundreds, "A", "B", "images").For(DirectionNames.MoreSimilarInA);
        Assert.Equal(headline + "; of its first two concepts, one is mostly one label and one cuts across labels.", a.Text);
    }

    /// <summary>
    /// A direction speaks of its first five concepts (FindingText.DefaultMaxConcepts): a mixture at rank 6 neither leads nor
    /// is counted; one-label concepts name up to four of their labels.
    /// </summary>
    [Fact]
    public void ADirectionSpeaksOfItsFirstFiveConcepts()
    {
        var e = Hand([.. Enumerable.Range(0, 5).Select(k => Take(Hundreds, ($"L{k}", 20))), Take(Hundreds, ("L5", 12), ("L6", 12))]);
        var a = FindingText.Describe(e, Hundreds, "A", "B", "images").For(DirectionNames.MoreSimilarInA);
        Assert.Equal([1, 2, 3, 4, 5], a.Concepts.Select(c => c.Rank));
        Assert.Equal("Within single labels, A ranks the images shown for each group as nearer neighbours of each other than B does (L0, L1, L2 and L3; concept 1, 20 images: all L0); "
            + "all five of its first concepts are mostly one label.", a.Text);
        // Asked for six, the mixture leads.
        Assert.StartsWith("A ranks the images shown for a group mixing L5 and L6 as nearer neighbours", FindingText.Describe(e, Hundreds, "A", "B", "images", maxConcepts: 6).For(DirectionNames.MoreSimilarInA).Text);
    }

    /// <summary>
    /// Stability without held-out validation: the headline speaks of a concept found again when one was, and the sentence
    /// says how many were not; for clusters (RDX, k-means) that two or more were not suggests fewer concepts.
    /// </summary>
    [Theory]
    [InlineData("rdx", true)]
    [InlineData("spec", false)]
    public void ConceptsNotFoundAgainDoNotLeadAndAreCounted(string method, bool clusters)
    {
        Explanation Unsettled(double?[] stabilities)
        {
            var e = new Explanation
            {
                Method = method,
                Directions = [new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts =
                [
                    new Concept { Rank = 1, Members = Take(Digits, ("5", 20), ("8", 20)), Stability = stabilities[0] },
                    new Concept { Rank = 2, Members = Take(Digits, ("3", 30)), Stability = stabilities[1] },
                    new Concept { Rank = 3, Members = Take(Digits, ("8", 15), ("3", 15)), Stability = stabilities[2] },
                ] }],
            };
            e.Parameters["concepts"] = 3;
            return e;
        }
        string Text(params double?[] stabilities) => FindingText.Describe(Unsettled(stabilities), Digits, "A", "B", "images").For(DirectionNames.MoreSimilarInA).Text;

        // Unmeasured, or all found again: the mixture of 5s and 8s leads, nothing is added.
        string settled = Text(null, null, null);
        Assert.StartsWith("A ranks the images shown for a group mixing 5 and 8 as nearer neighbours of each other than B does (concept 1,", settled);
        Assert.Equal(settled, Text(0.9, 0.8, Stability.FoundAgain));
        // The mixtures not found again, the 3s found again: the 3s lead, and the count says what was not.
        string unsettled = Text(0.5, 0.9, 0.4);
        Assert.StartsWith("Within single labels, A ranks the images shown for each group as nearer neighbours of each other than B does (3; concept 2,", unsettled);
        string counted = "; two of its first three concepts were not found again when rerun on 80% of the samples";
        string fewer = ", as happens when a method is asked for more clusters than the difference has: fewer concepts may find stable ones.";
        Assert.EndsWith(counted + (clusters ? fewer : "."), unsettled);
        // One concept not found again: counted, no advice; just under the rule's 0.75 is not found again.
        Assert.EndsWith("; one of its first three concepts was not found again when rerun on 80% of the samples.", Text(0.5, 0.9, 0.9));
        Assert.EndsWith("; one of its first three concepts was not found again when rerun on 80% of the samples.", Text(Stability.FoundAgain - 1e-9, 0.9, 0.9));
        // None found again: the headline is as without stability, and the count says so.
        string none = Text(0.5, 0.5, 0.5);
        Assert.StartsWith("A ranks the images shown for a group mixing 5 and 8 as nearer neighbours of each other than B does (concept 1,", none);
        Assert.Contains("; none of its first three concepts was found again when rerun on 80% of the samples", none);
    }

    /// <summary>A label of 300 characters (a caption passed as a label) is named by its first 80 in the sentence.</summary>
    [Fact]
    public void LongLabelsAreCutInTheSentence()
    {
        string caption = string.Concat(Enumerable.Repeat("a long caption ", 20));
        var labels = Labels((caption, 60), ("5", 60), ("8", 60));
        var e = new Explanation
        {
            Method = "rdx",
            Directions = [new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts =
                [new Concept { Rank = 1, Members = Take(labels, (caption, 30)) }] }],
        };
        e.Parameters["concepts"] = 1;
        string text = FindingText.Describe(e, labels, "A", "B", "images").For(DirectionNames.MoreSimilarInA).Text;
        Assert.Contains(caption[..80] + "…", text);
        Assert.DoesNotContain(caption, text);

        // An emoji across the 80th character is left out whole: its first half alone is no character (UTF-8 has none for it).
        string straddling = new string('a', 79) + "😀 and more";
        var emojiLabels = Labels((straddling, 60), ("5", 60), ("8", 60));
        e.Directions[0].Concepts[0].Members = Take(emojiLabels, (straddling, 30));
        string cut = FindingText.Describe(e, emojiLabels, "A", "B", "images").For(DirectionNames.MoreSimilarInA).Text;
        Assert.Contains(" (" + new string('a', 79) + "…; concept 1, 30 images: all " + new string('a', 79) + "…)", cut);
        Assert.Equal(cut, System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(cut)));
    }

    /// <summary>A small concept found again leads before a large one that was not (the rdx digits run of helper 62: 84 samples at 0.48 led).</summary>
    [Fact]
    public void SmallConceptFoundAgainLeadsBeforeLargeOneNotFoundAgain()
    {
        var e = new Explanation
        {
            Method = "rdx",
            Directions = [new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts =
            [
                new Concept { Rank = 1, Members = Take(Digits, ("3", 6)), Stability = 1.0 },
                new Concept { Rank = 2, Members = Take(Digits, ("5", 20), ("8", 20)), Stability = 0.48 },
            ] }],
        };
        e.Parameters["concepts"] = 2;
        string text = FindingText.Describe(e, Digits, "A", "B", "images").For(DirectionNames.MoreSimilarInA).Text;
        Assert.StartsWith("Within single labels, A ranks the images shown for each group as nearer neighbours of each other than B does (3; concept 1, only 6 images: all 3)", text);
        Assert.EndsWith("; one of its first two concepts was not found again when rerun on 80% of the samples.", text);
    }

    /// <summary>
    /// The method's line is the direction of the lower label purity, and gives both; two that round to one whole percent
    /// keep decimals until they differ: minilm-l6 against arctic-embed-xs on 1,200 Brown sentences read "label purity of
    /// its concepts 24% against 24% the other way" (23.5% and 23.6%), which did not say why that direction was the line
    /// (helper 141). A true tie stays whole.
    /// </summary>
    [Theory]
    [InlineData(59, 41, 62, 38, "59% against 62%")]      // apart: whole percents, as before
    [InlineData(53, 47, 56, 50, "52.8% against 53.0%")]  // 53/100 and 56/106 both read 53%
    [InlineData(53, 47, 53, 47, "53% against 53%")]      // equal: the first direction by name, whole
    public void PuritiesThatRoundAlikeKeepTheDecimalsThatTellThemApart(int fivesInA, int eightsInA, int threesInB, int fivesInB, string expected)
    {
        var labels = Labels(("3", 120), ("5", 120), ("8", 120));
        var e = Scored(0.9, 0.5, 0.03);
        e.Directions[0].Concepts = [new Concept { Rank = 1, Members = Take(labels, ("5", fivesInA), ("8", eightsInA)) }];
        e.Directions[1].Concepts = [new Concept { Rank = 1, Members = Take(labels, ("3", threesInB), ("5", fivesInB)) }];
        var findings = FindingText.Describe(e, labels, "A", "B", "images");
        Assert.Contains($"; label purity of its concepts {expected} the other way (the whole set's largest label 33%).", findings.Summary);
        // The line is the direction of the lower purity.
        var line = findings.Directions.OrderBy(d => d.MeanPurity).ThenBy(d => d.Direction, StringComparer.Ordinal).First();
        Assert.StartsWith(line.Headline.TrimEnd('.'), findings.Summary);
    }

    /// <summary>
    /// Unlabelled concepts of 50 in direction B, whose grids score the given BSRs against a chance of 0.50 each; the
    /// direction's own BSR is 0.70 against 0.50 ± 0.03 (above chance) unless given.
    /// </summary>
    private static Explanation GridsScored(double[] bsrs, double directionBsr = 0.70)
    {
        var e = new Explanation
        {
            Method = "hand",
            Directions =
            [
                new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a" },
                new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts = bsrs.Select((bsr, k) => new Concept
                    { Rank = k + 1, Members = Enumerable.Range(50 * k, 50).ToArray(), Grid = Enumerable.Range(50 * k, 9).ToArray(), Bsr = bsr, BsrChance = 0.50 }).ToList() },
            ],
        };
        e.Metrics["bsr"] = new JsonObject { [DirectionNames.MoreSimilarInB] = directionBsr };
        e.Metrics["bsr_chance"] = new JsonObject { [DirectionNames.MoreSimilarInB] = 0.50 };
        e.Metrics["bsr_chance_sd"] = new JsonObject { [DirectionNames.MoreSimilarInB] = 0.03 };
        return e;
    }

    [Fact]
    public void WithoutValidationASentenceCountsOnlyConceptsWhoseGridIsAboveChance()
    {
        // h209 on minilm/arctic: SPEC's "five groups (50, 50, 50, 50 and 50 samples)" counted concept 5, whose grid's BSR
        // 0.39 is below its chance 0.50 (its card marked †). The sentence speaks of the four whose cards are not marked.
        // Of its six concepts the first five above chance are spoken of, named by rank so that the cards can be found.
        var e = GridsScored([0.95, 0.90, 0.88, 0.85, 0.39, 0.80]);
        Assert.Equal([false, false, false, false, true, false], e.Directions[1].Concepts.Select(c => c.GridAtChance));
        var b = FindingText.Describe(e, labels: null, "a.npy", "b.npy").For(DirectionNames.MoreSimilarInB);
        Assert.False(b.NoBetterThanChance);
        Assert.Equal("b.npy ranks the samples shown for five groups (50, 50, 50, 50 and 50 samples: concepts 1, 2, 3, 4 and 6) as nearer neighbours of each other than a.npy does (there are no labels to name them: see the concept cards).", b.Text);
        Assert.DoesNotContain(b.Concepts, p => p.Rank == 5);
        // A grid exactly at its chance level is marked † too, and left out likewise.
        e.Directions[1].Concepts[3].Bsr = 0.50;
        Assert.StartsWith("b.npy ranks the samples shown for four groups (50, 50, 50 and 50 samples: concepts 1, 2, 3 and 6) as", FindingText.Describe(e, labels: null, "a.npy", "b.npy").For(DirectionNames.MoreSimilarInB).Text);
        // With none at chance among the first five, the sentence is as it was, without ranks.
        e.Directions[1].Concepts[3].Bsr = e.Directions[1].Concepts[4].Bsr = 0.85;
        Assert.StartsWith("b.npy ranks the samples shown for five groups (50, 50, 50, 50 and 50 samples) as", FindingText.Describe(e, labels: null, "a.npy", "b.npy").For(DirectionNames.MoreSimilarInB).Text);
    }

    [Fact]
    public void WithoutValidationADirectionWhoseGridsAreAllAtChanceSaysSo()
    {
        // Every grid at or below chance while the direction's BSR over all of them is above it: no group is spoken of.
        var b = FindingText.Describe(GridsScored([0.45, 0.50, 0.39]), labels: null, "a.npy", "b.npy").For(DirectionNames.MoreSimilarInB);
        Assert.True(b.NoBetterThanChance);
        Assert.Equal("b.npy: none of the three concepts found here holds: each grid is no better than random groups of its size, so they show nothing it keeps together that a.npy pulls apart.", b.Text);
        Assert.Empty(b.Concepts);
        var one = FindingText.Describe(GridsScored([0.39]), labels: null, "a.npy", "b.npy").For(DirectionNames.MoreSimilarInB);
        Assert.Equal("b.npy: the one concept found here does not hold: its grid is no better than random groups of its size, so it shows nothing it keeps together that a.npy pulls apart.", one.Text);
        // With the direction's BSR at chance too, the direction's numbers say it, as before.
        var atChance = FindingText.Describe(GridsScored([0.45, 0.39], directionBsr: 0.45), labels: null, "a.npy", "b.npy").For(DirectionNames.MoreSimilarInB);
        Assert.True(atChance.NoBetterThanChance);
        Assert.StartsWith("b.npy: the groups found here are no better than random groups (BSR 0.450, random groups of the same sizes 0.500 ± 0.030)", atChance.Text);
    }
}
