namespace RepDiff.Findings;

/// <summary>
/// What a concept's members have in common by label, read against each label's share of the whole set
/// (<see cref="ConceptProfile.Of"/>), so that a label is never named for being common everywhere.
/// </summary>
public enum ConceptMix
{
    /// <summary>No labels were given (or none of the members has one).</summary>
    Unlabelled,
    /// <summary>One label holds at least <see cref="ConceptProfile.OneLabelShare"/> of the members.</summary>
    OneLabel,
    /// <summary>
    /// Two to four labels, each above its share of the whole set, hold most of the members
    /// (<see cref="ConceptProfile.MixtureCoverage"/>) and are over-represented together.
    /// </summary>
    Mixed,
    /// <summary>No label or small set of labels stands out: no label is over-represented; the members cut across labels.</summary>
    Spread,
    /// <summary>
    /// Neither one label nor a mixture, but some labels are over-represented by the cards' enrichment test
    /// (39% 'reviews' where the whole set has 7%): the concept leans to them, the rest spread over others.
    /// </summary>
    Leaning,
}
