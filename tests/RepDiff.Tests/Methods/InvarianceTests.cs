using RepDiff.Methods.Finc;
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
}
