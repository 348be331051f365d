using System.Diagnostics;
using System.Text.Json;
using RepDiff.IO;
using RepDiff.Methods.Spec;

namespace RepDiff.Bench;

/// <summary>
/// SPEC on random representations: the authors' benchmark configurations (d = 256 and 384, top-10 modes of
/// each sign) and the streaming RFF route on a memory-mapped file.
/// </summary>
public static class SpecBenchmarks
{
    internal static Matrix Random(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var m = new Matrix(rows, cols);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        return m;
    }

    /// <summary>
    /// The authors' configurations (args: triples n r route, route = rff|auto; default the three of issue 4 on
    /// the rff route, which is what the authors' timings computed, then the automatic route for comparison).
    /// </summary>
    [Bench("spec")]
    public static void SpecAuthorsConfigs(string[] args)
    {
        var configs = args.Length >= 3
            ? Enumerable.Range(0, args.Length / 3).Select(i => (int.Parse(args[3 * i]), int.Parse(args[3 * i + 1]), args[3 * i + 2])).ToArray()
            : [(2000, 1000, "rff"), (2000, 3000, "rff"), (10000, 1000, "rff"), (2000, 1000, "auto"), (10000, 1000, "auto")];
        foreach (var (n, r, route) in configs)
        {
            var a = Random(n, 256, 1);
            var b = Random(n, 384, 2);
            var options = new SpecOptions { Concepts = 10, Route = route == "rff" ? SpecRoute.Rff : SpecRoute.Auto };
            // r frequencies where the run takes the rff route; the exact route reads none (and refuses a number).
            if (SpecMethod.ResolvedRoute(options, n) == SpecRoute.Rff) options = options with { RffDim = r };
            Explanation? e = null;
            Harness.Measure("spec", new() { ["n"] = n, ["d_a"] = 256, ["d_b"] = 384, ["r"] = r, ["route"] = route },
                () => e = new SpecMethod().Run(new RepresentationPair(a, b), options), warmUp: false);
            Console.WriteLine(JsonSerializer.Serialize(new { route = e!.Parameters["route"]!.ToString(), timings = e.Timings, spec_diff = e.Metrics["spec_diff"]!.GetValue<double>() }));
        }
    }

    /// <summary>
    /// Streaming SPEC-RFF on an n × d float32 .npy (args: n d r [path]; default 1000000 768 1000
    /// /tmp/repdiff-spec-stream.npy). The file is generated once if missing and then memory-mapped as both
    /// A and B (independent frequencies each); pass "--delete" last to remove it afterwards.
    /// Reports the peak anonymous (non-file) resident memory, i.e. memory besides the mapped input.
    /// </summary>
    [Bench("spec-stream")]
    public static void SpecStream(string[] args)
    {
        bool delete = args.Contains("--delete");
        args = args.Where(a => a != "--delete").ToArray();
        int n = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        int d = args.Length > 1 ? int.Parse(args[1]) : 768;
        int r = args.Length > 2 ? int.Parse(args[2]) : 1000;
        string path = args.Length > 3 ? args[3] : "/tmp/repdiff-spec-stream.npy";
        EnsureFile(path, n, d);
        using var monitor = new AnonymousMemoryMonitor();
        var sw = Stopwatch.StartNew();
        Explanation e;
        using (var a = Embeddings.OpenRows(path))
        using (var b = Embeddings.OpenRows(path))
        {
            var sa = new SubsetRows(a, n);
            var sb = new SubsetRows(b, n);
            e = new SpecMethod().Run(new RepresentationPair(sa, sb), new SpecOptions { Route = SpecRoute.Rff, RffDim = r });
        }
        double seconds = sw.Elapsed.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = "spec-stream",
            ["sizes"] = new Dictionary<string, object> { ["n"] = n, ["d"] = d, ["r"] = r },
            ["seconds"] = seconds,
            ["timings"] = e.Timings,
            ["peak_anonymous_mb"] = monitor.PeakMegabytes,
            ["peak_working_set_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024),
        }));
        if (delete) File.Delete(path);
    }

    /// <summary>Writes an n × d float32 .npy of uniform(−1, 1) values in chunks, unless a file of that shape exists.</summary>
    internal static void EnsureFile(string path, int n, int d, int seed = 7)
    {
        if (File.Exists(path))
        {
            using var existing = Embeddings.OpenRows(path);
            if (existing.Rows >= n && existing.Cols == d) return;
        }
        var rng = new Random(seed);
        AtomicFile.Write(path, stream =>
        {
            Npy.WriteRaw(stream, "<f4", [n, d], []);
            var chunk = new float[1 << 20];
            for (long done = 0, total = (long)n * d; done < total; done += chunk.Length)
            {
                int count = (int)Math.Min(chunk.Length, total - done);
                for (int i = 0; i < count; i++) chunk[i] = rng.NextSingle() * 2 - 1;
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(chunk.AsSpan(0, count)));
            }
        });
    }

    /// <summary>The first n rows of a larger file, so one generated file serves every n of the time-versus-n curve.</summary>
    private sealed class SubsetRows(IRowSource source, int n) : IRowSource
    {
        public int Rows => n;
        public int Cols => source.Cols;
        public void ReadRows(int first, int count, Span<float> destination) => source.ReadRows(first, count, destination);
    }

    /// <summary>Samples RssAnon from /proc/self/status every 100 ms and keeps the maximum.</summary>
    private sealed class AnonymousMemoryMonitor : IDisposable
    {
        private readonly Timer timer;
        private long peakKb;

        public AnonymousMemoryMonitor() => timer = new Timer(_ => Sample(), null, 0, 100);

        public double PeakMegabytes
        {
            get { Sample(); return Interlocked.Read(ref peakKb) / 1024.0; }
        }

        private void Sample()
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("RssAnon:"))
                {
                    long kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
                    long seen;
                    while (kb > (seen = Interlocked.Read(ref peakKb)) && Interlocked.CompareExchange(ref peakKb, kb, seen) != seen) { }
                }
        }

        public void Dispose() => timer.Dispose();
    }
}
