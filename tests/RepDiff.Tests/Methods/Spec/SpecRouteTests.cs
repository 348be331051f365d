using RepDiff.Spectral;
using RepDiff.Methods.Spec;
using RepDiff.Numerics;
using RepDiff.IO;

namespace RepDiff.Tests.Methods.Spec;

/// <summary>Identities every route must satisfy, and the planted fixture's known answer.</summary>
public class SpecRouteTests
{
    private static RepresentationPair Planted() =>
        new(TestData.LoadFixture("planted_a.npy"), TestData.LoadFixture("planted_b.npy"));

    private static Explanation Run(RepresentationPair pair, SpecOptions options) => new SpecMethod().Run(pair, options);

    [Fact]
    public void CosineExactAndFeatureRoutesGiveTheSameEigenvaluesAndModes()
    {
        var pair = Planted();
        var exact = Run(pair, new SpecOptions { Kernel = KernelKind.Cosine, Route = SpecRoute.Exact });
        var features = Run(pair, new SpecOptions { Kernel = KernelKind.Cosine, Route = SpecRoute.Features });
        Assert.Equal("features", features.Parameters["route"]!.GetValue<string>());
        // Equal up to the Cholesky factor's tiny diagonal jitter.
        for (int i = 0; i < exact.Spectrum!.Length; i++)
            Assert.True(Math.Abs(exact.Spectrum[i] - features.Spectrum![i]) <= 1e-6 * Math.Abs(exact.Spectrum[0]), $"eigenvalue {i}: {exact.Spectrum[i]} vs {features.Spectrum![i]}");
        // Same modes: the top concept of each direction has the same leading members.
        foreach (var name in new[] { DirectionNames.MoreSimilarInA, DirectionNames.MoreSimilarInB })
            Assert.Equal(exact.GetDirection(name).Concepts[0].Members.Take(20), features.GetDirection(name).Concepts[0].Members.Take(20));
    }

    [Fact]
    public void RffCovarianceFormEqualsTheSampleSpaceOperatorOfTheSameFeatures()
    {
        // r = 100 frequencies each: D = 400 < n = 600, so SPEC takes the D×D covariance form. The n×n operator
        // Φ S Φᵀ / n of the same features, decomposed densely here, must have the same eigenvalues and modes.
        var pair = Planted();
        var omegaA = FirstColumns(TestData.LoadFixture("planted_omega_a.npy"), 100);
        var omegaB = FirstColumns(TestData.LoadFixture("planted_omega_b.npy"), 100);
        var e = Run(pair, new SpecOptions { OmegaA = TestData.SaveTemp(omegaA), OmegaB = TestData.SaveTemp(omegaB) });
        int n = pair.N;
        var phiA = new Matrix(n, 200);
        var phiB = new Matrix(n, 200);
        new RandomFourierFeatures(omegaA).Map(pair.A, phiA);
        new RandomFourierFeatures(omegaB).Map(pair.B, phiB);
        var lambda = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double ka = 0, kb = 0;
                for (int k = 0; k < 200; k++) { ka += (double)phiA[i, k] * phiA[j, k]; kb += (double)phiB[i, k] * phiB[j, k]; }
                lambda[i * n + j] = (ka - kb) / n;
            }
        var all = SymmetricEigen.Decompose(lambda, n);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(Math.Abs(all.Values[i] - e.Spectrum![i]) <= 1e-6 * all.Values[0], $"eigenvalue {i}: {all.Values[i]} vs {e.Spectrum![i]}");
            Assert.True(Math.Abs(all.Values[n - 1 - i] - e.Spectrum![^(i + 1)]) <= 1e-6 * all.Values[0], $"eigenvalue -{i}: {all.Values[n - 1 - i]} vs {e.Spectrum![^(i + 1)]}");
        }
        // The top positive mode's members are the largest entries of the sign-fixed eigenvector.
        var v = all.Vectors[0];
        double sign = v.Sum() >= 0 ? 1 : -1;
        var expected = Enumerable.Range(0, n).OrderByDescending(i => sign * v[i]).Take(20);
        Assert.Equal(expected, e.GetDirection(DirectionNames.MoreSimilarInA).Concepts[0].Members.Take(20));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(40)]  // 80 wanted pairs, more than half the default basis: it grows to 192 vectors
    public void LargeCovarianceFormBlockSolverEqualsTheSampleSpaceOperator(int modes)
    {
        // r = 400 frequencies each: D = 1,600 < n = 1,700 is past the dense limit, so SPEC runs block Lanczos on
        // Θ = Lᵀ S L. The n×n operator Φ S Φᵀ / n of the same features, solved by plain Lanczos, must agree.
        const int n = 1700;
        Assert.True(1600 > SignedEigen.DenseLimit);
        var rng = new Random(4);
        var a = new Matrix(n, 6);
        var b = new Matrix(n, 9);
        for (int i = 0; i < n; i++)
        {
            int group = i % 5;  // five groups in A; B merges groups 0 and 1
            for (int c = 0; c < 6; c++) a[i, c] = (float)((c == group ? 3 : 0) + rng.NextDouble());
            for (int c = 0; c < 9; c++) b[i, c] = (float)((c == Math.Max(group, 1) ? 3 : 0) + rng.NextDouble());
        }
        var rffA = RandomFourierFeatures.Sample(6, 400, 2.0, seed: 5);
        var rffB = RandomFourierFeatures.Sample(9, 400, 2.0, seed: 6);
        var e = Run(new RepresentationPair(a, b), new SpecOptions { OmegaA = TestData.SaveTemp(rffA.Omega), OmegaB = TestData.SaveTemp(rffB.Omega), Concepts = modes });

        var phiA = new Matrix(n, 800);
        var phiB = new Matrix(n, 800);
        rffA.Map(a, phiA);
        rffB.Map(b, phiB);
        var lambda = new double[(long)n * n];
        SampleKernels.AddGram(phiA, 1.0 / n, lambda);
        SampleKernels.AddGram(phiB, -1.0 / n, lambda);
        var reference = SignedEigen.Solve(new DenseSymmetricOperator(lambda, n), modes, 1e-12, seed: 1, progress: null);
        Assert.Equal(reference.Spectrum.Length, e.Spectrum!.Length);
        // Both sum float32 feature products (in different orders): agreement to float precision.
        for (int i = 0; i < e.Spectrum.Length; i++)
            Assert.True(Math.Abs(reference.Spectrum[i] - e.Spectrum[i]) <= 1e-6 * reference.SpectralRadius,
                $"eigenvalue {i}: {reference.Spectrum[i]} vs {e.Spectrum[i]}");
        // The strongest mode of each sign has the same leading members.
        var top = reference.PositiveVectors[0];
        double sign = top.Sum() >= 0 ? 1 : -1;
        Assert.Equal(Enumerable.Range(0, n).OrderByDescending(i => sign * top[i]).Take(20),
            e.GetDirection(DirectionNames.MoreSimilarInA).Concepts[0].Members.Take(20));
    }

    private static Matrix FirstColumns(Matrix m, int cols)
    {
        var result = new Matrix(m.Rows, cols);
        for (int i = 0; i < m.Rows; i++) m.Row(i)[..cols].CopyTo(result.Row(i));
        return result;
    }

    [Theory]
    [InlineData(KernelKind.Gaussian, SpecRoute.Exact, 0)]
    [InlineData(KernelKind.Cosine, SpecRoute.Exact, 0)]
    // [Φ_A Φ_A] has a singular covariance; the Cholesky jitter that makes it factorable leaves ~1e-8 (see the near-copy test).
    [InlineData(KernelKind.Cosine, SpecRoute.Features, 1e-5)]
    public void SpecDiffIsZeroWhenTheRepresentationsAreEqual(KernelKind kernel, SpecRoute route, double tolerance)
    {
        var a = TestData.LoadFixture("planted_a.npy");
        var e = Run(new RepresentationPair(a, a), new SpecOptions { Kernel = kernel, Route = route });
        Assert.True(e.Metrics["spec_diff"]!.GetValue<double>() <= tolerance, $"spec_diff {e.Metrics["spec_diff"]}");
        if (tolerance == 0) Assert.All(e.Directions, d => Assert.Empty(d.Concepts));
    }

    [Fact]
    public void CosineFeatureRouteAgreesWithTheExactRouteOnANearCopy()
    {
        // A against A + 1e-7: S·G is then nearly nilpotent and its eigenvalues move by √(δ‖G‖) for an error δ in G.
        // G from float GEMMs (δ ~ 1e-7) gave SPEC-diff 1.5e-4 and ten modes where the exact route gives 6e-9 and none.
        // With double products and Cholesky's jitter at 1e-14 of the mean diagonal (0.042 here; ‖G‖ = 0.52) what is
        // left is √(1e-14 · 0.042 · 0.52) = 1.5e-8 beside the exact route's float-kernel rounding (6e-9): 5e-8 bounds both.
        var a = TestData.LoadFixture("planted_a.npy");
        var b = new Matrix(a.Rows, a.Cols);
        for (int i = 0; i < a.Rows; i++)
            for (int j = 0; j < a.Cols; j++) b[i, j] = a[i, j] + 1e-7f * ((i * 31 + j * 17) % 13 - 6) / 6;
        var pair = new RepresentationPair(a, b);
        var exact = Run(pair, new SpecOptions { Kernel = KernelKind.Cosine, Route = SpecRoute.Exact });
        var features = Run(pair, new SpecOptions { Kernel = KernelKind.Cosine, Route = SpecRoute.Features });
        double exactDiff = exact.Metrics["spec_diff"]!.GetValue<double>(), featureDiff = features.Metrics["spec_diff"]!.GetValue<double>();
        Assert.True(Math.Abs(featureDiff - exactDiff) <= 5e-8, $"spec_diff: features {featureDiff}, exact {exactDiff}");
        Assert.All(features.Directions, d => Assert.Empty(d.Concepts));
    }

    [Fact]
    public void RffSpecDiffIsZeroWhenRepresentationsAndFrequenciesAreEqual()
    {
        var a = TestData.LoadFixture("planted_a.npy");
        var omega = TestData.LoadFixture("planted_omega_a.npy");
        var e = Run(new RepresentationPair(a, a), new SpecOptions { OmegaA = TestData.SaveTemp(omega), OmegaB = TestData.SaveTemp(omega) });
        Assert.True(e.Metrics["spec_diff"]!.GetValue<double>() < 1e-9, $"spec_diff {e.Metrics["spec_diff"]}");
    }

    [Fact]
    public void PlantedTopModesPickOutThePlantedGroups()
    {
        // Truth (fixtures.json): B groups 3 and 4 together (A separates them); A keeps group 2 whole while B splits it.
        var groups = TestData.LoadFixture("planted_groups.npy").Data.Select(v => (int)v).ToArray();
        var e = Run(Planted(), new SpecOptions());
        var b = e.GetDirection(DirectionNames.MoreSimilarInB).Concepts[0];
        var aTop2 = e.GetDirection(DirectionNames.MoreSimilarInA).Concepts.Take(2).ToArray();
        Assert.Equal("b", e.GetDirection(DirectionNames.MoreSimilarInB).Explains);
        Assert.Equal("a", e.GetDirection(DirectionNames.MoreSimilarInA).Explains);
        var bGroups = b.Members.Select(i => groups[i]).ToArray();
        Assert.True(bGroups.All(g => g is 3 or 4) && bGroups.Contains(3) && bGroups.Contains(4), $"B's top mode groups: {string.Join(",", bGroups)}");
        // A's two strongest modes: group 3 on its own (A separates it from 4) and group 2 whole.
        Assert.Contains(aTop2, c => c.Members.All(i => groups[i] == 2));
        Assert.Contains(aTop2, c => c.Members.All(i => groups[i] == 3));
    }

    [Fact]
    public void ConceptsFollowTheSignConventionAndDefaults()
    {
        var e = Run(Planted(), new SpecOptions());
        Assert.Equal(e.Spectrum!.OrderByDescending(v => v), e.Spectrum);
        foreach (var direction in e.Directions)
        {
            Assert.Equal(10, direction.Concepts.Count);
            foreach (var c in direction.Concepts)
            {
                Assert.Equal(50, c.Members.Length);
                Assert.Equal(c.Members.Take(9), c.Grid);
                Assert.Equal(c.Scores!.OrderByDescending(s => s), c.Scores);
            }
            Assert.Equal(direction.Concepts.Select(c => c.Strength).OrderByDescending(s => s), direction.Concepts.Select(c => c.Strength));
        }
        Assert.Equal(e.GetDirection(DirectionNames.MoreSimilarInA).Concepts[0].Strength, e.Metrics["lambda_max"]!.GetValue<double>());
        Assert.Equal(-e.GetDirection(DirectionNames.MoreSimilarInB).Concepts[0].Strength, e.Metrics["lambda_min"]!.GetValue<double>());
        Assert.True(e.Metrics["eigensolver_converged"]!.GetValue<bool>());
        Assert.True(e.Parameters["sigma_a"]!.GetValue<double>() > 0);
        Assert.Equal("exact", e.Parameters["route"]!.GetValue<string>());
    }

    [Fact]
    public void SameSeedGivesTheSameResult()
    {
        var options = new SpecOptions { Route = SpecRoute.Rff, RffDim = 200 };
        var first = Run(Planted(), options);
        var second = Run(Planted(), options);
        first.Timings.Clear();
        second.Timings.Clear();
        Assert.Equal(first.ToJson(), second.ToJson());
    }

    [Fact]
    public void TheNxNLimitIsWhatTheMachineHasFreeWhenThatIsLessThanTheFixedCap()
    {
        // 2,000 samples need 48 MB of n×n kernels: refused with 40 MB free (limit 30 MB), naming the linear route.
        var error = Assert.Throws<RepDiff.Options.InvalidOptionException>(() => Assuming(40_000_000, () => SampleKernels.CheckMemory(2000, nameof(SpecOptions.Route), "rff", rowBytes: 0)));
        Assert.Equal(nameof(SpecOptions.Route), error.Property);
        Assert.Contains("n = 2000 needs 0.0 GB for n×n kernels and the rows (limit 0.0 GB); set it to rff", error.Message);
        Assuming(80_000_000, () => SampleKernels.CheckMemory(2000, nameof(SpecOptions.Route), "rff", rowBytes: 0));
        // The rows read whole count too: 48 MB of kernels and 16 MB of rows pass no limit of 60 MB.
        Assert.Throws<RepDiff.Options.InvalidOptionException>(() => Assuming(80_000_000, () => SampleKernels.CheckMemory(2000, nameof(SpecOptions.Route), "rff", rowBytes: 16_000_000)));
        // Plenty free: the fixed cap still holds (30,000 samples need 10.8 GB).
        Assert.Equal(MemoryBudget.MaxWorkBytes, MemoryBudget.WorkLimit(1L << 40));
        Assert.Throws<RepDiff.Options.InvalidOptionException>(() => Assuming(1L << 40, () => SampleKernels.CheckMemory(30_000, nameof(SpecOptions.Route), "rff", rowBytes: 0)));
    }

    [Fact]
    public void TheCovarianceLimitIsWhatTheMachineHasFreeAsTheNxNLimitIs()
    {
        // 1,000 features: three 1,000 × 1,000 float64 matrices, 24 MB. Against the fixed 8.6 GB cap they passed on a
        // machine with 20 MB free (helper 85: spec --rff-dim 3500 on 20,000 rows under a 2 GB heap ran out of memory).
        var error = Assert.Throws<RepDiff.Options.InvalidOptionException>(() => Assuming(20_000_000, () => SampleKernels.CheckFeatureMemory(1000, 3, nameof(SpecOptions.RffDim))));
        Assert.Equal(nameof(SpecOptions.RffDim), error.Property);
        Assert.Contains("needs 0.0 GB for its 1000×1000 covariance matrices (limit 0.0 GB)", error.Message);
        Assuming(40_000_000, () => SampleKernels.CheckFeatureMemory(1000, 3, nameof(SpecOptions.RffDim)));
    }

    /// <summary>Runs a check as on a machine with this many bytes free.</summary>
    private static void Assuming(long bytes, Action check)
    {
        using (MemoryBudget.Assume(bytes)) check();
    }
}
