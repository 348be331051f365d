using RepDiff.Methods.Rdx;
using RepDiff.Numerics;

namespace RepDiff.Tests.Methods.Rdx;

/// <summary>
/// Spectral clustering of RDX's affinity recovers planted groups whichever eigensolver the affinity's size picks:
/// single-vector Lanczos while it fits the cache, block Lanczos on whole float rows past 48 MB.
/// </summary>
public class AffinityClusteringTests
{
    [Theory]
    [InlineData(600, false)]
    [InlineData(3600, true)]   // 51.8 MB of float32
    public void SpectralClusteringRecoversPlantedGroups(int n, bool blocks)
    {
        const int groups = 5;
        var rng = Rng.Create(n);
        var truth = Enumerable.Range(0, n).Select(_ => rng.Next(groups)).ToArray();
        var s = new Matrix(n, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                s[i, j] = s[j, i] = (float)(truth[i] == truth[j] ? 0.6 + 0.4 * rng.NextDouble() : 0.3 * rng.NextDouble());
        Assert.Equal(blocks, new DenseSymmetricOperator(s).BlocksPayOff);

        var (labels, values) = AffinityClustering.Spectral(s, groups, seed: 1, progress: null);

        Assert.Equal(1, values[0], 1e-6);   // the normalized affinity's top eigenvalue
        var labelOf = Enumerable.Range(0, groups).Select(g => labels[Array.IndexOf(truth, g)]).ToArray();
        Assert.Equal(groups, labelOf.Distinct().Count());
        for (int i = 0; i < n; i++) Assert.Equal(labelOf[truth[i]], labels[i]);
    }

    /// <summary>
    /// D^{-1/2} S D^{-1/2} is formed eight rows and a vector at a time; Lanczos reads its floats, and the eigenvectors
    /// of RDX's gapless spectra move with the last bit, so they must be the floats of one entry at a time.
    /// </summary>
    [Theory]
    [InlineData(37)]    // rows past the last group of eight, columns past the last vector
    [InlineData(64)]
    public void NormalizedAffinityHasTheFloatsOfOneEntryAtATime(int n)
    {
        var rng = Rng.Create(n);
        var s = new Matrix(n, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) s[i, j] = s[j, i] = (float)Math.Exp(5 * (2 * rng.NextDouble() - 1));
        for (int j = 0; j < n; j++) s[3, j] = s[j, 3] = 0;   // an empty row: its factor is 0

        var expectedRoot = new double[n];
        for (int i = 0; i < n; i++)
        {
            double degree = 0;
            for (int j = 0; j < n; j++) degree += s[i, j];
            expectedRoot[i] = degree > 0 ? 1 / Math.Sqrt(degree) : 0;
        }
        var expected = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) expected[i * n + j] = (float)(s[i, j] * expectedRoot[i] * expectedRoot[j]);

        var inverseRoot = AffinityClustering.InverseRootDegrees(s);
        AffinityClustering.Normalize(s, inverseRoot);

        Assert.Equal(expectedRoot, inverseRoot);
        Assert.Equal(0, inverseRoot[3]);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), s.Data.Select(BitConverter.SingleToInt32Bits));
    }
}
