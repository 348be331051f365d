using System.Diagnostics;
using System.Text.Json.Nodes;
using RepDiff.Numerics;

namespace RepDiff.Methods.Spec;

/// <summary>A SPEC run's explanation plus the random Fourier frequencies it used (null on other routes).</summary>
public sealed record SpecResult(Explanation Explanation, RandomFourierFeatures? FrequenciesA, RandomFourierFeatures? FrequenciesB);

/// <summary>
/// SPEC (METHODS §3): eigenmodes of Λ = (K_A − eta K_B)/n. Positive eigenvalues are groups A clusters
/// more strongly than B (more_similar_in_a), negative ones the reverse; SPEC-diff is the spectral radius.
/// </summary>
public static class Spec
{
    public static Explanation Run(RepresentationPair pair, SpecOptions options, int seed, IProgress<ProgressUpdate>? progress = null)
        => Compute(pair.A, pair.B, options, seed, progress).Explanation;

    /// <summary>Runs SPEC on two row sources of the same samples; the streaming route never holds them whole.</summary>
    public static SpecResult Compute(IRowSource a, IRowSource b, SpecOptions options, int seed, IProgress<ProgressUpdate>? progress = null,
        string nameA = "A", string nameB = "B")
    {
        var total = Stopwatch.StartNew();
        var timings = new Dictionary<string, double>();
        Validate(a, b, options, nameA, nameB);
        int n = a.Rows;
        var route = ResolvedRoute(options, n);
        bool gaussian = options.Kernel == SpecKernel.Gaussian;

        var clock = Stopwatch.StartNew();
        double? sigmaA = null, sigmaB = null;
        if (gaussian && (route == SpecRoute.Exact || options.OmegaA is null)) sigmaA = options.SigmaA ?? Bandwidth.Median(a, seed, nameA, "--sigma-a");
        if (gaussian && (route == SpecRoute.Exact || options.OmegaB is null)) sigmaB = options.SigmaB ?? Bandwidth.Median(b, seed + 1, nameB, "--sigma-b");
        if (sigmaA is not null || sigmaB is not null) timings["bandwidth"] = Lap(clock);

        double eta = options.Eta;
        double zero = SignedEigen.ZeroThreshold(1 + eta);  // kernels are bounded by 1 and divided by n, so ‖Λ‖ ≤ 1 + eta
        int k = options.Modes;
        SignedModes modes;
        ModeMembers members;  // positive modes first, then negative ones
        RandomFourierFeatures? rffA = null, rffB = null;

        if (route == SpecRoute.Exact)
        {
            SampleKernels.CheckMemory(n, gaussian ? "--route rff" : "--route features");
            var lambda = DenseMemory.Zeroed((long)n * n);
            progress.Report("kernels", 0);
            if (gaussian)
            {
                SampleKernels.AddGaussian(a.ReadAll(), sigmaA!.Value, 1.0 / n, lambda);
                progress.Report("kernels", 0.5);
                SampleKernels.AddGaussian(b.ReadAll(), sigmaB!.Value, -eta / n, lambda);
            }
            else
            {
                var batches = new FeatureBatches([a, b], [new CosineFeatures(a.Cols, nameA), new CosineFeatures(b.Cols, nameB)], n);
                var phi = batches.MapAll();
                SampleKernels.AddGram(phi[0], 1.0 / n, lambda);
                SampleKernels.AddGram(phi[1], -eta / n, lambda);
            }
            progress.Report("kernels", 1);
            timings["kernels"] = Lap(clock);
            modes = SignedEigen.Solve(lambda, n, k, zero, seed, progress);
            timings["eigen"] = Lap(clock);
            members = ModeMembers.FromVectors([.. modes.PositiveVectors, .. modes.NegativeVectors], options.Members);
        }
        else
        {
            IFeatureMap mapA, mapB;
            if (gaussian)
            {
                rffA = options.OmegaA is { } oa ? new RandomFourierFeatures(oa) : RandomFourierFeatures.Sample(a.Cols, options.RffDim, sigmaA!.Value, seed);
                rffB = options.OmegaB is { } ob ? new RandomFourierFeatures(ob) : RandomFourierFeatures.Sample(b.Cols, options.RffDim, sigmaB!.Value, seed + 1);
                (mapA, mapB) = (new FourierFeatures(rffA), new FourierFeatures(rffB));
            }
            else
            {
                (mapA, mapB) = (new CosineFeatures(a.Cols, nameA), new CosineFeatures(b.Cols, nameB));
            }
            var batches = new FeatureBatches([a, b], [mapA, mapB], options.BatchRows);
            int d = batches.Dim;
            if (n <= d && options.CovarianceRidge == 0)
            {
                // Fewer samples than features: the n×n operator Φ S Φᵀ / n is the smaller eigenproblem.
                SampleKernels.CheckMemory(n, "fewer random features (--rff-dim)");
                var phi = batches.MapAll();
                var lambda = DenseMemory.Zeroed((long)n * n);
                SampleKernels.AddGram(phi[0], 1.0 / n, lambda);
                SampleKernels.AddGram(phi[1], -eta / n, lambda);
                timings["features"] = Lap(clock);
                modes = SignedEigen.Solve(lambda, n, k, zero, seed, progress);
                timings["eigen"] = Lap(clock);
                members = ModeMembers.FromVectors([.. modes.PositiveVectors, .. modes.NegativeVectors], options.Members);
            }
            else
            {
                SampleKernels.CheckFeatureMemory(d, 3);
                var covariance = new CovarianceAccumulator(d);
                batches.ForEach((features, _) => covariance.Add(features), progress, "feature covariance");
                var gram = covariance.Sum;
                System.Numerics.Tensors.TensorPrimitives.Divide(gram, (double)n, gram);
                for (int i = 0; i < d; i++) gram[(long)i * d + i] += options.CovarianceRidge;
                timings["features"] = Lap(clock);
                var signs = new double[d];
                for (int i = 0; i < d; i++) signs[i] = i < mapA.Dim ? 1 : -eta;
                var (found, wPos, wNeg) = FeatureGram.Solve(gram, signs, k, zero, seed, progress, timings);
                modes = found;
                timings["eigen"] = Lap(clock);  // includes the Cholesky factorization
                // s = Φ w has norm √n |λ|; dividing gives the unit eigenvector of Λ the exact route reports.
                var scales = modes.PositiveValues.Concat(modes.NegativeValues).Select(l => 1 / (Math.Sqrt(n) * Math.Abs(l))).ToArray();
                members = ModeMembers.Score(batches, [.. wPos, .. wNeg], scales, options.Members, progress);
                timings["members"] = Lap(clock);
            }
        }

        var explanation = new Explanation
        {
            Method = "spec",
            N = n,
            Parameters = new JsonObject
            {
                ["kernel"] = gaussian ? "gaussian" : "cosine",
                ["eta"] = eta,
                ["route"] = RouteName(route, gaussian),
                ["modes"] = k,
                ["members"] = options.Members,
                ["grid"] = options.Grid,
                ["seed"] = seed,
            },
            Directions =
            [
                new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = members.Concepts(modes.PositiveValues, options.Grid, 0) },
                new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts = members.Concepts(modes.NegativeValues.Select(Math.Abs).ToArray(), options.Grid, modes.PositiveValues.Length) },
            ],
            Spectrum = modes.Spectrum,
            Metrics = modes.Metrics("spec_diff"),
        };
        if (options.CovarianceRidge > 0) explanation.Parameters["covariance_ridge"] = options.CovarianceRidge;
        if (sigmaA is not null) explanation.Parameters["sigma_a"] = sigmaA.Value;
        if (sigmaB is not null) explanation.Parameters["sigma_b"] = sigmaB.Value;
        if (rffA is not null)
        {
            explanation.Parameters["rff_dim_a"] = rffA.Frequencies;
            explanation.Parameters["rff_dim_b"] = rffB!.Frequencies;
            explanation.Parameters["omega_a"] = options.OmegaA is null ? "sampled" : "given";
            explanation.Parameters["omega_b"] = options.OmegaB is null ? "sampled" : "given";
        }
        foreach (var (stage, seconds) in timings) explanation.Timings[stage] = seconds;
        explanation.Timings["total"] = total.Elapsed.TotalSeconds;
        return new SpecResult(explanation, rffA, rffB);
    }

    internal static string RouteName(SpecRoute route, bool gaussian) => route switch
    {
        SpecRoute.Exact => "exact",
        _ => gaussian ? "rff" : "features",
    };

    /// <summary>The route a run with these options takes on n samples (Auto resolved; Features becomes Rff for the Gaussian kernel).</summary>
    public static SpecRoute ResolvedRoute(SpecOptions o, int n)
    {
        bool gaussian = o.Kernel == SpecKernel.Gaussian;
        bool omega = o.OmegaA is not null || o.OmegaB is not null;
        return o.Route switch
        {
            SpecRoute.Auto when omega => SpecRoute.Rff,
            SpecRoute.Auto => n <= SpecOptions.AutoExactLimit ? SpecRoute.Exact : gaussian ? SpecRoute.Rff : SpecRoute.Features,
            SpecRoute.Features => gaussian ? SpecRoute.Rff : SpecRoute.Features,
            _ => o.Route,
        };
    }

    private static void Validate(IRowSource a, IRowSource b, SpecOptions o, string nameA, string nameB)
    {
        if (a.Rows != b.Rows)
            throw new RepDiffInputException($"{nameA} has {a.Rows} rows but {nameB} has {b.Rows}; both must hold the same samples in the same order");
        if (a.Rows < 2) throw new RepDiffInputException($"SPEC needs at least 2 samples; {nameA} has {a.Rows}");
        if (!(o.Eta > 0) || !double.IsFinite(o.Eta)) throw new RepDiffInputException($"--eta must be a positive number, got {o.Eta}");
        CheckSigma(o.SigmaA, "--sigma-a");
        CheckSigma(o.SigmaB, "--sigma-b");
        if (o.Modes < 1) throw new RepDiffInputException($"--modes must be at least 1, got {o.Modes}");
        if (o.Members < 1) throw new RepDiffInputException($"--members must be at least 1, got {o.Members}");
        if (o.Grid < 1) throw new RepDiffInputException($"--grid must be at least 1, got {o.Grid}");
        if (o.RffDim < 1) throw new RepDiffInputException($"--rff-dim must be at least 1, got {o.RffDim}");
        if (!(o.CovarianceRidge >= 0) || !double.IsFinite(o.CovarianceRidge))
            throw new RepDiffInputException($"--covariance-ridge must be a non-negative number, got {o.CovarianceRidge}");
        bool omega = o.OmegaA is not null || o.OmegaB is not null;
        if (o.Kernel == SpecKernel.Cosine && (o.Route == SpecRoute.Rff || omega))
            throw new RepDiffInputException("random Fourier features (--route rff, --omega-a/--omega-b) belong to the Gaussian kernel, not --kernel cosine");
        if (omega && o.Route == SpecRoute.Exact)
            throw new RepDiffInputException("--omega-a/--omega-b give frequencies for the rff route; they cannot be used with --route exact");
        CheckOmega(o.OmegaA, a.Cols, "--omega-a", nameA);
        CheckOmega(o.OmegaB, b.Cols, "--omega-b", nameB);
    }

    internal static void CheckSigma(double? sigma, string option)
    {
        if (sigma is { } s && !(s > 0 && double.IsFinite(s)))
            throw new RepDiffInputException($"{option} must be a positive bandwidth, got {s}");
    }

    internal static void CheckOmega(Matrix? omega, int dim, string option, string name)
    {
        if (omega is not null && omega.Rows != dim)
            throw new RepDiffInputException($"{option} has {omega.Rows} rows but {name} has dimension {dim}; frequencies must be d × r");
    }

    private static double Lap(Stopwatch clock)
    {
        double s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }
}
