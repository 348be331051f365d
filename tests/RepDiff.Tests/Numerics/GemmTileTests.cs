using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

/// <summary>
/// The AVX-512 GEMM has two register tiles (12×32, the default, and 8×32). Each accumulates every element of C in
/// one lane, in the same order, so the choice of tile must not change a single bit of any product or SYRK sum.
/// </summary>
[Collection(NativeBlasCollection.Name)]
public class GemmTileTests
{
    [Fact]
    public void WideAndNarrowTilesGiveBitIdenticalResults()
    {
        if (!Gemm.UseVector512) return; // one tile only without AVX-512
        bool was = Gemm.UseWideTile;
        try
        {
            // Edges in every dimension: m not a multiple of 12 or 8, n not of 32, k past one 256-deep block.
            foreach (var (m, n, k, ta, tb) in new[] { (37, 70, 600, false, false), (200, 131, 517, true, true), (13, 33, 300, true, false), (385, 96, 259, false, true) })
            {
                var a = ta ? RandomMatrix(k, m, 1) : RandomMatrix(m, k, 1);
                var b = tb ? RandomMatrix(n, k, 2) : RandomMatrix(k, n, 2);
                var start = RandomMatrix(m, n, 3);
                var wide = Product(true, a, ta, b, tb, start);
                var narrow = Product(false, a, ta, b, tb, start);
                Assert.Equal(narrow.Data, wide.Data);
            }
            var x = RandomMatrix(3000, 45, 4);
            Gemm.UseWideTile = true;
            var syrkWide = new double[45 * 45];
            Syrk.AddTransposeProduct(x, syrkWide);
            Gemm.UseWideTile = false;
            var syrkNarrow = new double[45 * 45];
            Syrk.AddTransposeProduct(x, syrkNarrow);
            Assert.Equal(syrkNarrow, syrkWide);
        }
        finally { Gemm.UseWideTile = was; }
    }

    // C = 0.5·op(A)·op(B) + 0.25·start with the chosen tile (alpha and beta exercise the tile's read-modify-write path).
    private static Matrix Product(bool wideTile, Matrix a, bool ta, Matrix b, bool tb, Matrix start)
    {
        Gemm.UseWideTile = wideTile;
        var c = new Matrix(start.Rows, start.Cols);
        start.Data.CopyTo(c.Data, 0);
        Gemm.Multiply(a, ta, b, tb, c, alpha: 0.5f, beta: 0.25f);
        return c;
    }
}
