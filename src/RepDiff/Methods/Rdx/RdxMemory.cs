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

    /// <summary>What this machine has free now (<see cref="IO.MemoryBudget.Available"/>).</summary>
    public static long Available() => IO.MemoryBudget.Available();

    /// <summary>
    /// Throws an InvalidOptionException naming MaxSamples, with the largest sample count that fits, when n samples need more than
    /// the shared limit of work with `available` bytes free (<see cref="IO.MemoryBudget.WorkLimit(long)"/>). That limit (at most
    /// 8.6 GB) also keeps n well under <see cref="MaxSamples"/> (17 GB), so one message says both.
    /// </summary>
    public static void Check(int n, int dA, int dB, long available)
    {
        long need = Estimate(n, dA, dB), limit = IO.MemoryBudget.WorkLimit(available);
        if (need <= limit && n <= MaxSamples) return;
        int fits = IO.MemoryBudget.LargestFitting(Math.Min(n, MaxSamples), limit, size => Estimate(size, dA, dB));
        throw new InvalidOptionException(nameof(RdxOptions.MaxSamples),
            $"RDX on {n} samples needs about {need / 1e9:F1} GB (two {n}×{n} float32 matrices; limit {limit / 1e9:F1} GB, "
            + $"3/4 of the {available / 1e9:F1} GB available and at most {IO.MemoryBudget.MaxWorkBytes / 1e9:F1} GB); set it to {fits} to run on a seeded subsample");
    }
}
