using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

/// <summary>
/// k-means with Hamerly's bounds must be the plain Lloyd iteration, only faster: the same labels, centroids and inertia,
/// bit for bit, on data with and without clusters, and with clusters that empty.
/// </summary>
public class BoundedKMeansTests
{
    private static Matrix Uniform(int rows, int cols, int seed)
    {
        var rng = Rng.Create(seed);
        var m = new Matrix(rows, cols);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)(2 * rng.NextDouble() - 1);
        return m;
    }

    private static Matrix Blobs(int rows, int cols, int clusters, int seed)
    {
        var x = RandomMatrix(rows, cols, seed, scale: 0.5);
        var centres = RandomMatrix(clusters, cols, seed + 1, scale: 4);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) x[i, j] += centres[i % clusters, j];
        return x;
    }

    public static TheoryData<string, int> Cases => new()
    {
        { "uniform", 1 }, { "uniform", 2 }, { "uniform", 5 }, { "uniform", 16 },
        { "blobs", 3 }, { "blobs", 8 }, { "blobs", 12 },
        { "few distinct rows", 6 },
    };

    private static Matrix Data(string kind) => kind switch
    {
        "uniform" => Uniform(3000, 48, 7),
        "blobs" => Blobs(2000, 96, 8, 11),
        // 4 distinct rows, each 50 times: more clusters than points, so clusters empty and take the farthest row.
        _ => new Matrix(200, 5, Enumerable.Range(0, 200 * 5).Select(v => (float)((v / 5 % 4) * 1.5 - (v % 5))).ToArray()),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BoundsGiveThePlainIterationsResult(string kind, int k)
    {
        var x = Data(kind);
        var plain = KMeans.Fit(x, k, seed: 4, restarts: 3, maxIterations: 300, tolerance: 1e-6, bounded: false);
        var bounded = KMeans.Fit(x, k, seed: 4, restarts: 3, maxIterations: 300, tolerance: 1e-6, bounded: true);
        Assert.Equal(plain.Labels, bounded.Labels);
        Assert.Equal(plain.Centroids.Data, bounded.Centroids.Data);
        Assert.Equal(plain.Inertia, bounded.Inertia);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(40)]
    public void BoundsGiveThePlainIterationsResultAfterAnyNumberOfIterations(int iterations)
    {
        var x = Uniform(1500, 32, 3);
        var plain = KMeans.Fit(x, 5, seed: 9, restarts: 1, maxIterations: iterations, tolerance: 0, bounded: false);
        var bounded = KMeans.Fit(x, 5, seed: 9, restarts: 1, maxIterations: iterations, tolerance: 0, bounded: true);
        Assert.Equal(plain.Labels, bounded.Labels);
        Assert.Equal(plain.Centroids.Data, bounded.Centroids.Data);
    }

    [Fact]
    public void InertiaNeverIncreasesFromOneIterationToTheNext()
    {
        var x = Uniform(2000, 40, 21);
        double previous = double.PositiveInfinity;
        for (int iterations = 1; iterations <= 60; iterations++)
        {
            double inertia = KMeans.Fit(x, 6, seed: 2, restarts: 1, maxIterations: iterations).Inertia;
            Assert.True(inertia <= previous * (1 + 1e-12), $"iteration {iterations}: inertia {inertia} after {previous}");
            previous = inertia;
        }
    }

    /// <summary>
    /// Without clusters Lloyd runs for many iterations in which few rows change cluster: the bounds must spare many of
    /// those rows' distance computations (the plain iteration measures every row at every assignment; here the bounds
    /// measure about 37%).
    /// </summary>
    [Fact]
    public void OnDataWithoutClustersMostRowsAreNotMeasuredAgain()
    {
        var x = Uniform(4000, 64, 5);
        KMeans.SnapToSummableGrid(x);
        var norms = Distances.RowSquaredNorms(x);
        var start = new Matrix(5, 64);
        for (int c = 0; c < 5; c++) x.Row(c * 700).CopyTo(start.Row(c));
        var run = new BoundedLloyd(x, norms, 5);
        run.Run(start, maxIterations: 300, threshold: 0);
        Assert.True(run.Assignments > 20, $"{run.Assignments} assignments: the data should take Lloyd many iterations");
        double fraction = (double)run.RowsMeasured / ((long)x.Rows * run.Assignments);
        Assert.True(fraction < 0.5, $"measured {fraction:P1} of the rows over {run.Assignments} assignments");
    }

    [Fact]
    public void SnappedColumnsSumExactlyInAnyOrder()
    {
        var x = RandomMatrix(5000, 12, 8, scale: 3);
        for (int i = 0; i < 5000; i += 7) x[i, 3] *= 1e-9f; // values far below the column's largest
        var original = (float[])x.Data.Clone();
        KMeans.SnapToSummableGrid(x);
        for (int j = 0; j < 12; j++)
        {
            double largest = Enumerable.Range(0, 5000).Max(i => Math.Abs(original[i * 12 + j]));
            double forward = 0, backward = 0;
            for (int i = 0; i < 5000; i++)
            {
                forward += x[i, j];
                backward += x[4999 - i, j];
                // Moved by at most half a grid step: 2^-39 of the column's largest magnitude for 5,000 rows.
                Assert.True(Math.Abs(x[i, j] - original[i * 12 + j]) <= largest * Math.ScaleB(1.0, -39));
            }
            Assert.Equal(forward, backward);
        }
    }
}
