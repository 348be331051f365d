using RepDiff.Metrics;
using RepDiff.Numerics;

namespace RepDiff.Tests.Numerics;

/// <summary>
/// The neighbour lists found from each distance once (strips feeding rows and columns) against the straightforward ones:
/// every row's whole row of the n × n distance matrix sorted by (distance, index).
/// </summary>
public class ExactNeighboursTests
{
    /// <summary>Row i's k smallest entries of the full distance matrix, self left out, in a stable sort by distance (ties by index).</summary>
    private static int[] Straightforward(Matrix x, int k)
    {
        var distances = Distances.SquaredEuclidean(x);
        var lists = new int[x.Rows * k];
        for (int i = 0; i < x.Rows; i++)
        {
            var row = distances.Row(i).ToArray();
            Enumerable.Range(0, x.Rows).Where(j => j != i).OrderBy(j => row[j]).Take(k).ToArray().CopyTo(lists, i * k);
        }
        return lists;
    }

    /// <summary>Rows drawn from a few distinct ones: most distances tie (at 0 and between the same two prototypes).</summary>
    private static Matrix WithDuplicates(int n, int d, int distinct, int seed)
    {
        var prototypes = NumericsTestData.RandomMatrix(distinct, d, seed);
        var random = new Random(seed);
        var x = new Matrix(n, d);
        for (int i = 0; i < n; i++) prototypes.Row(random.Next(distinct)).CopyTo(x.Row(i));
        return x;
    }

    /// <summary>Small integers in two columns: many pairs at exactly the same nonzero distance.</summary>
    private static Matrix OnAGrid(int n, int seed)
    {
        var random = new Random(seed);
        var x = new Matrix(n, 2);
        for (int i = 0; i < n; i++) (x[i, 0], x[i, 1]) = (random.Next(6), random.Next(6));
        return x;
    }

    public static TheoryData<int, int, int> Sizes => new()
    {
        // n, k, rows per strip (1: every row its own strip; n and more: one strip)
        { 2, 1, 1 }, { 9, 8, 4 }, { 50, 5, 1 }, { 50, 5, 7 }, { 200, 10, 64 }, { 200, 14, 200 }, { 413, 30, 100 }, { 1000, 10, ExactNeighbours.StripRows },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RandomRowsGetTheListsOfTheWholeDistanceMatrix(int n, int k, int strip)
    {
        var x = NumericsTestData.RandomMatrix(n, 13, seed: n + k);
        Assert.Equal(Straightforward(x, k), ExactNeighbours.Find(x, k, strip));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void TiedDistancesAreOrderedByIndex(int n, int k, int strip)
    {
        foreach (var x in new[] { WithDuplicates(n, 7, distinct: Math.Max(1, n / 8), seed: n), OnAGrid(n, seed: k) })
        {
            var found = ExactNeighbours.Find(x, k, strip);
            Assert.Equal(Straightforward(x, k), found);
            // Exact duplicates are exactly 0 apart: a row's duplicates come first, in index order.
            for (int i = 0; i < n; i++)
            {
                var duplicates = Enumerable.Range(0, n).Where(j => j != i && x.Row(j).SequenceEqual(x.Row(i))).Take(k).ToArray();
                Assert.Equal(duplicates, found.AsSpan(i * k, duplicates.Length).ToArray());
            }
        }
    }

    [Fact]
    public void ListsDoNotDependOnTheStripSize()
    {
        var x = NumericsTestData.RandomMatrix(777, 40, seed: 3);
        var whole = ExactNeighbours.Find(x, 12, stripRows: 777);
        foreach (int strip in new[] { 1, 5, 64, 200, 776 }) Assert.Equal(whole, ExactNeighbours.Find(x, 12, strip));
    }

    [Fact]
    public void WellSeparatedDistancesGiveTheDoublePrecisionOrder()
    {
        var x = NumericsTestData.RandomMatrix(120, 5, seed: 8);
        int k = 9;
        var found = MutualKnn.Neighbours(x, k);
        for (int i = 0; i < x.Rows; i++)
        {
            var expected = Enumerable.Range(0, x.Rows).Where(j => j != i)
                .OrderBy(j => Distances.ExactSquared(x.Row(i), x.Row(j))).ThenBy(j => j).Take(k);
            Assert.Equal(expected, found.AsSpan(i * k, k).ToArray());
        }
    }

    [Fact]
    public void KOfNMinusOneListsEveryOtherRow()
    {
        var x = NumericsTestData.RandomMatrix(30, 4, seed: 2);
        var found = ExactNeighbours.Find(x, 29, stripRows: 8);
        for (int i = 0; i < 30; i++)
            Assert.Equal(Enumerable.Range(0, 30).Where(j => j != i), found.AsSpan(i * 29, 29).ToArray().Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactNeighbours.Find(x, 30));
    }
}
