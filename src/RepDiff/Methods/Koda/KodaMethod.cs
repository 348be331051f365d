using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using RepDiff.Numerics;
using RepDiff.Options;
using RepDiff.Spectral;

namespace RepDiff.Methods.Koda;

/// <summary>
/// KODA (docs/methods/METHODS.md §5): for `more_similar_in_a`, maximize xᵀK_A x subject to
/// xᵀK_B x ≤ ε, ‖x‖ = 1 (kernels / n). x_λ = top eigenvector of K_A − λ K_B; g(λ) = x_λᵀ K_B x_λ does not
/// increase with λ; the answer is x_λ at the smallest λ with g(λ) ≤ ε. Further modes are orthogonal to
/// the earlier ones (K ← P K P). `more_similar_in_b` swaps A and B.
/// </summary>
/// <remarks>
/// On the exact route each λ of the search is an eigensolve on n×n kernels, so compare runs it only up to n = 1,000;
/// with the cosine kernel `repdiff koda` takes the features route above 1,500 samples (<see cref="ExplainByFeatures"/>),
/// the same search on D×D matrices.
/// </remarks>
public sealed class KodaMethod : PairMethod<KodaOptions>
{
    public override string Name => "koda";
    public override string Description => "KODA: modes one kernel clusters strongly while the other's quadratic form stays below epsilon.";
    public override string OutOfMemoryAdvice => "try --kernel cosine, whose features route stays linear in n, or fewer rows";
    public override string StrengthMeaning => "x_λᵀK x_λ: how strongly the explained model's kernel (/n) clusters this mode while the other model's stays below KODA's cap ε";
    public override bool Applies(RepresentationPair pair) => pair.N <= CompareLimit;

    public override string WhyNotApplicable(RepresentationPair pair) =>
        $"compare runs it on at most {CompareLimit:N0} samples (an n×n eigensolve for every λ of its search), and there are {pair.N:N0}; "
        + "run `repdiff koda` (with --kernel cosine its features route is linear in n)";

    /// <summary>Most samples compare gives KODA.</summary>
    private const int CompareLimit = 1000;

    /// <summary>Largest n whose kernel the default epsilon decomposes fully (every eigenvalue, O(n³)).</summary>
    private const int AllEigenvaluesLimit = 1500;

    // The route is the full run's (reruns are given it resolved): held-out validation's half of an explicit
    // --route features can have too few samples where the full run had enough.
    protected override void CheckSampleCount(RepresentationPair pair, int n, KodaOptions o)
    {
        long d = FeatureDim(pair);
        if (o.Kernel == KernelKind.Cosine && RouteFor(o, pair) == KodaRoute.Features && n <= d)
            throw new InvalidOptionException(nameof(o.Route), $"features needs more samples than features, and there are {n:N0} samples for {d:N0} features (the two representations' dimensions); give --route exact");
    }

    // A bandwidth far below the rows' distances makes each kernel close to the identity, as for SPEC (the cosine kernel has none).
    protected override IEnumerable<string> Cautions(RepresentationPair pair, KodaOptions o)
        => o.Kernel == KernelKind.Gaussian ? Bandwidth.NarrowGiven(pair, o, o.SigmaA, o.SigmaB, o.Seed, nameof(o.SigmaA), nameof(o.SigmaB)) : [];

    protected override void Validate(RepresentationPair pair, KodaOptions o)
    {
        if (RouteFor(o, pair) == KodaRoute.Features)
        {
            long d = FeatureDim(pair);
            if (o.Kernel != KernelKind.Cosine)
                throw new InvalidOptionException(nameof(o.Route), "features needs --kernel cosine: random Fourier features cannot resolve the Gaussian kernel's small eigenvalues, among which the default epsilon lies");
            SampleKernels.CheckFeatureMemory(d, 3, nameof(o.Route));  // K_A/n and K_B/n as D×D matrices, and the search's work matrix
            return;
        }
        if (o.Epsilon is null && pair.N > AllEigenvaluesLimit)
            throw new InvalidOptionException(nameof(o.Epsilon),
                $"not given, and its default needs every eigenvalue of an n×n kernel; with n = {pair.N} > {AllEigenvaluesLimit} give a value, or use --kernel cosine, whose features route is linear in n");
        long limit = IO.MemoryBudget.WorkLimit();
        if (Bytes(pair.N) > limit)
            throw new RepDiffInputException($"KODA holds three n×n float64 matrices: n = {pair.N} needs {Bytes(pair.N) / 1e9:F1} GB (limit {limit / 1e9:F1} GB); "
                + "with --kernel cosine the features route stays linear in n");
    }

    // Auto takes features only with twice as many samples as features, so that held-out validation's discovery half,
    // which keeps the full run's route, has more samples than features too.
    private static KodaRoute RouteFor(KodaOptions o, RepresentationPair pair)
        => o.Route != KodaRoute.Auto ? o.Route
            : o.Kernel == KernelKind.Cosine && pair.N > KodaOptions.AutoExactLimit && pair.N > 2 * FeatureDim(pair) ? KodaRoute.Features : KodaRoute.Exact;

    /// <summary>D of the features route: both representations' normalized rows.</summary>
    private static long FeatureDim(RepresentationPair pair) => (long)pair.RowsA.Cols + pair.RowsB.Cols;

    /// <summary>
    /// Bytes KODA holds at once: K_A, K_B and the work matrix K_x − λK_y, n² float64 each (building K_B's float32
    /// distances beside K_A takes less). The n×n routes' 12 n² (SampleKernels.Bytes) let n = 26,000 through, which needs 16 GB.
    /// </summary>
    internal static long Bytes(long n) => 3 * n * n * sizeof(double);

    protected override KodaOptions Resolve(RepresentationPair pair, KodaOptions o, IProgress<ProgressUpdate>? progress)
    {
        var route = RouteFor(o, pair);
        if (o.Kernel != KernelKind.Gaussian) return o with { SigmaA = null, SigmaB = null, Route = route };
        return o with
        {
            SigmaA = o.SigmaA ?? Bandwidth.MedianOfA(pair, o.Seed, nameof(o.SigmaA)),
            SigmaB = o.SigmaB ?? Bandwidth.MedianOfB(pair, o.Seed, nameof(o.SigmaB)),
            Route = route,
        };
    }

    protected override Explanation Explain(RepresentationPair pair, KodaOptions options, IProgress<ProgressUpdate>? progress)
    {
        if (options.Route == KodaRoute.Features) return ExplainByFeatures(pair, options, progress);
        var clock = Stopwatch.StartNew();
        int n = pair.N;
        var ka = Kernel(pair.A, options.SigmaA, n, pair.NameA);
        var kb = Kernel(pair.B, options.SigmaB, n, pair.NameB);
        var (epsA, epsB) = Epsilons(ka, kb, n, options);
        double kernels = clock.Elapsed.TotalSeconds;
        var (a, b) = SearchDirections(ka, kb, n, epsA, epsB, options, progress);
        var (membersA, membersB) = (ModeMembers.FromVectors(a.Modes, options.Members), ModeMembers.FromVectors(b.Modes, options.Members));
        var explanation = Assemble(membersA.Concepts(a.Strengths, options.GridSize, 0), membersB.Concepts(b.Strengths, options.GridSize, 0),
            epsA, epsB, a.Lambdas, b.Lambdas);
        explanation.Extension = new ModeExtension(ModeFunction(pair, options, a.Modes, a.Lambdas, b.Modes, b.Lambdas),
            new ModeExtension.Side(DirectionNames.MoreSimilarInA, 0, membersA, 0, Input: 0),
            new ModeExtension.Side(DirectionNames.MoreSimilarInB, a.Modes.Length, membersB, 0, Input: 1));
        explanation.Timings["kernels"] = kernels;
        explanation.Timings["modes"] = clock.Elapsed.TotalSeconds - kernels;
        return explanation;
    }

    /// <summary>
    /// The features route of the cosine kernel (docs/methods/METHODS.md §5: §3's applies unchanged; Φ_A, Φ_B the normalized
    /// rows, so the kernels are exact). With Φ = [Φ_A Φ_B] (n × D), G = ΦᵀΦ/n = L Lᵀ
    /// and Q = Φ L⁻ᵀ/√n, whose columns are orthonormal, K_A/n = Q (L_Aᵀ L_A) Qᵀ and K_B/n = Q (L_Bᵀ L_B) Qᵀ, L_A and L_B
    /// the rows of L of each representation's features. So the exact route's search runs unchanged on those two D × D
    /// matrices (same nonzero spectra, so the same default ε), and a mode y is the sample-space vector
    /// x = Q y = Φ w, w = L⁻ᵀ y/√n: linear in n, with the rows read twice.
    /// </summary>
    private static Explanation ExplainByFeatures(RepresentationPair pair, KodaOptions o, IProgress<ProgressUpdate>? progress)
    {
        var clock = Stopwatch.StartNew();
        IFeatureMap mapA = new CosineFeatures(pair.RowsA.Cols, pair.NameA), mapB = new CosineFeatures(pair.RowsB.Cols, pair.NameB);
        var batches = new FeatureBatches([pair.RowsA, pair.RowsB], [mapA, mapB], o.BatchRows);
        int n = batches.Rows, d = batches.Dim;
        var l = Cholesky.FactorInPlace(batches.MeanGram(progress, inDouble: true), d, FeatureGram.Jitter);
        var (ma, mb) = (RowGram(l, d, 0, mapA.Dim), RowGram(l, d, mapA.Dim, d));
        double features = clock.Elapsed.TotalSeconds;
        var (epsA, epsB) = Epsilons(ma, mb, d, o);
        var (a, b) = SearchDirections(ma, mb, d, epsA, epsB, o, progress);
        double modes = clock.Elapsed.TotalSeconds - features;
        double[][] weights = [.. a.Modes.Concat(b.Modes).Select(y => TransposeSolve(l, d, y, 1 / Math.Sqrt(n)))];
        var members = ModeMembers.Score(batches, weights, [.. weights.Select(_ => 1.0)], o.Members, progress);
        var explanation = Assemble(members.Concepts(a.Strengths, o.GridSize, 0), members.Concepts(b.Strengths, o.GridSize, a.Modes.Length),
            epsA, epsB, a.Lambdas, b.Lambdas);
        // The modes as functions of the input, each direction's on the representation it explains (as the exact route's).
        explanation.Extension = new ModeExtension(new FeatureExpansion(batches.Maps, weights),
            new ModeExtension.Side(DirectionNames.MoreSimilarInA, 0, members, 0, Input: 0),
            new ModeExtension.Side(DirectionNames.MoreSimilarInB, a.Modes.Length, members, a.Modes.Length, Input: 1));
        explanation.Timings["features"] = features;
        explanation.Timings["modes"] = modes;
        explanation.Timings["members"] = clock.Elapsed.TotalSeconds - features - modes;
        return explanation;
    }

    /// <summary>Rows [from, to) of the lower-triangular L (D × D, row-major) as their Gram matrix L_rowsᵀ L_rows (D × D).</summary>
    private static double[] RowGram(double[] l, int d, int from, int to)
    {
        var rows = new Matrix(to - from, d);
        for (int i = from; i < to; i++)
            for (int j = 0; j <= i; j++) rows[i - from, j] = (float)l[(long)i * d + j];
        var gram = new CovarianceAccumulator(d);
        gram.Add(rows);
        return gram.Sum;
    }

    /// <summary>w with Lᵀ w = scale · y, L lower-triangular (D × D, row-major): back substitution.</summary>
    private static double[] TransposeSolve(double[] l, int d, double[] y, double scale)
    {
        var w = new double[d];
        for (int i = d - 1; i >= 0; i--)
        {
            double sum = scale * y[i];
            for (int k = i + 1; k < d; k++) sum -= l[(long)k * d + i] * w[k];
            w[i] = sum / l[(long)i * d + i];
        }
        return w;
    }

    /// <summary>Both directions' concepts, ε and λ per mode, as results.json gives them whatever the route.</summary>
    private static Explanation Assemble(List<Concept> conceptsA, List<Concept> conceptsB, double epsA, double epsB, double[] lambdasA, double[] lambdasB) => new()
    {
        Directions =
        [
            new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = conceptsA },
            new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts = conceptsB },
        ],
        Metrics = new JsonObject
        {
            ["epsilon_a"] = epsA,
            ["epsilon_b"] = epsB,
            ["koda_lambda"] = new JsonObject
            {
                [DirectionNames.MoreSimilarInA] = new JsonArray(lambdasA.Select(v => (JsonNode)v).ToArray()),
                [DirectionNames.MoreSimilarInB] = new JsonArray(lambdasB.Select(v => (JsonNode)v).ToArray()),
            },
        },
    };

    /// <summary>
    /// One constrained mode: the unit x maximizing xᵀ kx x with xᵀ ky x ≤ eps, orthogonal to found.
    /// Returns x, the λ used and g(λ) = xᵀ ky x.
    /// </summary>
    /// <param name="guess">A λ likely to be feasible (the previous mode's), where the bracket search starts; 1 when null.</param>
    /// <remarks>
    /// g does not increase with λ, so the smallest feasible λ is bracketed by an infeasible lo and a feasible hi and
    /// the bracket is shrunk until it is <paramref name="tolerance"/>·hi wide, keeping hi's vector: the bisection of
    /// docs/methods/METHODS.md §5, but each new λ is where the line through (lo, ln g(lo)) and (hi, ln g(hi)) crosses ln ε (regula
    /// falsi with the Illinois rule), with a plain halving whenever the last two steps did not halve the bracket.
    /// It ends at the same λ within the tolerance in fewer eigensolves.
    /// </remarks>
    /// <param name="difference">n² doubles of work space (overwritten); allocated here when null.</param>
    /// <param name="verifyEachStep">Probe for missed eigenvalues at every λ, not only at the final bracket's ends (the
    /// search the default one falls back to).</param>
    internal static (double[] X, double Lambda, double G) ConstrainedMode(double[] kx, double[] ky, int n, double eps,
        IReadOnlyList<double[]> found, int steps, double tolerance, int seed, double? guess = null, double[]? difference = null,
        bool verifyEachStep = false)
    {
        difference ??= new double[(long)n * n];
        var product = new DenseSymmetricOperator(difference, n);
        ISymmetricOperator OperatorAt(double lambda) => new ProjectedDifference(kx, ky, lambda, found, difference, product);
        // Lanczos's probe for missed eigenvalues (a random-start Krylov run) doubled each λ's products, yet only the final
        // bracket's ends decide the answer: with g(lo) > ε ≥ g(hi) true, the smallest feasible λ lies between them whatever
        // the steps before. So the search skips the probe and makes it at those ends; should it find a better eigenvalue
        // there, a step may have followed a wrong vector, and the search is redone with the probe at every λ.
        var (mode, lo, solves) = SearchLambda(OperatorAt, ky, n, eps, steps, tolerance, seed, guess, verifyEachStep);
        if (verifyEachStep) return mode;
        double[] ends = lo is { } l ? [mode.Lambda, l] : [mode.Lambda];
        foreach (double end in ends)
        {
            // Verify returns the very result it was given when it finds nothing better.
            if (!ReferenceEquals(Lanczos.Verify(OperatorAt(end), solves[end], EigenTarget.Largest, seed, EigenTolerance), solves[end]))
                return SearchLambda(OperatorAt, ky, n, eps, steps, tolerance, seed, guess, verifyEachStep: true).Mode;
        }
        return mode;
    }

    /// <summary>Residual tolerance of each λ's eigensolve (relative to the operator's norm).</summary>
    private const double EigenTolerance = 1e-9;

    /// <summary>
    /// <see cref="ConstrainedMode"/>'s search for λ, each λ's operator from <paramref name="operatorAt"/>: the mode, the infeasible end
    /// of the final bracket (null when λ = 0 is the answer) and the eigensolve of every λ tried.
    /// </summary>
    internal static ((double[] X, double Lambda, double G) Mode, double? Lo, Dictionary<double, EigenResult> Solves) SearchLambda(
        Func<double, ISymmetricOperator> operatorAt, double[] ky, int n, double eps, int steps, double tolerance, int seed, double? guess,
        bool verifyEachStep)
    {
        // Each λ starts Lanczos from the previous λ's vector: the search moves λ a little at a time, so
        // the top eigenvector barely changes and a warm start saves most of the operator products.
        double[]? previous = null;
        var solves = new Dictionary<double, EigenResult>();
        (double[] X, double G) At(double lambda)
        {
            var solve = Lanczos.Solve(operatorAt(lambda), 1, EigenTarget.Largest, seed, EigenTolerance, start: previous, verify: verifyEachStep);
            solves[lambda] = solve;
            previous = solve.Vectors[0];
            return (previous, Quadratic(ky, n, previous));
        }
        // Bracket the smallest feasible λ: an infeasible lo below a feasible hi. The first mode checks λ = 0 (the
        // unconstrained answer) and starts at 1; later ones start at the previous mode's λ. From a feasible start the
        // search walks down (once far below the start, λ = 0 decides), from an infeasible one it grows ×4.
        double lo = 0, gLo = double.NaN;
        if (guess is not > 0)
        {
            var atZero = At(0);
            if (atZero.G <= eps) return ((atZero.X, 0, atZero.G), null, solves);
            gLo = atZero.G;
        }
        double start = guess is > 0 ? guess.Value : 1, hi = start;
        var best = At(start);
        if (best.G <= eps)
        {
            for (double next = 0.7 * start; ; next *= 0.25)
            {
                if (next < 1e-6 * start)
                {
                    if (!double.IsNaN(gLo)) break;  // g(0) is known to be infeasible: lo = 0
                    var atZero = At(0);
                    if (atZero.G <= eps) return ((atZero.X, 0, atZero.G), null, solves);
                    gLo = atZero.G;
                    break;
                }
                var at = At(next);
                if (at.G > eps)
                {
                    (lo, gLo) = (next, at.G);
                    break;
                }
                (hi, best) = (next, at);
            }
        }
        else
        {
            (lo, gLo) = (start, best.G);
            for (hi = 4 * start, best = At(hi); best.G > eps && hi < 1e12; hi *= 4, best = At(hi)) (lo, gLo) = (hi, best.G);
        }
        double logEps = Math.Log(eps);
        double fLo = Math.Log(gLo) - logEps, fHi = Math.Log(Math.Max(best.G, double.Epsilon)) - logEps;  // fLo > 0 ≥ fHi
        int kept = 0;  // +1: hi moved last step, −1: lo moved; two moves of one end in a row halve the other's f
        double widthTwoStepsAgo = double.PositiveInfinity, widthOneStepAgo = hi - lo;
        for (int s = 0; s < steps && hi - lo > tolerance * hi; s++)
        {
            double width = hi - lo, near = 0.45 * tolerance * hi;
            double mid = hi - fHi * width / (fHi - fLo);
            // A root predicted within reach of an end is confirmed by one λ just past it, which ends the search
            // when it lands on the other side; otherwise a step that did not halve the bracket is followed by a halving.
            if (mid > hi - near) mid = hi - 2 * near;
            else if (mid < lo + near) mid = lo + 2 * near;
            else if (width > 0.5 * widthTwoStepsAgo) mid = lo + 0.5 * width;
            if (!(mid > lo && mid < hi)) mid = lo + 0.5 * width;
            (widthTwoStepsAgo, widthOneStepAgo) = (widthOneStepAgo, width);
            var candidate = At(mid);
            double f = Math.Log(Math.Max(candidate.G, double.Epsilon)) - logEps;
            if (candidate.G <= eps)
            {
                (hi, fHi, best) = (mid, f, candidate);
                if (kept == 1) fLo /= 2;
                kept = 1;
            }
            else
            {
                (lo, fLo) = (mid, f);
                if (kept == -1) fHi /= 2;
                kept = -1;
            }
        }
        return ((best.X, hi, best.G), lo, solves);
    }

    /// <summary>
    /// The modes as functions of the input, for held-out validation (docs/methods/METHODS.md §7): mode x of a direction is the
    /// top eigenvector of (K_x − λ K_y)/n (the projection onto earlier modes left out), extended as its eigenfunction
    /// s(z) = Σ_i x_i (k_x(z, x_i) − λ k_y(z, y_i)) / n up to a positive factor. Direction a's modes first, then b's.
    /// </summary>
    private static KernelExpansion ModeFunction(RepresentationPair pair, KodaOptions o, double[][] modesA, double[] lambdasA, double[][] modesB, double[] lambdasB)
    {
        int n = pair.N;
        double[][] Coefficients(double[][] modes, double[]? lambdas) =>
            modes.Select((x, k) => x.Select(v => (lambdas is null ? 1 : -lambdas[k]) * v / n).ToArray()).ToArray();
        var onA = Coefficients(modesA, null).Concat(Coefficients(modesB, lambdasB)).ToArray();
        var onB = Coefficients(modesA, lambdasA).Concat(Coefficients(modesB, null)).ToArray();
        return new KernelExpansion(
        [
            new KernelExpansion.Term(0, pair.A, o.Kernel, o.SigmaA, onA),
            new KernelExpansion.Term(1, pair.B, o.Kernel, o.SigmaB, onB),
        ]);
    }

    /// <summary>
    /// Whether the two directions' work runs at once: below Gemm's parallel floor (n² under 2²⁰, n ≤ 1,024) each λ's
    /// products, like the default ε's eigendecompositions, stay on one core, and the demo's checkpoints pair (n = 539) left
    /// the other core idle through 20–30 s of modes. The directions share nothing they write, so the results are the same
    /// bits either way; at once, each search has its own work matrix (at most 8 MB more).
    /// </summary>
    private static bool DirectionsAtOnce(int n) => (long)n * n < Gemm.ParallelWorkFloor;

    /// <summary>f(0) and f(1), at once when <paramref name="atOnce"/>; a failing direction throws its own exception, A's first.</summary>
    private static (T A, T B) BothDirections<T>(bool atOnce, Func<int, T> f)
    {
        var results = new T[2];
        if (atOnce) ParallelRuns.For(2, 2, s => results[s] = f(s));
        else for (int s = 0; s < 2; s++) results[s] = f(s);
        return (results[0], results[1]);
    }

    /// <summary>ε of each direction: the given one, else the median nonzero eigenvalue of the kernel the direction constrains
    /// (direction a constrains B's).</summary>
    private static (double A, double B) Epsilons(double[] ka, double[] kb, int n, KodaOptions o) =>
        BothDirections(DirectionsAtOnce(n), s => o.Epsilon ?? MedianNonzeroEigenvalue(s == 0 ? kb : ka, n));

    /// <summary>Both directions' modes (<see cref="SearchModes"/>), at once when <see cref="DirectionsAtOnce"/> unless told.</summary>
    internal static ((double[][] Modes, double[] Lambdas, double[] Strengths) A, (double[][] Modes, double[] Lambdas, double[] Strengths) B) SearchDirections(
        double[] ka, double[] kb, int n, double epsA, double epsB, KodaOptions o, IProgress<ProgressUpdate>? progress, bool? atOnce = null)
    {
        bool together = atOnce ?? DirectionsAtOnce(n);
        // One work matrix for every λ of every mode of a search: a fresh n² array per mode left the earlier ones to the GC,
        // and n = 8,000 peaked at 2.7 GB where three matrices are 1.5 GB. One after the other, the directions share it.
        var shared = together ? null : new double[(long)n * n];
        return BothDirections(together, s => s == 0
            ? SearchModes(ka, kb, n, epsA, o, progress, "modes (A)", shared ?? new double[(long)n * n])
            : SearchModes(kb, ka, n, epsB, o, progress, "modes (B)", shared ?? new double[(long)n * n]));
    }

    /// <summary>A direction's constrained modes (unit vectors of size n), their λ and their strengths xᵀ kx x.</summary>
    private static (double[][] Modes, double[] Lambdas, double[] Strengths) SearchModes(double[] kx, double[] ky, int n, double eps, KodaOptions o,
        IProgress<ProgressUpdate>? progress, string stage, double[] difference)
    {
        var (kept, lambdas, strengths) = (new List<double[]>(), new List<double>(), new List<double>());
        double previousLambda = 0;
        int modes = Math.Min(o.Concepts, n);
        // Shown from the start: a mode takes seconds to minutes (the first line came 20 s in at 6,000 rows).
        progress.Report(stage, 0);
        for (int k = 0; k < modes; k++)
        {
            // Each mode's λ is near the previous one's, which starts its bracket.
            var (x, lambda, g) = ConstrainedMode(kx, ky, n, eps, kept, o.BisectionSteps, o.LambdaTolerance, o.Seed, previousLambda, difference);
            previousLambda = lambda;
            progress.Report(stage, (k + 1.0) / modes);
            double strength = Quadratic(kx, n, x);
            // x's eigenvalue of K_x − λ K_y, what KODA maximizes at its λ, is a mode only clearly away from zero, as SPEC's
            // of K_A − eta K_B (the same numerical zero for the same norm bound 1 + λ). Where the kernels agree (B a rotation
            // of A) every x gives ~0 at λ ≈ 1, and its strength xᵀK_x x = xᵀK_y x ≤ ε is any value: ten "modes" a direction
            // with strengths near 1e-4, and at n = 2 one mode in both directions (review 174).
            // The search ends at the first such x, as SPEC's modes end at its first zero: x is then any vector of a null
            // form, and a next search confined to the complement of an arbitrary vector found a "mode" there (at n = 2 with
            // equal kernels, the one vector left has g = 1/n = ε, the median of two eigenvalues, so λ = 0 passed).
            // But the eigenvalue is also ~0 at a real optimum: when g reaches ε only as λ reaches the top generalized
            // eigenvalue of (K_x, K_y), the top eigenvalue of K_x − λK_y there is 0 whatever the pair, and x is the group
            // K_x clusters λ times more than K_y (40 times on a real pair, review h209). Such an x separates the kernels,
            // xᵀK_x x − xᵀK_y x = (λ − 1)g, where agreeing kernels give ~0 for every x; the same numerical zero for the
            // norm bound 2 of K_x − K_y tells the two apart.
            if (strength - lambda * g <= SignedEigen.ZeroThreshold(1 + lambda) && strength - g <= SignedEigen.ZeroThreshold(2))
            {
                progress.Report(stage, 1);
                break;
            }
            kept.Add(x);
            lambdas.Add(lambda);
            strengths.Add(strength);
        }
        return (kept.ToArray(), lambdas.ToArray(), strengths.ToArray());
    }

    private static double[] Kernel(Matrix x, double? sigma, int n, string name)
    {
        var k = DenseMemory.Zeroed((long)n * n);
        if (sigma is { } s) SampleKernels.AddGaussian(x, s, 1.0 / n, k);
        else
        {
            var unit = new Matrix(n, x.Cols);
            new CosineFeatures(x.Cols, name).Map(x, unit, 0, 0);
            SampleKernels.AddGram(unit, 1.0 / n, k);
        }
        return k;
    }

    /// <summary>
    /// numpy's median of the nonzero eigenvalues: those above 1e-10 of the largest and above 10 times the magnitude of
    /// the most negative one. A PSD kernel has no negative eigenvalue, so that magnitude is the rounding of the float32
    /// distances or features the kernel is built from; eigenvalues at that level are its zeros, not its spectrum (a
    /// cosine kernel of rank d counted n − d of them, and ε fell to 2e-9 from the 0.086 of its 8 true eigenvalues).
    /// </summary>
    internal static double MedianNonzeroEigenvalue(double[] k, int n)
    {
        var values = SymmetricEigen.Decompose((double[])k.Clone(), n).Values;
        double zero = Math.Max(1e-10 * values[0], 10 * Math.Max(0, -values[^1]));
        var nonzero = values.Where(v => v > zero).OrderBy(v => v).ToArray();
        int c = nonzero.Length;
        return c % 2 == 1 ? nonzero[c / 2] : 0.5 * (nonzero[c / 2 - 1] + nonzero[c / 2]);
    }

    private static double Quadratic(double[] k, int n, double[] x)
    {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += x[i] * TensorPrimitives.Dot<double>(k.AsSpan(i * n, n), x);
        return sum;
    }

    /// <summary>
    /// y = P (kx − λ ky) P x − c U Uᵀ x with P = I − U Uᵀ: the found modes' span gets eigenvalue −c, below
    /// everything else (c exceeds the norm 1 + λ of the difference), so the top eigenvector is a new mode.
    /// </summary>
    private sealed class ProjectedDifference : ISymmetricOperator
    {
        private readonly DenseSymmetricOperator product;
        private readonly IReadOnlyList<double[]> found;
        private readonly double[] px, coefficients, back;
        private readonly double c;
        public int Size => product.Size;

        /// <param name="difference">n² doubles to hold K_x − λK_y (reused from one λ to the next).</param>
        /// <param name="product">The dense operator over <paramref name="difference"/>: it reads one triangle per product, half
        /// the bytes of whole rows, and a search makes thousands of products.</param>
        public ProjectedDifference(double[] kx, double[] ky, double lambda, IReadOnlyList<double[]> found, double[] difference,
            DenseSymmetricOperator product)
        {
            // One matrix per λ, so each of the eigensolver's many products reads n² values instead of 2n².
            TensorPrimitives.MultiplyAdd(ky, -lambda, kx, difference);
            (this.product, this.found, c) = (product, found, 2 * (1 + lambda));
            px = new double[product.Size];
            coefficients = new double[found.Count];
            back = new double[found.Count];
        }

        public void Multiply(double[] x, double[] y)
        {
            x.AsSpan().CopyTo(px);
            for (int k = 0; k < found.Count; k++) coefficients[k] = TensorPrimitives.Dot<double>(found[k], x);
            for (int k = 0; k < found.Count; k++) TensorPrimitives.MultiplyAdd(found[k], -coefficients[k], px, px);
            product.Multiply(px, y);
            for (int k = 0; k < found.Count; k++) back[k] = TensorPrimitives.Dot<double>(found[k], y);
            for (int k = 0; k < found.Count; k++) TensorPrimitives.MultiplyAdd(found[k], -back[k] - c * coefficients[k], y, y);
        }
    }
}
