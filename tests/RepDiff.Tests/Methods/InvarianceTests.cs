using RepDiff.Methods.Baselines;
using RepDiff.Methods.Finc;
using RepDiff.Methods.Koda;
using RepDiff.Methods.Rdx;
using RepDiff.Methods.Spec;
using RepDiff.Metrics;
using RepDiff.Numerics;
using RepDiff.Spectral;
using RepDiff.Tests.Numerics;

namespace RepDiff.Tests.Methods;

/// <summary>
/// What docs/methods/METHODS.md §8 says the results do not depend on, and the identities eta and the kernels' own
/// invariances give, on options the fixture tests leave at their defaults (helper h140's recomputation found these
/// untested): RDX under each distance, SPEC's exact route under both kernels, FINC's eta.
/// </summary>
public class InvarianceTests
{
    private static readonly RepresentationPair Planted =
        new(TestData.LoadFixture("planted_a.npy"), TestData.LoadFixture("planted_b.npy"));

    /// <summary>c · M · Q for a random orthogonal Q: every pairwise distance is c times the original.</summary>
    private static Matrix ScaledRotation(Matrix m, double c, int seed)
    {
        var q = NumericsTestData.RandomOrthogonal(m.Cols, seed);
        var result = new Matrix(m.Rows, m.Cols);
        for (int i = 0; i < m.Rows; i++)
            for (int j = 0; j < m.Cols; j++)
            {
                double s = 0;
                for (int k = 0; k < m.Cols; k++) s += (double)m[i, k] * q[k][j];
                result[i, j] = (float)(c * s);
            }
        return result;
    }

    private static void AssertRelative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Abs(expected), $"{what}: {actual} against {expected}");

    /// <summary>
    /// §8: RDX under every distance keeps each concept's members, and BSR and its chance levels, when B becomes c·B·Q; its
    /// strengths agree to 6e-4 (float32 ranks of rotated distances may round differently). Local scaling divides by each
    /// sample's own scale and max-normalized by the largest distance, so c cancels; ranks never see it.
    /// </summary>
    [Theory]
    [InlineData(RdxDistance.Neighborhood, 1e3)]
    [InlineData(RdxDistance.MaxNormalized, 1e-3)]
    [InlineData(RdxDistance.LocalScaling, 1e3)]
    public void RdxKeepsItsConceptsWhenBIsScaledAndRotated(RdxDistance distance, double scale)
    {
        var options = new RdxOptions { Distance = distance, Gamma = 0.4, Concepts = 4, GridSize = 7 };
        var moved = new RepresentationPair(Planted.A, ScaledRotation(Planted.B, scale, seed: 11));
        var given = new RdxMethod().Run(Planted, options);
        var other = new RdxMethod().Run(moved, options);
        foreach (var (e, pair) in new[] { (given, Planted), (other, moved) })
        {
            Bsr.Evaluate(e, pair);
            BsrChance.Evaluate(e, pair);
        }
        foreach (var direction in given.Directions)
        {
            var concepts = other.GetDirection(direction.Name).Concepts;
            Assert.Equal(direction.Concepts.Count, concepts.Count);
            for (int c = 0; c < concepts.Count; c++)
            {
                Assert.Equal(direction.Concepts[c].Members.Order(), concepts[c].Members.Order());
                Assert.Equal(direction.Concepts[c].Grid.Order(), concepts[c].Grid.Order());
                AssertRelative(direction.Concepts[c].Strength, concepts[c].Strength, 6e-4, $"{direction.Name} concept {c + 1} strength");
            }
        }
        foreach (string key in new[] { "bsr", "bsr_mned", "bsr_lsed", "bsr_chance", "bsr_mned_chance", "bsr_lsed_chance" })
            Assert.Equal(given.Metrics[key]!.ToJsonString(), other.Metrics[key]!.ToJsonString());
    }

    /// <summary>
    /// §8: SPEC's exact route with median bandwidths (or the cosine kernel, blind to c and Q) has the same kernel of c·B·Q
    /// as of B, so the same spectrum and members.
    /// </summary>
    [Theory]
    [InlineData(KernelKind.Gaussian, 1e3, 0.6)]
    [InlineData(KernelKind.Cosine, 1e-3, 2.5)]
    public void SpecExactRouteIsBlindToAScaledRotationOfB(KernelKind kernel, double scale, double eta)
    {
        var options = new SpecOptions { Kernel = kernel, Route = SpecRoute.Exact, Eta = eta, Concepts = 4, Members = 30 };
        var given = new SpecMethod().Run(Planted, options);
        var other = new SpecMethod().Run(new RepresentationPair(Planted.A, ScaledRotation(Planted.B, scale, seed: 12)), options);
        double norm = Math.Abs(given.Spectrum![0]) + Math.Abs(given.Spectrum[^1]);
        for (int i = 0; i < given.Spectrum.Length; i++)
            Assert.True(Math.Abs(given.Spectrum[i] - other.Spectrum![i]) <= 1e-6 * norm, $"eigenvalue {i}: {other.Spectrum[i]} against {given.Spectrum[i]}");
        foreach (var direction in given.Directions)
        {
            var concepts = other.GetDirection(direction.Name).Concepts;
            Assert.NotEmpty(concepts);
            Assert.Equal(direction.Concepts.Count, concepts.Count);
            for (int c = 0; c < concepts.Count; c++)
                Assert.Equal(direction.Concepts[c].Members.Take(20).Order(), concepts[c].Members.Take(20).Order());
        }
    }

    /// <summary>
    /// B against A is A against B with the sign of Λ = (K_A − K_B)/n turned: the spectrum is negated and reversed and
    /// the directions exchange their modes (eta = 1, where the swap is exact).
    /// </summary>
    [Theory]
    [InlineData(KernelKind.Gaussian)]
    [InlineData(KernelKind.Cosine)]
    public void SpecOfBAgainstANegatesTheSpectrum(KernelKind kernel)
    {
        var options = new SpecOptions { Kernel = kernel, Route = SpecRoute.Exact, Concepts = 3, Members = 25 };
        var given = new SpecMethod().Run(Planted, options);
        var swapped = new SpecMethod().Run(new RepresentationPair(Planted.B, Planted.A), options);
        double norm = Math.Abs(given.Spectrum![0]) + Math.Abs(given.Spectrum[^1]);
        Assert.Equal(given.Spectrum.Length, swapped.Spectrum!.Length);
        for (int i = 0; i < given.Spectrum.Length; i++)
            Assert.True(Math.Abs(given.Spectrum[i] + swapped.Spectrum[^(i + 1)]) <= 1e-9 * norm, $"eigenvalue {i}");
        foreach (var (name, mirrored) in new[] { (DirectionNames.MoreSimilarInA, DirectionNames.MoreSimilarInB), (DirectionNames.MoreSimilarInB, DirectionNames.MoreSimilarInA) })
        {
            var concepts = given.GetDirection(name).Concepts;
            var other = swapped.GetDirection(mirrored).Concepts;
            Assert.NotEmpty(concepts);
            Assert.Equal(concepts.Count, other.Count);
            for (int c = 0; c < concepts.Count; c++)
            {
                Assert.Equal(concepts[c].Members.Take(15), other[c].Members.Take(15));
                AssertRelative(concepts[c].Strength, other[c].Strength, 1e-9, $"{name} mode {c + 1}");
            }
        }
    }

    /// <summary>
    /// FINC of a set against itself with weight eta on the reference: the pooled operator W K (W = diag(1/n, −eta/n))
    /// of [X; X] has, on vectors (u, −eta u), the eigenvalues (1 − eta) · eig(K_X / n), and zero elsewhere. So with eta
    /// below 1 every mode is more frequent in TEST and the strengths are (1 − eta) times K_X/n's top eigenvalues; above 1,
    /// every mode is REF's. K_X is built here in double from the same σ.
    /// </summary>
    [Theory]
    [InlineData(0.25)]
    [InlineData(1.5)]
    public void FincOfASetAgainstItselfScalesItsKernelsSpectrumByOneMinusEta(double eta)
    {
        var x = TestData.LoadFixture("finc_test.npy").SelectRows([.. Enumerable.Range(0, 300)]);
        var e = new FincMethod().Run(new SampleSets(x, x), new FincOptions { Route = FincRoute.Exact, Eta = eta, Concepts = 4, Sigma = 3.5 });
        int n = x.Rows;
        var kernel = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double squared = 0;
                for (int k = 0; k < x.Cols; k++) { double t = (double)x[i, k] - x[j, k]; squared += t * t; }
                kernel[i * n + j] = Math.Exp(-squared / (2 * 3.5 * 3.5)) / n;
            }
        var expected = SymmetricEigen.Decompose(kernel, n).Values;   // descending
        var (found, empty) = eta < 1
            ? (DirectionNames.MoreFrequentInTest, DirectionNames.MoreFrequentInRef)
            : (DirectionNames.MoreFrequentInRef, DirectionNames.MoreFrequentInTest);
        Assert.Empty(e.GetDirection(empty).Concepts);
        var concepts = e.GetDirection(found).Concepts;
        Assert.Equal(4, concepts.Count);
        for (int c = 0; c < 4; c++)
            AssertRelative(Math.Abs(1 - eta) * expected[c], concepts[c].Strength, 1e-6, $"mode {c + 1}");
    }

    // The invariance audit (helper h222): scale by 1e-4 and 1e4, rotation, and the order of the rows, per method, where
    // METHODS.md's math has no constant in the data's units (a given bandwidth or ε has one, and is left out).

    /// <summary>Every other row of the planted pair: 300 rows, above Lanczos's dense cut-off (200), so KODA's and SPEC's
    /// eigensolves run the Krylov solver from their seeded start vectors.</summary>
    private static readonly RepresentationPair PlantedHalf = new(
        Planted.A.SelectRows([.. Enumerable.Range(0, 300).Select(i => 2 * i)]), Planted.B.SelectRows([.. Enumerable.Range(0, 300).Select(i => 2 * i)]));

    /// <summary>A seeded order of n rows: row r of the reordered input is row order[r] of the given one.</summary>
    private static int[] Order(int n, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }

    private static RepresentationPair Reordered(RepresentationPair pair, int[] order) => new(pair.A.SelectRows(order), pair.B.SelectRows(order));

    /// <summary>A ×1e-4 and B ×1e4, each turned by its own random orthogonal matrix.</summary>
    private static RepresentationPair ShrunkAndGrown(RepresentationPair pair) =>
        new(ScaledRotation(pair.A, 1e-4, seed: 13), ScaledRotation(pair.B, 1e4, seed: 14));

    /// <summary>
    /// <paramref name="other"/> has <paramref name="given"/>'s concepts in every direction: as many, the first
    /// <paramref name="top"/> members of each as the same set of samples (member m of other's direction d is sample
    /// rowOf(d, m) of given's), and strengths within <paramref name="strengthTolerance"/> relative (null: strengths in the
    /// data's units, which scale).
    /// </summary>
    private static void AssertSameConcepts(Explanation given, Explanation other, int top, double? strengthTolerance,
        Func<string, int, int>? rowOf = null)
    {
        Assert.Contains(given.Directions, d => d.Concepts.Count > 0);
        foreach (var direction in given.Directions)
        {
            var concepts = other.GetDirection(direction.Name).Concepts;
            Assert.Equal(direction.Concepts.Count, concepts.Count);
            for (int c = 0; c < concepts.Count; c++)
            {
                var members = concepts[c].Members.Take(top).Select(m => rowOf is null ? m : rowOf(direction.Name, m));
                Assert.Equal(direction.Concepts[c].Members.Take(top).Order(), members.Order());
                if (strengthTolerance is { } tolerance)
                    AssertRelative(direction.Concepts[c].Strength, concepts[c].Strength, tolerance, $"{direction.Name} concept {c + 1} strength");
            }
        }
    }

    /// <summary>KODA's ε of each side and λ of each mode agree: λ to the bisection's tolerance 1e-3, ε to 1e-4 (the median
    /// of the nonzero eigenvalues lies far below the kernel's largest (2.7e-6 on B's Gaussian kernel here), where the
    /// float32 distances of c·B·Q, rounded otherwise than B's, moved it by 2.7e-5 of itself).</summary>
    private static void AssertSameKodaSearch(Explanation given, Explanation other)
    {
        foreach (string key in new[] { "epsilon_a", "epsilon_b" })
            AssertRelative(given.Metrics[key]!.GetValue<double>(), other.Metrics[key]!.GetValue<double>(), 1e-4, key);
        foreach (var (name, lambdas) in given.Metrics["koda_lambda"]!.AsObject())
        {
            var others = other.Metrics["koda_lambda"]![name]!.AsArray();
            Assert.Equal(lambdas!.AsArray().Count, others.Count);
            for (int k = 0; k < others.Count; k++)
                AssertRelative(lambdas[k]!.GetValue<double>(), others[k]!.GetValue<double>(), 2e-3, $"{name} λ {k + 1}");
        }
    }

    /// <summary>
    /// KODA's kernels are SPEC's: with median bandwidths (or the cosine kernel) c·A·Q has A's kernel, so ε, λ and the modes
    /// cannot depend on the data's scale or orientation. Its zero tests compare quadratic forms of kernels divided by n,
    /// which carry no units, so A ×1e-4 and B ×1e4 decide as A and B do.
    /// </summary>
    [Theory]
    [InlineData(KernelKind.Gaussian)]
    [InlineData(KernelKind.Cosine)]
    public void KodaKeepsItsModesWhenAIsShrunkAndBIsGrownAndBothRotated(KernelKind kernel)
    {
        var options = new KodaOptions { Kernel = kernel, Concepts = 3, Members = 30, LambdaTolerance = 1e-6, BisectionSteps = 60 };
        var given = new KodaMethod().Run(PlantedHalf, options);
        var other = new KodaMethod().Run(ShrunkAndGrown(PlantedHalf), options);
        AssertSameKodaSearch(given, other);
        AssertSameConcepts(given, other, top: 20, strengthTolerance: 5e-3);
    }

    /// <summary>KODA is deterministic and its kernels follow the rows: rows in another order give the same modes (to the
    /// bisection's tolerance, since Lanczos's seeded start vector is drawn over row positions).</summary>
    [Fact]
    public void KodaGivesTheSameModesForRowsInAnotherOrder()
    {
        var order = Order(PlantedHalf.N, seed: 3);
        var options = new KodaOptions { Concepts = 3, Members = 30, LambdaTolerance = 1e-6, BisectionSteps = 60 };
        var given = new KodaMethod().Run(PlantedHalf, options);
        var other = new KodaMethod().Run(Reordered(PlantedHalf, order), options);
        AssertSameKodaSearch(given, other);
        AssertSameConcepts(given, other, top: 20, strengthTolerance: 5e-3, rowOf: (_, m) => order[m]);
    }

    /// <summary>SPEC's exact route with median bandwidths (or the cosine kernel) at the extremes: A ×1e-4, B ×1e4.</summary>
    [Theory]
    [InlineData(KernelKind.Gaussian)]
    [InlineData(KernelKind.Cosine)]
    public void SpecExactRouteKeepsItsModesWhenAIsShrunkAndBIsGrown(KernelKind kernel)
    {
        var options = new SpecOptions { Kernel = kernel, Route = SpecRoute.Exact, Concepts = 3, Members = 30 };
        var given = new SpecMethod().Run(PlantedHalf, options);
        var other = new SpecMethod().Run(ShrunkAndGrown(PlantedHalf), options);
        AssertSameConcepts(given, other, top: 20, strengthTolerance: 1e-5);
    }

    /// <summary>§8: SPEC's exact and rff routes give the same modes for rows in another order (the rff frequencies are
    /// drawn in the coordinates, not over the rows).</summary>
    [Theory]
    [InlineData(SpecRoute.Exact)]
    [InlineData(SpecRoute.Rff)]
    public void SpecGivesTheSameModesForRowsInAnotherOrder(SpecRoute route)
    {
        var order = Order(PlantedHalf.N, seed: 4);
        var options = route == SpecRoute.Rff
            ? new SpecOptions { Route = route, RffDim = 400, Concepts = 3, Members = 30 }
            : new SpecOptions { Route = route, Concepts = 3, Members = 30 };
        var given = new SpecMethod().Run(PlantedHalf, options);
        var other = new SpecMethod().Run(Reordered(PlantedHalf, order), options);
        AssertSameConcepts(given, other, top: 20, strengthTolerance: 1e-5, rowOf: (_, m) => order[m]);
    }

    /// <summary>
    /// FINC's one representation ×1e-4 (turned by Q on the exact route, whose kernel sees only distances; the rff route's
    /// frequencies are drawn in the coordinates) keeps its modes under the median bandwidth; TEST's rows in another order
    /// give the same modes, those of TEST mapped back.
    /// </summary>
    [Theory]
    [InlineData(FincRoute.Exact)]
    [InlineData(FincRoute.Rff)]
    public void FincIgnoresItsRepresentationsScaleAndTheOrderOfTest(FincRoute route)
    {
        int[] rows = [.. Enumerable.Range(0, 250)];
        var (test, reference) = (TestData.LoadFixture("finc_test.npy").SelectRows(rows), TestData.LoadFixture("finc_ref.npy").SelectRows(rows));
        var options = route == FincRoute.Rff
            ? new FincOptions { Route = route, RffDim = 400, Concepts = 3, Members = 30 }
            : new FincOptions { Route = route, Concepts = 3, Members = 30 };
        var given = new FincMethod().Run(new SampleSets(test, reference), options);
        var moved = route == FincRoute.Exact
            ? new SampleSets(ScaledRotation(test, 1e-4, seed: 15), ScaledRotation(reference, 1e-4, seed: 15))
            : new SampleSets(Scaled(test, 1e-4), Scaled(reference, 1e-4));
        AssertSameConcepts(given, new FincMethod().Run(moved, options), top: 20, strengthTolerance: 1e-4);
        var order = Order(test.Rows, seed: 5);
        var reordered = new FincMethod().Run(new SampleSets(test.SelectRows(order), reference), options);
        AssertSameConcepts(given, reordered, top: 20, strengthTolerance: 1e-5,
            rowOf: (direction, m) => direction == DirectionNames.MoreFrequentInTest ? order[m] : m);
    }

    private static Matrix Scaled(Matrix m, double c) => new(m.Rows, m.Cols, [.. m.Data.Select(v => (float)(c * v))]);

    /// <summary>§8: linear, debiased and RBF CKA and mutual k-NN read only inner products, distances and neighbour sets, so
    /// A ×1e-4 and B ×1e4 (each rotated) and the rows in another order give the same figures.</summary>
    [Fact]
    public void CkaAndMutualNeighboursIgnoreScaleRotationAndRowOrder()
    {
        var (a, b) = (Planted.A, Planted.B);
        var order = Order(a.Rows, seed: 6);
        var moved = ShrunkAndGrown(Planted);
        var (linear, debiased, rbf, knn) = (Cka.Linear(a, b)!.Value, Cka.LinearDebiased(a, b)!.Value, Cka.Rbf(a, b, out _)!.Value, MutualKnn.Alignment(a, b));
        foreach (var (x, y, what) in new[] { (moved.A, moved.B, "scaled and rotated"), (a.SelectRows(order), b.SelectRows(order), "reordered") })
        {
            AssertRelative(linear, Cka.Linear(x, y)!.Value, 1e-5, $"linear CKA, {what}");
            AssertRelative(debiased, Cka.LinearDebiased(x, y)!.Value, 1e-5, $"debiased CKA, {what}");
            AssertRelative(rbf, Cka.Rbf(x, y, out _)!.Value, 1e-5, $"RBF CKA, {what}");
            AssertRelative(knn, MutualKnn.Alignment(x, y), 1e-9, $"mutual k-NN, {what}");
        }
    }

    /// <summary>RDX's neighbourhood ranks at the extremes (A ×1e-4, B ×1e4, each rotated), through its default options.</summary>
    [Fact]
    public void RdxKeepsItsConceptsWhenAIsShrunkAndBIsGrown()
    {
        var options = new RdxOptions { Concepts = 4, GridSize = 7 };
        var given = new RdxMethod().Run(Planted, options);
        AssertSameConcepts(given, new RdxMethod().Run(ShrunkAndGrown(Planted), options), top: int.MaxValue, strengthTolerance: 6e-4);
    }

    /// <summary>§8: k-means, PCA and NMF run on each representation alone and keep their members at A ×1e-4 and B ×1e4
    /// (their strengths are in the data's units: a variance, an inertia). k-means and PCA see A and B rotated too.</summary>
    [Fact]
    public void BaselinesKeepTheirMembersWhenAIsShrunkAndBIsGrown()
    {
        var moved = ShrunkAndGrown(Planted);
        var scaled = new RepresentationPair(Scaled(Planted.A, 1e-4), Scaled(Planted.B, 1e4));
        AssertSameConcepts(new KMeansMethod().Run(Planted, new KMeansOptions()), new KMeansMethod().Run(moved, new KMeansOptions()), int.MaxValue, null);
        AssertSameConcepts(new PcaMethod().Run(Planted, new PcaOptions()), new PcaMethod().Run(moved, new PcaOptions()), int.MaxValue, null);
        AssertSameConcepts(new NmfMethod().Run(Planted, new NmfOptions()), new NmfMethod().Run(scaled, new NmfOptions()), int.MaxValue, null);
    }
}
