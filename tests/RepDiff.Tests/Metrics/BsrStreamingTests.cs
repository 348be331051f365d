using System.Numerics.Tensors;
using RepDiff.IO;
using RepDiff.Metrics;
using RepDiff.Numerics;

namespace RepDiff.Tests.Metrics;

/// <summary>
/// BSR's streamed pass (float estimates, exact distances only where they could decide) and the chance
/// levels' focus rows (one counting pass per row instead of a sort) give exactly what the definitions give,
/// computed here the slow way, on data made to hit ties, duplicate rows and a large common offset.
/// </summary>
public class BsrStreamingTests
{
    private const int Rows = 9000;   // more than one of BSR's row batches at 512 columns
    private const int Cols = 512;

    /// <summary>Values far from 0 (the float estimate's hard case), with exact duplicates of grid members.</summary>
    private static Matrix Offset(int seed, int[] duplicated)
    {
        var rng = new Random(seed);
        var x = new Matrix(Rows, Cols);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = 50 + (float)rng.NextDouble();
        foreach (int i in duplicated) x.Row(i).CopyTo(x.Row(Rows - 1 - i));
        return x;
    }

    /// <summary>Small integers: many rows at exactly equal distances (a tie is not closer).</summary>
    private static Matrix Coarse(int seed)
    {
        var rng = new Random(seed);
        var x = new Matrix(Rows, Cols);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = rng.Next(2);
        return x;
    }

    private static readonly int[][] Grids = [[3, 17, 40, 4100, 8200, 8999], [17, 500, 501, 4095, 4096, 7000, 1]];

    public static TheoryData<string> Cases => ["offset", "coarse"];

    private static (Matrix E, Matrix O) Pair(string name) => name == "offset"
        ? (Offset(1, [3, 500]), Offset(2, [17, 4096]))
        : (Coarse(1), Coarse(2));

    [Theory]
    [MemberData(nameof(Cases))]
    public void StreamedScoreEqualsTheDefinition(string name)
    {
        var (e, o) = Pair(name);
        foreach (var kind in new[] { BsrDistance.Silb, BsrDistance.Lsed })
        {
            Assert.Equal(Reference(e, o, Grids, kind), Bsr.Score(e, o, Grids, kind));
            Assert.Equal(Reference(o, e, Grids, kind), Bsr.Score(o, e, Grids, kind));
        }
    }

    [Fact]
    public void MappedFilesScoreAsMatricesInMemory()
    {
        var (e, o) = Pair("offset");
        string dir = TestData.TempDir();
        Npy.Write(Path.Combine(dir, "a.npy"), e);
        Npy.Write(Path.Combine(dir, "b.npy"), o);
        var inMemory = Explain();
        var mapped = Explain();
        Bsr.Evaluate(inMemory, new RepresentationPair(e, o));
        using (var pair = new PairSpec(Path.Combine(dir, "a.npy"), Path.Combine(dir, "b.npy")).Open())
            Bsr.Evaluate(mapped, pair);
        foreach (string key in new[] { "bsr", "bsr_mned", "bsr_lsed" })
            Assert.Equal(inMemory.Metrics[key]!.ToJsonString(), mapped.Metrics[key]!.ToJsonString());
        Assert.Equal(inMemory.Directions.SelectMany(d => d.Concepts).Select(c => c.Bsr), mapped.Directions.SelectMany(d => d.Concepts).Select(c => c.Bsr));
        Directory.Delete(dir, true);
    }

    private static Explanation Explain() => new()
    {
        Method = "any",
        N = Rows,
        Directions =
        [
            new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = [new Concept { Rank = 1, Grid = Grids[0], Members = Grids[0] }] },
            new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts = [new Concept { Rank = 1, Grid = Grids[1], Members = Grids[1] }] },
        ],
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FocusRowsRankAsSortedRowsDo(string name)
    {
        var (e, o) = Pair(name);
        var focus = Sampling.Uniform(Rows, 40, 5);
        var focusE = new FocusRows(e, focus, null);
        var focusO = new FocusRows(o, focus, null);
        var sortedE = new SortedFocus(e, focus);
        var sortedO = new SortedFocus(o, focus);
        var rng = new Random(9);
        for (int draw = 0; draw < 20; draw++)
        {
            int[][] groups = [BsrChance.RandomGroup(focus, 9, rng), BsrChance.RandomGroup(focus, 5, rng)];
            foreach (var kind in new[] { BsrDistance.Silb, BsrDistance.Mned, BsrDistance.Lsed })
                Assert.Equal(sortedE.Score(sortedO, groups, kind), FocusRows.Score(focusE, focusO, groups, kind));
        }
    }

    /// <summary>
    /// The closer-than bits compare four pairs at a time and look each sample up in the other representation's focus: 70
    /// focus samples fill two words of bits and leave two pairs a row to the one-by-one tail, and the other side holds
    /// them in the reverse order.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void FocusRowsScoreAlikeWithTheOtherFocusInAnotherOrder(string name)
    {
        var (e, o) = Pair(name);
        var focus = Sampling.Uniform(Rows, 70, 6);
        var reversed = focus.Reverse().ToArray();
        var (focusE, focusO) = (new FocusRows(e, focus, null), new FocusRows(o, reversed, null));
        var (sortedE, sortedO) = (new SortedFocus(e, focus), new SortedFocus(o, reversed));
        var rng = new Random(10);
        for (int draw = 0; draw < 20; draw++)
        {
            int[][] groups = [BsrChance.RandomGroup(focus, 30, rng), BsrChance.RandomGroup(focus, 7, rng)];
            foreach (var kind in new[] { BsrDistance.Silb, BsrDistance.Mned, BsrDistance.Lsed })
            {
                Assert.Equal(sortedE.Score(sortedO, groups, kind), FocusRows.Score(focusE, focusO, groups, kind));
                Assert.Equal(sortedO.Score(sortedE, groups, kind), FocusRows.Score(focusO, focusE, groups, kind));
            }
        }
    }

    /// <summary>
    /// The focus rows hold their F×n distances in one matrix and read the input a block at a time into one buffer, centred
    /// in place: rows of their own, a distance block copied into them and a centred copy of each block had doubled it, and
    /// on fresh pages the kernel's clearing took most of the chance levels' time.
    /// </summary>
    [Fact]
    public void FocusRowsAllocateTheirDistancesAndTheInputOnce()
    {
        var (e, _) = Pair("offset");
        var focus = Sampling.Uniform(Rows, 40, 5);
        _ = new FocusRows(e, focus, null);
        long before = GC.GetAllocatedBytesForCurrentThread();
        _ = new FocusRows(e, focus, null);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long needed = ((long)focus.Length * Rows + (long)Rows * Cols) * sizeof(float);
        Assert.True(allocated < needed + (1 << 20), $"{allocated} bytes allocated for {needed} bytes of distances and input");
    }

    /// <summary>BSR's pass keeps one set of batch buffers for every batch, the shorter last one too (9,000 rows: 4,096, 4,096, 808).</summary>
    [Fact]
    public void BsrReadsEveryBatchIntoTheSameBuffers()
    {
        var (e, o) = Pair("offset");
        Bsr.Score(e, o, Grids, BsrDistance.Silb);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Bsr.Score(e, o, Grids, BsrDistance.Silb);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        int batch = (1 << 21) / Cols, members = Grids.SelectMany(g => g).Distinct().Count();
        // Per representation: a batch of rows, the same centred, and their products with the members.
        long buffers = 2 * (2L * batch * Cols + (long)batch * members) * sizeof(float);
        Assert.True(allocated < buffers + (1 << 20), $"{allocated} bytes allocated for {buffers} bytes of batch buffers");
    }

    /// <summary>BSR by its definition: every member's exact distance to every sample, ranks counted one by one.</summary>
    private static double Reference(Matrix explained, Matrix other, int[][] grids, BsrDistance kind)
    {
        var members = grids.SelectMany(g => g).Distinct().ToArray();
        var fromE = ExactRows(explained, members);
        var fromO = ExactRows(other, members);
        long successes = 0, pairs = 0;
        foreach (var grid in grids)
            foreach (int i in grid)
                foreach (int j in grid)
                {
                    if (i == j) continue;
                    pairs++;
                    if (Distance(fromE, i, j, kind) < Distance(fromO, i, j, kind)) successes++;
                }
        return (double)successes / pairs;
    }

    private static double Distance(Dictionary<int, double[]> from, int i, int j, BsrDistance kind)
    {
        var fromI = from[i];
        if (kind == BsrDistance.Silb)
            return Enumerable.Range(0, fromI.Length).Count(l => l != i && l != j && fromI[l] < fromI[j]) + 2;
        return fromI[j] / (LocalScale(fromI, i) * LocalScale(from[j], j));
    }

    /// <summary>Distance to the 7th nearest other sample.</summary>
    private static double LocalScale(double[] fromI, int i) => Math.Sqrt(fromI.Where((_, l) => l != i).Order().ElementAt(6));

    /// <summary>Each member's exact (double) squared distance to every sample.</summary>
    private static Dictionary<int, double[]> ExactRows(Matrix x, int[] members)
    {
        var wide = new double[x.Data.Length];
        TensorPrimitives.ConvertChecked<float, double>(x.Data, wide);
        var diff = new double[x.Cols];
        return members.ToDictionary(i => i, i => Enumerable.Range(0, x.Rows).Select(l =>
        {
            TensorPrimitives.Subtract(wide.AsSpan(l * x.Cols, x.Cols), wide.AsSpan(i * x.Cols, x.Cols), diff);
            return TensorPrimitives.SumOfSquares<double>(diff);
        }).ToArray());
    }

    /// <summary>The focus rows' figures from fully sorted distance rows, as the definitions read.</summary>
    private sealed class SortedFocus
    {
        private readonly Dictionary<int, int> position = [];
        private readonly float[][] rows;
        private readonly float[][] sorted;
        private readonly int[] focus;
        private readonly double max;

        public SortedFocus(Matrix x, int[] focus)
        {
            this.focus = focus;
            for (int p = 0; p < focus.Length; p++) position[focus[p]] = p;
            var d = Distances.SquaredEuclidean(x.SelectRows(focus), x);
            rows = Enumerable.Range(0, focus.Length).Select(p => { var r = d.Row(p).ToArray(); r[focus[p]] = 0; return r; }).ToArray();
            sorted = rows.Select(r => r.Order().ToArray()).ToArray();
            max = Math.Sqrt(sorted.Max(s => s[^1]));
        }

        private double Value(int i, int j, BsrDistance kind)
        {
            int p = position[i];
            float target = rows[p][j];
            return kind switch
            {
                BsrDistance.Silb => sorted[p].Count(v => v < target) - (target > 0 ? 1 : 0) + 2,
                BsrDistance.Mned => Math.Sqrt(target) / max,
                _ => target / (Math.Sqrt(sorted[p][7]) * Math.Sqrt(sorted[position[j]][7])),
            };
        }

        public double Score(SortedFocus other, int[][] groups, BsrDistance kind)
        {
            long successes = 0, pairs = 0;
            foreach (var g in groups)
                foreach (int i in g)
                    foreach (int j in g)
                    {
                        if (i == j) continue;
                        pairs++;
                        if (Value(i, j, kind) < other.Value(i, j, kind)) successes++;
                    }
            return (double)successes / pairs;
        }
    }
}
