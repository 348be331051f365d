using RepDiff.Metrics;
using RepDiff.Numerics;
using RepDiff.Tests.Numerics;

namespace RepDiff.Tests.Metrics;

/// <summary>The pair's shared nearest-neighbour lists (PairStatistics) and the two steps that read them.</summary>
public class SharedNeighboursTests
{
    private static RepresentationPair Pair(int n, int seed) =>
        new(NumericsTestData.RandomMatrix(n, 12, seed), NumericsTestData.RandomMatrix(n, 9, seed + 1));

    [Fact]
    public void EveryWidthAskedIsTheExactListsOfThatWidth()
    {
        var pair = Pair(300, seed: 4);
        // Narrow first (found at the shared width, read as prefixes), then wider (found again), then narrow again.
        foreach (int k in new[] { 10, 3, 14, 40, 7, 1 })
        {
            Assert.Equal(MutualKnn.Neighbours(pair.A, k), pair.Statistics.NeighboursOfA(k));
            Assert.Equal(MutualKnn.Neighbours(pair.B, k), pair.Statistics.NeighboursOfB(k));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => pair.Statistics.NeighboursOfA(300));
    }

    [Fact]
    public void ContextMutualKnnFromSharedListsIsTheDirectAlignment()
    {
        var pair = Pair(400, seed: 7);
        var context = ContextMetrics.Compute(pair, new ContextMetricsOptions { Probes = false });
        Assert.Equal(MutualKnn.Alignment(pair.A, pair.B, MutualKnn.DefaultNeighbours), (double)context.Metrics["mutual_knn"]!);
    }

    /// <summary>
    /// A run's context reads every row up to the shared limit (it had subsampled 5,000), so its lists are the ones the maps
    /// take; above the limit it subsamples as before.
    /// </summary>
    [Fact]
    public void RunContextReadsEveryRowUpToTheSharedLimit()
    {
        var pair = Pair(6000, seed: 5);
        var context = Comparison.ContextMetrics(pair);
        Assert.Null(context["mutual_knn_samples"]);
        Assert.Equal(MutualKnn.Overlap(pair.Statistics.NeighboursOfA(10), pair.Statistics.NeighboursOfB(10), 10), (double)context["mutual_knn"]!);
        Assert.Equal(MutualKnn.Alignment(pair.A, pair.B, 10), (double)context["mutual_knn"]!);
        var larger = Comparison.ContextMetrics(Pair(PairStatistics.SharedNeighboursLimit + 1, seed: 5));
        Assert.Equal(PairStatistics.SharedNeighboursLimit, (int)larger["mutual_knn_samples"]!);
    }

    /// <summary>
    /// Above NN-descent's threshold the maps' graph now comes from the shared exact lists: the layout is UMAP's on the exact
    /// graph, and it does not depend on whether the context had found the lists first.
    /// </summary>
    [Fact]
    public void MapsReadTheExactSharedListsWhicheverStepFoundThemFirst()
    {
        int n = NearestNeighbours.ExactBelow + 200;
        var options = new MapLayoutOptions { Umap = new UmapOptions { Epochs = 10 } };
        var alone = MapLayouts.Compute(Pair(n, seed: 2), options, seed: 3);
        var afterContext = Pair(n, seed: 2);
        ContextMetrics.Compute(afterContext, new ContextMetricsOptions { Probes = false });
        var shared = MapLayouts.Compute(afterContext, options, seed: 3);
        Assert.Equal(alone.Umap!.AX, shared.Umap!.AX);
        Assert.Equal(alone.Umap.BY, shared.Umap.BY);
        var exactA = Umap.Embed(afterContext.A, options.Umap!, seed: 3, neighbours: k => MutualKnn.Neighbours(afterContext.A, k));
        Assert.Equal(exactA.X, alone.Umap.AX);
    }
}
