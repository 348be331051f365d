using System.Diagnostics;
using RepDiff.Methods;
using RepDiff.Trust;

namespace RepDiff.Bench;

/// <summary>
/// The cost of stability (docs/methods/METHODS.md §7, issue 17 item 5): `stability [n] [R] [method ...]` (defaults 2,000, 20 and every method)
/// runs every method compare runs on a synthetic 256-dimensional pair and times, in one process after a warm-up,
/// one run, --stability R (reruns sharing the full run's work where the method can) and R independent reruns on
/// the same subsamples (what stability would cost without sharing).
/// </summary>
public static class StabilityBenchmarks
{
    [Bench("stability")]
    public static void Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 2000;
        int resamples = args.Length > 1 ? int.Parse(args[1]) : 20;
        var pair = RdxBenchmarks.SyntheticPair(n, 256, seed: n);
        var only = args.Skip(2).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var method in MethodRegistry.Default.CompareDefaults(pair).Where(m => only.Count == 0 || only.Contains(m.Name)))
        {
            var options = method.DefaultOptions();
            method.Run(pair, options);  // warm-up
            var clock = Stopwatch.StartNew();
            var full = method.Run(pair, options);
            double one = clock.Elapsed.TotalSeconds;
            clock.Restart();
            Stability.Measure(method, pair, full, resamples);
            double shared = clock.Elapsed.TotalSeconds;
            var resolved = full.ResolvedOptions!;
            clock.Restart();
            for (int r = 0; r < resamples; r++)
                method.Run(pair.SelectRows(StabilityResamples.Draw(n, r, resolved.Seed)), resolved);
            double independent = clock.Elapsed.TotalSeconds;
            var record = new Dictionary<string, object>
            {
                ["name"] = "stability",
                ["method"] = method.Name,
                ["sizes"] = new Dictionary<string, object> { ["n"] = n, ["d"] = 256, ["resamples"] = resamples },
                ["one_run_seconds"] = one,
                ["stability_seconds"] = shared,
                ["independent_reruns_seconds"] = independent,
                ["shares_work"] = method is ISubsetRerun,
            };
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(record));
            if (method is ISubsetRerun sharing && sharing.PrepareSubsetRuns(pair, resolved, null) is { } rerun)
            {
                var rerunTimings = rerun(StabilityResamples.Draw(n, 0, resolved.Seed)).Timings;
                var fresh = method.Run(pair.SelectRows(StabilityResamples.Draw(n, 0, resolved.Seed)), resolved).Timings;
                Console.WriteLine("  shared rerun: " + string.Join(", ", rerunTimings.Select(t => $"{t.Key} {t.Value:F2}s")));
                Console.WriteLine("  fresh rerun: " + string.Join(", ", fresh.Select(t => $"{t.Key} {t.Value:F2}s")));
            }
        }
    }
}
