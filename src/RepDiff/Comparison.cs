using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RepDiff.Methods;
using RepDiff.Metrics;
using RepDiff.Options;
using RepDiff.Reporting;
using RepDiff.Trust;

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

    /// <summary>The command that made the comparison and its inputs' fingerprints ("command", "inputs_sha256"), when known.</summary>
    public IO.RunOrigin? Origin { get; set; }

    /// <summary>Default methods that did not run on this pair, each with why ("koda": "compare runs it on at most 1,000 samples …").</summary>
    public Dictionary<string, string> LeftOut { get; } = [];

    /// <summary>Seconds per stage: "load" (when measured by the caller), one per method, "context", "total".</summary>
    public Dictionary<string, double> Timings { get; init; } = [];

    /// <summary>
    /// The report's maps when <see cref="Run"/> made them beside the context metrics (their seconds under "report_model"); null
    /// when it was not asked to, and the report model makes them.
    /// </summary>
    public SampleMaps? Maps { get; init; }

    /// <summary>
    /// Runs every method on the pair (in the given order) with its options, scores each explanation
    /// (<see cref="ExplanationScoring"/>), validates every concept on held-out samples and measures its stability when
    /// <paramref name="trust"/> asks for it (<see cref="HeldOutValidation"/>, <see cref="Stability"/>), and computes linear CKA and mutual k-NN alignment for context.
    /// With <paramref name="reportMaps"/> it makes the report's maps beside the context metrics (<see cref="SampleMaps.Beside"/>;
    /// false: PCA maps only), kept in <see cref="Maps"/>.
    /// </summary>
    public static Comparison Run(RepresentationPair pair, IReadOnlyList<MethodRun> runs, int seed, IProgress<ProgressUpdate>? progress = null,
        TrustOptions? trust = null, bool? reportMaps = null)
    {
        if (runs.Count == 0) throw new RepDiffInputException("no method to run");
        if (trust?.Validates() == true) HeldOutValidation.CheckSize(pair, trust.ValidationOption());
        var timings = new Dictionary<string, double>();
        var total = Stopwatch.StartNew();
        var explanations = new List<Explanation>();
        // Every method is validated on one split, so what validation computes apart from the method is computed once.
        using var split = trust?.Validates() == true ? HeldOutSplit.Of(pair, seed) : null;
        // Every method's options are checked and resolved before any method runs: a bandwidth that cannot be found
        // for the third method stops the comparison at once, not after the first two have run.
        var prepared = new MethodOptions[runs.Count];
        var preparing = new double[runs.Count];
        // Every method an option stops is named at once, and the --methods suggested leaves them all out: named one at a
        // time, 100,000 rows were refused for rdx with "--methods spec,kmeans,pca,nmf,sae", which spec then refused (helper 108).
        var refused = new List<(IPairMethod Method, InvalidOptionException Error)>();
        for (int m = 0; m < runs.Count; m++)
        {
            var clock = Stopwatch.StartNew();
            var (method, options) = runs[m];
            var methodTrust = TrustFor(method, trust);
            try
            {
                prepared[m] = ForMethod(method, runs, () =>
                {
                    if (methodTrust is not null) RerunSize.CheckBeforeRun(method, options, pair, methodTrust);
                    return method.Prepare(pair, options, progress);
                }, refusalIsOwn: true);
            }
            catch (InvalidOptionException e) { refused.Add((method, e)); }
            preparing[m] = clock.Elapsed.TotalSeconds;
        }
        if (refused.Count > 0) throw CannotRun(refused, runs);
        // Between 5,000 and 20,000 rows MNED divides by a sampled bound unless RDX has found the exact largest distances; found
        // here first, a method scored before RDX no longer gets other figures than one scored after it (helper 89).
        if (pair.N is > Metrics.MnedNormalizer.ExactRowsLimit and <= PairStatistics.AllPairsLimit && runs.Any(r => r.Method.FindsLargestDistances))
            pair.Statistics.FindExact();
        for (int m = 0; m < runs.Count; m++)
        {
            var (method, options) = runs[m];
            var clock = Stopwatch.StartNew();
            // Each method's stages under its name: piped, "affinities: 50%" said nothing of which method it was (helper 79).
            var named = new RenamedProgress(progress, stage => stage.StartsWith(method.Name, StringComparison.Ordinal) ? stage : $"{method.Name}: {stage}");
            var methodTrust = TrustFor(method, trust);
            if (methodTrust is not null) Stability.Expect(method, pair, methodTrust);
            var explanation = ForMethod(method, runs, () => method.Run(pair, prepared[m], named));
            if (preparing[m] >= 1e-3)
            {
                explanation.Timings["resolve_options"] = preparing[m];
                explanation.Timings["total"] += preparing[m];
            }
            timings[method.Name] = preparing[m] + clock.Elapsed.TotalSeconds;
            clock.Restart();
            progress.Report($"scoring {method.Name} (BSR)", 0);
            ExplanationScoring.Score(explanation, pair);
            progress.Report($"scoring {method.Name} (BSR)", 1);
            timings[$"{method.Name} scoring"] = clock.Elapsed.TotalSeconds;
            if (methodTrust?.Validates() == true)
            {
                clock.Restart();
                Checked(method, "validation", "validation on half the samples", () => HeldOutValidation.Run(method, options, pair, explanation, named, split));
                timings[$"{method.Name} validation"] = clock.Elapsed.TotalSeconds;
            }
            if (methodTrust is not null)
            {
                Checked(method, "stability", "stability on 80% of the samples", () => Stability.Measure(method, pair, explanation, methodTrust, named));
                if (explanation.Timings.TryGetValue("stability", out double seconds)) timings[$"{method.Name} stability"] = seconds;
            }
            explanations.Add(explanation);
        }
        JsonObject context = null!;
        void Context()
        {
            var contextClock = Stopwatch.StartNew();
            progress.Report("context metrics (CKA, mutual k-NN)", 0);
            context = ContextMetrics(pair);
            progress.Report("context metrics (CKA, mutual k-NN)", 1);
            timings["context"] = contextClock.Elapsed.TotalSeconds;
            // The methods and the context, as before the maps ran beside them: the maps' seconds are the report model's.
            timings["total"] = total.Elapsed.TotalSeconds;
        }
        SampleMaps? maps = null;
        if (reportMaps is bool umap)
        {
            (maps, double mapSeconds) = SampleMaps.Beside(pair, explanations, umap, progress, Context);
            timings["report_model"] = mapSeconds;
        }
        else Context();
        return new Comparison { Pair = pair, Explanations = explanations, Context = context, Seed = seed, Timings = timings, Maps = maps };
    }

    /// <summary>
    /// Refuses, from the number of samples alone, the methods that could not run on <paramref name="n"/> samples, in the words
    /// <see cref="Run"/> would use: `compare --model-a/-b` knows n once its inputs are listed, and had embedded with both
    /// models (11 s for three sentences) before this was said. What needs the pair's dimensions is checked by <see cref="Run"/>.
    /// With <paramref name="trust"/>, the reruns on part of the samples are checked too, as <see cref="Run"/> checks them.
    /// </summary>
    public static void CheckCount(IReadOnlyList<MethodRun> runs, int n, TrustOptions? trust = null)
    {
        if (trust?.Validates() == true) HeldOutValidation.CheckSize(n, trust.ValidationOption());
        var refused = new List<(IPairMethod Method, InvalidOptionException Error)>();
        foreach (var (method, options) in runs)
        {
            try
            {
                if (TrustFor(method, trust) is { } methodTrust) RerunSize.CheckCountBeforeRun(method, options, n, methodTrust);
                else method.CheckCount(n, options);
            }
            catch (InvalidOptionException e) { refused.Add((method, e)); }
        }
        if (refused.Count > 0) throw CannotRun(refused, runs);
    }

    /// <summary>
    /// The trust measures a method of the comparison gets: none for groups given in a file (`--groups`), which a rerun on part
    /// of the samples would only read again (their test is each BSR beside its chance level); the methods beside them get theirs.
    /// </summary>
    private static TrustOptions? TrustFor(IPairMethod method, TrustOptions? trust) => method.ConceptsAreGiven ? null : trust;

    /// <summary>
    /// Prepares or runs one method of a comparison, naming the method, and the flag and how to leave it out, in any input error.
    /// With <paramref name="refusalIsOwn"/>, an option's error is passed on as it is, for the caller to gather (<see cref="CannotRun"/>).
    /// </summary>
    private static T ForMethod<T>(IPairMethod method, IReadOnlyList<MethodRun> runs, Func<T> step, bool refusalIsOwn = false)
    {
        try
        {
            return step();
        }
        catch (InvalidOptionException e) when (!refusalIsOwn)
        {
            throw CannotRun([(method, e)], runs);
        }
        catch (RepDiffInputException e) when (e is not InvalidOptionException)
        {
            throw new RepDiffInputException($"{method.Name}: {e.Message}");
        }
    }

    /// <summary>
    /// The methods an option stops, each with its flag and problem: a comparison sets no method's options, so it says where the
    /// option can be given (the method's own command), or how to leave every such method out.
    /// </summary>
    private static RepDiffInputException CannotRun(IReadOnlyList<(IPairMethod Method, InvalidOptionException Error)> refused, IReadOnlyList<MethodRun> runs)
    {
        var names = refused.Select(r => r.Method.Name).ToList();
        string reasons = string.Join("; ", refused.Select(r => $"{r.Method.Name} cannot run on these inputs ({r.Error.FlagPrefix}{r.Error.Problem})"));
        // A refusal no option answers (too few samples for the method at all) has no option to set: it can only be left out.
        var settable = refused.Where(r => r.Error.Property != InvalidOptionException.NoOption).ToList();
        var remedies = new List<string>();
        if (settable.Count == 1) remedies.Add($"run `repdiff {settable[0].Method.Name}` to set {OptionSpec.FlagOf(settable[0].Error.Property)}");
        else if (settable.Count > 1) remedies.Add($"run each alone ({string.Join(", ", settable.Select(r => $"`repdiff {r.Method.Name}`"))}) to set its option");
        // Given groups (--groups) are no name --methods takes: they stay in the run by keeping --groups.
        string others = string.Join(",", runs.Where(r => !r.Method.ConceptsAreGiven).Select(r => r.Method.Name).Where(name => !names.Contains(name)));
        if (others.Length > 0) remedies.Add($"leave {(refused.Count == 1 ? names[0] : "them")} out with --methods {others}");
        return new RepDiffInputException(remedies.Count == 0 ? reasons : $"{reasons}; {string.Join(", or ", remedies)}");
    }

    /// <summary>Runs a trust stage of one method, naming the method and the stage in any input error it raises.</summary>
    private static void Checked(IPairMethod method, string stage, string what, Action run)
    {
        try
        {
            run();
        }
        catch (InvalidOptionException e)
        {
            throw new InvalidOptionException(e.Property, $"({method.Name}, {stage}) {e.Problem}");
        }
        catch (RepDiffInputException e) when (e is not InvalidOptionException)
        {
            throw new RepDiffInputException($"{method.Name} ({what}): {e.Message}");
        }
    }

    /// <summary>
    /// Most samples mutual k-NN looks at: its neighbour search is quadratic in the samples. Up to this size it reads the pair's
    /// own neighbour lists, which the report's maps read too (<see cref="PairStatistics.SharedNeighboursLimit"/>); it had been
    /// 5,000, when between 5,000 and 10,000 rows the maps found their graph apart (by NN-descent, with a recall of 0.36–0.40
    /// on the benchmarks' 10,000-row pairs).
    /// </summary>
    public const int MutualKnnMaxSamples = PairStatistics.SharedNeighboursLimit;

    /// <summary>Most samples linear CKA reads when the pair is not in memory (a streamed run): it would otherwise load both inputs whole.</summary>
    public const int StreamedCkaMaxSamples = 50_000;

    /// <summary>
    /// Overall similarity of the pair, for context: linear CKA (all samples, or an evenly spaced subsample
    /// of <see cref="StreamedCkaMaxSamples"/> when the pair is streamed from disk) and mutual 10-NN alignment
    /// (on an evenly spaced subsample of at most <see cref="MutualKnnMaxSamples"/> samples).
    /// </summary>
    public static JsonObject ContextMetrics(RepresentationPair pair)
    {
        var context = new JsonObject();
        // Undefined (null and a note), not 0, when a representation has every row the same: see ConstantRows.
        // pair.A and pair.B load a streamed input whole (6 GB at 1,000,000 × 768 twice): touched only when in memory or small.
        Matrix ckaA, ckaB;
        if (!pair.InMemory && pair.N > StreamedCkaMaxSamples)
        {
            var rows = EvenlySpaced(pair.N, StreamedCkaMaxSamples);
            (ckaA, ckaB) = (pair.RowsA.SelectRows(rows), pair.RowsB.SelectRows(rows));
            context["linear_cka_samples"] = rows.Length;
        }
        else (ckaA, ckaB) = (pair.A, pair.B);
        Metrics.ContextMetrics.Put(context, "linear_cka", Cka.Linear(ckaA, ckaB), ConstantRows.Why(ckaA, ckaB, pair.NameA, pair.NameB));
        if (pair.N > MutualKnnMaxSamples)
        {
            var rows = EvenlySpaced(pair.N, MutualKnnMaxSamples);
            Metrics.ContextMetrics.PutMutualKnn(context, pair.RowsA.SelectRows(rows), pair.RowsB.SelectRows(rows), MutualKnn.DefaultNeighbours, pair);
            context["mutual_knn_samples"] = MutualKnnMaxSamples;
        }
        // k = 10 neighbours of 11 samples are all the others: an overlap of 1 by construction, so more than 11 are needed.
        else if (pair.N > MutualKnn.DefaultNeighbours + 1) Metrics.ContextMetrics.PutMutualKnn(context, pair.A, pair.B, MutualKnn.DefaultNeighbours, pair);
        return context;
    }

    /// <summary>
    /// A warning when A and B share no more nearest neighbours than rows paired at random would (mutual k-NN below twice
    /// k/(m − 1), its expected value for m shuffled samples, <see cref="MutualKnn.Chance"/>): rows that are not the same samples in the same order
    /// (a file saved in another order, ids not given) look exactly so, and every difference found would come from the
    /// pairing. Null when the score is not there or chance is too high to tell (fewer than about 100 samples). It names
    /// --id-column beside the ids files: two Parquet tables, each with its sample_id column, had been pointed to ids files only.
    /// </summary>
    public static string? RowsMayNotMatch(JsonObject context, RepresentationPair pair)
    {
        if (context["mutual_knn"]?.GetValue<double>() is not double shared) return null;
        // The k it was measured with: `metrics --neighbours 25` had been read against k = 10's chance and never warned.
        double chance = MutualKnn.Chance(MutualKnn.NeighboursOf(context), MutualKnn.SamplesOf(context, pair.N));
        if (chance > 0.1 || shared >= 2 * chance) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{pair.NameA} and {pair.NameB} share no more nearest neighbours than rows paired at random (mutual k-NN {shared:F3}, chance {chance:F3}): ")
            + "if their rows are not the same samples in the same order, join them by id (--ids-a, --ids-b, or --id-column "
            + "naming the id column of a table, CSV or JSON Lines file); every difference found would otherwise come from the pairing";
    }

    private static int[] EvenlySpaced(int n, int count) => Enumerable.Range(0, count).Select(k => (int)((long)k * n / count)).ToArray();

    /// <summary>The BSR comparison table: per method and direction (plus "mean"), SILB, MNED and LSED.</summary>
    public JsonArray BsrTable() => new(BsrRow.From(Explanations).Select(r => (JsonNode)r.ToJson()).ToArray());

    /// <param name="findings">The findings in words of each explanation (the report model's), written under "findings" by method.</param>
    /// <param name="warnings">The report model's warnings about the results as a whole, written under "warnings".</param>
    public string ToJson(IReadOnlyList<Findings.ExplanationFindings>? findings = null, IReadOnlyList<string>? warnings = null)
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
            ["explanations"] = new JsonArray(Explanations.Select(e => e.ToJsonNode()).ToArray()),
            ["consensus"] = Consensus.Of(Explanations).ToJson(),
            ["timings"] = timings,
        };
        if (RepDiffInfo.Commit is { } commit) document.Insert(2, "commit", commit);
        Origin?.WriteTo(document);
        IO.ResultsFile.PutWarnings(document, warnings);
        if (findings is { Count: > 0 })
        {
            var byMethod = new JsonObject();
            foreach (var finding in findings) byMethod[finding.Method] = finding.ToJson();
            document["findings"] = byMethod;
        }
        if (LeftOut.Count > 0)
        {
            var leftOut = new JsonObject();
            foreach (var (method, why) in LeftOut) leftOut[method] = why;
            document["left_out"] = leftOut;
        }
        if (IO.SampleJson.ToJson(Pair.Samples) is { } samples) document["samples"] = samples;
        return IO.ResultsJsonLayout.Text(document);
    }
}
