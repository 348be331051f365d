namespace RepDiff.Findings;

/// <summary>What a concept's members have in common by label.</summary>
public enum ConceptMix
{
    /// <summary>No labels were given (or none of the members has one).</summary>
    Unlabelled,
    /// <summary>
    /// One label holds at least <see cref="ConceptProfile.OneLabelShare"/> of the members, or a majority
    /// with no second label standing out.
    /// </summary>
    OneLabel,
    /// <summary>Two to four over-represented labels together hold most of the members.</summary>
    Mixed,
    /// <summary>No label or small set of labels stands out: the members cut across labels.</summary>
    Spread,
}
