using RepDiff.Spectral;
using RepDiff.Methods.Koda;
using RepDiff.Methods.Spec;
using RepDiff.Numerics;
using RepDiff.Methods;

namespace RepDiff.Tests.Methods.Koda;

public class KodaTests
{
    private static readonly int[] Rows = Enumerable.Range(0, 600).Where(i => i % 3 == 0).ToArray();

    private static RepresentationPair Pair() =>
        new(TestData.LoadFixture("planted_a.npy").SelectRows(Rows), TestData.LoadFixture("planted_b.npy").SelectRows(Rows));

    /// <summary>The planted pair's Gaussian kernels (median bandwidths, divided by n) and n.</summary>
    private static (double[] Ka, double[] Kb, int N) Kernels()
    {
        var pair = Pair();
        return (Kernel(pair.A), Kernel(pair.B), pair.N);
    }

    private static double[] Kernel(Matrix x)
    {
        int n = x.Rows;
        var k = new double[n * n];
        SampleKernels.AddGaussian(x, Bandwidth.Median(x, 0, "x", "SigmaA"), 1.0 / n, k);
        return k;
    }

    private static double Quadratic(double[] k, int n, double[] x)
    {
        double s = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s += x[i] * k[i * n + j] * x[j];
        return s;
    }

    [Fact]
    public void ModeMeetsTheConstraintAtTheSmallestFeasibleLambda()
    {
        var (ka, kb, n) = Kernels();
        double eps = KodaMethod.MedianNonzeroEigenvalue(kb, n);
        var (x, lambda, g) = KodaMethod.ConstrainedMode(ka, kb, n, eps, [], 20, 1e-3, 0);
        Assert.True(lambda > 0, "the unconstrained top mode of K_A should violate the median constraint here");
        Assert.True(g <= eps, $"g {g} > eps {eps}");
        Assert.Equal(g, Quadratic(kb, n, x), 10);
        // Slightly below λ the constraint is violated (λ is the smallest feasible one).
        var below = Lanczos.Solve(new DenseSymmetricOperator(Difference(ka, kb, lambda * 0.99), n), 1, EigenTarget.Largest).Vectors[0];
        Assert.True(Quadratic(kb, n, below) > eps);
        // Later modes are orthogonal to earlier ones and meet the constraint too.
        var (x2, _, g2) = KodaMethod.ConstrainedMode(ka, kb, n, eps, [x], 20, 1e-3, 0);
        Assert.True(Math.Abs(x.Zip(x2, (p, q) => p * q).Sum()) < 1e-8);
        Assert.True(g2 <= eps);
    }

    [Fact]
    public void BothDirectionsAtOnceGiveTheBitsOfOneAfterTheOther()
    {
        // 300 rows: above Lanczos's dense cut-off (200), so every λ runs the Krylov solver in its own work matrix.
        var rows = Enumerable.Range(0, 600).Where(i => i % 2 == 0).ToArray();
        var pair = new RepresentationPair(TestData.LoadFixture("planted_a.npy").SelectRows(rows), TestData.LoadFixture("planted_b.npy").SelectRows(rows));
        var (ka, kb, n) = (Kernel(pair.A), Kernel(pair.B), pair.N);
        var options = new KodaOptions { Concepts = 3 };
        double epsA = KodaMethod.MedianNonzeroEigenvalue(kb, n), epsB = KodaMethod.MedianNonzeroEigenvalue(ka, n);
        var together = KodaMethod.SearchDirections(ka, kb, n, epsA, epsB, options, null, atOnce: true);
        var apart = KodaMethod.SearchDirections(ka, kb, n, epsA, epsB, options, null, atOnce: false);
        Assert.True(apart.A.Modes.Length + apart.B.Modes.Length >= 2, "the planted pair should give modes to compare");
        foreach (var (x, y) in new[] { (together.A, apart.A), (together.B, apart.B) })
        {
            Assert.Equal(y.Lambdas, x.Lambdas);     // exact: the same operations in the same order
            Assert.Equal(y.Strengths, x.Strengths);
            Assert.Equal(y.Modes.Length, x.Modes.Length);
            for (int k = 0; k < x.Modes.Length; k++) Assert.Equal(y.Modes[k], x.Modes[k]);
        }
    }

    /// <summary>
    /// The search probes for missed eigenvalues only at its final bracket's ends (Lanczos.Verify), where it probed at every
    /// λ: where the probes find nothing, as here, every λ, g and mode must be the same bits.
    /// </summary>
    [Fact]
    public void ProbingTheFinalBracketGivesTheModesOfProbingEveryLambda()
    {
        // 300 rows: above Lanczos's dense cut-off (200), so every λ runs the Krylov solver and its probe.
        var rows = Enumerable.Range(0, 600).Where(i => i % 2 == 0).ToArray();
        var pair = new RepresentationPair(TestData.LoadFixture("planted_a.npy").SelectRows(rows), TestData.LoadFixture("planted_b.npy").SelectRows(rows));
        var (ka, kb, n) = (Kernel(pair.A), Kernel(pair.B), pair.N);
        foreach (var (kx, ky) in new[] { (ka, kb), (kb, ka) })
        {
            double eps = KodaMethod.MedianNonzeroEigenvalue(ky, n);
            var found = new List<double[]>();
            double? guess = null;
            for (int mode = 0; mode < 3; mode++)
            {
                var ends = KodaMethod.ConstrainedMode(kx, ky, n, eps, found, 20, 1e-3, 0, guess);
                var every = KodaMethod.ConstrainedMode(kx, ky, n, eps, found, 20, 1e-3, 0, guess, verifyEachStep: true);
                Assert.Equal(every.Lambda, ends.Lambda);
                Assert.Equal(every.G, ends.G);
                Assert.Equal(every.X, ends.X);
                found.Add(ends.X);
                guess = ends.Lambda;
            }
            Assert.True(guess > 0, "the modes should be constrained (λ > 0) for the comparison to cover a search");
        }
    }

    /// <summary>
    /// The fallback of the search that probes only its final bracket's ends (helper 218): a warm start orthogonal to an
    /// eigenvector never sees it, so the unprobed steps can follow a wrong vector, and a probe that then finds a better
    /// eigenvalue at an end redoes the search probing every λ. K_x and K_y are block-diagonal: a block of 259 rows (Gaussian
    /// kernels, and a group K_x holds tightly), whose top vector's g falls through ε = 0.2 at λ ≈ 2.3197, and one row alone
    /// with eigenvalue a − λb, b = ε, which overtakes the block's top at λ = 2.318 and stays above it (by less than 1e-5,
    /// as b is the block's g there) only up to λ ≈ 2.321. Every warm start comes from the block, so the unprobed search
    /// ends on the block near 2.3197; the probe at its ends finds the lone row, and the answer is the lone row at 2.318:
    /// that of probing every λ, bit for bit.
    /// </summary>
    [Fact]
    public void AProbeThatFindsABetterEigenvalueAtTheFinalBracketRedoesTheSearchProbingEveryLambda()
    {
        const int block = 259, n = block + 1, last = n - 1;
        const double eps = 0.2, b = 0.2, crossing = 2.318;
        var (kx, ky) = (new double[n * n], new double[n * n]);
        var points = Enumerable.Range(0, block).Select(i => i / (block - 1.0)).ToArray();
        var group = points.Select(p => Math.Cos(3 * p)).ToArray();
        double squaredNorm = group.Sum(v => v * v);
        for (int i = 0; i < block; i++)
            for (int j = 0; j < block; j++)
            {
                double d = points[i] - points[j];
                kx[i * n + j] = 0.5 * group[i] * group[j] / squaredNorm + Math.Exp(-d * d / (2 * 0.1 * 0.1)) / block;
                ky[i * n + j] = Math.Exp(-d * d / (2 * 0.15 * 0.15)) / block;
            }
        // Distinct diagonals keep the block's numerical rank full: a Krylov space that exhausts it restarts from a random
        // vector, which would see the lone row.
        for (int i = 0; i < block; i++) (kx[i * n + i], ky[i * n + i]) = (kx[i * n + i] + 0.05 * points[i], ky[i * n + i] + 0.05 * (1 - points[i]));
        // The lone row's a − λb meets the block's top eigenvalue at the crossing.
        double blockTop = SymmetricEigen.Decompose(Difference(kx, ky, crossing), n).Values[0];
        (kx[last * n + last], ky[last * n + last]) = (blockTop + crossing * b, b);

        var unprobed = KodaMethod.SearchLambda(lambda => new DenseSymmetricOperator(Difference(kx, ky, lambda), n), ky, n, eps, 20, 1e-3, 0,
            guess: null, verifyEachStep: false).Mode;
        Assert.True(Math.Abs(unprobed.X[last]) < 1e-3, $"the unprobed search should miss the lone row (its weight {unprobed.X[last]})");
        Assert.True(unprobed.Lambda > crossing + 1e-3, $"the unprobed search should end on the block near 2.3197, not at {unprobed.Lambda}");

        var mode = KodaMethod.ConstrainedMode(kx, ky, n, eps, [], 20, 1e-3, 0);
        var every = KodaMethod.ConstrainedMode(kx, ky, n, eps, [], 20, 1e-3, 0, verifyEachStep: true);
        Assert.True(Math.Abs(mode.X[last]) > 0.999, $"the answer is the lone row (its weight {mode.X[last]})");
        Assert.InRange(mode.Lambda, crossing, crossing * 1.002);
        Assert.Equal(every.Lambda, mode.Lambda);
        Assert.Equal(every.G, mode.G);
        Assert.Equal(every.X, mode.X);
    }

    [Fact]
    public void ALooseConstraintGivesTheTopEigenvectorOfTheExplainedKernel()
    {
        var (ka, kb, n) = Kernels();
        var (x, lambda, _) = KodaMethod.ConstrainedMode(ka, kb, n, 10, [], 20, 1e-3, 0);
        Assert.Equal(0, lambda);
        var top = SymmetricEigen.Decompose((double[])ka.Clone(), n).Vectors[0];
        Assert.True(Math.Abs(Math.Abs(x.Zip(top, (p, q) => p * q).Sum()) - 1) < 1e-8);
    }

    [Theory]
    [InlineData(0.2)]    // an infeasible start: the bracket grows
    [InlineData(3.0)]    // a feasible start far above: the bracket walks down
    [InlineData(1.0005)] // a start inside the tolerance
    public void AStartingGuessFindsTheSameSmallestFeasibleLambda(double guessOverLambda)
    {
        var (ka, kb, n) = Kernels();
        double eps = KodaMethod.MedianNonzeroEigenvalue(kb, n);
        var (_, lambda, _) = KodaMethod.ConstrainedMode(ka, kb, n, eps, [], 40, 1e-4, 0);
        var (x, fromGuess, g) = KodaMethod.ConstrainedMode(ka, kb, n, eps, [], 40, 1e-4, 0, guess: guessOverLambda * lambda);
        Assert.True(g <= eps);
        Assert.True(Math.Abs(fromGuess - lambda) <= 2e-4 * lambda, $"λ {fromGuess} from the guess, {lambda} without");
        Assert.Equal(g, Quadratic(kb, n, x), 10);
        // A loose constraint still gives λ = 0 from any start.
        Assert.Equal(0, KodaMethod.ConstrainedMode(ka, kb, n, 10, [], 20, 1e-3, 0, guess: guessOverLambda * lambda).Lambda);
    }

    // METHODS §5: the feature route of §3 applies unchanged. With the cosine kernel the features are exact (the
    // normalized rows, D = 24 + 40), so the features route must give the exact route's ε, λ, strengths and members.
    [Fact]
    public void TheFeaturesRouteOfTheCosineKernelIsTheExactRoute()
    {
        var pair = Pair();
        var exact = new KodaMethod().Run(pair, new KodaOptions { Kernel = KernelKind.Cosine, Concepts = 3, Route = KodaRoute.Exact });
        var features = new KodaMethod().Run(pair, new KodaOptions { Kernel = KernelKind.Cosine, Concepts = 3, Route = KodaRoute.Features, BatchRows = 64 });
        foreach (string key in new[] { "epsilon_a", "epsilon_b" })
            Assert.Equal(exact.Metrics[key]!.GetValue<double>(), features.Metrics[key]!.GetValue<double>(), 1e-5 * exact.Metrics[key]!.GetValue<double>()); // float32 kernel against float32 features
        foreach (var name in new[] { DirectionNames.MoreSimilarInA, DirectionNames.MoreSimilarInB })
        {
            var lambdas = exact.Metrics["koda_lambda"]![name]!.AsArray().Zip(features.Metrics["koda_lambda"]![name]!.AsArray());
            Assert.All(lambdas, l => Assert.Equal(l.First!.GetValue<double>(), l.Second!.GetValue<double>(), 3e-3 * l.First!.GetValue<double>() + 1e-12));
            var pairs = exact.GetDirection(name).Concepts.Zip(features.GetDirection(name).Concepts).ToList();
            Assert.Equal(3, pairs.Count);
            Assert.All(pairs, c =>
            {
                Assert.Equal(c.First.Strength, c.Second.Strength, 1e-3 * c.First.Strength);
                Assert.True(c.First.Members.Intersect(c.Second.Members).Count() >= 0.9 * c.First.Members.Length,
                    $"{name} concept {c.First.Rank}: {c.First.Members.Intersect(c.Second.Members).Count()} of {c.First.Members.Length} members shared");
            });
        }
        Assert.Equal("features", features.Parameters["route"]!.GetValue<string>());
    }

    /// <summary>
    /// B a rotation of A: every distance, so both kernels, agree to round-off, and KODA has no mode either way, as SPEC has
    /// none. The search ends at λ ≈ 1, where x's eigenvalue of K_x − λK_y is round-off while its strength xᵀK_x x ≤ ε is any
    /// value; ten modes a direction with strengths near 1e-4 had been listed (review 174).
    /// </summary>
    [Theory]
    [InlineData(40, KernelKind.Gaussian)]
    [InlineData(2, KernelKind.Gaussian)]
    [InlineData(10, KernelKind.Gaussian)]
    [InlineData(40, KernelKind.Cosine)]
    public void ARotationOfARepresentationHasNoModes(int rows, KernelKind kernel)
    {
        var rng = new Random(rows);
        var a = new Matrix(rows, 8, Enumerable.Range(0, rows * 8).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray());
        var rotated = new Matrix(rows, 8);
        for (int i = 0; i < rows; i++)
            for (int c = 0; c < 8; c += 2)
            {
                // A rotation by 0.7 rad in each plane of columns (c, c + 1): orthogonal, and inexact in float32.
                (double cos, double sin) = (Math.Cos(0.7 + c), Math.Sin(0.7 + c));
                rotated[i, c] = (float)(cos * a[i, c] - sin * a[i, c + 1]);
                rotated[i, c + 1] = (float)(sin * a[i, c] + cos * a[i, c + 1]);
            }
        var e = new KodaMethod().Run(new RepresentationPair(a, rotated), new KodaOptions { Kernel = kernel });
        Assert.All(e.Directions, d => Assert.Empty(d.Concepts));
        Assert.All(e.Metrics["koda_lambda"]!.AsObject(), p => Assert.Empty(p.Value!.AsArray()));
    }

    /// <summary>
    /// Two samples whose kernels are equal exactly (each pair's distance is its median bandwidth): at λ = 1 the difference is
    /// the zero matrix, so the first search's x is any vector and no mode; a second search, confined to the one vector
    /// orthogonal to it, met ε there at λ = 0 (g = 1/n, the median of two eigenvalues) and listed a "mode" each way of
    /// strength 0.5, members [1, 0]. The search ends at its first non-mode, as SPEC's at its first zero.
    /// </summary>
    [Fact]
    public void EqualKernelsOfTwoSamplesHaveNoModes()
    {
        var a = new Matrix(2, 2, [1, 0, 1, 0.1f]);
        var b = new Matrix(2, 2, [1, 0, 0, 1]);
        var e = new KodaMethod().Run(new RepresentationPair(a, b), new KodaOptions());
        Assert.All(e.Directions, d => Assert.Empty(d.Concepts));
        Assert.All(e.Metrics["koda_lambda"]!.AsObject(), p => Assert.Empty(p.Value!.AsArray()));
    }

    /// <summary>
    /// B keeps a group 10 times tighter than A, and B's constraint binds only at the top generalized eigenvalue of
    /// (K_B, K_A), where the top eigenvalue of K_B − λK_A is 0 whatever the pair, as on the Brown sentences of minilm-l6
    /// against arctic-embed-xs (λ 40.4, review h209). n = 40, σ = 1/√ln 19 for both, ε = 1.5/n. Rows 0–9 are one row
    /// in B and ≥ 15σ apart in A (K_A there I/n, K_B 11ᵀ/n: their mean is clustered 10 times more by B, g = 1/n ≤ ε).
    /// Rows 10–29 are one row in B and a simplex in A with kernel 1/19 between rows (also 10 times, but g = 2/n &gt; ε).
    /// Rows 30–39 are apart in both. Below λ = 10 the second group is K_B − λK_A's top vector and breaks the constraint;
    /// above it the first group's mean is, with eigenvalue (10 − λ)/n ≤ 0: main's zero rule dropped it, and with it the
    /// direction, so KODA said B keeps nothing together that A pulls apart.
    /// </summary>
    [Fact]
    public void AGroupBKeepsTighterIsAModeWhenItsConstraintBindsAtTheTopGeneralizedEigenvalue()
    {
        const int n = 40, dims = 40;
        var (a, b) = (new Matrix(n, dims), new Matrix(n, dims));
        for (int i = 0; i < n; i++)
        {
            // Integer coordinates, so the distances are exact: 0 within a group of B, 2 within A's simplex, ≥ 401 elsewhere.
            a[i, i] = i is >= 10 and < 30 ? 1 : 20;
            b[i, i < 10 ? 0 : i < 30 ? 10 : i] = 20;
        }
        double sigma = 1 / Math.Sqrt(Math.Log(19));
        var e = new KodaMethod().Run(new RepresentationPair(a, b),
            new KodaOptions { SigmaA = sigma, SigmaB = sigma, Epsilon = 1.5 / n, Members = 10 });
        var inB = e.Directions.Single(d => d.Name == DirectionNames.MoreSimilarInB);
        var mode = Assert.Single(inB.Concepts);
        Assert.Equal(Enumerable.Range(0, 10), mode.Members.Order());
        Assert.Equal(10.0 / n, mode.Strength, 1e-6);
        Assert.Equal(10, e.Metrics["koda_lambda"]![DirectionNames.MoreSimilarInB]![0]!.GetValue<double>(), 10 * 1e-3);
    }

    [Fact]
    public void RunReportsBothDirectionsWithEpsilons()
    {
        var e = new KodaMethod().Run(Pair(), new KodaOptions { Concepts = 3 });
        Assert.Equal("koda", e.Method);
        Assert.All(e.Directions, d => Assert.Equal(3, d.Concepts.Count));
        Assert.True(e.Metrics["epsilon_a"]!.GetValue<double>() > 0);
        Assert.Equal(3, e.Metrics["koda_lambda"]![DirectionNames.MoreSimilarInA]!.AsArray().Count);
    }

    /// <summary>
    /// What results.json says of each mode, from the whole mode vectors (members = n): the modes of a direction are
    /// orthonormal (deflation), a concept's strength is xᵀK_x x, and the constraint holds; wherever λ &gt; 0 it is the smallest
    /// feasible λ to the search's tolerance (0.1%): 0.2% below it, the top eigenvector of the deflated P(K_x − λK_y)P breaks the
    /// constraint. (g need not equal ε at λ: on this pair g falls 1.4% per 0.1% of λ near mode 2's λ, so it ends 1.1% below ε.)
    /// </summary>
    [Fact]
    public void WrittenModesAreOrthonormalMeetTheirConstraintAndCarryTheirObjective()
    {
        var (ka, kb, n) = Kernels();
        var e = new KodaMethod().Run(Pair(), new KodaOptions { Concepts = 3, Members = n });
        foreach (var (direction, kx, ky, epsKey) in new[] { (0, ka, kb, "epsilon_a"), (1, kb, ka, "epsilon_b") })
        {
            double eps = e.Metrics[epsKey]!.GetValue<double>();
            var lambdas = e.Metrics["koda_lambda"]![e.Directions[direction].Name]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var modes = e.Directions[direction].Concepts.Select(c =>
            {
                var x = new double[n];
                for (int m = 0; m < c.Scores!.Length; m++) x[c.Members[m]] = c.Scores[m];
                return (x, c.Strength);
            }).ToArray();
            for (int p = 0; p < modes.Length; p++)
            {
                for (int q = 0; q < modes.Length; q++)
                    Assert.Equal(p == q ? 1 : 0, modes[p].x.Zip(modes[q].x, (u, v) => u * v).Sum(), 1e-9);
                Assert.Equal(Quadratic(kx, n, modes[p].x), modes[p].Strength, 1e-12);
                double g = Quadratic(ky, n, modes[p].x);
                Assert.True(g <= eps * (1 + 1e-9), $"mode {p + 1}: g {g} > ε {eps}");
                if (lambdas[p] > 0)
                {
                    var below = TopDeflated(kx, ky, n, 0.998 * lambdas[p], modes.Take(p).Select(m => m.x).ToArray());
                    Assert.True(Quadratic(ky, n, below) > eps, $"mode {p + 1}: 0.2% below λ = {lambdas[p]} the constraint still holds");
                }
            }
        }
    }

    [Fact]
    public void DefaultEpsilonOfALowRankCosineKernelIsTheMedianOfItsNonzeroEigenvalues()
    {
        // Two 16×3 representations: their cosine kernels have rank 3. Expected: numpy.linalg.eigvalsh of the float64
        // kernel (U Uᵀ / 16, U = the unit rows) keeps 3 eigenvalues above 1e-10 of the largest, whose median is
        // 0.34151458789651856 for B (ε of direction a) and 0.31799641244092763 for A. The kernel built from float32 unit
        // rows has 13 more eigenvalues of ±1e-8 (rounding), which a 1e-10 threshold counted: ε came out near 1e-9.
        double[][] b =
        [
            [0.0, 1.4, 1.2], [-0.5, -0.3, -0.5], [0.6, -0.1, 0.7], [-1.8, 1.6, -0.1], [0.7, -0.1, -0.4], [0.5, 0.8, -0.2],
            [-0.2, 0.7, -0.9], [-1.5, 0.4, -0.7], [-1.9, -0.8, -0.5], [-1.2, -1.5, 0.0], [0.9, -0.2, -0.7], [0.4, 0.7, -0.3],
            [0.5, 1.0, -0.2], [-0.8, 0.3, 0.2], [1.1, -1.3, -0.7], [-0.8, -1.7, 0.1],
        ];
        double[][] a =
        [
            [0.5, -0.7, 1.4], [0.8, 0.6, 0.4], [1.0, -1.3, 0.6], [0.6, -1.8, 0.3], [-0.3, 0.8, -0.4], [0.0, 0.3, -0.9],
            [0.6, -0.1, 0.5], [-0.5, 1.1, 0.6], [-0.2, 0.6, 1.3], [1.8, -1.6, 0.9], [0.5, -0.1, -1.0], [1.3, -1.3, 0.6],
            [1.3, -1.6, -0.3], [-1.3, 0.2, 1.5], [2.0, -1.8, -0.6], [0.7, 1.6, 0.4],
        ];
        static Matrix Rows(double[][] rows) => new(rows.Length, 3, rows.SelectMany(r => r.Select(v => (float)v)).ToArray());
        var e = new KodaMethod().Run(new RepresentationPair(Rows(a), Rows(b)), new KodaOptions { Kernel = KernelKind.Cosine, Concepts = 1 });
        Assert.Equal(0.34151458789651856, e.Metrics["epsilon_a"]!.GetValue<double>(), 1e-6);
        Assert.Equal(0.31799641244092763, e.Metrics["epsilon_b"]!.GetValue<double>(), 1e-6);
    }

    [Fact]
    public void RefusesBeforeAnyWorkWhenItsThreeMatricesDoNotFit()
    {
        // 20,000 samples: K_A, K_B and K_A − λK_B are 9.6 GB of float64, above the n×n limit (8.6 GB); the n×n routes'
        // 12 n² estimate (4.8 GB) let it through, and n = 26,000 (16 GB) too.
        var rng = new Random(3);
        Matrix Column() => new(20_000, 1, Enumerable.Range(0, 20_000).Select(_ => (float)rng.NextDouble()).ToArray());
        var pair = new RepresentationPair(Column(), Column());
        var error = Assert.ThrowsAny<RepDiffInputException>(() => ((IPairMethod)new KodaMethod()).Prepare(pair, new KodaOptions { Epsilon = 0.01 }));
        Assert.Contains("9.6 GB", error.Message);
        Assert.Contains("with --kernel cosine the features route stays linear in n", error.Message);
        Assert.Equal(3L * 20_000 * 20_000 * sizeof(double), KodaMethod.Bytes(20_000));
        // The cosine kernel takes the features route there by itself (2 features): nothing n×n.
        var cosine = ((IPairMethod)new KodaMethod()).Prepare(pair, new KodaOptions { Kernel = KernelKind.Cosine });
        Assert.Equal(KodaRoute.Features, ((KodaOptions)cosine).Route);
    }

    // The features route is the cosine kernel's, and needs more samples than features.
    [Fact]
    public void TheFeaturesRouteRefusesTheGaussianKernelAndTooFewSamples()
    {
        var pair = Pair();  // 200 samples, 24 + 40 features
        var gaussian = Assert.Throws<RepDiff.Options.InvalidOptionException>(() => new KodaMethod().Run(pair, new KodaOptions { Route = KodaRoute.Features }));
        Assert.Contains("features needs --kernel cosine", gaussian.Message);
        using var few = pair.SelectRows(Enumerable.Range(0, 60).ToArray());
        var small = Assert.Throws<RepDiff.Options.InvalidOptionException>(() => new KodaMethod().Run(few, new KodaOptions { Kernel = KernelKind.Cosine, Route = KodaRoute.Features }));
        Assert.Contains("there are 60 samples for 64 features", small.Message);
    }

    /// <summary>Top eigenvector of P(kx − λky)P on the complement of found (dense; the found span pushed below the rest).</summary>
    private static double[] TopDeflated(double[] kx, double[] ky, int n, double lambda, double[][] found)
    {
        var m = Difference(kx, ky, lambda);
        var p = new double[n * n];
        for (int i = 0; i < n; i++) p[i * n + i] = 1;
        foreach (var u in found)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) p[i * n + j] -= u[i] * u[j];
        var projected = Multiply(Multiply(p, m, n), p, n);
        foreach (var u in found)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) projected[i * n + j] -= 10 * (1 + lambda) * u[i] * u[j];
        return SymmetricEigen.Decompose(projected, n).Vectors[0];
    }

    private static double[] Multiply(double[] x, double[] y, int n)
    {
        var z = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
                for (int j = 0; j < n; j++) z[i * n + j] += x[i * n + k] * y[k * n + j];
        return z;
    }

    private static double[] Difference(double[] ka, double[] kb, double lambda) => ka.Zip(kb, (p, q) => p - lambda * q).ToArray();
}
