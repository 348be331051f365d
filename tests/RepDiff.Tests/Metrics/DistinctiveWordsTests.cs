using RepDiff.Findings;
using RepDiff.Metrics;
using RepDiff.Reporting;
using RepDiff.Tests.Findings;

namespace RepDiff.Tests.Metrics;

/// <summary>The words that set a concept's member texts apart from the whole set.</summary>
public class DistinctiveWordsTests
{
    private static readonly string[] Filler = ["river", "stone", "green", "table", "window", "music", "north", "paper"];

    /// <summary>
    /// 1,000 texts of two filler words each (drawn with a seeded generator); 80 of the first 100 and 20 of the other 900 also say "zebra",
    /// and every text says "the".
    /// </summary>
    private static string[] Zebras()
    {
        var rng = new Random(3);
        return Enumerable.Range(0, 1000).Select(i =>
        {
            string words = $"The {Filler[rng.Next(Filler.Length)]} {Filler[rng.Next(Filler.Length)]}";
            bool zebra = i < 100 ? i % 5 != 0 : i % 45 == 0;
            return zebra ? words + ", Zebra." : words + ".";
        }).ToArray();
    }

    [Fact]
    public void APlantedWordIsFoundWithItsExactTailAndCounts()
    {
        var texts = Zebras();
        Assert.Equal(100, texts.Count(t => t.Contains("Zebra")));
        var found = new DistinctiveWords(texts).Of(Enumerable.Range(0, 100).ToArray());
        var zebra = found[0];
        Assert.Equal("zebra", zebra.Word);
        Assert.Equal((80, 100, 100, 1000), (zebra.MembersWithWord, zebra.Members, zebra.TotalWithWord, zebra.Total));
        Assert.Equal(Statistics.HypergeometricUpperTail(1000, 100, 100, 80), zebra.PValue, 1e-12 * zebra.PValue);
        Assert.Equal(Statistics.LogOddsRatio(80, 100, 100, 1000), zebra.LogOddsRatio);
        // "the" is in every text and so sets nothing apart.
        Assert.DoesNotContain(found, w => w.Word == "the");
        Assert.All(found, w => Assert.True(w.MembersWithWord * (long)w.Total > w.TotalWithWord * (long)w.Members));
    }

    [Fact]
    public void QValuesAreBenjaminiHochbergOverEveryWordTheMembersHave()
    {
        var texts = Zebras();
        var members = Enumerable.Range(0, 100).ToArray();
        var found = new DistinctiveWords(texts).Of(members);
        // Every word the members have is a test: the eight fillers, "the" and "zebra".
        var tested = members.SelectMany(i => DistinctiveWords.WordsOf(texts[i])).Distinct().ToList();
        Assert.Equal(10, tested.Count);
        var p = tested.Select(w => Statistics.HypergeometricUpperTail(1000, texts.Count(t => DistinctiveWords.WordsOf(t).Contains(w)), 100,
            members.Count(i => DistinctiveWords.WordsOf(texts[i]).Contains(w)))).ToArray();
        var q = Statistics.BenjaminiHochberg(p);
        foreach (var word in found)
            Assert.Equal(q[tested.IndexOf(word.Word)], word.QValue, 1e-12 + 1e-9 * word.QValue);
    }

    [Fact]
    public void RandomMembersHaveNoWordsOfTheirOwn()
    {
        var texts = Zebras();
        var words = new DistinctiveWords(texts);
        var rng = new Random(11);
        // Members drawn from the texts without the planted zebras: the fillers are spread evenly, so no word stands out.
        var plain = Enumerable.Range(100, 900).ToArray();
        for (int draw = 0; draw < 20; draw++)
            Assert.Empty(words.Of(plain.OrderBy(_ => rng.Next()).Take(150).ToArray()));
    }

    /// <summary>
    /// Every text has a word of its own: a small random group holds ten such words, each with p = 10/1000 when tested. Tested
    /// among only the words the members have, they had passed Benjamini–Hochberg (helper 69: 258 of 300 random k-means groups
    /// of real sentences got words); among every word of the texts they do not.
    /// </summary>
    [Fact]
    public void SmallRandomGroupsGetNoWordsFromTextsOfTheirOwn()
    {
        var texts = Enumerable.Range(0, 1000).Select(i => $"the {Filler[i % Filler.Length]} of item{i}").ToArray();
        var words = new DistinctiveWords(texts);
        var rng = new Random(4);
        for (int draw = 0; draw < 50; draw++)
            Assert.Empty(words.Of(Enumerable.Range(0, 1000).OrderBy(_ => rng.Next()).Take(10).ToArray()));
        // Nor, annotated as a method's fifty concepts, a length: one test per concept is corrected over them (uncorrected, one
        // random group in twenty read longer or shorter).
        var explanation = FindingTextTests.Hand(Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, 1000).OrderBy(_ => rng.Next()).Take(10).ToArray()).ToArray());
        explanation.N = 1000;
        DistinctiveWords.Annotate(explanation, new SampleInfo { Texts = Zebras() });
        Assert.All(explanation.Directions[0].Concepts, c => Assert.False(c.TextLength!.Differs));
        // A word every member has and no other text does is still found in a group of ten.
        var marked = texts.Select((t, i) => i < 10 ? t + " zebra" : t).ToArray();
        Assert.Equal("zebra", new DistinctiveWords(marked).Of(Enumerable.Range(0, 10).ToArray())[0].Word);
    }

    /// <summary>
    /// 200 random groups of 20 among 1,000 Brown sentences (data/brown) share rare words by chance: each group's words corrected
    /// alone (a family of the vocabulary) named three of them, one explanation's cards in a run of noise; corrected over every
    /// word of every group, as an explanation's concepts are annotated, none. The planted zebras are still found among them.
    /// </summary>
    [Fact]
    public void RandomGroupsGetNoWordsWhenCorrectedTogether()
    {
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(TestData.RepoRoot, "data", "brown", "brown-sentences.tsv.gz")), System.IO.Compression.CompressionMode.Decompress);
        var sentences = new StreamReader(gzip).ReadToEnd().Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')[3]).ToArray();
        var rng = new Random(3);
        var texts = sentences.OrderBy(_ => rng.Next()).Take(1000).ToArray();
        var groups = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 1000).OrderBy(_ => rng.Next()).Take(20).ToArray()).ToArray();
        var words = new DistinctiveWords(texts);
        Assert.True(groups.Count(g => words.Of(g).Count > 0) >= 3);
        var explanation = FindingTextTests.Hand(groups);
        explanation.N = 1000;
        DistinctiveWords.Annotate(explanation, new SampleInfo { Texts = texts });
        Assert.All(explanation.Directions[0].Concepts, c => Assert.Empty(c.Words!));

        var zebras = FindingTextTests.Hand([.. groups.Take(199), Enumerable.Range(0, 100).ToArray()]);
        zebras.N = 1000;
        DistinctiveWords.Annotate(zebras, new SampleInfo { Texts = Zebras() });
        Assert.Equal("zebra", zebras.Directions[0].Concepts[^1].Words![0].Word);
    }

    /// <summary>Shares read apart: a decimal where whole percents would tie, and never a rounded 100% for members that lack the word.</summary>
    [Fact]
    public void SharesGetTheDecimalsThatTellThemApart()
    {
        static DistinctiveWord Word(int membersWith, int members, int totalWith, int total) => new()
        {
            Word = "w", MembersWithWord = membersWith, Members = members, TotalWithWord = totalWith, Total = total, LogOddsRatio = 0, PValue = 0, QValue = 0,
        };
        Assert.Equal(("6.5%", "6.0%"), Word(1300, 20000, 2400, 40000).Shares);
        Assert.Equal(("99.6%", "50.0%"), Word(249, 250, 500, 1000).Shares);
        Assert.Equal(("100%", "50%"), Word(250, 250, 500, 1000).Shares);
        Assert.Equal(("35%", "6%"), Word(97, 279, 171, 3000).Shares);
        Assert.Equal(("3%", "0.2%"), Word(7, 213, 7, 3000).Shares);
    }

    [Fact]
    public void WordsAreLowerCasedRunsOfLettersDigitsAndMarksJoinedByInnerApostrophes()
    {
        var words = DistinctiveWords.WordsOf("Don't STOP—the dogs' toys, naïve cafe\u0301 2x it’s 日本語 'quoted' o''clock 90's");
        Assert.Equal(new[] { "don't", "stop", "the", "dogs", "toys", "naïve", "cafe\u0301", "2x", "it's", "日本語", "quoted", "o", "clock", "90", "s" }.ToHashSet(), words);
        // A '.' or ',' between digits keeps a number whole; elsewhere it ends the word.
        Assert.Equal(new[] { "4.21", "30,000", "at", "1961", "u", "s", "3", "a" }.ToHashSet(), DistinctiveWords.WordsOf("4.21 $30,000 at 1961. U.S. 3.a"));
        // Turkish 'İ' lower-cased to 'i'; a soft hyphen or zero-width joiner inside a word does not split it. Words are not
        // Unicode-normalized: a combining accent is another spelling.
        Assert.Equal(new[] { "café", "cafe\u0301", "istanbul", "cooperate", "میخواهم" }.ToHashSet(),
            DistinctiveWords.WordsOf("café cafe\u0301 İstanbul co\u00ADoperate می\u200Cخواهم"));
        // A letter outside the basic plane is one letter, not two halves of a pair.
        Assert.Equal(["𝒜bc"], DistinctiveWords.WordsOf("𝒜bc!"));
        Assert.Empty(DistinctiveWords.WordsOf(" ... -- "));
        // Where a long word is cut for show, a character outside the basic plane stays whole.
        string bold = "a" + string.Concat(Enumerable.Repeat("𝐁", 30));
        Assert.Equal("a" + string.Concat(Enumerable.Repeat("𝐁", 19)) + "…", RepDiff.IO.NpyDtype.Truncate(bold));
    }

    [Fact]
    public void AtMostMaxWordsAreKeptMostSignificantFirst()
    {
        // 40 words only the first 50 texts say, each in a different number of them (11 to 50).
        var texts = Enumerable.Range(0, 500).Select(i => "filler " + string.Join(' ', Enumerable.Range(0, 40).Where(w => i < 50 && i < 11 + w).Select(w => $"w{w}"))).ToArray();
        var found = new DistinctiveWords(texts).Of(Enumerable.Range(0, 50).ToArray());
        Assert.Equal(DistinctiveWords.MaxWords, found.Count);
        Assert.Equal(Enumerable.Range(0, DistinctiveWords.MaxWords).Select(w => $"w{39 - w}"), found.Select(w => w.Word));
        Assert.True(found.Zip(found.Skip(1)).All(x => x.First.PValue <= x.Second.PValue));
    }

    /// <summary>
    /// The zebra texts have a fourth word: the members (80 of them among 100) are longer than the rest. The rank-sum z is
    /// worked by hand: lengths 3 (900 texts, mid-rank 450.5) and 4 (100, mid-rank 950.5), member rank sum 80·950.5 + 20·450.5.
    /// </summary>
    [Fact]
    public void TheLengthOfTheMembersTextsIsTestedByRank()
    {
        var length = new DistinctiveWords(Zebras()).LengthOf(Enumerable.Range(0, 100).ToArray());
        Assert.Equal((3.8, 3.1), (Math.Round(length.MemberMean, 12), Math.Round(length.Mean, 12)));
        double rankSum = 80 * 950.5 + 20 * 450.5, expected = 100 * 1001 / 2.0;
        double variance = 100 * 900 / 12.0 * (1001 - (900.0 * 900 * 900 - 900 + 100.0 * 100 * 100 - 100) / (1000.0 * 999));
        Assert.Equal((rankSum - expected) / Math.Sqrt(variance), length.Z, 1e-9);
        Assert.True(length.Differs);
        Assert.Equal("longer texts: mean 3.8 words (whole set 3.1)", length.Phrase);
        // Every tenth text: a tenth of them zebras, as in the whole set, so as long as the rest (z = 0).
        Assert.Equal(0, new DistinctiveWords(Zebras()).LengthOf(Enumerable.Range(0, 100).Select(i => 10 * i).ToArray()).Z, 12);
        Assert.Equal(3, DistinctiveWords.WordsOf("the the the", out int repeated) is { Count: 1 } ? repeated : -1);
    }

    [Fact]
    public void OnlyTextsOfTheExplainedSamplesAreAnnotated()
    {
        var texts = Zebras();
        var explanation = FindingTextTests.Hand(Enumerable.Range(0, 100).ToArray());
        explanation.N = 1000;
        DistinctiveWords.Annotate(explanation, new SampleInfo());
        Assert.Null(explanation.Directions[0].Concepts[0].Words);
        explanation.N = 999; // texts of other samples than the explanation's (FINC's two sets)
        DistinctiveWords.Annotate(explanation, new SampleInfo { Texts = texts });
        Assert.Null(explanation.Directions[0].Concepts[0].Words);
        explanation.N = 1000;
        DistinctiveWords.Annotate(explanation, new SampleInfo { Texts = texts });
        Assert.Equal("zebra", explanation.Directions[0].Concepts[0].Words![0].Word);
    }

    /// <summary>Without labels, a finding about texts names its lead concept by the words its members have, with the counts behind them.</summary>
    [Fact]
    public void AFindingWithoutLabelsQuotesTheLeadConceptsWords()
    {
        var texts = Zebras();
        var explanation = FindingTextTests.Hand(Enumerable.Range(0, 100).ToArray(), Enumerable.Range(500, 60).ToArray());
        explanation.N = 1000;
        DistinctiveWords.Annotate(explanation, new SampleInfo { Texts = texts });
        var findings = FindingText.Describe(explanation, labels: null, "A", "B", "sentences");
        var a = findings.For(DirectionNames.MoreSimilarInA);
        var words = explanation.Directions[0].Concepts[0].Words!;
        Assert.Equal("zebra", Assert.Single(words).Word);
        Assert.Equal("hand finds two groups of sentences whose shown sentences A ranks as nearer neighbours of each other than B does (no labels to name them; its concept 1 stands out by 'zebra').", findings.Summary);
        Assert.Equal("A ranks the sentences shown for two groups (100 and 60 sentences) as nearer neighbours of each other than B does (there are no labels to name them; concept 1, 100 sentences "
            + "(longer: mean 3.8 words, whole set 3.1), stands out by the word 'zebra' (in 80% of them, whole set 10%): see the concept cards).", a.Text);
        // With a concept of no words the other way, the method's line says whose groups the words belong to.
        var both = FindingTextTests.Hand(Enumerable.Range(0, 100).ToArray());
        both.N = 1000;
        both.Directions[1].Concepts = [new Concept { Rank = 1, Members = Enumerable.Range(0, 100).Select(i => 10 * i).ToArray() }];
        DistinctiveWords.Annotate(both, new SampleInfo { Texts = texts });
        Assert.Equal("hand finds one group of sentences whose shown sentences A ranks as nearer neighbours of each other than B does and one group of sentences whose shown sentences B ranks as nearer neighbours of each other than A does "
            + "(no labels to name them; concept 1 of the groups nearer in A stands out by 'zebra').", FindingText.Describe(both, labels: null, "A", "B", "sentences").Summary);
        // The second concept, a draw of plain texts, has no words: without the first it is named by nothing. Every tenth text
        // (a tenth of them zebras, as in the whole set) has no words either, nor another length.
        Assert.Empty(explanation.Directions[0].Concepts[1].Words!);
        var second = FindingTextTests.Hand(Enumerable.Range(0, 100).Select(i => 10 * i).ToArray());
        second.N = 1000;
        DistinctiveWords.Annotate(second, new SampleInfo { Texts = texts });
        Assert.Equal("A ranks the sentences shown for one group of 100 sentences as nearer neighbours of each other than B does (there are no labels to name them: see the concept cards).",
            FindingText.Describe(second, labels: null, "A", "B", "sentences").For(DirectionNames.MoreSimilarInA).Text);
    }

    /// <summary>Without words, a concept of texts longer or shorter than the rest is named by that.</summary>
    [Fact]
    public void AFindingWithoutWordsNamesTheLengthOfTheTexts()
    {
        // Every text one word said 2 to 9 times; the first 100 are the long ones (9), the rest 2, 3 or 4.
        var texts = Enumerable.Range(0, 1000).Select(i => string.Join(' ', Enumerable.Repeat("river", i < 100 ? 9 : 2 + i % 3))).ToArray();
        var explanation = FindingTextTests.Hand(Enumerable.Range(0, 100).ToArray());
        explanation.N = 1000;
        DistinctiveWords.Annotate(explanation, new SampleInfo { Texts = texts });
        Assert.Empty(explanation.Directions[0].Concepts[0].Words!);
        Assert.Equal("A ranks the sentences shown for one group of 100 sentences as nearer neighbours of each other than B does (there are no labels to name them; concept 1, 100 sentences, "
            + "holds longer sentences than the rest (mean 9 words, whole set 3.6): see the concept cards).",
            FindingText.Describe(explanation, labels: null, "A", "B", "sentences").For(DirectionNames.MoreSimilarInA).Text);
        // The report shows such a sentence (it showed only those that quote words).
        Assert.True(FindingText.Describe(explanation, labels: null, "A", "B", "sentences").For(DirectionNames.MoreSimilarInA).NamedWithoutLabels);
    }

    [Fact]
    public void ScoringAnnotatesTheWordsOfAPairOfTexts()
    {
        var texts = Zebras();
        var rng = new Random(2);
        var a = new Matrix(1000, 2);
        var b = new Matrix(1000, 2);
        for (int i = 0; i < 1000; i++)
            for (int j = 0; j < 2; j++) (a[i, j], b[i, j]) = ((float)rng.NextDouble(), (float)rng.NextDouble());
        var pair = new RepresentationPair(a, b, new SampleInfo { Texts = texts });
        var explanation = FindingTextTests.Hand(Enumerable.Range(0, 100).ToArray());
        explanation.N = 1000;
        explanation.Directions[0].Concepts[0].Grid = Enumerable.Range(0, 9).ToArray();
        ExplanationScoring.Score(explanation, pair);
        Assert.Equal("zebra", explanation.Directions[0].Concepts[0].Words![0].Word);
    }
}
