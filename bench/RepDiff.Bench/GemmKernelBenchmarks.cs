using System.Diagnostics;
using RepDiff.Numerics;

namespace RepDiff.Bench;

/// <summary>
/// The GEMM micro-kernel alone, with its panels and C tile in L1: the ceiling the blocked GEMM can reach on a
/// core (and on every core at once), so the `gemm` figures can be read as a fraction of it.
/// </summary>
public static class GemmKernelBenchmarks
{
    [Bench("gemm-kernel")]
    public static void KernelPeak(string[] args)
    {
        int calls = args.Length > 0 ? int.Parse(args[0]) : 20000;
        foreach (int threads in new[] { 1, Environment.ProcessorCount })
        {
            Run<Gemm.Tile512>("512", calls, threads);
            Run<Gemm.Tile256>("256", calls, threads);
        }
    }

    private static unsafe void Run<T>(string name, int calls, int threads) where T : Gemm.ITile
    {
        const int kc = Gemm.KC;
        int mr = T.MR, nr = T.NR;
        double best = 0, bestPerCpu = 0;
        var process = Process.GetCurrentProcess();
        for (int round = 0; round < 3; round++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
            {
                var a = new float[mr * kc];
                var b = new float[nr * kc];
                var c = new float[mr * nr];
                for (int i = 0; i < a.Length; i++) a[i] = 1e-3f * (i % 7);
                for (int i = 0; i < b.Length; i++) b[i] = 1e-3f * (i % 5);
                fixed (float* ap = a, bp = b, cp = c)
                    for (int call = 0; call < calls; call++) T.Kernel(kc, ap, bp, cp, nr, 1f, false);
            });
            double seconds = watch.Elapsed.TotalSeconds;
            process.Refresh();
            // On a shared machine the wall clock measures the scheduler's share; GFLOP per CPU-second measures the kernel.
            double flops = 2.0 * mr * nr * kc * calls * threads;
            best = Math.Max(best, flops / seconds / 1e9);
            bestPerCpu = Math.Max(bestPerCpu, flops / (process.TotalProcessorTime - cpuBefore).TotalSeconds / 1e9);
        }
        Console.WriteLine($"{{\"name\":\"gemm-kernel.{name}\",\"tile\":\"{mr}x{nr}\",\"threads\":{threads},\"gflops\":{best:F1},\"gflops_per_cpu_second\":{bestPerCpu:F1}}}");
    }
}
