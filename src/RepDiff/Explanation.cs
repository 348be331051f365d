using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RepDiff;

/// <summary>
/// The one result type every method returns. The report, evaluation (BSR) and results.json read
/// only this, so a new method is one folder under Methods/ and nothing else changes.
/// </summary>
public sealed class Explanation : IJsonOnDeserialized
{
    public string Method { get; set; } = "";
    /// <summary>The RepDiff version that wrote this file (absent in a file another tool wrote).</summary>
    public string? Version { get; set; } = RepDiffInfo.Version;

    /// <summary>The git commit of the build that wrote this file (absent for a build made outside git).</summary>
    public string? Commit { get; set; } = RepDiffInfo.Commit;

    /// <summary>What a concept's strength measures (<see cref="Methods.IMethod.StrengthMeaning"/>), kept in results.json for scripts and reports made from it.</summary>
    public string? StrengthMeaning { get; set; }

    /// <summary>Number of samples the sample indices refer to (for FINC: of the larger set).</summary>
    public int N { get; set; }

    /// <summary>Every value actually used: defaults resolved, seed included.</summary>
    public JsonObject Parameters { get; set; } = new();

    public List<Direction> Directions { get; set; } = [];

    /// <summary>Eigenvalues, descending, for spectral methods.</summary>
    public double[]? Spectrum { get; set; }

    /// <summary>bsr, spec_diff, cka, ...: whatever was computed.</summary>
    public JsonObject Metrics { get; set; } = new();

    /// <summary>
    /// Arrays the run produced that belong beside results.json (e.g. SPEC's random Fourier frequencies as
    /// omega_a.npy), by file name; written by the output step, not part of the JSON.
    /// </summary>
    [JsonIgnore]
    public Dictionary<string, Matrix> Artifacts { get; } = [];

    /// <summary>The rows a run on a subsample explained (RDX's --max-samples), ascending; null when it ran on every row.</summary>
    [JsonIgnore]
    public int[]? RowsUsed { get; set; }

    /// <summary>
    /// A results.json keeps the rows a run on a subsample explained as the rows its labels do not mark −1 (left out by
    /// --max-samples): restored on reading, so that `evaluate` scores the run among them, as the run itself did.
    /// </summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        StrengthMeaning ??= Methods.MethodRegistry.Default.Find(Method ?? "")?.StrengthMeaning; // files written before it was kept
        // A hand-edited file may hold a null direction (refused by ResultsFile, which reads after this).
        if (RowsUsed is null && Directions?.FirstOrDefault(d => d?.Labels?.Contains(-1) == true)?.Labels is { } labels)
            RowsUsed = Enumerable.Range(0, labels.Length).Where(i => labels[i] >= 0).ToArray();
    }

    /// <summary>Positions among the rows the run explained (<see cref="RowsUsed"/>) as rows of its whole input.</summary>
    public int[] InputRows(int[] positions) => RowsUsed is { } used ? positions.Select(i => used[i]).ToArray() : positions;

    /// <summary>The options record the run used, every run-time value resolved (what reruns of the method repeat).</summary>
    [JsonIgnore]
    public Methods.MethodOptions? ResolvedOptions { get; set; }

    /// <summary>
    /// How the concepts reach samples the method did not see (spectral methods: their mode functions), for
    /// held-out validation; null: they are extended by a vote of nearest neighbours (Trust.HeldOutValidation).
    /// </summary>
    [JsonIgnore]
    public Trust.IConceptExtension? Extension { get; set; }

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
        TypeInfoResolver = ExplanationJsonContext.Default,
    };

    public string ToJson() => IO.ResultsJsonLayout.Text(ToJsonNode());

    /// <summary>The explanation as a JSON object, for a document that holds it (laid out once, with the document).</summary>
    public JsonObject ToJsonNode() => JsonSerializer.SerializeToNode(this, ExplanationJsonContext.Default.Explanation)!.AsObject();

    public static Explanation FromJson(string json) =>
        JsonSerializer.Deserialize(json, ExplanationJsonContext.Default.Explanation)
        ?? throw new RepDiffInputException("results.json is empty");
}
