using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using RepDiff.Numerics;

namespace RepDiff.Metrics;

/// <summary>
/// What BSR (docs/methods/METHODS.md §2) needs of one representation about a fixed set of focus samples, from
/// which many groups are then drawn: between every two focus samples their squared distance, the SILB rank
/// of one in the other's row (over all samples of the representation), and each focus sample's local scale.
/// Built for scoring hundreds of random groups (chance levels, held-out p-values) at the cost of one
/// F×n distance pass, where <see cref="Bsr"/> would take one pass per group.
/// </summary>
/// <remarks>
/// Distances are float GEMM distances, and SILB ties count as not closer; a held-out group and the random
/// groups it is compared with are scored by this same code, so they stay comparable with each other.
/// </remarks>
internal sealed class FocusRows
{
    private const int LocalScalingNeighbor = 7;
    private readonly Dictionary<int, int> position = [];
    private readonly double[] squared;   // F × F
    private readonly int[] ranks;        // F × F: rank of focus q in focus p's row (self = 0)
    private readonly double[] localScale;
    private readonly int f;
    private readonly int[] focus;

    /// <summary>Largest Euclidean distance MNED divides by.</summary>
    public double MaxDistance { get; }

    /// <param name="focus">Distinct sample indices of x.</param>
    /// <param name="maxDistance">MNED's normalizer; null: the largest distance from a focus sample to any sample.</param>
    public FocusRows(IRowSource x, int[] focus, double? maxDistance)
    {
        f = focus.Length;
        this.focus = focus;
        for (int p = 0; p < f; p++) position.Add(focus[p], p);
        int n = x.Rows;
        var focusRows = x.SelectRows(focus);
        squared = IO.PageAdvice.NewArray<double>(f * f);
        ranks = IO.PageAdvice.NewArray<int>(f * f);
        localScale = new double[f];
        var farthest = new double[f];
        // The F×n distance matrix, kept whole per focus row for ranking: each block of samples' distances are written into
        // its columns. Rows of their own (f arrays of n floats), a distance block copied into them and a centred copy of the
        // block had been 40-50 MB of fresh memory per side at n = 10,000, whose page clearing took most of the chance levels' time.
        var rows = new Matrix(f, n);
        // Blocks of at most 4 M floats of input, one buffer reused: a fresh block per step (190 MB at n = 1,000,000 with a
        // bound on rows alone) piles up 3 GB of large-object garbage before a collection.
        int block = Math.Clamp((1 << 22) / Math.Max(Math.Max(1, f), x.Cols), 256, Math.Max(256, n));
        Matrix? fullPart = null;
        var centredFocus = new Matrix(f, x.Cols);
        for (int first = 0; first < n; first += block)
        {
            int count = Math.Min(block, n - first);
            var part = count == block ? (fullPart ??= new Matrix(count, x.Cols)) : new Matrix(count, x.Cols);
            x.ReadRows(first, count, part.Data);
            // The block is centred in place: its rows are read again only centred.
            Distances.SquaredEuclideanInto(focusRows, part, centredFocus, part, rows.Data, first, n);
        }
        int neighbour = Math.Min(LocalScalingNeighbor, n - 1);
        Parallel.For(0, f, p =>
        {
            var row = rows.Row(p);
            row[focus[p]] = 0;
            for (int q = 0; q < f; q++) squared[p * f + q] = p == q ? 0 : row[focus[q]];
            // The largest value and the smallest neighbour + 1 values (the sample itself, at 0, first) in one pass.
            var smallest = new float[neighbour + 1];
            int kept = 0;
            float largest = float.NegativeInfinity;
            foreach (float v in row)
            {
                if (v > largest) largest = v;
                if (kept < smallest.Length) Insert(smallest, kept++, v);
                else if (v < smallest[^1]) Insert(smallest, smallest.Length - 1, v);
            }
            farthest[p] = largest;
            // smallest[0] is the sample itself (distance 0); the 7th neighbour follows it.
            localScale[p] = n > 1 ? Math.Sqrt(smallest[neighbour]) : 0;
            for (int q = 0; q < f; q++)
            {
                if (q == p) continue;
                float target = row[focus[q]];
                // Samples strictly closer than q, less the sample itself (distance 0 < target unless q is a duplicate).
                int closer = Ranking.CountBelow(row, target);
                ranks[p * f + q] = (target > 0 ? closer - 1 : closer) + 1;
            }
        });
        MaxDistance = maxDistance ?? Math.Sqrt(farthest.DefaultIfEmpty(0).Max());
    }

    /// <summary>Most focus samples for n samples: the F×n distance rows stay within 64 M floats (256 MB), and at most 512.</summary>
    public static int MaxFocus(int n) => (int)Math.Clamp((1L << 26) / Math.Max(1, n), 32, 512);

    /// <summary>
    /// Focus sample p's distances under <paramref name="kind"/> to the focus samples at <paramref name="positions"/>, in that
    /// order: the kind is chosen once per row, not once per pair.
    /// </summary>
    private void DistanceRow(int p, BsrDistance kind, int[] positions, Span<double> row)
    {
        int from = p * f;
        switch (kind)
        {
            case BsrDistance.Silb:
                for (int t = 0; t < positions.Length; t++) row[t] = ranks[from + positions[t]] + 1;
                break;
            case BsrDistance.Mned when MaxDistance > 0:
                for (int t = 0; t < positions.Length; t++) row[t] = squared[from + positions[t]];
                // Vector square roots and divisions round as Math.Sqrt and / do: the same doubles.
                TensorPrimitives.Sqrt(row[..positions.Length], row);
                TensorPrimitives.Divide(row[..positions.Length], MaxDistance, row);
                break;
            case BsrDistance.Mned:
                row.Clear();
                break;
            default:
                for (int t = 0; t < positions.Length; t++) row[t] = Bsr.LocalScaled(squared[from + positions[t]], localScale[p], localScale[positions[t]]);
                break;
        }
    }

    /// <summary>
    /// BSR pooled over the ordered pairs inside each group (every group's members must be focus samples of
    /// both representations): the share of pairs closer in <paramref name="explained"/> than in <paramref name="other"/>.
    /// </summary>
    public static double Score(FocusRows explained, FocusRows other, IEnumerable<int[]> groups, BsrDistance distance)
    {
        var closer = explained.CloserThan(other, distance);
        int words = (explained.f + 63) / 64;
        var members = new ulong[words];
        long successes = 0, pairs = 0;
        foreach (var group in groups)
        {
            Array.Clear(members);
            foreach (int i in group)
            {
                int p = explained.position[i];
                members[p >> 6] |= 1UL << p;
            }
            // The pairs (p, q) of the group with q closer to p: p's row of the closer-than bits, masked by the group.
            foreach (int i in group)
            {
                int p = explained.position[i];
                for (int w = 0; w < words; w++) successes += BitOperations.PopCount(closer[p * words + w] & members[w]);
            }
            pairs += (long)group.Length * (group.Length - 1);
        }
        return pairs == 0 ? double.NaN : (double)successes / pairs;
    }

    private readonly Dictionary<(FocusRows, BsrDistance), ulong[]> closerThan = [];

    /// <summary>
    /// For every ordered pair of focus samples (positions p ≠ q), whether q is closer to p here than in other, as one
    /// row of bits per p: made once per other representation and distance, then a group is counted a word at a time.
    /// Scoring pair by pair through the sample-to-position map took 52 s at n = 300 for grids of 300 (the chance
    /// levels' 100 draws, 10^9 pairs).
    /// </summary>
    private ulong[] CloserThan(FocusRows other, BsrDistance kind)
    {
        lock (closerThan)
        {
            if (closerThan.TryGetValue((other, kind), out var cached)) return cached;
            int words = (f + 63) / 64;
            var closer = new ulong[f * words];
            // Each focus sample's position here and in other, looked up once rather than once per pair.
            var own = Enumerable.Range(0, f).ToArray();
            var otherPosition = focus.Select(i => other.position[i]).ToArray();
            var here = new double[f];
            var there = new double[f];
            for (int p = 0; p < f; p++)
            {
                DistanceRow(p, kind, own, here);
                other.DistanceRow(otherPosition[p], kind, otherPosition, there);
                // Four comparisons to a vector and their bits straight into the row: one branch per pair, taken half the time at
                // random, had cost more than the distances.
                var bits = closer.AsSpan(p * words, words);
                int q = 0;
                for (; q <= f - 4; q += 4)
                    bits[q >> 6] |= (ulong)Vector256.LessThan(Vector256.Create(here.AsSpan(q)), Vector256.Create(there.AsSpan(q))).ExtractMostSignificantBits() << q;
                for (; q < f; q++) bits[q >> 6] |= (here[q] < there[q] ? 1UL : 0) << q;
                bits[p >> 6] &= ~(1UL << p);
            }
            closerThan[(other, kind)] = closer;
            return closer;
        }
    }

    /// <summary>Puts value into ascending values[0..count] (dropping what was at index count), keeping them ascending.</summary>
    private static void Insert(float[] values, int count, float value)
    {
        int i = count;
        for (; i > 0 && values[i - 1] > value; i--) values[i] = values[i - 1];
        values[i] = value;
    }
}
