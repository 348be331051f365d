using RepDiff.IO;
using RepDiff.Methods.Rdx;
using RepDiff.Metrics;
using RepDiff.Options;
using RepDiff.Spectral;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// Memory refusals before the work that would not fit (review 174, findings 3b and 6): one limit for every n×n check,
/// metrics' RBF CKA under it, and a pixel array counted as a run holds it.
/// </summary>
public class MemoryPolicyTests
{
    [Fact]
    public void EveryNxNCheckRefusesAtTheOneSharedLimit()
    {
        // Whatever the budget, each check passes the largest size its estimate fits in WorkLimit and refuses the next.
        foreach (long budget in new[] { 40_000_000L, 2_000_000_000L, 1L << 40 })
            using (MemoryBudget.Assume(budget))
            {
                long limit = MemoryBudget.WorkLimit();
                Assert.Equal(Math.Min(MemoryBudget.MaxWorkBytes, budget / 4 * 3), limit);

                int kernels = (int)Math.Sqrt(limit / 12.0);
                while (SampleKernels.Bytes(kernels + 1) <= limit) kernels++;
                SampleKernels.CheckMemory(kernels, "Route", "rff", rowBytes: 0);
                Assert.Equal("Route", Assert.Throws<InvalidOptionException>(() => SampleKernels.CheckMemory(kernels + 1, "Route", "rff", rowBytes: 0)).Property);

                int rbf = MemoryBudget.LargestFitting(1_000_000, limit, n => Cka.RbfBytes(n));
                Assert.True(Cka.RbfBytes(rbf) <= limit && Cka.RbfBytes(rbf + 1) > limit);
                Cka.CheckRbfMemory(rbf);
                var refused = Assert.Throws<InvalidOptionException>(() => Cka.CheckRbfMemory(rbf + 1));
                Assert.Equal(nameof(ContextMetricsOptions.RbfMaxSamples), refused.Property);
                Assert.EndsWith($"set it to {rbf:N0} to run on a seeded subsample", refused.Message);

                int rdx = MemoryBudget.LargestFitting(RdxMemory.MaxSamples, limit, n => RdxMemory.Estimate(n, 16, 16));
                if (rdx >= 2) RdxMemory.Check(rdx, 16, 16, budget);
                var rdxRefused = Assert.Throws<InvalidOptionException>(() => RdxMemory.Check(rdx + 1, 16, 16, budget));
                Assert.EndsWith($"set it to {rdx} to run on a seeded subsample", rdxRefused.Message);
            }
    }

    [Fact]
    public void RdxSuggestsAtMostTheFixedCapHoweverMuchIsFree()
    {
        // 50,000 samples need 20 GB, which 100 GB free would hold: RDX had offered 80% of what is free (46,340 here), twice what SPEC may take.
        var error = Assert.Throws<InvalidOptionException>(() => RdxMemory.Check(50_000, 16, 16, 100_000_000_000));
        Assert.Equal(nameof(RdxOptions.MaxSamples), error.Property);
        int fits = int.Parse(error.Message.Split("set it to ")[1].Split(' ')[0]);
        Assert.True(RdxMemory.Estimate(fits, 16, 16) <= MemoryBudget.MaxWorkBytes);
        Assert.True(RdxMemory.Estimate(fits + 1, 16, 16) > MemoryBudget.MaxWorkBytes);
        Assert.Contains("limit 8.6 GB, 3/4 of the 100.0 GB available and at most 8.6 GB", error.Message);
    }

    [Fact]
    public void MetricsRefusesAnRbfSizePastTheLimitAndRunsTheSizeItNames()
    {
        string dir = TestData.TempDir(), outDir = Path.Combine(dir, "out");
        var (a, b, _) = SmallPair(dir, rows: 60);
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "before");
        // 60 samples take 86 kB of RBF work; 100 kB free allows 75 kB.
        Outcome refused;
        using (MemoryBudget.Assume(100_000))
            refused = Run("metrics", a, b, "--rbf-max-samples", "60", "--out", outDir);
        refused.AssertBadInput("--rbf-max-samples: RBF CKA on 60 samples needs");
        Assert.Equal(["keep.txt"], Directory.GetFiles(outDir).Select(Path.GetFileName));
        int fits = int.Parse(refused.ErrorLines[^1].Split("set it to ")[1].Split(' ')[0]);
        Assert.InRange(fits, 2, 59);

        Outcome ran;
        using (MemoryBudget.Assume(100_000))
            ran = Run("metrics", a, b, "--rbf-max-samples", fits.ToString(), "--out", outDir);
        Assert.True(ran.Code == 0, ran.Stderr);
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["metrics"]!;
        Assert.Equal(fits, (int)metrics["rbf_cka_samples"]!);
    }

    /// <summary>
    /// sae trains both sides' autoencoders at once, each holding O(m·d) weights and O(n·m) activations, unchecked:
    /// `--latents 100000` on 4,096 dimensions went on to allocate tens of GB. Refused first, naming a size that runs.
    /// `--active 1700` lets 60 samples activate up to 102,000 latents, so the memory is what refuses 100,000 here.
    /// </summary>
    [Fact]
    public void SaeRefusesADictionaryPastTheLimitAndRunsTheSizeItNames()
    {
        string dir = TestData.TempDir(), outDir = Path.Combine(dir, "out");
        var (a, b, _) = SmallPair(dir, rows: 60);
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "before");
        Outcome refused;
        using (MemoryBudget.Assume(20_000_000))
            refused = Run("sae", a, b, "--latents", "100000", "--active", "1700", "--epochs", "1", "--out", outDir);
        refused.AssertBadInput("--latents: 100,000 latents on 60 samples of");
        Assert.Equal(["keep.txt"], Directory.GetFiles(outDir).Select(Path.GetFileName));
        int fits = int.Parse(refused.ErrorLines[^1].Split("set it to ")[1], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(fits, 1700, 99_999);

        Outcome ran;
        using (MemoryBudget.Assume(20_000_000))
            ran = Run("sae", a, b, "--latents", fits.ToString(), "--active", "1700", "--epochs", "1", "--out", outDir);
        Assert.True(ran.Code == 0, ran.Stderr);
    }

    [Fact]
    public void APixelArrayIsRefusedByWhatARunHoldsNotItsFloat32SizeAlone()
    {
        string dir = TestData.TempDir(), outDir = Path.Combine(dir, "out"), pixels = Path.Combine(dir, "pixels.npy");
        var (a, b, _) = SmallPair(dir, rows: 60);
        var rng = new Random(5);
        const int side = 16;
        Npy.Write(pixels, Enumerable.Range(0, 60 * side * side * 3).Select(_ => (float)rng.NextDouble()).ToArray(), 60, side, side, 3);
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "before");
        // Held whole as float32, the file's pages while it is read, and each thread's work arrays for one image's looks.
        long float32 = 4L * 60 * side * side * 3;
        long held = float32 + new FileInfo(pixels).Length + Environment.ProcessorCount * ImageLooks.WorkBuffers.Bytes(side * side);

        // A budget the float32 size alone fits (what the guard had counted) but what the run holds does not.
        Outcome refused;
        using (MemoryBudget.Assume((float32 + held) / 2 / 3 * 4))
            refused = Run("pca", a, b, "--images", pixels, "--maps", "pca", "--out", outDir);
        refused.AssertBadInput("pixels.npy: its pixels (held whole as float32");
        Assert.EndsWith("give a manifest of image files instead, which is read a batch at a time", refused.ErrorLines[^1]);
        Assert.Equal(["keep.txt"], Directory.GetFiles(outDir).Select(Path.GetFileName));

        Outcome ran;
        using (MemoryBudget.Assume(held / 3 * 4 + 4096))
            ran = Run("pca", a, b, "--images", pixels, "--maps", "pca", "--out", outDir);
        Assert.True(ran.Code == 0, ran.Stderr);
    }
}
