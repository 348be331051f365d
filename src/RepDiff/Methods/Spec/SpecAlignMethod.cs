using System.Text.Json.Nodes;
using RepDiff.Options;
using RepDiff.Spectral;

namespace RepDiff.Methods.Spec;

/// <summary>
/// SPEC-align as a method: learns the head W on B (<see cref="SpecAlign"/>), then explains what still
/// differs between A and the aligned B W with SPEC's cosine kernel. Writes W and B W beside results.json.
/// </summary>
public sealed class SpecAlignMethod : PairMethod<SpecAlignOptions>
{
    public override string Name => "spec-align";
    public override string Description => "SPEC-align: learn W (d_B × d_B, from the identity) minimizing SPEC-diff(A, B W) with the cosine kernel, then show what still differs.";
    public override string StrengthMeaning => "|eigenvalue| of the kernel difference (K_A − eta·K_B)/n for this mode: how much more strongly one model clusters it; the spectrum above shows every eigenvalue";

    /// <summary>It learns a map rather than explaining the pair as given, so compare runs it only when named.</summary>
    public override bool InCompareByDefault => false;

    /// <summary>
    /// What the alignment achieved, from a run's metrics, for the terminal and the report: SPEC-diff on the held-out rows
    /// before and after W, and whether W was kept at the identity; null for another method's metrics. The report had shown
    /// neither number, and the terminal had listed them beside `spec_diff` (of A and B·W on every row) as if all three were one measure.
    /// </summary>
    public static string? AlignmentSentence(JsonObject metrics, string nameA, string nameB)
    {
        if (metrics["spec_diff_before"] is not JsonValue before || metrics["spec_diff_after"] is not JsonValue after) return null;
        int rows = metrics["held_out_rows"]?.GetValue<int>() ?? 0;
        bool kept = metrics["w_kept_identity"]?.GetValue<bool>() == true;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"aligning {nameB} to {nameA}: SPEC-diff on the {rows:N0} held-out rows {before.GetValue<double>():G4} before W, {after.GetValue<double>():G4} after (B·W)")
            + (kept ? " (W did not lower it there, so W is the identity: B as given)" : "")
            + "; the concepts are what still differs between A and B·W";
    }

    protected override void CheckCount(int n, SpecAlignOptions options)
    {
        // An option error, as SPEC's is, so a rerun's smaller sample says which rerun (stability, validation) it is.
        // No option lowers it: W is trained on some rows and judged on the others held out.
        if (n < MinSamples) throw new InvalidOptionException(InvalidOptionException.NoOption, $"SPEC-align needs at least {MinSamples} samples, to train W on some and judge it on the rest; there are {n}");
    }

    /// <summary>The fewest samples SPEC-align runs on; W trained on fewer rows than this is cautioned.</summary>
    private const int MinSamples = 8;

    protected override IEnumerable<string> Cautions(RepresentationPair pair, SpecAlignOptions o)
    {
        int training = SpecAlign.TrainingRows(pair.N, o.HoldoutFraction);
        if (training < MinSamples)
            yield return $"{OptionSpec.FlagOf(nameof(o.HoldoutFraction))} {o.HoldoutFraction:G3} leaves {training} of {pair.N} rows to train W on, fewer than the "
                + $"{MinSamples} SPEC-align needs for a run: W is fit to {(training == 1 ? "one row" : $"{training} rows")}, so the held-out SPEC-diff says little; use a smaller fraction or more samples";
    }

    protected override void Validate(RepresentationPair pair, SpecAlignOptions options)
    {
        // Here as well as in the fit, so that compare refuses a zero row before any method runs, not after them.
        SpecAlign.CheckRows(pair.A, pair.NameA);
        SpecAlign.CheckRows(pair.B, pair.NameB);
        SpecAlign.CheckMemory(pair.N, pair.A.Cols, pair.B.Cols, options.BatchSize, pair.NameB);
        SpecAlign.CheckWork(pair.N, pair.B.Cols, options.BatchSize, options.Steps, pair.NameB);
    }

    protected override Explanation Explain(RepresentationPair pair, SpecAlignOptions options, IProgress<ProgressUpdate>? progress)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var fit = SpecAlign.Fit(pair.A, pair.B, options, progress, pair.NameA, pair.NameB);
        double aligning = clock.Elapsed.TotalSeconds;  // most of the run: its own stage, as SPEC's stages are
        var remaining = new SpecMethod().Run(new RepresentationPair(pair.A, fit.AlignedB, pair.Samples) { NameA = pair.NameA, NameB = pair.NameB + " · W" },
            new SpecOptions { Kernel = KernelKind.Cosine, Eta = options.Eta, Concepts = options.Concepts, Members = options.Members, GridSize = options.GridSize, Seed = options.Seed },
            progress);
        var explanation = new Explanation { Directions = remaining.Directions, Spectrum = remaining.Spectrum, Metrics = remaining.Metrics };
        explanation.Metrics["spec_diff_before"] = fit.SpecDiffBefore;
        explanation.Metrics["spec_diff_after"] = fit.SpecDiffAfter;
        explanation.Metrics["held_out_rows"] = fit.HeldOutRows;
        explanation.Metrics["held_out_indices"] = new JsonArray(fit.HeldOut.Select(i => (JsonNode)i).ToArray());
        explanation.Metrics["w_kept_identity"] = fit.KeptIdentity;
        explanation.Artifacts["w.npy"] = fit.W;
        explanation.Artifacts["aligned_b.npy"] = fit.AlignedB;
        explanation.Timings["aligning"] = aligning;
        foreach (var (stage, seconds) in remaining.Timings) explanation.Timings["spec " + stage] = seconds;
        return explanation;
    }
}
