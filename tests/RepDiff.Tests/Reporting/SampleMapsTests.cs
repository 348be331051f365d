using RepDiff.IO;
using RepDiff.Numerics;
using RepDiff.Reporting;
using RepDiff.Tests.Numerics;

namespace RepDiff.Tests.Reporting;

public class SampleMapsTests
{
    private static RepresentationPair Blobs(int perCluster)
    {
        var (a, _) = UmapTestData.Blobs(3, perCluster, 6, seed: 2, separation: 3);
        var b = new Matrix(a.Rows, 6, a.Data.Select(v => 2 * v + 1).ToArray());
        return new RepresentationPair(a, b);
    }

    [Fact]
    public void MapsNpyHoldsTheSampleThenPcaThenUmapColumns()
    {
        using var pair = Blobs(30);
        var maps = SampleMaps.Compute(pair, []);
        string path = Path.Combine(TestData.TempDir(), "maps.npy");
        Npy.Write(path, maps.ToMatrix());
        var read = Npy.ReadMatrix(path);
        Assert.Equal(pair.N, read.Rows);
        Assert.Equal(9, read.Cols);
        Assert.Equal(9, SampleMaps.Columns.Length);
        for (int k = 0; k < pair.N; k++)
        {
            Assert.Equal(maps.Samples[k], read[k, 0]);
            Assert.Equal(maps.Pca.BY[k], read[k, 4]);
            Assert.Equal(maps.Umap!.AX[k], read[k, 5]);
            Assert.Equal(maps.Umap.BY[k], read[k, 8]);
        }
    }

    [Fact]
    public void TooFewSamplesForUmapGiveThePcaColumnsOnly()
    {
        using var pair = Blobs(10);
        var maps = SampleMaps.Compute(pair, []);
        Assert.Null(maps.Umap);
        Assert.Equal(5, maps.ToMatrix().Cols);
    }

    [Fact]
    public void EverySampleIsPlottedUpToTheBoundThenAStridePlusEveryMember()
    {
        Assert.Equal(Enumerable.Range(0, SampleMaps.MaxPoints), SampleMaps.PlottedSamples(SampleMaps.MaxPoints, []));
        int n = 3 * SampleMaps.MaxPoints;
        var members = new[] { 1, 2, 4, n - 1 };
        var plotted = SampleMaps.PlottedSamples(n, members);
        Assert.Subset(plotted.ToHashSet(), members.ToHashSet());
        Assert.InRange(plotted.Length, SampleMaps.MaxPoints, SampleMaps.MaxPoints + members.Length);
        Assert.Equal(plotted.Order(), plotted);
    }
}
