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
