namespace RepDiff.Findings;

/// <summary>
/// What one direction of an explanation shows, in one sentence, with the concept profiles the sentence
/// was read from. Isolated is the sentence with each string from the user's input between the marks of
/// <see cref="BidiControls.Isolate"/> (for a page to isolate); Headline the sentence's main clause (without the
/// tally of concept kinds), plain; Lead the concept it names, null when the sentence names none (nothing
/// confirmed, no better than chance).
/// </summary>
public sealed record DirectionFinding(string Direction, string Isolated, string Headline, IReadOnlyList<ConceptProfile> Concepts, ConceptProfile? Lead)
{
    /// <summary>The sentence as plain text: what the terminal prints and results.json holds.</summary>
    public string Text => BidiControls.RemoveIsolates(Isolated);

    /// <summary>
    /// The direction's BSR is not above its chance level (<see cref="FindingText.ChanceMargin"/>), so the
    /// sentence says its concepts are no better than random groups instead of naming labels.
    /// </summary>
    public bool NoBetterThanChance { get; init; }

    /// <summary>
    /// Where the direction's BSR is below its chance level by as much (<see cref="FindingText.BelowChance"/>), its figures
    /// ("BSR 0.306, random groups of the same sizes 0.495 ± 0.033"): its groups are nearer neighbours in the other model, the
    /// opposite of the direction; null otherwise (<see cref="NoBetterThanChance"/> is true either way).
    /// </summary>
    public string? BelowChance { get; init; }

    /// <summary>Every concept the sentence would speak of is a single sample, which no BSR measures: no group is named.</summary>
    public bool SingleSamples { get; init; }

    /// <summary>
    /// Where labels cannot name the concepts: what sets apart the concept the sentence names, after "stands out": "by 'she',
    /// 'her' and 'mrs'" (its texts' words, Concept.Words) or "as mostly blue and darker" (its images' looks, Concept.Looks);
    /// empty otherwise.
    /// </summary>
    public string LeadTraits { get; init; } = "";

    /// <summary>The rank of the concept <see cref="LeadTraits"/> describe (not always the strongest: the first that has any).</summary>
    public int LeadTraitsRank { get; init; }

    /// <summary>Where labels cannot name the concepts, whether BSR scored every member of those the sentence speaks of (FindingText.ScoresAllMembers), not only their grids.</summary>
    public bool ScoresAllMembers { get; init; }

    /// <summary>Where labels cannot name the concepts, whether the sentence names one by its texts' words or length, or its images' looks.</summary>
    public bool NamedWithoutLabels { get; init; }

    /// <summary>
    /// Mean share of the largest label over the concepts, each concept counting once (as each has one
    /// card, and one huge concept should not outweigh the rest); null without labels or groups. A single sample is no
    /// group (see <see cref="SingleSamples"/>) and is left out: its 100% had made a direction that mixes labels read purer
    /// than the other, so the method's line spoke of the wrong one.
    /// </summary>
    public double? MeanPurity
    {
        get
        {
            var labelled = Concepts.Where(c => c.Mix != ConceptMix.Unlabelled && c.Size >= 2).ToList();
            return labelled.Count == 0 ? null : labelled.Average(c => c.Purity);
        }
    }
}
