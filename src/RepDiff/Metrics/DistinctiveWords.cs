using System.Globalization;
using System.Text;

namespace RepDiff.Metrics;

/// <summary>
/// The words that set a concept's member texts apart from the whole set: for each word some member contains,
/// how many members contain it against how many texts do, Fisher's one-sided exact test (the hypergeometric
/// tail, as <see cref="Enrichment"/> tests a label) and the log odds ratio; p-values Benjamini–Hochberg corrected
/// over every word of the texts (a word no member has is a test with p = 1), for every concept of an explanation
/// together (<see cref="Annotate"/>), and the words with q ≤ alpha that
/// members contain more often than the other texts do are kept, most significant first. So a concept of sentences
/// about women reads "she, her, mrs" whether or not the samples have labels. A text counts once per word however
/// often it repeats it. Also whether the members' texts are longer or shorter than the rest (<see cref="LengthOf"/>).
/// Words are maximal runs of letters, digits and combining marks, lower-cased, as written: not Unicode-normalized (the
/// build runs without ICU, where normalization is a no-op), so "café" typed with a combining accent is another word
/// than with 'é'. Invisible format characters (soft hyphen, zero-width joiners) are skipped; an apostrophe between
/// letters joins ("don't"), as does a '.' or ',' between digits ("4.21", "30,000": one number, not "30" and "000").
/// Scripts written without spaces (Chinese, Japanese, Thai) give runs, not words, that rarely repeat, so they yield no
/// words. The texts are read once, into each text's distinct words as ids; each concept then costs one count per
/// distinct word of each member and one test per word its members have.
/// </summary>
public sealed class DistinctiveWords
{
    /// <summary>Words kept per concept (results.json and the card), most significant first.</summary>
    public const int MaxWords = 20;

    // compare scores each method's explanation against the same texts: they are read once, and forgotten with them.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<string[], DistinctiveWords> OfTexts = new();

    private readonly string[] words;      // by id
    private readonly int[] textsWith;     // by word id: how many texts contain it
    private readonly int[] wordStart;     // text i's distinct word ids are wordIds[wordStart[i]..wordStart[i + 1]]
    private readonly int[] wordIds;
    private readonly double[] lengths;    // words per text, repeats counted
    private readonly (double[] Ranks, double TieTerm, int Count) lengthRanks;

    public DistinctiveWords(IReadOnlyList<string> texts)
    {
        // Each text read once: its distinct words as ids, so a concept counts its members' words without reading text again.
        var idOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new List<int>();
        var ids = new List<int>();
        wordStart = new int[texts.Count + 1];
        lengths = new double[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            var distinct = WordsOf(texts[i], out int length);
            lengths[i] = length;
            foreach (string word in distinct)
            {
                if (!idOf.TryGetValue(word, out int id)) { id = idOf.Count; idOf[word] = id; counts.Add(0); }
                counts[id]++;
                ids.Add(id);
            }
            wordStart[i + 1] = ids.Count;
        }
        words = new string[idOf.Count];
        foreach (var (word, id) in idOf) words[id] = word;
        textsWith = counts.ToArray();
        wordIds = ids.ToArray();
        lengthRanks = Statistics.MidRanks(lengths);
    }

    /// <summary>
    /// Whether the members' texts are longer or shorter than the rest, in words: the Mann–Whitney rank-sum z of their
    /// lengths against all texts (as <see cref="Enrichment"/> tests a numeric column), two-sided, with both means; its q is
    /// its p until <see cref="Annotate"/> corrects it over the explanation's concepts.
    /// </summary>
    public TextLength LengthOf(IReadOnlyCollection<int> members)
    {
        var distinct = members.Where(i => i >= 0 && i < lengths.Length).Distinct().ToArray();
        double rankSum = distinct.Sum(i => lengthRanks.Ranks[i]);
        double z = Statistics.RankSumZ(rankSum, distinct.Length, lengthRanks.Count, lengthRanks.TieTerm);
        return new TextLength
        {
            MemberMean = distinct.Length == 0 ? 0 : distinct.Average(i => lengths[i]), Mean = lengths.Length == 0 ? 0 : lengths.Average(),
            Z = z, PValue = Statistics.TwoSidedNormalP(z), QValue = Statistics.TwoSidedNormalP(z),
        };
    }

    /// <summary>Over-represented words among the texts of <paramref name="members"/> (sample indices; repeats and indices outside the texts ignored).</summary>
    public List<DistinctiveWord> Of(IReadOnlyCollection<int> members, double alpha = Enrichment.DefaultAlpha) => Of([members], alpha)[0];

    /// <summary>
    /// <see cref="Of(IReadOnlyCollection{int}, double)"/> for each group, with q-values corrected over every word of every
    /// group as one family (vocabulary × groups tests), as <see cref="Enrichment"/> corrects an explanation's cards: one
    /// concept's words corrected alone are a family a card reads beside dozens of others, and rare words shared by chance
    /// had named about one random group in 400 (helper h144: 6 of 2,400 random groups of Brown sentences).
    /// </summary>
    public List<List<DistinctiveWord>> Of(IReadOnlyList<IReadOnlyCollection<int>> groups, double alpha = Enrichment.DefaultAlpha)
    {
        var logP = new List<double>();
        var raw = groups.Select(members => RawTests(members, logP)).ToList();
        // The family is every word of the texts for each group, not only those the members have: choosing the tests by the
        // members would make a word found in one text significant for any small group holding it (p = m/N, the same for every
        // such word). Words no member has have p = 1.
        var logQ = Statistics.BenjaminiHochbergLog(logP, tests: (long)words.Length * groups.Count);
        var found = new List<List<DistinctiveWord>>(raw.Count);
        int next = 0;
        foreach (var tests in raw)
        {
            var withQ = tests.Select(t => (t.LogP, LogQ: logQ[next++], t.Test)).ToList();
            found.Add(withQ
                // Over-represented: a larger share of the members than of the whole set contains the word.
                .Where(t => t.LogQ <= Math.Log(alpha) && t.Test.MembersWithWord * (long)t.Test.Total > t.Test.TotalWithWord * (long)t.Test.Members)
                .OrderBy(t => t.LogP).ThenBy(t => t.Test.Word, StringComparer.Ordinal)
                .Take(MaxWords)
                .Select(t => t.Test with { QValue = Math.Exp(t.LogQ) })
                .ToList());
        }
        return found;
    }

    /// <summary>A test of each word some member has, with its ln p (also appended to <paramref name="logP"/>), q unset.</summary>
    private List<(DistinctiveWord Test, double LogP)> RawTests(IReadOnlyCollection<int> members, List<double> logP)
    {
        int total = wordStart.Length - 1;
        var distinct = members.Where(i => i >= 0 && i < total).Distinct().ToArray();
        var membersWith = new int[words.Length];
        var present = new List<int>(); // the word ids some member has: the tests
        foreach (int i in distinct)
            for (int k = wordStart[i]; k < wordStart[i + 1]; k++)
                if (membersWith[wordIds[k]]++ == 0) present.Add(wordIds[k]);
        int m = distinct.Length;
        var tests = new List<(DistinctiveWord, double)>(present.Count);
        foreach (int w in present)
        {
            double lp = Statistics.LogHypergeometricUpperTail(total, textsWith[w], m, membersWith[w]);
            logP.Add(lp);
            tests.Add((new DistinctiveWord
            {
                Word = words[w], Members = m, MembersWithWord = membersWith[w], Total = total, TotalWithWord = textsWith[w],
                LogOddsRatio = Statistics.LogOddsRatio(membersWith[w], m, textsWith[w], total),
                PValue = Math.Exp(lp), QValue = 1,
            }, lp));
        }
        return tests;
    }

    /// <summary>
    /// Sets <see cref="Concept.Words"/> and <see cref="Concept.TextLength"/> of every concept from the samples' texts (a
    /// no-op without texts, or when the explanation counts other samples than the texts describe).
    /// </summary>
    public static void Annotate(Explanation explanation, SampleInfo samples)
    {
        if (samples.Texts is not { } texts || texts.Length != explanation.N) return;
        var words = OfTexts.GetValue(texts, t => new DistinctiveWords(t));
        var concepts = explanation.Directions.SelectMany(d => d.Concepts).ToList();
        var lengths = concepts.Select(c => words.LengthOf(c.Members)).ToList();
        // One length test per concept: corrected over the explanation's concepts, or one random group in twenty of a run
        // would be called longer or shorter (helper 71: 45 of 800 random k-means groups).
        var q = Statistics.BenjaminiHochberg(lengths.Select(l => l.PValue).ToArray());
        var found = words.Of(concepts.Select(c => (IReadOnlyCollection<int>)c.Members).ToList());
        for (int k = 0; k < concepts.Count; k++)
            (concepts[k].Words, concepts[k].TextLength) = (found[k], lengths[k] with { QValue = q[k] });
    }

    /// <summary>The distinct words of a text, lower-cased (see the class summary for what a word is).</summary>
    public static HashSet<string> WordsOf(string text) => WordsOf(text, out _);

    /// <summary><see cref="WordsOf(string)"/>, and how many words the text has, repeats counted.</summary>
    public static HashSet<string> WordsOf(string text, out int length)
    {
        int count = 0;
        var words = new HashSet<string>(StringComparer.Ordinal);
        var word = new StringBuilder();
        Rune previous = default;
        char joiner = '\0'; // an apostrophe after a letter, or a '.' or ',' after a digit: kept only if the same kind follows
        Span<char> lower = stackalloc char[2];
        foreach (var rune in text.EnumerateRunes())
        {
            // Invisible format characters (soft hyphen, zero-width joiners) neither end a word nor belong to it.
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format) continue;
            if (IsWordPart(rune))
            {
                if (joiner != '\0')
                {
                    if (joiner == '\'' ? Rune.IsLetter(rune) : Rune.IsDigit(rune)) word.Append(joiner);
                    else Flush();
                    joiner = '\0';
                }
                // 'İ' has no invariant lower case of one character; Turkish writes it 'i'.
                word.Append(rune.Value == 0x130 ? "i" : lower[..Rune.ToLowerInvariant(rune).EncodeToUtf16(lower)]);
            }
            else if (joiner == '\0' && word.Length > 0 && JoinerAfter(previous, rune) is char j and not '\0')
                joiner = j;
            else
            {
                Flush();
                joiner = '\0';
            }
            previous = rune;
        }
        Flush();
        length = count;
        return words;

        void Flush()
        {
            if (word.Length == 0) return;
            words.Add(word.ToString());
            word.Clear();
            count++;
        }
    }

    /// <summary>What <paramref name="rune"/> joins inside a word after <paramref name="previous"/>: "don't", "it’s" (as "it's"), "4.21", "30,000"; '\0' if nothing.</summary>
    private static char JoinerAfter(Rune previous, Rune rune) =>
        rune.Value is '\'' or '\u2019' && Rune.IsLetter(previous) ? '\''
        : rune.Value is '.' or ',' && Rune.IsDigit(previous) ? (char)rune.Value
        : '\0';

    private static bool IsWordPart(Rune rune) =>
        Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
}

/// <summary>A word over-represented among a concept's member texts (<see cref="DistinctiveWords"/>).</summary>
public sealed record DistinctiveWord
{
    public required string Word { get; init; }

    /// <summary>Distinct members with a text, and of them those whose text contains <see cref="Word"/>.</summary>
    public required int Members { get; init; }
    public required int MembersWithWord { get; init; }

    /// <summary>All texts, and of them those containing <see cref="Word"/>.</summary>
    public required int Total { get; init; }
    public required int TotalWithWord { get; init; }

    /// <summary>ln of the odds ratio, members against the other texts, with 0.5 added to each cell.</summary>
    public required double LogOddsRatio { get; init; }

    /// <summary>One-sided hypergeometric p-value, and its Benjamini–Hochberg adjustment over every word of the texts for every concept of the explanation.</summary>
    public required double PValue { get; init; }
    public required double QValue { get; init; }

    /// <summary>
    /// The members' and the whole set's shares as percents, with as many decimals as it takes (up to two) for the two not
    /// to read alike and for the members' not to read 100% when some lack the word: "6.5%" against "6.0%", not "6%" and "6%".
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public (string Members, string Whole) Shares
    {
        get
        {
            for (int decimals = 0; ; decimals++)
            {
                string members = Percent(MembersWithWord, Members, decimals), whole = Percent(TotalWithWord, Total, decimals);
                if (decimals == 2 || (members != whole && (members != "100%" || MembersWithWord == Members))) return (members, whole);
            }
        }
    }

    /// <summary>As <see cref="EnrichedValue.Percent"/> (whole percents, one significant digit below 1%), or with the decimals given.</summary>
    private static string Percent(int part, int whole, int decimals)
    {
        if (decimals == 0) return EnrichedValue.Percent(part, whole);
        double p = whole == 0 ? 0 : 100.0 * part / whole;
        return p.ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";
    }
}

/// <summary>How long a concept's member texts are against all texts, in words (<see cref="DistinctiveWords.LengthOf"/>).</summary>
public sealed record TextLength
{
    /// <summary>Mean words per text among the members, and among all texts.</summary>
    public required double MemberMean { get; init; }
    public required double Mean { get; init; }

    /// <summary>Rank-sum z of the members' lengths against all texts (positive: longer), and its two-sided p-value.</summary>
    public required double Z { get; init; }
    public required double PValue { get; init; }

    /// <summary>
    /// <see cref="PValue"/> Benjamini–Hochberg adjusted over the explanation's concepts (<see cref="DistinctiveWords.Annotate"/>;
    /// the p-value itself for a concept tested alone).
    /// </summary>
    public required double QValue { get; init; }

    /// <summary>Whether the difference counts: q ≤ 0.05.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Differs => QValue <= Enrichment.DefaultAlpha;

    /// <summary>"shorter texts: mean 14.6 words (whole set 20.1)".</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Phrase => string.Create(CultureInfo.InvariantCulture,
        $"{(Z > 0 ? "longer" : "shorter")} texts: mean {MemberMean:0.#} words (whole set {Mean:0.#})");
}
