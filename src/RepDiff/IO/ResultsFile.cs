using System.Text.Json;
using System.Text.Json.Nodes;

namespace RepDiff.IO;

/// <summary>
/// Reads any results.json RepDiff writes: a single method's explanation, or compare's document with its
/// "explanations" array. Both are read into the same list; <see cref="ToJson"/> puts them back in the
/// shape they came in, so tools like `evaluate` can update either.
/// </summary>
public sealed class ResultsFile
{
    /// <summary>The whole document (compare's keeps its inputs, context and timings).</summary>
    public JsonObject Root { get; }
    public IReadOnlyList<Explanation> Explanations { get; }

    /// <summary>Whether this is compare's document (kind "comparison") rather than one method's explanation.</summary>
    public bool IsComparison { get; }

    private ResultsFile(JsonObject root, IReadOnlyList<Explanation> explanations, bool isComparison)
        => (Root, Explanations, IsComparison) = (root, explanations, isComparison);

    public static ResultsFile Read(string path)
    {
        // A run's folder left missing by a kill in the middle of its fallback swap is put back before it is read.
        OutputFolder.RestoreFolderOf(path);
        var bytes = InputFile.ReadAllBytes(path, "a results.json", MaxBytes, MemoryFactor);
        // Each object (a concept, mostly) costs its own few kilobytes on top of its text: 10⁶ concepts of two members,
        // 74 MB of JSON, took 5.4 GB to read and score, 73 times the file.
        MemoryBudget.EnsureFits(path, MemoryFactor * bytes.LongLength + BytesPerObject * bytes.AsSpan().Count((byte)'{'), "reading and scoring its concepts");
        // System.Text.Json says of an empty file "does not contain any JSON tokens ... when isFinalBlock is true".
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty) throw RepDiffInputException.ForFile(path, "is empty; a results.json is one JSON object");
        // System.Text.Json reads invalid UTF-8 inside a string as U+FFFD: a Latin-1 label or method name was rewritten altered.
        if (InvalidUtf8Line(bytes) is int line) throw RepDiffInputException.ForFile(path, $"line {line} is not valid UTF-8; a results.json is UTF-8 text");
        try
        {
            var file = Parse(bytes);
            foreach (var explanation in file.Explanations) CheckIndices(explanation);
            return file;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw RepDiffInputException.ForFile(path, $"is not a RepDiff results.json ({ReasonOf(e, bytes)})");
        }
        catch (RepDiffInputException e)
        {
            throw RepDiffInputException.ForFile(path, e.Message);
        }
    }

    /// <summary>The line of the first byte that is not UTF-8, or null (also for UTF-16 text, which the parser names as such).</summary>
    private static int? InvalidUtf8Line(byte[] bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes) || bytes.AsSpan().StartsWith([(byte)0xFF, (byte)0xFE]) || bytes.AsSpan().StartsWith([(byte)0xFE, (byte)0xFF]))
            return null;
        try { new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(bytes); }
        catch (System.Text.DecoderFallbackException e) { return 1 + bytes.AsSpan(0, Math.Clamp(e.Index, 0, bytes.Length)).Count((byte)'\n'); }
        return null;
    }

    /// <summary>Why the document did not read, in JSON's terms rather than .NET's where the cause is known.</summary>
    private static string ReasonOf(Exception e, byte[] bytes)
    {
        if (bytes.AsSpan().StartsWith([(byte)0xFF, (byte)0xFE]) || bytes.AsSpan().StartsWith([(byte)0xFE, (byte)0xFF]))
            return "it is UTF-16 text; save it as UTF-8";
        if (e is JsonException json) return JsonErrorText.Of(json);
        // JsonObject's dictionary on a repeated key: "An item with the same key has already been added. Key: n (Parameter 'key')".
        if (e is ArgumentException && e.Message.IndexOf("Key: ", StringComparison.Ordinal) is >= 0 and var at)
            return $"the key '{NpyDtype.Truncate(e.Message[(at + 5)..].Split(" (Parameter")[0])}' appears twice in one object";
        if (e is InvalidOperationException && e.Message.Contains("surrogate", StringComparison.Ordinal))
            return "a string holds an escaped lone surrogate (\\ud800–\\udfff without its pair), which is not text";
        return e.Message;
    }

    /// <summary>Largest results.json read: its grids and members are a few numbers per sample.</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>
    /// Memory per byte of the file while it is read: the JSON tree takes some 20 times the text (a 214 MB file of member
    /// indices peaked at 4.8 GB), so a file near <see cref="MaxBytes"/> is refused up front where it would not fit.
    /// </summary>
    public const int MemoryFactor = 24;

    /// <summary>Memory per JSON object beyond <see cref="MemoryFactor"/>: 3.0–3.6 KB per concept measured (helper 68), rounded up.</summary>
    private const long BytesPerObject = 4096;

    /// <summary>Every member and grid index must be a row of the inputs: a hand-edited or corrupted file is an input error.</summary>
    private static void CheckIndices(Explanation explanation)
    {
        // Any name is read: a hand-written file names its own tool, and a method registered by a library user
        // (MethodRegistry.With, docs/architecture.md) is not among RepDiff's. Without one, every message named "".
        if (string.IsNullOrWhiteSpace(explanation.Method)) throw new RepDiffInputException("has an explanation without a 'method'");
        if (explanation.N <= 0) throw new RepDiffInputException($"{explanation.Method} gives n = {explanation.N} (or none); it must be the number of samples");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int d = 0; d < explanation.Directions.Count; d++)
        {
            var direction = explanation.Directions[d];
            // Each direction is scored and reported under its name: without one, or with another's, its scores were lost or merged.
            if (direction is null) throw new RepDiffInputException($"{explanation.Method}: directions[{d}] is null; expected a direction");
            if (string.IsNullOrEmpty(direction.Name)) throw new RepDiffInputException($"{explanation.Method}: directions[{d}] has no 'name'");
            if (!names.Add(direction.Name)) throw new RepDiffInputException($"{explanation.Method} has two directions named '{NpyDtype.Truncate(direction.Name)}'");
            if (direction.Concepts is null) throw new RepDiffInputException($"{explanation.Method} has a direction without concepts");
            // Only "a" and "b" are scored: "A" or "model_a" would leave the direction out of BSR without a word.
            if (direction.Explains is not (null or "a" or "b"))
                throw new RepDiffInputException($"direction '{NpyDtype.Truncate(direction.Name ?? "")}' explains '{NpyDtype.Truncate(direction.Explains)}'; expected \"a\", \"b\" or no 'explains'");
            string directionName = NpyDtype.Truncate(direction.Name);
            CheckLabelsAndHeatmap(direction, directionName, explanation.N);
            // Each concept is scored, validated and reported by its rank: 5,000 copies of one concept, all rank 1, were
            // each scored and exported as the strongest.
            var ranks = new HashSet<int>();
            foreach (var concept in direction.Concepts)
            {
                if (concept is not null && concept.Rank >= 1 && !ranks.Add(concept.Rank))
                    throw new RepDiffInputException($"direction '{directionName}' has two concepts of rank {concept.Rank}; each concept has a rank of its own");
                if (concept?.Grid is null || concept.Members is null)
                    throw new RepDiffInputException($"direction '{NpyDtype.Truncate(direction.Name ?? "")}' has a concept without members or grid");
                // Every RepDiff method ranks from 1, and BSR, validation and the report skip rank 0 (RDX's null cluster):
                // a hand-written concept without "rank" would be left out of the scores without a word.
                if (concept.Rank < 1)
                    throw new RepDiffInputException($"direction '{NpyDtype.Truncate(direction.Name ?? "")}' has a concept of rank {concept.Rank} (or none); ranks start at 1, the strongest");
                foreach (int i in concept.Grid.Concat(concept.Members))
                    if (i < 0 || i >= explanation.N)
                        throw new RepDiffInputException($"direction '{NpyDtype.Truncate(direction.Name ?? "")}' names sample {i}, outside 0..{explanation.N - 1}");
                // A sample twice in a grid is a pair at distance 0 in both models, which BSR counts as a failure (a grid of
                // one sample repeated scored 0); twice among the members it is counted twice in the label counts and enrichment.
                foreach (var (list, what) in new[] { (concept.Grid, "grid"), (concept.Members, "members") })
                    if (list.GroupBy(i => i).FirstOrDefault(g => g.Count() > 1) is { } repeated)
                        throw new RepDiffInputException($"direction '{NpyDtype.Truncate(direction.Name ?? "")}' concept {concept.Rank} lists sample {repeated.Key} {repeated.Count()} times in its {what}");
                // The grid is the members shown: a grid sample outside them was scored by BSR but missing from export's rows.
                var memberSet = concept.Members.ToHashSet();
                int outside = Array.FindIndex(concept.Grid, i => !memberSet.Contains(i));
                if (outside >= 0)
                    throw new RepDiffInputException($"direction '{NpyDtype.Truncate(direction.Name ?? "")}' concept {concept.Rank} has sample {concept.Grid[outside]} in its grid but not among its members; the grid is the members shown");
                if (concept.Scores is not null && concept.Scores.Length != concept.Members.Length)
                    throw new RepDiffInputException($"direction '{NpyDtype.Truncate(direction.Name ?? "")}' concept {concept.Rank} has {concept.Scores.Length} scores for {concept.Members.Length} members");
                if (BadNumber(concept) is { } problem)
                    throw new RepDiffInputException($"direction '{NpyDtype.Truncate(direction.Name ?? "")}' concept {concept.Rank}: {problem}");
            }
        }
    }

    /// <summary>
    /// A direction's per-sample labels (one per sample of the representation it explains; FINC's, of its sample set) and its
    /// heatmap's samples, which the report and export index by: 3 labels for 60 samples, or heatmap sample 999, read as given.
    /// </summary>
    private static void CheckLabelsAndHeatmap(Direction direction, string name, int n)
    {
        if (direction.Labels is { } labels)
        {
            if (direction.Explains is "a" or "b" ? labels.Length != n : labels.Length > n)
                throw new RepDiffInputException($"direction '{name}' has {labels.Length} labels for n = {n} samples; it needs one per sample");
            // -1 marks a row RDX's --max-samples left out, 0 no concept: nothing lower is written.
            int low = Array.FindIndex(labels, l => l < -1);
            if (low >= 0) throw new RepDiffInputException($"direction '{name}' has label {labels[low]} at sample {low}; labels are -1 (left out), 0 (no concept) or a cluster");
        }
        if (direction.Heatmap is not { } heatmap) return;
        if (heatmap.Samples is null || heatmap.Clusters is null || heatmap.Values is null)
            throw new RepDiffInputException($"direction '{name}' has a heatmap without samples, clusters or values");
        int m = heatmap.Samples.Length;
        foreach (int i in heatmap.Samples)
            if (i < 0 || i >= n) throw new RepDiffInputException($"direction '{name}' has heatmap sample {i}, outside 0..{n - 1}");
        if (heatmap.Clusters.Length != m || heatmap.Values.LongLength != (long)m * m)
            throw new RepDiffInputException($"direction '{name}' has a heatmap of {m} samples with {heatmap.Clusters.Length} clusters and {heatmap.Values.Length} values; it needs {m} and {(long)m * m}");
        if (Array.FindIndex(heatmap.Values, v => !float.IsFinite(v)) is >= 0 and var bad)
            throw new RepDiffInputException($"direction '{name}' heatmap values[{bad}] is not a finite number");
    }

    /// <summary>
    /// What is wrong with the first of a concept's numbers that is NaN, infinite or outside its range, or null. JSON has no
    /// NaN, but the strings "NaN" and "Infinity" read as them; and a p-value of 2 or a stability of −3 (hand-edited) was
    /// carried on into `evaluate`'s and `export`'s output, a p_adjusted below 0 exported as "confirmed".
    /// </summary>
    private static string? BadNumber(Concept concept)
    {
        // Strength is on the method's own scale; the rest are shares, BSR figures or probabilities.
        if (!double.IsFinite(concept.Strength)) return "strength is not a finite number";
        foreach (var (name, value) in new (string, double?)[]
        {
            ("bsr", concept.Bsr), ("bsr_chance", concept.BsrChance), ("bsr_chance_sd", concept.BsrChanceSd), ("p_value", concept.PValue),
            ("p_adjusted", concept.PAdjusted), ("held_out_score", concept.HeldOutScore), ("stability", concept.Stability),
        })
            if (value is { } v && !(v >= 0 && v <= 1))
                return double.IsFinite(v) ? $"{name} is {v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, outside 0..1" : $"{name} is not a finite number";
        int bad = concept.Scores is null ? -1 : Array.FindIndex(concept.Scores, v => !double.IsFinite(v));
        return bad >= 0 ? $"scores[{bad}] is not a finite number" : null;
    }

    public static ResultsFile Parse(string json) => Parse(JsonNode.Parse(json));

    /// <summary>The document from its UTF-8 bytes (a byte order mark is skipped), without a copy as text.</summary>
    public static ResultsFile Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        return Parse(JsonNode.Parse(utf8));
    }

    private static ResultsFile Parse(JsonNode? node)
    {
        if (node is not JsonObject root) throw new RepDiffInputException("is not a JSON object");
        if (root["explanations"] is JsonArray array)
            return new ResultsFile(root, array.Select((node, i) => node is JsonObject o ? Deserialize(o, $"$.explanations[{i}]") : throw new RepDiffInputException("has an explanation that is not an object")).ToList(), true);
        if (root["method"] is not JsonValue) throw new RepDiffInputException("has neither 'method' (one method's results) nor 'explanations' (compare's)");
        return new ResultsFile(root, [Deserialize(root, "$")], false);
    }

    /// <summary>The document with the (possibly updated) explanations, in its original shape.</summary>
    /// <param name="evaluateCommand">
    /// `evaluate`'s command as typed, written as "evaluate_command" beside the run's own "command", which it keeps: the
    /// concepts, parameters and seed are still that run's, and only the BSR figures come from the evaluation.
    /// </param>
    public string ToJson(string? evaluateCommand = null)
    {
        var root = IsComparison ? (JsonObject)Root.DeepClone() : WithDocumentKeys(Explanations[0].ToJsonNode(), Root);
        if (IsComparison)
        {
            root["explanations"] = new JsonArray(Explanations.Select(e => e.ToJsonNode()).ToArray());
            root["bsr_table"] = new JsonArray(BsrRow.From(Explanations).Select(r => (JsonNode)r.ToJson()).ToArray());
            root.Remove("findings"); // sentences the new scores may contradict, as a single method's rewrite drops them
        }
        if (evaluateCommand is not null) RunOrigin.Place(root, "evaluate_command", evaluateCommand, "command", "commit", "version");
        return ResultsJsonLayout.Text(root);
    }

    /// <summary>
    /// What a single method's document holds beside its explanation: the file names of its inputs ("inputs", as compare's
    /// document has them) and their fingerprints ("inputs_sha256"), the overall similarity its report shows ("context":
    /// CKA, mutual k-NN, as compare's document has it), the columns of A and B ("dimensions", as compare's; a pair method's)
    /// and the samples' ids, labels and metadata (<see cref="SampleJson"/>).
    /// </summary>
    private static readonly string[] DocumentKeys = ["inputs", "inputs_sha256", "dimensions", "context", "warnings", "samples"];

    /// <summary>
    /// "warnings": what the run warned of about its results as a whole (rows that look paired at random) and about how its
    /// inputs were read (<see cref="SampleInfo.InputWarnings"/>), kept beside the results for whoever reads them later;
    /// absent when there are none.
    /// </summary>
    public static void PutWarnings(JsonObject document, IReadOnlyList<string>? warnings)
    {
        if (warnings is not { Count: > 0 }) return;
        var list = new JsonArray(warnings.Select(w => (JsonNode)JsonValue.Create(w)!).ToArray());
        // Beside "context" where there is one (the mutual k-NN it is read from), not after thousands of lines of concepts.
        int context = document.IndexOf("context");
        if (context >= 0) document.Insert(context + 1, "warnings", list);
        else document["warnings"] = list;
    }

    /// <summary>
    /// A single method's results.json: its explanation, the report's context and the samples block (each when there is one),
    /// and the findings in words as the report and terminal give them, for scripts (helper 79: no file held them). `evaluate`
    /// rescores without writing sentences, so its rewrite leaves them out rather than keep ones the new scores may contradict.
    /// </summary>
    public static string SingleMethod(Explanation explanation, IReadOnlyDictionary<string, string> inputs, JsonObject? context, SampleInfo samples,
        RunOrigin origin, Findings.ExplanationFindings? findings = null, (int A, int B)? dimensions = null, IReadOnlyList<string>? warnings = null)
    {
        // One document, laid out once, its keys in DocumentKeys' order after the explanation's.
        var document = explanation.ToJsonNode();
        var inputNames = new JsonObject();
        foreach (var (key, name) in inputs) inputNames[key] = name;
        document["inputs"] = inputNames;
        origin.WriteTo(document);
        // evaluate checks them: A and B swapped under other file names had every grid scored in the wrong model, exit 0.
        if (dimensions is var (columnsA, columnsB)) document["dimensions"] = new JsonObject { ["a"] = columnsA, ["b"] = columnsB };
        if (context is not null) document["context"] = context.DeepClone();
        PutWarnings(document, warnings);
        if (SampleJson.ToJson(samples) is { } block) document["samples"] = block;
        if (findings is not null) document["findings"] = findings.ToJson();
        return ResultsJsonLayout.Text(document);
    }

    /// <summary>
    /// The explanation's JSON with the document keys <paramref name="from"/> holds, so rewriting an explanation keeps them, and
    /// the run's "command" and an earlier evaluation's "evaluate_command" in their places.
    /// </summary>
    private static JsonObject WithDocumentKeys(JsonObject document, JsonObject from)
    {
        foreach (string key in DocumentKeys)
            if (from[key] is { } value) document[key] = value.DeepClone();
        if (from["command"] is { } command) RunOrigin.Place(document, "command", command.DeepClone(), "commit", "version");
        if (from["evaluate_command"] is { } evaluated) RunOrigin.Place(document, "evaluate_command", evaluated.DeepClone(), "command", "commit", "version");
        return document;
    }

    /// <summary>The document's "samples" block (ids, labels, metadata), or null; <paramref name="path"/> names the file in errors.</summary>
    public SampleInfo? Samples(string path) =>
        Explanations.Count == 0 ? null : SampleJson.FromJson(Root, Explanations.Max(e => e.N), path);

    /// <summary>One explanation, <paramref name="at"/> its JSON path in the document.</summary>
    /// <remarks>
    /// Deserializing a parsed node reports the line and column of the node written out again, not of the file (a one-line
    /// file's error would be on "line 12"), so a value of the wrong type is named by its path in the document instead.
    /// </remarks>
    private static Explanation Deserialize(JsonObject node, string at)
    {
        try
        {
            // Every RepDiff command writes "directions" (`metrics` an empty list): without the key, a file had nothing to score
            // and evaluate wrote its old BSR back, exit 0.
            if (node["directions"] is null)
                throw new RepDiffInputException($"is not a RepDiff results.json ({at}: has no 'directions'; one method's results list them, [] when there are none)");
            var explanation = node.Deserialize(ExplanationJsonContext.Default.Explanation) ?? throw new RepDiffInputException("has an empty explanation");
            // Written as null, these are absent: every reader takes them as present (an internal error, with "metrics": null).
            explanation.Parameters ??= [];
            explanation.Directions ??= [];
            explanation.Metrics ??= [];
            explanation.Timings ??= [];
            // Absent, "commit" stays absent: the property's default is the running build's, which made none of these results
            // (evaluate had written its own commit into a file from before commits were recorded).
            if (node["commit"] is null) explanation.Commit = null;
            // So does "version": a file another tool wrote was rewritten as written by this RepDiff version.
            if (node["version"] is null) explanation.Version = null;
            return explanation;
        }
        catch (JsonException e)
        {
            string place = at + (e.Path ?? "$")[1..];
            var type = System.Text.RegularExpressions.Regex.Match(e.Message, @"could not be converted to ([\w.`\[\],]+?)\.? Path:");
            // "JSON deserialization for type 'RepDiff.Metrics.DistinctiveWord' was missing required properties including: 'total'".
            const string Missing = "missing required properties including: ";
            int missing = e.Message.IndexOf(Missing, StringComparison.Ordinal);
            string fields = missing >= 0 ? JsonErrorText.Message(e)[(missing + Missing.Length)..] : "";
            string expected = type.Success ? "expected " + TypeNames.InWords(type.Groups[1].Value)
                : missing >= 0 ? $"lacks the field{(fields.Contains(',') ? "s" : "")} {fields}"
                : JsonErrorText.Message(e);
            throw new RepDiffInputException($"is not a RepDiff results.json ({place}: {expected})");
        }
    }
}
