using RepDiff.Numerics;

namespace RepDiff.Tests.Numerics;

/// <summary>The register-tiled block product against its definition, summed in the same order.</summary>
public class BlockProductTests
{
    /// <summary>
    /// Every entry is the chain of fused multiply-adds over j = from..to−1 in order, for whole and partial tiles of rows, whatever the
    /// vector width and however the range is cut into chunks: bit for bit, for ranges shorter than a chunk, across
    /// several chunks, and empty.
    /// </summary>
    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 40)]
    [InlineData(0, 300)]
    [InlineData(128, 256)]
    [InlineData(17, 17)]
    public void RowsAreTheOrderedSumsOfTheirDefinition(int from, int to)
    {
        const int d = 300, rows = 8, vectors = 11;
        var rng = Rng.Create(4);
        var a = Enumerable.Range(0, 12 * d).Select(_ => Rng.Normal(rng)).ToArray();
        var x = Enumerable.Range(0, vectors).Select(_ => Enumerable.Range(0, d).Select(_ => Rng.Normal(rng)).ToArray()).ToArray();
        var source = BlockProduct.Pack(x, out int width);
        foreach (int r0 in new[] { 0, 3 })
            foreach (int count in new[] { rows, 5 })
            {
                var dest = Enumerable.Repeat(double.NaN, 12 * width).ToArray();  // every entry must be written
                BlockProduct.Rows(a, d, r0, count, from, to, source, dest, width);
                for (int t = 0; t < count; t++)
                    for (int c = 0; c < width; c++)
                    {
                        double sum = 0;
                        // Whole and partial tiles alike run one fused multiply-add per term, in column order.
                        for (int j = from; j < to; j++) sum = Math.FusedMultiplyAdd(a[(r0 + t) * d + j], source[j * width + c], sum);
                        Assert.Equal(sum, dest[(r0 + t) * width + c]);
                    }
                // Rows outside [r0, r0 + count) are not this call's: a partial tile's padding must not reach them.
                for (int i = 0; i < 12; i++)
                    if (i < r0 || i >= r0 + count)
                        Assert.All(dest.AsSpan(i * width, width).ToArray(), v => Assert.True(double.IsNaN(v)));
            }
    }

    /// <summary>
    /// The transposed product adds to each entry of dest the chain of fused multiply-adds over the rows t = 0..rows−1 in
    /// order, after what dest held: bit for bit, for a whole tile and a partial one, a range shorter than the matrix and empty.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(300)]
    public void TransposedRowsAddTheOrderedSumsOfTheirDefinition(int to)
    {
        const int d = 300, vectors = 11;
        var rng = Rng.Create(6);
        var a = Enumerable.Range(0, 12 * d).Select(_ => Rng.Normal(rng)).ToArray();
        var z = Enumerable.Range(0, vectors).Select(_ => Enumerable.Range(0, 12).Select(_ => Rng.Normal(rng)).ToArray()).ToArray();
        var source = BlockProduct.Pack(z, out int width);
        foreach (int r0 in new[] { 0, 3 })
            foreach (int count in new[] { 8, 5 })
            {
                var start = Enumerable.Range(0, d * width).Select(_ => Rng.Normal(rng)).ToArray();
                var dest = (double[])start.Clone();
                BlockProduct.AddTransposedRows(a, d, r0, count, to, source, dest, width);
                for (int j = 0; j < d; j++)
                    for (int c = 0; c < width; c++)
                    {
                        double sum = start[j * width + c];
                        if (j < to)
                            for (int t = 0; t < count; t++) sum = Math.FusedMultiplyAdd(a[(r0 + t) * d + j], source[(r0 + t) * width + c], sum);
                        Assert.Equal(sum, dest[j * width + c]);
                    }
            }
    }

    /// <summary>A float32 matrix (RDX's affinities) gives exactly the products of the same entries stored as float64,
    /// whole tiles and partial ones.</summary>
    [Fact]
    public void FloatRowsAreTheDoubleRowsOfTheWidenedMatrix()
    {
        const int d = 300, vectors = 8;
        var rng = Rng.Create(5);
        var single = Enumerable.Range(0, 12 * d).Select(_ => (float)Rng.Normal(rng)).ToArray();
        var widened = single.Select(v => (double)v).ToArray();
        var x = Enumerable.Range(0, vectors).Select(_ => Enumerable.Range(0, d).Select(_ => Rng.Normal(rng)).ToArray()).ToArray();
        var source = BlockProduct.Pack(x, out int width);
        foreach (int count in new[] { 8, 5 })
        {
            var fromFloat = new double[12 * width];
            var fromDouble = new double[12 * width];
            BlockProduct.Rows(single, d, 2, count, 7, d, source, fromFloat, width);
            BlockProduct.Rows(widened, d, 2, count, 7, d, source, fromDouble, width);
            Assert.Equal(fromDouble, fromFloat);
        }
    }
}
