using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

/// <summary>
/// The packing paths of the GEMM (8×8 transposes of A and of a transposed B with their scalar tails, strided operands
/// at offsets) and its split over cores: every path gives the same bits as the plain one.
/// </summary>
[Collection(NativeBlasCollection.Name)]
public class GemmPackingTests
{
    // m = 1001: several row parts and a last panel of one row; k = 517: two full depth blocks, then 5 past the last
    // 8×8 transpose; n = 45: one full 32-column panel, then 13 columns (one 8-column transpose, 5 scalar columns).
    public static TheoryData<int, int, int, bool, bool> Shapes => new()
    {
        { 1001, 45, 517, false, false }, { 1001, 45, 517, false, true }, { 45, 1001, 517, true, true },
        { 203, 131, 300, true, false }, { 9, 70, 13, false, true }, { 8, 8, 8, false, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void StridedOperandsGiveTheBitsOfCompactOnesAndTheRightProduct(int m, int n, int k, bool ta, bool tb)
    {
        var a = ta ? RandomMatrix(k, m, 21) : RandomMatrix(m, k, 21);
        var b = tb ? RandomMatrix(n, k, 22) : RandomMatrix(k, n, 22);
        var compact = Gemm.Multiply(a, b, ta, tb);

        // The same operands inside larger arrays: an offset and a leading dimension past the row's end.
        var (aData, aOff, lda) = Embed(a, 5, 3);
        var (bData, bOff, ldb) = Embed(b, 7, 9);
        int ldc = n + 4;
        var c = new float[3 + m * ldc];
        Array.Fill(c, float.NaN); // beta = 0 overwrites whatever C held
        Gemm.Compute(m, n, k, 1f, aData, aOff, lda, ta, bData, bOff, ldb, tb, 0f, c, 3, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) Assert.Equal(compact[i, j], c[3 + i * ldc + j]);
        for (int i = 0; i < m; i++)
            for (int j = n; j < ldc; j++) Assert.True(float.IsNaN(c[3 + i * ldc + j]), "wrote outside C");

        var expected = NaiveProduct(a, ta, b, tb, out _, out _);
        double tolerance = 2e-6 * Math.Sqrt(k) * 8;
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(compact.Data[i] - expected[i]) <= tolerance, $"element {i}: {compact.Data[i]} vs {expected[i]}");
    }

    [Fact]
    public void OneCoreAndAllCoresGiveTheSameBits()
    {
        foreach (var (m, n, k, ta, tb) in new[] { (1001, 300, 600, false, false), (400, 257, 300, true, true), (7, 500, 40, false, true) })
        {
            var a = ta ? RandomMatrix(k, m, 23) : RandomMatrix(m, k, 23);
            var b = tb ? RandomMatrix(n, k, 24) : RandomMatrix(k, n, 24);
            var one = new float[m * n];
            var all = new float[m * n];
            Gemm.Compute(m, n, k, 0.5f, a.Data, 0, a.Cols, ta, b.Data, 0, b.Cols, tb, 0f, one, 0, n, singleThreaded: true);
            Gemm.Compute(m, n, k, 0.5f, a.Data, 0, a.Cols, ta, b.Data, 0, b.Cols, tb, 0f, all, 0, n);
            Assert.Equal(one, all);
        }
    }

    [Fact]
    public void Vector256KernelPacksTheSameWay()
    {
        bool was = Gemm.UseVector512;
        try
        {
            foreach (var (m, n, k, ta, tb) in new[] { (1001, 45, 517, false, false), (203, 131, 300, true, true) })
            {
                var a = ta ? RandomMatrix(k, m, 25) : RandomMatrix(m, k, 25);
                var b = tb ? RandomMatrix(n, k, 26) : RandomMatrix(k, n, 26);
                Gemm.UseVector512 = false;
                var narrow = Gemm.Multiply(a, b, ta, tb);
                var expected = NaiveProduct(a, ta, b, tb, out _, out _);
                for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], narrow.Data[i], 2e-6 * Math.Sqrt(k) * 8);
                Gemm.UseVector512 = was;
                if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported)
                    Assert.Equal(narrow.Data, Gemm.Multiply(a, b, ta, tb).Data);
            }
        }
        finally { Gemm.UseVector512 = was; }
    }

    // Full tiles are written from registers, edge tiles (rows past a multiple of 8 or 6, columns past 32 or 16) through
    // a scratch tile; both tiles sum each element in the same order and add alpha·sum with one fused step, so they give
    // the same bits on any CPU (Vector512 runs in software where it is not accelerated), with beta ≠ 0 as well.
    [Fact]
    public void BothTilesGiveTheSameBitsOnFullAndEdgeTiles()
    {
        bool was = Gemm.UseVector512;
        try
        {
            foreach (var (m, n, k, ta, tb) in new[] { (48, 96, 300, false, false), (53, 101, 259, true, false), (7, 35, 9, false, true) })
            {
                var a = ta ? RandomMatrix(k, m, 27) : RandomMatrix(m, k, 27);
                var b = tb ? RandomMatrix(n, k, 28) : RandomMatrix(k, n, 28);
                var start = RandomMatrix(m, n, 29).Data;
                float[] Product(bool wide)
                {
                    Gemm.UseVector512 = wide;
                    var c = (float[])start.Clone();
                    Gemm.Compute(m, n, k, 0.75f, a.Data, 0, a.Cols, ta, b.Data, 0, b.Cols, tb, 0.5f, c, 0, n);
                    return c;
                }
                var narrow = Product(false);
                Assert.Equal(narrow, Product(true));
                var expected = NaiveProduct(a, ta, b, tb, out _, out _);
                for (int i = 0; i < expected.Length; i++)
                    Assert.Equal(0.75 * expected[i] + 0.5 * start[i], narrow[i], 2e-6 * Math.Sqrt(k) * 8);
            }
        }
        finally { Gemm.UseVector512 = was; }
    }

    [Fact]
    public void RefusesOperandsThatDoNotFitTheirArrays()
    {
        var a = new float[6 * 4];
        var b = new float[4 * 5];
        var c = new float[6 * 5];
        Gemm.Compute(6, 5, 4, 1f, a, 0, 4, false, b, 0, 5, false, 0f, c, 0, 5);
        Assert.Throws<ArgumentException>(() => Gemm.Compute(6, 5, 4, 1f, a, 1, 4, false, b, 0, 5, false, 0f, c, 0, 5));
        Assert.Throws<ArgumentException>(() => Gemm.Compute(6, 5, 4, 1f, a, 0, 4, false, b, 0, 5, true, 0f, c, 0, 5));
        Assert.Throws<ArgumentException>(() => Gemm.Compute(6, 5, 4, 1f, a, 0, 4, false, b, 0, 5, false, 0f, c, 0, 4));
        Assert.Throws<ArgumentException>(() => Gemm.Compute(6, 5, 4, 1f, a, 0, 4, false, b, 0, 5, false, 0f, c, 1, 5));
    }

    // x's values at offset off in an array whose rows are pad floats longer than x's.
    private static (float[] Data, long Off, int Ld) Embed(Matrix x, int off, int pad)
    {
        int ld = x.Cols + pad;
        var data = new float[off + x.Rows * ld];
        Array.Fill(data, float.NaN); // any read outside the operand would poison the product
        for (int i = 0; i < x.Rows; i++) x.Row(i).CopyTo(data.AsSpan(off + i * ld, x.Cols));
        return (data, off, ld);
    }
}
