using RepDiff.Numerics;

namespace RepDiff.Trust;

/// <summary>The seeded subsamples of the stability measure (docs/methods/METHODS.md §7): ⌊fraction·n⌋ rows without replacement.</summary>
public static class StabilityResamples
{
    /// <summary>The share of rows each resample keeps.</summary>
    public const double DefaultFraction = 0.8;

    /// <summary>Rows of resample <paramref name="index"/> of a set of n rows, ascending; the same for the same seed everywhere.</summary>
    /// <param name="stream">Separates the draws of several sets resampled together (FINC's TEST and REF).</param>
    public static int[] Draw(int n, int index, int seed, double fraction = DefaultFraction, int stream = 0)
        => Sampling.Uniform(n, Count(n, fraction), Rng.Derive(Rng.Derive(seed, stream), index));

    /// <summary>Rows each resample of a set of n rows keeps: ⌊fraction·n⌋, at least 1.</summary>
    public static int Count(int n, double fraction = DefaultFraction) => Math.Max(1, (int)Math.Floor(fraction * n));
}
