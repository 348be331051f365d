using System.Diagnostics;
using RepDiff.Numerics;
using RepDiff.Options;
using RepDiff.Spectral;

namespace RepDiff.Methods.Finc;

/// <summary>
/// FINC (docs/methods/METHODS.md §4): one representation, two sample sets. Eigenmodes of C_test − eta C_ref:
/// positive ones are modes more frequent in TEST (members are rows of TEST), negative ones more frequent
/// in REF (members are rows of REF).
/// </summary>
public sealed class FincMethod : SampleSetMethod<FincOptions>
{
    public override string Name => "finc";
    public override string Description => "FINC: modes more frequent in TEST than in REF and the reverse, in one representation.";
    public override string OutOfMemoryAdvice => "try --route rff with a smaller --rff-dim, or fewer rows";
    public override string StrengthMeaning => "|eigenvalue| of C_test − eta·C_ref (the two sets' kernel covariances) for this mode: how much more of one set it holds; the spectrum above shows every eigenvalue";

    protected override void Validate(SampleSets sets, FincOptions o)
    {
        if (sets.Test.Cols != sets.Reference.Cols)
            throw new RepDiffInputException($"{sets.NameTest} has dimension {sets.Test.Cols} but {sets.NameRef} has {sets.Reference.Cols}; FINC compares two sample sets in one representation");
        if (sets.Test.Rows < 1 || sets.Reference.Rows < 1) throw new RepDiffInputException("FINC needs at least one row in each set");
    }

    protected override IEnumerable<string> Cautions(SampleSets sets, FincOptions o)
    {
        if (o.WasGiven(nameof(o.Sigma)) && o.Sigma is double sigma
            && Bandwidth.Narrow(new StackedRows(sets.Test, sets.Reference), sigma, o.Seed, OptionSpec.FlagOf(nameof(o.Sigma)), $"{sets.NameTest} and {sets.NameRef}") is { } narrow)
            yield return narrow;
        if (o.Route == FincRoute.Rff && o.Omega is null && RandomFourierFeatures.TooFew(o.RffDim, OptionSpec.FlagOf(nameof(o.RffDim))) is { } few)
            yield return few;
    }

    protected override FincOptions Resolve(SampleSets sets, FincOptions o, IProgress<ProgressUpdate>? progress)
    {
        var route = o.Route switch
        {
            FincRoute.Auto when o.Omega is not null => FincRoute.Rff,
            FincRoute.Auto => (long)sets.Test.Rows + sets.Reference.Rows <= FincOptions.AutoExactLimit ? FincRoute.Exact : FincRoute.Rff,
            _ => o.Route,
        };
        double? sigma = o.Omega is null
            ? o.Sigma ?? Bandwidth.Median(new StackedRows(sets.Test, sets.Reference), o.Seed, $"{sets.NameTest} and {sets.NameRef}", nameof(o.Sigma))
            : null;
        if (route == FincRoute.Rff && sigma is { } given) RandomFourierFeatures.CheckSigma(given, nameof(o.Sigma));
        return o with { Route = route, Sigma = sigma };
    }

    protected override Explanation Explain(SampleSets sets, FincOptions options, IProgress<ProgressUpdate>? progress)
    {
        var clock = Stopwatch.StartNew();
        var timings = new Dictionary<string, double>();
        IRowSource test = sets.Test, reference = sets.Reference;
        int nx = test.Rows, ny = reference.Rows;
        double eta = options.Eta;
        double zero = SignedEigen.ZeroThreshold(1 + eta);
        int k = options.Concepts;
        var explanation = new Explanation { N = Math.Max(nx, ny) };
        SignedModes modes;
        ModeMembers testMembers, refMembers;
        IModeFunction function;

        if (options.Route == FincRoute.Exact)
        {
            // Sample-space operator on the pooled sets: eigenpairs of W K (W = diag(1/n_x, −eta/n_y)) via K = L Lᵀ.
            int n = checked(nx + ny);
            // 16 n²: the float64 kernel, which FeatureGram.Solve factors in its own storage, and Θ beside it within the dense solver's
            // limit (n ≤ 400); above that 8 n² is held, and the check stays on the safe side.
            SampleKernels.CheckMemory(n, nameof(options.Route), "rff", SampleKernels.RowBytes(test) + SampleKernels.RowBytes(reference), bytesPerPair: 16);
            var pooled = new StackedRows(test, reference).ReadAll();
            var kernel = DenseMemory.Zeroed((long)n * n);
            // Factored below, so from double distances (SampleKernels.AddGaussianFromDifferences says why).
            SampleKernels.AddGaussianFromDifferences(pooled, options.Sigma!.Value, 1, kernel);
            timings["kernels"] = clock.Lap();
            // A kernel from double distances is semi-definite to double round-off, so the factor starts at FeatureGram's
            // small jitter: the default 1e-10 had itself made eigenvalues of 2.5e-6 (n = 20) to 9e-6 (n = 2) for a set
            // against itself, which read as modes (review 174).
            var solved = SampleSpaceSolve(kernel, nx, ny, eta, k, zero, options.Seed, progress, FeatureGram.Jitter);
            (modes, testMembers, refMembers) = Members(solved, nx, ny, options.Members);
            // The eigenfunction of C_test − eta C_ref: s(x) = Σ_i w_i s_i k(x, x_i) / λ, with w_i s_i what the solver returns.
            double[] values = [.. modes.PositiveValues, .. modes.NegativeValues];
            var coefficients = solved.Positive.Concat(solved.Negative).Select((w, m) => w.Select(x => x / values[m]).ToArray()).ToArray();
            function = new KernelExpansion([new KernelExpansion.Term(0, pooled, KernelKind.Gaussian, options.Sigma, coefficients)]);
            timings["eigen"] = clock.Lap();
        }
        else
        {
            var rff = options.Omega is { } file ? RandomFourierFeatures.Load(file, test.Cols, nameof(options.Omega)) : RandomFourierFeatures.Sample(test.Cols, options.RffDim, options.Sigma!.Value, options.Seed);
            explanation.Artifacts["omega.npy"] = rff.Omega;
            explanation.Metrics["rff_dim"] = rff.Frequencies;
            var map = new FourierFeatures(rff);
            var testBatches = new FeatureBatches([test], [map], options.BatchRows);
            var refBatches = new FeatureBatches([reference], [map], options.BatchRows);
            int d = map.Dim;
            // Given frequencies keep their count; each is a cosine and a sine column.
            var dimension = new FeatureOption(options.Omega is null ? nameof(options.RffDim) : nameof(options.Omega), options.RffDim, options.Omega is null ? FincOptions.MaxRffDim : 0,
                value => options.Omega is null ? (2L * value, 2L * value) : (d, d));
            SampleKernels.CheckFeatureRoute(checked(nx + ny), dimension, ridged: false, factor: true);
            if ((long)nx + ny <= d)
            {
                // Fewer rows than features (as SPEC's feature route): the pooled feature Gram ΦΦᵀ has the nonzero eigenvalues
                // of C_test − eta C_ref, solved as the exact route solves its kernel. The D×D covariance has rank at most
                // nx + ny, and Lanczos spent 90 s on 2 + 2 rows hunting copies of its zero eigenvalue.
                var phi = new FeatureBatches([new StackedRows(test, reference)], [map], options.BatchRows).MapAll()[0];
                var gram = DenseMemory.Zeroed((long)phi.Rows * phi.Rows);
                SampleKernels.AddGram(phi, 1, gram);
                timings["features"] = clock.Lap();
                var solved = SampleSpaceSolve(gram, nx, ny, eta, k, zero, options.Seed, progress, Cholesky.DefaultJitter);
                (modes, testMembers, refMembers) = Members(solved, nx, ny, options.Members);
                // s(x) = Σ_i c_i φ(x)·φ(x_i) = φ(x)·Φᵀc, with c = W L u / λ as on the exact route.
                double[] values = [.. modes.PositiveValues, .. modes.NegativeValues];
                var coefficients = solved.Positive.Concat(solved.Negative).Select((c, m) => c.Select(x => x / values[m]).ToArray()).ToArray();
                var weights = TransposedProduct.Compute(phi, coefficients);
                function = new FeatureExpansion([map], weights);
                timings["eigen"] = clock.Lap();
                return Finish(explanation, modes, testMembers, refMembers, function, nx, ny, options, timings);
            }
            var cx = new CovarianceAccumulator(d);
            var cy = new CovarianceAccumulator(d);
            testBatches.ForEach((f, _) => cx.Add(f), progress, "test covariance");
            refBatches.ForEach((f, _) => cy.Add(f), progress, "reference covariance");
            var lambda = new double[(long)d * d];
            for (long i = 0; i < lambda.LongLength; i++) lambda[i] = cx.Sum[i] / nx - eta * cy.Sum[i] / ny;
            timings["features"] = clock.Lap();
            modes = SignedEigen.Solve(lambda, d, k, zero, options.Seed, progress);
            timings["eigen"] = clock.Lap();
            // Mode scores s = Φ u: positive modes on TEST's rows, negative ones on REF's.
            testMembers = ModeMembers.Score(testBatches, modes.PositiveVectors, Ones(modes.PositiveVectors.Length), options.Members, progress);
            refMembers = ModeMembers.Score(refBatches, modes.NegativeVectors, Ones(modes.NegativeVectors.Length), options.Members, progress);
            function = new FeatureExpansion([map], [.. modes.PositiveVectors, .. modes.NegativeVectors]);
            timings["members"] = clock.Lap();
        }
        return Finish(explanation, modes, testMembers, refMembers, function, nx, ny, options, timings);
    }

    /// <summary>The directions, mode extension, spectrum and metrics of the modes a route found.</summary>
    private static Explanation Finish(Explanation explanation, SignedModes modes, ModeMembers testMembers, ModeMembers refMembers,
        IModeFunction function, int nx, int ny, FincOptions options, Dictionary<string, double> timings)
    {
        explanation.Directions =
        [
            new Direction { Name = DirectionNames.MoreFrequentInTest, Rows = "test", Concepts = testMembers.Concepts(modes.PositiveValues, options.GridSize, 0) },
            new Direction { Name = DirectionNames.MoreFrequentInRef, Rows = "ref", Concepts = refMembers.Concepts(modes.NegativeValues.Select(Math.Abs).ToArray(), options.GridSize, 0) },
        ];
        explanation.Extension = new ModeExtension(function,
            new ModeExtension.Side(DirectionNames.MoreFrequentInTest, 0, testMembers, 0),
            new ModeExtension.Side(DirectionNames.MoreFrequentInRef, modes.PositiveValues.Length, refMembers, 0));
        explanation.Spectrum = modes.Spectrum;
        foreach (var (key, value) in modes.Metrics("finc_diff")) explanation.Metrics[key] = value?.DeepClone();
        explanation.Metrics["test_rows"] = nx;
        explanation.Metrics["ref_rows"] = ny;
        foreach (var (stage, seconds) in timings) explanation.Timings[stage] = seconds;
        return explanation;
    }

    /// <summary>
    /// The exact route's eigenproblem on a pooled kernel K (TEST rows first): with K = L Lᵀ the nonzero
    /// eigenvalues of W K are those of Θ = Lᵀ W L, and a mode's scores on the samples are s = L u.
    /// </summary>
    internal static (SignedModes Modes, ModeMembers Test, ModeMembers Ref) SampleSpaceModes(
        double[] kernel, int nx, int ny, double eta, int k, int members, double zero, int seed, IProgress<ProgressUpdate>? progress)
        => Members(SampleSpaceSolve(kernel, nx, ny, eta, k, zero, seed, progress, Cholesky.DefaultJitter), nx, ny, members);

    /// <summary>The eigenpairs of W K with W = diag(1/n_x, −eta/n_y); Positive and Negative hold W L u per mode (over the pooled rows).</summary>
    private static (SignedModes Modes, double[][] Positive, double[][] Negative, double[] Weights) SampleSpaceSolve(
        double[] kernel, int nx, int ny, double eta, int k, double zero, int seed, IProgress<ProgressUpdate>? progress, double jitter)
    {
        var weights = new double[nx + ny];
        for (int i = 0; i < weights.Length; i++) weights[i] = i < nx ? 1.0 / nx : -eta / ny;
        var (modes, wPos, wNeg) = FeatureGram.Solve(kernel, weights, k, zero, seed, progress, jitter: jitter);
        return (modes, wPos, wNeg, weights);
    }

    private static (SignedModes Modes, ModeMembers Test, ModeMembers Ref) Members(
        (SignedModes Modes, double[][] Positive, double[][] Negative, double[] Weights) solved, int nx, int ny, int members)
    {
        var (modes, wPos, wNeg, weights) = solved;
        // FeatureGram returns W L u; dividing by the weights gives L u.
        var test = new ModeMembers(wPos.Length, members);
        for (int m = 0; m < wPos.Length; m++)
            for (int i = 0; i < nx; i++) test.Add(m, i, wPos[m][i] / weights[i]);
        var reference = new ModeMembers(wNeg.Length, members);
        for (int m = 0; m < wNeg.Length; m++)
            for (int i = 0; i < ny; i++) reference.Add(m, i, wNeg[m][nx + i] / weights[nx + i]);
        return (modes, test, reference);
    }

    private static double[] Ones(int count) => Enumerable.Repeat(1.0, count).ToArray();

    /// <summary>Two row sources of the same dimension read as one: the first's rows, then the second's.</summary>
    private sealed class StackedRows(IRowSource first, IRowSource second) : IRowSource
    {
        public int Rows => checked(first.Rows + second.Rows);
        public int Cols => first.Cols;

        public void ReadRows(int start, int count, Span<float> destination)
        {
            int fromFirst = Math.Clamp(first.Rows - start, 0, count);
            if (fromFirst > 0) first.ReadRows(start, fromFirst, destination[..(fromFirst * Cols)]);
            if (count > fromFirst) second.ReadRows(start + fromFirst - first.Rows, count - fromFirst, destination[(fromFirst * Cols)..]);
        }
    }
}
