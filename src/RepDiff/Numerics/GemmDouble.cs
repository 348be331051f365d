using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// Double-precision C = op(A)·op(B) on whole row-major arrays, for SPEC-align's step (Y = B W, Bᵀ dY, Ŷ Ŷᵀ), where the
/// products stay in double because Adam divides each gradient entry by its own running scale: a float product's 1e-7
/// relative error on an entry that is round-off would become a full learning-rate step (see <see cref="Methods.Spec.SpecAlign"/>).
/// The scheme of <see cref="Gemm"/>, smaller: a KC×NC block of op(B) and an MR×KC panel of op(A) are packed contiguous and a
/// register tile sweeps them (8×16, sixteen Vector512 accumulators, where AVX-512 runs; 6×8, twelve Vector256, elsewhere),
/// so W is read from cache rather than streamed from memory once per row (the row-by-row product took tens of seconds a
/// step at d_B = 5,000). Each C entry is one fused multiply-add chain in depth order within each KC block, the blocks
/// added in order: the same sums whatever the tile or the thread count, so results depend on neither.
/// </summary>
public static class GemmDouble
{
    internal const int KC = 256; // depth of a packed block: one B panel (KC×NR doubles, 16–32 KB) stays in L1–L2
    internal const int NC = 256; // columns of a packed B block: KC×NC doubles = 512 KB, in L2
    private const int MC = 96;   // rows a thread takes at a time (a multiple of both tiles' MR)

    /// <summary>
    /// C (m×n, overwritten) = op(A)·op(B): A is m×k (k×m when transposeA), B is k×n (n×k when transposeB), all row-major
    /// and dense. C must not alias A or B.
    /// </summary>
    public static void Multiply(int m, int n, int k, double[] a, bool transposeA, double[] b, bool transposeB, double[] c)
        => Multiply(m, n, k, a, transposeA, b, transposeB, c, Vector512.IsHardwareAccelerated);

    /// <summary>
    /// C (m×m, overwritten) = A Aᵀ for A m×k row-major: only the tiles on and below the diagonal are computed, then
    /// mirrored. The bits are <see cref="Multiply(int, int, int, double[], bool, double[], bool, double[])"/>'s, which is
    /// exactly symmetric already (entries (i, j) and (j, i) sum the same products in the same order).
    /// </summary>
    public static void Gram(int m, int k, double[] a, double[] c) => Gram(m, k, a, c, Vector512.IsHardwareAccelerated);

    /// <summary>The product with the tile chosen: tests compare the two tiles on a machine that has both.</summary>
    internal static void Multiply(int m, int n, int k, double[] a, bool transposeA, double[] b, bool transposeB, double[] c, bool vector512)
    {
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
            throw new ArgumentException($"arrays of {a.Length}, {b.Length} and {c.Length} values cannot hold {m}x{k}, {k}x{n} and {m}x{n}");
        if (ReferenceEquals(c, a) || ReferenceEquals(c, b)) throw new ArgumentException("C must not alias A or B");
        if (vector512) Run<Tile512>(m, n, k, a, transposeA, b, transposeB, c, lowerOnly: false);
        else Run<Tile256>(m, n, k, a, transposeA, b, transposeB, c, lowerOnly: false);
    }

    internal static void Gram(int m, int k, double[] a, double[] c, bool vector512)
    {
        if (a.Length < (long)m * k || c.Length < (long)m * m)
            throw new ArgumentException($"arrays of {a.Length} and {c.Length} values cannot hold {m}x{k} and {m}x{m}");
        if (ReferenceEquals(c, a)) throw new ArgumentException("C must not alias A");
        if (vector512) Run<Tile512>(m, m, k, a, false, a, true, c, lowerOnly: true);
        else Run<Tile256>(m, m, k, a, false, a, true, c, lowerOnly: true);
        for (int i = 0; i < m; i++)
            for (int j = i + 1; j < m; j++) c[(long)i * m + j] = c[(long)j * m + i];
    }

    private static void Run<T>(int m, int n, int k, double[] a, bool transposeA, double[] b, bool transposeB, double[] c, bool lowerOnly)
        where T : ITile
    {
        if (m == 0 || n == 0) return;
        if (k == 0) { c.AsSpan(0, m * n).Clear(); return; }
        int lda = transposeA ? m : k, ldb = transposeB ? k : n;
        int threads = Gemm.ThreadsFor((long)m * n * k);
        int aPanels = (m + T.MR - 1) / T.MR, panelsPerPart = MC / T.MR;
        int parts = (aPanels + panelsPerPart - 1) / panelsPerPart;
        if (threads > 1) parts = Math.Min(aPanels, (parts + threads - 1) / threads * threads);
        var bPack = ArrayPool<double>.Shared.Rent(KC * (Math.Min(n, NC) + T.NR));
        try
        {
            for (int jc = 0; jc < n; jc += NC)
            {
                int ncur = Math.Min(NC, n - jc), bPanels = (ncur + T.NR - 1) / T.NR;
                for (int pc = 0; pc < k; pc += KC)
                {
                    int kcur = Math.Min(KC, k - pc);
                    bool first = pc == 0;
                    Gemm.ParallelFor(bPanels, threads, jr => PackB<T>(b, ldb, transposeB, bPack, jc + jr * T.NR, Math.Min(T.NR, ncur - jr * T.NR), pc, kcur, jr));
                    Gemm.ParallelFor(parts, threads, part =>
                    {
                        int r0 = (int)((long)aPanels * part / parts) * T.MR, r1 = Math.Min(m, (int)((long)aPanels * (part + 1) / parts) * T.MR);
                        Block<T>(a, lda, transposeA, bPack, bPanels, c, n, r0, r1, jc, ncur, pc, kcur, first, lowerOnly);
                    });
                }
            }
        }
        finally { ArrayPool<double>.Shared.Return(bPack); }
    }

    // Rows r0..r1 of C, columns jc..jc+ncur, depth pc..pc+kcur: each A panel is packed once and meets every B panel
    // (lowerOnly: those that reach the diagonal or below it).
    private static unsafe void Block<T>(double[] a, int lda, bool tA, double[] bPack, int bPanels, double[] c, int ldc,
        int r0, int r1, int jc, int ncur, int pc, int kcur, bool first, bool lowerOnly) where T : ITile
    {
        int mr = T.MR, nr = T.NR;
        var aPack = ArrayPool<double>.Shared.Rent(mr * kcur);
        double* edge = stackalloc double[mr * nr];
        try
        {
            fixed (double* ap = aPack, bp = bPack, cp = c)
                for (int i0 = r0; i0 < r1; i0 += mr)
                {
                    int rows = Math.Min(mr, r1 - i0);
                    int panels = lowerOnly ? Math.Min(bPanels, Math.Max(0, i0 + rows - jc + nr - 1) / nr) : bPanels;
                    if (panels == 0) continue;
                    PackA<T>(a, lda, tA, aPack, i0, rows, pc, kcur);
                    for (int jr = 0; jr < panels; jr++)
                    {
                        int cols = Math.Min(nr, ncur - jr * nr);
                        double* tile = cp + (long)i0 * ldc + jc + jr * nr, panel = bp + (long)jr * nr * kcur;
                        if (rows == mr && cols == nr) T.Kernel(kcur, ap, panel, tile, ldc, first);
                        else
                        {
                            T.Kernel(kcur, ap, panel, edge, nr, overwrite: true);
                            for (int r = 0; r < rows; r++)
                                for (int j = 0; j < cols; j++)
                                    tile[(long)r * ldc + j] = first ? edge[r * nr + j] : tile[(long)r * ldc + j] + edge[r * nr + j];
                        }
                    }
                }
        }
        finally { ArrayPool<double>.Shared.Return(aPack); }
    }

    // For each depth p, MR consecutive values op(A)(i0 + r, pc + p), zero past the last row. An untransposed A is read
    // row by row (contiguous) and written with stride MR, rather than read MR rows apart at each p.
    private static unsafe void PackA<T>(double[] a, int lda, bool tA, double[] dest, int i0, int rows, int pc, int kcur) where T : ITile
    {
        int mr = T.MR;
        fixed (double* ap = a, dp = dest)
        {
            if (tA)
                for (int p = 0; p < kcur; p++)
                {
                    double* src = ap + (long)(pc + p) * lda + i0, d = dp + p * mr;
                    for (int r = 0; r < rows; r++) d[r] = src[r];
                }
            else
                for (int r = 0; r < rows; r++)
                {
                    double* src = ap + (long)(i0 + r) * lda + pc, d = dp + r;
                    for (int p = 0; p < kcur; p++) d[p * mr] = src[p];
                }
            for (int r = rows; r < mr; r++)
                for (int p = 0; p < kcur; p++) dp[p * mr + r] = 0;
        }
    }

    // Panel jr of the block: for each depth p, NR consecutive values op(B)(pc + p, j0 + j), zero past the last column.
    // A transposed B is read row by row as PackA reads an untransposed A.
    private static unsafe void PackB<T>(double[] b, int ldb, bool tB, double[] dest, int j0, int cols, int pc, int kcur, int jr) where T : ITile
    {
        int nr = T.NR;
        fixed (double* bp = b, dp = dest)
        {
            double* panel = dp + (long)jr * nr * kcur;
            if (!tB)
                for (int p = 0; p < kcur; p++)
                    new ReadOnlySpan<double>(bp + (long)(pc + p) * ldb + j0, cols).CopyTo(new Span<double>(panel + p * nr, cols));
            else
                for (int j = 0; j < cols; j++)
                {
                    double* src = bp + (long)(j0 + j) * ldb + pc, d = panel + j;
                    for (int p = 0; p < kcur; p++) d[p * nr] = src[p];
                }
            for (int j = cols; j < nr; j++)
                for (int p = 0; p < kcur; p++) panel[p * nr + j] = 0;
        }
    }

    /// <summary>A register tile: C = acc (overwrite) or C += acc, acc = Σ_p a_p b_pᵀ over kc packed steps, each entry one
    /// fused multiply-add chain from zero in p order.</summary>
    private interface ITile
    {
        static abstract int MR { get; }
        static abstract int NR { get; }
        static abstract unsafe void Kernel(int kc, double* a, double* b, double* c, int ldc, bool overwrite);
    }

    /// <summary>8×16 for AVX-512: sixteen zmm accumulators, two B loads and eight broadcasts per depth step.</summary>
    private readonly struct Tile512 : ITile
    {
        public static int MR => 8;
        public static int NR => 16;

        [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
        public static unsafe void Kernel(int kc, double* a, double* b, double* c, int ldc, bool overwrite)
        {
            Vector512<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
                c60 = default, c61 = default, c70 = default, c71 = default;
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 8);
                var x = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                x = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                x = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                x = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
                x = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
                x = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
                x = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
                x = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
                a += 8;
                b += 16;
            }
            Store(c, c00, c01, overwrite); Store(c + ldc, c10, c11, overwrite); Store(c + 2 * ldc, c20, c21, overwrite);
            Store(c + 3 * ldc, c30, c31, overwrite); Store(c + 4 * ldc, c40, c41, overwrite); Store(c + 5 * ldc, c50, c51, overwrite);
            Store(c + 6 * ldc, c60, c61, overwrite); Store(c + 7 * ldc, c70, c71, overwrite);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void Store(double* c, Vector512<double> x0, Vector512<double> x1, bool overwrite)
        {
            if (!overwrite)
            {
                x0 += Vector512.Load(c);
                x1 += Vector512.Load(c + 8);
            }
            x0.Store(c);
            x1.Store(c + 8);
        }
    }

    /// <summary>6×8 for AVX2: twelve ymm accumulators of the sixteen registers.</summary>
    private readonly struct Tile256 : ITile
    {
        public static int MR => 6;
        public static int NR => 8;

        [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
        public static unsafe void Kernel(int kc, double* a, double* b, double* c, int ldc, bool overwrite)
        {
            Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector256.Load(b);
                var b1 = Vector256.Load(b + 4);
                var x = Vector256.Create(a[0]); c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
                x = Vector256.Create(a[1]); c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
                x = Vector256.Create(a[2]); c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
                x = Vector256.Create(a[3]); c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
                x = Vector256.Create(a[4]); c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
                x = Vector256.Create(a[5]); c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
                a += 6;
                b += 8;
            }
            Store(c, c00, c01, overwrite); Store(c + ldc, c10, c11, overwrite); Store(c + 2 * ldc, c20, c21, overwrite);
            Store(c + 3 * ldc, c30, c31, overwrite); Store(c + 4 * ldc, c40, c41, overwrite); Store(c + 5 * ldc, c50, c51, overwrite);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void Store(double* c, Vector256<double> x0, Vector256<double> x1, bool overwrite)
        {
            if (!overwrite)
            {
                x0 += Vector256.Load(c);
                x1 += Vector256.Load(c + 4);
            }
            x0.Store(c);
            x1.Store(c + 4);
        }
    }
}
