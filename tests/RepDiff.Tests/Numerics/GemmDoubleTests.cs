using RepDiff.Methods.Spec;
using RepDiff.Numerics;

namespace RepDiff.Tests.Numerics;

public class GemmDoubleTests
{
    private static double[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
    }

    /// <summary>
    /// The blocked product equals the definition Σ_p op(A)(i,p) op(B)(p,j), for each transpose, on sizes that leave partial
    /// register tiles (rows not a multiple of 6, columns not of 8) and cross the depth and column blocks (256).
    /// </summary>
    [Theory]
    [InlineData(13, 263, 300, false, false)]
    [InlineData(13, 263, 300, true, false)]
    [InlineData(263, 13, 300, false, true)]
    [InlineData(100, 97, 513, true, true)]
    [InlineData(1, 1, 1, false, false)]
    [InlineData(7, 9, 0, false, false)]
    public void EqualsTheStraightforwardProduct(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var a = Random(m * k, 1);
        var b = Random(k * n, 2);
        var c = Enumerable.Repeat(double.NaN, m * n).ToArray(); // overwritten, whatever it held
        GemmDouble.Multiply(m, n, k, a, transposeA, b, transposeB, c);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double expected = 0;
                for (int p = 0; p < k; p++)
                    expected += (transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]);
                Assert.True(Math.Abs(c[i * n + j] - expected) <= 1e-12 * Math.Max(1, k), $"C({i},{j}) = {c[i * n + j]:R}, expected {expected:R}");
            }
    }

    /// <summary>
    /// Both register tiles (8×16 Vector512, 6×8 Vector256) give, bit for bit, the sums the class promises: each entry one
    /// fused multiply-add chain from zero in depth order within each KC block, the blocks added in order. So the tile, the
    /// thread count (the larger sizes run on every core) and the partial tiles at the edges change no bit.
    /// </summary>
    [Theory]
    [InlineData(13, 263, 300, false, false)]
    [InlineData(13, 263, 300, true, false)]
    [InlineData(263, 13, 300, false, true)]
    [InlineData(100, 97, 513, true, true)]
    [InlineData(77, 300, 129, false, true)]
    [InlineData(8, 16, 256, false, false)]
    [InlineData(1, 1, 1, true, true)]
    [InlineData(7, 9, 0, false, false)]
    [InlineData(7, 9, 0, true, true)]
    public void BothTilesGiveTheBitsOfOneFmaChainPerDepthBlock(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var a = Random(m * k, 1);
        var b = Random(k * n, 2);
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double total = 0;
                for (int pc = 0; pc < k; pc += GemmDouble.KC)
                {
                    double chain = 0;
                    for (int p = pc; p < Math.Min(k, pc + GemmDouble.KC); p++)
                        chain = Math.FusedMultiplyAdd(transposeA ? a[p * m + i] : a[i * k + p], transposeB ? b[j * k + p] : b[p * n + j], chain);
                    total = pc == 0 ? chain : total + chain;
                }
                expected[i * n + j] = total;
            }
        foreach (bool vector512 in new[] { true, false })
        {
            var c = Enumerable.Repeat(double.NaN, m * n).ToArray();
            GemmDouble.Multiply(m, n, k, a, transposeA, b, transposeB, c, vector512);
            Assert.Equal(expected, c);
        }
    }

    /// <summary>The Gram product computes the lower triangle's tiles only and mirrors them: the bits of the full product,
    /// across partial tiles, the column block (256) and the depth block, with either tile.</summary>
    [Theory]
    [InlineData(300, 270)]
    [InlineData(512, 384)]
    [InlineData(5, 3)]
    [InlineData(6, 0)]
    public void TheGramProductGivesTheBitsOfTheFullProduct(int m, int k)
    {
        var a = Random(m * k, 3);
        foreach (bool vector512 in new[] { true, false })
        {
            var full = new double[m * m];
            GemmDouble.Multiply(m, m, k, a, false, a, true, full, vector512);
            var gram = Enumerable.Repeat(double.NaN, m * m).ToArray();
            GemmDouble.Gram(m, k, a, gram, vector512);
            Assert.Equal(full, gram);
        }
    }

    [Fact]
    public void AGramMatrixIsExactlySymmetric()
    {
        // SPEC-align's Ŷ Ŷᵀ goes to a symmetric eigensolver as it is.
        int m = 50, d = 700;
        var y = Random(m * d, 3);
        var k = new double[m * m];
        GemmDouble.Multiply(m, m, d, y, false, y, true, k);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < i; j++) Assert.Equal(k[i * m + j], k[j * m + i]);
    }

    [Fact]
    public void AdamStepGivesTheBitsOfTheEntryByEntryUpdate()
    {
        int count = (1 << 15) + 7; // two parallel chunks and a scalar tail
        var w = Random(count, 4); var grad = Random(count, 5);
        var m1 = Random(count, 6); var m2 = Random(count, 7).Select(Math.Abs).ToArray();
        var (w0, m10, m20) = ((double[])w.Clone(), (double[])m1.Clone(), (double[])m2.Clone());
        const double lr = 3e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        SpecAlign.AdamStep(w, grad, m1, m2, lr, beta1, beta2, epsilon);
        for (int i = 0; i < count; i++)
        {
            m10[i] = beta1 * m10[i] + (1 - beta1) * grad[i];
            m20[i] = beta2 * m20[i] + (1 - beta2) * grad[i] * grad[i];
            w0[i] -= lr * m10[i] / (Math.Sqrt(m20[i]) + epsilon);
        }
        Assert.Equal(m10, m1);
        Assert.Equal(m20, m2);
        Assert.Equal(w0, w);
    }
}
