namespace RepDiff;

/// <summary>The direction names every method uses, with their titles and plain readings for reports and terminals.</summary>
public static class DirectionNames
{
    public const string MoreSimilarInA = "more_similar_in_a";
    public const string MoreSimilarInB = "more_similar_in_b";
    public const string MoreFrequentInTest = "more_frequent_in_test";
    public const string MoreFrequentInRef = "more_frequent_in_ref";
    public const string ConceptsOfA = "concepts_of_a";
    public const string ConceptsOfB = "concepts_of_b";

    /// <summary>Whether the direction claims a difference between A and B (not a baseline's own groups, nor FINC's frequencies).</summary>
    public static bool IsDifference(string name) => name is MoreSimilarInA or MoreSimilarInB;

    /// <summary>A heading for the direction ("More similar in A"); unknown names read as their words.</summary>
    public static string Title(string name) => name switch
    {
        MoreSimilarInA => "More similar in A",
        MoreSimilarInB => "More similar in B",
        ConceptsOfA => "Concepts of A",
        ConceptsOfB => "Concepts of B",
        MoreFrequentInTest => "More frequent in the test set",
        MoreFrequentInRef => "More frequent in the reference set",
        _ => name.Replace('_', ' '),
    };

    /// <summary>What the direction's concepts mean, with the inputs' names (A and B; FINC's test and reference sets).</summary>
    public static string Reading(string name, string nameA, string nameB) => name switch
    {
        // Nearer by neighbourhood rank, what the methods and BSR measure, not by distance (FindingText.Difference says why).
        MoreSimilarInA => $"{ModelReference.Of("A", nameA)} ranks these samples as nearer neighbours of each other than {ModelReference.Of("B", nameB)} does.",
        MoreSimilarInB => $"{ModelReference.Of("B", nameB)} ranks these samples as nearer neighbours of each other than {ModelReference.Of("A", nameA)} does.",
        ConceptsOfA => $"What {ModelReference.Of("A", nameA)} groups on its own (a baseline: not a difference by itself).",
        ConceptsOfB => $"What {ModelReference.Of("B", nameB)} groups on its own (a baseline: not a difference by itself).",
        MoreFrequentInTest => $"Modes where {ModelReference.Of("the test set", nameA)} has more samples than {ModelReference.Of("the reference set", nameB)}.",
        MoreFrequentInRef => $"Modes where {ModelReference.Of("the reference set", nameB)} has more samples than {ModelReference.Of("the test set", nameA)}.",
        _ => Title(name) + ".",
    };

    /// <summary>
    /// What a difference direction looked for, where its groups did not bear it out (no better than random groups, or the
    /// other way): the <see cref="Reading"/> as a search, not a claim that the finding beside it would contradict.
    /// </summary>
    public static string Sought(string name, string nameA, string nameB) => name switch
    {
        MoreSimilarInA => $"Looked for samples that {ModelReference.Of("A", nameA)} ranks as nearer neighbours of each other than {ModelReference.Of("B", nameB)} does.",
        MoreSimilarInB => $"Looked for samples that {ModelReference.Of("B", nameB)} ranks as nearer neighbours of each other than {ModelReference.Of("A", nameA)} does.",
        _ => Reading(name, nameA, nameB),
    };
}
