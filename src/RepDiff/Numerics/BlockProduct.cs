using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// Products of a double or float matrix with a block of vectors, for operators whose single product is bound by reading
/// the matrix (see <see cref="BlockLanczos"/>): the block is packed row-major (row i holds the i-th entry of
/// every vector, padded to a multiple of <see cref="TileCols"/>), so each matrix entry is loaded once and meets
/// all of the block in registers (8-row × 8-column tiles).
/// </summary>
internal static class BlockProduct
{
    /// <summary>Rows per register tile.</summary>
    public const int TileRows = 8;

    /// <summary>Block columns per register tile: one Vector512 (or two Vector256) per row.</summary>
    public const int TileCols = 8;

    /// <summary>Columns of the matrix per chunk of the Vector256 tile: eight rows of them (8 KB) and the block's
    /// rows they meet (8 KB) stay in L1 cache between the tile's two passes.</summary>
    private const int ChunkColumns = 128;

    /// <summary>The width of a packed block of that many vectors: whole tiles.</summary>
    public static int PackedWidth(int vectors) => (vectors + TileCols - 1) / TileCols * TileCols;

    /// <summary>The vectors as a row-major n × width block, width = their count rounded up to whole tiles (zero-padded).</summary>
    public static double[] Pack(double[][] x, out int width)
    {
        width = PackedWidth(x.Length);
        var packed = new double[(long)x[0].Length * width];
        Pack(x, packed);
        return packed;
    }

    /// <summary>The same into an n × width array already allocated; padding columns keep what they held (a product's
    /// column depends only on the same column of the block, so they reach only output columns nobody reads).</summary>
    public static void Pack(double[][] x, double[] packed)
    {
        int n = x[0].Length, b = x.Length, w = PackedWidth(b);
        Parallel.For(0, n, i => { for (int c = 0; c < b; c++) packed[(long)i * w + c] = x[c][i]; });
    }

    /// <summary>The first y.Length columns of a packed block back into vectors.</summary>
    public static void Unpack(double[] packed, int width, double[][] y) =>
        Parallel.For(0, y.Length, c => { var v = y[c]; for (int i = 0; i < v.Length; i++) v[i] = packed[(long)i * width + c]; });

    /// <summary>
    /// dest[r0 + t, :] = Σ_{j in [from, to)} a[r0 + t, j] · source[j, :] for t &lt; rows ≤ 8: rows of a row-major
    /// matrix with d columns times a packed block. Each row of dest is written by this call alone. Float entries are
    /// widened to double, so the sums are those of the same matrix stored as double.
    /// </summary>
    public static void Rows(double[] a, int d, int r0, int rows, int from, int to, double[] source, double[] dest, int width) =>
        Rows<double>(a, d, r0, rows, from, to, source, dest, width, 0, width);

    /// <summary>
    /// The same for the block's columns [firstColumn, lastColumn) only (whole tiles: multiples of <see cref="TileCols"/>),
    /// the other columns of dest left as they are. Each entry gets the same fused multiply-adds as in a call for all
    /// columns, so a product done chunk of columns by chunk has the same bits.
    /// </summary>
    public static void Rows(double[] a, int d, int r0, int rows, int from, int to, double[] source, double[] dest, int width, int firstColumn, int lastColumn)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(firstColumn % TileCols, 0, nameof(firstColumn));
        ArgumentOutOfRangeException.ThrowIfNotEqual(lastColumn % TileCols, 0, nameof(lastColumn));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lastColumn, width, nameof(lastColumn));
        Rows<double>(a, d, r0, rows, from, to, source, dest, width, firstColumn, lastColumn);
    }

    /// <inheritdoc cref="Rows(double[], int, int, int, int, int, double[], double[], int)"/>
    public static void Rows(float[] a, int d, int r0, int rows, int from, int to, double[] source, double[] dest, int width) =>
        Rows<float>(a, d, r0, rows, from, to, source, dest, width, 0, width);

    private static unsafe void Rows<T>(T[] a, int d, int r0, int rows, int from, int to, double[] source, double[] dest, int width, int firstColumn, int lastColumn)
        where T : unmanaged
    {
        if (rows < TileRows)
        {
            PartialRows(a, d, r0, rows, from, to, source, dest, width, firstColumn, lastColumn);
            return;
        }
        fixed (T* ap = a)
        fixed (double* sp = source, dp = dest)
            for (int c0 = firstColumn; c0 < lastColumn; c0 += TileCols)
                Tile(ap + (long)r0 * d, d, from, to, sp + c0, dp + (long)r0 * width + c0, width);
    }

    /// <summary>
    /// dest[j, :] += Σ_{t &lt; rows} a[r0 + t, j] · source[r0 + t, :] for j in [0, to), rows ≤ 8: the transpose of
    /// <see cref="Rows(double[], int, int, int, int, int, double[], double[], int)"/>, reading the same rows of a. Each entry of dest gets
    /// its terms in the order t = 0, 1, ... whatever the row count, so a sum over row groups depends only on their order.
    /// </summary>
    public static unsafe void AddTransposedRows(double[] a, int d, int r0, int rows, int to, double[] source, double[] dest, int width)
    {
        fixed (double* ap = a, sp = source, dp = dest)
            for (int c0 = 0; c0 < width; c0 += TileCols)
                if (rows == TileRows) TransposedTile(ap + (long)r0 * d, d, to, sp + (long)r0 * width + c0, dp + c0, width);
                else
                    for (int t = 0; t < rows; t++)
                        for (int j = 0; j < to; j++)
                            for (int c = 0; c < TileCols; c++)
                                dp[(long)j * width + c0 + c] = Math.FusedMultiplyAdd(ap[(long)(r0 + t) * d + j], sp[(long)(r0 + t) * width + c0 + c], dp[(long)j * width + c0 + c]);
    }

    // dest[j, 0..8) += Σ_t a[t, j] · source[t, 0..8) for j in [0, to): the eight source rows stay in registers, each
    // step loads one dest row and broadcasts one entry of each of a's eight rows.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void TransposedTile(double* a, int d, int to, double* source, double* dest, int width)
    {
        double* a0 = a, a1 = a + d, a2 = a + 2L * d, a3 = a + 3L * d, a4 = a + 4L * d, a5 = a + 5L * d, a6 = a + 6L * d, a7 = a + 7L * d;
        if (Vector512.IsHardwareAccelerated)
        {
            var s0 = Vector512.Load(source); var s1 = Vector512.Load(source + width);
            var s2 = Vector512.Load(source + 2L * width); var s3 = Vector512.Load(source + 3L * width);
            var s4 = Vector512.Load(source + 4L * width); var s5 = Vector512.Load(source + 5L * width);
            var s6 = Vector512.Load(source + 6L * width); var s7 = Vector512.Load(source + 7L * width);
            for (int j = 0; j < to; j++)
            {
                double* y = dest + (long)j * width;
                var c = Vector512.Load(y);
                c = Vector512.FusedMultiplyAdd(Vector512.Create(a0[j]), s0, c);
                c = Vector512.FusedMultiplyAdd(Vector512.Create(a1[j]), s1, c);
                c = Vector512.FusedMultiplyAdd(Vector512.Create(a2[j]), s2, c);
                c = Vector512.FusedMultiplyAdd(Vector512.Create(a3[j]), s3, c);
                c = Vector512.FusedMultiplyAdd(Vector512.Create(a4[j]), s4, c);
                c = Vector512.FusedMultiplyAdd(Vector512.Create(a5[j]), s5, c);
                c = Vector512.FusedMultiplyAdd(Vector512.Create(a6[j]), s6, c);
                c = Vector512.FusedMultiplyAdd(Vector512.Create(a7[j]), s7, c);
                c.Store(y);
            }
            return;
        }
        for (int half = 0; half < TileCols; half += 4)
        {
            var s0 = Vector256.Load(source + half); var s1 = Vector256.Load(source + width + half);
            var s2 = Vector256.Load(source + 2L * width + half); var s3 = Vector256.Load(source + 3L * width + half);
            var s4 = Vector256.Load(source + 4L * width + half); var s5 = Vector256.Load(source + 5L * width + half);
            var s6 = Vector256.Load(source + 6L * width + half); var s7 = Vector256.Load(source + 7L * width + half);
            for (int j = 0; j < to; j++)
            {
                double* y = dest + (long)j * width + half;
                var c = Vector256.Load(y);
                c = Vector256.FusedMultiplyAdd(Vector256.Create(a0[j]), s0, c);
                c = Vector256.FusedMultiplyAdd(Vector256.Create(a1[j]), s1, c);
                c = Vector256.FusedMultiplyAdd(Vector256.Create(a2[j]), s2, c);
                c = Vector256.FusedMultiplyAdd(Vector256.Create(a3[j]), s3, c);
                c = Vector256.FusedMultiplyAdd(Vector256.Create(a4[j]), s4, c);
                c = Vector256.FusedMultiplyAdd(Vector256.Create(a5[j]), s5, c);
                c = Vector256.FusedMultiplyAdd(Vector256.Create(a6[j]), s6, c);
                c = Vector256.FusedMultiplyAdd(Vector256.Create(a7[j]), s7, c);
                c.Store(y);
            }
        }
    }

    /// <summary>
    /// Fewer than eight rows: copied into a zero-padded tile, so they get the same fused multiply-adds as whole tiles.
    /// A scalar loop here strode through the packed block once per row and column: with 50,000-dimensional rows the
    /// sparse autoencoder's batches of 50 (blocks of 6 or 7 rows) took over a second per step.
    /// </summary>
    private static unsafe void PartialRows<T>(T[] a, int d, int r0, int rows, int from, int to, double[] source, double[] dest, int width, int firstColumn, int lastColumn)
        where T : unmanaged
    {
        int span = to - from;
        var rowsBuffer = ArrayPool<T>.Shared.Rent(Math.Max(1, TileRows * span));
        var destBuffer = ArrayPool<double>.Shared.Rent(TileRows * width);
        try
        {
            Array.Clear(rowsBuffer, 0, TileRows * span);
            for (int t = 0; t < rows; t++) Array.Copy(a, (long)(r0 + t) * d + from, rowsBuffer, (long)t * span, span);
            fixed (T* bp = rowsBuffer)
            fixed (double* sp = source, tp = destBuffer)
                for (int c0 = firstColumn; c0 < lastColumn; c0 += TileCols)
                    Tile(bp - from, span, from, to, sp + c0, tp + c0, width);   // the tile reads row t's column j at [t·span + j − from]
            for (int t = 0; t < rows; t++) Array.Copy(destBuffer, (long)t * width + firstColumn, dest, (long)(r0 + t) * width + firstColumn, lastColumn - firstColumn);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rowsBuffer);
            ArrayPool<double>.Shared.Return(destBuffer);
        }
    }

    // An entry (float or double) broadcast to every lane as double. A float is broadcast, then widened: converting the
    // scalar first (vcvtss2sd) writes only the low lane of a register the previous conversion wrote, so the eight
    // conversions of a step waited on each other (the float tile ran at a quarter of the double tile's speed).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<double> Broadcast512<T>(T* a) where T : unmanaged =>
        typeof(T) == typeof(float) ? Vector512.WidenLower(Vector512.Create(*(float*)a)) : Vector512.Create(*(double*)a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<double> Broadcast256<T>(T* a) where T : unmanaged =>
        typeof(T) == typeof(float) ? Vector256.WidenLower(Vector256.Create(*(float*)a)) : Vector256.Create(*(double*)a);

    // An 8-row × 8-column register tile of dest = a · source over columns [from, to) of a: one source
    // row load and eight broadcast FMAs per step, eight independent accumulators.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile<T>(T* a, int d, int from, int to, double* source, double* dest, int width)
        where T : unmanaged
    {
        T* a0 = a, a1 = a + d, a2 = a + 2L * d, a3 = a + 3L * d, a4 = a + 4L * d, a5 = a + 5L * d, a6 = a + 6L * d, a7 = a + 7L * d;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
            for (int j = from; j < to; j++)
            {
                var s = Vector512.Load(source + (long)j * width);
                c0 = Vector512.FusedMultiplyAdd(Broadcast512(a0 + j), s, c0);
                c1 = Vector512.FusedMultiplyAdd(Broadcast512(a1 + j), s, c1);
                c2 = Vector512.FusedMultiplyAdd(Broadcast512(a2 + j), s, c2);
                c3 = Vector512.FusedMultiplyAdd(Broadcast512(a3 + j), s, c3);
                c4 = Vector512.FusedMultiplyAdd(Broadcast512(a4 + j), s, c4);
                c5 = Vector512.FusedMultiplyAdd(Broadcast512(a5 + j), s, c5);
                c6 = Vector512.FusedMultiplyAdd(Broadcast512(a6 + j), s, c6);
                c7 = Vector512.FusedMultiplyAdd(Broadcast512(a7 + j), s, c7);
            }
            c0.Store(dest); c1.Store(dest + width); c2.Store(dest + 2L * width); c3.Store(dest + 3L * width);
            c4.Store(dest + 4L * width); c5.Store(dest + 5L * width); c6.Store(dest + 6L * width); c7.Store(dest + 7L * width);
            return;
        }
        // Vector256: two passes of 4 columns each (eight accumulators; sixteen would spill), chunk by chunk of a's
        // columns, so the eight rows' chunk is still in L1 cache for the second pass: one pass per half over the
        // whole range read the rows twice from memory, the bound of a product with a large matrix.
        for (int start = from; start < to || start == from; start += ChunkColumns)  // an empty range still writes zeros
        {
            int end = Math.Min(to, start + ChunkColumns);
            bool first = start == from;
            for (int half = 0; half < TileCols; half += 4)
            {
                double* d0 = dest + half, d1 = d0 + width, d2 = d0 + 2L * width, d3 = d0 + 3L * width;
                double* d4 = d0 + 4L * width, d5 = d0 + 5L * width, d6 = d0 + 6L * width, d7 = d0 + 7L * width;
                // Each sum goes on from where the previous chunk left it (stored and reloaded exactly): the same
                // sequence of fused multiply-adds per entry as one pass over the whole range.
                Vector256<double> c0 = first ? default : Vector256.Load(d0), c1 = first ? default : Vector256.Load(d1);
                Vector256<double> c2 = first ? default : Vector256.Load(d2), c3 = first ? default : Vector256.Load(d3);
                Vector256<double> c4 = first ? default : Vector256.Load(d4), c5 = first ? default : Vector256.Load(d5);
                Vector256<double> c6 = first ? default : Vector256.Load(d6), c7 = first ? default : Vector256.Load(d7);
                for (int j = start; j < end; j++)
                {
                    var s = Vector256.Load(source + (long)j * width + half);
                    c0 = Vector256.FusedMultiplyAdd(Broadcast256(a0 + j), s, c0);
                    c1 = Vector256.FusedMultiplyAdd(Broadcast256(a1 + j), s, c1);
                    c2 = Vector256.FusedMultiplyAdd(Broadcast256(a2 + j), s, c2);
                    c3 = Vector256.FusedMultiplyAdd(Broadcast256(a3 + j), s, c3);
                    c4 = Vector256.FusedMultiplyAdd(Broadcast256(a4 + j), s, c4);
                    c5 = Vector256.FusedMultiplyAdd(Broadcast256(a5 + j), s, c5);
                    c6 = Vector256.FusedMultiplyAdd(Broadcast256(a6 + j), s, c6);
                    c7 = Vector256.FusedMultiplyAdd(Broadcast256(a7 + j), s, c7);
                }
                c0.Store(d0); c1.Store(d1); c2.Store(d2); c3.Store(d3);
                c4.Store(d4); c5.Store(d5); c6.Store(d6); c7.Store(d7);
            }
        }
    }
}
