using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>Per-row ascending ranks of a matrix (neighbourhood ranks of distance matrices).</summary>
public static class Ranking
{
    /// <summary>ranks[i*m + j] = position of column j in row i's ascending order (ties by index; self at 0 in a distance matrix).</summary>
    public static void RowRanks(Matrix values, int[] ranks)
    {
        int m = values.Cols;
        Check(values, ranks, nameof(ranks));
        ForEachSortedRow(values, (i, keys) =>
        {
            var dest = ranks.AsSpan(checked(i * m), m);
            for (int r = 0; r < m; r++) dest[(int)(uint)keys[r]] = r;
        });
    }

    /// <summary>How many values are below the threshold: a value's rank among them, less its ties.</summary>
    /// <remarks>
    /// A vector at a time without a branch. For BSR's chance levels (FocusRows: F targets in rows of n) a binary search of
    /// each value among the F sorted targets does fewer comparisons but mispredicts or waits on each step, and ran 3–5× slower.
    /// </remarks>
    public static int CountBelow(ReadOnlySpan<float> values, float threshold)
    {
        int i = 0, count = 0;
        ref float start = ref MemoryMarshal.GetReference(values);
        if (Vector512.IsHardwareAccelerated)
        {
            var t = Vector512.Create(threshold);
            var below = Vector512<int>.Zero;
            for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                below -= Vector512.LessThan(Vector512.LoadUnsafe(ref start, (nuint)i), t).AsInt32();
            count = Vector512.Sum(below);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var t = Vector256.Create(threshold);
            var below = Vector256<int>.Zero;
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                below -= Vector256.LessThan(Vector256.LoadUnsafe(ref start, (nuint)i), t).AsInt32();
            count = Vector256.Sum(below);
        }
        for (; i < values.Length; i++)
            if (values[i] < threshold) count++;
        return count;
    }

    private static void Check(Matrix values, int[] dest, string name)
    {
        if (dest.LongLength != (long)values.Rows * values.Cols)
            throw new ArgumentException($"{name} holds {dest.Length} values, expected {values.Rows}x{values.Cols}", name);
    }

    // Sorts each row as 64-bit keys (order-preserving float bits, then the column index): one primitive sort
    // per row gives ties by index, and each worker reuses one key buffer.
    private static void ForEachSortedRow(Matrix values, Action<int, ulong[]> consume)
    {
        int m = values.Cols;
        Parallel.For(0, values.Rows, () => new ulong[m], (i, _, keys) =>
        {
            var row = values.Row(i);
            for (int j = 0; j < m; j++) keys[j] = ((ulong)SortableBits(row[j]) << 32) | (uint)j;
            Array.Sort(keys);
            consume(i, keys);
            return keys;
        }, _ => { });
    }

    /// <summary>Maps a float to a uint with the same order (−0 and +0 equal; NaN after +∞).</summary>
    internal static uint SortableBits(float v)
    {
        uint bits = BitConverter.SingleToUInt32Bits(v + 0f); // + 0 turns −0 into +0
        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }
}
