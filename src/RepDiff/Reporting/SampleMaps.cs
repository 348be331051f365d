using RepDiff.Numerics;

namespace RepDiff.Reporting;

/// <summary>
/// 2-D maps of the same samples in both representations, PCA and UMAP, each with B's map aligned onto A's
/// (<see cref="MapLayouts"/>) so that the same region of both maps holds the same samples; for the report's
/// linked maps and for other tools (maps.npy).
/// </summary>
public sealed class SampleMaps
{
    /// <summary>Most points a map plots; above it, an even stride plus every shown concept's grid.</summary>
    public const int MaxPoints = 3000;

    /// <summary>Rows of PCA fitting at most (the projection itself covers every plotted sample).</summary>
    public const int MaxFitRows = 2000;

    /// <summary>Fewest plotted samples for a UMAP map (its 15-neighbour graph needs a few times that).</summary>
    public const int UmapMinSamples = 50;

    /// <summary>maps.npy's columns.</summary>
    public static readonly string[] Columns = ["sample", .. MapLayouts.Columns];

    /// <summary>The plotted samples, ascending; entry k of each layout is sample Samples[k].</summary>
    public required int[] Samples { get; init; }

    public required MapLayout Pca { get; init; }

    /// <summary>Null when there are too few samples for UMAP.</summary>
    public MapLayout? Umap { get; init; }

    /// <summary>Whether some samples are left out of the maps (they hold <see cref="MaxPoints"/> plus every grid member).</summary>
    public bool Subsampled(int n) => Samples.Length < n;

    /// <summary>The maps of the plotted samples (seeded, so the same pair gives the same maps).</summary>
    public static SampleMaps Compute(RepresentationPair pair, IEnumerable<int> mustShow, int seed = 0)
    {
        var samples = PlottedSamples(pair.N, mustShow);
        var plotted = new RepresentationPair(pair.RowsA.SelectRows(samples), pair.RowsB.SelectRows(samples));
        var options = new MapLayoutOptions { PcaFitRows = MaxFitRows, Umap = samples.Length >= UmapMinSamples ? new UmapOptions() : null };
        var layouts = MapLayouts.Compute(plotted, options, seed);
        return new SampleMaps { Samples = samples, Pca = layouts.Pca, Umap = layouts.Umap };
    }

    /// <summary>maps.npy: one row per plotted sample, columns <see cref="Columns"/> (the UMAP ones only when there is a UMAP map).</summary>
    public Matrix ToMatrix()
    {
        var sources = new List<float[]> { Pca.AX, Pca.AY, Pca.BX, Pca.BY };
        if (Umap is { } u) sources.AddRange([u.AX, u.AY, u.BX, u.BY]);
        var m = new Matrix(Samples.Length, 1 + sources.Count);
        for (int k = 0; k < Samples.Length; k++)
        {
            m[k, 0] = Samples[k];
            for (int c = 0; c < sources.Count; c++) m[k, c + 1] = sources[c][k];
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
}
