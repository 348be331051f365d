using System.Globalization;
using RepDiff.Metrics;

namespace RepDiff.Findings;

/// <summary>
/// The labels of one concept's members, counted and compared with the whole set: the numbers a finding
/// is read from, kept so a test can lock a sentence to them. <see cref="Leading"/> holds the labels the
/// finding names (see <see cref="ConceptMix"/> for the rules).
/// </summary>
public sealed record ConceptProfile(int Rank, int Size, IReadOnlyList<LabelShare> Labels, ConceptMix Mix)
{
    /// <summary>A concept is "one label" when its largest label holds this share of its members.</summary>
    public const double OneLabelShare = 0.7;

    /// <summary>Each label named in a mixture holds at least this share of the members.</summary>
    public const double NotableShare = 0.15;

    /// <summary>A mixture's labels are the fewest largest ones that together hold this share of the members.</summary>
    public const double MixtureCoverage = 0.8;

    /// <summary>A mixture has two to this many labels; at most this many over-represented labels are named.</summary>
    public const int MaxLabelsNamed = 4;

    /// <summary>
    /// A concept with fewer members is small: a finding leads with it only when no larger concept of its
    /// kind exists, and then says "only N". Ten keeps a few stray samples (an RDX cluster of 3 or 7) from
    /// standing for a direction whose other concepts hold dozens, while no label share is quoted of fewer.
    /// </summary>
    public const int SmallConcept = 10;

    /// <summary>Share of the largest label (0 when unlabelled).</summary>
    public double Purity => Labels.Count > 0 ? Labels[0].Share : 0;

    /// <summary>
    /// The labels that describe the concept, largest first: the largest for one label, a mixture's labels,
    /// the over-represented labels of a concept that leans to them; none otherwise.
    /// </summary>
    public IReadOnlyList<LabelShare> Leading { get; init; } = [];

    /// <summary>
    /// Share of the whole set's largest label: the purity a concept has by merely drawing from the set (0 when
    /// unlabelled), beside which a purity figure means something (16% is high among 15 labels of 7% each).
    /// </summary>
    public double WholeSetPurity { get; init; }

    /// <summary>
    /// An average label's share of the whole set (one over the number of labels; 0 when unlabelled): how rare a label can be
    /// before its rarity alone, not the concept, makes its share of the concept look concentrated (FindingText's two mixtures).
    /// </summary>
    public double AverageLabelShare { get; init; }

    /// <summary>Fewer than <see cref="SmallConcept"/> members.</summary>
    public bool IsSmall => Size < SmallConcept;

    /// <summary>The concept's own name where it was given rather than found (`repdiff groups`: Concept.Name); null otherwise.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// How a sentence names the concept: "group 'cats-indoor'" where it is a group given by name, which its user knows it by,
    /// else "concept 2" (its card's rank). <paramref name="isolated"/>: the name between the marks of <see cref="BidiControls.Isolate"/>.
    /// </summary>
    public string Called(bool isolated = false) => Name is null ? $"concept {Rank.ToString(CultureInfo.InvariantCulture)}" : $"group {Quoted(isolated)}";

    /// <summary>The given group's name in quotes ("'cats-indoor'"), cut as long names are; "" for a concept without one.</summary>
    public string Quoted(bool isolated = false) => Name is not { } name ? ""
        : $"'{(isolated ? BidiControls.Isolate(IO.NpyDtype.Truncate(name)) : IO.NpyDtype.Truncate(name))}'";

    /// <summary>
    /// Counts the labels of the members (indices outside 0..labels-1 or without a label are skipped)
    /// and classifies the concept against the labels' shares of the whole set.
    /// </summary>
    public static ConceptProfile Of(Concept concept, SampleLabels? labels) => OfLabels(concept, labels) with { Name = concept.Name };

    private static ConceptProfile OfLabels(Concept concept, SampleLabels? labels)
    {
        // One label for every sample names nothing: each concept read "all 0, as are 100% of all samples" and the
        // direction "lies within single labels".
        if (labels is null || labels.Codes.Length == 0 || labels.Names.Length < 2)
            return new ConceptProfile(concept.Rank, concept.Members.Length, [], ConceptMix.Unlabelled);
        var members = concept.Members.Where(i => i >= 0 && i < labels.Codes.Length).Distinct().ToArray();
        if (members.Length == 0)
            return new ConceptProfile(concept.Rank, concept.Members.Length, [], ConceptMix.Unlabelled);
        var totals = new int[labels.Names.Length];
        foreach (int code in labels.Codes) totals[code]++;
        var counts = new int[labels.Names.Length];
        foreach (int i in members) counts[labels.Codes[i]]++;
        var shares = Enumerable.Range(0, counts.Length).Where(c => counts[c] > 0)
            .Select(c => new LabelShare(labels.Names[c], counts[c], (double)counts[c] / members.Length, (double)totals[c] / labels.Codes.Length))
            .OrderByDescending(s => s.Count).ThenBy(s => s.Label, StringComparer.Ordinal)
            .ToList();
        int Total(LabelShare s) => totals[Array.IndexOf(labels.Names, s.Label)];
        double wholeSetPurity = (double)totals.Max() / labels.Codes.Length;

        ConceptProfile Classified(ConceptMix mix, IReadOnlyList<LabelShare> leading) =>
            new(concept.Rank, members.Length, shares, mix) { Leading = leading, WholeSetPurity = wholeSetPurity, AverageLabelShare = 1.0 / labels.Names.Length };
        if (shares[0].Share >= OneLabelShare) return Classified(ConceptMix.OneLabel, [shares[0]]);
        if (Mixture(shares, Total, labels.Codes.Length, labels.Names.Length, members.Length) is { } mixture)
            return Classified(ConceptMix.Mixed, mixture);
        var over = OverRepresented(concept, members, labels);
        var leaning = shares.Where(s => over.Contains(s.Label)).Take(MaxLabelsNamed).ToList();
        return leaning.Count > 0 ? Classified(ConceptMix.Leaning, leaning) : Classified(ConceptMix.Spread, []);
    }

    /// <summary>
    /// The labels of a mixture, or null: the fewest largest labels holding <see cref="MixtureCoverage"/> of the
    /// members (a label tied with the last one joins it, so ties do not pick labels arbitrarily), two to
    /// <see cref="MaxLabelsNamed"/> of them, each at least <see cref="NotableShare"/> of the members and more than
    /// its share of the whole set, and over-represented together: the cards' enrichment test (one-sided
    /// hypergeometric) on the members carrying any of them, Bonferroni-corrected for picking the set after
    /// seeing the counts (any of the C(labels, size) sets could have been picked). Without the test, three
    /// balanced classes would make any concept lacking one class a "mixture" of the other two; with it,
    /// 62% 3 + 35% 8 (whole set a third each) is one, and 58% 8 + 28% 3 is not (fewer 3s than chance).
    /// </summary>
    private static List<LabelShare>? Mixture(List<LabelShare> shares, Func<LabelShare, int> total, int n, int labelCount, int size)
    {
        var named = new List<LabelShare>();
        foreach (var s in shares)
        {
            // The named labels' share from their summed count: a sum of shares (19/30 + 5/30 = 0.7999…) fell short of 80%.
            if ((double)named.Sum(x => x.Count) / size >= MixtureCoverage && s.Count < named[^1].Count) break;
            named.Add(s);
        }
        if (named.Count is < 2 or > MaxLabelsNamed || named.Any(s => s.Share < NotableShare || s.Enrichment <= 1)) return null;
        double logP = Statistics.LogHypergeometricUpperTail(n, named.Sum(total), size, named.Sum(s => s.Count));
        double logSets = Statistics.LogChoose(labelCount, named.Count);
        return logP + logSets <= Math.Log(Enrichment.DefaultAlpha) ? named : null;
    }

    /// <summary>
    /// Labels over-represented among the members: the concept's own enrichment, as its card shows it
    /// (q ≤ 0.05 over the concept's tests, share above the whole set's); a concept that was not scored
    /// (a hand-made explanation) gets the same test on its labels here.
    /// </summary>
    private static HashSet<string> OverRepresented(Concept concept, int[] members, SampleLabels labels)
    {
        var enriched = concept.Enrichment ?? new Enrichment(SampleMetadata.WithLabels(new SampleInfo { Labels = labels })!).Of(members);
        return enriched.Where(e => e.Column == SampleMetadata.LabelColumn && e.Value is not null).Select(e => e.Value!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// "concept 2, 53 images: 58% 8, 28% 3", with what the whole set holds where that explains a share or
    /// the share is read against it; "only 3 images" for a small concept. <paramref name="isolated"/>: each label between
    /// the marks of <see cref="BidiControls.Isolate"/>, as a finding's sentence holds it.
    /// </summary>
    public string Detail(string sampleNoun, bool isolated = false)
    {
        string Named(LabelShare s) => isolated ? BidiControls.Isolate(s.Named) : s.Named;
        // "62% 3", or "all 5" when every member carries the label.
        string Share(LabelShare s) => s.Share >= 1 ? $"all {Named(s)}" : $"{SharePercent(s.Share)} {Named(s)}";
        string size = Size.ToString("N0", CultureInfo.InvariantCulture) + " " + (Size == 1 && sampleNoun.EndsWith('s') ? sampleNoun[..^1] : sampleNoun);
        string head = $"{Called(isolated)}, {(IsSmall ? "only " : "")}{size}";
        switch (Mix)
        {
            case ConceptMix.OneLabel:
                var top = Labels[0];
                // A label that dominates the whole data set dominates its concepts too; say so rather than imply a finding.
                string baseNote = top.Enrichment < 1.2 ? $", as are {Percent(top.BaseShare)} of all {sampleNoun}" : "";
                return $"{head}: {Share(top)}{baseNote}";
            case ConceptMix.Mixed:
                return $"{head}: {string.Join(", ", Leading.Select(Share))}";
            case ConceptMix.Leaning:
                int rest = Labels.Count - Leading.Count;
                string others = rest == 0 ? "" : $", the rest from {rest.ToString(CultureInfo.InvariantCulture)} other {(rest == 1 ? "label" : "labels")}";
                return $"{head}: {string.Join(", ", Leading.Select(s => $"{Share(s)} (whole set {Percent(s.BaseShare)})"))}{others}";
            case ConceptMix.Spread:
                // "the largest label, 4, at 23%": "the largest 4 at 23%" read as four labels when labels are numbers (helper 92).
                return $"{head}: spread over {Labels.Count.ToString(CultureInfo.InvariantCulture)} labels, none over-represented, the largest label, {Named(Labels[0])}, at {Percent(Labels[0].Share)}";
            default:
                return head;
        }
    }

    /// <summary>
    /// <see cref="Percent"/>, but a share just under <see cref="OneLabelShare"/> that would round up to it keeps a decimal
    /// ("69.6%"): the garments' 87 of 125 read "70% T-shirt/top" in a concept called a mixture (helper 79).
    /// </summary>
    private static string SharePercent(double share) => share < OneLabelShare && Math.Round(share * 100) >= OneLabelShare * 100
        ? (share * 100).ToString("F1", CultureInfo.InvariantCulture) + "%"
        : Percent(share);

    /// <summary>Whole percents, or one significant digit below 1% (a label of 0.3% of the set is not "0%").</summary>
    internal static string Percent(double share) =>
        (share is > 0 and < 0.01 ? (share * 100).ToString("G1", CultureInfo.InvariantCulture) : (share * 100).ToString("F0", CultureInfo.InvariantCulture)) + "%";
}
