using RepDiff.Numerics;

namespace RepDiff.Tests.Numerics;

public class NearestNeighboursTests
{
    private static double Recall(NeighbourGraph approximate, NeighbourGraph exact)
    {
        long hits = 0;
        for (int i = 0; i < exact.N; i++)
            foreach (int j in approximate.NeighboursOf(i))
                if (exact.NeighboursOf(i).Contains(j)) hits++;
        return (double)hits / exact.Indices.Length;
    }

    [Fact]
    public void NnDescentRecallsNinetyPercentOfTheExactNeighbours()
    {
        // Gaussian noise in 32 dimensions is the hard case for neighbour search (no low-dimensional structure).
        var x = NumericsTestData.RandomMatrix(2000, 32, seed: 11);
        var exact = NearestNeighbours.Exact(x, 14);
        var approximate = NearestNeighbours.Approximate(x, 14, seed: 3);
        double recall = Recall(approximate, exact);
        Assert.True(recall >= 0.9, $"recall {recall:F3}");
        // Rows are sorted nearest first, distances are Euclidean and match the rows, no self, no repeats.
        for (int i = 0; i < x.Rows; i++)
        {
            var row = approximate.NeighboursOf(i);
            var d = approximate.DistancesOf(i);
            Assert.DoesNotContain(i, row.ToArray());
            Assert.Equal(row.Length, row.ToArray().Distinct().Count());
            for (int s = 0; s < row.Length; s++)
            {
                Assert.Equal(Math.Sqrt(Distances.ExactSquared(x.Row(i), x.Row(row[s]))), d[s], 1e-3);
                if (s > 0) Assert.True(d[s] >= d[s - 1]);
            }
        }
    }

    [Fact]
    public void ApproximateGraphIsTheSameForASeed()
    {
        var (x, _) = UmapTestData.Blobs(4, 300, 24, seed: 5, separation: 1);
        var first = NearestNeighbours.Approximate(x, 10, seed: 8);
        var again = NearestNeighbours.Approximate(x, 10, seed: 8);
        Assert.Equal(first.Indices, again.Indices);
        Assert.Equal(first.Distances, again.Distances);
    }

    [Fact]
    public void DuplicateRowsDoNotBreakTheForest()
    {
        // 600 copies of three points: every split is degenerate, neighbours are at distance 0.
        var x = new Matrix(600, 4);
        for (int i = 0; i < 600; i++) x[i, i % 3] = 1;
        var graph = NearestNeighbours.Approximate(x, 5, seed: 1);
        Assert.All(graph.Indices, j => Assert.InRange(j, 0, 599));
        Assert.All(graph.Distances, d => Assert.Equal(0f, d));
    }

    [Fact]
    public void TooFewSamplesIsAnInputError() =>
        Assert.Throws<RepDiffInputException>(() => NearestNeighbours.Approximate(new Matrix(5, 2), 5, 0));
}
