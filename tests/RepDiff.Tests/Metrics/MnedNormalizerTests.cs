using RepDiff.Metrics;
using RepDiff.Numerics;

namespace RepDiff.Tests.Metrics;

public class MnedNormalizerTests
{
    private static Matrix Gaussian(int n, int d, int seed)
    {
        var rng = Rng.Create(seed);
        var x = new Matrix(n, d);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = (float)Rng.Normal(rng);
        return x;
    }

    [Fact]
    public void SmallSetsKeepTheExactAllPairsValue()
    {
        var x = Gaussian(MnedNormalizer.ExactRowsLimit, 8, seed: 1);
        var (value, exact) = MnedNormalizer.Compute(x);
        Assert.True(exact);
        Assert.Equal(Bsr.MaxDistance(x), value);
    }

    [Fact]
    public void SampledValueIsARealPairWithinItsStatedBound()
    {
        var x = Gaussian(MnedNormalizer.ExactRowsLimit + 1_000, 16, seed: 2);
        var (value, exact) = MnedNormalizer.Compute(x);
        double truth = Bsr.MaxDistance(x);
        Assert.False(exact);
        Assert.True(value <= truth);
        // The stated bound: at least the farthest-row distance of all but 0.5% of the rows (fails with probability 0.6%
        // over seeds; the seed is fixed, so this is a check of the code, not a coin).
        var all = Distances.SquaredEuclidean(x);
        var farthest = Enumerable.Range(0, x.Rows).Select(i => Math.Sqrt(all.Row(i).ToArray().Max())).Order().ToArray();
        Assert.True(value >= farthest[(int)(0.995 * x.Rows)] * (1 - 1e-6));
        Assert.True(value >= 0.95 * truth, $"sampled {value} against exact {truth}");
    }

    /// <summary>
    /// evaluate of an RDX run above 5,000 rows: RDX divided MNED by the exact largest distances, and the rescoring had
    /// used the sampled bound (0.55 → 0.544, helper 86). Asked for them, the pair's statistics hold the exact ones.
    /// </summary>
    [Fact]
    public void TheExactLargestDistancesAreFoundWhenARescoringNeedsThem()
    {
        var a = Gaussian(MnedNormalizer.ExactRowsLimit + 500, 6, seed: 4);
        var b = Gaussian(MnedNormalizer.ExactRowsLimit + 500, 5, seed: 5);
        using var pair = new RepresentationPair(a, b);
        Assert.False(pair.Statistics.MaxDistancesExact);
        pair.Statistics.FindExact();
        Assert.True(pair.Statistics.MaxDistancesExact);
        Assert.Equal((Bsr.MaxDistance(a), Bsr.MaxDistance(b)), (pair.Statistics.MaxDistanceA!.Value, pair.Statistics.MaxDistanceB!.Value));
    }

    /// <summary>
    /// In a comparison above 5,000 rows with a method that finds the exact largest distances (RDX), every method's MNED divides
    /// by them: a method scored before RDX had got the sampled bound, one after it the exact figures (helper 89).
    /// </summary>
    [Fact]
    public void EveryMethodOfAComparisonDividesByTheSameLargestDistances()
    {
        var a = Gaussian(MnedNormalizer.ExactRowsLimit + 100, 4, seed: 6);
        var b = Gaussian(MnedNormalizer.ExactRowsLimit + 100, 3, seed: 7);
        using var pair = new RepresentationPair(a, b);
        var pca = new RepDiff.Methods.Baselines.PcaMethod();
        var finder = new DistanceFinder();
        var comparison = Comparison.Run(pair, [new(pca, pca.DefaultOptions()), new(finder, finder.DefaultOptions())], seed: 0);
        Assert.Equal(Bsr.ExactNormalizer, (string)comparison.Explanations[0].Metrics["bsr_mned_normalizer"]!);
    }

    /// <summary>A method that only says it finds the largest distances on its way, as RDX does, and explains nothing.</summary>
    private sealed class DistanceFinder : RepDiff.Methods.PairMethod<RepDiff.Methods.Baselines.PcaOptions>
    {
        public override string Name => "distance-finder";
        public override string Description => "test-only";
        public override string StrengthMeaning => "none";
        public override bool FindsLargestDistances => true;
        protected override Explanation Explain(RepresentationPair pair, RepDiff.Methods.Baselines.PcaOptions options, IProgress<ProgressUpdate>? progress) => new();
    }

    [Fact]
    public void FarthestFirstStepsFindAPlantedPairOfOutliers()
    {
        var x = Gaussian(8_000, 12, seed: 3);
        // Two rows far out on opposite sides: almost surely neither is among the sampled rows.
        for (int c = 0; c < 12; c++)
        {
            x[4_321, c] = 40;
            x[6_789, c] = -35;
        }
        var (value, exact) = MnedNormalizer.Compute(x);
        Assert.False(exact);
        Assert.Equal(Math.Sqrt(12 * 75.0 * 75.0), value, 6);
    }
}
