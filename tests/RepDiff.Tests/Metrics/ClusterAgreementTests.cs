using RepDiff.Metrics;

namespace RepDiff.Tests.Metrics;

public class ClusterAgreementTests
{
    [Fact]
    public void AriIsOneForTheSamePartitionUnderRelabelling()
    {
        int[] a = [0, 0, 1, 1, 2, 2];
        int[] b = [5, 5, 3, 3, 9, 9];
        Assert.Equal(1.0, ClusterAgreement.AdjustedRandIndex(a, b), 12);
    }

    [Fact]
    public void NmiOfAPartitionWithItselfNeverReadsAboveOne()
    {
        // MI is at most either entropy; the sums of logarithms rounded a partition against itself past 1.
        for (int seed = 0; seed < 40; seed++)
        {
            var rng = new Random(seed);
            var labels = Enumerable.Range(0, 50 + 13 * seed).Select(_ => rng.Next(2 + seed % 11)).ToArray();
            Assert.InRange(ClusterAgreement.NormalizedMutualInformation(labels, labels), 1 - 1e-12, 1.0);
        }
    }

    [Fact]
    public void AriMatchesAHandComputedValue()
    {
        // sklearn.metrics.adjusted_rand_score([0,0,0,1,1,1], [0,0,1,1,2,2]) = 0.24242424...
        Assert.Equal(0.2424242424242424, ClusterAgreement.AdjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 12);
    }
}
