using RepDiff.Numerics;

namespace RepDiff.Methods.Spec;

/// <summary>The median rule for Gaussian bandwidths (METHODS §3).</summary>
public static class Bandwidth
{
    /// <summary>Rows used when n is larger: the median of all pairs of a seeded subsample.</summary>
    public const int SubsampleRows = 5000;

    /// <summary>
    /// Median Euclidean distance over all pairs i &lt; j (numpy's median: the mean of the two middle
    /// values for an even count), or over a seeded subsample of <see cref="SubsampleRows"/> rows.
    /// A median of 0 (mostly identical rows) gives no bandwidth: an input error naming the option to set instead.
    /// </summary>
    public static double Median(IRowSource x, int seed, string name = "the rows", string option = "--sigma")
    {
        double median = MedianDistance(x, seed);
        if (!(median > 0))
            throw new RepDiffInputException($"{name}: the median pairwise distance is 0 (most rows are identical), so the median rule gives no bandwidth; give {option}");
        return median;
    }

    private static double MedianDistance(IRowSource x, int seed)
    {
        var rows = x.Rows > SubsampleRows ? x.SelectRows(Sampling.Uniform(x.Rows, SubsampleRows, seed)) : x.ReadAll();
        if (rows.Rows < 2) throw new RepDiffInputException("the median bandwidth needs at least 2 rows; give --sigma explicitly");
        return Selection.MedianAboveDiagonal(Distances.SquaredEuclideanAboveDiagonal(rows), v => Math.Sqrt(Math.Max(0, v)));
    }
}
