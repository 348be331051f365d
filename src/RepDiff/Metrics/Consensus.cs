using System.Text.Json.Nodes;

namespace RepDiff.Metrics;

/// <summary>
/// Which differences several methods find: the Jaccard overlap |A ∩ B| / |A ∪ B| of the members of every
/// pair of concepts over all methods and directions, and for each concept the concept of another method
/// that overlaps it most. Member lists are sorted once and intersected by merging, so the cost is
/// O(C² · m) for C concepts of m members on average, independent of the number of samples beyond that.
/// </summary>
public sealed class Consensus
{
    /// <summary>Every concept, in the order of the explanations, their directions and ranks.</summary>
    public IReadOnlyList<ConceptKey> Concepts { get; }

    /// <summary>Jaccard[i][j] of concepts i and j (1 on the diagonal; 0 for two empty concepts).</summary>
    public double[][] Jaccard { get; }

    /// <summary>Members shared by concepts i and j.</summary>
    public int[][] Shared { get; }

    private Consensus(IReadOnlyList<ConceptKey> concepts, double[][] jaccard, int[][] shared)
    {
        Concepts = concepts;
        Jaccard = jaccard;
        Shared = shared;
    }

    public static Consensus Of(IReadOnlyList<Explanation> explanations)
    {
        var keys = new List<ConceptKey>();
        var members = new List<int[]>();
        foreach (var explanation in explanations)
            foreach (var direction in explanation.Directions)
                foreach (var concept in direction.Concepts)
                {
                    var sorted = concept.Members.Distinct().Order().ToArray();
                    keys.Add(new ConceptKey(explanation.Method, direction.Name, concept.Rank, sorted.Length));
                    members.Add(sorted);
                }
        int count = keys.Count;
        var jaccard = new double[count][];
        var shared = new int[count][];
        for (int i = 0; i < count; i++) (jaccard[i], shared[i]) = (new double[count], new int[count]);
        for (int i = 0; i < count; i++)
        {
            shared[i][i] = members[i].Length;
            jaccard[i][i] = 1;
            for (int j = i + 1; j < count; j++)
            {
                int both = IntersectionSize(members[i], members[j]);
                int union = members[i].Length + members[j].Length - both;
                shared[i][j] = shared[j][i] = both;
                jaccard[i][j] = jaccard[j][i] = union == 0 ? 0 : (double)both / union;
            }
        }
        return new Consensus(keys, jaccard, shared);
    }

    /// <summary>Size of the intersection of two ascending arrays of distinct values, by merging.</summary>
    internal static int IntersectionSize(int[] a, int[] b)
    {
        int i = 0, j = 0, both = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] < b[j]) i++;
            else if (a[i] > b[j]) j++;
            else { both++; i++; j++; }
        }
        return both;
    }

    /// <summary>
    /// The concept of another method that overlaps concept <paramref name="index"/> most (highest
    /// Jaccard, then the earlier concept), or null when no other method has a concept sharing a member.
    /// </summary>
    public (int Index, double Jaccard)? Closest(int index)
    {
        (int, double)? best = null;
        for (int j = 0; j < Concepts.Count; j++)
            if (Concepts[j].Method != Concepts[index].Method && Shared[index][j] > 0 && (best is null || Jaccard[index][j] > best.Value.Item2))
                best = (j, Jaccard[index][j]);
        return best;
    }

    /// <summary>For each other method, its concept that overlaps concept <paramref name="index"/> most (methods without overlap left out).</summary>
    public List<(int Index, double Jaccard)> ClosestPerMethod(int index) =>
        Enumerable.Range(0, Concepts.Count)
            .Where(j => Concepts[j].Method != Concepts[index].Method && Shared[index][j] > 0)
            .GroupBy(j => Concepts[j].Method)
            .Select(g => g.Aggregate((a, b) => Jaccard[index][b] > Jaccard[index][a] ? b : a))
            .Select(j => (j, Jaccard[index][j]))
            .ToList();

    /// <summary>
    /// For results.json: the concepts (method, direction, rank, members), the Jaccard table, and per concept
    /// its closest concept in another method ({ index, jaccard } or null).
    /// </summary>
    public JsonObject ToJson() => new()
    {
        ["concepts"] = new JsonArray(Concepts.Select(c => (JsonNode)new JsonObject
        {
            ["method"] = c.Method, ["direction"] = c.Direction, ["rank"] = c.Rank, ["members"] = c.Members,
        }).ToArray()),
        ["jaccard"] = new JsonArray(Jaccard.Select(row => (JsonNode)new JsonArray(row.Select(v => (JsonNode)Math.Round(v, 6)).ToArray())).ToArray()),
        ["closest"] = new JsonArray(Enumerable.Range(0, Concepts.Count).Select(i => Closest(i) is { } c
            ? (JsonNode)new JsonObject { ["index"] = c.Index, ["jaccard"] = Math.Round(c.Jaccard, 6) }
            : null).ToArray()),
    };
}
