using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using RepDiff.IO;
using RepDiff.Metrics;
using RepDiff.Numerics;
using RepDiff.Options;
using RepDiff.Trust;

namespace RepDiff.Methods.Rdx;

/// <summary>
/// RDX (docs/methods/METHODS.md §1): groups of samples one representation puts together and the other
/// pulls apart, found by clustering the affinity of their neighbourhood differences, both directions.
/// </summary>
public sealed class RdxMethod : PairMethod<RdxOptions>, ISubsetRerun
{
    public override string Name => "rdx";
    public override bool ConceptsAreClusters => true;
    public override bool FindsLargestDistances => true;
    public override string OutOfMemoryAdvice => "try --max-samples, which runs on a seeded subsample of the rows";
    public override string Description => "Representational difference explanations: groups one model puts together that the other pulls apart.";
    public override string StrengthMeaning => "mean affinity exp(−beta·G) over the concept's member pairs, G being RDX's difference of the two models' distances (neighbourhood ranks by default): 1 where the models agree on a pair, up to e^beta where it is much closer in the explained model";

    protected override int SamplesExplained(int n, RdxOptions o) => o.MaxSamples is int cap ? Math.Min(cap, n) : n;

    protected override void CheckCount(int n, RdxOptions o)
    {
        int used = SamplesExplained(n, o);
        // When --max-samples is what leaves too few, say so: the user sees n rows in their file.
        string capped = used < n ? $" (--max-samples {used} of {n})" : "";
        int groups = o.Clustering == RdxClustering.Spectral && o.NullCluster ? o.Concepts + 1 : o.Concepts;
        if (groups > used)
            throw new InvalidOptionException(nameof(o.Concepts),
                $"{groups} clusters ({o.Concepts}{(groups > o.Concepts ? " plus the null cluster" : "")}) need at least as many samples, but there {(used == 1 ? "is" : "are")} {used}{capped}");
        if (o.Clustering != RdxClustering.Spectral && (long)o.Concepts * o.GridSize > used)
            throw new InvalidOptionException(nameof(o.Concepts),
                $"{OptionSpec.EnumName(o.Clustering)} clustering takes {o.GridSize} samples per concept; {o.Concepts} concepts need {o.Concepts * o.GridSize} samples, but there are {used}{capped}");
        if (o.Align) CkaAlignment.CheckSize(used);
        CheckGammaBeforeRun(o, used);
    }

    // Before anything reads the inputs: a million-row file was loaded whole (6 GB, a minute) only to be refused here.
    protected override void CheckSampleCount(RepresentationPair pair, int n, RdxOptions o)
        => RdxMemory.Check(SamplesExplained(n, o), pair.RowsA.Cols, pair.RowsB.Cols, RdxMemory.Available());

    protected override void Validate(RepresentationPair pair, RdxOptions o)
    {
        // A representation whose rows are all the same has only tied neighbourhoods: RDX read their tie-break order as
        // structure and said the other model keeps groups together that this one pulls apart, the reverse of the truth.
        foreach (var (x, name) in new[] { (pair.RowsA, pair.NameA), (pair.RowsB, pair.NameB) })
            if (ConstantRows.In(x))
                throw new RepDiffInputException($"{name}: every row is the same, so it keeps every sample together and has no neighbourhoods for RDX to compare");
    }

    protected override RdxOptions Resolve(RepresentationPair pair, RdxOptions o, IProgress<ProgressUpdate>? progress)
        => o.Difference == RdxDifference.Standard
            ? o  // gamma belongs to the locally-biased difference: results.json has none for a standard run
            : o with { Gamma = o.Gamma ?? RdxOptions.DefaultGamma(SamplesExplained(pair.N, o)) };

    protected override Explanation Explain(RepresentationPair pair, RdxOptions options, IProgress<ProgressUpdate>? progress)
    {
        var timings = new Dictionary<string, double>();
        int fullN = pair.N;
        int[]? guideLabels = options.GuideLabels is { } guidePath ? LoadGuide(guidePath, pair) : null;

        // MaxSamples: work on a seeded subsample; indices are mapped back at the end.
        int[]? rows = null;
        if (options.MaxSamples is int cap && cap < fullN)
            rows = Sampling.Stratified(fullN, cap, options.Seed, guideLabels ?? pair.Samples.Labels?.Codes);
        // A subsample is read row by row: a file is never loaded whole for the rows RDX keeps.
        var a = rows is null ? pair.A : pair.RowsA.SelectRows(rows);
        var b = rows is null ? pair.B : pair.RowsB.SelectRows(rows);
        var guide = guideLabels is { } labels && rows is not null ? rows.Select(i => labels[i]).ToArray() : guideLabels;
        int n = a.Rows;

        Matrix? mappedA = null, mappedB = null;
        JsonObject? alignment = null;
        if (options.Align)
        {
            var alignmentClock = Stopwatch.StartNew();
            var toB = CkaAlignment.Fit(a, b, options.Seed, progress, "alignment (A → B)");
            var toA = CkaAlignment.Fit(b, a, options.Seed, progress, "alignment (B → A)");
            (mappedA, mappedB) = (toB.Mapped, toA.Mapped);
            alignment = new JsonObject { ["a_to_b"] = Summary(toB), ["b_to_a"] = Summary(toA) };
            timings["alignment"] = alignmentClock.Elapsed.TotalSeconds;
        }

        var differenceClock = Stopwatch.StartNew();
        // more_similar_in_a: M = exp(+beta G) with G from (A, mapped B); more_similar_in_b: exp(−beta G) with G from (mapped A, B).
        // Stability's reruns read their ranks off the neighbour orders this pass sorts anyway: kept for them when they follow.
        var orders = rows is null && pair.RerunInputs.Expects(Name) && SharesOrders(options, n)
            ? new FullOrders(new int[(long)n * n], new int[(long)n * n], options.GuideLabels) : null;
        var g = DifferenceMatrix.Compute(a, mappedB ?? b, options, guide, progress, out var farthest, orders: orders is null ? null : (orders.A, orders.B));
        if (orders is not null) pair.RerunInputs.Keep(Name, orders);
        // The difference pass saw every pair of the full input (unless subsampled or aligned): BSR reuses its largest distances.
        if (rows is null) pair.Statistics.SetMaxDistanceA(farthest.A);
        if (rows is null && mappedB is null) pair.Statistics.SetMaxDistanceB(farthest.B);
        timings["difference"] = differenceClock.Elapsed.TotalSeconds;
        Func<Matrix, Matrix>? differenceForB = null;
        if (options.Align)
            differenceForB = into =>
            {
                differenceClock.Restart();
                var forB = DifferenceMatrix.Compute(mappedA!, b, options, guide, progress, out farthest, into: into);
                if (rows is null) pair.Statistics.SetMaxDistanceB(farthest.B);
                timings["difference"] += differenceClock.Elapsed.TotalSeconds;
                return forB;
            };
        var explanation = FromDifference(g, a, b, options, differenceForB, progress, timings);
        if (alignment is not null) explanation.Metrics["alignment"] = alignment;
        if (rows is not null) MapToOriginalRows(explanation, rows, fullN);
        explanation.RowsUsed = rows;
        return explanation;
    }

    /// <summary>Both directions from the difference matrix of (a, b); with alignment B's direction has its own difference matrix.</summary>
    private static Explanation FromDifference(Matrix g, Matrix a, Matrix b, RdxOptions options, Func<Matrix, Matrix>? differenceForB,
        IProgress<ProgressUpdate>? progress, Dictionary<string, double> timings)
    {
        int n = a.Rows;
        float beta = (float)options.Beta;
        CheckAffinityRange(g, options);
        var s = new Matrix(n, n);
        var inA = BuildDirection(DirectionNames.MoreSimilarInA, "a", g, beta, s, a, options, progress, timings);
        if (differenceForB is not null) g = differenceForB(g);
        var inB = BuildDirection(DirectionNames.MoreSimilarInB, "b", g, -beta, s, b, options, progress, timings);

        var explanation = new Explanation { Directions = [inA.Direction, inB.Direction], Timings = timings };
        explanation.Metrics["samples_used"] = n;
        explanation.Metrics["mean_affinity"] = new JsonObject
        {
            [inA.Direction.Name] = new JsonArray(inA.MeanAffinity.Select(v => (JsonNode?)v).ToArray()),
            [inB.Direction.Name] = new JsonArray(inB.MeanAffinity.Select(v => (JsonNode?)v).ToArray()),
        };
        return explanation;
    }

    /// <summary>
    /// With the neighbourhood distance, reruns on subsets read their ranks off the full pair's neighbour orders
    /// (two n×n int arrays, kept when they fit in a quarter of the memory available) instead of recomputing
    /// distances and sorting; alignment and --max-samples below n change the input itself, so they rerun afresh.
    /// </summary>
    SubsetRun? ISubsetRerun.PrepareSubsetRuns(RepresentationPair pair, MethodOptions resolved, IProgress<ProgressUpdate>? progress)
    {
        var options = MethodTemplate.Cast<RdxOptions>(this, resolved);
        int n = pair.N;
        var kept = pair.RerunInputs.Take<FullOrders>(Name);
        if (options.MaxSamples is int cap && cap < n || !SharesOrders(options, n)) return null;
        var (ordersA, ordersB) = kept is { } full && full.GuideLabels == options.GuideLabels && full.A.LongLength == (long)n * n
            ? (full.A, full.B) : ComputeOrders(pair, options, progress);
        return rows =>
        {
            var clock = Stopwatch.StartNew();
            var g = DifferenceMatrix.FromOrders(ordersA, ordersB, n, rows, options);
            var timings = new Dictionary<string, double> { ["difference"] = clock.Elapsed.TotalSeconds };
            var explanation = FromDifference(g, pair.A.SelectRows(rows), pair.B.SelectRows(rows), options, null, null, timings);
            explanation.N = rows.Length;
            return explanation;
        };
    }

    /// <summary>
    /// Whether reruns on subsets can read their ranks off the full pair's neighbour orders: the neighbourhood distance without
    /// alignment (which changes the input itself), and two n×n int arrays within a quarter of the memory available.
    /// </summary>
    private static bool SharesOrders(RdxOptions options, int n)
        => options.Distance == RdxDistance.Neighborhood && !options.Align && 2L * n * n * sizeof(int) <= RdxMemory.Available() / 4;

    private static (int[] A, int[] B) ComputeOrders(RepresentationPair pair, RdxOptions options, IProgress<ProgressUpdate>? progress)
    {
        int[]? guide = options.GuideLabels is { } guidePath ? LoadGuide(guidePath, pair) : null;
        return (DifferenceMatrix.NeighbourOrders(pair.A, guide, progress, "neighbour orders (A)"),
            DifferenceMatrix.NeighbourOrders(pair.B, guide, progress, "neighbour orders (B)"));
    }

    /// <summary>Every row's neighbour order in A and in B, as a full run sorted them (with these guide labels).</summary>
    internal sealed record FullOrders(int[] A, int[] B, string? GuideLabels);

    /// <summary>The guide label of each of the pair's rows: on a selection of rows (stability, validation), the file's lines for those rows.</summary>
    private static int[] LoadGuide(string path, RepresentationPair pair) =>
        InvalidOptionException.ReadingFile(nameof(RdxOptions.GuideLabels), path, () => GuideOfRows(path, pair));

    /// <summary><see cref="LoadGuide"/>'s reading, whose refusals are of the file (named with --guide-labels by it).</summary>
    private static int[] GuideOfRows(string path, RepresentationPair pair)
    {
        var codes = SampleFiles.LoadLabels(path).Codes;
        // One label per row of A's file, given to a --common-samples run: the labels of the rows it kept.
        if (pair.Samples.LeftOut is { RowsOfA: { } kept } leftOut && codes.Length == kept.Length + leftOut.CountA)
            codes = kept.Select(i => codes[i]).ToArray();
        if (codes.Length != pair.SourceCount)
            throw RepDiffInputException.ForFile(path, $"has {codes.Length} labels for {pair.SourceCount} samples; there must be one per sample, in the order of the rows"
                + (pair.Samples.LeftOut is { } some ? $" (or one per row of A: {pair.SourceCount + some.CountA})" : ""));
        // Every pair of samples would lie across labels, pushed to the same far distance: nothing within a label is left to explain.
        if (codes.Length > 1 && codes.Distinct().Count() == codes.Length)
            throw RepDiffInputException.ForFile(path, "every sample has a label of its own, so no two share one and no difference within a label is left to explain; give labels that groups of samples share");
        return pair.OwnRows(codes);
    }

    /// <summary>Held-out debiased CKA before and after an alignment map, and the Adam step it was taken at.</summary>
    private static JsonObject Summary(AlignmentResult fit) => new()
    {
        ["held_out_cka_before"] = fit.InitialHeldOutCka,
        ["held_out_cka_after"] = fit.HeldOutCka,
        ["best_step"] = fit.BestStep,
    };

    private sealed record DirectionResult(Direction Direction, double?[] MeanAffinity);

    /// <summary>
    /// exp(±beta G) must stay a finite float32 (e^88 is its limit): a --beta so large that the largest
    /// difference overflows it is refused, naming the largest --beta these differences allow. At the other end, a
    /// beta G within <see cref="MinExponent"/> of 0 everywhere (a tiny --beta, or a tiny --gamma shrinking G) leaves every
    /// affinity within a few float32 steps of 1: the clusters were cut from a constant matrix (--beta 1e-9 gave concepts of
    /// 1 and 35 samples that the findings called groups), so it is refused too.
    /// </summary>
    private static void CheckAffinityRange(Matrix g, RdxOptions options)
    {
        double beta = options.Beta;
        double largest = Math.Max(Math.Abs((double)System.Numerics.Tensors.TensorPrimitives.Max(g.Data)), Math.Abs((double)System.Numerics.Tensors.TensorPrimitives.Min(g.Data)));
        const double maxExponent = 80;
        if (largest > 0 && beta * largest > maxExponent)
        {
            // The standard difference grows with n (neighbourhood distances are ranks): at its default --beta it overflowed on a
            // 40 × 8 Gaussian pair (reach 38), and the option that keeps any n within (−1, 1) went unnamed (review 174, finding 8).
            string normalize = options.Difference == RdxDifference.Standard && !options.NormalizeDifference ? ", or give --normalize-difference (differences then reach 1)" : "";
            throw new RepDiffInputException($"--beta {beta:G} makes the affinities exp(beta G) overflow float32 (differences reach {largest:G3}); use --beta {maxExponent / largest:G3} or less{normalize}");
        }
        // Differences below NoiseFloor are float32's rounding (tanh(0) itself comes out as 6e-8): ranks that agree everywhere,
        // which the findings call no better than random groups, or a --gamma that flattens every difference.
        bool gamma = options.WasGiven(nameof(RdxOptions.Gamma)) && options.Difference == RdxDifference.LocallyBiased;
        if (largest < NoiseFloor && gamma && options.Gamma <= NoiseFloor)
            throw new RepDiffInputException($"--gamma {options.Gamma:G} flattens every difference tanh(gamma …) to float32's rounding (the largest is {largest:G3}), "
                + $"so there is nothing to cluster; use a larger --gamma (the default is 80/n: {RdxOptions.DefaultGamma(g.Rows):G3})");
        if (largest >= NoiseFloor && beta * largest < MinExponent)
            throw new RepDiffInputException($"--beta {beta:G} leaves the affinities exp(beta G) within {beta * largest:G2} of 1 (differences reach {largest:G3}): "
                + $"float32 barely tells them apart, so there is nothing to cluster; use --beta {MinExponent / largest:G3} or more{(gamma ? ", or a larger --gamma" : "")}");
    }

    /// <summary>
    /// The --gamma refusal of <see cref="CheckAffinityRange"/>, made before any distance is computed when the options alone
    /// decide it: |N_B − N_A| / (min + 1) is at most m − 1 for neighbourhood ranks (0 … m − 1) and 1 for distances over their
    /// maximum, and tanh(y) ≤ y, so a gamma times that bound below <see cref="NoiseFloor"/> flattens every difference
    /// (`--gamma 1e-300` had printed "distances and ranks: 100%" above its error line). Local scaling has no such bound.
    /// </summary>
    private static void CheckGammaBeforeRun(RdxOptions o, int m)
    {
        if (o.Difference != RdxDifference.LocallyBiased || o.Gamma is not double gamma || !o.WasGiven(nameof(RdxOptions.Gamma))) return;
        double? reach = o.Distance switch
        {
            RdxDistance.Neighborhood => Math.Max(m - 1, 1),
            RdxDistance.MaxNormalized => 1,
            _ => null,
        };
        // The difference is computed in float32, where a gamma below its range is 0.
        if (reach is double bound && (double)(float)gamma * bound < NoiseFloor)
            throw new RepDiffInputException($"--gamma {gamma:G} flattens every difference tanh(gamma …) to float32's rounding (gamma times the largest the ratio can be on "
                + $"{m} samples, {bound:G}, is {gamma * bound:G3}), so there is nothing to cluster; use a larger --gamma (the default is 80/n: {RdxOptions.DefaultGamma(m):G3})");
    }

    /// <summary>Differences this small are rounding of values near 1 in float32, not differences.</summary>
    private const double NoiseFloor = 1e-6;

    /// <summary>The least beta · max|G| whose affinities float32 tells apart well enough to cluster (about 16 steps of 6e-8 near 1;
    /// on 200 samples 1e-6 still found the concepts of beta 5, and 1e-7 did not).</summary>
    private const double MinExponent = 1e-6;

    /// <summary>Cluster one direction's affinity, order the clusters by coherence and pick their grids.</summary>
    private static DirectionResult BuildDirection(string name, string explains, Matrix g, float exponent, Matrix s,
        Matrix explained, RdxOptions options, IProgress<ProgressUpdate>? progress, Dictionary<string, double> timings)
    {
        var clock = Stopwatch.StartNew();
        bool spectral = options.Clustering == RdxClustering.Spectral;
        Affinity.Symmetrized(g, exponent, s, zeroDiagonal: spectral, progress);
        AddLap(timings, "affinities", clock);

        int groups;
        int[] raw;
        if (spectral)
        {
            groups = options.Concepts + (options.NullCluster ? 1 : 0);
            raw = AffinityClustering.Spectral(s, groups, options.Seed, progress).Labels;
        }
        else
        {
            groups = options.Concepts;
            raw = AffinityClustering.Centrality(s, groups, options.GridSize, options.Clustering == RdxClustering.PageRank, options.Seed, progress);
        }
        AddLap(timings, "clustering", clock);

        // docs/methods/METHODS.md §1.5: ascending mean affinity; with a null cluster the least coherent becomes label 0.
        var (means, sampleMeans) = Affinity.WithinCluster(g, exponent, raw, groups);
        var order = Enumerable.Range(0, groups).OrderBy(c => means[c]).ThenBy(c => c).ToArray();
        int offset = spectral && options.NullCluster ? 0 : 1;
        var newLabel = new int[groups];
        for (int p = 0; p < groups; p++) newLabel[order[p]] = p + offset;
        var labels = raw.Select(c => c < 0 ? 0 : newLabel[c]).ToArray();
        int top = groups - 1 + offset;
        // Per label 0..k; label 0 has no mean when spectral clustering runs without a null cluster.
        var meanAffinity = new double?[top + 1];
        if (!spectral) meanAffinity[0] = NullMean(g, exponent, labels);
        for (int c = 0; c < groups; c++) meanAffinity[newLabel[c]] = means[c];

        var rng = Rng.Create(options.Seed);
        var concepts = new List<Concept>();
        for (int label = top; label >= 1; label--)
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == label)
                .OrderByDescending(i => sampleMeans[i]).ThenBy(i => i).ToArray();
            if (members.Length == 0) continue;
            var grid = options.Grid switch
            {
                RdxGrid.MaxAffinity => ConceptGrids.MaxAffinity(members.Order().ToArray(), explained, options.GridSize, g, exponent),
                RdxGrid.Centroid => ConceptGrids.Centroid(members, explained, options.GridSize),
                _ => ConceptGrids.Random(members, options.GridSize, rng),
            };
            concepts.Add(new Concept
            {
                Rank = concepts.Count + 1,
                Strength = meanAffinity[label]!.Value,
                Members = members,
                Grid = grid,
                Scores = members.Select(i => sampleMeans[i]).ToArray(),
            });
        }
        var heatmap = DifferenceHeatmap.Sample(g, Math.Sign(exponent), labels, HeatmapMeaning(options, explains));
        AddLap(timings, "grids", clock);
        return new DirectionResult(new Direction { Name = name, Explains = explains, Labels = labels, Concepts = concepts, Heatmap = heatmap }, meanAffinity);
    }

    /// <summary>The entry of this run's difference matrix in words, with its own distance, difference and gamma.</summary>
    private static string HeatmapMeaning(RdxOptions o, string explains)
    {
        var (e, other) = explains == "a" ? ("A", "B") : ("B", "A");
        string scale = o.Distance switch
        {
            RdxDistance.Neighborhood => "N the neighbourhood rank",
            RdxDistance.MaxNormalized => "N the distance over its maximum",
            _ => "N the local-scaling distance (s = 7)",
        };
        string value = o.Difference == RdxDifference.LocallyBiased
            ? string.Create(CultureInfo.InvariantCulture, $"tanh(γ (N_{other} − N_{e}) / (min(N_{e}, N_{other}) + 1)), γ = {o.Gamma:G4}")
            : $"N_{other} − N_{e}{(o.NormalizeDifference ? ", divided by its largest magnitude" : "")}";
        return $"{value}; {scale}{(o.Align ? ", after CKA alignment" : "")}{(o.GuideLabels is null ? "" : ", within guide labels")}. Positive: closer in {e} than in {other}.";
    }

    /// <summary>Mean affinity of the unassigned samples (centrality clustering's null cluster).</summary>
    private static double NullMean(Matrix g, float exponent, int[] labels)
    {
        var rest = labels.Select(l => l == 0 ? 0 : -1).ToArray();
        return Affinity.WithinCluster(g, exponent, rest, 1).ClusterMeans[0];
    }

    /// <summary>Adds the clock's lap to the stage's seconds: a stage may run more than once in a run.</summary>
    private static void AddLap(Dictionary<string, double> timings, string stage, Stopwatch clock)
    {
        timings[stage] = timings.GetValueOrDefault(stage) + clock.Lap();
    }

    /// <summary>Subsample positions → original row numbers; rows outside the subsample get label −1.</summary>
    private static void MapToOriginalRows(Explanation explanation, int[] rows, int fullN)
    {
        foreach (var direction in explanation.Directions)
        {
            var labels = new int[fullN];
            Array.Fill(labels, -1);
            for (int p = 0; p < rows.Length; p++) labels[rows[p]] = direction.Labels![p];
            direction.Labels = labels;
            foreach (var concept in direction.Concepts)
            {
                concept.Members = concept.Members.Select(p => rows[p]).ToArray();
                concept.Grid = concept.Grid.Select(p => rows[p]).ToArray();
            }
            if (direction.Heatmap is { } heatmap) heatmap.Samples = heatmap.Samples.Select(p => rows[p]).ToArray();
        }
    }
}
