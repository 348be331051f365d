using System.Globalization;

namespace RepDiff.Findings;

/// <summary>
/// The labels of one concept's members, counted: the numbers a finding is read from, kept so a test
/// can lock a sentence to them.
/// </summary>
public sealed record ConceptProfile(int Rank, int Size, IReadOnlyList<LabelShare> Labels, ConceptMix Mix)
{
    /// <summary>A concept is "one label" when its largest label holds this share of its members ...</summary>
    public const double OneLabelShare = 0.7;

    /// <summary>... or holds a majority and no second label stands out.</summary>
    public const double MajorityShare = 0.5;

    /// <summary>A label counts in a mixture when it holds this share of the members ...</summary>
    public const double NotableShare = 0.15;

    /// <summary>
    /// ... and is at least this many times as frequent as in the whole data set (more than its share,
    /// so a label that fills the data set is not named for being everywhere; no more, so that with
    /// three labels of a third each a 60/40 concept still counts as a mixture).
    /// </summary>
    public const double NotableEnrichment = 1.0;

    /// <summary>The notable labels of a mixture must together hold this share of the members.</summary>
    public const double MixtureCoverage = 0.6;

    /// <summary>A mixture has two to this many notable labels (more is a concept that cuts across labels).</summary>
    public const int MaxLabelsNamed = 4;

    /// <summary>Share of the largest label (0 when unlabelled).</summary>
    public double Purity => Labels.Count > 0 ? Labels[0].Share : 0;

    /// <summary>
    /// The labels that describe the concept: the largest for one label; the notable ones (largest
    /// first) for a mixture; none otherwise.
    /// </summary>
    public IReadOnlyList<LabelShare> Leading => Mix switch
    {
        ConceptMix.OneLabel => [Labels[0]],
        ConceptMix.Mixed => Notable(Labels),
        _ => [],
    };

    /// <summary>
    /// Counts the labels of the members (indices outside 0..labels-1 or without a label are skipped)
    /// and classifies the concept.
    /// </summary>
    public static ConceptProfile Of(Concept concept, SampleLabels? labels)
    {
        if (labels is null || labels.Codes.Length == 0)
            return new ConceptProfile(concept.Rank, concept.Members.Length, [], ConceptMix.Unlabelled);
        var members = concept.Members.Where(i => i >= 0 && i < labels.Codes.Length).ToArray();
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
        var notable = Notable(shares);
        var mix = shares[0].Share >= OneLabelShare ? ConceptMix.OneLabel
            : notable.Count is >= 2 and <= MaxLabelsNamed && notable.Sum(s => s.Share) >= MixtureCoverage ? ConceptMix.Mixed
            : shares[0].Share >= MajorityShare ? ConceptMix.OneLabel
            : ConceptMix.Spread;
        return new ConceptProfile(concept.Rank, members.Length, shares, mix);
    }

    private static List<LabelShare> Notable(IReadOnlyList<LabelShare> shares) =>
        shares.Where(s => s.Share >= NotableShare && s.Enrichment > NotableEnrichment).ToList();

    /// <summary>"concept 2: 62% Shirt, 21% Pullover", with what the data set holds where that explains a high share.</summary>
    public string Detail(string sampleNoun)
    {
        string head = $"concept {Rank.ToString(CultureInfo.InvariantCulture)}";
        switch (Mix)
        {
            case ConceptMix.OneLabel:
                var top = Labels[0];
                // A label that dominates the whole data set dominates its concepts too; say so rather than imply a finding.
                string baseNote = top.Enrichment < 1.2 ? $", as are {Percent(top.BaseShare)} of all {sampleNoun}" : "";
                return $"{head}: {Percent(top.Share)} {top.Label}{baseNote}";
            case ConceptMix.Mixed:
                return $"{head}: {string.Join(", ", Leading.Select(s => $"{Percent(s.Share)} {s.Label}"))}";
            case ConceptMix.Spread:
                return $"{head} spreads over {Labels.Count.ToString(CultureInfo.InvariantCulture)} labels, the largest {Labels[0].Label} at {Percent(Labels[0].Share)}";
            default:
                return $"{head}: {Size.ToString(CultureInfo.InvariantCulture)} {sampleNoun}";
        }
    }

    internal static string Percent(double share) => (share * 100).ToString("F0", CultureInfo.InvariantCulture) + "%";
}
