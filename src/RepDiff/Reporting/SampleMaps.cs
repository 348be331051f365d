using RepDiff.Numerics;

namespace RepDiff.Reporting;

/// <summary>
/// 2-D maps of the same samples in both representations, PCA and UMAP, each with B's map aligned onto A's
/// (<see cref="MapLayouts"/>) so that the same region of both maps holds the same samples; for the report's
/// linked maps and for other tools (maps.npy).
/// </summary>
public sealed class SampleMaps
{
    /// <summary>
    /// Most points a map plots; above it, an even stride plus every member of the shown concepts. The report draws
    /// points on a canvas from 2-byte coordinates, so 100,000 samples cost about 2 MB of page data per map kind
    /// and open in well under 3 s (docs/benchmarks.md); beyond that the page data, not the drawing, becomes the limit.
    /// </summary>
    public const int MaxPoints = 100_000;

    /// <summary>Rows of PCA fitting at most (the projection itself covers every plotted sample).</summary>
    public const int MaxFitRows = 2000;

    /// <summary>Fewest plotted samples for a UMAP map (its 15-neighbour graph needs a few times that).</summary>
    public const int UmapMinSamples = 50;

    /// <summary>maps.npy's columns.</summary>
    public static readonly string[] Columns = ["sample", .. MapLayouts.Columns];

    /// <summary>The plotted samples, ascending; entry k of each layout is sample Samples[k].</summary>
    public required int[] Samples { get; init; }

    public required MapLayout Pca { get; init; }

    /// <summary>Null when there are too few samples for UMAP (<see cref="UmapMinSamples"/>), or when it was not asked for.</summary>
    public MapLayout? Umap { get; init; }

    /// <summary>How many plotted samples UMAP's descent laid out; the others were placed from their nearest of them.</summary>
    public int UmapDescentPoints { get; init; }

    /// <summary>Whether the UMAP maps place some points from a subset's layout instead of laying them out (see <see cref="MapLayoutOptions"/>).</summary>
    public bool UmapPlaced => Umap is not null && UmapDescentPoints < Samples.Length;

    /// <summary>Whether some samples are left out of the maps (they hold <see cref="MaxPoints"/> plus every shown concept's members).</summary>
    public bool Subsampled(int n) => Samples.Length < n;

    /// <summary>The maps of the plotted samples (seeded, so the same pair gives the same maps); umap false draws PCA only.</summary>
    public static SampleMaps Compute(RepresentationPair pair, IEnumerable<int> mustShow, int seed = 0, bool umap = true,
        IProgress<ProgressUpdate>? progress = null)
    {
        var samples = PlottedSamples(pair.N, mustShow);
        var plotted = samples.Length == pair.N ? pair : new RepresentationPair(pair.RowsA.SelectRows(samples), pair.RowsB.SelectRows(samples));
        var options = new MapLayoutOptions { PcaFitRows = MaxFitRows };
        if (!umap || samples.Length < UmapMinSamples) options = options with { Umap = null };
        var layouts = MapLayouts.Compute(plotted, options, seed, progress);
        return new SampleMaps { Samples = samples, Pca = layouts.Pca, Umap = layouts.Umap, UmapDescentPoints = layouts.UmapDescentPoints };
    }

    /// <summary>The maps of a report on these explanations: every shown concept's members and grid among the plotted points.</summary>
    public static SampleMaps For(RepresentationPair pair, IReadOnlyList<Explanation> explanations, bool umap = true, IProgress<ProgressUpdate>? progress = null)
        => Compute(pair, explanations.SelectMany(e => e.Directions).SelectMany(d => d.Concepts.Take(ReportModel.MaxConceptsShown)).SelectMany(c => c.Members.Concat(c.Grid)),
            umap: umap, progress: progress);

    /// <summary>
    /// The maps of a report on these explanations (<see cref="For"/>), made on one core while <paramref name="beside"/> (scoring,
    /// the context metrics) runs on another, with the seconds they took on their own. Below 1,024 points each UMAP descent runs on
    /// one thread, and the stages after a method had waited for it with a core idle. The two share the pair's rows and
    /// <see cref="PairStatistics"/>, which the first to ask finds while the other waits; a failure is the one a loop
    /// running beside first would raise (<see cref="ParallelRuns"/>). A pair not yet in memory (a streamed run) keeps one
    /// stage at a time: its row sources (a Parquet table decoded by row group) are read by one thread.
    /// </summary>
    public static (SampleMaps Maps, double Seconds) Beside(RepresentationPair pair, IReadOnlyList<Explanation> explanations, bool umap,
        IProgress<ProgressUpdate>? progress, Action beside)
    {
        SampleMaps? maps = null;
        double seconds = 0;
        void Make()
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            maps = For(pair, explanations, umap, progress);
            seconds = clock.Elapsed.TotalSeconds;
        }
        if (pair.InMemory) ParallelRuns.For(2, 2, piece => { if (piece == 0) beside(); else Make(); });
        else
        {
            beside();
            Make();
        }
        return (maps!, seconds);
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
