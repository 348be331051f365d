using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using RepDiff.Methods.Baselines;

namespace RepDiff.Bench;

/// <summary>
/// One sparse autoencoder's training with the defaults (32 latents, k = 4, batch 256, 3,000 Adam steps), single-threaded
/// as `compare` runs it (both sides at once, one per core): `-- sae-training [rounds] [d...]` (d = 256 and 768 unless given). Prints seconds per step and a hash
/// of the trained parameters, so that a faster build can be checked for the same bits against an older one.
/// </summary>
public static class SaeTrainingBench
{
    [Bench("sae-training")]
    public static void Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0]) : 3;
        foreach (int d in args.Length > 1 ? args[1..].Select(int.Parse) : [256, 768])
        {
            var x = BaselineBenchmarks.Data(2_000, d).A;
            var options = new SparseAutoencoderOptions();
            int steps = options.ResolvedEpochs(x.Rows) * ((x.Rows + options.ResolvedBatchSize(x.Rows) - 1) / options.ResolvedBatchSize(x.Rows));
            SparseAutoencoder.Train(x, options with { Epochs = 10 }, seed: 0, parallel: false);   // warm-up: JIT tiers
            for (int round = 0; round < rounds; round++)
            {
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                var sae = SparseAutoencoder.Train(x, options, seed: 0, parallel: false);
                double seconds = sw.Elapsed.TotalSeconds;
                // CPU seconds too: on a shared machine the wall clock also counts the time other jobs had the core.
                double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                string hash = Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(sae.Parameters.AsSpan())))[..16];
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["name"] = "sae_training", ["n"] = x.Rows, ["d"] = d, ["round"] = round, ["steps"] = steps,
                    ["seconds"] = seconds, ["ms_per_step"] = 1000 * seconds / steps, ["cpu_ms_per_step"] = 1000 * cpuSeconds / steps, ["parameters_sha256"] = hash,
                }));
            }
        }
    }
}
