using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

public class NumericsGemmTests
{
    public static TheoryData<int, int, int, bool, bool> Shapes => new()
    {
        { 1, 1, 1, false, false }, { 7, 13, 5, false, false }, { 7, 13, 5, true, false }, { 7, 13, 5, false, true },
        { 7, 13, 5, true, true }, { 33, 65, 300, false, false }, { 200, 131, 517, true, true }, { 9, 1, 1000, false, true },
        { 385, 70, 259, false, true }, { 1, 500, 3, true, false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AgreesWithNaiveDoubleProduct(int m, int n, int k, bool ta, bool tb)
    {
        var a = ta ? RandomMatrix(k, m, 1) : RandomMatrix(m, k, 1);
        var b = tb ? RandomMatrix(n, k, 2) : RandomMatrix(k, n, 2);
        var c = Gemm.Multiply(a, b, ta, tb);
        var expected = NaiveProduct(a, ta, b, tb, out int rm, out int rn);
        Assert.Equal((m, n), (c.Rows, c.Cols));
        Assert.Equal((m, n), (rm, rn));
        double tolerance = 2e-6 * Math.Sqrt(k) * 4; // |products| ~ 1, random-walk float error
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(c.Data[i] - expected[i]) <= tolerance, $"element {i}: {c.Data[i]} vs {expected[i]}");
    }

    [Fact]
    public void AppliesAlphaAndBeta()
    {
        var a = RandomMatrix(19, 40, 3);
        var b = RandomMatrix(40, 23, 4);
        var c = RandomMatrix(19, 23, 5);
        var c0 = (float[])c.Data.Clone();
        Gemm.Multiply(a, false, b, false, c, alpha: -0.5f, beta: 2f);
        var ab = NaiveProduct(a, false, b, false, out _, out _);
        for (int i = 0; i < ab.Length; i++) Assert.Equal(-0.5 * ab[i] + 2 * c0[i], c.Data[i], 1e-4);
    }

    [Fact]
    public void BetaZeroIgnoresNaNInOutput()
    {
        var a = RandomMatrix(3, 4, 3);
        var b = RandomMatrix(4, 2, 4);
        var c = new Matrix(3, 2);
        Array.Fill(c.Data, float.NaN);
        Gemm.Multiply(a, false, b, false, c);
        Assert.All(c.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void RejectsMismatchedShapes()
    {
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(new Matrix(2, 3), new Matrix(4, 2)));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(new Matrix(2, 3), false, new Matrix(3, 2), false, new Matrix(2, 3)));
    }

    [Fact]
    public void SyrkMatchesNaiveAcrossChunksAndColumnBlocks()
    {
        foreach (var (n, d) in new[] { (2500, 37), (40, 600), (1, 1) })
        {
            var x = RandomMatrix(n, d, 6);
            var c = new double[d * d];
            c[0] = 1;
            Syrk.AddTransposeProduct(x, c, alpha: 0.5);
            var expected = NaiveProduct(x, true, x, false, out _, out _);
            double tolerance = 1e-5 * n;
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                {
                    double want = 0.5 * expected[i * d + j] + (i == 0 && j == 0 ? 1 : 0);
                    Assert.True(Math.Abs(c[i * d + j] - want) <= 1e-6 * Math.Sqrt(n) * 4 + 1e-6 * Math.Abs(want), $"({i},{j}) {c[i * d + j]} vs {want} (n={n}, d={d}, tol {tolerance})");
                }
        }
    }

    [Fact]
    public void SyrkErrorDoesNotGrowWithRowCountOnConstantData()
    {
        // 200,000 rows of 0.1: a single float accumulation would drift by ~1e-3 relative; chunked double stays ~1e-7.
        var x = new Matrix(200_000, 2);
        Array.Fill(x.Data, 0.1f);
        var c = new double[4];
        Syrk.AddTransposeProduct(x, c);
        double want = 200_000.0 * 0.1f * 0.1f;
        Assert.All(c, v => Assert.True(Math.Abs(v - want) / want < 1e-6, $"{v} vs {want}"));
    }

    [Fact]
    public void CovarianceAccumulatesBatchByBatch()
    {
        var x = RandomMatrix(300, 11, 7);
        var whole = new CovarianceAccumulator(11);
        whole.Add(x);
        var batches = new CovarianceAccumulator(11);
        batches.Add(x.SelectRows(Enumerable.Range(0, 120).ToArray()));
        batches.Add(x.SelectRows(Enumerable.Range(120, 180).ToArray()));
        Assert.Equal(300, batches.Count);
        for (int i = 0; i < whole.Sum.Length; i++) Assert.Equal(whole.Sum[i], batches.Sum[i], 1e-5 * (1 + Math.Abs(whole.Sum[i])));
        Assert.Throws<ArgumentException>(() => batches.Add(new Matrix(2, 3)));
    }

    [Fact]
    public void DistancesMatchNaiveAndAreExactOnTheDiagonal()
    {
        var x = RandomMatrix(150, 9, 8, scale: 3);
        var y = RandomMatrix(31, 9, 9, scale: 3);
        var dxx = Distances.SquaredEuclidean(x);
        var dxy = Distances.SquaredEuclidean(x, y);
        for (int i = 0; i < x.Rows; i++)
        {
            Assert.Equal(0f, dxx[i, i]);
            for (int j = 0; j < x.Rows; j++)
            {
                Assert.Equal(dxx[i, j], dxx[j, i]);
                Assert.True(dxx[i, j] >= 0);
                Assert.Equal(Naive(x.Row(i), x.Row(j)), dxx[i, j], 1e-3);
            }
            for (int j = 0; j < y.Rows; j++) Assert.Equal(Naive(x.Row(i), y.Row(j)), dxy[i, j], 1e-3);
        }
        var norms = Distances.RowSquaredNorms(x);
        Assert.Equal(Naive(x.Row(3), new float[9]), norms[3], 1e-9);

        static double Naive(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        {
            double s = 0;
            for (int i = 0; i < a.Length; i++) s += (a[i] - (double)b[i]) * (a[i] - (double)b[i]);
            return s;
        }
    }

    [Fact]
    public void RefusesDistanceMatricesThatCannotFitWithAnInputError()
    {
        var error = Assert.Throws<RepDiffInputException>(() => DenseMemory.EnsureFits(1_000_000, 1_000_000, "the pairwise distance matrix"));
        Assert.Contains("feature route", error.Message);
        DenseMemory.EnsureFits(1000, 1000, "a small matrix");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_537)]     // one past a clearing chunk
    [InlineData(1_000_000)]
    public void ZeroedArraysAreZeroWhateverMemoryTheyReuse(int length)
    {
        // Dirty large-object memory first, so a reused block would show through.
        var dirty = new double[length + 10];
        Array.Fill(dirty, 7.0);
        GC.KeepAlive(dirty);
        var a = DenseMemory.Zeroed(length);
        Assert.Equal(length, a.Length);
        Assert.All(a, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void DuplicateRowsHaveZeroNotNegativeDistance()
    {
        var x = new Matrix(3, 4, [1000.1f, 2000.3f, -3000.7f, 0.5f, 1000.1f, 2000.3f, -3000.7f, 0.5f, 1, 2, 3, 4]);
        var d = Distances.SquaredEuclidean(x);
        Assert.Equal(0f, d[0, 1]);
        var dxy = Distances.SquaredEuclidean(x, x);
        Assert.Equal(0f, dxy[1, 0]);
    }
}
