using RepDiff.Metrics;

namespace RepDiff.Reporting;

/// <summary>
/// What every explanation of a pair gets after its method ran, once, whoever shows it: BSR per direction
/// and per concept (docs/methods/METHODS.md §2) with its chance level, the label and metadata values over-represented among
/// each concept's members (docs/metadata.md), the words that set its member texts apart, how its images look and, with labels, each concept's label counts.
/// </summary>
public static class ExplanationScoring
{
    public static void Score(Explanation explanation, RepresentationPair pair)
    {
        // Scored afresh: scores read with the explanation (`evaluate`'s results.json) must not stand for a concept or a
        // direction that cannot be scored now (a grid of one sample, no concepts), as if they had been computed here.
        foreach (string key in explanation.Metrics.Select(m => m.Key).Where(k => k.StartsWith("bsr", StringComparison.Ordinal)).ToList())
            explanation.Metrics.Remove(key);
        foreach (var concept in explanation.Directions.SelectMany(d => d.Concepts))
            (concept.Bsr, concept.BsrChance, concept.BsrChanceSd) = (null, null, null);
        if (explanation.RowsUsed is not { } used || !ScoreAmong(explanation, pair, used))
        {
            Bsr.Evaluate(explanation, pair);
            BsrChance.Evaluate(explanation, pair);
        }
        Enrichment.Annotate(explanation, pair.Samples);
        DistinctiveWords.Annotate(explanation, pair.Samples);
        ImageLooks.Annotate(explanation, pair.Samples);
        if (pair.Samples.Labels is not { } labels) return;
        foreach (var concept in explanation.Directions.SelectMany(d => d.Concepts))
            concept.LabelCounts = concept.Members.Where(i => i >= 0 && i < pair.N)
                .GroupBy(i => labels.Codes[i]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
                .ToDictionary(g => labels.Names[g.Key], g => g.Count());
    }

    /// <summary>
    /// BSR and its chance levels of a run on a subsample (RDX's --max-samples) among the rows it explained, as its stability
    /// and held-out validation are measured: over every row, `rdx --max-samples 2000` on 1,000,000 rows spent 42 s
    /// ranking a million samples against its 2,000, with the method at 2 s. False when a grid lies outside those rows.
    /// </summary>
    private static bool ScoreAmong(Explanation explanation, RepresentationPair pair, int[] used)
    {
        var position = new Dictionary<int, int>(used.Length);
        for (int i = 0; i < used.Length; i++) position[used[i]] = i;
        if (explanation.Directions.SelectMany(d => d.Concepts).SelectMany(c => c.Grid).Any(i => !position.ContainsKey(i))) return false;
        var local = new Explanation
        {
            Method = explanation.Method,
            Directions = explanation.Directions.Select(d => new Direction
            {
                Name = d.Name, Explains = d.Explains,
                Concepts = d.Concepts.Select(c => new Concept { Rank = c.Rank, Grid = c.Grid.Select(i => position[i]).ToArray() }).ToList(),
            }).ToList(),
        };
        using var explained = pair.SelectRows(used);
        Bsr.Evaluate(local, explained);
        BsrChance.Evaluate(local, explained);
        foreach (var (direction, scored) in explanation.Directions.Zip(local.Directions))
            foreach (var (concept, values) in direction.Concepts.Zip(scored.Concepts))
                (concept.Bsr, concept.BsrChance, concept.BsrChanceSd) = (values.Bsr, values.BsrChance, values.BsrChanceSd);
        foreach (var (key, value) in local.Metrics) explanation.Metrics[key] = value?.DeepClone();
        return true;
    }
}
