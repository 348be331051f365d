using System.Numerics.Tensors;
using RepDiff.Numerics;

namespace RepDiff.Metrics;

/// <summary>
/// MNED's normalizer (docs/methods/METHODS.md §2): the largest Euclidean distance between two rows. Exact over all
/// pairs up to <see cref="ExactRowsLimit"/> rows (every fixture and small run); above, linear in n: the farthest row from
/// each of <see cref="SampledRows"/> seeded rows, then farthest-first steps from the farthest row found until they stop
/// gaining. The result is always the distance of a real pair, so never above the exact maximum D, and it is at least
/// the farthest-row distance of all but a fraction p of the rows with probability 1 − (1 − p)^1024 (p = 0.5%: 99.4%);
/// docs/methods/METHODS.md §2 states the bound, and the farthest-first steps find a pair of planted outliers exactly.
/// </summary>
public static class MnedNormalizer
{
    /// <summary>Most rows whose largest distance is found over all pairs.</summary>
    public const int ExactRowsLimit = 5_000;

    /// <summary>Seeded rows whose farthest row is searched above the limit.</summary>
    public const int SampledRows = 1_024;

    private const int SampleSeed = 20_251_201;
    private const int MaxFarthestSteps = 8;
    private const int BlockRows = 256;

    /// <summary>The largest distance between two rows of x, and whether it is the exact one (all pairs).</summary>
    public static (double Value, bool Exact) Compute(Matrix x)
    {
        if (x.Rows <= ExactRowsLimit) return (Bsr.MaxDistance(x), true);
        return (Sampled(x), false);
    }

    /// <summary>The sampled route on any size (above the limit <see cref="Compute"/> takes it): a lower bound of the exact value.</summary>
    public static double Sampled(Matrix x)
    {
        int n = x.Rows;
        if (n < 2) return 0;
        var sample = Sampling.Uniform(n, Math.Min(SampledRows, n), SampleSeed);
        (float Value, int I, int J) best = (-1, 0, 0);
        var toAll = new DistancesToRows(x);
        for (int first = 0; first < sample.Length; first += BlockRows)
        {
            var rows = sample.Skip(first).Take(BlockRows).ToArray();
            best = Farthest(toAll, x, rows, best);
        }
        // Farthest-first: the row farthest from the best pair's far end, while that finds a longer pair.
        for (int step = 0; step < MaxFarthestSteps; step++)
        {
            var next = Farthest(toAll, x, [best.J], best);
            if (next.Value <= best.Value) break;
            best = (next.Value, next.J, next.I);
        }
        return Math.Sqrt(Distances.ExactSquared(x.Row(best.I), x.Row(best.J)));
    }

    /// <summary>The farthest pair (row of rows, any row of x) if longer than best, else best.</summary>
    private static (float Value, int I, int J) Farthest(DistancesToRows toAll, Matrix x, int[] rows, (float Value, int I, int J) best)
    {
        var squared = toAll.From(x.SelectRows(rows));
        for (int r = 0; r < rows.Length; r++)
        {
            var row = squared.Row(r);
            int arg = TensorPrimitives.IndexOfMax(row);
            if (row[arg] > best.Value) best = (row[arg], rows[r], arg);
        }
        return best;
    }
}
