namespace RepDiff.Numerics;

/// <summary>Order statistics without a full sort.</summary>
public static class Selection
{
    /// <summary>
    /// Writes the positions of the <c>best.Length</c> smallest values into <paramref name="best"/>, ascending (ties by
    /// position), leaving out position <paramref name="skip"/> (−1: none). One pass of insertion into a sorted buffer:
    /// for small counts, where it beats a sort or a heap.
    /// </summary>
    public static void Smallest(ReadOnlySpan<float> values, Span<int> best, int skip = -1)
    {
        int k = best.Length, filled = 0;
        Span<float> bestValue = k <= 1024 ? stackalloc float[k] : new float[k];
        for (int j = 0; j < values.Length; j++)
        {
            if (j == skip) continue;
            float v = values[j];
            if (filled == k && v >= bestValue[k - 1]) continue;
            int p = filled < k ? filled++ : k - 1;
            while (p > 0 && bestValue[p - 1] > v)
            {
                bestValue[p] = bestValue[p - 1];
                best[p] = best[p - 1];
                p--;
            }
            bestValue[p] = v;
            best[p] = j;
        }
    }

    /// <summary>
    /// Rearranges values so values[k] is the k-th smallest (0-based), everything before it ≤ it and
    /// everything after ≥ it (quickselect, median-of-three pivot), and returns it.
    /// </summary>
    public static float Nth(float[] values, int k)
    {
        int lo = 0, hi = values.Length - 1;
        while (hi > lo)
        {
            int mid = lo + (hi - lo) / 2;
            float a = values[lo], b = values[mid], c = values[hi];
            float pivot = Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j) { (values[i], values[j]) = (values[j], values[i]); i++; j--; }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return values[k];
        }
        return values[k];
    }

    /// <summary>
    /// numpy's median (the mean of the two middle values for an even count) of f(v) over the entries
    /// above the diagonal of a square matrix, for f non-decreasing (e.g. √ of squared distances).
    /// </summary>
    /// <remarks>
    /// A radix selection on each float's order-preserving 32-bit key, without copying the entries: one
    /// counting pass over the keys' high 16 bits finds the bucket of each middle rank, a second pass counts
    /// the low 16 bits inside those buckets. Exact, and independent of the thread count.
    /// </remarks>
    public static double MedianAboveDiagonal(Matrix m, Func<double, double> f) => MedianAboveDiagonal(m.Rows, Whole(m), f);

    /// <summary>
    /// The same median over a matrix handed over a block of rows at a time, once per counting pass (twice): the blocks of a
    /// pass must together hold every row, and both passes the same entries.
    /// </summary>
    public static double MedianAboveDiagonal(int n, UpperRowBlocks blocks, Func<double, double> f)
    {
        long count = (long)n * (n - 1) / 2;
        if (count == 0) throw new ArgumentException("the matrix has no entries above its diagonal");
        long upperRank = count / 2, lowerRank = count % 2 == 1 ? upperRank : upperRank - 1;
        return MeanOfRanks(blocks, lowerRank, upperRank, f);
    }

    /// <summary>
    /// <see cref="MedianAboveDiagonal(Matrix, Func{double, double})"/> of the positive entries only (e.g. squared distances between samples that are not
    /// duplicates), or 0 when there are none: the median of all entries is 0 as soon as most of them are.
    /// </summary>
    public static double PositiveMedianAboveDiagonal(Matrix m, Func<double, double> f)
    {
        int n = m.Rows;
        long nonPositive = 0;
        Parallel.For(0, n, () => 0L, (i, _, local) =>
        {
            foreach (float v in m.Row(i)[(i + 1)..]) if (!(v > 0)) local++;
            return local;
        }, local => Interlocked.Add(ref nonPositive, local));
        long positive = (long)n * (n - 1) / 2 - nonPositive;
        if (positive == 0) return 0;
        // The entries sort non-positive first, so the positive ones' middle ranks are offset by their count.
        long upperRank = nonPositive + positive / 2, lowerRank = positive % 2 == 1 ? upperRank : upperRank - 1;
        return MeanOfRanks(Whole(m), lowerRank, upperRank, f);
    }

    /// <summary>Calls its argument with each block of rows of one pass, in any order.</summary>
    public delegate void UpperRowBlocks(Action<UpperBlock> body);

    /// <summary>
    /// Rows [First, First + Count) of an N×N matrix, stored from column First on, Stride values a row: what a counting pass
    /// reads of them is the part right of the diagonal.
    /// </summary>
    public readonly record struct UpperBlock(int N, int First, int Count, float[] Data, int Stride)
    {
        /// <summary>Row i's entries in columns i + 1 .. N − 1.</summary>
        public ReadOnlySpan<float> AboveDiagonal(int i) => Data.AsSpan(checked((i - First) * Stride + i - First + 1), N - 1 - i);
    }

    private static UpperRowBlocks Whole(Matrix m) => body => body(new UpperBlock(m.Rows, 0, m.Rows, m.Data, m.Cols));

    // The mean of f at two ranks (0-based, ascending) of the entries above the diagonal.
    private static double MeanOfRanks(UpperRowBlocks blocks, long lowerRank, long upperRank, Func<double, double> f)
    {
        var high = CountAboveDiagonal(blocks, new HighBits());
        int upperBucket = Find(high, ref upperRank), lowerBucket = Find(high, ref lowerRank);
        var low = CountAboveDiagonal(blocks, new LowBitsOf((uint)upperBucket, (uint)lowerBucket));
        var lowerLow = upperBucket == lowerBucket ? low.AsSpan(0, BucketCount) : low.AsSpan(BucketCount);
        double upper = f(FromKey(((uint)upperBucket << 16) | (uint)Find(low.AsSpan(0, BucketCount), ref upperRank)));
        double lower = f(FromKey(((uint)lowerBucket << 16) | (uint)Find(lowerLow, ref lowerRank)));
        return (lower + upper) / 2;
    }

    private const int BucketCount = 1 << 16;

    /// <summary>Which bucket a key is counted in (negative: not counted); a struct, so the counting loop inlines it (a delegate
    /// call per entry had cost as much as the count itself: 50 million calls for the two medians of a `spec` run).</summary>
    private interface IBuckets
    {
        uint Count { get; }
        int Of(uint key);
    }

    /// <summary>The first pass: the key's high 16 bits.</summary>
    private readonly struct HighBits : IBuckets
    {
        public uint Count => BucketCount;
        public int Of(uint key) => (int)(key >> 16);
    }

    /// <summary>The second pass: the low 16 bits of keys in the upper middle's bucket, then of those in the lower middle's.</summary>
    private readonly struct LowBitsOf(uint upper, uint lower) : IBuckets
    {
        public uint Count => 2 * BucketCount;
        public int Of(uint key) => key >> 16 == upper ? (int)(key & 0xFFFF) : key >> 16 == lower ? BucketCount + (int)(key & 0xFFFF) : -1;
    }

    // Counts of buckets.Of(key) over the entries above the diagonal (a negative bucket is not counted). Each worker keeps
    // one count array for the whole pass, whatever the number of blocks, and takes every workers-th row of a block, so
    // the triangle's rows of unequal length fall evenly on them; counts are integers, so the split does not matter.
    private static long[] CountAboveDiagonal<TBuckets>(UpperRowBlocks blocks, TBuckets buckets) where TBuckets : struct, IBuckets
    {
        int workers = Environment.ProcessorCount;
        var counts = new long[workers][];
        for (int w = 0; w < workers; w++) counts[w] = new long[buckets.Count];
        blocks(block => Parallel.For(0, workers, w =>
        {
            var local = counts[w];
            for (int i = block.First + w; i < block.First + block.Count; i += workers)
            {
                var row = block.AboveDiagonal(i);
                for (int j = 0; j < row.Length; j++)
                {
                    int b = buckets.Of(Key(row[j]));
                    if (b >= 0) local[b]++;
                }
            }
        }));
        var total = counts[0];
        for (int w = 1; w < workers; w++) System.Numerics.Tensors.TensorPrimitives.Add<long>(total, counts[w], total);
        return total;
    }

    // The bucket holding the entry of the given rank; the rank becomes the rank inside that bucket.
    private static int Find(ReadOnlySpan<long> counts, ref long rank)
    {
        int b = 0;
        while (rank >= counts[b]) rank -= counts[b++];
        return b;
    }

    // Order-preserving map of a float to an unsigned key: flip all bits of negatives, the sign bit of the rest.
    private static uint Key(float v)
    {
        uint bits = BitConverter.SingleToUInt32Bits(v);
        return (bits & 0x8000_0000) != 0 ? ~bits : bits | 0x8000_0000;
    }

    private static float FromKey(uint key) =>
        BitConverter.UInt32BitsToSingle((key & 0x8000_0000) != 0 ? key & 0x7FFF_FFFF : ~key);
}
