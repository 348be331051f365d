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

    /// <summary>
    /// LSED, D² / (s_i s_j). A sample with 7 or more exact copies has s = 0: a copy of it (D = 0) is as close as any
    /// sample can be, so 0, not the 0/0 = NaN that no comparison counts as closer (RDX's top concept, one point in the
    /// model that explains it, had scored 0). Any other sample is then infinitely far, as the formula has it.
    /// </summary>
    internal static double LocalScaled(double squared, double scaleI, double scaleJ) => squared == 0 ? 0 : squared / (scaleI * scaleJ);

    public static double Score(Matrix explained, Matrix other, IReadOnlyList<int[]> grids, BsrDistance distance)
    {
        if (explained.Rows != other.Rows)
            throw new RepDiffInputException($"the representations have {explained.Rows} and {other.Rows} rows; BSR needs the same samples");
        CheckIndices(grids, explained.Rows);
        var members = grids.SelectMany(g => g).Distinct().ToArray();
        bool mned = distance == BsrDistance.Mned;
        var e = new MemberRows(explained, members, grids, mned ? MaxDistance(explained) : 0);
        var o = new MemberRows(other, members, grids, mned ? MaxDistance(other) : 0);
        return Count(e, o, grids, distance).Ratio;
    }

    /// <summary>
    /// Fills e.Metrics["bsr"] (SILB), "bsr_mned" and "bsr_lsed" with one value per direction that
    /// explains "a" or "b" plus their "mean", and each concept's own SILB BSR (<see cref="Concept.Bsr"/>);
    /// concepts of rank ≥ 1 only (the null cluster is never a concept). MNED's normalizers come from
    /// <see cref="RepresentationPair.Statistics"/>, so they are computed once per pair, and so do the counts of a grid
    /// already scored among the same members (<see cref="Tallies"/>): `groups` scores each group to rank them, and the
    /// scoring every run gets then reads those counts instead of passing over both representations again.
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
        // The largest distances first: finding them may load A and B, whose rows are then read from memory, not decoded again.
        double? maxDistanceA = pair.Statistics.MaxDistanceA, maxDistanceB = pair.Statistics.MaxDistanceB;
        var tallies = pair.Statistics.BsrTallies(members, maxDistanceA, maxDistanceB);
        var unscored = scored.SelectMany(d => d.Concepts.Select(c => (ExplainsA: d.Direction.Explains == "a", c.Grid)))
            .Where(g => !tallies.Has(g.ExplainsA, g.Grid)).ToArray();
        if (unscored.Length > 0)
        {
            var grids = unscored.Select(g => g.Grid).ToArray();
            var rowsA = new MemberRows(pair.RowsA, members, grids, maxDistanceA);
            var rowsB = new MemberRows(pair.RowsB, members, grids, maxDistanceB);
            foreach (var (explainsA, grid) in unscored)
            {
                var (explained, other) = explainsA ? (rowsA, rowsB) : (rowsB, rowsA);
                tallies.Add(explainsA, grid, Kinds.Select(kind => Count(explained, other, [grid], kind.Distance)).ToArray());
            }
        }
        for (int k = 0; k < Kinds.Length; k++)
        {
            var values = new JsonObject();
            double sum = 0;
            foreach (var (direction, concepts) in scored)
            {
                bool a = direction.Explains == "a";
                // A direction's BSR over all its grids' pairs: the sum of its concepts' counts, as one pass over them counted.
                var counts = concepts.Select(c => tallies.Of(a, c.Grid)[k]).ToArray();
                double v = new Tally(counts.Sum(t => t.Successes), counts.Sum(t => t.Pairs)).Ratio;
                values[direction.Name] = v;
                sum += v;
                if (Kinds[k].Distance == BsrDistance.Silb)
                    foreach (var (concept, count) in concepts.Zip(counts)) concept.Bsr = count.Ratio;
            }
            values["mean"] = sum / scored.Length;
            e.Metrics[Kinds[k].Key] = values;
        }
        e.Metrics["bsr_mned_normalizer"] = pair.Statistics.MaxDistanceA is null || pair.Statistics.MaxDistanceB is null
            ? "largest distance from a grid member (n above the all-pairs limit)"
            : pair.Statistics.MaxDistancesExact ? ExactNormalizer
            : "largest distance found from 1,024 seeded rows and farthest-first steps (a lower bound of the largest over all pairs)";
    }

    private static readonly (string Key, BsrDistance Distance)[] Kinds = [("bsr", BsrDistance.Silb), ("bsr_mned", BsrDistance.Mned), ("bsr_lsed", BsrDistance.Lsed)];

    /// <summary>Of a grid's ordered pairs, how many the explained representation puts nearer than the other does.</summary>
    internal readonly record struct Tally(long Successes, long Pairs)
    {
        public double Ratio => Pairs == 0 ? double.NaN : (double)Successes / Pairs;
    }

    /// <summary>
    /// The counts of the grids scored on one pair among one set of members, with the same MNED normalizers: what a grid's
    /// counts depend on (a rank and a local scale are over all n rows; the normalizer, without the pair's, is the members'
    /// largest distance), so a later scoring among the same members reads them (<see cref="PairStatistics.BsrTallies"/>).
    /// </summary>
    internal sealed class Tallies(int[] members, double? maxDistanceA, double? maxDistanceB)
    {
        private readonly int[] sortedMembers = members.Order().ToArray();
        private readonly Dictionary<(bool ExplainsA, string Grid), Tally[]> counts = [];

        public bool Among(int[] others, double? othersMaxA, double? othersMaxB)
            => othersMaxA == maxDistanceA && othersMaxB == maxDistanceB && others.Order().SequenceEqual(sortedMembers);

        public bool Has(bool explainsA, int[] grid) => counts.ContainsKey((explainsA, Key(grid)));
        public Tally[] Of(bool explainsA, int[] grid) => counts[(explainsA, Key(grid))];
        public void Add(bool explainsA, int[] grid, Tally[] tally) => counts[(explainsA, Key(grid))] = tally;

        private static string Key(int[] grid) => string.Join(',', grid);
    }

    private static Tally Count(MemberRows explained, MemberRows other, IReadOnlyList<int[]> grids, BsrDistance distance)
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
        return new Tally(successes, pairs);
    }

    /// <summary>
    /// What BSR needs of one representation about the grid members, from one streamed pass over its rows
    /// (O(n·m·d) time, O(m² + batch·d) memory; never n×n, never all rows at once): the exact (double)
    /// squared distances between members, each member's SILB rank of each grid-mate (how many samples are
    /// closer; a sample at the same distance is not), and its local scale (distance to its 7th nearest neighbour).
    /// </summary>
    /// <remarks>
    /// Every sample's distance to every member is first estimated by one float GEMM per batch, with a proven
    /// bound on its error. Only where that interval could change a decision (a grid-mate's distance inside it,
    /// a nearest-neighbour candidate, a new farthest sample) is the exact double distance computed; elsewhere
    /// the interval decides alike, so ranks, scales and the farthest distance equal the all-exact pass bit for bit.
    /// </remarks>
    private sealed class MemberRows
    {
        private readonly Dictionary<int, int> position = [];
        private readonly double[] between;   // m × m squared distances
        private readonly Dictionary<(int, int), int> ranks = [];
        private readonly double[] localScale;
        private readonly double max;
        private readonly int m;

        /// <param name="maxDistance">MNED's normalizer; null: the largest distance from a member to any sample (the grids' own rows).</param>
        public MemberRows(IRowSource x, int[] members, IReadOnlyList<int[]> grids, double? maxDistance)
        {
            m = members.Length;
            for (int p = 0; p < m; p++) position[members[p]] = p;
            int n = x.Rows, d = x.Cols, s = Math.Min(LocalScalingNeighbor, n - 1);
            var memberMatrix = x.SelectRows(members);
            var memberRows = Widen(memberMatrix);
            between = new double[m * m];
            Parallel.For(0, m, p =>
            {
                for (int q = 0; q < m; q++) between[p * m + q] = p == q ? 0 : SquaredDistance(memberRows, p, memberRows, q, d);
            });
            // Each member's grid-mates, whose rank in the member's row SILB needs, and their distances from it.
            var mates = new HashSet<int>[m];
            for (int p = 0; p < m; p++) mates[p] = [];
            foreach (var grid in grids)
                foreach (int i in grid)
                    foreach (int j in grid)
                        if (i != j) mates[position[i]].Add(j);
            var mateList = mates.Select(set => set.Order().ToArray()).ToArray();
            var targets = mateList.Select((list, p) => list.Select(j => between[p * m + position[j]]).ToArray()).ToArray();
            var sortedTargets = targets.Select(t => t.Order().ToArray()).ToArray();
            var closer = mateList.Select(list => new long[list.Length]).ToArray();
            // Samples certainly closer than exactly the sorted targets from index i on, counted at i (prefix sums later).
            var certainCloser = mateList.Select(list => new long[list.Length + 1]).ToArray();
            var nearest = Enumerable.Range(0, m).Select(_ => new PriorityQueue<double, double>()).ToArray();  // the s smallest, largest first
            var farthest = new double[m];

            var centre = KMeans.ColumnMeans(memberMatrix);
            var centredMembers = new Matrix(m, d);
            Centre(memberMatrix, centre, centredMembers);
            var memberNorms = Enumerable.Range(0, m).Select(p => SquaredNorm(centredMembers.Row(p))).ToArray();
            int batch = Math.Clamp((1 << 21) / Math.Max(d, 1), 1, Math.Max(n, 1));
            // One set of buffers for every batch, the last and shorter one included: fresh ones for it had been 17 MB of
            // pages for the kernel to clear at n = 10,000.
            var block = new Matrix(Math.Min(batch, n), d);
            var centred = new Matrix(block.Rows, d);
            // Members by rows, so that each member's pass over a batch reads its dots in a row: by columns (rows × members) every
            // read had been a cache line of its own (at n = 10,000 a 6 MB matrix read down its 180 columns). The GEMM sums each
            // product in the same order either way, and the decisions are exact whatever the estimate's rounding.
            var dots = new Matrix(m, block.Rows);
            var batchNorms = new double[batch];
            var batchLengths = new double[batch];
            var memberLengths = memberNorms.Select(Math.Sqrt).ToArray();
            for (int first = 0; first < n; first += batch)
            {
                int count = Math.Min(batch, n - first);
                x.ReadRows(first, count, block.Data.AsSpan(0, count * d));
                Gemm.ParallelFor(count, Environment.ProcessorCount, k =>
                {
                    TensorPrimitives.Subtract(block.Row(k), centre, centred.Row(k));
                    batchLengths[k] = Math.Sqrt(batchNorms[k] = SquaredNorm(centred.Row(k)));
                });
                Gemm.Compute(m, count, d, 1f, centredMembers.Data, 0, d, false, centred.Data, 0, d, true, 0f, dots.Data, 0, block.Rows);
                Parallel.For(0, m, p =>
                {
                    int self = members[p];
                    var list = mateList[p];
                    var mateTargets = targets[p];
                    var sorted = sortedTargets[p];
                    var heap = nearest[p];
                    var memberDots = dots.Row(p);
                    double memberNorm = memberNorms[p], memberLength = memberLengths[p], far = farthest[p];
                    // The s-th nearest distance so far once s are known (the heap's top), which a decided sample must not beat.
                    bool full = s == 0 || heap.Count == s;
                    double nearBound = s > 0 && full ? heap.Peek() : double.NegativeInfinity;
                    for (int k = 0; k < count; k++)
                    {
                        int l = first + k;
                        if (l == self) continue;
                        double slack = EstimateError(batchNorms[k], batchLengths[k], memberNorm, memberLength, d);
                        double estimate = batchNorms[k] + memberNorm - 2.0 * memberDots[k];
                        double low = estimate - slack, high = estimate + slack;
                        int above = LowerBound(sorted, low);
                        bool decided = high <= far && (above == sorted.Length || sorted[above] > high)
                            && (s == 0 || full && low >= nearBound);
                        if (decided)
                        {
                            certainCloser[p][above]++;
                            continue;
                        }
                        double v = SquaredDistance(block.Row(k), memberRows, p);
                        if (v > far) far = v;
                        if (heap.Count < s) heap.Enqueue(v, -v);
                        else if (s > 0 && v < heap.Peek()) heap.EnqueueDequeue(v, -v);
                        if (s > 0 && (full = heap.Count == s)) nearBound = heap.Peek();
                        for (int t = 0; t < list.Length; t++)
                        {
                            int j = list[t];
                            double target = mateTargets[t];
                            // A tie is not closer (as FocusRows counts it for the chance levels): a tie-break by index
                            // made BSR depend on the order of the rows and read it as structure.
                            if (l != j && v < target) closer[p][t]++;
                        }
                    }
                    farthest[p] = far;
                });
            }
            for (int p = 0; p < m; p++)
            {
                // A sample counted at sorted index i is closer than every target from i on: add the prefix sums back
                // to the mates, whose targets are the sorted values in some order (equal targets get equal counts).
                var sorted = sortedTargets[p];
                var cumulative = new long[sorted.Length];
                long running = 0;
                for (int i = 0; i < sorted.Length; i++) cumulative[i] = running += certainCloser[p][i];
                for (int t = 0; t < mateList[p].Length; t++)
                {
                    int i = Array.LastIndexOf(sorted, targets[p][t]);
                    ranks[(members[p], mateList[p][t])] = (int)(closer[p][t] + cumulative[i]) + 1;
                }
            }
            localScale = nearest.Select(heap => s == 0 ? 0 : Math.Sqrt(heap.Peek())).ToArray();
            max = maxDistance ?? Math.Sqrt(farthest.DefaultIfEmpty(0).Max());
        }

        /// <summary>
        /// A bound on |estimate − exact| for rows whose centred float copies have squared norms a and b (lengths na = √a and
        /// nb = √b, taken once per row): the float dot product's error (d + 2 roundings of |x|·|y|, Cauchy–Schwarz), the
        /// rounding of the centring (one per value), the double arithmetic of both sides, doubled for safety, plus float underflow.
        /// </summary>
        private static double EstimateError(double a, double na, double b, double nb, int d)
        {
            const double unit = 1.0 / (1 << 24);
            return 2 * (2 * (d + 2) * unit * na * nb + 3 * unit * (na + nb) * (na + nb) + 1e-12 * (a + b)) + 1e-30;
        }

        /// <summary>Index of the first value ≥ <paramref name="value"/> in ascending values.</summary>
        private static int LowerBound(double[] sorted, double value)
        {
            int i = 0;
            while (i < sorted.Length && sorted[i] < value) i++;
            return i;
        }

        private static void Centre(Matrix x, float[] centre, Matrix destination)
        {
            for (int i = 0; i < x.Rows; i++) TensorPrimitives.Subtract(x.Row(i), centre, destination.Row(i));
        }

        /// <summary>Σ x² accumulated in double (only bounds the estimate's error, so its own rounding is covered there).</summary>
        private static double SquaredNorm(ReadOnlySpan<float> x)
        {
            double sum = 0;
            foreach (float v in x) sum += (double)v * v;
            return sum;
        }

        public double Distance(int i, int j, BsrDistance kind)
        {
            int p = position[i], q = position[j];
            double squared = between[p * m + q];
            return kind switch
            {
                BsrDistance.Silb => (i == j ? 0 : ranks[(i, j)]) + 1,
                BsrDistance.Mned => max > 0 ? Math.Sqrt(squared) / max : 0,
                _ => LocalScaled(squared, localScale[p], localScale[q]),
            };
        }

        private static double[] Widen(Matrix x)
        {
            var wide = new double[x.Data.Length];
            TensorPrimitives.ConvertChecked<float, double>(x.Data, wide);
            return wide;
        }

        [ThreadStatic] private static double[]? difference;
        [ThreadStatic] private static double[]? wideRow;

        /// <summary>The same exact distance for a float row, widened first (only where the estimate cannot decide).</summary>
        private static double SquaredDistance(ReadOnlySpan<float> x, double[] y, int b)
        {
            if (wideRow is null || wideRow.Length < x.Length) wideRow = new double[x.Length];
            TensorPrimitives.ConvertChecked<float, double>(x, wideRow);
            return SquaredDistance(wideRow, 0, y, b, x.Length);
        }

        /// <summary>Exact squared distance between row a of x and row b of y, in double.</summary>
        private static double SquaredDistance(double[] x, int a, double[] y, int b, int d)
        {
            if (difference is null || difference.Length < d) difference = new double[d];
            var diff = difference.AsSpan(0, d);
            TensorPrimitives.Subtract(x.AsSpan(a * d, d), y.AsSpan(b * d, d), diff);
            return TensorPrimitives.SumOfSquares<double>(diff);
        }
    }

    /// <summary>What <c>bsr_mned_normalizer</c> says when MNED divided by each model's largest distance over all pairs.</summary>
    public const string ExactNormalizer = "largest distance over all pairs";

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
