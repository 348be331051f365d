using System.Text.Json.Nodes;
using System.Numerics.Tensors;
using RepDiff.Numerics;

namespace RepDiff.Metrics;

/// <summary>
/// BSR (docs/methods/METHODS.md §2): over every ordered pair (i, j), i ≠ j, inside a concept grid, how often the
/// explained representation E puts j closer to i than the other representation O does. 0.5 is
/// chance, 1 perfect. Works on the grids of any method's Explanation, which makes methods comparable.
/// Only the grid members' rows of distances are computed (exactly, in double), never an n×n matrix;
/// MNED additionally needs each representation's largest pairwise distance (one blocked pass).
/// </summary>
public static class Bsr
{
    private const int LocalScalingNeighbor = 7;

    public static double Score(Matrix explained, Matrix other, IReadOnlyList<int[]> grids, BsrDistance distance)
    {
        if (explained.Rows != other.Rows)
            throw new RepDiffInputException($"the representations have {explained.Rows} and {other.Rows} rows; BSR needs the same samples");
        CheckIndices(grids, explained.Rows);
        var members = grids.SelectMany(g => g).Distinct().ToArray();
        bool mned = distance == BsrDistance.Mned;
        var e = new MemberRows(explained, members, mned ? MaxDistance(explained) : 0);
        var o = new MemberRows(other, members, mned ? MaxDistance(other) : 0);
        return Score(e, o, grids, distance);
    }

    /// <summary>
    /// Fills e.Metrics["bsr"] (SILB), "bsr_mned" and "bsr_lsed" with one value per direction that
    /// explains "a" or "b" plus their "mean", and each concept's own SILB BSR (<see cref="Concept.Bsr"/>);
    /// concepts of rank ≥ 1 only (the null cluster is never a concept). MNED's normalizers come from
    /// <see cref="RepresentationPair.Statistics"/>, so they are computed once per pair.
    /// </summary>
    public static void Evaluate(Explanation e, RepresentationPair pair)
    {
        var scored = e.Directions.Where(d => d.Explains is "a" or "b")
            .Select(d => (Direction: d, Concepts: d.Concepts.Where(c => c.Rank >= 1 && c.Grid.Length >= 2).ToArray()))
            .Where(d => d.Concepts.Length > 0)
            .ToArray();
        if (scored.Length == 0) return;
        foreach (var d in scored) CheckIndices(d.Concepts.Select(c => c.Grid).ToArray(), pair.N);
        var members = scored.SelectMany(d => d.Concepts).SelectMany(c => c.Grid).Distinct().ToArray();
        var rowsA = new MemberRows(pair.A, members, pair.Statistics.MaxDistanceA);
        var rowsB = new MemberRows(pair.B, members, pair.Statistics.MaxDistanceB);
        foreach (var (key, kind) in new[] { ("bsr", BsrDistance.Silb), ("bsr_mned", BsrDistance.Mned), ("bsr_lsed", BsrDistance.Lsed) })
        {
            var values = new JsonObject();
            double sum = 0;
            foreach (var (direction, concepts) in scored)
            {
                bool a = direction.Explains == "a";
                var (explained, other) = a ? (rowsA, rowsB) : (rowsB, rowsA);
                double v = Score(explained, other, concepts.Select(c => c.Grid).ToArray(), kind);
                values[direction.Name] = v;
                sum += v;
                if (kind == BsrDistance.Silb)
                    foreach (var concept in concepts) concept.Bsr = Score(explained, other, [concept.Grid], kind);
            }
            values["mean"] = sum / scored.Length;
            e.Metrics[key] = values;
        }
    }

    private static double Score(MemberRows explained, MemberRows other, IReadOnlyList<int[]> grids, BsrDistance distance)
    {
        long successes = 0, pairs = 0;
        foreach (var grid in grids)
            for (int p = 0; p < grid.Length; p++)
                for (int q = 0; q < grid.Length; q++)
                {
                    if (p == q) continue;
                    pairs++;
                    if (explained.Distance(grid[p], grid[q], distance) < other.Distance(grid[p], grid[q], distance)) successes++;
                }
        return pairs == 0 ? double.NaN : (double)successes / pairs;
    }

    /// <summary>
    /// One representation's exact (double) squared distances from each grid member to every sample:
    /// all three BSR distances between members follow from these rows (and, for MNED, the largest distance).
    /// </summary>
    private sealed class MemberRows
    {
        private readonly Dictionary<int, double[]> rows = [];
        private readonly Dictionary<int, double> localScale = [];
        private readonly double max;

        public MemberRows(Matrix x, int[] members, double maxDistance)
        {
            max = maxDistance;
            int n = x.Rows, d = x.Cols, s = Math.Min(LocalScalingNeighbor, n - 1);
            var wide = new double[x.Data.Length];
            TensorPrimitives.ConvertChecked<float, double>(x.Data, wide);
            var computed = new double[members.Length][];
            var scales = new double[members.Length];
            Parallel.For(0, members.Length, p =>
            {
                computed[p] = SquaredDistancesFrom(wide, n, d, members[p]);
                scales[p] = Math.Sqrt(NeighbourSquaredDistance(computed[p], members[p], s));
            });
            for (int p = 0; p < members.Length; p++)
            {
                rows[members[p]] = computed[p];
                localScale[members[p]] = scales[p];
            }
        }

        public double Distance(int i, int j, BsrDistance kind)
        {
            var row = rows[i];
            return kind switch
            {
                BsrDistance.Silb => Rank(row, i, j) + 1,
                BsrDistance.Mned => max > 0 ? Math.Sqrt(row[j]) / max : 0,
                _ => row[j] / (localScale[i] * localScale[j]),
            };
        }
    }

    /// <summary>Position of j in row i sorted ascending: self at 0, ties by index.</summary>
    private static int Rank(double[] row, int i, int j)
    {
        if (i == j) return 0;
        double v = row[j];
        int rank = 1;
        for (int l = 0; l < row.Length; l++)
            if (l != i && l != j && (row[l] < v || (row[l] == v && l < j))) rank++;
        return rank;
    }

    /// <summary>Exact squared distances from row i to every row, in double (SIMD over a double copy of x).</summary>
    private static double[] SquaredDistancesFrom(double[] x, int n, int d, int i)
    {
        var xi = x.AsSpan(i * d, d);
        var diff = new double[d];
        var row = new double[n];
        for (int l = 0; l < n; l++)
        {
            TensorPrimitives.Subtract(x.AsSpan(l * d, d), xi, diff);
            row[l] = TensorPrimitives.SumOfSquares<double>(diff);
        }
        row[i] = 0;
        return row;
    }

    /// <summary>Squared distance from i to its s-th nearest neighbour (self at index 0).</summary>
    private static double NeighbourSquaredDistance(double[] row, int i, int s)
    {
        var copy = (double[])row.Clone();
        copy[i] = double.NegativeInfinity;
        Array.Sort(copy);
        return copy[s];
    }

    /// <summary>The largest Euclidean distance between two rows over all pairs (one blocked pass, never n×n).</summary>
    internal static double MaxDistance(Matrix x)
    {
        var blocks = new SquaredDistanceBlocks(x);
        int block = SquaredDistanceBlocks.BlockRows(x.Rows, 4 << 20);
        for (int first = 0; first < x.Rows; first += block) blocks.Compute(first, Math.Min(block, x.Rows - first));
        return blocks.FarthestDistance;
    }

    private static void CheckIndices(IReadOnlyList<int[]> grids, int n)
    {
        foreach (var grid in grids)
            foreach (int i in grid)
                if (i < 0 || i >= n)
                    throw new RepDiffInputException($"a concept grid refers to sample {i}, but the representations have {n} rows (is this the results.json of another pair?)");
    }
}
