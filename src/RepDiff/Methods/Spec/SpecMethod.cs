using RepDiff.Numerics;
using RepDiff.Options;
using RepDiff.Spectral;
using RepDiff.Trust;

namespace RepDiff.Methods.Spec;

/// <summary>
/// SPEC (docs/methods/METHODS.md §3): eigenmodes of Λ = (K_A − eta K_B)/n. Positive eigenvalues are
/// groups A clusters more strongly than B (more_similar_in_a), negative ones the reverse; SPEC-diff is
/// the spectral radius. The feature routes read the rows in batches, so a memory-mapped pair is never
/// held whole.
/// </summary>
public sealed class SpecMethod : PairMethod<SpecOptions>, ISubsetRerun
{
    public override string Name => "spec";
    public override string Description => "SPEC: eigenmodes of the kernel difference (K_A − eta K_B)/n; groups one representation clusters more than the other.";
    public override string OutOfMemoryAdvice => "try --route rff with a smaller --rff-dim (the Gaussian kernel), or fewer rows";
    public override string StrengthMeaning => "|eigenvalue| of the kernel difference (K_A − eta·K_B)/n for this mode: how much more strongly one model clusters it; the spectrum above shows every eigenvalue";

    protected override void CheckCount(int n, SpecOptions o)
    {
        if (n < 2) throw new InvalidOptionException(InvalidOptionException.NoOption, $"SPEC needs at least 2 samples; there is {n}");
    }

    protected override void Validate(RepresentationPair pair, SpecOptions o)
    {
        if (o.Kernel != KernelKind.Gaussian && o.Route == SpecRoute.Rff)
            throw new InvalidOptionException(nameof(o.Route), "random Fourier features belong to the Gaussian kernel, not the cosine kernel");
    }

    protected override IEnumerable<string> Cautions(RepresentationPair pair, SpecOptions o)
    {
        if (o.Kernel != KernelKind.Gaussian) yield break;
        foreach (string narrow in Bandwidth.NarrowGiven(pair, o, o.SigmaA, o.SigmaB, o.Seed, nameof(o.SigmaA), nameof(o.SigmaB)))
            yield return narrow;
        if (o.Route == SpecRoute.Rff && (o.OmegaA is null || o.OmegaB is null) && RandomFourierFeatures.TooFew(o.RffDim, OptionSpec.FlagOf(nameof(o.RffDim))) is { } few)
            yield return few;
    }

    protected override SpecOptions Resolve(RepresentationPair pair, SpecOptions o, IProgress<ProgressUpdate>? progress)
    {
        var route = ResolvedRoute(o, pair.N);
        bool gaussian = o.Kernel == KernelKind.Gaussian;
        bool exact = route == SpecRoute.Exact;
        double? sigmaA = gaussian && (exact || o.OmegaA is null) ? o.SigmaA ?? Bandwidth.MedianOfA(pair, o.Seed, nameof(o.SigmaA)) : null;
        double? sigmaB = gaussian && (exact || o.OmegaB is null) ? o.SigmaB ?? Bandwidth.MedianOfB(pair, o.Seed, nameof(o.SigmaB)) : null;
        if (!exact && sigmaA is { } sa) RandomFourierFeatures.CheckSigma(sa, nameof(o.SigmaA));
        if (!exact && sigmaB is { } sb) RandomFourierFeatures.CheckSigma(sb, nameof(o.SigmaB));
        // The feature route's memory, checked here as well as in the run: compare prepares every method before running any,
        // so 100,000 rows named SPEC's --rff-dim only after refusing RDX, in a second run (helper 108). Frequency files set
        // their own count, known once they are read: the run checks those.
        if (!exact && o.OmegaA is null && o.OmegaB is null)
            SampleKernels.CheckFeatureRoute(pair.N, gaussian ? RffDimension(o, _ => null) : CosineDimension(pair.RowsA.Cols, pair.RowsB.Cols),
                ridged: o.CovarianceRidge != 0, factor: false);
        return o with { Route = route, SigmaA = sigmaA, SigmaB = sigmaB };
    }

    protected override Explanation Explain(RepresentationPair pair, SpecOptions options, IProgress<ProgressUpdate>? progress)
    {
        var timings = new Dictionary<string, double>();
        IRowSource a = pair.RowsA, b = pair.RowsB;
        double eta = options.Eta;
        var problem = Problem(options);
        var explanation = new Explanation();
        SpectralModes found;
        if (options.Route == SpecRoute.Exact)
        {
            found = ExactRoute.Solve(ExactKernels(a, b, pair.NameA, pair.NameB, options), problem, nameof(options.Route), "rff", progress, timings,
                keep: lambda => pair.RerunInputs.Keep(Name, new KernelDifference(lambda, KernelOf(options))));
        }
        else
        {
            IFeatureMap mapA, mapB;
            FeatureOption dimension;
            if (options.Kernel == KernelKind.Gaussian)
            {
                var rffA = Frequencies(options.OmegaA, nameof(options.OmegaA), a, options.RffDim, options.SigmaA, options.Seed);
                var rffB = Frequencies(options.OmegaB, nameof(options.OmegaB), b, options.RffDim, options.SigmaB, options.Seed + 1);
                (mapA, mapB) = (new FourierFeatures(rffA), new FourierFeatures(rffB));
                dimension = RffDimension(options, side => side == 0 ? rffA.Frequencies : rffB.Frequencies);
                explanation.Artifacts["omega_a.npy"] = rffA.Omega;
                explanation.Artifacts["omega_b.npy"] = rffB.Omega;
                explanation.Metrics["rff_dim_a"] = rffA.Frequencies;
                explanation.Metrics["rff_dim_b"] = rffB.Frequencies;
            }
            else
            {
                (mapA, mapB) = (new CosineFeatures(a.Cols, pair.NameA), new CosineFeatures(b.Cols, pair.NameB));
                dimension = CosineDimension(a.Cols, b.Cols);
            }
            var batches = new FeatureBatches([a, b], [mapA, mapB], options.BatchRows);
            found = FeatureRoute.Solve(batches, [1.0, -eta], options.CovarianceRidge, problem, dimension, progress, timings);
        }
        Describe(found, options, explanation);
        foreach (var (stage, seconds) in timings) explanation.Timings[stage] = seconds;
        return explanation;
    }

    /// <summary>
    /// The Gaussian kernel's feature count as --rff-dim sets it. A side given frequencies keeps their count
    /// (<paramref name="fileFrequencies"/> of side 0 or 1), whatever --rff-dim says; each frequency is a cosine and a sine column.
    /// </summary>
    private static FeatureOption RffDimension(SpecOptions options, Func<int, int?> fileFrequencies)
    {
        (long Features, long Widest) Columns(int value)
        {
            long fa = options.OmegaA is null ? value : fileFrequencies(0) ?? value, fb = options.OmegaB is null ? value : fileFrequencies(1) ?? value;
            return (2 * (fa + fb), 2 * Math.Max(fa, fb));
        }
        // With both frequency files the files set the features: the refusal names them, not --rff-dim, which is not read.
        bool filesOnly = options.OmegaA is not null && options.OmegaB is not null;
        return new FeatureOption(filesOnly ? nameof(options.OmegaA) : nameof(options.RffDim), options.RffDim, filesOnly ? 0 : SpecOptions.MaxRffDim, Columns);
    }

    /// <summary>The cosine kernel's features are the inputs' dimensions: no option sets them (--rff-dim is not read), so none is offered.</summary>
    private static FeatureOption CosineDimension(int colsA, int colsB) =>
        new(nameof(SpecOptions.Route), colsA + colsB, 0, _ => ((long)colsA + colsB, Math.Max(colsA, colsB)));

    /// <summary>Reruns on subsets of the exact route restrict the full run's kernel difference instead of recomputing it.</summary>
    SubsetRun? ISubsetRerun.PrepareSubsetRuns(RepresentationPair pair, MethodOptions resolved, IProgress<ProgressUpdate>? progress)
    {
        var options = MethodTemplate.Cast<SpecOptions>(this, resolved);
        int n = pair.N;
        var kept = pair.RerunInputs.Take<KernelDifference>(Name);
        if (options.Route != SpecRoute.Exact || 2 * SampleKernels.Bytes(n) > IO.MemoryBudget.WorkLimit()) return null;
        var lambda = kept is not null && kept.Kernel == KernelOf(options) && kept.Lambda.LongLength == (long)n * n ? kept.Lambda
            : ExactRoute.Operator(ExactKernels(pair.RowsA, pair.RowsB, pair.NameA, pair.NameB, options), progress);
        return rows =>
        {
            var found = ExactRoute.Solve(ExactRoute.Restrict(lambda, n, rows, (double)n / rows.Length), rows.Length, Problem(options), null);
            var explanation = new Explanation { N = rows.Length };
            Describe(found, options, explanation);
            return explanation;
        };
    }

    /// <summary>What Λ on the exact route is built from besides the rows: the kernel, its bandwidths and eta.</summary>
    private static (KernelKind Kernel, double? SigmaA, double? SigmaB, double Eta) KernelOf(SpecOptions options)
        => (options.Kernel, options.SigmaA, options.SigmaB, options.Eta);

    /// <summary>The full run's Λ on the exact route, kept for stability's reruns to restrict (<see cref="RerunInputs"/>).</summary>
    internal sealed record KernelDifference(double[] Lambda, (KernelKind Kernel, double? SigmaA, double? SigmaB, double Eta) Kernel);

    /// <summary>The two terms of Λ = (K_A − eta K_B)/n on the exact route.</summary>
    private static WeightedKernel[] ExactKernels(IRowSource a, IRowSource b, string nameA, string nameB, SpecOptions options)
    {
        int n = a.Rows;
        double eta = options.Eta;
        return options.Kernel == KernelKind.Gaussian
            ? [new WeightedKernel(a, KernelKind.Gaussian, options.SigmaA, 1.0 / n, nameA), new WeightedKernel(b, KernelKind.Gaussian, options.SigmaB, -eta / n, nameB)]
            : [new WeightedKernel(a, KernelKind.Cosine, null, 1.0 / n, nameA), new WeightedKernel(b, KernelKind.Cosine, null, -eta / n, nameB)];
    }

    // Kernels are bounded by 1 and divided by n, so ‖Λ‖ ≤ 1 + eta.
    private static SignedProblem Problem(SpecOptions options)
        => new(options.Concepts, options.Members, SignedEigen.ZeroThreshold(1 + options.Eta), options.Seed);

    /// <summary>Positive modes explain A, negative ones B; the spectrum and SPEC-diff go to the metrics.</summary>
    private static void Describe(SpectralModes found, SpecOptions options, Explanation explanation)
    {
        var modes = found.Modes;
        explanation.Directions =
        [
            new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = found.Members.Concepts(modes.PositiveValues, options.GridSize, 0) },
            new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts = found.Members.Concepts(modes.NegativeValues.Select(Math.Abs).ToArray(), options.GridSize, modes.PositiveValues.Length) },
        ];
        int positive = modes.PositiveValues.Length;
        if (found.Function is not null)
            explanation.Extension = new ModeExtension(found.Function,
                new ModeExtension.Side(DirectionNames.MoreSimilarInA, 0, found.Members, 0, Input: 0),
                new ModeExtension.Side(DirectionNames.MoreSimilarInB, positive, found.Members, positive, Input: 1));
        explanation.Spectrum = modes.Spectrum;
        foreach (var (key, value) in modes.Metrics("spec_diff")) explanation.Metrics[key] = value?.DeepClone();
    }

    /// <summary>The route a run with these options takes on n samples (Auto resolved; Features becomes Rff for the Gaussian kernel).</summary>
    public static SpecRoute ResolvedRoute(SpecOptions o, int n)
    {
        bool gaussian = o.Kernel == KernelKind.Gaussian;
        bool omega = o.OmegaA is not null || o.OmegaB is not null;
        return o.Route switch
        {
            SpecRoute.Auto when omega => SpecRoute.Rff,
            SpecRoute.Auto => n <= SpecOptions.AutoExactLimit ? SpecRoute.Exact : gaussian ? SpecRoute.Rff : SpecRoute.Features,
            SpecRoute.Features => gaussian ? SpecRoute.Rff : SpecRoute.Features,
            _ => o.Route,
        };
    }

    /// <summary>Frequencies read from a file when given, else sampled for the bandwidth.</summary>
    private static RandomFourierFeatures Frequencies(string? file, string property, IRowSource rows, int count, double? sigma, int seed)
        => file is not null ? RandomFourierFeatures.Load(file, rows.Cols, property) : RandomFourierFeatures.Sample(rows.Cols, count, sigma!.Value, seed);
}
