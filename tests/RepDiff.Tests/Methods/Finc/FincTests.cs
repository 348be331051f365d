using RepDiff.Tests.Methods.Spec;
using RepDiff.Methods.Finc;
using RepDiff.Methods.Spec;
using RepDiff.Numerics;

namespace RepDiff.Tests.Methods.Finc;

public class FincTests
{
    private static readonly Matrix Test = TestData.LoadFixture("finc_test.npy");
    private static readonly Matrix Ref = TestData.LoadFixture("finc_ref.npy");

    /// <summary>
    /// TEST's first 300 rows, for the near-copy test: a pooled 600 rows are still above SignedEigen.DenseLimit, so Lanczos
    /// solves them as it solves 1,000 + 1,000, and the float32 kernel the test guards against made modes at this size too
    /// (finc_diff 5.5e-5 on the code before the fix), in about a third of the eigensolver's time.
    /// </summary>
    private static readonly Matrix TestPart = Test.SelectRows(Enumerable.Range(0, 300).ToArray());

    private static int[] Groups(string name) => TestData.LoadFixture(name).Data.Select(v => (int)v).ToArray();

    [Fact]
    public void EigenvaluesMatchReferenceWithTheGivenFrequencies()
    {
        var e = new FincMethod().Run(new SampleSets(Test, Ref), new FincOptions { Omega = TestData.Fixture("finc_omega.npy") });
        var reference = TestData.Reference["finc"]!["finc"]!;
        SpecFixtureTests.AssertClose(TestData.Doubles(reference["top"]!), e.Spectrum!.Take(10).ToArray());
        SpecFixtureTests.AssertClose(TestData.Doubles(reference["bottom"]!), e.Spectrum!.Reverse().Take(10).ToArray());
        Assert.Equal("rff", e.Parameters["route"]!.GetValue<string>());
    }

    /// <summary>
    /// One TEST row against REF's rows: one positive eigenvalue, the rest negative. The negative ones among the k largest had
    /// been added to the k smallest, so the reference direction held 2k − 1 concepts (19 for 10) and weak ones among them.
    /// REF's first 40 rows: the defect was the dense solver's (up to SignedEigen.DenseLimit), and against 40 rows both routes
    /// solve densely and gave 7 concepts for 4 on the code before the fix; against all 1,000 rows both FINC runs passed there
    /// (the exact route is Lanczos above 400 pooled rows; only the 9 × 9 check below failed), and the rff run did against 80.
    /// </summary>
    [Theory]
    [InlineData(FincRoute.Exact)]
    [InlineData(FincRoute.Rff)]
    public void NoDirectionHoldsMoreConceptsThanAskedForWhenOneSetIsTiny(FincRoute route)
    {
        var e = new FincMethod().Run(new SampleSets(Test.SelectRows([0]), Ref.SelectRows(Enumerable.Range(0, 40).ToArray())), Options(route) with { Concepts = 4 });
        Assert.Single(e.GetDirection(DirectionNames.MoreFrequentInTest).Concepts);
        var fromRef = e.GetDirection(DirectionNames.MoreFrequentInRef).Concepts;
        Assert.Equal(4, fromRef.Count);
        Assert.True(fromRef.Zip(fromRef.Skip(1)).All(p => p.First.Strength >= p.Second.Strength), "the strongest four, strongest first");
        // And the dense solver alone: diag(5, −1, −2, …, −8) has one positive mode and its k = 3 most negative ones.
        double[] values = [5, -1, -2, -3, -4, -5, -6, -7, -8];
        var diagonal = new double[values.Length * values.Length];
        for (int i = 0; i < values.Length; i++) diagonal[i * values.Length + i] = values[i];
        var modes = RepDiff.Spectral.SignedEigen.Solve(diagonal, values.Length, 3, 1e-9, seed: 0, progress: null);
        Assert.Equal([5.0], modes.PositiveValues);
        Assert.Equal([-8.0, -7.0, -6.0], modes.NegativeValues);
    }

    [Theory]
    [InlineData(FincRoute.Rff)]
    [InlineData(FincRoute.Exact)]
    public void TopModesFindTheGroupPresentInOnlyOneSet(FincRoute route)
    {
        // Truth (fixtures.json): group 4 exists only in TEST, group 5 only in REF.
        var e = new FincMethod().Run(new SampleSets(Test, Ref), Options(route));
        var inTest = e.GetDirection(DirectionNames.MoreFrequentInTest).Concepts[0];
        var inRef = e.GetDirection(DirectionNames.MoreFrequentInRef).Concepts[0];
        var testGroups = Groups("finc_test_groups.npy");
        var refGroups = Groups("finc_ref_groups.npy");
        Assert.All(inTest.Members, i => Assert.Equal(4, testGroups[i]));
        Assert.All(inRef.Members, i => Assert.Equal(5, refGroups[i]));
        Assert.Null(e.GetDirection(DirectionNames.MoreFrequentInTest).Explains);
        Assert.Equal("ref", e.GetDirection(DirectionNames.MoreFrequentInRef).Rows);
    }

    /// <summary>The fixture's bandwidth; 400 frequencies on the rff route (the exact route reads none, and refuses a number).</summary>
    private static FincOptions Options(FincRoute route) =>
        route == FincRoute.Rff ? new FincOptions { Sigma = 6, Route = route, RffDim = 400 } : new FincOptions { Sigma = 6, Route = route };

    /// <summary>
    /// A set against itself differs only by round-off: the exact route's float32 kernel puts its eigenvalues near 1e-7,
    /// which the double-precision zero of 1e-12 had reported as five modes a direction, with a warning that the
    /// eigensolver had not converged on them.
    /// </summary>
    [Theory]
    [InlineData(FincRoute.Rff)]
    [InlineData(FincRoute.Exact)]
    public void ASetAgainstItselfHasNoModes(FincRoute route)
    {
        var e = new FincMethod().Run(new SampleSets(Test, Test), Options(route));
        Assert.All(e.Directions, d => Assert.Empty(d.Concepts));
        Assert.True(e.Metrics["finc_diff"]!.GetValue<double>() < 1e-6);
        Assert.True(e.Metrics["eigensolver_converged"]!.GetValue<bool>());
    }

    /// <summary>
    /// A set against a copy of itself one float32 step away in half its values (a model's embeddings written twice, once
    /// through another library) differs by round-off alone. The exact route's kernel from float32 distances was indefinite
    /// once the copies' round-off differed, its Cholesky factor then took a larger jitter, and the jitter alone made
    /// eigenvalues of about √(jitter · ‖K‖) / n (against TEST + 1e-7 noise: jitter 1e-6, ±3.6e-5, five groups "more
    /// frequent" in each set; numpy's float64 eigenvalues are 1.6e-9).
    /// </summary>
    [Fact]
    public void ASetAgainstItsCopyOneStepAwayHasNoModesOnTheExactRoute()
    {
        var copy = new Matrix(TestPart.Rows, TestPart.Cols, TestPart.Data.Select((v, i) => i % 2 == 0 ? MathF.BitIncrement(v) : v).ToArray());
        var e = new FincMethod().Run(new SampleSets(TestPart, copy), Options(FincRoute.Exact));
        Assert.All(e.Directions, d => Assert.Empty(d.Concepts));
        Assert.True(e.Metrics["finc_diff"]!.GetValue<double>() < 1e-6, $"finc_diff {e.Metrics["finc_diff"]}");
    }

    /// <summary>
    /// A small set against itself, or against its rows reordered, is the same set at every n. With the first 1e-10
    /// Cholesky jitter, the nilpotent W K of such a pair turned it into eigenvalues of about max|w| √(jitter · n): 9e-6
    /// at n = 2, 2.5e-6 at n = 20, above the 2e-6 zero, so FINC reported modes of a set against itself (review 174).
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(40)]
    public void ASmallSetAgainstItselfOrReorderedHasNoModes(int rows)
    {
        var rng = new Random(rows);
        var set = new Matrix(rows, 8, Enumerable.Range(0, rows * 8).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray());
        var order = Enumerable.Range(0, rows).Reverse().ToArray();
        foreach (var other in new[] { set, set.SelectRows(order) })
        {
            var e = new FincMethod().Run(new SampleSets(set, other), new FincOptions { Route = FincRoute.Exact });
            Assert.All(e.Directions, d => Assert.Empty(d.Concepts));
            Assert.True(e.Metrics["finc_diff"]!.GetValue<double>() < 1e-6, $"finc_diff {e.Metrics["finc_diff"]} at n = {rows}");
        }
    }

    [Fact]
    public void ExactRouteOnTheFeatureKernelEqualsTheCovarianceRoute()
    {
        // The sample-space operator with K = Φ Φᵀ (pooled Fourier features) has the covariance route's nonzero eigenvalues.
        var omega = TestData.LoadFixture("finc_omega.npy");
        var tx = Test.SelectRows(Enumerable.Range(0, 300).ToArray());
        var ty = Ref.SelectRows(Enumerable.Range(0, 250).ToArray());
        var covariance = new FincMethod().Run(new SampleSets(tx, ty), new FincOptions { Omega = TestData.SaveTemp(omega), Eta = 0.8 });
        var rff = new RandomFourierFeatures(omega);
        var phi = new Matrix(550, 2 * rff.Frequencies);
        var pooled = new Matrix(550, tx.Cols);
        tx.Data.CopyTo(pooled.Data, 0);
        ty.Data.CopyTo(pooled.Data, tx.Data.Length);
        rff.Map(pooled, phi);
        var kernel = new double[550 * 550];
        for (int i = 0; i < 550; i++)
            for (int j = 0; j < 550; j++)
            {
                double s = 0;
                for (int c = 0; c < phi.Cols; c++) s += (double)phi[i, c] * phi[j, c];
                kernel[i * 550 + j] = s;
            }
        var (modes, testMembers, _) = FincMethod.SampleSpaceModes(kernel, 300, 250, 0.8, 10, 50, 1e-12, 0, null);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(Math.Abs(modes.Spectrum[i] - covariance.Spectrum![i]) <= 1e-6 * modes.Spectrum[0], $"eigenvalue {i}: {modes.Spectrum[i]} vs {covariance.Spectrum![i]}");
            Assert.True(Math.Abs(modes.Spectrum[^(i + 1)] - covariance.Spectrum![^(i + 1)]) <= 1e-6 * modes.Spectrum[0]);
        }
        Assert.Equal(testMembers.Concepts(modes.PositiveValues, 9, 0)[0].Members.Take(20),
            covariance.GetDirection(DirectionNames.MoreFrequentInTest).Concepts[0].Members.Take(20));
    }

    /// <summary>
    /// Two rows against two on the Fourier route: the 6,000 × 6,000 feature covariance has rank 4, and Lanczos spent 90 s
    /// hunting copies of its zero eigenvalue, then warned that it had not converged. With fewer rows than features the
    /// pooled feature Gram is solved instead (as SPEC's feature route does): converged at once, the same modes. Which route ran
    /// is read from the stages the run reports, not from the time it took (a 30-second bound had failed only on a slow machine).
    /// </summary>
    [Fact]
    public void FewerRowsThanFourierFeaturesSolveThePooledGram()
    {
        var (tx, ty) = (Test.SelectRows([0, 1]), Ref.SelectRows([0, 1]));
        var stages = new StageRecorder();
        var rff = new FincMethod().Run(new SampleSets(tx, ty), new FincOptions { Sigma = 6, Route = FincRoute.Rff }, stages);
        Assert.True(rff.Metrics["eigensolver_converged"]!.GetValue<bool>());
        Assert.NotEmpty(stages.Seen);
        Assert.DoesNotContain("test covariance", stages.Seen);       // the D x D covariance is never accumulated
        Assert.DoesNotContain("reference covariance", stages.Seen);
        var exact = new FincMethod().Run(new SampleSets(tx, ty), new FincOptions { Sigma = 6, Route = FincRoute.Exact });
        Assert.Equal(exact.Directions.Select(d => d.Concepts.Count), rff.Directions.Select(d => d.Concepts.Count));
        foreach (var (e, r) in exact.Directions.Zip(rff.Directions))
            Assert.All(e.Concepts.Zip(r.Concepts), pair =>
            {
                Assert.Equal(pair.First.Members.Order(), pair.Second.Members.Order());
                Assert.InRange(pair.Second.Strength, 0.9 * pair.First.Strength, 1.1 * pair.First.Strength);   // 3,000 frequencies: within a few %
            });
    }

    /// <summary>The names of the stages a run reports progress in.</summary>
    private sealed class StageRecorder : IProgress<ProgressUpdate>
    {
        private readonly HashSet<string> seen = [];

        public IReadOnlyCollection<string> Seen { get { lock (seen) return [.. seen]; } }

        public void Report(ProgressUpdate value)
        {
            lock (seen) seen.Add(value.Stage);
        }
    }

    [Fact]
    public void DifferentDimensionsAreAnInputError()
    {
        var other = new Matrix(10, 5);
        var e = Assert.Throws<RepDiffInputException>(() => new FincMethod().Run(new SampleSets(Test, other), new FincOptions()));
        Assert.Contains("dimension", e.Message);
    }
    /// <summary>
    /// The exact route's kernel, taken rows in blocks against every later row (helper 100: row by row it took 78 s on 3,000 rows
    /// of 20,000 dimensions): every entry, on both sides of the diagonal and across a ragged last block (37 rows), is the Gaussian
    /// of the distance summed in double, and adds to what dest held.
    /// </summary>
    [Fact]
    public void TheExactKernelFromDifferencesIsEveryPairsGaussian()
    {
        var random = new Random(3);
        int n = 37, d = 11;
        var x = new Matrix(n, d, Enumerable.Range(0, n * d).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray());
        var kernel = Enumerable.Repeat(0.25, n * n).ToArray();
        RepDiff.Spectral.SampleKernels.AddGaussianFromDifferences(x, 1.5, 2, kernel);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double squared = Enumerable.Range(0, d).Sum(c => Math.Pow((double)x.Data[i * d + c] - x.Data[j * d + c], 2));
                Assert.Equal(0.25 + 2 * Math.Exp(-squared / (2 * 1.5 * 1.5)), kernel[i * n + j], 1e-12);
            }
    }
}
