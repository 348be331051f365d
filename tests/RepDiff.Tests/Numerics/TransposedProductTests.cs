using RepDiff.Numerics;

namespace RepDiff.Tests.Numerics;

/// <summary>Φᵀ v for several vectors at once against its definition, summed in the same order.</summary>
public class TransposedProductTests
{
    /// <summary>
    /// Every entry is Σ_i Φ[i, j] · v[i] with a separate multiply and add per term in row order: bit for bit, for one
    /// column block and several (D = 1,300 crosses two block edges and ends in a partial vector), one vector and many
    /// (20: two full groups of eight summed in registers and a short one; 70 rows: three tiles of rows, the last short).
    /// </summary>
    [Theory]
    [InlineData(37, 5, 1)]
    [InlineData(200, 1300, 7)]
    [InlineData(1, 9, 3)]
    [InlineData(70, 1031, 20)]
    public void EntriesAreTheOrderedSumsOfTheirDefinition(int n, int d, int count)
    {
        var phi = NumericsTestData.RandomMatrix(n, d, seed: 3);
        var rng = Rng.Create(8);
        var vectors = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, n).Select(_ => Rng.Normal(rng)).ToArray()).ToArray();
        var result = TransposedProduct.Compute(phi, vectors);
        Assert.Equal(count, result.Length);
        for (int k = 0; k < count; k++)
        {
            Assert.Equal(d, result[k].Length);
            for (int j = 0; j < d; j++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++)
                {
                    double term = phi[i, j] * vectors[k][i];
                    sum += term;
                }
                Assert.Equal(sum, result[k][j]);
            }
        }
    }

    [Fact]
    public void AVectorOfAnotherLengthIsRefused()
    {
        var phi = NumericsTestData.RandomMatrix(4, 3, seed: 1);
        Assert.Throws<ArgumentException>(() => TransposedProduct.Compute(phi, [new double[5]]));
    }
}
