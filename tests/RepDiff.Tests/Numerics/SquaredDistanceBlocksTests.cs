using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

/// <summary>
/// RDX's difference matrix and BSR's farthest pair read distances a block of rows at a time, and the block size is a
/// memory choice only: every block size must give the floats of one block of all rows, and the same farthest pair.
/// </summary>
public class SquaredDistanceBlocksTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(40)]
    [InlineData(97)]
    public void EveryBlockSizeGivesTheFloatsOfOneBlock(int block)
    {
        // 300 dimensions: more than one packed depth block of the GEMM; 97 rows: edge tiles in both directions.
        int n = 97;
        var x = RandomMatrix(n, 300, 11, scale: 3);
        var whole = new SquaredDistanceBlocks(x);
        var reference = whole.Compute(0, n).Data.ToArray();

        var blocks = new SquaredDistanceBlocks(x);
        for (int first = 0; first < n; first += block)
        {
            int count = Math.Min(block, n - first);
            var rows = blocks.Compute(first, count);
            for (int r = 0; r < count; r++)
                Assert.Equal(reference.AsSpan((first + r) * n, n).ToArray().Select(BitConverter.SingleToInt32Bits),
                    rows.Row(r).ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(whole.FarthestDistance, blocks.FarthestDistance);
    }

    [Fact]
    public void ASmallerBlockAfterALargerOneReusesItsRows()
    {
        var x = RandomMatrix(50, 20, 3);
        var blocks = new SquaredDistanceBlocks(x);
        var first = blocks.Compute(0, 30);
        var second = blocks.Compute(30, 20);
        Assert.Same(first, second);
        var reference = new SquaredDistanceBlocks(x).Compute(30, 20);
        for (int r = 0; r < 20; r++) Assert.Equal(reference.Row(r).ToArray(), second.Row(r).ToArray());
    }
}
