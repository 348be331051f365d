using RepDiff.Options;

namespace RepDiff.Methods.Rdx;

/// <summary>RDX holds two n×n float32 matrices (the difference G and one direction's affinity S); refuse what does not fit.</summary>
public static class RdxMemory
{
    /// <summary>Largest n whose n×n matrices can be indexed by int rows (Matrix.Row).</summary>
    public const int MaxSamples = 46_340;

    /// <summary>Bytes RDX needs for n samples of dimensions dA and dB, beyond the inputs.</summary>
    public static long Estimate(int n, int dA, int dB)
    {
        long square = (long)n * n * sizeof(float);
        long blocks = 4L * (8 << 20) * sizeof(float);           // distance blocks of A and B, and their copies
        long perSample = (long)n * (dA + dB) * sizeof(float) * 2; // mapped copies (alignment) or subsample
        return 2 * square + blocks + perSample;
    }

    /// <summary>What this process may use: physical memory (or the container limit), and what the system has free now.</summary>
    public static long Available() => IO.MemoryBudget.Available();

    /// <summary>Throws a RepDiffInputException naming MaxSamples when n samples would not fit in `available` bytes.</summary>
    public static void Check(int n, int dA, int dB, long available)
    {
        long need = Estimate(n, dA, dB);
        bool memoryFits = need <= available * 0.8;
        if (memoryFits && n <= MaxSamples) return;
        int fits = Math.Min(n, MaxSamples);
        while (fits > 2 && Estimate(fits, dA, dB) > available * 0.8) fits = (int)(fits * 0.9);
        // Say which limit it is: "needs 20.1 GB but 23.4 GB is available" read as a contradiction when only the index limit refused.
        string why = memoryFits
            ? $"RDX on {n} samples exceeds the {MaxSamples} samples whose {n}×{n} matrices can be indexed (they would fit in memory: about {need / 1e9:F1} GB of about {available / 1e9:F1} GB available)"
            : $"RDX on {n} samples needs about {need / 1e9:F1} GB (two {n}×{n} float32 matrices) but about {available / 1e9:F1} GB is available, of which it uses at most 80%";
        throw new InvalidOptionException(nameof(RdxOptions.MaxSamples), $"{why}; set it to {fits} to run on a seeded subsample");
    }
}
