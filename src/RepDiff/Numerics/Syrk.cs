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
    public static void AddTransposeProduct(Matrix x, double[] c, double alpha = 1)
    {
        int d = x.Cols;
        if (c.Length != (long)d * d) throw new ArgumentException($"c holds {c.Length} values, expected {d}x{d}");
        if (x.Rows == 0 || d == 0) return;
        AddUpperTransposeProduct(x, c, alpha, new float[d * d]);
        MirrorUpper(c, d);
    }

    /// <summary>The upper triangle (diagonal included) of c += alpha·XᵀX; partial is d×d float work space.</summary>
    internal static void AddUpperTransposeProduct(Matrix x, double[] c, double alpha, float[] partial)
    {
        int d = x.Cols;
        int chunk = Math.Clamp((1 << 21) / Math.Max(d, 1), 1024, 8192); // long enough that the per-chunk overhead is small
        int chunks = (x.Rows + chunk - 1) / chunk;
        int workers = Math.Min(Environment.ProcessorCount, chunks);
        if (ChunksInParallel && workers > 1 && d <= ChunkParallelMaxCols && !NativeBlas.Enabled)
        {
            AddUpperChunksInParallel(x, c, alpha, partial, chunk, workers);
            return;
        }
        for (int r0 = 0; r0 < x.Rows; r0 += chunk)
        {
            int rows = Math.Min(chunk, x.Rows - r0);
            long off = (long)r0 * d;
            if (!(NativeBlas.Enabled && NativeBlas.TrySsyrkTranspose(d, rows, 1f, x.Data, off, d, 0f, partial)))
                Gemm.Compute(d, d, rows, 1f, x.Data, off, d, true, x.Data, off, d, false, 0f, partial, 0, d, upperOnly: true);
            AddUpper(partial, c, d, alpha);
        }
    }

    /// <summary>Narrow X (d ≤ this) takes whole chunks per core; the benchmark turns it off to compare.</summary>
    internal const int ChunkParallelMaxCols = 512;

    internal static bool ChunksInParallel { get; set; } = true;

    // For narrow X a chunk's product is small (d = 256: ~0.5 GFLOP), so spreading each 256-deep block of it over the
    // cores costs two barriers per block; each core instead takes a whole chunk, single-threaded, and the chunks are
    // added to c in row order: the same sums, in the same order, as one chunk after another.
    private static void AddUpperChunksInParallel(Matrix x, double[] c, double alpha, float[] partial, int chunk, int workers)
    {
        int d = x.Cols;
        var partials = new float[workers][];
        partials[0] = partial;
        for (int w = 1; w < workers; w++) partials[w] = new float[d * d];
        for (int first = 0; first < x.Rows; first += chunk * workers)
        {
            int start = first;
            int active = Math.Min(workers, (x.Rows - start + chunk - 1) / chunk);
            Parallel.For(0, active, w =>
            {
                int r0 = start + w * chunk, rows = Math.Min(chunk, x.Rows - r0);
                long off = (long)r0 * d;
                Gemm.Compute(d, d, rows, 1f, x.Data, off, d, true, x.Data, off, d, false, 0f, partials[w], 0, d, upperOnly: true, singleThreaded: true);
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
