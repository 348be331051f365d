using RepDiff.IO;
using RepDiff.Metrics;
using RepDiff.Reporting;
using RepDiff.Tests.Numerics;

namespace RepDiff.Tests.Metrics;

/// <summary>
/// The report's maps are made beside scoring and the context metrics (SampleMaps.Beside): both ask the pair for its rows and
/// its neighbour lists at once, and each must be found once, the second asker waiting for the first's.
/// </summary>
public class PairStatisticsThreadsTests
{
    /// <summary>Asks at once from two threads, released together by a barrier; the two answers.</summary>
    private static (T First, T Second) AskedAtOnce<T>(Func<T> ask)
    {
        using var start = new Barrier(2);
        T Ask()
        {
            start.SignalAndWait();
            return ask();
        }
        var other = Task.Run(Ask);
        var mine = Ask();
        return (mine, other.GetAwaiter().GetResult());
    }

    [Fact]
    public void TwoThreadsAskingForTheNeighbourListsGetOneSearch()
    {
        // An all-pairs search of some tens of milliseconds: long enough that two unguarded askers both found the lists.
        var pair = new RepresentationPair(NumericsTestData.RandomMatrix(3000, 64, seed: 1), NumericsTestData.RandomMatrix(3000, 48, seed: 2));
        var (a1, a2) = AskedAtOnce(() => pair.Statistics.NeighboursOfA(PairStatistics.SharedNeighbours));
        Assert.Same(a1, a2);
        var (b1, b2) = AskedAtOnce(() => pair.Statistics.NeighboursOfB(PairStatistics.SharedNeighbours));
        Assert.Same(b1, b2);
        // And they are the lists themselves, read afterwards by anyone.
        Assert.Same(a1, pair.Statistics.NeighboursOfA(PairStatistics.SharedNeighbours));
        Assert.Equal(MutualKnn.Neighbours(pair.A, PairStatistics.SharedNeighbours), a1);
    }

    [Fact]
    public void TwoThreadsLoadingAnOpenedFileGetOneMatrix()
    {
        var rows = NumericsTestData.RandomMatrix(20_000, 128, seed: 3);
        string a = TestData.SaveTemp(rows, "a.npy"), b = TestData.SaveTemp(NumericsTestData.RandomMatrix(20_000, 16, seed: 4), "b.npy");
        using var pair = new RepresentationPair(Embeddings.OpenRows(a), Embeddings.OpenRows(b));
        var (first, second) = AskedAtOnce(() => pair.A);
        Assert.Same(first, second);
        Assert.Same(first, pair.RowsA);
        Assert.Equal(rows.Data, first.Data);
    }

    [Fact]
    public void TwoThreadsAskingForTheLargestDistanceAndTheMedianGetTheOneFound()
    {
        var pair = new RepresentationPair(NumericsTestData.RandomMatrix(2000, 64, seed: 5), NumericsTestData.RandomMatrix(2000, 32, seed: 6));
        var (far1, far2) = AskedAtOnce(() => pair.Statistics.MaxDistanceA);
        Assert.Equal(far1, far2);
        Assert.Equal(MnedNormalizer.Compute(pair.A).Value, far1);
        var (median1, median2) = AskedAtOnce(() => pair.Statistics.MedianDistanceB(seed: 0, "SigmaB"));
        Assert.Equal(median1, median2);
    }

    /// <summary>The maps made beside other work are the maps made alone, and the work beside them is done.</summary>
    [Fact]
    public void MapsMadeBesideScoringAreTheMapsMadeAlone()
    {
        RepresentationPair Pair() => new(NumericsTestData.RandomMatrix(300, 12, seed: 7), NumericsTestData.RandomMatrix(300, 9, seed: 8));
        var alone = SampleMaps.For(Pair(), []);
        var pair = Pair();
        System.Text.Json.Nodes.JsonObject? context = null;
        var (maps, seconds) = SampleMaps.Beside(pair, [], umap: true, progress: null, () => context = Comparison.ContextMetrics(pair));
        Assert.Equal(alone.ToMatrix().Data, maps.ToMatrix().Data);
        Assert.True(seconds > 0);
        Assert.Equal(Comparison.ContextMetrics(Pair()).ToJsonString(), context!.ToJsonString());
    }

    /// <summary>A refusal raised beside the maps is the run's own exception, as in a loop, not an AggregateException.</summary>
    [Fact]
    public void AnInputErrorBesideTheMapsIsRaisedAsItIs()
    {
        var pair = new RepresentationPair(NumericsTestData.RandomMatrix(100, 4, seed: 9), NumericsTestData.RandomMatrix(100, 4, seed: 10));
        var error = Assert.Throws<RepDiffInputException>(() => SampleMaps.Beside(pair, [], umap: false, progress: null,
            () => throw new RepDiffInputException("refused")));
        Assert.Equal("refused", error.Message);
    }
}
