using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

/// <summary>
/// The GEMM's blocking by this CPU's L2: runs of B panels sized from the cache size read at run time, and the products
/// over several runs and a partial last one, which must keep every element's sums in the documented order.
/// </summary>
[Collection(NativeBlasCollection.Name)]
public class GemmBlockingTests
{
    [Theory]
    [InlineData(2L << 20, 32 * 1024, 32)] // a Xeon core's 2 MB L2, 256-deep panels of the 8×32 tile
    [InlineData(1L << 20, 32 * 1024, 16)] // Zen 4/5's 1 MB
    [InlineData(512L << 10, 16 * 1024, 16)] // the fallback, panels of the 6×16 tile
    [InlineData(2L << 20, 5 * 32 * 4, 1638)] // a shallow last depth block: short panels, long runs
    [InlineData(16L << 10, 32 * 1024, 1)] // an L2 smaller than two panels still runs one at a time
    public void RunsFillHalfTheL2(long l2Bytes, long panelBytes, int expected) =>
        Assert.Equal(expected, Gemm.PanelsPerRun(l2Bytes, panelBytes));

    [Theory]
    [InlineData("2048K", 2L << 20)]
    [InlineData("1M", 1L << 20)]
    [InlineData("48K", 48L << 10)]
    [InlineData("512", 512L)]
    [InlineData("", null)]
    [InlineData("K", null)]
    [InlineData("-1K", null)]
    [InlineData("2 MB", null)]
    public void ReadsSysfsCacheSizes(string text, long? expected) => Assert.Equal(expected, CpuCache.ParseSize(text));

    [Fact]
    public void FindsTheL2AmongTheCacheLevels()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"repdiff-cache-{Guid.NewGuid():N}");
        try
        {
            WriteIndex(folder, 0, "1", "Data", "48K");
            WriteIndex(folder, 1, "1", "Instruction", "32K");
            WriteIndex(folder, 2, "2", "Unified", "1024K");
            WriteIndex(folder, 3, "3", "Unified", "307200K");
            Assert.Equal(1L << 20, CpuCache.ReadL2Bytes(folder));
            Assert.Null(CpuCache.ReadL2Bytes(Path.Combine(folder, "absent")));
            File.WriteAllText(Path.Combine(folder, "index2", "size"), "unknown");
            Assert.Null(CpuCache.ReadL2Bytes(folder));
        }
        finally { Directory.Delete(folder, recursive: true); }
        Assert.True(CpuCache.L2Bytes > 0);
    }

    private static void WriteIndex(string folder, int index, string level, string type, string size)
    {
        string dir = Path.Combine(folder, $"index{index}");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "level"), level + "\n");
        File.WriteAllText(Path.Combine(dir, "type"), type + "\n");
        File.WriteAllText(Path.Combine(dir, "size"), size + "\n");
    }

    // Columns that two full runs of full-depth panels and a part of a third cover on this machine (for any L2 size), rows
    // in two blocks with a last panel of 3 rows (of 8) or 5 (of 6), depth in two full blocks and 5 steps.
    private static int ColumnsOverRuns(int nr) => 2 * nr * Gemm.PanelsPerRun(CpuCache.L2Bytes, (long)nr * Gemm.KC * sizeof(float)) + 45;

    [Theory]
    [InlineData(true, false, false, 0f)]
    [InlineData(true, true, true, 0.5f)]
    [InlineData(false, false, true, 0f)]
    [InlineData(false, true, false, 0.5f)]
    public void ProductsOverSeveralRunsKeepTheDocumentedSums(bool wide, bool ta, bool tb, float beta)
    {
        bool was = Gemm.UseVector512;
        try
        {
            Gemm.UseVector512 = wide && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;
            int m = 203, n = ColumnsOverRuns(Gemm.UseVector512 ? Gemm.Tile512.NR : Gemm.Tile256.NR), k = 517;
            var a = ta ? RandomMatrix(k, m, 31) : RandomMatrix(m, k, 31);
            var b = tb ? RandomMatrix(n, k, 32) : RandomMatrix(k, n, 32);
            var start = RandomMatrix(m, n, 33).Data;
            var c = (float[])start.Clone();
            Gemm.Compute(m, n, k, 0.75f, a.Data, 0, a.Cols, ta, b.Data, 0, b.Cols, tb, beta, c, 0, n);
            var expected = DocumentedSums(m, n, k, 0.75f, ta ? Transposed(a) : a.Data, tb ? b.Data : Transposed(b), beta, start, upperOnly: false);
            Assert.Equal(expected, c);
        }
        finally { Gemm.UseVector512 = was; }
    }

    /// <summary>
    /// SYRK's chunk: XᵀX of a rows×d X (or X Xᵀ of a d×rows X), only tiles touching the upper triangle computed, the A
    /// blocks copied from the packed B block where they lie inside it (8×32 tile), packed from X where not (above a later
    /// column block; the 6×16 tile), row blocks wholly under a column block skipped.
    /// </summary>
    [Theory]
    [InlineData(true, false, false)]
    [InlineData(true, true, false)]
    [InlineData(false, false, false)]
    [InlineData(true, false, true)] // d past one column block (NC): row blocks above, inside and under each
    [InlineData(true, true, true)]
    [InlineData(false, true, true)]
    public void UpperTrianglesOfGramBlocksOverSeveralRunsKeepTheDocumentedSums(bool wide, bool ofRows, bool pastColumnBlock)
    {
        bool was = Gemm.UseVector512;
        try
        {
            Gemm.UseVector512 = wide && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;
            int d = pastColumnBlock ? Gemm.NC + 45 : ColumnsOverRuns(Gemm.UseVector512 ? Gemm.Tile512.NR : Gemm.Tile256.NR), rows = 261;
            var x = ofRows ? RandomMatrix(d, rows, 34) : RandomMatrix(rows, d, 34);
            var c = new float[d * d];
            Gemm.Compute(d, d, rows, 1f, x.Data, 0, x.Cols, !ofRows, x.Data, 0, x.Cols, ofRows, 0f, c, 0, d, upperOnly: true);
            var vectors = ofRows ? x.Data : Transposed(x);
            var expected = DocumentedSums(d, d, rows, 1f, vectors, vectors, 0f, null, upperOnly: true);
            for (int i = 0; i < d; i++)
                for (int j = i; j < d; j++)
                    if (expected[i * d + j] != c[i * d + j]) Assert.Fail($"C({i},{j}) = {c[i * d + j]}, expected {expected[i * d + j]}");
        }
        finally { Gemm.UseVector512 = was; }
    }

    private static float[] Transposed(Matrix x)
    {
        var t = new float[x.Data.Length];
        for (int i = 0; i < x.Rows; i++)
            for (int j = 0; j < x.Cols; j++) t[j * x.Rows + i] = x[i, j];
        return t;
    }

    // Gemm's order for each element of op(A)·op(B) (op(A) given as m rows of k, op(B) as n columns of k): per KC-deep block
    // a chain of fused multiply-adds from zero in depth order, then C = alpha·sum for the first block when beta = 0, else
    // C = fma(alpha, sum, C) after C was scaled by beta.
    private static float[] DocumentedSums(int m, int n, int k, float alpha, float[] rowsOfA, float[] columnsOfB, float beta, float[]? start, bool upperOnly)
    {
        var c = new float[m * n];
        bool fused = System.Runtime.Intrinsics.X86.Fma.IsSupported;
        Parallel.For(0, m, i =>
        {
            for (int j = upperOnly ? i : 0; j < n; j++)
            {
                float value = beta == 0 || start is null ? 0 : beta == 1 ? start[i * n + j] : start[i * n + j] * beta;
                for (int p0 = 0; p0 < k; p0 += Gemm.KC)
                {
                    float sum = 0;
                    for (int p = p0; p < Math.Min(k, p0 + Gemm.KC); p++)
                    {
                        float x = rowsOfA[i * k + p], y = columnsOfB[j * k + p];
                        sum = fused ? MathF.FusedMultiplyAdd(x, y, sum) : x * y + sum;
                    }
                    value = p0 == 0 && beta == 0 ? alpha * sum : MathF.FusedMultiplyAdd(alpha, sum, value);
                }
                c[i * n + j] = value;
            }
        });
        return c;
    }
}
