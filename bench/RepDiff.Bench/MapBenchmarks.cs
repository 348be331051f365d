using System.Diagnostics;
using System.Text.Json;
using RepDiff.IO;
using RepDiff.Metrics;
using RepDiff.Numerics;

namespace RepDiff.Bench;

/// <summary>
/// UMAP maps: `-- umap FILE.npy [OUT.npy]` embeds the rows of FILE (one cold run, as a command would), prints the
/// stage times and trustworthiness (k = 10), and writes the n × 2 layout to OUT for a reference check.
/// `-- maps A.npy B.npy [from-a]` times the aligned PCA + UMAP maps of a pair (both B starts, or only B from A) and
/// both layouts' trustworthiness.
/// </summary>
public static class MapBenchmarks
{
    [Bench("umap")]
    public static void UmapRun(string[] args)
    {
        var x = Npy.ReadMatrix(args[0]);
        var sizes = new Dictionary<string, object> { ["n"] = x.Rows, ["d"] = x.Cols };
        var options = new UmapOptions { Epochs = args.Length > 2 ? int.Parse(args[2]) : 0 };
        var total = Stopwatch.StartNew();
        var watch = Stopwatch.StartNew();
        var cpu = Cpu();
        var knn = NearestNeighbours.Build(x, options.Neighbours - 1, seed: 0);
        double knnSeconds = watch.Elapsed.TotalSeconds, knnCpu = Cpu() - cpu;
        watch.Restart();
        cpu = Cpu();
        var graph = FuzzyGraph.FromNeighbours(knn);
        double graphSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        cpu = Cpu();
        var layout = Umap.Layout(graph, options, 0, data: x);
        double layoutSeconds = watch.Elapsed.TotalSeconds, layoutCpu = Cpu() - cpu;
        double umapSeconds = total.Elapsed.TotalSeconds;
        if (args.Length > 1) Npy.Write(args[1], Embedding(layout.X, layout.Y));
        Print("umap", sizes, new()
        {
            ["seconds"] = umapSeconds, ["knn_seconds"] = knnSeconds, ["graph_seconds"] = graphSeconds,
            ["layout_seconds"] = layoutSeconds,
            ["knn_cpu_seconds"] = knnCpu, ["layout_cpu_seconds"] = layoutCpu, ["process_cpu_seconds"] = Cpu(), ["init"] = layout.Initialization, ["edges"] = graph.Columns.Length,
        });
    }

    /// <summary>`-- umap-check FILE.npy LAYOUT.npy`: trustworthiness (k = 10) of a layout, and the k-NN recall of the approximate graph.</summary>
    [Bench("umap-check")]
    public static void UmapCheck(string[] args)
    {
        var x = Npy.ReadMatrix(args[0]);
        var layout = Npy.ReadMatrix(args[1]);
        var watch = Stopwatch.StartNew();
        double trust = Trustworthiness.Compute(x, layout, 10);
        double trustSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var approximate = NearestNeighbours.Approximate(x, 14, seed: 0);
        double approximateSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var exact = NearestNeighbours.Exact(x, 14);
        double exactSeconds = watch.Elapsed.TotalSeconds;
        Print("umap-check", new() { ["n"] = x.Rows, ["d"] = x.Cols }, new()
        {
            ["trustworthiness_k10"] = trust, ["trustworthiness_seconds"] = trustSeconds, ["knn_recall"] = Recall(approximate, exact),
            ["approximate_knn_seconds"] = approximateSeconds, ["exact_knn_seconds"] = exactSeconds,
        });
    }

    [Bench("maps")]
    public static void MapsRun(string[] args)
    {
        var pair = new RepresentationPair(Npy.ReadMatrix(args[0]), Npy.ReadMatrix(args[1]));
        var sizes = new Dictionary<string, object> { ["n"] = pair.N, ["d_a"] = pair.A.Cols, ["d_b"] = pair.B.Cols };
        // B from A with the default share of epochs, with every epoch, and (unless from-a) B on its own.
        double defaultShare = new MapLayoutOptions().UmapBEpochShare;
        (bool FromA, double Share)[] variants = args.Length > 2 && args[2] == "from-a" ? [(true, defaultShare), (true, 1)] : [(true, defaultShare), (true, 1), (false, 1)];
        foreach (var (fromA, share) in variants)
        {
            var watch = Stopwatch.StartNew();
            var maps = MapLayouts.Compute(pair, new MapLayoutOptions { UmapBFromA = fromA, UmapBEpochShare = share }, 0);
            double seconds = watch.Elapsed.TotalSeconds;
            var u = maps.Umap!;
            Print("maps", sizes, new()
            {
                ["b_from_a"] = fromA, ["b_epoch_share"] = share, ["seconds"] = seconds, ["init"] = maps.UmapInitialization!,
                ["trust_a"] = Trustworthiness.Compute(pair.A, Embedding(u.AX, u.AY)),
                ["trust_b"] = Trustworthiness.Compute(pair.B, Embedding(u.BX, u.BY)),
                ["procrustes_scale"] = u.BAlignment.Scale, ["reflection"] = u.BAlignment.IsReflection,
                ["aligned_rms"] = Rms(u),
            });
        }
    }

    /// <summary>
    /// `-- maps-scale A.npy B.npy N1,N2,... [full]`: the report's aligned maps (PCA + UMAP, defaults) of the first N rows of
    /// a pair, wall and CPU seconds, and the trustworthiness (k = 10) of A's UMAP and PCA maps on a seeded 5,000-row
    /// sample. Above 20,000 rows UMAP's descent runs on a subset and places the rest; `full` lays out every row instead.
    /// A.npy = `synthetic` uses ten Gaussian clusters in 768 dimensions (B a mix of A's coordinates plus noise).
    /// </summary>
    [Bench("maps-scale")]
    public static void MapsScale(string[] args)
    {
        var sizes = args[2].Split(',').Select(int.Parse).ToArray();
        bool full = args.Length > 3 && args[3] == "full";
        RepresentationPair all = args[0] == "synthetic"
            ? BaselineBenchmarks.Data(sizes.Max(), 768)
            : new RepresentationPair(Npy.ReadMatrix(args[0]), Npy.ReadMatrix(args[1]));
        foreach (int n in sizes)
        {
            var rows = Enumerable.Range(0, Math.Min(n, all.N)).ToArray();
            var pair = rows.Length == all.N ? all : new RepresentationPair(all.A.SelectRows(rows), all.B.SelectRows(rows));
            var options = new MapLayoutOptions { PcaFitRows = 2000, UmapDescentRows = full ? int.MaxValue : 20_000 };
            var watch = Stopwatch.StartNew();
            double cpu = Cpu();
            var maps = MapLayouts.Compute(pair, options, 0);
            double seconds = watch.Elapsed.TotalSeconds, cpuSeconds = Cpu() - cpu;
            var sample = Sampling.Uniform(pair.N, 5000, 3);
            var u = maps.Umap!;
            Print("maps-scale", new() { ["n"] = pair.N, ["d_a"] = pair.A.Cols, ["d_b"] = pair.B.Cols }, new()
            {
                ["umap_descent_rows"] = maps.UmapDescentPoints, ["seconds"] = seconds, ["cpu_seconds"] = cpuSeconds,
                ["trust_umap_a_sample5000"] = Trustworthiness.Compute(pair.A.SelectRows(sample), Embedding(sample.Select(i => u.AX[i]).ToArray(), sample.Select(i => u.AY[i]).ToArray())),
                ["trust_pca_a_sample5000"] = Trustworthiness.Compute(pair.A.SelectRows(sample), Embedding(sample.Select(i => maps.Pca.AX[i]).ToArray(), sample.Select(i => maps.Pca.AY[i]).ToArray())),
                ["aligned_rms"] = Rms(u),
            });
        }
    }

    /// <summary>CPU seconds this process has used (all threads): under a loaded machine, closer to the idle wall time than the wall clock.</summary>
    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static Matrix Embedding(float[] xs, float[] ys)
    {
        var m = new Matrix(xs.Length, 2);
        for (int i = 0; i < xs.Length; i++)
        {
            m[i, 0] = xs[i];
            m[i, 1] = ys[i];
        }
        return m;
    }

    /// <summary>RMS distance between a sample's place in A's map and in B's aligned map, relative to A's RMS spread.</summary>
    private static double Rms(MapLayout m)
    {
        double mx = m.AX.Average(), my = m.AY.Average(), spread = 0, gap = 0;
        for (int i = 0; i < m.AX.Length; i++)
        {
            spread += (m.AX[i] - mx) * (m.AX[i] - mx) + (m.AY[i] - my) * (m.AY[i] - my);
            gap += (m.AX[i] - m.BX[i]) * (m.AX[i] - m.BX[i]) + (m.AY[i] - m.BY[i]) * (m.AY[i] - m.BY[i]);
        }
        return Math.Sqrt(gap / spread);
    }

    private static double Recall(NeighbourGraph approximate, NeighbourGraph exact)
    {
        long hits = 0;
        for (int i = 0; i < exact.N; i++)
        {
            var truth = exact.NeighboursOf(i);
            foreach (int j in approximate.NeighboursOf(i)) if (truth.Contains(j)) hits++;
        }
        return (double)hits / exact.Indices.Length;
    }

    private static void Print(string name, Dictionary<string, object> sizes, Dictionary<string, object> figures)
    {
        var record = new Dictionary<string, object> { ["name"] = name, ["sizes"] = sizes };
        foreach (var (key, value) in figures) record[key] = value;
        record["peak_working_set_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        Console.WriteLine(JsonSerializer.Serialize(record));
    }
}

