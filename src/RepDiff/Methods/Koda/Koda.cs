using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using RepDiff.Methods.Spec;
using RepDiff.Numerics;

namespace RepDiff.Methods.Koda;

/// <summary>Options of KODA (METHODS §5). A null epsilon means the median nonzero eigenvalue of the constraining kernel.</summary>
public sealed record KodaOptions
{
    public SpecKernel Kernel { get; init; } = SpecKernel.Gaussian;
    public double? SigmaA { get; init; }
    public double? SigmaB { get; init; }
    public double? Epsilon { get; init; }
    public int Modes { get; init; } = 10;
    public int Members { get; init; } = 50;
    public int Grid { get; init; } = 9;

    /// <summary>Most bisection halvings of the bracket for λ.</summary>
    public int BisectionSteps { get; init; } = 20;

    /// <summary>Bisection stops once the bracket is this fraction of λ wide (λ to 0.1%: each step is an eigensolve).</summary>
    public double LambdaTolerance { get; init; } = 1e-3;
}

/// <summary>
/// KODA (METHODS §5), exact route: for `more_similar_in_a`, maximize xᵀK_A x subject to xᵀK_B x ≤ ε,
/// ‖x‖ = 1 (kernels / n). x_λ = top eigenvector of K_A − λ K_B; g(λ) = x_λᵀ K_B x_λ does not increase
/// with λ; the answer is x_λ at the smallest λ with g(λ) ≤ ε, found by bisection. Further modes are
/// orthogonal to the earlier ones (K ← P K P). `more_similar_in_b` swaps A and B.
/// </summary>
public static class Koda
{
    public static Explanation Run(RepresentationPair pair, KodaOptions options, int seed, IProgress<ProgressUpdate>? progress = null)
    {
        var total = Stopwatch.StartNew();
        int n = pair.N;
        Validate(pair, options);
        SampleKernels.CheckMemory(n, "SPEC's --route rff (KODA has no feature route in RepDiff yet)");
        bool gaussian = options.Kernel == SpecKernel.Gaussian;
        double? sigmaA = gaussian ? options.SigmaA ?? Bandwidth.Median(pair.A, seed, pair.NameA, "--sigma-a") : null;
        double? sigmaB = gaussian ? options.SigmaB ?? Bandwidth.Median(pair.B, seed + 1, pair.NameB, "--sigma-b") : null;
        var ka = Kernel(pair.A, sigmaA, n, "A");
        var kb = Kernel(pair.B, sigmaB, n, "B");
        double epsA = options.Epsilon ?? MedianNonzeroEigenvalue(kb, n);  // direction a constrains B's kernel
        double epsB = options.Epsilon ?? MedianNonzeroEigenvalue(ka, n);
        var (conceptsA, lambdasA) = Direction(ka, kb, n, epsA, options, seed, progress, "modes (A)");
        var (conceptsB, lambdasB) = Direction(kb, ka, n, epsB, options, seed, progress, "modes (B)");
        var explanation = new Explanation
        {
            Method = "koda",
            N = n,
            Parameters = new JsonObject
            {
                ["kernel"] = gaussian ? "gaussian" : "cosine",
                ["route"] = "exact",
                ["epsilon_a"] = epsA,
                ["epsilon_b"] = epsB,
                ["epsilon_rule"] = options.Epsilon is null ? "median nonzero eigenvalue of the constraining kernel / n" : "given",
                ["modes"] = options.Modes,
                ["members"] = options.Members,
                ["grid"] = options.Grid,
                ["bisection_steps"] = options.BisectionSteps,
                ["lambda_tolerance"] = options.LambdaTolerance,
                ["seed"] = seed,
            },
            Directions =
            [
                new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = conceptsA },
                new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts = conceptsB },
            ],
            Metrics = new JsonObject
            {
                ["koda_lambda"] = new JsonObject
                {
                    [DirectionNames.MoreSimilarInA] = new JsonArray(lambdasA.Select(l => (JsonNode)l).ToArray()),
                    [DirectionNames.MoreSimilarInB] = new JsonArray(lambdasB.Select(l => (JsonNode)l).ToArray()),
                },
            },
        };
        if (sigmaA is not null) explanation.Parameters["sigma_a"] = sigmaA.Value;
        if (sigmaB is not null) explanation.Parameters["sigma_b"] = sigmaB.Value;
        explanation.Timings["total"] = total.Elapsed.TotalSeconds;
        return explanation;
    }

    /// <summary>
    /// One constrained mode: the unit x maximizing xᵀ kx x with xᵀ ky x ≤ eps, orthogonal to found.
    /// Returns x, the λ used and g(λ) = xᵀ ky x.
    /// </summary>
    internal static (double[] X, double Lambda, double G) ConstrainedMode(double[] kx, double[] ky, int n, double eps,
        IReadOnlyList<double[]> found, int steps, double tolerance, int seed)
    {
        // Each λ starts Lanczos from the previous λ's vector: the bisection moves λ a little at a time, so
        // the top eigenvector barely changes and a warm start saves most of the operator products.
        double[]? previous = null;
        (double[] X, double G) At(double lambda)
        {
            var x = Lanczos.Solve(new ProjectedDifference(kx, ky, n, lambda, found), 1, EigenTarget.Largest, seed, tolerance: 1e-9, start: previous).Vectors[0];
            previous = x;
            return (x, Quadratic(ky, n, x));
        }
        var best = At(0);
        if (best.G <= eps) return (best.X, 0, best.G);
        double lo = 0, hi = 1;
        // Bracket: g does not increase with λ, so grow hi until it is feasible (or give up at a huge λ).
        for (best = At(hi); best.G > eps && hi < 1e12; best = At(hi)) (lo, hi) = (hi, hi * 4);
        for (int s = 0; s < steps && hi - lo > tolerance * hi; s++)
        {
            double mid = 0.5 * (lo + hi);
            var candidate = At(mid);
            if (candidate.G <= eps) (hi, best) = (mid, candidate);
            else lo = mid;
        }
        return (best.X, hi, best.G);
    }

    private static (List<Concept> Concepts, double[] Lambdas) Direction(double[] kx, double[] ky, int n, double eps, KodaOptions o,
        int seed, IProgress<ProgressUpdate>? progress, string stage)
    {
        var found = new List<double[]>();
        var lambdas = new List<double>();
        var strengths = new List<double>();
        int modes = Math.Min(o.Modes, n);
        for (int k = 0; k < modes; k++)
        {
            var (x, lambda, _) = ConstrainedMode(kx, ky, n, eps, found, o.BisectionSteps, o.LambdaTolerance, seed);
            found.Add(x);
            lambdas.Add(lambda);
            strengths.Add(Quadratic(kx, n, x));
            progress.Report(stage, (k + 1.0) / modes);
        }
        var members = ModeMembers.FromVectors(found.ToArray(), o.Members);
        return (members.Concepts(strengths, o.Grid, 0), lambdas.ToArray());
    }

    private static double[] Kernel(Matrix x, double? sigma, int n, string name)
    {
        var k = new double[(long)n * n];
        if (sigma is { } s) SampleKernels.AddGaussian(x, s, 1.0 / n, k);
        else
        {
            var unit = new Matrix(n, x.Cols);
            new CosineFeatures(x.Cols, name).Map(x, unit, 0, 0);
            SampleKernels.AddGram(unit, 1.0 / n, k);
        }
        return k;
    }

    /// <summary>numpy's median of the eigenvalues above 1e-10 of the largest (a PSD kernel's numerical zeros excluded).</summary>
    internal static double MedianNonzeroEigenvalue(double[] k, int n)
    {
        var values = SymmetricEigen.Decompose((double[])k.Clone(), n).Values;
        var nonzero = values.Where(v => v > 1e-10 * values[0]).OrderBy(v => v).ToArray();
        int c = nonzero.Length;
        return c % 2 == 1 ? nonzero[c / 2] : 0.5 * (nonzero[c / 2 - 1] + nonzero[c / 2]);
    }

    private static double Quadratic(double[] k, int n, double[] x)
    {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += x[i] * TensorPrimitives.Dot<double>(k.AsSpan(i * n, n), x);
        return sum;
    }

    private static void Validate(RepresentationPair pair, KodaOptions o)
    {
        Spec.Spec.CheckSigma(o.SigmaA, "--sigma-a");
        Spec.Spec.CheckSigma(o.SigmaB, "--sigma-b");
        if (o.Epsilon is { } e && !(e > 0 && double.IsFinite(e))) throw new RepDiffInputException($"--epsilon must be positive, got {e}");
        if (o.Epsilon is null && pair.N > SignedEigen.DenseLimit)
            throw new RepDiffInputException($"the default epsilon needs every eigenvalue of an n×n kernel; with n = {pair.N} > {SignedEigen.DenseLimit} give --epsilon");
        if (o.Modes < 1 || o.Members < 1 || o.Grid < 1) throw new RepDiffInputException("--modes, --members and --grid must be at least 1");
        if (o.BisectionSteps < 1) throw new RepDiffInputException($"bisection steps must be at least 1, got {o.BisectionSteps}");
    }

    /// <summary>
    /// y = P (kx − λ ky) P x − c U Uᵀ x with P = I − U Uᵀ: the found modes' span gets eigenvalue −c, below
    /// everything else (c exceeds the norm 1 + λ of the difference), so the top eigenvector is a new mode.
    /// </summary>
    private sealed class ProjectedDifference(double[] kx, double[] ky, int n, double lambda, IReadOnlyList<double[]> found) : ISymmetricOperator
    {
        private readonly double[] px = new double[n], ay = new double[n], by = new double[n];
        private readonly double c = 2 * (1 + lambda);
        public int Size => n;

        public void Multiply(double[] x, double[] y)
        {
            x.AsSpan().CopyTo(px);
            var coefficients = found.Select(u => TensorPrimitives.Dot<double>(u, x)).ToArray();
            for (int k = 0; k < found.Count; k++) TensorPrimitives.MultiplyAdd(found[k], -coefficients[k], px, px);
            Parallel.For(0, n, i =>
            {
                ay[i] = TensorPrimitives.Dot<double>(kx.AsSpan(i * n, n), px);
                by[i] = TensorPrimitives.Dot<double>(ky.AsSpan(i * n, n), px);
            });
            for (int i = 0; i < n; i++) y[i] = ay[i] - lambda * by[i];
            var back = found.Select(u => TensorPrimitives.Dot<double>(u, y)).ToArray();
            for (int k = 0; k < found.Count; k++) TensorPrimitives.MultiplyAdd(found[k], -back[k] - c * coefficients[k], y, y);
        }
    }
}

/// <summary>
/// KODA with its default options, for `repdiff compare`. Each λ of the bisection is an eigensolve on n×n
/// kernels, so compare runs it only up to n = 1,000 (`repdiff koda` takes up to 1,500, more with --epsilon).
/// </summary>
public sealed class KodaMethod : IDifferenceMethod
{
    public string Name => "koda";
    public bool Applies(RepresentationPair pair) => pair.N <= 1000;
    public Explanation Run(RepresentationPair pair, int seed, IProgress<ProgressUpdate>? progress) => Koda.Run(pair, new KodaOptions(), seed, progress);
}
