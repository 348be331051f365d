using RepDiff.Numerics;
using System.Diagnostics;
using RepDiff.Options;
using System.Text.Json.Nodes;
using RepDiff.Metrics;

namespace RepDiff.Methods.Baselines;

/// <summary>
/// The concepts a baseline found in one representation, strongest first. <see cref="Coefficient"/> gives,
/// for a concept (0-based position in <see cref="Concepts"/>), every sample's coefficient on it: what the
/// per-label coefficient view summarizes.
/// </summary>
internal sealed record SideResult(List<Concept> Concepts, int[] Labels, Func<int, double[]> Coefficient, JsonObject Metrics);

/// <summary>
/// The shared frame of the baselines: fit each representation alone (A, then B, or the two at once), return the common
/// Explanation with directions concepts_of_a (Explains "a") and concepts_of_b (Explains "b"), per-side
/// metrics under metrics[&lt;metric&gt;][&lt;direction&gt;], and, when labels are given, the coefficient view
/// (the concepts alone on a rerun's pair, <see cref="RepresentationPair.IsRerun"/>).
/// </summary>
internal static class Baseline
{
    /// <param name="sidesAtOnce">Fit A and B at the same time, for fits that cannot keep the cores busy alone (each side's
    /// time is then its own, and the two overlap).</param>
    public static Explanation Run(string method, RepresentationPair pair, BaselineOptions options, string coefficientMeaning,
        IProgress<ProgressUpdate>? progress, Func<Matrix, string, SideResult> fit, bool sidesAtOnce = false)
    {
        var explanation = new Explanation();
        var views = new JsonObject();
        var sides = new[] { (pair.A, "a", DirectionNames.ConceptsOfA), (pair.B, "b", DirectionNames.ConceptsOfB) };
        var results = new SideResult[2];
        var seconds = new double[2];
        void Fit(int s)
        {
            var (matrix, side, _) = sides[s];
            var watch = Stopwatch.StartNew();
            results[s] = fit(matrix, $"{method} on {(side == "a" ? pair.NameA : pair.NameB)}");
            seconds[s] = watch.Elapsed.TotalSeconds;
        }
        // At once, a failing side still throws its own exception, A's when both fail.
        if (sidesAtOnce) ParallelRuns.For(2, 2, Fit);
        else { Fit(0); Fit(1); }
        for (int s = 0; s < 2; s++)
        {
            var (matrix, side, name) = sides[s];
            var result = results[s];
            explanation.Timings[side] = seconds[s];
            explanation.Directions.Add(new Direction { Name = name, Explains = side, Labels = result.Labels, Concepts = result.Concepts });
            if (pair.IsRerun) continue;  // only the concepts of a rerun are read
            var (silhouette, undefined) = SampledSilhouette(matrix, result.Labels, options.Seed);
            result.Metrics["silhouette"] = silhouette;
            if (undefined is not null) result.Metrics[ContextMetrics.NoteKey("silhouette")] = $"undefined: {undefined}";
            foreach (var (metric, value) in result.Metrics)
            {
                if (explanation.Metrics[metric] is not JsonObject perSide) explanation.Metrics[metric] = perSide = new JsonObject();
                perSide[name] = value?.DeepClone();
            }
            if (pair.Samples.Labels is { } labels)
                views[name] = new JsonArray(result.Concepts.Select((c, i) => (JsonNode)new JsonObject
                {
                    ["rank"] = c.Rank,
                    ["by_label"] = CoefficientView.ByLabel(result.Coefficient(i), labels),
                }).ToArray());
        }
        if (!pair.IsRerun) AddAgreement(explanation, pair);
        if (views.Count > 0)
            explanation.Metrics["coefficients_by_label"] = new JsonObject { ["coefficient"] = coefficientMeaning, ["directions"] = views };
        progress.Report(method, 1);
        return explanation;
    }

    /// <summary>Silhouette is O(n²·d): above this many samples it is measured on a seeded random subset.</summary>
    public const int SilhouetteMaxSamples = 2000;

    /// <summary>
    /// How well the concepts separate the samples in the representation they were fitted to: the mean
    /// silhouette of the concept labels, over samples that belong to a concept (a seeded subset of at most
    /// <see cref="SilhouetteMaxSamples"/>); undefined, with why, when fewer than two concepts have members or every
    /// member is a concept of its own.
    /// </summary>
    private static (double? Value, string? WhyUndefined) SampledSilhouette(Matrix x, int[] labels, int seed)
    {
        var assigned = Enumerable.Range(0, x.Rows).Where(i => labels[i] > 0).ToArray();
        var rows = Sampling.Uniform(assigned.Length, SilhouetteMaxSamples, seed).Select(i => assigned[i]).ToArray();
        int groups = rows.Select(i => labels[i]).Distinct().Count();
        if (groups < 2) return (null, "fewer than two concepts have members");
        if (groups >= rows.Length) return (null, "every member is a concept of its own");
        return (ClusterAgreement.Silhouette(x.SelectRows(rows), rows.Select(i => labels[i]).ToArray()), null);
    }

    /// <summary>
    /// ARI, NMI and AMI between the concept labels of A and of B ("agreement_a_b": do the two models group
    /// the samples alike?) and, with labels, between each side's concept labels and the given labels
    /// ("agreement_with_labels"). Label 0 (no concept) counts as one more group.
    /// </summary>
    private static void AddAgreement(Explanation explanation, RepresentationPair pair)
    {
        static JsonObject Scores(int[] x, int[] y) => new()
        {
            ["ari"] = ClusterAgreement.AdjustedRandIndex(x, y),
            ["nmi"] = ClusterAgreement.NormalizedMutualInformation(x, y),
            ["ami"] = ClusterAgreement.AdjustedMutualInformation(x, y),
        };
        var a = explanation.Directions[0].Labels!;
        var b = explanation.Directions[1].Labels!;
        explanation.Metrics["agreement_a_b"] = Scores(a, b);
        if (pair.Samples.Labels is { } labels)
            explanation.Metrics["agreement_with_labels"] = new JsonObject
            {
                [explanation.Directions[0].Name] = Scores(a, labels.Codes),
                [explanation.Directions[1].Name] = Scores(b, labels.Codes),
            };
    }

    /// <summary>Every baseline needs at least as many samples as concepts.</summary>
    public static void CheckSampleCount(int n, BaselineOptions options)
    {
        if (options.Concepts > n)
            throw new InvalidOptionException(nameof(options.Concepts), $"{options.Concepts} concepts need at least as many samples, but there {(n == 1 ? "is" : "are")} {n}");
    }

    /// <summary>
    /// Both representations hold enough distinct rows for the concepts asked for (<see cref="CheckDistinctRows"/>), checked
    /// before any work, where the files are known: a comparison prepares every method before running the first.
    /// </summary>
    public static void CheckDistinctRows(string method, RepresentationPair pair, int concepts, bool centred = false)
    {
        CheckDistinctRows(pair.RowsA, concepts, $"{method} on {pair.NameA}", centred);
        CheckDistinctRows(pair.RowsB, concepts, $"{method} on {pair.NameB}", centred);
    }

    /// <summary>
    /// k concepts need k distinct rows: of fewer, k-means listed clusters of no member and NMF's atoms with nothing to explain
    /// diverged. PCA's k components (<paramref name="centred"/>) need k + 1, since centring leaves r distinct rows r − 1
    /// directions and a component of zero variance holds no sample (review 174, finding 10: pca of 40 equal rows had listed five
    /// empty concepts). Refused, naming the --concepts that fits. Reads rows in order until enough distinct ones are found
    /// (usually the first k), so it costs nothing on ordinary data.
    /// </summary>
    public static void CheckDistinctRows(IRowSource x, int concepts, string stage, bool centred = false)
    {
        int needed = centred ? concepts + 1 : concepts;
        int distinct = DistinctRows(x, needed);
        if (distinct >= needed) return;
        int fits = centred ? distinct - 1 : Math.Max(1, distinct);
        string problem = !centred ? $"the representation has only {distinct} distinct row{(distinct == 1 ? "" : "s")}, fewer than the {concepts} concepts asked for"
            : fits == 0 ? "every row of the representation is the same, so it has no principal component"
            : $"the representation has only {distinct} distinct rows, which centred span {fits} directions, fewer than the {concepts} principal components asked for";
        throw fits == 0 ? new InvalidOptionException(InvalidOptionException.NoOption, $"{stage}: {problem}")
            : new InvalidOptionException(nameof(BaselineOptions.Concepts), $"{stage}: {problem}; use --concepts {fits} or fewer");
    }

    /// <summary>How many distinct rows x has, counting no further than <paramref name="enough"/> (and keeping no more).</summary>
    private static int DistinctRows(IRowSource x, int enough)
    {
        var byHash = new Dictionary<int, List<float[]>>();
        int distinct = 0;
        var row = new float[x.Cols];
        for (int i = 0; i < x.Rows && distinct < enough; i++)
        {
            x.ReadRows(i, 1, row);
            int hash = 0;
            foreach (float v in row) hash = HashCode.Combine(hash, v);
            if (!byHash.TryGetValue(hash, out var rows)) byHash[hash] = rows = [];
            if (rows.Any(r => r.AsSpan().SequenceEqual(row))) continue;
            rows.Add((float[])row.Clone());
            distinct++;
        }
        return distinct;
    }

    /// <summary>
    /// Concepts from a coefficient matrix (n × concepts, column c = concept c, larger = more of it;
    /// columns already ordered strongest first). Each sample belongs to the concept on which its
    /// coefficient is largest relative to that concept's largest coefficient over all samples, if
    /// positive; members are ordered by coefficient, the grid is the first <paramref name="grid"/> of them.
    /// Labels are the member's concept rank, 0 for samples with no positive coefficient.
    /// </summary>
    public static (List<Concept> Concepts, int[] Labels) FromCoefficients(Matrix coefficients, double[] strengths, int grid)
    {
        int n = coefficients.Rows, k = coefficients.Cols;
        var peak = new double[k];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++) peak[c] = Math.Max(peak[c], coefficients[i, c]);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            double best = 0;
            for (int c = 0; c < k; c++)
            {
                if (peak[c] <= 0) continue;
                double relative = coefficients[i, c] / peak[c];
                if (relative > best) { best = relative; labels[i] = c + 1; }
            }
        }
        var concepts = new List<Concept>();
        for (int c = 0; c < k; c++)
        {
            var members = Enumerable.Range(0, n).Where(i => labels[i] == c + 1)
                .OrderByDescending(i => coefficients[i, c]).ThenBy(i => i).ToArray();
            concepts.Add(new Concept
            {
                Rank = c + 1,
                Strength = strengths[c],
                Members = members,
                Grid = members.Take(grid).ToArray(),
                Scores = members.Select(i => (double)coefficients[i, c]).ToArray(),
            });
        }
        return (concepts, labels);
    }

    /// <summary>Column c of a matrix as doubles.</summary>
    public static double[] Column(Matrix m, int c)
    {
        var column = new double[m.Rows];
        for (int i = 0; i < m.Rows; i++) column[i] = m[i, c];
        return column;
    }

    /// <summary>Indices 0..count-1 ordered by value descending, ties by index: how concepts are ranked by strength.</summary>
    public static int[] OrderByStrength(double[] strengths) =>
        Enumerable.Range(0, strengths.Length).OrderByDescending(c => strengths[c]).ThenBy(c => c).ToArray();
}
