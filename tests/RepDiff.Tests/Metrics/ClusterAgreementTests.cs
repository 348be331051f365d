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
    public void AriMatchesAHandComputedValue()
    {
        // sklearn.metrics.adjusted_rand_score([0,0,0,1,1,1], [0,0,1,1,2,2]) = 0.24242424...
        Assert.Equal(0.2424242424242424, ClusterAgreement.AdjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 12);
    }
}
