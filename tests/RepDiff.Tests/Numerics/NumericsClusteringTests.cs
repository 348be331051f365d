using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

public class NumericsClusteringTests
{
    private static (Matrix X, int[] Truth) Blobs(int perCluster, int k, int d, int seed)
    {
        var noise = RandomMatrix(perCluster * k, d, seed, scale: 0.3);
        var centres = RandomMatrix(k, d, seed + 1, scale: 10);
        var truth = new int[perCluster * k];
        for (int i = 0; i < truth.Length; i++)
        {
            truth[i] = i % k;
            for (int j = 0; j < d; j++) noise[i, j] += centres[truth[i], j];
        }
        return (noise, truth);
    }

    [Fact]
    public void RecoversSeparableClustersUpToRelabelling()
    {
        var (x, truth) = Blobs(60, 5, 8, 31);
        var result = KMeans.Fit(x, 5, seed: 2);
        Assert.Equal(1.0, RepDiff.Metrics.ClusterAgreement.AdjustedRandIndex(truth, result.Labels), 12);
        Assert.Equal((5, 8), (result.Centroids.Rows, result.Centroids.Cols));
        // Centroids are the member means; inertia is the sum of squared distances to them.
        double inertia = 0;
        for (int i = 0; i < x.Rows; i++)
            for (int j = 0; j < 8; j++) inertia += Math.Pow(x[i, j] - result.Centroids[result.Labels[i], j], 2);
        Assert.Equal(inertia, result.Inertia, 1e-6 * inertia);
    }

    [Fact]
    public void ReachesTheBruteForceOptimumOnASmallSet()
    {
        // 11 points, 3 clusters: enumerate all 3^11 labellings for the optimal inertia.
        var x = RandomMatrix(11, 2, 44, scale: 2);
        double best = double.PositiveInfinity;
        var labels = new int[11];
        for (int code = 0; code < 177147; code++)
        {
            for (int i = 0, c = code; i < 11; i++, c /= 3) labels[i] = c % 3;
            best = Math.Min(best, Inertia(x, labels, 3));
        }
        var result = KMeans.Fit(x, 3, seed: 5, restarts: 20);
        Assert.Equal(best, result.Inertia, 1e-6 * best);
        Assert.Equal(result.Inertia, Inertia(x, result.Labels, 3), 1e-6 * best);
    }

    private static double Inertia(Matrix x, int[] labels, int k)
    {
        var sums = new double[k, x.Cols];
        var counts = new int[k];
        for (int i = 0; i < x.Rows; i++) { counts[labels[i]]++; for (int j = 0; j < x.Cols; j++) sums[labels[i], j] += x[i, j]; }
        double total = 0;
        for (int i = 0; i < x.Rows; i++)
            for (int j = 0; j < x.Cols; j++) total += Math.Pow(x[i, j] - sums[labels[i], j] / counts[labels[i]], 2);
        return total;
    }

    [Fact]
    public void IsDeterministicAndRejectsTooManyClusters()
    {
        var (x, _) = Blobs(30, 4, 5, 12);
        var a = KMeans.Fit(x, 6, seed: 3);
        var b = KMeans.Fit(x, 6, seed: 3);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Centroids.Data, b.Centroids.Data);
        Assert.Throws<RepDiffInputException>(() => KMeans.Fit(new Matrix(3, 2), 4));
        var identical = KMeans.Fit(new Matrix(10, 3), 3); // all points equal: still k centroids, zero inertia
        Assert.Equal(0, identical.Inertia);
    }

    /// <summary>Rows of no columns are all the same point: k-means is defined there as on any identical rows.</summary>
    [Fact]
    public void RowsWithoutColumnsAreOnePoint()
    {
        var result = KMeans.Fit(new Matrix(10, 0), 3);
        Assert.Equal(0, result.Inertia);
        Assert.Equal((3, 0), (result.Centroids.Rows, result.Centroids.Cols));
        Assert.All(result.Labels, label => Assert.InRange(label, 0, 2));
    }

    [Fact]
    public void RanksMatchAStableSortWithTiesByIndex()
    {
        var values = RandomMatrix(40, 33, 14);
        for (int j = 0; j < 33; j += 3) values[5, j] = 1f; // ties
        values[6, 2] = -0f;
        values[6, 3] = 0f;
        var ranks = new int[40 * 33];
        Ranking.RowRanks(values, ranks);
        for (int i = 0; i < 40; i++)
        {
            var row = values.Row(i).ToArray();
            var expected = Enumerable.Range(0, 33).OrderBy(j => row[j]).ThenBy(j => j).ToArray();
            for (int r = 0; r < 33; r++) Assert.Equal(r, ranks[i * 33 + expected[r]]);
        }
        var d = Distances.SquaredEuclidean(RandomMatrix(20, 3, 2));
        var selfRanks = new int[400];
        Ranking.RowRanks(d, selfRanks);
        for (int i = 0; i < 20; i++) Assert.Equal(0, selfRanks[i * 20 + i]);
    }
}
