using RepDiff.Numerics;
using RepDiff.Spectral;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

/// <summary>
/// The median bandwidth reads the squared distances a block of rows at a time; every block must hold the whole
/// matrix's floats (the same bits), so the median, and so every Gaussian kernel built on it, stays what it was.
/// </summary>
public class DistanceBlocksAboveDiagonalTests
{
    [Theory]
    [InlineData(97, 300, 1)]      // one row a block
    [InlineData(97, 300, 7 * 97)] // seven rows: blocks that are no multiple of a register tile
    [InlineData(97, 300, 40 * 97)]
    [InlineData(97, 300, 97 * 97)] // one block, computed once for both passes
    [InlineData(130, 20, 33 * 130)]
    public void EveryBlockHoldsTheWholeMatrixsFloats(int n, int d, int blockFloats)
    {
        var x = RandomMatrix(n, d, 3, scale: 2);
        // Near and exact duplicates, so some pairs take the recomputing path.
        for (int i = 6; i < n; i += 9)
            for (int c = 0; c < d; c++) x[i, c] = x[i - 6, c] + (i % 2 == 0 ? 0 : 1e-3f);
        var whole = Distances.SquaredEuclideanAboveDiagonal(x);
        var blocks = new DistanceBlocksAboveDiagonal(x, blockFloats);
        for (int pass = 0; pass < 2; pass++)
        {
            var seen = new bool[n];
            blocks.ForEach(block =>
            {
                for (int i = block.First; i < block.First + block.Count; i++)
                {
                    seen[i] = true;
                    var row = block.AboveDiagonal(i);
                    Assert.Equal(n - 1 - i, row.Length);
                    for (int j = i + 1; j < n; j++)
                        Assert.Equal(BitConverter.SingleToInt32Bits(whole[i, j]), BitConverter.SingleToInt32Bits(row[j - i - 1]));
                }
            });
            Assert.All(seen, Assert.True);
        }
    }

    [Theory]
    [InlineData(2, 5, 1)]
    [InlineData(61, 16, 3 * 61)]   // 1,830 pairs: even count
    [InlineData(62, 16, 5 * 62)]   // 1,891 pairs: odd count
    [InlineData(300, 40, 1 << 22)]
    public void TheMedianOverBlocksIsTheMedianOverTheWholeMatrix(int n, int d, int blockFloats)
    {
        var x = RandomMatrix(n, d, n, scale: 3);
        Func<double, double> root = v => Math.Sqrt(Math.Max(0, v));
        double expected = Selection.MedianAboveDiagonal(Distances.SquaredEuclideanAboveDiagonal(x), root);
        var blocks = new DistanceBlocksAboveDiagonal(x, blockFloats);
        Assert.Equal(expected, Selection.MedianAboveDiagonal(n, blocks.ForEach, root));
        // The median rule reads the blocks: the bandwidth is the whole matrix's median.
        Assert.Equal(expected, Bandwidth.Median(x, seed: 0, "x", "SigmaA"));
    }
}
