using System.Diagnostics;
using System.Text.Json;
using RepDiff.IO;
using RepDiff.Metrics;

namespace RepDiff.Bench;

/// <summary>The stages a method command runs after its method, on a memory-mapped pair.</summary>
public static class ScoringBenchmarks
{
    /// <summary>
    /// `bsr-stream A.npy B.npy RESULTS.json`: BSR (<see cref="Bsr.Evaluate"/>) and its chance levels
    /// (<see cref="BsrChance.Evaluate"/>) of the grids of a results.json written for that pair, each timed
    /// (wall and CPU seconds), with the BSR figures so a before/after pair of builds can be compared.
    /// </summary>
    [Bench("bsr-stream")]
    public static void BsrStream(string[] args)
    {
        var explanation = ResultsFile.Read(args[2]).Explanations[0];
        using var pair = new PairSpec(args[0], args[1]).Open();
        var (bsrWall, bsrCpu) = Timed(() => Bsr.Evaluate(explanation, pair));
        var (chanceWall, chanceCpu) = Timed(() => BsrChance.Evaluate(explanation, pair));
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["name"] = "bsr-stream",
            ["sizes"] = new Dictionary<string, object> { ["n"] = pair.N, ["d_a"] = pair.RowsA.Cols, ["d_b"] = pair.RowsB.Cols },
            ["bsr_seconds"] = bsrWall,
            ["bsr_cpu_seconds"] = bsrCpu,
            ["chance_seconds"] = chanceWall,
            ["chance_cpu_seconds"] = chanceCpu,
            ["bsr"] = explanation.Metrics["bsr"]?.ToJsonString(),
            ["bsr_mned"] = explanation.Metrics["bsr_mned"]?.ToJsonString(),
            ["bsr_lsed"] = explanation.Metrics["bsr_lsed"]?.ToJsonString(),
            ["concept_bsr"] = string.Join(",", explanation.Directions.SelectMany(d => d.Concepts).Select(c => c.Bsr)),
            ["load"] = File.ReadAllText("/proc/loadavg").Split(' ')[0],
        }));
    }

    private static (double Wall, double Cpu) Timed(Action work)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        work();
        process.Refresh();
        return (clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }
}
