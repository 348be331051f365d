using RepDiff.Numerics;
using System.Diagnostics;
using System.Text.Json.Nodes;
using RepDiff.Options;

namespace RepDiff.Metrics;

/// <summary>
/// The familiar one-number similarity scores, for context beside the difference methods: linear and
/// debiased linear CKA (all samples), RBF CKA and mutual k-NN (on a seeded subset above their size limits;
/// metrics say how many samples were used), and with labels (on a seeded subset above their limit too) the out-of-fold accuracy of a linear probe on
/// each representation and how often the two probes agree. Returned as an Explanation with method
/// "metrics", no directions, everything under <see cref="Explanation.Metrics"/>.
/// </summary>
public static class ContextMetrics
{
    public const string Method = "metrics";

    public static Explanation Compute(RepresentationPair pair, ContextMetricsOptions options, IProgress<ProgressUpdate>? progress = null)
    {
        OptionsSchema.Validate(options);
        // Similarity between two models needs at least two samples to compare (RBF CKA's bandwidth is a median distance).
        if (pair.N < 2) throw new RepDiffInputException($"{pair.NameA} and {pair.NameB} hold {pair.N} sample{(pair.N == 1 ? "" : "s")}; the similarity measures need at least 2");
        int seed = options.Seed;
        // The one n×n allocation here, refused before any work (mutual k-NN holds strips of distances, not n×n).
        Cka.CheckRbfMemory(Math.Min(pair.N, options.RbfMaxSamples));
        // Checked before any work, in the options' terms: LinearProbe's own errors name neither --labels nor --folds.
        if (options.Probes && pair.Samples.Labels is { } given)
        {
            int distinct = given.Codes.Distinct().Count();
            if (distinct < 2)
                throw new RepDiffInputException($"--labels: every sample has the same label ('{RepDiff.IO.NpyDtype.Truncate(given.Names[given.Codes[0]])}'); the linear probe needs at least two (or give --probes false)");
            // Out of fold, a label no training fold holds cannot be predicted: with every label unique the accuracy is 0 by construction.
            if (distinct == given.Codes.Length)
                throw new RepDiffInputException($"--labels: every sample has a label of its own ({given.Codes.Length} labels for {given.Codes.Length} samples); the linear probe needs labels that several samples share (or give --probes false)");
            int probed = Math.Min(pair.N, options.ProbeMaxSamples);
            if (options.Folds > probed)
                throw new InvalidOptionException(nameof(options.Folds), $"{options.Folds} folds need at least {options.Folds} samples, and the linear probe has {probed}");
        }
        else
        {
            // The probes' settings with no probes to run would be ignored, as --text-field without --texts would be: refused,
            // typed at their defaults too ("--folds 5"), as a method refuses an option its run does not read.
            var defaults = new ContextMetricsOptions();
            foreach (var (property, differs) in new[]
            {
                (nameof(options.Folds), options.Folds != defaults.Folds),
                (nameof(options.ProbeMaxIterations), options.ProbeMaxIterations != defaults.ProbeMaxIterations),
                (nameof(options.ProbeMaxSamples), options.ProbeMaxSamples != defaults.ProbeMaxSamples),
            })
                if (differs || options.WasGiven(property))
                    throw new InvalidOptionException(property, options.Probes
                        ? "sets the linear probes, which run only with --labels"
                        : "sets the linear probes, which --probes false turns off");
        }
        var total = Stopwatch.StartNew();
        var e = new Explanation
        {
            Method = Method,
            N = pair.N,
            Parameters = new JsonObject
            {
                ["seed"] = seed, ["neighbours"] = options.Neighbours, ["knn_max_samples"] = options.KnnMaxSamples,
                ["rbf_max_samples"] = options.RbfMaxSamples, ["rbf_bandwidth"] = "median squared distance",
            },
        };
        // Undefined, not 0, when a representation has every row the same: CKA is 0/0 and its neighbours are all ties.
        string? constant = ConstantRows.Why(pair.A, pair.B, pair.NameA, pair.NameB);
        Time(e, "linear_cka", () =>
        {
            progress.Report("linear CKA", 0);
            Put(e.Metrics, "linear_cka", pair.N < 3 ? null : Cka.Linear(pair.A, pair.B), pair.N < 3 ? TwoSamples : constant);
            progress.Report("linear CKA", 0.5);
            if (pair.N < 4) Put(e.Metrics, "debiased_linear_cka", null, "it needs at least 4 samples");
            else Put(e.Metrics, "debiased_linear_cka", Cka.LinearDebiased(pair.A, pair.B),
                constant ?? "the unbiased HSIC estimate of a representation with itself is not positive (a few rows so much larger than the rest that its terms cancel beyond float32 precision)");
            progress.Report("linear CKA", 1);
        });
        Time(e, "rbf_cka", () =>
        {
            progress.Report("RBF CKA", 0);
            double? rbf = Cka.Rbf(pair.A, pair.B, out int used, options.RbfMaxSamples, seed);
            Put(e.Metrics, "rbf_cka", used < 3 ? null : rbf, used < 3 ? TwoSamples : constant ?? "the sampled rows of one representation are all the same");
            e.Metrics["rbf_cka_samples"] = used;
            progress.Report("RBF CKA", 1);
        });
        Time(e, "mutual_knn", () =>
        {
            progress.Report("mutual k-NN", 0);
            var rows = Sampling.Uniform(pair.N, options.KnnMaxSamples, seed);
            var (a, b) = rows.Length == pair.N ? (pair.A, pair.B) : (pair.A.SelectRows(rows), pair.B.SelectRows(rows));
            // At most n − 2: with k = n − 1 every other sample is a neighbour in both and the overlap is 1 by construction.
            int k = Math.Max(1, Math.Min(options.Neighbours, rows.Length - 2));
            PutMutualKnn(e.Metrics, a, b, k, pair);
            e.Metrics["mutual_knn_k"] = k;
            e.Metrics["mutual_knn_samples"] = rows.Length;
            progress.Report("mutual k-NN", 1);
        });
        if (options.Probes && pair.Samples.Labels is { } labels)
        {
            e.Parameters["folds"] = options.Folds;
            e.Parameters["probe"] = "multinomial logistic regression, L2 (C = 1), standardized features, stratified folds";
            e.Parameters["probe_max_iterations"] = options.ProbeMaxIterations;
            e.Parameters["probe_max_samples"] = options.ProbeMaxSamples;
            Time(e, "linear_probe", () =>
            {
                var rows = Sampling.Uniform(pair.N, options.ProbeMaxSamples, seed);
                var (x, y, codes) = rows.Length == pair.N
                    ? (pair.A, pair.B, labels.Codes)
                    : (pair.A.SelectRows(rows), pair.B.SelectRows(rows), rows.Select(i => labels.Codes[i]).ToArray());
                var a = LinearProbe.CrossValidate(x, codes, options.Folds, seed, options.ProbeMaxIterations, progress, $"linear probe on {pair.NameA}");
                var b = LinearProbe.CrossValidate(y, codes, options.Folds, seed, options.ProbeMaxIterations, progress, $"linear probe on {pair.NameB}");
                e.Metrics["probe_samples"] = rows.Length;
                e.Metrics["probe_accuracy_a"] = a.Accuracy;
                e.Metrics["probe_accuracy_b"] = b.Accuracy;
                e.Metrics["probe_fold_accuracies_a"] = new JsonArray(a.FoldAccuracies.Select(v => (JsonNode)v).ToArray());
                e.Metrics["probe_fold_accuracies_b"] = new JsonArray(b.FoldAccuracies.Select(v => (JsonNode)v).ToArray());
                e.Metrics["probe_agreement"] = LinearProbe.Agreement(a, b);
                e.Metrics["probe_majority_rate"] = a.MajorityRate;
            });
        }
        e.Timings["total"] = total.Elapsed.TotalSeconds;
        return e;
    }

    /// <summary>
    /// A similarity score under its key, or, when it is undefined, JSON null there and why under "&lt;key&gt;_note"
    /// ("undefined: every row of a.npy is the same, so it has no variance"), which the summaries and the report show.
    /// </summary>
    public static void Put(JsonObject target, string key, double? value, string? whyUndefined)
    {
        target[key] = value;
        if (value is null) target[NoteKey(key)] = $"undefined: {whyUndefined ?? "not measurable on these inputs"}";
    }

    /// <summary>Mutual k-NN alignment of these rows of the pair under "mutual_knn"; undefined when one side's rows are all the same (every neighbour a tie).</summary>
    public static void PutMutualKnn(JsonObject target, Matrix a, Matrix b, int k, RepresentationPair pair)
    {
        if (k >= a.Rows - 1)
        {
            Put(target, "mutual_knn", null, $"with {a.Rows} samples every other sample is among the {k} nearest in both, so the overlap is 1 by construction");
            return;
        }
        string? tied = ConstantRows.Why(a, b, pair.NameA, pair.NameB);
        // All of the pair's rows: their neighbour lists are the pair's own, which the report's maps read too. The size is
        // checked first: reading pair.A reads a streamed input whole.
        bool shared = a.Rows == pair.N && pair.N <= PairStatistics.SharedNeighboursLimit && k <= 1000
            && ReferenceEquals(a, pair.A) && ReferenceEquals(b, pair.B);
        double? alignment = tied is not null ? null
            : shared ? MutualKnn.Overlap(pair.Statistics.NeighboursOfA(k), pair.Statistics.NeighboursOfB(k), k)
            : MutualKnn.Alignment(a, b, k);
        Put(target, "mutual_knn", alignment, tied);
    }

    /// <summary>Why CKA of 2 samples is left undefined (it had read 1.000).</summary>
    private const string TwoSamples = "CKA of 2 samples is 1 by construction (any two centred 2 × 2 kernels are proportional)";

    /// <summary>Where <see cref="Put"/> says why the score under key is undefined.</summary>
    public static string NoteKey(string key) => key + "_note";

    private static void Time(Explanation e, string stage, Action work)
    {
        var watch = Stopwatch.StartNew();
        work();
        e.Timings[stage] = watch.Elapsed.TotalSeconds;
    }
}
