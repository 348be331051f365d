using RepDiff.Metrics;
using RepDiff.Tests.Numerics;

namespace RepDiff.Tests.Metrics;

public class TrustworthinessTests
{
    [Fact]
    public void HandComputedSmallCase()
    {
        // Points on a line at 0, 1, 3, 7, 12, 20; the embedding swaps the first and the last. With k = 2 the
        // embedded neighbours' original ranks give penalties 3, 3, 3, 0, 3, 3 (worked out by hand: e.g. point 0
        // lands beside points 4 and 3, its 4th and 3rd nearest, penalty (4 − 2) + (3 − 2)); the sum 15 times
        // 2/(n·k·(2n − 3k − 1)) = 1/30 gives T = 0.5. scikit-learn 1.2.1 prints 0.5 too.
        var original = Matrix.FromRows([[0], [1], [3], [7], [12], [20]]);
        var embedded = Matrix.FromRows([[20], [1], [3], [7], [12], [0]]);
        Assert.Equal(0.5, Trustworthiness.Compute(original, embedded, 2), 12);
    }

    [Fact]
    public void AnIsometricEmbeddingIsFullyTrustworthy()
    {
        var (x, _) = UmapTestData.Blobs(3, 40, 2, seed: 6, separation: 2);
        // Rotate by 1 radian, reflect, shift: distances are unchanged, so every neighbourhood is kept.
        var moved = new Matrix(x.Rows, 2);
        for (int i = 0; i < x.Rows; i++)
        {
            double a = x[i, 0], b = x[i, 1];
            moved[i, 0] = (float)(Math.Cos(1) * a - Math.Sin(1) * b + 5);
            moved[i, 1] = (float)-(Math.Sin(1) * a + Math.Cos(1) * b - 2);
        }
        Assert.Equal(1.0, Trustworthiness.Compute(x, x, 10), 12);
        Assert.Equal(1.0, Trustworthiness.Compute(x, moved, 10), 12);
    }

    [Fact]
    public void ARandomEmbeddingIsMuchLessTrustworthy()
    {
        var (x, _) = UmapTestData.Blobs(3, 60, 8, seed: 6);
        var noise = NumericsTestData.RandomMatrix(x.Rows, 2, seed: 1);
        double t = Trustworthiness.Compute(x, noise, 10);
        Assert.InRange(t, 0.3, 0.7); // about 0.5 for an unrelated embedding
    }

    [Fact]
    public void KOfHalfTheSamplesIsAnInputError() =>
        Assert.Throws<RepDiffInputException>(() => Trustworthiness.Compute(new Matrix(10, 2), new Matrix(10, 2), 5));
}
