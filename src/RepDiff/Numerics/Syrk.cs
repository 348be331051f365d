using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// c += alpha·XᵀX without forming Xᵀ. X's rows are taken in chunks of 1,024 to 8,192 rows (fewer for wide X):
/// each chunk's XᵀX is a float32 GEMM that skips the register tiles below the diagonal, and the chunks are
/// summed in float64. Inside a chunk the GEMM sums 256 products in registers and at most 32 such partial sums
/// in float, so the float error stays at the level of a short sum (relative ~1e-6) however many rows there are,
/// instead of growing with n as one long float accumulation would; the double reduction costs d² adds per
/// chunk, under 0.1% of the work.
/// </summary>
public static class Syrk
{
    /// <summary>c (cols×cols, row-major, double, symmetric) += alpha·XᵀX, both triangles filled (the lower one is copied from the upper).</summary>
    public static void AddTransposeProduct(Matrix x, double[] c, double alpha = 1) => AddGram(Factor.OfColumns(x), c, alpha, null);

    /// <summary>
    /// c (rows×rows, double, symmetric) += alpha·X Xᵀ, both triangles: the floats of <see cref="AddTransposeProduct"/> of Xᵀ
    /// without forming Xᵀ (the chunks are of X's columns). partial, when given, is rows×rows float work space (several
    /// calls can share one).
    /// </summary>
    public static void AddProduct(Matrix x, double[] c, double alpha = 1, float[]? partial = null) => AddGram(Factor.OfRows(x), c, alpha, partial);

    private static void AddGram(Factor x, double[] c, double alpha, float[]? partial)
    {
        int d = x.D;
        if (c.Length != (long)d * d) throw new ArgumentException($"c holds {c.Length} values, expected {d}x{d}");
        if (partial is not null && partial.Length < (long)d * d) throw new ArgumentException($"partial holds {partial.Length} values, expected {d}x{d}");
        if (x.K == 0 || d == 0) return;
        AddUpper(x, c, alpha, partial ?? IO.PageAdvice.NewArray<float>(d * d));
        MirrorUpper(c, d);
    }

    /// <summary>The upper triangle (diagonal included) of c += alpha·XᵀX; partial is d×d float work space.</summary>
    internal static void AddUpperTransposeProduct(Matrix x, double[] c, double alpha, float[] partial) => AddUpper(Factor.OfColumns(x), c, alpha, partial);

    /// <summary>Rows of X that one float GEMM sums before its result is added in double (<see cref="AddTransposeProduct"/> on d columns).</summary>
    internal static int RowsPerChunk(int d) => Math.Clamp((1 << 21) / Math.Max(d, 1), 1024, 8192); // long enough that the per-chunk overhead is small

    /// <summary>
    /// The matrix a Gram is summed over: D vectors of K values each, summed over K in chunks. XᵀX's vectors are X's columns
    /// (X is K×D, a chunk is rows of it); X Xᵀ's are its rows (X is D×K, a chunk is columns of it). Either way the GEMM of a
    /// chunk reads the same op(A) and op(B), so the same floats.
    /// </summary>
    private readonly record struct Factor(float[] Data, int D, int K, bool VectorsAreRows)
    {
        public static Factor OfColumns(Matrix x) => new(x.Data, x.Cols, x.Rows, false);
        public static Factor OfRows(Matrix x) => new(x.Data, x.Rows, x.Cols, true);

        private int Stride => VectorsAreRows ? K : D;

        /// <summary>The float GEMM of chunk [k0, k0 + count) into partial's upper triangle.</summary>
        public void Chunk(int k0, int count, float[] partial, bool singleThreaded)
        {
            long off = VectorsAreRows ? k0 : (long)k0 * D;
            if (!(NativeBlas.Enabled && NativeBlas.TrySsyrk(D, count, 1f, Data, off, Stride, transposed: !VectorsAreRows, 0f, partial)))
                Gemm.Compute(D, D, count, 1f, Data, off, Stride, !VectorsAreRows, Data, off, Stride, VectorsAreRows, 0f, partial, 0, D,
                    upperOnly: true, singleThreaded: singleThreaded);
        }
    }

    private static void AddUpper(Factor x, double[] c, double alpha, float[] partial)
    {
        int d = x.D;
        int chunk = RowsPerChunk(d);
        int chunks = (x.K + chunk - 1) / chunk;
        int workers = Math.Min(Environment.ProcessorCount, chunks);
        if (ChunksInParallel && workers > 1 && d <= ChunkParallelMaxCols && !NativeBlas.Enabled)
        {
            AddUpperChunksInParallel(x, c, alpha, partial, chunk, workers);
            return;
        }
        for (int k0 = 0; k0 < x.K; k0 += chunk)
        {
            x.Chunk(k0, Math.Min(chunk, x.K - k0), partial, singleThreaded: false);
            AddUpper(partial, c, d, alpha);
        }
    }

    /// <summary>Narrow X (d ≤ this) takes whole chunks per core; the benchmark turns it off to compare.</summary>
    internal const int ChunkParallelMaxCols = 512;

    internal static bool ChunksInParallel { get; set; } = true;

    // For narrow X a chunk's product is small (d = 256: ~0.5 GFLOP), so spreading each 256-deep block of it over the
    // cores costs two barriers per block; each core instead takes a whole chunk, single-threaded, and the chunks are
    // added to c in row order: the same sums, in the same order, as one chunk after another.
    private static void AddUpperChunksInParallel(Factor x, double[] c, double alpha, float[] partial, int chunk, int workers)
    {
        int d = x.D;
        var partials = new float[workers][];
        partials[0] = partial;
        for (int w = 1; w < workers; w++) partials[w] = IO.PageAdvice.NewArray<float>(d * d);
        for (int first = 0; first < x.K; first += chunk * workers)
        {
            int start = first;
            int active = Math.Min(workers, (x.K - start + chunk - 1) / chunk);
            Parallel.For(0, active, w =>
            {
                int k0 = start + w * chunk;
                x.Chunk(k0, Math.Min(chunk, x.K - k0), partials[w], singleThreaded: true);
            });
            for (int w = 0; w < active; w++) AddUpper(partials[w], c, d, alpha);
        }
    }

    // c += alpha·P on the upper triangle (diagonal included), row by row; the lower triangle is filled once at the
    // end by MirrorUpper, which gives the same values as adding to both (the same additions in the same order)
    // without a column-strided write per element.
    private static void AddUpper(float[] p, double[] c, int d, double alpha)
    {
        Gemm.ParallelFor(d, Environment.ProcessorCount, i =>
        {
            int j = i;
            if (Vector256.IsHardwareAccelerated)
            {
                ref float source = ref p[(long)i * d];
                ref double target = ref c[(long)i * d];
                var scale = Vector256.Create(alpha);
                for (; j <= d - 4; j += 4)
                {
                    var v = Vector256.WidenLower(Vector128.LoadUnsafe(ref source, (nuint)j).ToVector256Unsafe()) * scale;
                    (Vector256.LoadUnsafe(ref target, (nuint)j) + v).StoreUnsafe(ref target, (nuint)j);
                }
            }
            for (; j < d; j++) c[(long)i * d + j] += alpha * p[(long)i * d + j];
        });
    }

    /// <summary>Rows widened to double at a time by <see cref="AddUpperTransposeProductInDouble"/>.</summary>
    internal const int DoubleChunkRows = 256;

    /// <summary>The work space <see cref="AddUpperTransposeProductInDouble"/> needs for d columns.</summary>
    internal static int DoubleWorkLength(int d) => checked(DoubleChunkRows * ((d + 7) / 8 * 8));

    /// <summary>
    /// The upper triangle (diagonal included) of c += XᵀX with every product and every sum in double (a product of
    /// two floats is exact in double): for Gram matrices whose near-null directions matter. The float GEMM's sums
    /// carry relative errors near 1e-7, and where a method needs G's small eigen-directions (the spectral feature
    /// routes' Cholesky factor when the two feature blocks nearly coincide) that error becomes √(1e-7) in the
    /// result. work holds <see cref="DoubleChunkRows"/> × (d rounded up to 8) doubles.
    /// </summary>
    internal static void AddUpperTransposeProductInDouble(Matrix x, double[] c, double[] work)
    {
        int d = x.Cols, ld = (d + 7) / 8 * 8, groups = (d + 3) / 4;
        if (work.Length < DoubleWorkLength(d)) throw new ArgumentException("work space too small");
        for (int r0 = 0; r0 < x.Rows; r0 += DoubleChunkRows)
        {
            int rows = Math.Min(DoubleChunkRows, x.Rows - r0);
            for (int p = 0; p < rows; p++)
            {
                var source = x.Data.AsSpan((int)((long)(r0 + p) * d), d);
                var target = work.AsSpan(p * ld, ld);
                for (int j = 0; j < d; j++) target[j] = source[j];
                target[d..].Clear();
            }
            // Each group of 4 rows of c takes its columns from its diagonal on in 4×8 register tiles; every entry sums
            // its products in row order, so the result does not depend on scheduling. Later groups have shorter rows.
            Gemm.ParallelFor(groups, Environment.ProcessorCount, g =>
            {
                int i0 = 4 * g;
                for (int j0 = i0 / 8 * 8; j0 < d; j0 += 8) DoubleTile(work, ld, rows, i0, j0, c, d);
            });
        }
    }

    private static void DoubleTile(double[] work, int ld, int rows, int i0, int j0, double[] c, int d)
    {
        var a00 = Vector256<double>.Zero; var a01 = a00; var a10 = a00; var a11 = a00;
        var a20 = a00; var a21 = a00; var a30 = a00; var a31 = a00;
        ref double w = ref work[0];
        for (int p = 0; p < rows; p++)
        {
            nuint row = (nuint)(p * ld);
            var b0 = Vector256.LoadUnsafe(ref w, row + (nuint)j0);
            var b1 = Vector256.LoadUnsafe(ref w, row + (nuint)j0 + 4);
            // Rows past d are the zero padding of the last group (i0 + 3 < ld since ld is a multiple of 8).
            var x = Vector256.Create(System.Runtime.CompilerServices.Unsafe.Add(ref w, row + (nuint)i0));
            a00 = Vector256.FusedMultiplyAdd(x, b0, a00); a01 = Vector256.FusedMultiplyAdd(x, b1, a01);
            x = Vector256.Create(System.Runtime.CompilerServices.Unsafe.Add(ref w, row + (nuint)i0 + 1));
            a10 = Vector256.FusedMultiplyAdd(x, b0, a10); a11 = Vector256.FusedMultiplyAdd(x, b1, a11);
            x = Vector256.Create(System.Runtime.CompilerServices.Unsafe.Add(ref w, row + (nuint)i0 + 2));
            a20 = Vector256.FusedMultiplyAdd(x, b0, a20); a21 = Vector256.FusedMultiplyAdd(x, b1, a21);
            x = Vector256.Create(System.Runtime.CompilerServices.Unsafe.Add(ref w, row + (nuint)i0 + 3));
            a30 = Vector256.FusedMultiplyAdd(x, b0, a30); a31 = Vector256.FusedMultiplyAdd(x, b1, a31);
        }
        Span<double> tile = stackalloc double[32];
        a00.CopyTo(tile); a01.CopyTo(tile[4..]); a10.CopyTo(tile[8..]); a11.CopyTo(tile[12..]);
        a20.CopyTo(tile[16..]); a21.CopyTo(tile[20..]); a30.CopyTo(tile[24..]); a31.CopyTo(tile[28..]);
        for (int r = 0; r < 4 && i0 + r < d; r++)
            for (int col = 0; col < 8 && j0 + col < d; col++)
                if (j0 + col >= i0 + r) c[(long)(i0 + r) * d + j0 + col] += tile[r * 8 + col];
    }

    // c[j, i] = c[i, j] for j > i, in square tiles so reads and writes both stay in cache.
    internal static void MirrorUpper(double[] c, int d)
    {
        const int tile = 64;
        int tiles = (d + tile - 1) / tile;
        Gemm.ParallelFor(tiles, Environment.ProcessorCount, bi =>
        {
            int i0 = bi * tile, i1 = Math.Min(d, i0 + tile);
            for (int j0 = i0; j0 < d; j0 += tile)
                for (int i = i0; i < i1; i++)
                    for (int j = Math.Max(j0, i + 1), j1 = Math.Min(d, j0 + tile); j < j1; j++)
                        c[(long)j * d + i] = c[(long)i * d + j];
        });
    }
}
