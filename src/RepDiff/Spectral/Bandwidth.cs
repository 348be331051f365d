using RepDiff.Numerics;
using RepDiff.Options;

namespace RepDiff.Spectral;

/// <summary>The median rule for Gaussian bandwidths (docs/methods/METHODS.md §3).</summary>
public static class Bandwidth
{
    /// <summary>Rows used when n is larger: the median of all pairs of a seeded subsample.</summary>
    public const int SubsampleRows = 5000;

    /// <summary>
    /// Median Euclidean distance over all pairs i &lt; j (numpy's median: the mean of the two middle
    /// values for an even count), or over a seeded subsample of <see cref="SubsampleRows"/> rows.
    /// A median of 0 (mostly identical rows) gives no bandwidth: an error naming the option (the
    /// options-record property <paramref name="property"/>) to set instead.
    /// </summary>
    public static double Median(IRowSource x, int seed, string name, string property) => Checked(MedianDistance(x, seed, property), name, property);

    /// <summary>
    /// A's (or B's) bandwidth by the median rule, from the pair's median found once per seed: SPEC and KODA in one
    /// `compare` both take their bandwidths from it (<see cref="PairStatistics.MedianDistanceA"/>).
    /// </summary>
    public static double MedianOfA(RepresentationPair pair, int seed, string property) => Checked(pair.Statistics.MedianDistanceA(seed, property), pair.NameA, property);

    public static double MedianOfB(RepresentationPair pair, int seed, string property) => Checked(pair.Statistics.MedianDistanceB(seed, property), pair.NameB, property);

    private static double Checked(double median, string name, string property)
    {
        if (!(median > 0))
            throw new InvalidOptionException(property, $"not given, and the median pairwise distance of {name} is 0 (most rows are identical), so the median rule gives no bandwidth; give one");
        return median;
    }

    /// <summary>
    /// A Gaussian kernel exp(−d²/2σ²) is 0 in float32 beyond d ≈ 14.4σ (e^−103 is its least value): with σ below
    /// 1/<see cref="NarrowRatio"/> of the median distance, every pair at the median distance or farther has kernel 0.
    /// </summary>
    public const double NarrowRatio = 15;

    /// <summary>Rows of the median <see cref="Narrow"/> compares with: a caution needs its scale, not its third digit.</summary>
    private const int CautionRows = 500;

    /// <summary>
    /// A warning when a given bandwidth is so far below the median pairwise distance of <paramref name="rows"/> that the kernel
    /// is close to the identity (`spec --sigma-a 1e-30` had run without a word); null otherwise.
    /// </summary>
    public static string? Narrow(IRowSource rows, double sigma, int seed, string flag, string name)
    {
        if (rows.Rows < 2) return null;
        var sample = rows.Rows > CautionRows ? rows.SelectRows(Sampling.Uniform(rows.Rows, CautionRows, seed)) : rows;
        double median = MedianDistance(sample, seed, flag);
        if (!(median > 0) || sigma * NarrowRatio >= median) return null;
        return $"{flag} {sigma:G3} is {sigma / median:G2} times {name}'s median pairwise distance ({median:G3}), below 1/{NarrowRatio:G} of it: every pair "
            + $"at the median distance or farther has kernel value 0 in float32, so the kernel is close to the identity and its concepts say little; "
            + $"leave {flag} out for the median rule";
    }

    /// <summary>
    /// <see cref="Narrow"/> for each side's bandwidth the user gave (SPEC's and KODA's Gaussian kernels); a median-rule
    /// bandwidth is never narrow.
    /// </summary>
    public static IEnumerable<string> NarrowGiven(RepresentationPair pair, GivenOptions o, double? sigmaA, double? sigmaB, int seed, string propertyA, string propertyB)
    {
        foreach (var (sigma, property, rows, name) in new[] { (sigmaA, propertyA, pair.RowsA, pair.NameA), (sigmaB, propertyB, pair.RowsB, pair.NameB) })
            if (o.WasGiven(property) && sigma is double given && Narrow(rows, given, seed, OptionSpec.FlagOf(property), name) is { } narrow)
                yield return narrow;
    }

    /// <summary>The median itself, 0 when most rows are identical (<see cref="Median"/> refuses it with the option's name).</summary>
    internal static double MedianDistance(IRowSource x, int seed, string property)
    {
        var rows = x.Rows > SubsampleRows ? x.SelectRows(Sampling.Uniform(x.Rows, SubsampleRows, seed)) : x.ReadAll();
        if (rows.Rows < 2) throw new InvalidOptionException(property, "not given, and the median rule needs at least 2 rows; give a bandwidth");
        double median = Selection.MedianAboveDiagonal(rows.Rows, new DistanceBlocksAboveDiagonal(rows).ForEach, v => Math.Sqrt(Math.Max(0, v)));
        // The fast distances subtract the column means in float32 first; beside one row 10^15 times the others, that loses
        // the others' differences and the median reads 0. A 0 is checked on the rows themselves, subtracted in double.
        return median > 0 ? median : ExactMedian(rows, seed);
    }

    /// <summary>Rows of the exact check at most: its pairs are subtracted one by one.</summary>
    private const int ExactRows = 1000;

    private static double ExactMedian(Matrix rows, int seed)
    {
        var x = rows.Rows > ExactRows ? rows.SelectRows(Sampling.Uniform(rows.Rows, ExactRows, seed)) : rows;
        // Kept in double: beside a row rescaled to about 1, the others' squared distances can be below float32's range.
        var distances = new double[(long)x.Rows * (x.Rows - 1) / 2];
        int k = 0;
        for (int i = 0; i < x.Rows; i++)
            for (int j = i + 1; j < x.Rows; j++) distances[k++] = Math.Sqrt(Distances.ExactSquared(x.Row(i), x.Row(j)));
        Array.Sort(distances);
        int middle = distances.Length / 2;
        return distances.Length % 2 == 1 ? distances[middle] : (distances[middle - 1] + distances[middle]) / 2;
    }
}
