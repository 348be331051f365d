using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

/// <summary>
/// Both solvers for the two ends of a spectrum (one Krylov space, and block Lanczos) give the dense solver's
/// pairs, repeated and clustered eigenvalues included.
/// </summary>
public class LanczosBothEndsTests
{
    /// <summary>The dense operator, counting block products (and offering blocks whatever its size).</summary>
    private sealed class DenseBlock(double[] a, int n) : IBlockSymmetricOperator
    {
        private readonly DenseSymmetricOperator dense = new(a, n);
        public int Size => n;
        public int BlockProducts { get; private set; }
        public bool BlocksPayOff => true;
        public void Multiply(double[] x, double[] y) => dense.Multiply(x, y);
        public void Multiply(double[][] x, double[][] y)
        {
            BlockProducts++;
            dense.Multiply(x, y);
        }
    }

    [Theory]
    [InlineData(29, 3)]   // a partial row tile and a partial column tile
    [InlineData(64, 8)]
    [InlineData(101, 13)]
    public void BlockProductEqualsOneProductPerVector(int n, int vectors)
    {
        var a = WithSpectrum(Enumerable.Range(0, n).Select(i => Math.Cos(i)).ToArray(), n);
        var rng = Rng.Create(n);
        var x = Enumerable.Range(0, vectors).Select(_ => Enumerable.Range(0, n).Select(_ => Rng.Normal(rng)).ToArray()).ToArray();
        var y = x.Select(_ => new double[n]).ToArray();
        foreach (var op in new[] { new DenseSymmetricOperator(a, n), new DenseSymmetricOperator(new Matrix(n, n, a.Select(v => (float)v).ToArray())) })
        {
            op.Multiply(x, y);
            for (int c = 0; c < vectors; c++)
            {
                var single = new double[n];
                op.Multiply(x[c], single);
                for (int i = 0; i < n; i++) Assert.Equal(single[i], y[c][i], 1e-12);
            }
        }
        Assert.False(new DenseSymmetricOperator(a, n).BlocksPayOff);  // a small matrix stays in cache
    }

    [Theory]
    [InlineData("indefinite", false)]
    [InlineData("repeated at both ends", false)]
    [InlineData("one-sided", false)]
    [InlineData("indefinite", true)]
    [InlineData("repeated at both ends", true)]  // a triple eigenvalue at each end: one Krylov vector alone sees one copy
    [InlineData("one-sided", true)]
    [InlineData("clustered", true)]
    public void BothEndsAgreeWithDense(string kind, bool block)
    {
        const int n = 500, k = 10;
        var spectrum = TestSpectrum(kind, n);
        var a = WithSpectrum(spectrum, 7);
        var dense = SymmetricEigen.Decompose(a, n);
        var op = new DenseBlock(a, n);
        var (top, bottom) = block ? BlockLanczos.SolveBothEnds(op, k, seed: 2) : Lanczos.SolveBothEnds(op, k, seed: 2);
        Assert.Equal(block, op.BlockProducts > 0);
        double norm = spectrum.Max(Math.Abs);
        Assert.Equal(dense.Values.Take(k).ToArray(), top.Values, (x, y) => Math.Abs(x - y) < 1e-8 * norm);
        Assert.Equal(dense.Values.Reverse().Take(k).ToArray(), bottom.Values, (x, y) => Math.Abs(x - y) < 1e-8 * norm);
        double[][] all = [.. top.Vectors, .. bottom.Vectors];
        double[] values = [.. top.Values, .. bottom.Values];
        for (int i = 0; i < all.Length; i++)
        {
            Assert.True(Residual(a, n, values[i], all[i]) < 1e-8 * norm, $"pair {i} residual");
            for (int j = 0; j <= i; j++) Assert.Equal(i == j ? 1 : 0, Dot(all[i], all[j]), 1e-8);
        }
    }

    /// <summary>One end by block Lanczos (RDX's spectral clustering on affinities past the cache): the dense solver's
    /// k pairs of that end, a triple eigenvalue included, in the order of <see cref="EigenResult"/>.</summary>
    [Theory]
    [InlineData("repeated at both ends", EigenTarget.Largest)]
    [InlineData("repeated at both ends", EigenTarget.Smallest)]
    [InlineData("clustered", EigenTarget.Largest)]
    [InlineData("one-sided", EigenTarget.Largest)]
    public void OneEndAgreesWithDense(string kind, EigenTarget target)
    {
        const int n = 500, k = 6;
        var spectrum = TestSpectrum(kind, n);
        var a = WithSpectrum(spectrum, 7);
        var dense = SymmetricEigen.Decompose(a, n);
        var op = new DenseBlock(a, n);
        var found = BlockLanczos.Solve(op, k, target, seed: 2);
        Assert.True(op.BlockProducts > 0 && found.Converged);
        var expected = target == EigenTarget.Largest ? dense.Values.Take(k) : dense.Values.Reverse().Take(k);
        double norm = spectrum.Max(Math.Abs);
        Assert.Equal(expected.ToArray(), found.Values, (x, y) => Math.Abs(x - y) < 1e-8 * norm);
        for (int i = 0; i < k; i++)
        {
            Assert.True(Residual(a, n, found.Values[i], found.Vectors[i]) < 1e-8 * norm, $"pair {i} residual");
            for (int j = 0; j <= i; j++) Assert.Equal(i == j ? 1 : 0, Dot(found.Vectors[i], found.Vectors[j]), 1e-8);
        }
    }

    [Fact]
    public void ASolveStoppedAtItsProductCapSaysItDidNotConverge()
    {
        const int n = 500;
        var a = WithSpectrum(TestSpectrum("clustered", n), 7);
        var op = new DenseSymmetricOperator(a, n);
        Assert.False(Lanczos.Solve(op, 10, EigenTarget.Largest, maxIterations: 45).Converged);
        Assert.True(Lanczos.Solve(op, 10, EigenTarget.Largest).Converged);
        var (top, bottom) = BlockLanczos.SolveBothEnds(new DenseBlock(a, n), 10);
        Assert.True(top.Converged && bottom.Converged);
    }

    [Fact]
    public void BlockSolverIsDeterministicAndSmallProblemsFallBackToDense()
    {
        var a = WithSpectrum(Enumerable.Range(0, 400).Select(i => Math.Sin(i)).ToArray(), 3);
        var first = BlockLanczos.SolveBothEnds(new DenseBlock(a, 400), 5, seed: 1);
        var second = BlockLanczos.SolveBothEnds(new DenseBlock(a, 400), 5, seed: 1);
        Assert.Equal(first.Largest.Values, second.Largest.Values);
        Assert.Equal(first.Smallest.Vectors[0], second.Smallest.Vectors[0]);
        // 2 × basis ≥ n: the plain solver (dense for n this small) answers, without block products.
        var small = new DenseBlock(WithSpectrum(Enumerable.Range(0, 150).Select(i => (double)i - 75).ToArray(), 4), 150);
        var (top, bottom) = BlockLanczos.SolveBothEnds(small, 3);
        Assert.Equal(0, small.BlockProducts);
        Assert.Equal([74.0, 73, 72], top.Values, (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Equal([-75.0, -74, -73], bottom.Values, (x, y) => Math.Abs(x - y) < 1e-9);
    }
}
