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
}
