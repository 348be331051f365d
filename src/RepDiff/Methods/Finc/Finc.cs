using System.Diagnostics;
using System.Text.Json.Nodes;
using RepDiff.Methods.Spec;
using RepDiff.Numerics;

namespace RepDiff.Methods.Finc;

public enum FincRoute { Auto, Exact, Rff }

/// <summary>Options of FINC (METHODS §4). A null sigma means the median rule on both sets pooled.</summary>
public sealed record FincOptions
{
    public double Eta { get; init; } = 1.0;
    public double? Sigma { get; init; }
    public int RffDim { get; init; } = 3000;

    /// <summary>Shared frequencies (d × r, already divided by σ); override sampling and sigma.</summary>
    public Matrix? Omega { get; init; }

    public int Modes { get; init; } = 10;
    public int Members { get; init; } = 50;
    public int Grid { get; init; } = 9;
    public FincRoute Route { get; init; } = FincRoute.Auto;
    public int BatchRows { get; init; } = 4096;

    /// <summary>Largest n_test + n_ref the automatic route computes with the exact kernel.</summary>
    public const int AutoExactLimit = 3000;
}

/// <summary>A FINC run's explanation plus the shared random Fourier frequencies (null on the exact route).</summary>
public sealed record FincResult(Explanation Explanation, RandomFourierFeatures? Frequencies);

/// <summary>
/// FINC (METHODS §4): one representation, two sample sets. Eigenmodes of C_test − eta C_ref: positive
/// ones are modes more frequent in TEST (members are rows of TEST), negative ones more frequent in REF
/// (members are rows of REF).
/// </summary>
public static class Finc
{
    public static FincResult Compute(IRowSource test, IRowSource reference, FincOptions options, int seed,
        IProgress<ProgressUpdate>? progress = null, string nameTest = "TEST", string nameRef = "REF")
    {
        var total = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        var timings = new Dictionary<string, double>();
        Validate(test, reference, options, nameTest, nameRef);
        int nx = test.Rows, ny = reference.Rows;
        var route = options.Route switch
        {
            FincRoute.Auto when options.Omega is not null => FincRoute.Rff,
            FincRoute.Auto => (long)nx + ny <= FincOptions.AutoExactLimit ? FincRoute.Exact : FincRoute.Rff,
            _ => options.Route,
        };
        double? sigma = options.Omega is null ? options.Sigma ?? Bandwidth.Median(new StackedRows(test, reference), seed, $"{nameTest} and {nameRef}", "--sigma") : null;
        if (sigma is not null) timings["bandwidth"] = Lap(clock);
        double eta = options.Eta;
        double zero = SignedEigen.ZeroThreshold(1 + eta);
        int k = options.Modes;
        SignedModes modes;
        ModeMembers testMembers, refMembers;
        RandomFourierFeatures? rff = null;

        if (route == FincRoute.Exact)
        {
            // Sample-space operator on the pooled sets: eigenpairs of W K (W = diag(1/n_x, −eta/n_y)) via K = L Lᵀ.
            int n = checked(nx + ny);
            SampleKernels.CheckMemory(n, "--route rff");
            var pooled = new StackedRows(test, reference).ReadAll();
            var kernel = DenseMemory.Zeroed((long)n * n);
            SampleKernels.AddGaussian(pooled, sigma!.Value, 1, kernel);
            timings["kernels"] = Lap(clock);
            (modes, testMembers, refMembers) = SampleSpaceModes(kernel, nx, ny, eta, k, options.Members, zero, seed, progress);
            timings["eigen"] = Lap(clock);
        }
        else
        {
            rff = options.Omega is { } omega ? new RandomFourierFeatures(omega) : RandomFourierFeatures.Sample(test.Cols, options.RffDim, sigma!.Value, seed);
            var map = new FourierFeatures(rff);
            var testBatches = new FeatureBatches([test], [map], options.BatchRows);
            var refBatches = new FeatureBatches([reference], [map], options.BatchRows);
            int d = map.Dim;
            SampleKernels.CheckFeatureMemory(d, 3);
            var cx = new CovarianceAccumulator(d);
            var cy = new CovarianceAccumulator(d);
            testBatches.ForEach((f, _) => cx.Add(f), progress, "test covariance");
            refBatches.ForEach((f, _) => cy.Add(f), progress, "reference covariance");
            var lambda = new double[(long)d * d];
            for (long i = 0; i < lambda.LongLength; i++) lambda[i] = cx.Sum[i] / nx - eta * cy.Sum[i] / ny;
            timings["features"] = Lap(clock);
            modes = SignedEigen.Solve(lambda, d, k, zero, seed, progress);
            timings["eigen"] = Lap(clock);
            // Mode scores s = Φ u: positive modes on TEST's rows, negative ones on REF's.
            testMembers = ModeMembers.Score(testBatches, modes.PositiveVectors, Ones(modes.PositiveVectors.Length), options.Members, progress);
            refMembers = ModeMembers.Score(refBatches, modes.NegativeVectors, Ones(modes.NegativeVectors.Length), options.Members, progress);
            timings["members"] = Lap(clock);
        }

        var explanation = new Explanation
        {
            Method = "finc",
            N = Math.Max(nx, ny),
            Parameters = new JsonObject
            {
                ["eta"] = eta,
                ["route"] = route == FincRoute.Exact ? "exact" : "rff",
                ["modes"] = k,
                ["members"] = options.Members,
                ["grid"] = options.Grid,
                ["seed"] = seed,
                ["test_rows"] = nx,
                ["ref_rows"] = ny,
                ["member_rows"] = new JsonObject
                {
                    [DirectionNames.MoreFrequentInTest] = "rows of TEST",
                    [DirectionNames.MoreFrequentInRef] = "rows of REF",
                },
            },
            Directions =
            [
                new Direction { Name = DirectionNames.MoreFrequentInTest, Concepts = testMembers.Concepts(modes.PositiveValues, options.Grid, 0) },
                new Direction { Name = DirectionNames.MoreFrequentInRef, Concepts = refMembers.Concepts(modes.NegativeValues.Select(Math.Abs).ToArray(), options.Grid, 0) },
            ],
            Spectrum = modes.Spectrum,
            Metrics = modes.Metrics("finc_diff"),
        };
        if (sigma is not null) explanation.Parameters["sigma"] = sigma.Value;
        if (rff is not null)
        {
            explanation.Parameters["rff_dim"] = rff.Frequencies;
            explanation.Parameters["omega"] = options.Omega is null ? "sampled" : "given";
        }
        foreach (var (stage, seconds) in timings) explanation.Timings[stage] = seconds;
        explanation.Timings["total"] = total.Elapsed.TotalSeconds;
        return new FincResult(explanation, rff);
    }

    /// <summary>
    /// The exact route's eigenproblem on a pooled kernel K (TEST rows first): with K = L Lᵀ the nonzero
    /// eigenvalues of W K are those of Θ = Lᵀ W L, and a mode's scores on the samples are s = L u.
    /// </summary>
    internal static (SignedModes Modes, ModeMembers Test, ModeMembers Ref) SampleSpaceModes(
        double[] kernel, int nx, int ny, double eta, int k, int members, double zero, int seed, IProgress<ProgressUpdate>? progress)
    {
        var weights = new double[nx + ny];
        for (int i = 0; i < weights.Length; i++) weights[i] = i < nx ? 1.0 / nx : -eta / ny;
        var (modes, wPos, wNeg) = FeatureGram.Solve(kernel, weights, k, zero, seed, progress);
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

    private static void Validate(IRowSource test, IRowSource reference, FincOptions o, string nameTest, string nameRef)
    {
        if (test.Cols != reference.Cols)
            throw new RepDiffInputException($"{nameTest} has dimension {test.Cols} but {nameRef} has {reference.Cols}; FINC compares two sample sets in one representation");
        if (test.Rows < 1 || reference.Rows < 1) throw new RepDiffInputException("FINC needs at least one row in each set");
        if (!(o.Eta > 0) || !double.IsFinite(o.Eta)) throw new RepDiffInputException($"--eta must be a positive number, got {o.Eta}");
        Methods.Spec.Spec.CheckSigma(o.Sigma, "--sigma");
        if (o.Modes < 1) throw new RepDiffInputException($"--modes must be at least 1, got {o.Modes}");
        if (o.Members < 1) throw new RepDiffInputException($"--members must be at least 1, got {o.Members}");
        if (o.Grid < 1) throw new RepDiffInputException($"--grid must be at least 1, got {o.Grid}");
        if (o.RffDim < 1) throw new RepDiffInputException($"--rff-dim must be at least 1, got {o.RffDim}");
        if (o.Omega is not null && o.Route == FincRoute.Exact)
            throw new RepDiffInputException("--omega gives frequencies for the rff route; it cannot be used with --route exact");
        Methods.Spec.Spec.CheckOmega(o.Omega, test.Cols, "--omega", nameTest);
    }

    private static double Lap(Stopwatch clock)
    {
        double s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }

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
