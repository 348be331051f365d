using System.Diagnostics;
using RepDiff.Numerics;

namespace RepDiff.Spectral;

/// <summary>
/// The feature route of the spectral methods (docs/methods/METHODS.md §3): Λ = Φ S Φᵀ / n with
/// Φ = [Φ_1 | Φ_2 | ...] and S = diag(w_1 I, w_2 I, ...). With fewer samples than features it solves the
/// n×n operator; otherwise the (ΣD)² covariance form, streaming the rows once for the covariance and once
/// more to score the members, so memory stays O(batch × D + D²). A ridge (ε I added to the covariance) rules out the n×n
/// operator; with few samples the span of the feature rows (<see cref="RidgedSpan"/>) solves the same ridged problem.
/// </summary>
internal static class FeatureRoute
{
    /// <summary>The progress stage of the n×n operator's features and Gram sums (fewer samples than features).</summary>
    public const string KernelStage = "feature kernel (n×n)";

    /// <summary>The progress stage of the mode functions' weights on the n×n operator's route (the covariance route's is ModeMembers').</summary>
    public const string MembersStage = "mode functions";

    /// <param name="weights">The weight of each feature map's block (SPEC: 1 and −eta).</param>
    /// <param name="ridge">ε added to the covariance's diagonal before factorizing (rules out the n×n operator).</param>
    /// <param name="dimension">The option that sets the feature dimension, named with what fits when the route would not fit.</param>
    /// <param name="allowSpan">False keeps a ridged problem in the covariance form (tests compare the two).</param>
    public static SpectralModes Solve(FeatureBatches batches, double[] weights, double ridge, SignedProblem problem, FeatureOption dimension,
        IProgress<ProgressUpdate>? progress, Dictionary<string, double> timings, bool allowSpan = true)
    {
        var clock = Stopwatch.StartNew();
        int n = batches.Rows, d = batches.Dim;
        SampleKernels.CheckFeatureRoute(n, dimension, ridged: ridge != 0, factor: false);
        if (n <= d && ridge == 0)
        {
            // Fewer samples than features: the n×n operator Φ S Φᵀ / n is the smaller eigenproblem.
            // Shown as progress: at n = 8,000 with the default 2 × 6,000 features this took 20 s before any other line.
            progress.Report(KernelStage, 0);
            var phi = batches.MapAll();
            var lambda = DenseMemory.Zeroed((long)n * n);
            var work = IO.PageAdvice.NewArray<float>((long)n * n);  // one float work matrix for every map's Gram
            for (int k = 0; k < phi.Length; k++)
            {
                SampleKernels.AddGram(phi[k], weights[k] / n, lambda, work);
                progress.Report(KernelStage, (k + 1.0) / phi.Length);
            }
            timings["features"] = clock.Lap();
            var dense = SignedEigen.Solve(lambda, n, problem.Concepts, problem.Zero, problem.Seed, progress);
            timings["eigen"] = clock.Lap();
            double[][] vectors = [.. dense.PositiveVectors, .. dense.NegativeVectors];
            double[] values = [.. dense.PositiveValues, .. dense.NegativeValues];
            // s_k(x) = Σ_t w_t φ_t(x)·Φ_tᵀ v_k / (n λ_k): the eigenfunction whose values on the samples are v_k.
            // Shown as progress: one n × D pass per mode and map, 11.5 s at n = 10,000 without a line.
            progress.Report(MembersStage, 0);
            var featureWeights = new double[vectors.Length][];
            var perMap = new double[phi.Length][][];
            for (int t = 0; t < phi.Length; t++)
            {
                perMap[t] = TransposedProduct.Compute(phi[t], vectors);
                progress.Report(MembersStage, (t + 1.0) / phi.Length);
            }
            for (int k = 0; k < vectors.Length; k++)
                featureWeights[k] = Enumerable.Range(0, phi.Length).SelectMany(t => perMap[t][k].Select(x => x * weights[t] / (n * values[k]))).ToArray();
            var fromVectors = ModeMembers.FromVectors(vectors, problem.Members);
            timings["members"] = clock.Lap();  // the mode functions' weights: seconds at n = 8,000
            return new SpectralModes(dense, fromVectors, new FeatureExpansion(batches.Maps, featureWeights));
        }
        // Cosine features make the route exact, so G gets double products and the small jitter they allow (FeatureGram.Jitter).
        bool exactFeatures = batches.Maps.All(m => m is CosineFeatures);
        double jitter = exactFeatures ? FeatureGram.Jitter : Cholesky.DefaultJitter;
        if (ridge != 0 && allowSpan && RidgedSpan.Takes(n, d, IO.MemoryBudget.WorkLimit()))
        {
            // The ridge keeps the D×D form from reducing to the n×n operator, but not from its span: at n = 60 with the
            // default 2 × 6,000 features the covariance form took 23-37 s and 1.8 GB for a problem of rank 120.
            var found = RidgedSpan.Solve(batches.MapAll(), batches.Maps, weights, ridge, problem, jitter, progress, timings);
            if (found is not null) return found;
            // A large ridge whose degenerate ε s_t is among the modes: only the covariance form builds their eigenvectors.
            SampleKernels.CheckFeatureMemory(d, 3, dimension.Property);
            clock.Restart();
        }
        var gram = batches.MeanGram(progress, inDouble: exactFeatures);
        for (int i = 0; i < d; i++) gram[(long)i * d + i] += ridge;
        timings["features"] = clock.Lap();
        var signs = new double[d];
        for (int block = 0, first = 0; block < weights.Length; first += batches.MapDim(block), block++)
            Array.Fill(signs, weights[block], first, batches.MapDim(block));
        var (modes, wPos, wNeg) = FeatureGram.Solve(gram, signs, problem.Concepts, problem.Zero, problem.Seed, progress, timings,
            jitter);
        timings["eigen"] = clock.Lap();  // includes the Cholesky factorization
        // s = Φ w has norm √n |λ|; dividing gives the unit eigenvector of Λ the exact route reports.
        var scales = modes.PositiveValues.Concat(modes.NegativeValues).Select(l => 1 / (Math.Sqrt(n) * Math.Abs(l))).ToArray();
        var members = ModeMembers.Score(batches, [.. wPos, .. wNeg], scales, problem.Members, progress);
        timings["members"] = clock.Lap();
        double[][] scaled = [.. wPos.Concat(wNeg).Select((w, k) => w.Select(x => x * scales[k]).ToArray())];
        return new SpectralModes(modes, members, new FeatureExpansion(batches.Maps, scaled));
    }
}
