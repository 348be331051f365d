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
