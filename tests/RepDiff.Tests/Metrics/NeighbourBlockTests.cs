using RepDiff.Metrics;
using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Metrics;

/// <summary>
/// The exact nearest-neighbour lists compute their distances a few MB at a time, centred as before on the mean of blocks of
/// 16 million floats' rows; the lists must be the ones those whole blocks gave, ties and near-ties included.
/// </summary>
public class NeighbourBlockTests
{
    /// <summary>The lists as whole blocks of 16,000,000 / n rows found them: each block's distances to every row, the k smallest.</summary>
    private static int[] WholeBlocks(Matrix x, int k)
    {
        int n = x.Rows, block = Math.Clamp(16_000_000 / n, 1, n);
        var lists = new int[n * k];
        for (int first = 0; first < n; first += block)
        {
            int count = Math.Min(block, n - first);
            var d2 = Distances.SquaredEuclidean(x.SelectRows(Enumerable.Range(first, count).ToArray()), x);
            for (int r = 0; r < count; r++) Selection.Smallest(d2.Row(r), lists.AsSpan((first + r) * k, k), skip: first + r);
        }
        return lists;
    }

    /// <summary>Random rows with exact duplicates and near duplicates among them, so ties and rounding decide some places.</summary>
    private static Matrix WithTies(int n, int d, int seed)
    {
        var x = RandomMatrix(n, d, seed);
        for (int i = 3; i < n; i += 5)
            for (int c = 0; c < d; c++) x[i, c] = x[i - 3, c] + (i % 2 == 0 ? 0 : 1e-4f);
        return x;
    }

    [Theory]
    [InlineData(300, 7, 1)]          // a row at a time
    [InlineData(301, 13, 301 * 17)]  // parts of 17 rows, the last overlapping the one before
    [InlineData(5000, 8, 5000 * 37)] // two centring blocks (3,200 and 1,800 rows) in parts of 37
    [InlineData(5000, 8, 5000 * 2000)] // parts of 1,800 rows, as long as the last block
    [InlineData(5000, 8, MutualKnn.BlockFloats)]
    public void PartsGiveTheListsOfWholeBlocks(int n, int d, int blockFloats)
    {
        var x = WithTies(n, d, seed: n + d);
        Matrix? distances = null;
        Assert.Equal(WholeBlocks(x, 12), MutualKnn.Neighbours(x, 12, ref distances, blockFloats));
    }

    [Fact]
    public void BothSidesOfAPairShareOneBufferAndKeepTheirLists()
    {
        var a = WithTies(700, 9, seed: 1);
        var b = WithTies(700, 21, seed: 2);
        Matrix? distances = null;
        var listsA = MutualKnn.Neighbours(a, 10, ref distances, blockFloats: 700 * 50);
        var buffer = distances;
        var listsB = MutualKnn.Neighbours(b, 10, ref distances, blockFloats: 700 * 50);
        Assert.NotNull(buffer);
        Assert.Same(buffer, distances);
        Assert.Equal(WholeBlocks(a, 10), listsA);
        Assert.Equal(WholeBlocks(b, 10), listsB);

        var pair = new RepresentationPair(a, b);
        Assert.Equal(WholeBlocks(a, 14), pair.Statistics.NeighboursOfA(14));
        Assert.Equal(WholeBlocks(b, 14), pair.Statistics.NeighboursOfB(14));
    }
}
