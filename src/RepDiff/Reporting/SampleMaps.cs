using RepDiff.Numerics;

namespace RepDiff.Reporting;

/// <summary>
/// 2-D coordinates of the same samples in both representations (first two principal components of
/// each), for the report's linked maps and for other tools (maps.npy).
/// </summary>
public sealed class SampleMaps
{
    /// <summary>Most points a map plots; above it, an even stride plus every shown concept's grid.</summary>
    public const int MaxPoints = 3000;

    /// <summary>Rows of PCA fitting at most (the projection itself covers every plotted sample).</summary>
    public const int MaxFitRows = 2000;

    public required string Kind { get; init; }

    /// <summary>The plotted samples, ascending.</summary>
    public required int[] Samples { get; init; }

    /// <summary>x, y of each plotted sample in A's map (2 values per sample), and in B's.</summary>
    public required float[] A { get; init; }
    public required float[] B { get; init; }

    /// <summary>Whether some samples are left out of the maps (they hold <see cref="MaxPoints"/> plus every grid member).</summary>
    public bool Subsampled(int n) => Samples.Length < n;

    public static SampleMaps Pca(RepresentationPair pair, IEnumerable<int> mustShow)
    {
        var samples = PlottedSamples(pair.N, mustShow);
        return new SampleMaps { Kind = "pca", Samples = samples, A = Project(pair.RowsA, samples), B = Project(pair.RowsB, samples) };
    }

    /// <summary>maps.npy: one row per plotted sample, columns sample index, A's x and y, B's x and y.</summary>
    public Matrix ToMatrix()
    {
        var m = new Matrix(Samples.Length, 5);
        for (int k = 0; k < Samples.Length; k++)
        {
            var row = m.Row(k);
            (row[0], row[1], row[2], row[3], row[4]) = (Samples[k], A[2 * k], A[2 * k + 1], B[2 * k], B[2 * k + 1]);
        }
        return m;
    }

    /// <summary>All samples when n ≤ MaxPoints, else an even stride plus every sample that must show.</summary>
    public static int[] PlottedSamples(int n, IEnumerable<int> mustShow)
    {
        if (n <= MaxPoints) return Enumerable.Range(0, n).ToArray();
        var set = new SortedSet<int>(mustShow.Where(i => i >= 0 && i < n));
        double step = (double)n / MaxPoints;
        for (int k = 0; k < MaxPoints; k++) set.Add((int)(k * step));
        return set.ToArray();
    }

    /// <summary>First two principal-component scores of the given rows (PCA fitted on at most <see cref="MaxFitRows"/> of them).</summary>
    private static float[] Project(IRowSource x, int[] samples)
    {
        int fitCount = Math.Min(samples.Length, MaxFitRows);
        var fitRows = Enumerable.Range(0, fitCount).Select(k => samples[(int)((long)k * samples.Length / fitCount)]).ToArray();
        var pca = Numerics.Pca.Fit(x.SelectRows(fitRows), Math.Min(2, x.Cols));
        var scores = Numerics.Pca.Transform(pca, x.SelectRows(samples));
        var xy = new float[2 * samples.Length];
        for (int k = 0; k < samples.Length; k++)
        {
            xy[2 * k] = scores[k, 0];
            xy[2 * k + 1] = scores.Cols > 1 ? scores[k, 1] : 0;
        }
        return xy;
    }
}
