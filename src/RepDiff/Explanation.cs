using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RepDiff;

/// <summary>
/// The one result type every method returns. The report, evaluation (BSR) and results.json read
/// only this, so a new method is one folder under Methods/ and nothing else changes.
/// </summary>
public sealed class Explanation
{
    public string Method { get; set; } = "";
    public string Version { get; set; } = RepDiffInfo.Version;

    /// <summary>Number of samples the sample indices refer to (for FINC: of the larger set).</summary>
    public int N { get; set; }

    /// <summary>Every value actually used: defaults resolved, seed included.</summary>
    public JsonObject Parameters { get; set; } = new();

    public List<Direction> Directions { get; set; } = [];

    /// <summary>Eigenvalues, descending, for spectral methods.</summary>
    public double[]? Spectrum { get; set; }

    /// <summary>bsr, spec_diff, cka, ...: whatever was computed.</summary>
    public JsonObject Metrics { get; set; } = new();

    /// <summary>Seconds per stage, and "total".</summary>
    public Dictionary<string, double> Timings { get; set; } = [];

    public Direction GetDirection(string name) =>
        Directions.FirstOrDefault(d => d.Name == name)
        ?? throw new KeyNotFoundException($"{Method} has no direction '{name}'");

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
        TypeInfoResolver = ExplanationJsonContext.Default,
    };

    public string ToJson() => JsonSerializer.Serialize(this, ExplanationJsonContext.Default.Explanation);

    public static Explanation FromJson(string json) =>
        JsonSerializer.Deserialize(json, ExplanationJsonContext.Default.Explanation)
        ?? throw new RepDiffInputException("results.json is empty");
}

/// <summary>One side of a comparison, e.g. the groups that A puts together and B pulls apart.</summary>
public sealed class Direction
{
    public string Name { get; set; } = "";

    /// <summary>
    /// Which representation these concepts are explanations of ("a" or "b"): BSR scores a grid with
    /// this one's distances against the other's. Null where it does not apply (FINC's sample sets).
    /// </summary>
    public string? Explains { get; set; }

    /// <summary>Per-sample cluster label where the method clusters (RDX: 0 = null cluster).</summary>
    public int[]? Labels { get; set; }

    /// <summary>Concepts, strongest first (rank 1).</summary>
    public List<Concept> Concepts { get; set; } = [];
}

public sealed class Concept
{
    public int Rank { get; set; }
    public double Strength { get; set; }

    /// <summary>Sample indices (0-based rows of the inputs), best first.</summary>
    public int[] Members { get; set; } = [];

    /// <summary>The members to show.</summary>
    public int[] Grid { get; set; } = [];

    /// <summary>Per-member score, aligned with Members, where the method has one.</summary>
    public double[]? Scores { get; set; }
}

/// <summary>The direction names every method uses.</summary>
public static class DirectionNames
{
    public const string MoreSimilarInA = "more_similar_in_a";
    public const string MoreSimilarInB = "more_similar_in_b";
    public const string MoreFrequentInTest = "more_frequent_in_test";
    public const string MoreFrequentInRef = "more_frequent_in_ref";
    public const string ConceptsOfA = "concepts_of_a";
    public const string ConceptsOfB = "concepts_of_b";
}
