using System.Numerics.Tensors;

namespace RepDiff.Methods.Rdx;

/// <summary>
/// Affinities of one direction from the difference matrix G: M = exp(exponent · G) with exponent
/// −beta for more_similar_in_b and +beta for more_similar_in_a (the two are elementwise reciprocals,
/// so one G serves both).
/// </summary>
internal static class Affinity
{
    private const int Tile = 64;

    /// <summary>
    /// S = (M + Mᵀ) / 2 into s (n×n, may be reused between directions): M row by row, then averaged
    /// with its transpose in place, tile by tile. The diagonal is M's (1 when G's diagonal is 0) or zero.
    /// </summary>
    public static void Symmetrized(Matrix g, float exponent, Matrix s, bool zeroDiagonal, IProgress<ProgressUpdate>? progress)
    {
        int n = g.Rows;
        Parallel.For(0, n, i =>
        {
            var row = s.Row(i);
            TensorPrimitives.Multiply(g.Row(i), exponent, row);
            TensorPrimitives.Exp(row, row);
        });
        progress.Report("affinities", 0.5);
        int tiles = (n + Tile - 1) / Tile;
        var data = s.Data;
        Parallel.For(0, tiles, ti =>
        {
            int i0 = ti * Tile, i1 = Math.Min(n, i0 + Tile);
            for (int j0 = i0; j0 < n; j0 += Tile)
            {
                int j1 = Math.Min(n, j0 + Tile);
                for (int i = i0; i < i1; i++)
                {
                    long rowI = (long)i * n;
                    for (int j = Math.Max(j0, i + 1); j < j1; j++)
                    {
                        long ij = rowI + j, ji = (long)j * n + i;
                        float mean = 0.5f * (data[ij] + data[ji]);
                        data[ij] = mean;
                        data[ji] = mean;
                    }
                }
            }
        });
        if (zeroDiagonal)
            for (int i = 0; i < n; i++) data[(long)i * n + i] = 0;
        progress.Report("affinities", 1);
    }

    /// <summary>
    /// Mean of M over all ordered member pairs of each cluster (the diagonal included) and, per
    /// sample, the mean of M over its own cluster (how firmly it belongs): docs/methods/METHODS.md §1.5.
    /// </summary>
    public static (double[] ClusterMeans, double[] SampleMeans) WithinCluster(Matrix g, float exponent, int[] labels, int clusters)
    {
        int n = labels.Length;
        var members = new int[clusters][];
        for (int c = 0; c < clusters; c++) members[c] = Enumerable.Range(0, n).Where(i => labels[i] == c).ToArray();
        var sampleMeans = new double[n];
        Parallel.For(0, n, i =>
        {
            if (labels[i] < 0) return;
            var mates = members[labels[i]];
            var row = g.Row(i);
            double sum = 0;
            foreach (int j in mates) sum += Math.Exp(exponent * row[j]);
            sampleMeans[i] = sum / mates.Length;
        });
        var clusterMeans = new double[clusters];
        for (int c = 0; c < clusters; c++)
            clusterMeans[c] = members[c].Length == 0 ? double.NegativeInfinity : members[c].Sum(i => sampleMeans[i]) / members[c].Length;
        return (clusterMeans, sampleMeans);
    }
}
