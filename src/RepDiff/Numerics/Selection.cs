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
    public static double MedianAboveDiagonal(Matrix m, Func<double, double> f)
    {
        int n = m.Rows;
        long count = (long)n * (n - 1) / 2;
        if (count == 0) throw new ArgumentException("the matrix has no entries above its diagonal");
        long upperRank = count / 2, lowerRank = count % 2 == 1 ? upperRank : upperRank - 1;
        return MeanOfRanks(m, lowerRank, upperRank, f);
    }

    /// <summary>
    /// <see cref="MedianAboveDiagonal"/> of the positive entries only (e.g. squared distances between samples that are not
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
        return MeanOfRanks(m, lowerRank, upperRank, f);
    }

    // The mean of f at two ranks (0-based, ascending) of the entries above the diagonal.
    private static double MeanOfRanks(Matrix m, long lowerRank, long upperRank, Func<double, double> f)
    {
        var high = CountAboveDiagonal(m, new HighBits());
        int upperBucket = Find(high, ref upperRank), lowerBucket = Find(high, ref lowerRank);
        var low = CountAboveDiagonal(m, new LowBitsOf((uint)upperBucket, (uint)lowerBucket));
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

    // Counts of buckets.Of(key) over the entries above the diagonal (a negative bucket is not counted).
    private static long[] CountAboveDiagonal<TBuckets>(Matrix m, TBuckets buckets) where TBuckets : struct, IBuckets
    {
        int n = m.Rows;
        var total = new long[buckets.Count];
        Parallel.For(0, n, () => new long[buckets.Count], (i, _, local) =>
        {
            var row = m.Row(i)[(i + 1)..];
            for (int j = 0; j < row.Length; j++)
            {
                int b = buckets.Of(Key(row[j]));
                if (b >= 0) local[b]++;
            }
            return local;
        }, local => { lock (total) for (int b = 0; b < total.Length; b++) total[b] += local[b]; });
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
