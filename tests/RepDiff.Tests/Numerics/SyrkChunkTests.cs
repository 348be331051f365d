using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

/// <summary>
/// Narrow X (d ≤ 512) is summed one whole chunk per core, the chunks added in row order; that must give exactly
/// the sums of one chunk after another, each spread over the cores.
/// </summary>
[Collection(NativeBlasCollection.Name)]
public class SyrkChunkTests
{
    [Fact]
    public void ChunksOnSeparateCoresGiveTheSameBitsAsChunksInTurn()
    {
        // 200 columns: chunks of 8,192 rows, so 30,000 rows make three full chunks and a partial one.
        var x = RandomMatrix(30_000, 200, 7);
        bool was = Syrk.ChunksInParallel;
        try
        {
            Syrk.ChunksInParallel = true;
            var parallel = new double[200 * 200];
            Syrk.AddTransposeProduct(x, parallel, 0.5);
            Syrk.ChunksInParallel = false;
            var inTurn = new double[200 * 200];
            Syrk.AddTransposeProduct(x, inTurn, 0.5);
            Assert.Equal(inTurn, parallel);
            Assert.Equal(0.5 * NaiveDot(x, 3, 17), parallel[3 * 200 + 17], 1e-6 * x.Rows);
            Assert.Equal(parallel[3 * 200 + 17], parallel[17 * 200 + 3]);
        }
        finally { Syrk.ChunksInParallel = was; }
    }

    [Fact]
    public void TheDoubleAccumulatorSumsEveryProductInDouble()
    {
        // 13 columns (not a multiple of the 4×8 tiles) and 600 rows (two full chunks of 256 and a partial one).
        var x = RandomMatrix(600, 13, 11);
        var covariance = new CovarianceAccumulator(13, inDouble: true);
        covariance.Add(x);
        var sum = covariance.Sum;
        for (int i = 0; i < 13; i++)
            for (int j = 0; j < 13; j++)
                Assert.Equal(NaiveDot(x, i, j), sum[i * 13 + j], 1e-13 * Math.Sqrt(NaiveDot(x, i, i) * NaiveDot(x, j, j)));
    }

    /// <summary>X Xᵀ without forming Xᵀ reads the same chunks (of X's columns) as XᵀX of the transpose: the same bits, narrow
    /// (chunks on separate cores) and wide, with one work matrix shared by two calls.</summary>
    [Theory]
    [InlineData(150, 20_000)]  // 150 rows: chunks of 8,192 columns on separate cores
    [InlineData(700, 2_500)]   // 700 rows: chunks of 2,995 columns, one after another
    public void TheProductOfRowsIsTheTransposeProductOfTheTranspose(int rows, int cols)
    {
        var x = RandomMatrix(rows, cols, 5);
        var transposed = new Matrix(cols, rows);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) transposed[j, i] = x[i, j];
        var expected = new double[rows * rows];
        Syrk.AddTransposeProduct(transposed, expected, 0.25);
        Syrk.AddTransposeProduct(transposed, expected, -2);
        var work = new float[rows * rows];
        var product = new double[rows * rows];
        Syrk.AddProduct(x, product, 0.25, work);
        Syrk.AddProduct(x, product, -2, work);
        Assert.Equal(expected, product);
    }

    /// <summary>
    /// Each chunk's float sums reach the double sum with the bits of a plain reference: the float chunk product (a full
    /// GEMM, every tile) added afterwards on the upper triangle, chunk after chunk, the lower triangle untouched. Edge tiles
    /// on both sides, several depth blocks and chunks. Guards any change to where that add happens (h260 tried folding it
    /// into the GEMM's last depth block).
    /// </summary>
    [Theory]
    [InlineData(600, 8_000)]   // chunks of 3,495 rows: 14 depth blocks, the last one partial
    [InlineData(45, 20_000)]   // narrow, one chunk after another (chunks on separate cores are off)
    [InlineData(37, 200)]      // a single depth block: the first block is also the last
    public void ChunkSumsAddedInDoubleGiveTheBitsOfAPlainChunkByChunkReference(int d, int n)
    {
        var x = RandomMatrix(n, d, 9);
        var rng = new Random(3);
        var start = new double[d * d];
        for (int i = 0; i < start.Length; i++) start[i] = rng.NextDouble() * 100 - 50;
        const double alpha = 0.37;
        var expected = (double[])start.Clone();
        var chunkProduct = new float[d * d];
        int chunk = Syrk.RowsPerChunk(d);
        for (int k0 = 0; k0 < n; k0 += chunk)
        {
            int rows = Math.Min(chunk, n - k0);
            Gemm.Compute(d, d, rows, 1f, x.Data, (long)k0 * d, d, true, x.Data, (long)k0 * d, d, false, 0f, chunkProduct, 0, d);
            for (int i = 0; i < d; i++)
                for (int j = i; j < d; j++) expected[i * d + j] += alpha * chunkProduct[i * d + j];
        }
        bool was = Syrk.ChunksInParallel;
        try
        {
            Syrk.ChunksInParallel = false;
            var upper = (double[])start.Clone();
            Syrk.AddUpperTransposeProduct(x, upper, alpha, new float[d * d]);
            Assert.Equal(expected, upper);
        }
        finally { Syrk.ChunksInParallel = was; }
    }

    private static double NaiveDot(Matrix x, int i, int j)
    {
        double sum = 0;
        for (int r = 0; r < x.Rows; r++) sum += (double)x[r, i] * x[r, j];
        return sum;
    }
}
