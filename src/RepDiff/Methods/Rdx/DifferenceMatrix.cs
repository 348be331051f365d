using RepDiff.Numerics;
using System.Collections.Concurrent;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using RepDiff.Metrics;

namespace RepDiff.Methods.Rdx;

/// <summary>
/// The difference matrix G of docs/methods/METHODS.md §1.1–1.2 for direction more_similar_in_b (G for
/// more_similar_in_a is −G). Built row block by row block: each block's distances in A and B are
/// turned into comparable-scale rows (ranks, max-normalized or local-scaling) and combined at once,
/// so neither distance nor rank matrix is ever held whole; the only n×n array is G itself (float32).
/// </summary>
internal static class DifferenceMatrix
{
    /// <summary>G for the pair (a, b), into the given n×n matrix when one is passed (to reuse its memory).</summary>
    /// <param name="farthest">The largest distance of a and of b, found on the way (for BSR's MNED).</param>
    /// <param name="orders">With the neighbourhood distance, filled with every row's neighbour order in a and in b (n×n each,
    /// as <see cref="NeighbourOrders"/> gives them), which the ranks are read from anyway.</param>
    public static Matrix Compute(Matrix a, Matrix b, RdxOptions options, int[]? guide, IProgress<ProgressUpdate>? progress,
        out (double A, double B) farthest, Matrix? into = null, (int[] A, int[] B)? orders = null)
    {
        int n = a.Rows;
        var scaleA = RowScale.Prepare(a, options.Distance, guide, progress, "distances (A)");
        var scaleB = RowScale.Prepare(b, options.Distance, guide, progress, "distances (B)");
        var g = into ?? new Matrix(n, n);
        float gamma = (float)(options.Gamma ?? RdxOptions.DefaultGamma(n));
        bool locallyBiased = options.Difference == RdxDifference.LocallyBiased;
        var pool = new ConcurrentBag<RowScratch>();   // per-worker row buffers, reused across blocks
        string stage = options.Distance == RdxDistance.Neighborhood ? "distances and ranks" : "distances";

        int block = RowScale.BlockRows(n);
        for (int first = 0; first < n; first += block)
        {
            int count = Math.Min(block, n - first);
            var distA = scaleA.SquaredDistances(first, count);
            var distB = scaleB.SquaredDistances(first, count);
            Parallel.For(0, count, () => pool.TryTake(out var s) ? s : new RowScratch(n), (r, _, scratch) =>
            {
                int i = first + r;
                var na = scratch.A;
                var nb = scratch.B;
                scaleA.ComparableRow(i, distA.Row(r), na, scratch, orders is { } keptA ? keptA.A.AsSpan(i * n, n) : default);
                scaleB.ComparableRow(i, distB.Row(r), nb, scratch, orders is { } keptB ? keptB.B.AsSpan(i * n, n) : default);
                Combine(na, nb, g.Row(i), gamma, locallyBiased);
                return scratch;
            }, pool.Add);
            progress.Report(stage, (double)(first + count) / n);
        }

        farthest = (scaleA.FarthestDistance, scaleB.FarthestDistance);
        if (!locallyBiased && options.NormalizeDifference) Normalize(g);
        return g;
    }

    /// <summary>
    /// Every row's neighbours in ascending distance (self first, ties by index), n×n row-major: what the
    /// neighbourhood ranks of any subset of the rows are read from (<see cref="FromOrders"/>).
    /// </summary>
    public static int[] NeighbourOrders(Matrix x, int[]? guide, IProgress<ProgressUpdate>? progress, string stage)
    {
        int n = x.Rows;
        var scale = RowScale.Prepare(x, RdxDistance.Neighborhood, guide, progress, stage);
        var orders = new int[(long)n * n];
        var pool = new ConcurrentBag<RowScratch>();
        int block = RowScale.BlockRows(n);
        for (int first = 0; first < n; first += block)
        {
            int count = Math.Min(block, n - first);
            var dist = scale.SquaredDistances(first, count);
            Parallel.For(0, count, () => pool.TryTake(out var s) ? s : new RowScratch(n), (r, _, scratch) =>
            {
                int i = first + r;
                RowScale.RowOrder(i, dist.Row(r), scratch).AsSpan(0, n).CopyTo(orders.AsSpan(i * n, n));
                return scratch;
            }, pool.Add);
            progress.Report(stage, (double)(first + count) / n);
        }
        return orders;
    }

    /// <summary>
    /// G of the given rows (ascending) of a pair with the neighbourhood distance, from the full pair's neighbour orders:
    /// walking row i's full order and counting only kept rows gives exactly the ranks within the subset, with no
    /// distance or sort (docs/methods/METHODS.md §7: reruns share the full run's ranks).
    /// </summary>
    public static Matrix FromOrders(int[] ordersA, int[] ordersB, int n, int[] rows, RdxOptions options)
    {
        int m = rows.Length;
        var position = new int[n];
        Array.Fill(position, -1);
        for (int p = 0; p < m; p++) position[rows[p]] = p;
        var g = new Matrix(m, m);
        float gamma = (float)(options.Gamma ?? RdxOptions.DefaultGamma(m));
        bool locallyBiased = options.Difference == RdxDifference.LocallyBiased;
        Parallel.For(0, m, () => (new float[m], new float[m]), (p, _, scratch) =>
        {
            var (na, nb) = scratch;
            int i = rows[p];
            SubsetRanks(ordersA.AsSpan(i * n, n), position, na);
            SubsetRanks(ordersB.AsSpan(i * n, n), position, nb);
            Combine(na, nb, g.Row(p), gamma, locallyBiased);
            return scratch;
        }, _ => { });
        if (!locallyBiased && options.NormalizeDifference) Normalize(g);
        return g;
    }

    private static void SubsetRanks(ReadOnlySpan<int> order, int[] position, Span<float> dest)
    {
        int rank = 0;
        foreach (int j in order)
            if (position[j] is int q and >= 0) dest[q] = rank++;
    }

    /// <summary>row = N_B − N_A, or tanh(gamma (N_B − N_A) / (min(N_A, N_B) + 1)) when locally biased; na is overwritten.</summary>
    private static void Combine(Span<float> na, ReadOnlySpan<float> nb, Span<float> row, float gamma, bool locallyBiased)
    {
        TensorPrimitives.Subtract(nb, na, row);
        if (!locallyBiased) return;
        TensorPrimitives.Min(na, nb, na);
        TensorPrimitives.Add(na, 1f, na);
        TensorPrimitives.Divide(row, na, row);
        TensorPrimitives.Multiply(row, gamma, row);
        TensorPrimitives.Tanh(row, row);
    }

    private static void Normalize(Matrix g)
    {
        // MaxMagnitude returns the entry itself, sign included: a negative extreme left G unnormalized.
        float max = MathF.Abs(TensorPrimitives.MaxMagnitude(g.Data));
        if (max > 0) TensorPrimitives.Divide(g.Data, max, g.Data);
    }

    /// <summary>Per-thread buffers for one row: comparable-scale rows of A and B and the sort keys.</summary>
    internal sealed class RowScratch(int n)
    {
        public readonly float[] A = new float[n];
        public readonly float[] B = new float[n];
        public readonly uint[] Keys = new uint[n], SortedKeys = new uint[n];
        public readonly int[] Order = new int[n], SortedOrder = new int[n];
        public readonly int[] Counts = new int[RowScale.DigitCounts];
    }
}

/// <summary>
/// One representation's distances brought to the comparable scale of docs/methods/METHODS.md §1.1, a row at a time.
/// Max-normalization needs the global maximum and local scaling every sample's s-th neighbour
/// distance, so those two make one extra pass over the distances first.
/// </summary>
internal sealed class RowScale
{
    private readonly Matrix x;
    private readonly SquaredDistanceBlocks blocks;
    private readonly RdxDistance kind;
    private readonly int[]? guide;

    /// <summary>Largest distance (not squared) over all pairs, for max-normalization and guidance.</summary>
    private float maxDistance;

    /// <summary>Distance of each sample to its s-th nearest neighbour (local scaling).</summary>
    private float[]? localScale;

    private RowScale(Matrix x, RdxDistance kind, int[]? guide)
    {
        this.x = x;
        this.kind = kind;
        this.guide = guide;
        blocks = new SquaredDistanceBlocks(x);
    }

    /// <summary>
    /// Rows of distances per block: about 1M floats (4 MB) for each representation. A block of every row (16 MB a side at
    /// n = 2,000) was fresh memory the kernel zeroes on first touch, slow on virtual machines, and evicted G's rows from
    /// the cache; each element of a GEMM is summed in the same order whatever the block, so G is the same.
    /// </summary>
    public static int BlockRows(int n) => SquaredDistanceBlocks.BlockRows(n, 1 << 20);

    public static RowScale Prepare(Matrix x, RdxDistance kind, int[]? guide, IProgress<ProgressUpdate>? progress, string stage)
    {
        var scale = new RowScale(x, kind, guide);
        bool needsMax = kind == RdxDistance.MaxNormalized || (guide is not null && kind != RdxDistance.Neighborhood);
        if (needsMax || kind == RdxDistance.LocalScaling) scale.FirstPass(progress, stage);
        return scale;
    }

    /// <summary>
    /// Squared Euclidean distances from rows [first, first + count) to every row (the first count rows of the matrix
    /// returned), clamped at 0, self exactly 0, with label guidance applied when asked. The returned matrix is reused by the next call.
    /// </summary>
    public Matrix SquaredDistances(int first, int count, bool applyGuide = true)
    {
        var product = blocks.Compute(first, count);
        var labels = applyGuide ? guide : null;
        if (labels is not null)
        {
            // docs/methods/METHODS.md §1.8: other labels sit at 5× the maximum, so only within-label pairs compare.
            float far = kind == RdxDistance.Neighborhood ? float.MaxValue : 25f * maxDistance * maxDistance;
            Parallel.For(0, count, r =>
            {
                int i = first + r;
                var row = product.Row(r);
                for (int j = 0; j < row.Length; j++) if (labels[j] != labels[i]) row[j] = far;
            });
        }
        return product;
    }

    public double FarthestDistance => blocks.FarthestDistance;

    /// <summary>Row i of N_R from that row's squared distances; with the neighbourhood distance, the row's order into <paramref name="order"/> when given.</summary>
    public void ComparableRow(int i, Span<float> squared, Span<float> dest, DifferenceMatrix.RowScratch scratch, Span<int> order = default)
    {
        switch (kind)
        {
            case RdxDistance.Neighborhood:
                RowRanks(i, squared, dest, scratch, order);
                break;
            case RdxDistance.MaxNormalized:
                TensorPrimitives.Sqrt(squared, dest);
                TensorPrimitives.Divide(dest, guide is null ? maxDistance : 5f * maxDistance, dest);
                break;
            default:
                // D(i,j)² / (s_i s_j), kept finite: an infinite value in both models would make their difference NaN.
                TensorPrimitives.Divide(squared, localScale!, dest);
                TensorPrimitives.Divide(dest, localScale![i], dest);
                TensorPrimitives.Min(dest, float.MaxValue, dest);
                break;
        }
    }

    /// <summary>
    /// dest[j] = position of j in row i sorted ascending (self first at 0, ties by index). A stable
    /// LSD radix sort on the distance bits (non-negative floats order like their bit patterns), three digits of at
    /// most 11 bits sized to the row's range, skipping digits all keys share: linear in n, no comparisons.
    /// </summary>
    public static void RowRanks(int self, ReadOnlySpan<float> squared, Span<float> dest, DifferenceMatrix.RowScratch scratch, Span<int> keepOrder = default)
    {
        var order = RowOrder(self, squared, scratch);
        for (int p = 0; p < squared.Length; p++) dest[order[p]] = p;
        if (!keepOrder.IsEmpty) order.AsSpan(0, squared.Length).CopyTo(keepOrder);
    }

    /// <summary>Bits per radix digit at most: three passes cover a 32-bit key, and one digit's counts (8 KB) stay in L1.</summary>
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;
    private const int DigitPasses = 3;
    internal const int DigitCounts = DigitPasses * Buckets;

    /// <summary>Row i's indices sorted by distance (self first, ties by index); the array is one of the scratch's, valid until its next use.</summary>
    public static int[] RowOrder(int self, ReadOnlySpan<float> squared, DifferenceMatrix.RowScratch scratch)
    {
        int n = squared.Length;
        uint[] keys = scratch.Keys, sortedKeys = scratch.SortedKeys;
        int[] order = scratch.Order, sortedOrder = scratch.SortedOrder, counts = scratch.Counts;
        // Keys count from the row's nearest other sample (1) up: a row's squared distances span about 25 bits of float
        // pattern, so three digits of 9 bits cover them, whose 512 counts are summed in a quarter of the time of 2,048
        // (those sums had cost as much as the scatters at n = 2,000). Subtracting the least pattern keeps the order.
        var bits = MemoryMarshal.Cast<float, uint>(squared);
        uint least = Math.Min(self > 0 ? TensorPrimitives.Min(bits[..self]) : uint.MaxValue,
            self < n - 1 ? TensorPrimitives.Min(bits[(self + 1)..]) : uint.MaxValue);
        int keyBits = 64 - BitOperations.LeadingZeroCount((ulong)TensorPrimitives.Max(bits) - least + 1);
        int digitBits = Math.Clamp((keyBits + DigitPasses - 1) / DigitPasses, 1, DigitBits);
        uint mask = (1u << digitBits) - 1;
        int buckets = 1 << digitBits;
        for (int pass = 0; pass < DigitPasses; pass++) counts.AsSpan(pass * Buckets, buckets).Clear();
        for (int j = 0; j < n; j++)
        {
            uint key = j == self ? 0 : bits[j] - least + 1u;
            keys[j] = key;
            order[j] = j;
            counts[key & mask]++;
            counts[Buckets + ((key >> digitBits) & mask)]++;
            counts[2 * Buckets + ((key >> (2 * digitBits)) & mask)]++;
        }
        for (int pass = 0; pass < DigitPasses; pass++)
        {
            int shift = pass * digitBits;
            var digitCounts = counts.AsSpan(pass * Buckets, buckets);
            if (digitCounts[(int)((keys[0] >> shift) & mask)] == n) continue;
            int total = 0;
            for (int bucket = 0; bucket < buckets; bucket++) (digitCounts[bucket], total) = (total, total + digitCounts[bucket]);
            Scatter(keys, order, sortedKeys, sortedOrder, digitCounts, shift, mask, n);
            (keys, sortedKeys) = (sortedKeys, keys);
            (order, sortedOrder) = (sortedOrder, order);
        }
        return order;
    }

    /// <summary>
    /// One stable counting pass: the first n keys and their indices, each to the next place of its digit (next holds each
    /// digit's first place, counted from these keys, so every place is below n). Through pointers: indexing the arrays
    /// that RowOrder swaps between passes had reloaded them from the stack and bounds-checked both on every key.
    /// </summary>
    private static unsafe void Scatter(uint[] keys, int[] order, uint[] sortedKeys, int[] sortedOrder, Span<int> next, int shift, uint mask, int n)
    {
        fixed (uint* from = keys, to = sortedKeys)
        fixed (int* fromOrder = order, toOrder = sortedOrder, place = next)
            for (int j = 0; j < n; j++)
            {
                uint key = from[j];
                int at = place[(key >> shift) & mask]++;
                to[at] = key;
                toOrder[at] = fromOrder[j];
            }
    }

    private void FirstPass(IProgress<ProgressUpdate>? progress, string stage)
    {
        int n = x.Rows;
        int s = Math.Min(RdxOptions.LocalScalingNeighbor, n - 1);
        var scaleSquared = new float[n];
        var pool = new ConcurrentBag<float[]>();
        int block = BlockRows(n);
        for (int first = 0; first < n; first += block)
        {
            int count = Math.Min(block, n - first);
            var dist = SquaredDistances(first, count, applyGuide: false);
            Parallel.For(0, count, () => pool.TryTake(out var buffer) ? buffer : new float[n], (r, _, scratch) =>
            {
                int i = first + r;
                var row = dist.Row(r);
                if (kind == RdxDistance.LocalScaling)
                {
                    row.CopyTo(scratch);
                    if (guide is not null)
                        for (int j = 0; j < n; j++) if (guide[j] != guide[i]) scratch[j] = float.PositiveInfinity;
                    scratch[i] = -1; // self is index 0 of the ascending row
                    scaleSquared[i] = Selection.Nth(scratch, s);
                }
                return scratch;
            }, pool.Add);
            progress.Report(stage, (double)(first + count) / n);
        }
        maxDistance = (float)blocks.FarthestDistance;
        if (kind == RdxDistance.LocalScaling)
        {
            localScale = new float[n];
            float far = 5f * maxDistance;
            for (int i = 0; i < n; i++)
            {
                // With guidance, a label with fewer than s+1 members reaches the far distance (5× max).
                float sq = scaleSquared[i];
                localScale[i] = float.IsPositiveInfinity(sq) ? far : MathF.Sqrt(sq);
            }
            // A row with s or more exact copies has scale 0, which would put every other row infinitely far from it
            // (docs/methods/rdx.md): it takes the smallest positive scale there is (the largest distance when every row has copies).
            float floor = localScale.Where(v => v > 0).DefaultIfEmpty(maxDistance > 0 ? maxDistance : 1f).Min();
            for (int i = 0; i < n; i++)
                if (localScale[i] <= 0) localScale[i] = floor;
        }
    }
}
