using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// Φᵀ v for a float matrix Φ (n × D, one row per sample) and several sample-space vectors v at once, in double: the
/// feature-space weights of the spectral modes on the routes with fewer samples than features. Each output entry is
/// Σ_i Φ[i, j] · v[i] summed in row order with a separate multiply and add, as the scalar loop it replaced (so the
/// results are bit for bit the same); the columns are cut into blocks worked on in parallel, so Φ is read once for all
/// the vectors (the scalar loop read it once per mode and map: 3.5 s of SPEC at n = 10,000 with --rff-dim 3000).
/// </summary>
/// <remarks>
/// Within a block, a tile of rows is widened to double once, and each register-wide strip of its columns adds the
/// rows' terms for up to eight vectors into registers before storing them: the sums had made a round trip through
/// cache for every row and vector (at n = 2,000 with --rff-dim 3000, 0.11 CPU-s, 8% of the whole `spec` command).
/// Each entry still adds its terms one by one in row order, so the bits are the same.
/// </remarks>
internal static class TransposedProduct
{
    /// <summary>Columns per block: the block's part of every output vector (20 modes × 512 doubles) stays in L2 cache.</summary>
    private const int BlockColumns = 512;

    /// <summary>Rows widened at a time: 32 × 512 doubles (128 KB) stay in L2 cache while every strip and vector reads them.</summary>
    private const int TileRows = 32;

    /// <summary>Vectors whose sums a strip keeps in registers at once (eight accumulators, the row's value and a scale).</summary>
    private const int Group = 8;

    public static double[][] Compute(Matrix phi, IReadOnlyList<double[]> vectors)
    {
        int n = phi.Rows, d = phi.Cols, count = vectors.Count;
        foreach (var v in vectors)
            if (v.Length != n) throw new ArgumentException($"a vector has {v.Length} entries for {n} rows");
        var result = new double[count][];
        for (int k = 0; k < count; k++) result[k] = new double[d];
        if (count == 0) return result;
        Parallel.For(0, (d + BlockColumns - 1) / BlockColumns, block =>
        {
            int first = block * BlockColumns, width = Math.Min(BlockColumns, d - first);
            // Rows a little apart from 4 KB: at a pitch of 512 doubles (4 KB) a strip's 32 rows would all map to one set of L1 cache.
            int pitch = width + 8;
            var tile = new double[TileRows * pitch];
            var scales = new double[TileRows * count];  // scales[r·count + k] = v_k of the tile's row r
            int lanes = Vector256<double>.Count, strips = Vector256.IsHardwareAccelerated ? width / lanes * lanes : 0;
            for (int i0 = 0; i0 < n; i0 += TileRows)
            {
                int rows = Math.Min(TileRows, n - i0);
                for (int r = 0; r < rows; r++)
                {
                    Widen(phi.Row(i0 + r).Slice(first, width), tile.AsSpan(r * pitch, width));
                    for (int k = 0; k < count; k++) scales[r * count + k] = vectors[k][i0 + r];
                }
                for (int k0 = 0; k0 < count; k0 += Group)
                {
                    int group = Math.Min(Group, count - k0);
                    for (int j = 0; j < strips; j += lanes) Strip(result, k0, group, first + j, tile, j, pitch, rows, scales, count);
                    for (int j = strips; j < width; j++)
                        for (int k = k0; k < k0 + group; k++)
                        {
                            double sum = result[k][first + j];
                            for (int r = 0; r < rows; r++) sum += tile[r * pitch + j] * scales[r * count + k];
                            result[k][first + j] = sum;
                        }
                }
            }
        });
        return result;
    }

    /// <summary>
    /// Floats to doubles (exact) eight at a time: one at a time, each conversion waited for the last (it writes only
    /// part of its register), and that took as long as all the sums.
    /// </summary>
    private static void Widen(ReadOnlySpan<float> row, Span<double> widened)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; j <= row.Length - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(row.Slice(j)));
                lower.CopyTo(widened.Slice(j));
                upper.CopyTo(widened.Slice(j + Vector256<double>.Count));
            }
        for (; j < row.Length; j++) widened[j] = row[j];
    }

    /// <summary>
    /// Columns [column, column + 4) of vectors [k0, k0 + group) gain the tile's rows: sum += x · scale, a multiply then an
    /// add per row (never fused: the same roundings as scalar code).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Strip(double[][] result, int k0, int group, int column, double[] tile, int j, int pitch, int rows, double[] scales, int count)
    {
        var s0 = Vector256.Create(result[k0].AsSpan(column));
        Vector256<double> s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        if (group > 1) s1 = Vector256.Create(result[k0 + 1].AsSpan(column));
        if (group > 2) s2 = Vector256.Create(result[k0 + 2].AsSpan(column));
        if (group > 3) s3 = Vector256.Create(result[k0 + 3].AsSpan(column));
        if (group > 4) s4 = Vector256.Create(result[k0 + 4].AsSpan(column));
        if (group > 5) s5 = Vector256.Create(result[k0 + 5].AsSpan(column));
        if (group > 6) s6 = Vector256.Create(result[k0 + 6].AsSpan(column));
        if (group > 7) s7 = Vector256.Create(result[k0 + 7].AsSpan(column));
        // A short group's spare accumulators repeat its last vector's scale; they are never stored.
        int o1 = Math.Min(1, group - 1), o2 = Math.Min(2, group - 1), o3 = Math.Min(3, group - 1), o4 = Math.Min(4, group - 1),
            o5 = Math.Min(5, group - 1), o6 = Math.Min(6, group - 1), o7 = Math.Min(7, group - 1);
        ref double x0 = ref tile[j];
        ref double v0 = ref scales[k0];
        for (int r = 0; r < rows; r++)
        {
            var x = Vector256.LoadUnsafe(ref x0, (nuint)(r * pitch));
            ref double v = ref Unsafe.Add(ref v0, r * count);
            s0 = Vector256.Add(s0, Vector256.Multiply(x, Vector256.Create(v)));
            s1 = Vector256.Add(s1, Vector256.Multiply(x, Vector256.Create(Unsafe.Add(ref v, o1))));
            s2 = Vector256.Add(s2, Vector256.Multiply(x, Vector256.Create(Unsafe.Add(ref v, o2))));
            s3 = Vector256.Add(s3, Vector256.Multiply(x, Vector256.Create(Unsafe.Add(ref v, o3))));
            s4 = Vector256.Add(s4, Vector256.Multiply(x, Vector256.Create(Unsafe.Add(ref v, o4))));
            s5 = Vector256.Add(s5, Vector256.Multiply(x, Vector256.Create(Unsafe.Add(ref v, o5))));
            s6 = Vector256.Add(s6, Vector256.Multiply(x, Vector256.Create(Unsafe.Add(ref v, o6))));
            s7 = Vector256.Add(s7, Vector256.Multiply(x, Vector256.Create(Unsafe.Add(ref v, o7))));
        }
        s0.CopyTo(result[k0].AsSpan(column));
        if (group > 1) s1.CopyTo(result[k0 + 1].AsSpan(column));
        if (group > 2) s2.CopyTo(result[k0 + 2].AsSpan(column));
        if (group > 3) s3.CopyTo(result[k0 + 3].AsSpan(column));
        if (group > 4) s4.CopyTo(result[k0 + 4].AsSpan(column));
        if (group > 5) s5.CopyTo(result[k0 + 5].AsSpan(column));
        if (group > 6) s6.CopyTo(result[k0 + 6].AsSpan(column));
        if (group > 7) s7.CopyTo(result[k0 + 7].AsSpan(column));
    }
}
