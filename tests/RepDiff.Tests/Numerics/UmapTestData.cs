using RepDiff.Numerics;

namespace RepDiff.Tests.Numerics;

/// <summary>Planted clusters: Gaussian blobs around well-separated random centres, labels kept for checking layouts.</summary>
internal static class UmapTestData
{
    public static (Matrix X, int[] Labels) Blobs(int clusters, int perCluster, int dims, int seed, double separation = 10)
    {
        var rng = Rng.Create(seed);
        var centres = new double[clusters, dims];
        for (int c = 0; c < clusters; c++)
            for (int j = 0; j < dims; j++) centres[c, j] = separation * Rng.Normal(rng);
        var x = new Matrix(clusters * perCluster, dims);
        var labels = new int[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            labels[i] = i % clusters; // interleaved, so no cluster is a contiguous block of rows
            for (int j = 0; j < dims; j++) x[i, j] = (float)(centres[labels[i], j] + Rng.Normal(rng));
        }
        return (x, labels);
    }

    public static Matrix Points(float[] xs, float[] ys)
    {
        var m = new Matrix(xs.Length, 2);
        for (int i = 0; i < xs.Length; i++)
        {
            m[i, 0] = xs[i];
            m[i, 1] = ys[i];
        }
        return m;
    }

    /// <summary>Fraction of points whose k nearest layout neighbours all carry their own label.</summary>
    public static double NeighbourPurity(float[] xs, float[] ys, int[] labels, int k)
    {
        var neighbours = RepDiff.Metrics.MutualKnn.Neighbours(Points(xs, ys), k);
        int pure = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            bool all = true;
            for (int s = 0; s < k; s++) all &= labels[neighbours[i * k + s]] == labels[i];
            if (all) pure++;
        }
        return (double)pure / labels.Length;
    }
}
