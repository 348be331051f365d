using RepDiff.Numerics;
using RepDiff.Spectral;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

/// <summary>
/// The median bandwidth reads the subsample's squared distances a block of rows at a time instead of from an n×n matrix;
/// the floats, and so the median, must be the ones the whole matrix gave.
/// </summary>
public class BlockedMedianTests
{
    /// <summary>Rows with exact and near duplicates scattered over them, as the distance finish recomputes those pairs.</summary>
    private static Matrix WithDuplicates(int n, int d, int seed)
    {
        var x = RandomMatrix(n, d, seed, scale: 2);
        for (int i = 5; i < n; i += 7)
            for (int c = 0; c < d; c++) x[i, c] = x[i - 5, c] + (i % 2 == 0 ? 0 : 1e-3f);
        return x;
    }

    [Theory]
    [InlineData(37, 11, 1)]        // a row per block
    [InlineData(37, 11, 37 * 5)]   // blocks of 5 rows, a shorter last one
    [InlineData(130, 64, 130 * 9)] // blocks of 9 rows, wider than a register tile
    [InlineData(130, 64, 1 << 20)] // one block
    [InlineData(8, 3, 20)]         // blocks of 2 rows, fewer rows than a tile
    public void BlocksHandOverTheEntriesOfTheWholeMatrix(int n, int d, int blockFloats)
    {
        var x = WithDuplicates(n, d, seed: n);
        var whole = Distances.SquaredEuclideanAboveDiagonal(x);
        var blocks = Distances.SquaredEuclideanAboveDiagonalBlocks(x, blockFloats);
        // Row i hands over n − i − 1 entries (the last none), so a row is known by its length; each pass (call) gives the same.
        for (int pass = 0; pass < 2; pass++)
        {
            var seen = new int[n];
            blocks(Environment.ProcessorCount, (_, entries) =>
            {
                int i = n - 1 - entries.Length;
                Interlocked.Increment(ref seen[i]);
                Assert.Equal(whole.Row(i)[(i + 1)..].ToArray().Select(BitConverter.SingleToInt32Bits), entries.ToArray().Select(BitConverter.SingleToInt32Bits));
            });
            Assert.All(seen, count => Assert.Equal(1, count));
        }
    }

    [Theory]
    [InlineData(301, 20, 0)]    // an odd number of rows: an even count of pairs
    [InlineData(300, 20, 0)]    // an odd count of pairs (300·299/2)
    [InlineData(3001, 40, 0)]   // below the subsample's size, in several blocks
    [InlineData(5000, 24, 0)]   // exactly the subsample's size
    [InlineData(5003, 16, 7)]   // above it: the median of a seeded subsample
    public void MedianBandwidthIsTheOneOfTheWholeMatrix(int n, int d, int seed)
    {
        var x = WithDuplicates(n, d, seed: n);
        var rows = n > Bandwidth.SubsampleRows ? x.SelectRows(Sampling.Uniform(n, Bandwidth.SubsampleRows, seed)) : x;
        double whole = Selection.MedianAboveDiagonal(Distances.SquaredEuclideanAboveDiagonal(rows), v => Math.Sqrt(Math.Max(0, v)));
        Assert.Equal(BitConverter.DoubleToInt64Bits(whole), BitConverter.DoubleToInt64Bits(Bandwidth.MedianDistance(x, seed, "Sigma")));
    }

    [Fact]
    public void MostlyDuplicateRowsStillFallBackToTheExactMedian()
    {
        // Three rows in four are one row: the median of the fast distances is 0, and the exact check decides, as before.
        var x = RandomMatrix(400, 6, seed: 3);
        for (int i = 0; i < 400; i++)
            if (i % 4 != 0) x.Row(0).CopyTo(x.Row(i));
        Assert.Equal(0, Selection.MedianAboveDiagonal(Distances.SquaredEuclideanAboveDiagonal(x), v => Math.Sqrt(Math.Max(0, v))));
        Assert.Equal(0, Bandwidth.MedianDistance(x, 0, "Sigma"));
    }
}
