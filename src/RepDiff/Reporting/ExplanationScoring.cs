using RepDiff.Metrics;

namespace RepDiff.Reporting;

/// <summary>
/// What every explanation of a pair gets after its method ran, once, whoever shows it: BSR per direction
/// and per concept (docs/methods/METHODS.md §2) with its chance level, the label and metadata values over-represented among
/// each concept's members (docs/metadata.md) and, with labels, each concept's label counts.
/// </summary>
public static class ExplanationScoring
{
    public static void Score(Explanation explanation, RepresentationPair pair)
    {
        Bsr.Evaluate(explanation, pair);
        BsrChance.Evaluate(explanation, pair);
        Enrichment.Annotate(explanation, pair.Samples);
        if (pair.Samples.Labels is not { } labels) return;
        foreach (var concept in explanation.Directions.SelectMany(d => d.Concepts))
            concept.LabelCounts = concept.Members.Where(i => i >= 0 && i < pair.N)
                .GroupBy(i => labels.Codes[i]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
                .ToDictionary(g => labels.Names[g.Key], g => g.Count());
    }
}
