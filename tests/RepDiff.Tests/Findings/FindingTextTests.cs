using System.Globalization;
using RepDiff.Demo;
using RepDiff.Findings;
using RepDiff.Methods;
using RepDiff.Methods.Rdx;
using RepDiff.Trust;

namespace RepDiff.Tests.Findings;

public class FindingTextTests
{
    private static readonly Lazy<(DemoPair Demo, Explanation Rdx)> MergedDigits = new(() =>
    {
        var demo = DigitsExperiment.MergedLabels(Optdigits.Load(Optdigits.FindDataFile()), seed: 0);
        var run = DigitsExperiment.WithPublishedRdxConfig([MethodRun.WithDefaults(new RdxMethod(), 0)])[0];
        var rdx = run.Method.Run(demo.Pair, run.Options);
        return (demo, rdx);
    });

    private static string Percent(int count, int total) => ((double)count / total * 100).ToString("F0", CultureInfo.InvariantCulture) + "%";

    [Fact]
    public void MergedLabelModelFindingNamesThreeAndFiveFromTheConceptMembers()
    {
        var (demo, rdx) = MergedDigits.Value;
        var findings = FindingText.Describe(rdx, demo.Pair, "images");
        var merged = findings.For(DirectionNames.MoreSimilarInA);
        var lead = merged.Lead!;
        Assert.Equal(ConceptMix.Mixed, lead.Mix);
        Assert.Equal(["3", "5"], lead.Leading.Select(s => s.Label).Order());

        // The sentence's numbers are the lead concept's own counts.
        var concept = rdx.GetDirection(DirectionNames.MoreSimilarInA).Concepts.Single(c => c.Rank == lead.Rank);
        var labels = demo.Pair.Samples.Labels!;
        foreach (string digit in new[] { "3", "5" })
            Assert.Contains($"{Percent(concept.Members.Count(i => labels[i] == digit), concept.Members.Length)} {digit}", merged.Text);
        Assert.StartsWith($"{demo.Pair.NameA} ranks ", merged.Text);
        Assert.Contains($"as nearer neighbours of each other than {demo.Pair.NameB} does", merged.Text);

        // The standard model's groups are purer; the report's one line leads with the merged model's mixture.
        var standard = findings.For(DirectionNames.MoreSimilarInB);
        Assert.True(merged.MeanPurity < standard.MeanPurity, $"{merged.MeanPurity} vs {standard.MeanPurity}");
        double expectedPurity = merged.Concepts.Average(c => c.Labels.Max(s => s.Count) / (double)c.Size);
        Assert.Equal(expectedPurity, merged.MeanPurity!.Value, 12);
        Assert.StartsWith(merged.Headline.TrimEnd('.'), findings.Summary);
        Assert.Contains($"label purity of its concepts {Percent((int)Math.Round(merged.MeanPurity.Value * 1000), 1000)}", findings.Summary);
    }

    [Fact]
    public void ValidatedAsTheDemoValidatesItTheMergedDigitsLineSpeaksOfThreesAndFives()
    {
        // The demo's headline method, validated on held-out samples: the standard model confirms one concept, 640 images mostly of
        // 3, 2, 1 and 9, which reads less pure than the merged model's three confirmed 3-and-5 concepts; the line is the merge.
        var (demo, _) = MergedDigits.Value;
        var run = DigitsExperiment.WithPublishedRdxConfig([MethodRun.WithDefaults(new RdxMethod(), 0)])[0];
        var rdx = run.Method.Run(demo.Pair, run.Options);
        HeldOutValidation.Run(run.Method, run.Options, demo.Pair, rdx);
        var findings = FindingText.Describe(rdx, demo.Pair, "images");
        var (merged, standard) = (findings.For(DirectionNames.MoreSimilarInA), findings.For(DirectionNames.MoreSimilarInB));
        Assert.True(standard.MeanPurity < merged.MeanPurity, $"{standard.MeanPurity} vs {merged.MeanPurity}");
        Assert.Equal(ConceptMix.Mixed, standard.Lead!.Mix);
        Assert.StartsWith($"{demo.Pair.NameA} ranks the images shown for a group mixing 3 and 5 as nearer neighbours of each other than {demo.Pair.NameB} does", findings.Summary);
        Assert.StartsWith(merged.Headline.TrimEnd('.'), findings.Summary);
    }

    [Fact]
    public void EveryMethodOnTheDigitsGetsASentencePerDirection()
    {
        var (demo, _) = MergedDigits.Value;
        foreach (var method in MethodRegistry.Default.PairMethods.Where(m => m.Applies(demo.Pair) && m.Name is "kmeans" or "spec"))
        {
            var explanation = method.Run(demo.Pair, MethodRun.WithDefaults(method, 0).Options);
            var findings = FindingText.Describe(explanation, demo.Pair, "images");
            Assert.Equal(explanation.Directions.Select(d => d.Name), findings.Directions.Select(d => d.Direction));
            Assert.All(findings.Directions, d =>
            {
                Assert.EndsWith(".", d.Text);
                Assert.Contains(d.Lead!.Detail("images"), d.Text);
                Assert.All(d.Lead.Leading, s => Assert.Contains(s.Label, d.Text));
            });
            Assert.DoesNotContain("\n", findings.Summary);
        }
    }

    internal static Explanation Hand(params int[][] concepts) => new()
    {
        Method = "hand",
        Directions =
        [
            new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = concepts.Select((m, k) => new Concept { Rank = k + 1, Members = m }).ToList() },
            new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b" },
        ],
    };

    internal static SampleLabels Labels(params (string Label, int Count)[] runs) =>
        new(runs.SelectMany(r => Enumerable.Repeat(r.Label, r.Count)).ToList());

    [Fact]
    public void NoConceptsSaysSo()
    {
        var findings = FindingText.Describe(Hand(), Labels(("cat", 5)), "ResNet-18", "all-MiniLM-L6-v2", "emoji");
        Assert.Equal("ResNet-18 puts no group of emoji together that all-MiniLM-L6-v2 pulls apart (the method found no concept in this direction).",
            findings.For(DirectionNames.MoreSimilarInA).Text);
        Assert.Null(findings.For(DirectionNames.MoreSimilarInA).Lead);
        Assert.Equal("hand finds no group of emoji that one representation keeps together and the other pulls apart.", findings.Summary);
    }

    [Fact]
    public void OneLabelForEverySampleNamesNothing()
    {
        // Labels with one class: every concept was "all 0, as are 100% of all samples", and the direction "lies within
        // single labels (0; …)", a claim about labels that cannot tell any samples apart.
        var findings = FindingText.Describe(Hand([0, 1, 2, 3], [4, 5]), Labels(("0", 6)), "A", "B", "sentences");
        var a = findings.For(DirectionNames.MoreSimilarInA);
        Assert.Equal("A ranks the sentences shown for two groups (4 and 2 sentences) as nearer neighbours of each other than B does (all sentences have the same label, so labels cannot name them: see the concept cards).", a.Text);
        Assert.All(a.Concepts, c => Assert.Equal(ConceptMix.Unlabelled, c.Mix));
        Assert.Null(a.MeanPurity);
        Assert.Equal("hand finds two groups of sentences whose shown sentences A ranks as nearer neighbours of each other than B does (all sentences have the same label, so labels cannot name them).", findings.Summary);
    }

    [Fact]
    public void UnlabelledDataGivesGroupSizesAndNoLabelClaims()
    {
        var findings = FindingText.Describe(Hand([0, 1, 2, 3], [4, 5]), labels: null, "A", "B", "sentences");
        var a = findings.For(DirectionNames.MoreSimilarInA);
        Assert.Equal("A ranks the sentences shown for two groups (4 and 2 sentences) as nearer neighbours of each other than B does (there are no labels to name them: see the concept cards).", a.Text);
        Assert.All(a.Concepts, c => Assert.Equal(ConceptMix.Unlabelled, c.Mix));
        Assert.Null(a.MeanPurity);
        Assert.Equal("hand finds two groups of sentences whose shown sentences A ranks as nearer neighbours of each other than B does (no labels to name them).", findings.Summary);
    }

    [Fact]
    public void ALabelThatFillsTheDataSetIsNotPresentedAsAFinding()
    {
        // 95 cats and 5 dogs: a concept of cats is "mostly one label" only because nearly everything is a cat.
        var labels = Labels(("cat", 95), ("dog", 5));
        var findings = FindingText.Describe(Hand(Enumerable.Range(0, 20).ToArray()), labels, "A", "B", "images");
        var a = findings.For(DirectionNames.MoreSimilarInA);
        Assert.Equal(ConceptMix.OneLabel, a.Lead!.Mix);
        Assert.Equal("Within single labels, A ranks the images shown for each group as nearer neighbours of each other than B does (cat; concept 1, 20 images: all cat, as are 95% of all images).", a.Text);
        Assert.Equal(1.0, a.MeanPurity);
    }

    [Fact]
    public void MixturesAreFoundEvenWithFewLabels()
    {
        // Three labels of 30 each; a concept of 18 threes and 12 fives is a mixture although neither is rare: together
        // they hold every member where the whole set has two thirds.
        var labels = Labels(("3", 30), ("5", 30), ("8", 30));
        var members = Enumerable.Range(0, 18).Concat(Enumerable.Range(30, 12)).ToArray();
        var a = FindingText.Describe(Hand(members), labels, "early", "late").For(DirectionNames.MoreSimilarInA);
        Assert.Equal(ConceptMix.Mixed, a.Lead!.Mix);
        Assert.Equal("early ranks the samples shown for a group mixing 3 and 5 as nearer neighbours of each other than late does (concept 1, 30 samples: 60% 3, 40% 5).", a.Text);
    }

    [Fact]
    public void ConceptsThatCutAcrossLabelsAreSaidToAndInvalidMembersAreSkipped()
    {
        // Ten labels of 10; the concept takes two of each of five labels, plus indices outside the data.
        var labels = Labels(Enumerable.Range(0, 10).Select(k => ($"L{k}", 10)).ToArray());
        var members = Enumerable.Range(0, 5).SelectMany(k => new[] { k * 10, k * 10 + 1 }).Append(-1).Append(500).ToArray();
        var pure = Enumerable.Range(90, 10).ToArray();
        var a = FindingText.Describe(Hand(members, pure, members), labels, "A", "B", "images").For(DirectionNames.MoreSimilarInA);
        Assert.Equal([ConceptMix.Spread, ConceptMix.OneLabel, ConceptMix.Spread], a.Concepts.Select(c => c.Mix));
        Assert.Equal(10, a.Concepts[0].Size);
        Assert.Equal("A ranks the images shown for groups of many labels as nearer neighbours of each other than B does (concept 1, 10 images: spread over 5 labels, none over-represented, "
            + "the largest label, L0, at 20%); of its first three concepts, one is mostly one label and two cut across labels.", a.Text);
    }

    [Fact]
    public void BaselineAndFincDirectionsAreWordedForWhatTheyAre()
    {
        var labels = Labels(("Shirt", 30), ("Coat", 30), ("Bag", 30));
        var explanation = new Explanation
        {
            Method = "mixed",
            Directions =
            [
                new Direction { Name = DirectionNames.ConceptsOfA, Concepts = [new Concept { Rank = 1, Members = [.. Enumerable.Range(0, 12), .. Enumerable.Range(30, 8)] }] },
                new Direction { Name = DirectionNames.MoreFrequentInTest, Concepts = [new Concept { Rank = 1, Members = [.. Enumerable.Range(60, 12)] }] },
            ],
        };
        var findings = FindingText.Describe(explanation, labels, "pixels", "reference", "images");
        Assert.Equal("On its own, pixels groups Shirt and Coat together (concept 1, 20 images: 60% Shirt, 40% Coat; a baseline, not a difference by itself).",
            findings.For(DirectionNames.ConceptsOfA).Text);
        Assert.Equal("The test set (pixels) has more images of Bag than the reference set (reference) (concept 1, 12 images: all Bag).",
            findings.For(DirectionNames.MoreFrequentInTest).Text);

        // Without labels each kind of direction says what its groups are in its own words.
        var unlabelled = FindingText.Describe(explanation, labels: null, "pixels", "reference", "images");
        Assert.Equal("On its own, pixels forms one group of 20 images (there are no labels to name them: see the concept cards; a baseline, not a difference by itself).",
            unlabelled.For(DirectionNames.ConceptsOfA).Text);
        Assert.Equal("The test set (pixels) has more images than the reference set (reference) in one group of 12 images (there are no labels to name them: see the concept cards).",
            unlabelled.For(DirectionNames.MoreFrequentInTest).Text);
    }

    /// <summary>
    /// Groups given in a file are named in the run's line up to three a part, and a direction speaks of the groups that hold
    /// in it by their names, up to three, the rest counted in words in both ("and two more"; the line had said "and 2 more"
    /// beside "five hold", h147), as every count of groups in a sentence is up to nine; 13 past three read "and 10 more".
    /// </summary>
    [Fact]
    public void GivenGroupsAreNamedUpToThreeAPart()
    {
        var inA = Enumerable.Range(1, 5).Select(k => new Concept { Rank = k, Name = $"g{k}", Members = [.. Enumerable.Range(k * 10, 10)], Grid = [.. Enumerable.Range(k * 10, 10)] }).ToList();
        var explanation = new Explanation
        {
            Method = "groups",
            Directions =
            [
                new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = [.. inA, new Concept { Rank = 6, Name = "strays", Members = [1, 2, 3], Grid = [1, 2, 3] }] },
                new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b" },
            ],
        };
        explanation.Metrics["holds_in"] = new System.Text.Json.Nodes.JsonObject { ["g1"] = "a", ["g2"] = "a", ["g3"] = "a", ["g4"] = "a", ["g5"] = "a", ["strays"] = "neither" };
        var findings = FindingText.Describe(explanation, labels: null, "a.npy", "b.npy");
        Assert.Equal("Of the six groups given, five hold in A (a.npy), which ranks their members as nearer neighbours of each other than B does ('g1', 'g2', 'g3' and two more); "
            + "and one is no better than random groups of its size ('strays').", findings.Summary);
        Assert.StartsWith("a.npy ranks the members of the groups 'g1' (10 samples), 'g2' (10 samples), 'g3' (10 samples) and two more as nearer neighbours of each other than b.npy does",
            findings.For(DirectionNames.MoreSimilarInA).Text);
        // Every group given holding in one direction: "all five".
        explanation.Directions[0].Concepts = inA;
        explanation.Metrics["holds_in"]!.AsObject().Remove("strays");
        Assert.StartsWith("Of the five groups given, all five hold in A (a.npy)", FindingText.Describe(explanation, labels: null, "a.npy", "b.npy").Summary);

        // Past nine the count is digits, in the line and in the direction alike.
        var thirteen = Enumerable.Range(1, 13).Select(k => new Concept { Rank = k, Name = $"g{k}", Members = [.. Enumerable.Range(k * 10, 10)], Grid = [.. Enumerable.Range(k * 10, 10)] }).ToList();
        explanation.Directions[0].Concepts = thirteen;
        explanation.Metrics["holds_in"] = new System.Text.Json.Nodes.JsonObject(thirteen.Select(c => KeyValuePair.Create(c.Name!, (System.Text.Json.Nodes.JsonNode?)"a")));
        var many = FindingText.Describe(explanation, labels: null, "a.npy", "b.npy");
        Assert.EndsWith("('g1', 'g2', 'g3' and 10 more).", many.Summary);
        Assert.StartsWith("a.npy ranks the members of the groups 'g1' (10 samples), 'g2' (10 samples), 'g3' (10 samples) and 10 more as nearer neighbours", many.For(DirectionNames.MoreSimilarInA).Text);
    }

    [Fact]
    public void ASingleSampleDoesNotMakeItsDirectionReadPurer()
    {
        // A mixes cats and dogs (55% cat) beside two concepts of one sample each; B is mostly foxes (71%). Counted at 100%,
        // the single samples had made A's purity 85% and the method's line B's ("lies within single labels").
        var labels = Labels(("cat", 60), ("dog", 60), ("fox", 60));
        var explanation = new Explanation
        {
            Method = "hand",
            Directions =
            [
                new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts =
                [
                    new Concept { Rank = 1, Members = BaseRateTests.Take(labels, ("cat", 12), ("dog", 10)) },
                    new Concept { Rank = 2, Members = BaseRateTests.Take(labels, ("cat", 1)) },
                    new Concept { Rank = 3, Members = BaseRateTests.Take(labels, ("dog", 1)) },
                ] },
                new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts = [new Concept { Rank = 1, Members = BaseRateTests.Take(labels, ("fox", 20), ("cat", 8)) }] },
            ],
        };
        var findings = FindingText.Describe(explanation, labels, "a.npy", "b.npy");
        Assert.Equal(12.0 / 22, findings.For(DirectionNames.MoreSimilarInA).MeanPurity!.Value, 12);
        Assert.StartsWith("a.npy ranks the samples shown for a group mixing cat and dog as nearer neighbours of each other than b.npy does", findings.Summary);
        Assert.Contains("label purity of its concepts 55% against 71% the other way", findings.Summary);
    }

    /// <summary>The merged-labels demo's ten digits, as many of each as the demo has.</summary>
    private static readonly SampleLabels DemoDigits = Labels(("0", 178), ("1", 182), ("2", 177), ("3", 183), ("4", 181), ("5", 182),
        ("6", 181), ("7", 179), ("8", 174), ("9", 180));

    /// <summary>A concept whose held-out validation confirmed it (adjusted p 0.006) or did not (1).</summary>
    private static Concept Held(int rank, bool confirmed, params (string Label, int Count)[] members)
        => new() { Rank = rank, Members = BaseRateTests.Take(DemoDigits, members), PValue = confirmed ? 0.0025 : 1, PAdjusted = confirmed ? 0.006 : 1 };

    [Fact]
    public void ASmallTwoLabelMixtureLeadsBeforeALargeDiffuseOne()
    {
        // The merged-labels demo's RDX with held-out validation: the merged model's three confirmed concepts mix 3s and 5s; the
        // standard model's one is 640 images, a third of the set, from four labels that are 40% of it. By the lower label purity
        // (28% against 56%) the line had spoken of the 640.
        var explanation = new Explanation
        {
            Method = "rdx",
            Directions =
            [
                new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts =
                [
                    Held(1, false, ("5", 5), ("3", 3)), Held(2, false, ("5", 5), ("3", 4)), Held(3, true, ("3", 14), ("5", 12), ("8", 1)),
                    Held(4, true, ("5", 22), ("3", 13)), Held(5, true, ("5", 87), ("3", 67), ("1", 7), ("2", 2)),
                ] },
                new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts =
                [
                    Held(1, false, ("5", 3)), Held(2, false, ("4", 4)), Held(3, false, ("3", 6), ("8", 1)), Held(4, false, ("1", 10)),
                    Held(5, true, ("3", 177), ("2", 156), ("1", 103), ("9", 96), ("8", 76), ("7", 28), ("6", 3), ("0", 1)),
                ] },
            ],
        };
        var findings = FindingText.Describe(explanation, DemoDigits, "merged", "standard", "images");
        var (merged, standard) = (findings.For(DirectionNames.MoreSimilarInA), findings.For(DirectionNames.MoreSimilarInB));
        Assert.Equal(ConceptMix.Mixed, standard.Lead!.Mix);
        Assert.True(standard.MeanPurity < merged.MeanPurity, $"{standard.MeanPurity} vs {merged.MeanPurity}");
        Assert.StartsWith("standard ranks the images shown for a group mixing 3, 2, 1 and 9 as nearer neighbours of each other than merged does (concept 5, 640 images: 28% 3, 24% 2, 16% 1, 15% 9)", standard.Text);
        // 26 of 27 from 3 and 5 (365 of 1,797); 532 of 640 from 3, 2, 1 and 9 (722 of 1,797).
        Assert.Equal("merged ranks the images shown for a group mixing 3 and 5 as nearer neighbours of each other than standard does (concept 3, 27 images: 52% 3, 44% 5); 3 and 5 are 96% of "
            + "that concept and 20% of the whole set, against 83% and 40% for the other way's 3, 2, 1 and 9 (concept 5, 640 images).", findings.Summary);
    }

    [Fact]
    public void TwoMixturesOfNearlyEqualConcentrationAreReadByPurity()
    {
        // Helper 157's probe: A's L0 and L1 are 99.6% of its concept, B's L2 and L3 100% of its lead, both from 20% of the set
        // (4.98 against 5.0). The higher concentration by a hair had overruled the purities (50% against 75%) and given as its
        // reason "100% of that concept and 20% of the whole set, against 100% and 20%".
        var labels = Labels(Enumerable.Range(0, 10).Select(k => ($"L{k}", 300)).ToArray());
        var explanation = TwoDirections(
            [new Concept { Rank = 1, Members = BaseRateTests.Take(labels, ("L0", 125), ("L1", 124), ("L9", 1)) }],
            [
                new Concept { Rank = 1, Members = BaseRateTests.Take(labels, ("L2", 50), ("L3", 50)) },
                new Concept { Rank = 2, Members = BaseRateTests.Take(labels, ("L4", 30)) },
            ]);
        var findings = FindingText.Describe(explanation, labels, "a.npy", "b.npy");
        Assert.Equal(ConceptMix.Mixed, findings.For(DirectionNames.MoreSimilarInA).Lead!.Mix);
        Assert.Equal(ConceptMix.Mixed, findings.For(DirectionNames.MoreSimilarInB).Lead!.Mix);
        Assert.StartsWith("a.npy ranks the samples shown for a group mixing L0 and L1 as nearer neighbours of each other than b.npy does", findings.Summary);
        Assert.Contains("; label purity of its concepts 50% against 75% the other way", findings.Summary);
    }

    /// <summary>
    /// 2,000 samples of eight common labels (245 each, 12% of the set) and two rare ones (20 each, 1%): rare labels whose
    /// share of a concept can reach 100 times their share of the set, where a common pair's cannot pass four.
    /// </summary>
    private static readonly SampleLabels TwoRareLabels = Labels([.. Enumerable.Range(0, 8).Select(k => ($"L{k}", 245)), ("R0", 20), ("R1", 20)]);

    /// <summary>A hand-made explanation of one method: <paramref name="inA"/> more similar in A, <paramref name="inB"/> in B.</summary>
    private static Explanation TwoDirections(Concept[] inA, Concept[] inB) => new()
    {
        Method = "hand",
        Directions =
        [
            new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = [.. inA] },
            new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts = [.. inB] },
        ],
    };

    private static Concept Of(int rank, params (string Label, int Count)[] members) => new() { Rank = rank, Members = BaseRateTests.Take(TwoRareLabels, members) };

    /// <summary>12 of A's 14 from the two rare labels (2% of the set, 43 times that in the concept), beside a concept of one label.</summary>
    private static readonly Concept[] RarePair = [Of(1, ("R0", 6), ("R1", 6), ("L2", 1), ("L3", 1)), Of(2, ("L5", 30), ("L6", 2))];

    [Fact]
    public void AHandfulOfRareSamplesDoesNotOutrankALargeMerge()
    {
        // B merges L0 and L1 (392 of 400, from 24.5% of the set: 4.0 times). By concentration (43 against 4.0) the line had named
        // A's 14 samples, and the purities (A 68%, B 74.5%) would too; counted as average labels (10% each) A's pair is 4.3 times
        // its share, no clearer than B's, and B holds 392 samples of its labels against A's 12.
        var explanation = TwoDirections(RarePair, [Of(1, ("L0", 196), ("L1", 196), ("L2", 4), ("L3", 4)), Of(2, ("L4", 60))]);
        var findings = FindingText.Describe(explanation, TwoRareLabels, "a.npy", "b.npy");
        var (rare, merge) = (findings.For(DirectionNames.MoreSimilarInA), findings.For(DirectionNames.MoreSimilarInB));
        Assert.Equal((ConceptMix.Mixed, ConceptMix.Mixed), (rare.Lead!.Mix, merge.Lead!.Mix));
        Assert.True(rare.MeanPurity < merge.MeanPurity, $"{rare.MeanPurity} vs {merge.MeanPurity}");
        Assert.Equal("b.npy ranks the samples shown for a group mixing L0 and L1 as nearer neighbours of each other than a.npy does (concept 1, 400 samples: 49% L0, 49% L1); L0 and L1 are 98% "
            + "(392 samples) of that concept and 24% of the whole set, against 86% (12 samples) and 2% for the other way's R0 and R1 "
            + "(concept 1, 14 samples), labels rarer than the set's average.", BidiControls.RemoveIsolates(findings.Summary));
    }

    [Fact]
    public void ARareMixtureStillLeadsAgainstADiffuseOne()
    {
        // B's 640 samples are 84% from four common labels that are half the set (1.7 times): the rare pair, 4.3 times its share
        // even counted as average labels, is the one strong difference, though B holds 540 samples of its labels to its 12.
        var explanation = TwoDirections(RarePair, [Of(1, ("L0", 150), ("L1", 140), ("L2", 130), ("L3", 120), ("L4", 30), ("L5", 25), ("L6", 25), ("L7", 20))]);
        var findings = FindingText.Describe(explanation, TwoRareLabels, "a.npy", "b.npy");
        Assert.Equal(ConceptMix.Mixed, findings.For(DirectionNames.MoreSimilarInB).Lead!.Mix);
        Assert.Equal("a.npy ranks the samples shown for a group mixing R0 and R1 as nearer neighbours of each other than b.npy does (concept 1, 14 samples: 43% R0, 43% R1); R0 and R1 are 86% "
            + "of that concept and 2% of the whole set, against 84% and 49% for the other way's L0, L1, L2 and L3 (concept 1, 640 samples).",
            BidiControls.RemoveIsolates(findings.Summary));
    }

    [Fact]
    public void ARareMixtureLeadsWhereTheOtherDirectionHasNone()
    {
        // B's concepts are each mostly one label: A's rare pair is the only difference that mixes labels, and leads by purity.
        var explanation = TwoDirections(RarePair, [Of(1, ("L0", 90), ("L1", 10)), Of(2, ("L4", 60))]);
        var findings = FindingText.Describe(explanation, TwoRareLabels, "a.npy", "b.npy");
        Assert.Equal(ConceptMix.OneLabel, findings.For(DirectionNames.MoreSimilarInB).Lead!.Mix);
        Assert.StartsWith("a.npy ranks the samples shown for a group mixing R0 and R1 as nearer neighbours of each other than b.npy does (concept 1, 14 samples: 43% R0, 43% R1); label purity of its concepts 68% against 95% the other way",
            BidiControls.RemoveIsolates(findings.Summary));
    }

    [Fact]
    public void ARareMixtureAgainstAMergeOfItsOwnSizeIsLeftToThePurities()
    {
        // B's merge of two common labels holds 15 samples of them to the rare pair's 12: not clearly more, so neither the rare
        // labels' concentration (43 against 3.8) nor the samples choose, and the purities do (A 68%, B 75%).
        var explanation = TwoDirections(RarePair, [Of(1, ("L0", 8), ("L1", 7), ("L2", 1)), Of(2, ("L4", 60))]);
        var findings = FindingText.Describe(explanation, TwoRareLabels, "a.npy", "b.npy");
        Assert.Equal(ConceptMix.Mixed, findings.For(DirectionNames.MoreSimilarInB).Lead!.Mix);
        Assert.StartsWith("a.npy ranks the samples shown for a group mixing R0 and R1 as nearer neighbours of each other than b.npy does", findings.Summary);
        Assert.Contains("; label purity of its concepts 68% against 75% the other way", findings.Summary);
    }

    [Fact]
    public void AMixtureAgainstADirectionThatLeadsWithNoneIsReadByPurityAsBefore()
    {
        // A keeps L0 and L1 together (57% L0); B's concept spreads evenly over five labels (20% each, so no two to four hold
        // 80%) and leans to them. Concentration compares two mixtures only: here the labels B crosses are the difference, as
        // ResNet-18's mixed garment classes are beside the task model's mixture of Bag, Shirt and Pullover.
        var labels = Labels(Enumerable.Range(0, 10).Select(k => ($"L{k}", 100)).ToArray());
        var explanation = TwoDirections(
            [new Concept { Rank = 1, Members = BaseRateTests.Take(labels, ("L0", 40), ("L1", 30)) }],
            [new Concept { Rank = 1, Members = BaseRateTests.Take(labels, ("L2", 20), ("L3", 20), ("L4", 20), ("L5", 20), ("L6", 20)) }]);
        var findings = FindingText.Describe(explanation, labels, "a.npy", "b.npy");
        Assert.Equal(ConceptMix.Mixed, findings.For(DirectionNames.MoreSimilarInA).Lead!.Mix);
        Assert.Equal(ConceptMix.Leaning, findings.For(DirectionNames.MoreSimilarInB).Lead!.Mix);
        Assert.StartsWith("b.npy ranks the samples shown for groups of several labels, above all L2, L3, L4 and L5, as nearer neighbours of each other than a.npy does", findings.Summary);
        Assert.EndsWith("; label purity of its concepts 20% against 57% the other way (the whole set's largest label 10%).", findings.Summary);
    }
}
