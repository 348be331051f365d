using System.Diagnostics;
using RepDiff.Methods;

namespace RepDiff.Trust;

/// <summary>
/// The stability of every concept (docs/methods/METHODS.md §7): the method reruns with the full run's resolved
/// options on R seeded subsamples of ⌊0.8 n⌋ rows, and each concept's stability is the mean over resamples of its
/// best Jaccard overlap with a concept of the same direction there. Writes concepts[].stability.
/// </summary>
public static class Stability
{
    /// <summary>
    /// A concept counts as found again at this stability or more: on the planted and digits fixtures the planted concepts
    /// reach 0.8–1.0, and partitions a run does not support (RDX's 4s split two ways at k = 3) 0.36–0.61.
    /// </summary>
    public const double FoundAgain = 0.75;

    /// <summary>
    /// A stability as shown: cut (not rounded) to two decimals, so the figure never reaches a threshold its words say it is
    /// below (0.3969 is 0.39, 0.749 is 0.74); the small addend keeps 0.29, whose double is 0.28999…, at 0.29.
    /// </summary>
    public static double Shown(double stability) => Math.Floor(stability * 100 + 1e-9) / 100;

    /// <summary>Stability of the concepts of <paramref name="full"/>, a run of <paramref name="method"/> on <paramref name="pair"/>.</summary>
    /// <param name="fraction">Share of rows each resample keeps (1: every row, which reproduces the full run).</param>
    public static void Measure(IPairMethod method, RepresentationPair pair, Explanation full, int resamples,
        IProgress<ProgressUpdate>? progress = null, double fraction = StabilityResamples.DefaultFraction)
    {
        if (resamples <= 0) return;
        var clock = Stopwatch.StartNew();
        // A run on a subsample (RDX's --max-samples) explains those rows, so the resamples are of them: drawn from every
        // row, each rerun took a subsample of its own, which shares about half its rows with the full run's, and every
        // concept read as unstable (0.07–0.35 against 0.53–0.76 on the same rows given as the input).
        using var subsample = full.RowsUsed is { } used ? pair.SelectRows(used) : null;
        var source = subsample ?? pair;
        var options = ForSubsets(OptionsOf(method, full), StabilityResamples.Count(source.N, fraction) / (double)source.N);
        string stage = $"stability of {method.Name} ({resamples} resamples)";
        progress.Report(stage, 0);
        SubsetRun rerun = (method as ISubsetRerun)?.PrepareSubsetRuns(source, options, progress)
            ?? (rows => method.Run(source.SelectRows(rows), options));
        var sums = new Sums(full);
        for (int r = 0; r < resamples; r++)
        {
            var rows = StabilityResamples.Draw(source.N, r, options.Seed, fraction);
            var again = RerunSize.Explained("stability reruns the method", rows.Length, source.N, () => rerun(rows));
            var fullRows = full.InputRows(rows);
            sums.Add(again, _ => fullRows, pair.N);
            progress.Report(stage, (r + 1.0) / resamples);
        }
        sums.Write();
        // Released whether or not the reruns took it (a subsample's reruns, or prepared work that did not fit, do not).
        pair.RerunInputs.Take<object>(method.Name);
        Record(full, resamples, fraction, clock);
    }

    /// <summary>
    /// Before the full run of <paramref name="method"/>: when stability will rerun it, its full run keeps what the reruns
    /// restrict to their rows instead of computing again (<see cref="RerunInputs"/>). Method commands and <see cref="Comparison.Run"/> call it.
    /// </summary>
    public static void Expect(IPairMethod method, RepresentationPair pair, TrustOptions trust)
    {
        if (method is ISubsetRerun && trust.ResamplesFor(method) > 0) pair.RerunInputs.Expect(method.Name);
    }

    /// <summary>
    /// What <paramref name="trust"/> asks of one method's explanation: its stability with the resamples the options give
    /// the method (<see cref="TrustOptions.ResamplesFor"/>), or a note in results.json saying why it was left out.
    /// The one entry point of method commands and <see cref="Comparison.Run"/>.
    /// </summary>
    public static void Measure(IPairMethod method, RepresentationPair pair, Explanation full, TrustOptions trust, IProgress<ProgressUpdate>? progress = null)
    {
        NoteLeftOut(full, trust.StabilityLeftOut(method));
        Measure(method, pair, full, trust.ResamplesFor(method), progress);
    }

    /// <summary>Says in results.json (metrics.stability_note) and the report why a method's stability was not measured.</summary>
    private static void NoteLeftOut(Explanation explanation, string? note)
    {
        if (note is not null) explanation.Metrics[NoteKey] = note;
    }

    /// <summary>The key in an explanation's metrics of why its stability was not measured.</summary>
    public const string NoteKey = "stability_note";

    /// <summary>Why the stability of <paramref name="explanation"/> was not measured, or null when it was or was not asked for.</summary>
    public static string? NoteOf(Explanation explanation) =>
        explanation.Metrics[NoteKey] is System.Text.Json.Nodes.JsonValue note && note.TryGetValue(out string? text) ? text : null;

    /// <summary>The same for a method on two sample sets (FINC): each set is resampled on its own.</summary>
    public static void Measure(ISampleSetMethod method, SampleSets sets, Explanation full, int resamples,
        IProgress<ProgressUpdate>? progress = null, double fraction = StabilityResamples.DefaultFraction)
    {
        if (resamples <= 0) return;
        var clock = Stopwatch.StartNew();
        var options = ForSubsets(OptionsOf(method, full), fraction);
        string stage = $"stability of {method.Name} ({resamples} resamples)";
        progress.Report(stage, 0);
        var sums = new Sums(full);
        int nTest = sets.Test.Rows, nRef = sets.Reference.Rows;
        for (int r = 0; r < resamples; r++)
        {
            // One stream for both sets: a set's resamples are the same whether it is given as TEST or as REF (helper 92).
            var testRows = StabilityResamples.Draw(nTest, r, options.Seed, fraction);
            var refRows = StabilityResamples.Draw(nRef, r, options.Seed, fraction);
            var subsets = new SampleSets(sets.Test.SelectRows(testRows), sets.Reference.SelectRows(refRows)) { NameTest = sets.NameTest, NameRef = sets.NameRef };
            var again = RerunSize.Explained("stability reruns the method", testRows.Length + refRows.Length, nTest + nRef, () => method.Run(subsets, options));
            sums.Add(again, direction => direction.Rows == "ref" ? refRows : testRows, Math.Max(nTest, nRef));
            progress.Report(stage, (r + 1.0) / resamples);
        }
        sums.Write();
        Record(full, resamples, fraction, clock);
    }

    private static MethodOptions OptionsOf(IMethod method, Explanation full)
        => full.ResolvedOptions ?? throw new ArgumentException($"the {method.Name} explanation carries no resolved options; stability needs the run's own");

    /// <summary>
    /// The options reruns take: the full run's, except that a fixed number of members per mode (the spectral
    /// methods' --members) keeps its share of the samples. With m members on n rows and m again on 0.8 n, a mode
    /// found perfectly again would overlap at most 0.8 m / m = 0.8 (its kept members against m new ones), so
    /// stability could never tell a stable mode from a fairly stable one.
    /// </summary>
    private static MethodOptions ForSubsets(MethodOptions options, double share)
        => options is ModeOptions modes ? modes with { Members = Math.Max(1, (int)Math.Round(modes.Members * share)) } : options;

    private static void Record(Explanation full, int resamples, double fraction, Stopwatch clock)
    {
        full.Metrics["stability_resamples"] = resamples;
        full.Metrics["stability_fraction"] = fraction;
        full.Timings["stability"] = clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Σ_r J_r(c) for every concept of the full run, by direction, over the resamples that kept at least one of its
    /// members: one that kept none says nothing about the concept (J would read 0, "not found again", for a one-member
    /// concept whose sample was left out, or an empty concept), so it is not counted, and a concept no resample kept a
    /// member of has no stability (docs/methods/stability.md).
    /// </summary>
    private sealed class Sums(Explanation full)
    {
        private readonly double[][] totals = full.Directions.Select(d => new double[d.Concepts.Count]).ToArray();
        private readonly int[][] counted = full.Directions.Select(d => new int[d.Concepts.Count]).ToArray();

        /// <param name="rowsOf">The full-run rows the resample kept for the rows a direction is about (positions → rows).</param>
        public void Add(Explanation again, Func<Direction, int[]> rowsOf, int n)
        {
            for (int d = 0; d < full.Directions.Count; d++)
            {
                var direction = full.Directions[d];
                var rows = rowsOf(direction);
                var kept = new bool[n];
                foreach (int i in rows) kept[i] = true;
                var candidates = again.Directions.FirstOrDefault(x => x.Name == direction.Name)?.Concepts
                    .Select(c => c.Members.Select(p => rows[p]).ToArray()).ToList() ?? [];
                for (int c = 0; c < direction.Concepts.Count; c++)
                {
                    var members = direction.Concepts[c].Members;
                    if (!members.Any(i => kept[i])) continue;
                    totals[d][c] += StabilityScore.Best(members, kept, candidates);
                    counted[d][c]++;
                }
            }
        }

        public void Write()
        {
            for (int d = 0; d < full.Directions.Count; d++)
                for (int c = 0; c < totals[d].Length; c++)
                    full.Directions[d].Concepts[c].Stability = counted[d][c] == 0 ? null : Math.Round(totals[d][c] / counted[d][c], 4);
        }
    }
}
