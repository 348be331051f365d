using RepDiff.Methods.Baselines;
using RepDiff.Metrics;

namespace RepDiff.Tests.Methods.Baselines;

public class BaselineTests
{
    internal static RepresentationPair Planted(bool withLabels = false)
    {
        var groups = PlantedGroups();
        var samples = withLabels ? new SampleInfo { Labels = new SampleLabels(groups.Select(g => g.ToString()).ToArray()) } : null;
        return new RepresentationPair(TestData.LoadFixture("planted_a.npy"), TestData.LoadFixture("planted_b.npy"), samples);
    }

    internal static int[] PlantedGroups() => TestData.LoadFixture("planted_groups.npy").Data.Select(v => (int)v).ToArray();

    private static int GroupCount => PlantedGroups().Distinct().Count();

    /// <summary>The fraction of a grid's members that share its most common planted group.</summary>
    private static double Purity(int[] grid, int[] groups) =>
        grid.GroupBy(i => groups[i]).Max(g => g.Count()) / (double)grid.Length;

    private static void AssertWellFormed(Explanation e, int concepts, int grid)
    {
        Assert.Equal(2, e.Directions.Count);
        Assert.Equal([DirectionNames.ConceptsOfA, DirectionNames.ConceptsOfB], e.Directions.Select(d => d.Name));
        Assert.Equal(["a", "b"], e.Directions.Select(d => d.Explains));
        foreach (var direction in e.Directions)
        {
            Assert.Equal(concepts, direction.Concepts.Count);
            Assert.Equal(Enumerable.Range(1, concepts), direction.Concepts.Select(c => c.Rank));
            Assert.True(direction.Concepts.Zip(direction.Concepts.Skip(1)).All(p => p.First.Strength >= p.Second.Strength));
            foreach (var c in direction.Concepts)
            {
                Assert.Equal(c.Members.Take(grid), c.Grid);
                Assert.Equal(c.Members.Length, c.Scores!.Length);
                Assert.All(c.Members, i => Assert.Equal(c.Rank, direction.Labels![i]));
            }
        }
        Assert.Equal(e.N, e.Directions[0].Labels!.Length);
        Assert.True(e.Parameters.ContainsKey("seed") && e.Parameters.ContainsKey("concepts") && e.Parameters.ContainsKey("grid_size"));
    }

    [Fact]
    public void KMeansRecoversThePlantedGroupsOfA()
    {
        var pair = Planted();
        var groups = PlantedGroups();
        var e = new KMeansMethod().Run(pair, new KMeansOptions { Concepts = GroupCount, Seed = 0 });
        AssertWellFormed(e, GroupCount, 9);
        double ari = ClusterAgreement.AdjustedRandIndex(e.GetDirection(DirectionNames.ConceptsOfA).Labels!, groups);
        Assert.True(ari > 0.9, $"ARI {ari}");
        Assert.All(e.GetDirection(DirectionNames.ConceptsOfA).Concepts, c => Assert.Equal(1.0, Purity(c.Grid, groups)));
        // Grids are the members nearest their centroid.
        Assert.All(e.Directions.SelectMany(d => d.Concepts), c => Assert.True(c.Scores!.Zip(c.Scores!.Skip(1)).All(p => p.First <= p.Second)));
    }

    [Fact]
    public void ClusteringAgreementAndSilhouetteAreReported()
    {
        var pair = Planted(withLabels: true);
        var e = new KMeansMethod().Run(pair, new KMeansOptions { Concepts = GroupCount, Seed = 0 });
        var withLabels = e.Metrics["agreement_with_labels"]![DirectionNames.ConceptsOfA]!;
        double ari = withLabels["ari"]!.GetValue<double>();
        Assert.Equal(ClusterAgreement.AdjustedRandIndex(e.Directions[0].Labels!, pair.Samples.Labels!.Codes), ari, 12);
        Assert.True(withLabels["ami"]!.GetValue<double>() > 0.8);
        // B merges two planted groups and splits another, so A's and B's clusterings agree only partly.
        double ab = e.Metrics["agreement_a_b"]!["nmi"]!.GetValue<double>();
        Assert.InRange(ab, 0.3, 0.999);
        Assert.InRange(e.Metrics["silhouette"]![DirectionNames.ConceptsOfA]!.GetValue<double>(), 0.1, 1.0);
    }

    /// <summary>An undefined silhouette (a representation whose rows are all the same: one cluster) says why, as every null score does (helper 86).</summary>
    [Fact]
    public void AnUndefinedSilhouetteSaysWhy()
    {
        var b = TestData.LoadFixture("planted_b.npy");
        var a = new Matrix(b.Rows, 4);
        Array.Fill(a.Data, 1f);
        // One concept: more clusters than the one distinct row are refused (review 174, finding 10).
        var e = new KMeansMethod().Run(new RepresentationPair(a, b), new KMeansOptions { Concepts = 1 });
        foreach (string side in new[] { DirectionNames.ConceptsOfA, DirectionNames.ConceptsOfB })
        {
            Assert.Null(e.Metrics["silhouette"]![side]);
            Assert.Equal("undefined: fewer than two concepts have members", (string)e.Metrics["silhouette_note"]![side]!);
        }
    }

    [Fact]
    public void PcaGridsArePureAndTopCoefficientsPositive()
    {
        var pair = Planted();
        var groups = PlantedGroups();
        var e = new PcaMethod().Run(pair, new PcaOptions { Concepts = 3, Seed = 0 });
        AssertWellFormed(e, 3, 9);
        foreach (var c in e.GetDirection(DirectionNames.ConceptsOfA).Concepts)
        {
            Assert.Equal(1.0, Purity(c.Grid, groups));
            Assert.All(c.Scores!.Take(9), s => Assert.True(s > 0));
        }
        var ratios = e.Metrics["explained_variance_ratio"]![DirectionNames.ConceptsOfA]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.True(ratios.Sum() is > 0 and <= 1.0000001);
    }

    [Fact]
    public void NmfRecoversThePlantedGroups()
    {
        var pair = Planted();
        var groups = PlantedGroups();
        var e = new NmfMethod().Run(pair, new NmfOptions { Concepts = GroupCount, Seed = 0 });
        AssertWellFormed(e, GroupCount, 9);
        Assert.Equal("semi-nmf", e.Metrics["variant"]![DirectionNames.ConceptsOfA]!.GetValue<string>());
        var labels = e.GetDirection(DirectionNames.ConceptsOfA).Labels!;
        double ari = ClusterAgreement.AdjustedRandIndex(labels, groups);
        Assert.True(ari > 0.8, $"ARI {ari}");
        Assert.All(e.GetDirection(DirectionNames.ConceptsOfA).Concepts, c => Assert.Equal(1.0, Purity(c.Grid, groups)));
    }

    [Fact]
    public void NmfOnNonNegativeDataUsesStandardNmfAndReconstructs()
    {
        // X = W H exactly with non-negative factors of rank 3: NMF with k = 3 gets the error near zero.
        var rng = new Random(3);
        var w = new Matrix(80, 3);
        var h = new Matrix(3, 10);
        for (int i = 0; i < 80; i++) w[i, i % 3] = (float)(1 + rng.NextDouble());
        for (int j = 0; j < h.Data.Length; j++) h.Data[j] = (float)rng.NextDouble();
        var x = RepDiff.Numerics.Gemm.Multiply(w, h);
        var fit = Nmf.Fit(x, 3, seed: 1, maxIterations: 2000, tolerance: 1e-9);
        Assert.Equal(NmfVariant.Nmf, fit.Variant);
        Assert.True(fit.RelativeError < 0.02, $"relative error {fit.RelativeError}");
        Assert.All(fit.Coefficients.Data, v => Assert.True(v >= 0));
        Assert.All(fit.Dictionary.Data, v => Assert.True(v >= 0));
        var labels = Enumerable.Range(0, 80).Select(i => Enumerable.Range(0, 3).MaxBy(c => fit.Coefficients[i, c])).ToArray();
        Assert.Equal(1.0, ClusterAgreement.AdjustedRandIndex(labels, Enumerable.Range(0, 80).Select(i => i % 3).ToArray()), 6);
    }

    [Fact]
    public void ForcedNmfOnNegativeDataIsAnInputError()
    {
        var x = new Matrix(3, 2, [1, -1, 2, 0, 1, 1]);
        Assert.Throws<RepDiffInputException>(() => Nmf.Fit(x, 2, NmfVariant.Nmf));
    }

    [Fact]
    public void SemiNmfRunToManyIterationsStaysFinite()
    {
        // Run far past convergence, W's columns become so nearly dependent that the float32 product WᵀW is indefinite
        // by rounding; the least-squares step then needs a larger ridge instead of failing (it had ended in
        // "Matrix must be positive definite" from 15,000 iterations on, a crash of the command).
        var rng = RepDiff.Numerics.Rng.Create(0);
        var x = new Matrix(120, 16);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = (float)RepDiff.Numerics.Rng.Normal(rng);
        var fit = Nmf.Fit(x, 5, NmfVariant.SemiNmf, seed: 0, maxIterations: 20000, tolerance: 0);
        Assert.Equal(20000, fit.Iterations);
        Assert.True(double.IsFinite(fit.RelativeError) && fit.RelativeError < 1, $"relative error {fit.RelativeError}");
        Assert.All(fit.Dictionary.Data, v => Assert.True(float.IsFinite(v)));
        Assert.All(fit.Coefficients.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void BaselinesAreDeterministicWithTheirSeed()
    {
        var pair = Planted(withLabels: true);
        foreach (var run in new Func<int, Explanation>[]
        {
            seed => new KMeansMethod().Run(pair, new KMeansOptions { Concepts = 4, Seed = seed }),
            seed => new PcaMethod().Run(pair, new PcaOptions { Concepts = 4, Seed = seed }),
            seed => new NmfMethod().Run(pair, new NmfOptions { Concepts = 4, Seed = seed }),
        })
        {
            var first = run(7);
            var second = run(7);
            first.Timings.Clear();
            second.Timings.Clear();
            Assert.Equal(first.ToJson(), second.ToJson());
        }
    }

    [Fact]
    public void CoefficientViewSummarizesEachLabel()
    {
        var pair = Planted(withLabels: true);
        var e = new KMeansMethod().Run(pair, new KMeansOptions { Concepts = GroupCount, Seed = 0 });
        var view = e.Metrics["coefficients_by_label"]!["directions"]![DirectionNames.ConceptsOfA]!.AsArray();
        Assert.Equal(GroupCount, view.Count);
        // k-means coefficients are membership: over all concepts, each label's mean membership sums to 1.
        foreach (var label in pair.Samples.Labels!.Names)
        {
            double total = view.Sum(c => c!["by_label"]![label]!["mean"]!.GetValue<double>());
            Assert.Equal(1.0, total, 9);
        }
        Assert.Equal(0.5, CoefficientView.Quantile([0, 0.5, 1], 0.5), 12);
        Assert.Equal(0.25, CoefficientView.Quantile([0, 0.5, 1], 0.25), 12);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AFailingSideThrowsItsOwnException(bool sidesAtOnce)
    {
        // Fitted at once, the sides must still fail with the side's own exception (bad input ends as one line and
        // exit code 2), and with A's when both fail, as when they run one after the other.
        var pair = Planted();
        var error = Assert.Throws<RepDiffInputException>(() => Baseline.Run("test", pair, new PcaOptions(), "coefficient", null,
            (x, stage) => throw new RepDiffInputException($"{stage} failed"), sidesAtOnce));
        Assert.Equal($"test on {pair.NameA} failed", error.Message);
        error = Assert.Throws<RepDiffInputException>(() => Baseline.Run("test", pair, new PcaOptions(), "coefficient", null,
            (x, stage) => ReferenceEquals(x, pair.B) ? throw new RepDiffInputException($"{stage} failed") : Fit(x), sidesAtOnce));
        Assert.Equal($"test on {pair.NameB} failed", error.Message);

        SideResult Fit(Matrix x) => new([], new int[x.Rows], _ => new double[x.Rows], []);
    }
}
