using RepDiff.Numerics;
using RepDiff.Spectral;
using RepDiff.Tests.Numerics;

namespace RepDiff.Tests.Spectral;

/// <summary>The feature route's small eigenproblem above the dense limit, where Θ = Lᵀ S L is applied without being formed.</summary>
public class FeatureGramTests
{
    /// <summary>
    /// The modes' eigenvalues are those of Θ formed densely from the same factor (both ends, to 1e-9 of the norm), and
    /// a second solve gives the same bits: the product's partial sums are added in a fixed order, not as threads finish.
    /// </summary>
    [Fact]
    public void ImplicitThetaGivesTheDenseEigenvaluesAndTheSameBitsTwice()
    {
        const int d = 8 * 62 + 5, k = 6;  // above SignedEigen.DenseLimit, and the last group of rows a partial tile
        Assert.True(d > SignedEigen.DenseLimit);
        var phi = NumericsTestData.RandomMatrix(2 * d, d, seed: 11);
        var gram = new CovarianceAccumulator(d, inDouble: true);
        gram.Add(phi);
        var g = gram.Sum;
        var signs = Enumerable.Range(0, d).Select(i => i < d / 2 ? 1.0 : -0.7).ToArray();

        var l = Cholesky.Factor(g, d);
        var theta = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                for (int m = Math.Max(i, j); m < d; m++) theta[i * d + j] += l[m * d + i] * signs[m] * l[m * d + j];
        var dense = SymmetricEigen.Decompose(theta, d).Values;
        double norm = Math.Max(Math.Abs(dense[0]), Math.Abs(dense[^1]));

        var first = FeatureGram.Solve((double[])g.Clone(), signs, k, zero: 0, seed: 3, progress: null);
        var second = FeatureGram.Solve((double[])g.Clone(), signs, k, zero: 0, seed: 3, progress: null);
        Assert.Equal(k, first.Modes.PositiveValues.Length);
        Assert.Equal(k, first.Modes.NegativeValues.Length);
        for (int i = 0; i < k; i++)
        {
            Assert.Equal(dense[i], first.Modes.PositiveValues[i], 1e-9 * norm);
            Assert.Equal(dense[d - 1 - i], first.Modes.NegativeValues[i], 1e-9 * norm);
        }
        Assert.Equal(first.Modes.PositiveValues, second.Modes.PositiveValues);
        Assert.Equal(first.Modes.NegativeValues, second.Modes.NegativeValues);
        Assert.Equal(first.PositiveWeights, second.PositiveWeights);
    }
}
