namespace RepDiff.Numerics;

/// <summary>
/// The 2-D maps of a representation pair, aligned so that the same region of A's and B's map holds the same
/// samples: PCA of each (B rotated/reflected, scaled and shifted onto A by <see cref="Procrustes"/>), and UMAP of
/// each (B's descent started from A's layout, then the same Procrustes fit). The report draws them and
/// <see cref="Reporting.SampleMaps"/> writes them beside results.json as maps.npy, in <see cref="Columns"/> order.
/// </summary>
public sealed class MapLayouts
{
    public static readonly string[] Columns =
        ["pca_a_x", "pca_a_y", "pca_b_x", "pca_b_y", "umap_a_x", "umap_a_y", "umap_b_x", "umap_b_y"];

    public MapLayout Pca { get; }
    public MapLayout? Umap { get; }

    /// <summary>How each UMAP layout was started (e.g. "spectral", "given layout"), when there is one.</summary>
    public string? UmapInitialization { get; }

    /// <summary>How many points UMAP's descent laid out (the rest were placed from them); all of them when not subsampled.</summary>
    public int UmapDescentPoints { get; }

    private MapLayouts(MapLayout pca, MapLayout? umap, string? umapInitialization, int umapDescentPoints)
    {
        Pca = pca;
        Umap = umap;
        UmapInitialization = umapInitialization;
        UmapDescentPoints = umapDescentPoints;
    }

    public int N => Pca.AX.Length;

    public static MapLayouts Compute(RepresentationPair pair, MapLayoutOptions options, int seed, IProgress<ProgressUpdate>? progress = null)
    {
        options.Umap?.Validate();
        if (options.PcaFitRows < 2) throw new RepDiffInputException($"PCA maps need at least 2 fitting rows; got {options.PcaFitRows}");
        var pca = Aligned(PcaMap(pair.A, options.PcaFitRows, seed), PcaMap(pair.B, options.PcaFitRows, seed));
        if (options.Umap is not { } umapOptions)
        {
            progress.Report("maps", 1);
            return new MapLayouts(pca, null, null, 0);
        }
        progress.Report("maps", 0.05);
        int n = pair.A.Rows;
        if (!(options.UmapBEpochShare > 0 && options.UmapBEpochShare <= 1))
            throw new RepDiffInputException($"the share of UMAP epochs for B's map must be in (0, 1]; got {options.UmapBEpochShare}");
        if (options.UmapDescentRows < 2) throw new RepDiffInputException($"UMAP maps need at least 2 descent rows; got {options.UmapDescentRows}");
        var subset = n > options.UmapDescentRows ? Sampling.Uniform(n, options.UmapDescentRows, Rng.Derive(seed, 16)) : null;
        var (xa, xb) = subset is null ? (pair.A, pair.B) : (pair.A.SelectRows(subset), pair.B.SelectRows(subset));
        // Up to the shared limit every row's exact neighbours are the pair's (the context's mutual k-NN reads them too).
        bool shared = subset is null && n <= PairStatistics.SharedNeighboursLimit;
        var a = Numerics.Umap.Embed(xa, umapOptions, seed, progress: progress, neighbours: shared ? pair.Statistics.NeighboursOfA : null);
        var b = options.UmapBFromA
            ? Numerics.Umap.Embed(xb, umapOptions with { AnchorStrength = options.UmapAnchor, Epochs = RefiningEpochs(umapOptions, xb.Rows, options.UmapBEpochShare) },
                seed, (a.X, a.Y), progress, shared ? pair.Statistics.NeighboursOfB : null)
            : Numerics.Umap.Embed(xb, umapOptions, seed, null, progress, shared ? pair.Statistics.NeighboursOfB : null);
        (float[] X, float[] Y) placedA = (a.X, a.Y), placedB = (b.X, b.Y);
        if (subset is not null)
        {
            placedA = UmapPlacement.Place(pair.A, subset, a.X, a.Y, umapOptions.Neighbours, seed, progress);
            placedB = UmapPlacement.Place(pair.B, subset, b.X, b.Y, umapOptions.Neighbours, seed, progress);
        }
        var umap = Aligned(placedA, placedB);
        progress.Report("maps", 1);
        return new MapLayouts(pca, umap, $"A: {a.Initialization}; B: {b.Initialization}", subset?.Length ?? n);
    }

    /// <summary>Epochs of a descent that starts from a finished layout: a share of a fresh layout's, at least one.</summary>
    private static int RefiningEpochs(UmapOptions options, int n, double share) => Math.Max(1, (int)Math.Round(options.EpochsFor(n) * share));

    private static MapLayout Aligned((float[] X, float[] Y) a, (float[] X, float[] Y) b)
    {
        var fit = Procrustes.Fit(b.X, b.Y, a.X, a.Y);
        var (bx, by) = fit.Apply(b.X, b.Y);
        return new MapLayout(a.X, a.Y, bx, by, fit);
    }

    /// <summary>First two principal-component scores of every row (one column of zeros for 1-D data).</summary>
    private static (float[] X, float[] Y) PcaMap(Matrix x, int fitRows, int seed)
    {
        int n = x.Rows;
        var xs = new float[n];
        var ys = new float[n];
        int components = Math.Min(2, Math.Min(n, x.Cols));
        if (components == 0 || n < 2) return (xs, ys);
        var fit = n <= fitRows ? x : x.SelectRows(Sampling.Uniform(n, fitRows, seed));
        var model = Numerics.Pca.Fit(fit, Math.Min(components, fit.Rows));
        var scores = Numerics.Pca.Transform(model, x);
        for (int i = 0; i < n; i++)
        {
            xs[i] = scores[i, 0];
            ys[i] = scores.Cols > 1 ? scores[i, 1] : 0;
        }
        return (xs, ys);
    }
}
