namespace RepDiff.Report;

/// <summary>
/// One concept the report shows as a card: its page key (<c>m{method}d{direction}c{rank}</c>, also the card's
/// element id after "card-"), where it sits, and its index in the model's consensus (null without one).
/// </summary>
internal sealed record ShownConcept(string Key, Explanation Explanation, Direction Direction, Concept Concept, int? ConsensusIndex)
{
    /// <summary>"RDX · more similar in A · concept 2".</summary>
    public string Title => $"{Explanation.Method} · {DirectionNames.Title(Direction.Name)} · concept {Concept.Rank}" + (Concept.Name is { } name ? $" '{name}'" : "");

    /// <summary>The shown concepts of every method and direction, in page order.</summary>
    public static List<ShownConcept> All(IReadOnlyList<Explanation> explanations, int maxPerDirection, bool withConsensus)
    {
        var shown = new List<ShownConcept>();
        int index = 0; // position in Consensus.Of's order: explanations, directions, concepts
        for (int m = 0; m < explanations.Count; m++)
            for (int d = 0; d < explanations[m].Directions.Count; d++)
            {
                var direction = explanations[m].Directions[d];
                for (int c = 0; c < direction.Concepts.Count; c++, index++)
                    if (c < maxPerDirection)
                        shown.Add(new ShownConcept(KeyOf(m, d, direction.Concepts[c]), explanations[m], direction, direction.Concepts[c], withConsensus ? index : null));
            }
        return shown;
    }

    public static string KeyOf(int method, int direction, Concept concept) => FormattableString.Invariant($"m{method}d{direction}c{concept.Rank}");
}
