using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using RepDiff.Methods;
using RepDiff.Metrics;

namespace RepDiff;

/// <summary>
/// The result of `repdiff compare`: several methods run on one pair, every explanation's grids
/// scored with BSR, and overall similarity numbers for context. Serialized as the compare results.json
/// (schema in docs/results-schema.md).
/// </summary>
public sealed class Comparison
{
    public required RepresentationPair Pair { get; init; }
    public required IReadOnlyList<Explanation> Explanations { get; init; }

    /// <summary>Pair-level similarity: "linear_cka", "mutual_knn".</summary>
    public required JsonObject Context { get; init; }

    /// <summary>File names of the inputs ("a", "b", and "labels", "images", "texts" when given).</summary>
    public Dictionary<string, string> Inputs { get; init; } = [];

    public int Seed { get; init; }

    /// <summary>Seconds per stage: "load" (when measured by the caller), one per method, "context", "total".</summary>
    public Dictionary<string, double> Timings { get; init; } = [];

    /// <summary>
    /// Runs every method on the pair (in the given order), scores each explanation's grids with
    /// <see cref="Bsr.Evaluate"/>, and computes linear CKA and mutual k-NN alignment.
    /// </summary>
    public static Comparison Run(RepresentationPair pair, IReadOnlyList<IDifferenceMethod> methods, int seed, IProgress<ProgressUpdate>? progress = null)
    {
        if (methods.Count == 0) throw new RepDiffInputException("no method to run");
        var timings = new Dictionary<string, double>();
        var total = Stopwatch.StartNew();
        var explanations = new List<Explanation>();
        foreach (var method in methods)
        {
            var clock = Stopwatch.StartNew();
            Explanation explanation;
            try
            {
                explanation = method.Run(pair, seed, progress);
            }
            catch (RepDiffInputException e)
            {
                throw new RepDiffInputException($"{method.Name}: {e.Message}");
            }
            progress.Report($"scoring {method.Name} (BSR)", 0);
            Bsr.Evaluate(explanation, pair);
            progress.Report($"scoring {method.Name} (BSR)", 1);
            explanations.Add(explanation);
            timings[method.Name] = clock.Elapsed.TotalSeconds;
        }
        var contextClock = Stopwatch.StartNew();
        progress.Report("context metrics (CKA, mutual k-NN)", 0);
        var context = ContextMetrics(pair);
        progress.Report("context metrics (CKA, mutual k-NN)", 1);
        timings["context"] = contextClock.Elapsed.TotalSeconds;
        timings["total"] = total.Elapsed.TotalSeconds;
        return new Comparison { Pair = pair, Explanations = explanations, Context = context, Seed = seed, Timings = timings };
    }

    /// <summary>Most samples mutual k-NN looks at: its neighbour search is quadratic in the samples.</summary>
    public const int MutualKnnMaxSamples = 5_000;

    /// <summary>
    /// Overall similarity of the pair, for context: linear CKA (all samples) and mutual 10-NN
    /// alignment (on an evenly spaced subsample of at most <see cref="MutualKnnMaxSamples"/> samples).
    /// </summary>
    public static JsonObject ContextMetrics(RepresentationPair pair)
    {
        var context = new JsonObject { ["linear_cka"] = Cka.Linear(pair.A, pair.B) };
        if (pair.N > MutualKnnMaxSamples)
        {
            var rows = Enumerable.Range(0, MutualKnnMaxSamples).Select(k => (int)((long)k * pair.N / MutualKnnMaxSamples)).ToArray();
            context["mutual_knn"] = MutualKnn.Alignment(pair.A.SelectRows(rows), pair.B.SelectRows(rows));
            context["mutual_knn_samples"] = MutualKnnMaxSamples;
        }
        else context["mutual_knn"] = MutualKnn.Alignment(pair.A, pair.B);
        return context;
    }

    /// <summary>The methods compare runs when none are named: every registered method that applies to the pair.</summary>
    public static IReadOnlyList<IDifferenceMethod> DefaultMethods(RepresentationPair pair)
        => MethodRegistry.All.Where(m => m.Applies(pair)).ToList();

    /// <summary>Methods named in a comma-separated list (`--methods rdx,spec`), in that order.</summary>
    public static IReadOnlyList<IDifferenceMethod> ParseMethods(string list, RepresentationPair pair)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new RepDiffInputException("--methods is empty; name at least one method");
        var methods = names.Select(MethodRegistry.Find).DistinctBy(m => m.Name).ToList();
        foreach (var m in methods)
            if (!m.Applies(pair)) throw new RepDiffInputException($"method '{m.Name}' does not apply to these inputs");
        return methods;
    }

    /// <summary>The BSR comparison table: per method and direction (plus "mean"), SILB, MNED and LSED.</summary>
    public JsonArray BsrTable() => new(BsrRow.From(Explanations).Select(r => (JsonNode)r.ToJson()).ToArray());

    public string ToJson()
    {
        var inputs = new JsonObject();
        foreach (var (key, value) in Inputs) inputs[key] = value;
        var timings = new JsonObject();
        foreach (var (key, value) in Timings) timings[key] = value;
        var document = new JsonObject
        {
            ["kind"] = "comparison",
            ["version"] = RepDiffInfo.Version,
            ["inputs"] = inputs,
            ["n"] = Pair.N,
            ["dimensions"] = new JsonObject { ["a"] = Pair.A.Cols, ["b"] = Pair.B.Cols },
            ["seed"] = Seed,
            ["context"] = Context.DeepClone(),
            ["bsr_table"] = BsrTable(),
            ["explanations"] = new JsonArray(Explanations.Select(e => JsonNode.Parse(e.ToJson())).ToArray()),
            ["timings"] = timings,
        };
        return document.ToJsonString(Explanation.JsonOptions);
    }

    /// <summary>Reads the explanations back from a compare results.json.</summary>
    public static List<Explanation> ExplanationsFromJson(string json)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new RepDiffInputException("results.json is not a JSON object");
        if (root["explanations"] is not JsonArray array) throw new RepDiffInputException("results.json has no 'explanations' (not a compare result)");
        return array.Select(node => Explanation.FromJson(node!.ToJsonString())).ToList();
    }
}
