using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

/// <summary>
/// The pass that turns −2x·y into squared distances runs eight pairs at a time; its floats must be the ones the formula
/// gives one pair at a time (‖x‖² + ‖y‖² − 2x·y in double, clamped at 0, pairs under 1% of ‖x‖² + ‖y‖² recomputed
/// directly), since neighbour lists, medians and MNED's farthest pair are read from them.
/// </summary>
public class DistanceFinishTests
{
    [Theory]
    [InlineData(37, 11)]
    [InlineData(130, 64)]
    [InlineData(9, 3)]
    public void EightAtATimeGiveTheFloatsOfOneAtATime(int n, int d)
    {
        var x = RandomMatrix(n, d, 5, scale: 2);
        // Near-duplicates and exact duplicates scattered over the rows, so some groups of eight take the recomputing path.
        for (int i = 5; i < n; i += 7)
            for (int c = 0; c < d; c++) x[i, c] = x[i - 5, c] + (i % 2 == 0 ? 0 : 1e-3f);
        var y = RandomMatrix(n / 2 + 3, d, 6, scale: 2);
        for (int c = 0; c < d; c++) y[1, c] = x[2, c];

        var reference = OneAtATime(x, x);
        var full = Distances.SquaredEuclidean(x);
        var upper = Distances.SquaredEuclideanAboveDiagonal(x);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(reference[i, j]), BitConverter.SingleToInt32Bits(upper[i, j]));
                Assert.Equal(BitConverter.SingleToInt32Bits(reference[i, j]), BitConverter.SingleToInt32Bits(full[i, j]));
            }
        var between = Distances.SquaredEuclidean(x, y);
        var referenceBetween = OneAtATime(x, y);
        Assert.Equal(referenceBetween.Data.Select(BitConverter.SingleToInt32Bits), between.Data.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(0f, between[2, 1]);
    }

    /// <summary>The focus rows write each block's distances into its columns of one wide matrix, centring the block in place.</summary>
    [Fact]
    public void DistancesIntoColumnsOfAWiderMatrixAreTheSameFloats()
    {
        var x = RandomMatrix(40, 70, 7, scale: 2);
        var y = RandomMatrix(300, 70, 8, scale: 2);
        var expected = Distances.SquaredEuclidean(x, y);
        const int offset = 5, stride = 320;
        var wide = new float[x.Rows * stride];
        var copy = new Matrix(y.Rows, y.Cols, (float[])y.Data.Clone());
        Distances.SquaredEuclideanInto(x, copy, new Matrix(x.Rows, x.Cols), copy, wide, offset, stride);
        for (int i = 0; i < x.Rows; i++)
            Assert.Equal(expected.Row(i).ToArray().Select(BitConverter.SingleToInt32Bits),
                wide.AsSpan(offset + i * stride, y.Rows).ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.All(wide.Take(offset), v => Assert.Equal(0f, v));  // nothing written outside the columns
    }

    [Fact]
    public void BlocksIntoKeptBuffersGiveTheDistancesOfFreshOnes()
    {
        var y = RandomMatrix(70, 13, 7, scale: 3);
        var toAll = new DistancesToRows(y);
        Matrix? previous = null;
        // Full blocks, then a shorter last one, then full again: every value of a kept buffer is overwritten.
        foreach (var (first, count) in new[] { (0, 30), (30, 30), (60, 10), (10, 30) })
        {
            var block = y.SelectRows(Enumerable.Range(first, count).ToArray());
            var kept = toAll.From(block);
            Assert.Equal(Distances.SquaredEuclidean(block, y).Data, kept.Data);
            if (count == 30 && previous?.Rows == 30) Assert.Same(previous, kept);
            previous = kept;
        }
    }

    /// <summary>The documented formula, pair by pair, on rows centred on x's mean as the fast path centres them.</summary>
    private static Matrix OneAtATime(Matrix x, Matrix y)
    {
        var mean = KMeans.ColumnMeans(x);
        var cx = Distances.Centre(x, mean);
        var cy = Distances.Centre(y, mean);
        var dots = new Matrix(x.Rows, y.Rows);
        Gemm.Multiply(cx, false, cy, true, dots, -2f);
        var result = new Matrix(x.Rows, y.Rows);
        for (int i = 0; i < x.Rows; i++)
        {
            double ni = Distances.SquaredNorm(cx.Row(i));
            for (int j = 0; j < y.Rows; j++)
            {
                double nj = Distances.SquaredNorm(cy.Row(j));
                double v = ni + nj + dots[i, j];
                if (v < 1e-2 * (ni + nj)) v = Distances.ExactSquared(cx.Row(i), cy.Row(j));
                result[i, j] = (float)Math.Max(0, v);
            }
        }
        return result;
    }
}
