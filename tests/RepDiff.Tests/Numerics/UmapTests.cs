using RepDiff.Numerics;

namespace RepDiff.Tests.Numerics;

public class UmapTests
{
    [Fact]
    public void CurveFitMatchesUmapLearnForMinDistPointOne()
    {
        // umap-learn's find_ab_params(1.0, 0.1) gives a = 1.5769, b = 0.8951.
        var (a, b) = UmapCurve.Fit(0.1);
        Assert.Equal(1.577, a, 0.005);
        Assert.Equal(0.8951, b, 0.002);
    }

    [Fact]
    public void CurveFitTightensWithSmallerMinDist()
    {
        // The curve must fall faster near 0 as min_dist shrinks: at d = min_dist the fitted similarity stays near 1.
        foreach (double minDist in new[] { 0.01, 0.1, 0.5 })
        {
            var (a, b) = UmapCurve.Fit(minDist);
            Assert.True(a > 0 && b > 0);
            double atMinDist = 1 / (1 + a * Math.Pow(minDist, 2 * b));
            double atThree = 1 / (1 + a * Math.Pow(3, 2 * b));
            Assert.True(atMinDist > 0.75, $"min_dist {minDist}: {atMinDist}");
            Assert.True(atThree < 0.15, $"min_dist {minDist}: {atThree}");
        }
    }

    [Fact]
    public void SameSeedGivesTheSameLayoutBitForBit()
    {
        var (x, _) = UmapTestData.Blobs(4, 60, 12, seed: 3, separation: 1.5);
        var options = new UmapOptions { Epochs = 100 };
        var first = Umap.Embed(x, options, seed: 5);
        var again = Umap.Embed(x, options, seed: 5);
        var other = Umap.Embed(x, options, seed: 6);
        Assert.Equal(first.X, again.X);
        Assert.Equal(first.Y, again.Y);
        Assert.NotEqual(first.X, other.X);
        Assert.All(first.X.Concat(first.Y), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void BlockParallelDescentGivesTheSameBytesHoweverTheThreadsRun()
    {
        // 1,600 points: the descent runs in several blocks on all cores; two runs at once see other thread timings
        // than one alone, and must still agree to the bit (anchored to a start too, as B's map is).
        var (x, _) = UmapTestData.Blobs(4, 400, 12, seed: 8, separation: 2);
        Assert.True(UmapDescent.BlockCount(x.Rows) > 1);
        var options = new UmapOptions { Epochs = 60 };
        var alone = Umap.Embed(x, options, seed: 9);
        var together = Enumerable.Range(0, 2).AsParallel().Select(_ => Umap.Embed(x, options, seed: 9)).ToArray();
        foreach (var layout in together)
        {
            Assert.Equal(alone.X, layout.X);
            Assert.Equal(alone.Y, layout.Y);
        }
        var anchored = options with { AnchorStrength = 0.01 };
        var first = Umap.Embed(x, anchored, seed: 9, (alone.X, alone.Y));
        var again = Umap.Embed(x, anchored, seed: 9, (alone.X, alone.Y));
        Assert.Equal(first.X, again.X);
        Assert.Equal(first.Y, again.Y);
        Assert.All(first.X.Concat(first.Y), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ApproximateGraphRouteIsDeterministicToo()
    {
        var (x, _) = UmapTestData.Blobs(5, 300, 16, seed: 4, separation: 1);
        var options = new UmapOptions { Epochs = 50 };
        UmapLayout Run() => Umap.Layout(FuzzyGraph.FromNeighbours(NearestNeighbours.Approximate(x, 14, seed: 2)), options, seed: 2, data: x);
        var first = Run();
        var again = Run();
        Assert.Equal(first.X, again.X);
        Assert.Equal(first.Y, again.Y);
    }

    [Fact]
    public void PlantedClustersSeparateInTheLayout()
    {
        var (x, labels) = UmapTestData.Blobs(6, 80, 20, seed: 7);
        var layout = Umap.Embed(x, new UmapOptions(), seed: 1);
        // Every point's 10 nearest points in the layout are from its own cluster, and clusters lie far apart:
        // the closest two centroids are further apart than several cluster radii.
        Assert.Equal(1.0, UmapTestData.NeighbourPurity(layout.X, layout.Y, labels, 10));
        var centroids = Enumerable.Range(0, 6).Select(c =>
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            return (X: members.Average(i => layout.X[i]), Y: members.Average(i => layout.Y[i]), Members: members);
        }).ToArray();
        double radius = centroids.Max(c => c.Members.Max(i => Math.Sqrt(Math.Pow(layout.X[i] - c.X, 2) + Math.Pow(layout.Y[i] - c.Y, 2))));
        double gap = double.PositiveInfinity;
        for (int p = 0; p < 6; p++)
            for (int q = p + 1; q < 6; q++)
                gap = Math.Min(gap, Math.Sqrt(Math.Pow(centroids[p].X - centroids[q].X, 2) + Math.Pow(centroids[p].Y - centroids[q].Y, 2)));
        Assert.True(gap > 2 * radius, $"closest centroids {gap:F2} apart, largest radius {radius:F2}");
    }

    [Fact]
    public void ConnectedDataStartsFromTheSpectralLayoutAndKeepsNeighbourhoods()
    {
        // Overlapping blobs: one connected graph, so the spectral start is used.
        var (x, labels) = UmapTestData.Blobs(3, 150, 10, seed: 9, separation: 1.2);
        var layout = Umap.Embed(x, new UmapOptions { Epochs = 200 }, seed: 0);
        Assert.Equal("spectral", layout.Initialization);
        double trust = RepDiff.Metrics.Trustworthiness.Compute(x, UmapTestData.Points(layout.X, layout.Y), 10);
        Assert.True(trust > 0.85, $"trustworthiness {trust}");
    }

    [Fact]
    public void FuzzyGraphIsSymmetricWithCalibratedMemberships()
    {
        var (x, _) = UmapTestData.Blobs(3, 100, 8, seed: 2, separation: 2);
        var knn = NearestNeighbours.Exact(x, 14);
        var graph = FuzzyGraph.FromNeighbours(knn);
        var weight = new Dictionary<(int, int), float>();
        for (int i = 0; i < graph.N; i++)
            for (int e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
            {
                Assert.InRange(graph.Weights[e], 1e-12f, 1f);
                Assert.NotEqual(i, graph.Columns[e]);
                if (e > graph.RowStart[i]) Assert.True(graph.Columns[e] > graph.Columns[e - 1]);
                weight[(i, graph.Columns[e])] = graph.Weights[e];
            }
        foreach (var ((i, j), w) in weight) Assert.Equal(w, weight[(j, i)]);
        // Each point's directed memberships sum to log2(n_neighbors) (the binary search's target), and its
        // nearest neighbour has membership 1.
        for (int i = 0; i < graph.N; i++)
        {
            double sum = 0;
            foreach (float d in knn.DistancesOf(i)) sum += Math.Exp(-Math.Max(0, d - graph.Rho[i]) / graph.Sigma[i]);
            Assert.Equal(Math.Log2(15), sum, 1e-3);
            Assert.Equal(knn.DistancesOf(i)[0], graph.Rho[i], 1e-6);
        }
    }

    [Fact]
    public void BadParametersAreInputErrors()
    {
        var (x, _) = UmapTestData.Blobs(2, 10, 3, seed: 1);
        Assert.Throws<RepDiffInputException>(() => Umap.Embed(x, new UmapOptions { Neighbours = 1 }, 0));
        Assert.Throws<RepDiffInputException>(() => Umap.Embed(x, new UmapOptions { MinDist = 2 }, 0));
        Assert.Throws<RepDiffInputException>(() => Umap.Embed(x, new UmapOptions { MinDist = double.NaN }, 0));
    }

    [Fact]
    public void TinyAndDegenerateInputsGiveFiniteLayouts()
    {
        var one = Umap.Embed(new Matrix(1, 3), new UmapOptions(), 0);
        Assert.Equal([0f], one.X);
        var same = new Matrix(5, 3); // five identical points
        var layout = Umap.Embed(same, new UmapOptions { Epochs = 20 }, 0);
        Assert.All(layout.X.Concat(layout.Y), v => Assert.True(float.IsFinite(v)));
        var line = Matrix.FromRows([[0], [1], [2], [3], [5]]);
        var lineLayout = Umap.Embed(line, new UmapOptions { Epochs = 20 }, 0);
        Assert.All(lineLayout.X.Concat(lineLayout.Y), v => Assert.True(float.IsFinite(v)));
    }
}
