using RepDiff.Numerics;

namespace RepDiff.Tests.Numerics;

public class UmapPlacementTests
{
    [Fact]
    public void PlacedPointsLandAmongTheirOwnGroup()
    {
        var (x, labels) = UmapTestData.Blobs(4, 150, 10, seed: 8, separation: 4);
        var subset = Sampling.Uniform(x.Rows, 120, seed: 1);
        // The subset's "layout": each group's subset points around its own corner of the plane.
        var sx = subset.Select((i, s) => (float)(10 * (labels[i] % 2) + 0.01 * s)).ToArray();
        var sy = subset.Select((i, s) => (float)(10 * (labels[i] / 2) - 0.01 * s)).ToArray();
        var (px, py) = UmapPlacement.Place(x, subset, sx, sy, neighbours: 15, seed: 0);
        for (int s = 0; s < subset.Length; s++)
            Assert.Equal((sx[s], sy[s]), (px[subset[s]], py[subset[s]]));
        int wrong = Enumerable.Range(0, x.Rows).Count(i =>
            !float.IsFinite(px[i]) || Math.Abs(px[i] - 10 * (labels[i] % 2)) > 3 || Math.Abs(py[i] - 10 * (labels[i] / 2)) > 3);
        Assert.Equal(0, wrong);
        var (again, _) = UmapPlacement.Place(x, subset, sx, sy, neighbours: 15, seed: 0);
        Assert.Equal(px, again);
    }

    [Theory]
    [InlineData(20)]  // more candidates than neighbours: the 15 nearest count
    [InlineData(10)]  // fewer: all of them count
    public void APlacedPointIsTheMembershipWeightedMeanOfItsNearestSubsetPoints(int subsetSize)
    {
        // With a subset of at most 2·15 points each leaf holds every point, so every subset point is a candidate
        // (offered once per tree) and the placement can be written out from its definition.
        var (x, _) = UmapTestData.Blobs(3, 100, 5, seed: 2, separation: 2);
        var subset = Sampling.Uniform(x.Rows, subsetSize, seed: 4);
        var sx = subset.Select((_, s) => (float)Math.Sin(s)).ToArray();
        var sy = subset.Select((_, s) => (float)Math.Cos(3 * s)).ToArray();
        var (px, py) = UmapPlacement.Place(x, subset, sx, sy, neighbours: 15, seed: 0);
        for (int i = 0; i < x.Rows; i++)
        {
            if (subset.Contains(i)) continue;
            var near = subset.Select((row, s) => (D: Math.Sqrt(Enumerable.Range(0, x.Cols).Sum(c => Math.Pow(x[i, c] - x[row, c], 2))), S: s))
                .OrderBy(p => p.D).Take(15).ToArray();
            double sigma = near.Average(p => p.D - near[0].D);
            var w = near.Select(p => Math.Exp(-(p.D - near[0].D) / sigma)).ToArray();
            Assert.Equal(near.Select((p, j) => w[j] * sx[p.S]).Sum() / w.Sum(), px[i], 4);
            Assert.Equal(near.Select((p, j) => w[j] * sy[p.S]).Sum() / w.Sum(), py[i], 4);
        }
    }

    [Fact]
    public void LargeSetsLayOutASubsetAndPlaceTheRest()
    {
        var (a, labels) = UmapTestData.Blobs(3, 200, 8, seed: 6, separation: 5);
        var b = new Matrix(a.Rows, 8, a.Data.Select(v => 2 * v).ToArray());
        var maps = MapLayouts.Compute(new RepresentationPair(a, b), new MapLayoutOptions { UmapDescentRows = 200, Umap = new UmapOptions { Epochs = 100 } }, seed: 0);
        Assert.Equal(200, maps.UmapDescentPoints);
        Assert.Equal(a.Rows, maps.Umap!.AX.Length);
        Assert.All(maps.Umap.BX.Concat(maps.Umap.BY).Concat(maps.Umap.AX), v => Assert.True(float.IsFinite(v)));
        // Every sample, laid out or placed, has neighbours of its own group in both maps.
        Assert.True(UmapTestData.NeighbourPurity(maps.Umap.AX, maps.Umap.AY, labels, 10) > 0.95);
        Assert.True(UmapTestData.NeighbourPurity(maps.Umap.BX, maps.Umap.BY, labels, 10) > 0.95);
    }
}
