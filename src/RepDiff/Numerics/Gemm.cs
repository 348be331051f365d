using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RepDiff.Numerics;

/// <summary>
/// Single-precision matrix product C = alpha·op(A)·op(B) + beta·C, the kernel under distances, SYRK,
/// random features and k-means. Managed path: the Goto/BLIS scheme — pack a kc×nc block of op(B) and an
/// mc×kc block of op(A) into contiguous micro-panels, then an MR×NR register-tile micro-kernel (Vector512
/// with FMA, Vector256 fallback) sweeps them: each A micro-panel stays in L1 while a run of B micro-panels sized to
/// the L2 streams past it, prefetched by the kernel; blocks of C are spread over cores. Every element of C is
/// accumulated in one lane, in the same order, whatever the thread count or kernel width, so results are
/// reproducible (bit-identical between the AVX-512 and AVX2+FMA kernels).
/// </summary>
public static class Gemm
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C, with op(X) = Xᵀ when the flag is set. C must not alias A or B.</summary>
    public static void Multiply(Matrix a, bool transposeA, Matrix b, bool transposeB, Matrix c, float alpha = 1, float beta = 0)
    {
        int m = transposeA ? a.Cols : a.Rows, k = transposeA ? a.Rows : a.Cols;
        int kb = transposeB ? b.Cols : b.Rows, n = transposeB ? b.Rows : b.Cols;
        if (k != kb) throw new ArgumentException($"inner dimensions differ: op(A) is {m}x{k}, op(B) is {kb}x{n}");
        if (c.Rows != m || c.Cols != n) throw new ArgumentException($"C is {c.Rows}x{c.Cols}, expected {m}x{n}");
        if (ReferenceEquals(c.Data, a.Data) || ReferenceEquals(c.Data, b.Data)) throw new ArgumentException("C must not alias A or B");
        Compute(m, n, k, alpha, a.Data, 0, a.Cols, transposeA, b.Data, 0, b.Cols, transposeB, beta, c.Data, 0, c.Cols);
    }

    /// <summary>A new matrix op(A)·op(B).</summary>
    public static Matrix Multiply(Matrix a, Matrix b, bool transposeA = false, bool transposeB = false)
    {
        var c = new Matrix(transposeA ? a.Cols : a.Rows, transposeB ? b.Rows : b.Cols);
        Multiply(a, transposeA, b, transposeB, c);
        return c;
    }

    /// <summary>
    /// The strided core: op(A)(i,p) = A[aOff + (tA ? p·lda + i : i·lda + p)], likewise B; C(i,j) = C[cOff + i·ldc + j].
    /// With upperOnly (for SYRK), register tiles lying wholly below the diagonal are skipped: only C(i, j ≥ i) is
    /// guaranteed, some entries below it are computed too. The native path is not used then.
    /// </summary>
    internal static void Compute(int m, int n, int k, float alpha,
        float[] a, long aOff, int lda, bool tA, float[] b, long bOff, int ldb, bool tB,
        float beta, float[] c, long cOff, int ldc, bool upperOnly = false, bool singleThreaded = false)
    {
        if (m == 0 || n == 0) return;
        // The packing and the kernels read and write through pointers: check once that every index stays inside.
        CheckExtent(a, aOff, lda, tA ? k : m, tA ? m : k, "A");
        CheckExtent(b, bOff, ldb, tB ? n : k, tB ? k : n, "B");
        CheckExtent(c, cOff, ldc, m, n, "C");
        if (k == 0 || alpha == 0)
        {
            ScaleC(m, n, beta, c, cOff, ldc, singleThreaded ? 1 : Environment.ProcessorCount);
            return;
        }
        if (!upperOnly && NativeBlas.Enabled && NativeBlas.TrySgemm(m, n, k, alpha, a, aOff, lda, tA, b, bOff, ldb, tB, beta, c, cOff, ldc)) return;
        // beta = 0: the first depth block overwrites C (BLAS semantics: whatever C held, even NaN, is ignored),
        // which saves a clearing pass and a read of C — most of the cost when k is small.
        bool overwrite = beta == 0;
        if (!overwrite) ScaleC(m, n, beta, c, cOff, ldc, singleThreaded ? 1 : Environment.ProcessorCount);
        if (UseVector512)
            new Blocked<Tile512>(m, n, k, alpha, a, aOff, lda, tA, b, bOff, ldb, tB, c, cOff, ldc, overwrite, upperOnly).Run(singleThreaded);
        else
            new Blocked<Tile256>(m, n, k, alpha, a, aOff, lda, tA, b, bOff, ldb, tB, c, cOff, ldc, overwrite, upperOnly).Run(singleThreaded);
    }

    // rows×cols values at off with leading dimension ld (row-major) must lie inside the array.
    private static void CheckExtent(float[] x, long off, int ld, int rows, int cols, string name)
    {
        if (rows == 0 || cols == 0) return;
        if (off < 0 || cols > ld || off + (long)(rows - 1) * ld + cols > x.Length)
            throw new ArgumentException($"{name}: {rows}x{cols} values at offset {off} with stride {ld} do not fit its {x.Length} values");
    }

    private static void ScaleC(int m, int n, float beta, float[] c, long cOff, int ldc, int threads)
    {
        if (beta == 1) return;
        ParallelFor(m, threads, i =>
        {
            var row = c.AsSpan((int)(cOff + (long)i * ldc), n);
            if (beta == 0) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        });
    }

    /// <summary>Which micro-kernel runs; tests turn it off to exercise the AVX2 kernel on AVX-512 machines.</summary>
    internal static bool UseVector512 { get; set; } = Vector512.IsHardwareAccelerated;

    /// <summary>The micro-kernel in use, for `repdiff info` and benchmark records.</summary>
    public static string KernelName => NativeBlas.Enabled && NativeBlas.IsAvailable ? "OpenBLAS"
        : UseVector512 ? $"managed {Tile512.MR}x{Tile512.NR} Vector512" : $"managed {Tile256.MR}x{Tile256.NR} Vector256";

    internal const int KC = 256; // depth of a packed block: an A micro-panel (MR×KC) stays in L1; another depth changes every result's bits
    internal const int MC = 192; // rows of a packed A block (MC×KC floats = 192 KB, in L2 beside a run of B panels); multiple of both MRs
    internal const int NC = 4096; // columns of a packed B block (in L3)

    /// <summary>
    /// B micro-panels of panelBytes each that one A micro-panel meets before the next: as many as fill half the L2, so
    /// the run comes from L2 again for every A panel of the block while the A block keeps the rest.
    /// </summary>
    internal static int PanelsPerRun(long l2Bytes, long panelBytes) => (int)Math.Clamp(l2Bytes / 2 / panelBytes, 1, int.MaxValue);

    /// <summary>A register-tile micro-kernel: C[0..rows, 0..cols] += alpha · Apanel·Bpanel over kc steps.</summary>
    internal interface ITile
    {
        static abstract int MR { get; }
        static abstract int NR { get; }
        /// <summary>A whole MR×NR tile: C = alpha·acc (overwrite) or C += alpha·acc.</summary>
        /// <remarks>
        /// Edge tiles go through a scratch tile in the caller: a stackalloc here made the JIT keep every accumulator
        /// on the stack (a store and a reload per FMA; the 6×16 AVX2 tile ran at 21 instead of 71 GFLOP/s a core).
        /// </remarks>
        static abstract unsafe void Kernel(int kc, float* a, float* b, float* c, int ldc, float alpha, bool overwrite);
    }

    private sealed class Blocked<T>(int m, int n, int k, float alpha,
        float[] a, long aOff, int lda, bool tA, float[] b, long bOff, int ldb, bool tB,
        float[] c, long cOff, int ldc, bool overwrite, bool upperOnly) where T : ITile
    {
        public void Run(bool singleThreaded)
        {
            int mr = T.MR, nr = T.NR;
            int threads = singleThreaded ? 1 : Environment.ProcessorCount;
            // Row parts of at most MC rows, their count a multiple of the thread count and their sizes equal to a
            // panel, so every core gets the same work per depth block (21 blocks of 192 rows on 2 cores left one
            // core idle for a twenty-first of each block). SYRK's upper triangle gives rows unequal work: there
            // MC blocks are handed out as cores free up.
            int aPanels = (m + mr - 1) / mr, panelsPerBlock = MC / mr;
            int rowParts = (aPanels + panelsPerBlock - 1) / panelsPerBlock;
            if (!upperOnly && threads > 1) rowParts = Math.Min(aPanels, (rowParts + threads - 1) / threads * threads);
            var bPack = ArrayPool<float>.Shared.Rent(KC * (Math.Min(n, NC) + nr));
            try
            {
                for (int jc = 0; jc < n; jc += NC)
                {
                    int ncur = Math.Min(NC, n - jc);
                    int panels = (ncur + nr - 1) / nr;
                    // Split columns too when there are fewer row parts than cores (tall-thin work is rare, short-wide is common).
                    int jParts = Math.Clamp((2 * threads + rowParts - 1) / rowParts, 1, panels);
                    if (!upperOnly && rowParts >= threads) jParts = 1;
                    for (int pc = 0; pc < k; pc += KC)
                    {
                        int kcur = Math.Min(KC, k - pc);
                        ParallelFor(panels, threads, jr => PackB(bPack, jr, jc, ncur, pc, kcur));
                        ParallelFor(rowParts * jParts, threads, item =>
                        {
                            int part = item / jParts, colPart = item % jParts;
                            int r0 = (int)((long)aPanels * part / rowParts) * mr;
                            int r1 = Math.Min(m, (int)((long)aPanels * (part + 1) / rowParts) * mr);
                            int p0 = (int)((long)panels * colPart / jParts), p1 = (int)((long)panels * (colPart + 1) / jParts);
                            Compute(bPack, r0, r1 - r0, jc, ncur, p0, p1, pc, kcur);
                        });
                    }
                }
            }
            finally { ArrayPool<float>.Shared.Return(bPack); }
        }

        // SYRK's product of a matrix with its own transpose (op(A) = op(B)ᵀ, as XᵀX and X Xᵀ read it): an A block whose rows
        // are columns of the B block just packed is copied from that pack, which is in cache, instead of read from X again
        // (with the 8×32 tile an A micro-panel is a quarter of a B one). Needs A's panels to sit inside B's (MR divides NR).
        private readonly bool aIsBTransposed = ReferenceEquals(a, b) && aOff == bOff && lda == ldb && tA != tB && T.NR % T.MR == 0;

        private bool PacksAFromB(int ic, int mcur, int jc, int ncur) => aIsBTransposed && ic >= jc && ic + mcur <= jc + ncur;

        private unsafe void Compute(float[] bPack, int ic, int mcur, int jc, int ncur, int p0, int p1, int pc, int kcur)
        {
            if (upperOnly && ic >= jc + ncur) return; // every tile lies under the diagonal: no A block to pack
            int mr = T.MR, nr = T.NR;
            int aPanels = (mcur + mr - 1) / mr;
            bool first = overwrite && pc == 0;
            var aPack = ArrayPool<float>.Shared.Rent(aPanels * mr * kcur);
            float* edge = stackalloc float[mr * nr];
            try
            {
                if (PacksAFromB(ic, mcur, jc, ncur)) CopyAFromB(aPack, bPack, ic - jc, mcur, kcur);
                else PackA(aPack, ic, mcur, pc, kcur);
                // The A micro-panel (MR×kc floats, 6–8 KB) is the operand kept in L1, and a run of B micro-panels streams
                // past it from L2. Keeping the B panel in L1 instead (KC×32 floats, 32 KB, two thirds of a 48 KB L1) while
                // the whole 192 KB A block streamed past it ran at 136–187 GFLOP per CPU-second on one Xeon core at 4000³,
                // the kernel alone in L1 at 240 (docs/benchmarks.md, sixty-fourth session). The order of the tiles does not
                // change any element's sums, so the bits are the same.
                int run = PanelsPerRun(CpuCache.L2Bytes, (long)nr * kcur * sizeof(float));
                fixed (float* ap = aPack, bp = bPack, cp = c)
                {
                    for (int j0 = p0; j0 < p1; j0 += run)
                    for (int ir = 0, j1 = Math.Min(p1, j0 + run); ir < aPanels; ir++)
                    {
                        int rows = Math.Min(mr, mcur - ir * mr);
                        float* aPanel = ap + (long)ir * mr * kcur;
                        for (int jr = j0; jr < j1; jr++)
                        {
                            int cols = Math.Min(nr, ncur - jr * nr);
                            if (upperOnly && ic + ir * mr >= jc + jr * nr + cols) continue; // this tile lies under the diagonal
                            float* bPanel = bp + (long)jr * nr * kcur;
                            float* cTile = cp + cOff + (long)(ic + ir * mr) * ldc + jc + jr * nr;
                            if (rows == mr && cols == nr)
                                T.Kernel(kcur, aPanel, bPanel, cTile, ldc, alpha, first);
                            else
                            {
                                T.Kernel(kcur, aPanel, bPanel, edge, nr, 1f, overwrite: true);
                                AddPartial(edge, nr, cTile, ldc, rows, cols, alpha, first);
                            }
                        }
                    }
                }
            }
            finally { ArrayPool<float>.Shared.Return(aPack); }
        }

        // A micro-panel: for each depth p, MR consecutive values op(A)(ic+ir·MR+r, pc+p), zero-padded past m.
        private unsafe void PackA(float[] dest, int ic, int mcur, int pc, int kcur)
        {
            int mr = T.MR;
            fixed (float* ap = a, dp = dest)
            {
                float* d = dp;
                for (int i0 = 0; i0 < mcur; i0 += mr, d += mr * kcur)
                {
                    int rows = Math.Min(mr, mcur - i0);
                    if (!tA)
                    {
                        float* src = ap + aOff + (long)(ic + i0) * lda + pc;
                        int p = 0;
                        if (mr == 8 && rows == 8 && Avx.IsSupported)
                            for (; p <= kcur - 8; p += 8) Transpose8x8(src + p, lda, d + p * 8, 8);
                        for (; p < kcur; p++)
                        {
                            for (int r = 0; r < rows; r++) d[p * mr + r] = src[(long)r * lda + p];
                            for (int r = rows; r < mr; r++) d[p * mr + r] = 0;
                        }
                    }
                    else
                    {
                        float* src = ap + aOff + (long)pc * lda + ic + i0;
                        for (int p = 0; p < kcur; p++, src += lda) CopyPadded(src, d + p * mr, rows, mr);
                    }
                }
            }
        }

        // PackA's micro-panels for op(A) = op(B)ᵀ, rows [first, first + mcur) of the B block's columns: at depth p, the MR
        // values of an A panel are MR consecutive values of the B panel holding those columns (B's zero padding past n is
        // A's past m).
        private unsafe void CopyAFromB(float[] dest, float[] bPack, int first, int mcur, int kcur)
        {
            int mr = T.MR, nr = T.NR;
            fixed (float* bp = bPack, dp = dest)
            {
                float* d = dp;
                for (int i0 = first; i0 < first + mcur; i0 += mr)
                {
                    float* src = bp + (long)(i0 / nr) * nr * kcur + i0 % nr;
                    for (int p = 0; p < kcur; p++, src += nr, d += mr) CopyPadded(src, d, mr, mr);
                }
            }
        }

        // A B micro-panel: for each depth p, NR consecutive values op(B)(pc+p, jc+jr·NR+j), zero-padded past n.
        private unsafe void PackB(float[] dest, int jr, int jc, int ncur, int pc, int kcur)
        {
            int nr = T.NR;
            int j0 = jr * nr, cols = Math.Min(nr, ncur - j0);
            fixed (float* bp = b, dp = dest)
            {
                float* d = dp + (long)jr * nr * kcur;
                if (!tB)
                {
                    float* src = bp + bOff + (long)pc * ldb + jc + j0;
                    for (int p = 0; p < kcur; p++, src += ldb) CopyPadded(src, d + p * nr, cols, nr);
                    return;
                }
                float* s0 = bp + bOff + (long)(jc + j0) * ldb + pc;
                int j = 0;
                if (Avx.IsSupported)
                    for (; j <= cols - 8; j += 8)
                    {
                        int p = 0;
                        for (; p <= kcur - 8; p += 8) Transpose8x8(s0 + (long)j * ldb + p, ldb, d + p * nr + j, nr);
                        for (; p < kcur; p++)
                            for (int q = j; q < j + 8; q++) d[p * nr + q] = s0[(long)q * ldb + p];
                    }
                for (; j < cols; j++)
                    for (int p = 0; p < kcur; p++) d[p * nr + j] = s0[(long)j * ldb + p];
                for (; j < nr; j++)
                    for (int p = 0; p < kcur; p++) d[p * nr + j] = 0;
            }
        }
    }

    // count floats, then zeros up to width. Inline vector moves: a call to a general copy per 8 or 32 floats cost as
    // much as the packing itself (SYRK of narrow X packs one value for every 128 flops).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyPadded(float* src, float* dst, int count, int width)
    {
        int j = 0;
        for (; j <= count - 8; j += 8) Vector256.Load(src + j).Store(dst + j);
        for (; j < count; j++) dst[j] = src[j];
        for (; j < width; j++) dst[j] = 0;
    }

    // dst[q·dstStride + r] = src[r·srcStride + q] for an 8×8 block: eight row loads, three shuffle stages, eight stores.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose8x8(float* src, long srcStride, float* dst, long dstStride)
    {
        var r0 = Avx.LoadVector256(src); var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + 2 * srcStride); var r3 = Avx.LoadVector256(src + 3 * srcStride);
        var r4 = Avx.LoadVector256(src + 4 * srcStride); var r5 = Avx.LoadVector256(src + 5 * srcStride);
        var r6 = Avx.LoadVector256(src + 6 * srcStride); var r7 = Avx.LoadVector256(src + 7 * srcStride);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(s3, s7, 0x31));
    }

    /// <summary>
    /// Multiply-adds below which a loop stays on the calling thread. Handing work to a second thread and waiting for it
    /// costs microseconds on an idle machine but up to a scheduler time slice (milliseconds) when other processes hold the
    /// cores: RDX's k-means on its k-column spectral embedding handed out about 500 loops of microseconds each, and with the
    /// machine loaded `rdx` ran slower on two cores than pinned to one.
    /// </summary>
    internal const long ParallelWorkFloor = 1 << 20;

    /// <summary>The threads a loop of about <paramref name="work"/> multiply-adds is worth: one below <see cref="ParallelWorkFloor"/>.</summary>
    internal static int ThreadsFor(long work) => work < ParallelWorkFloor ? 1 : Environment.ProcessorCount;

    /// <summary>Parallel.For that stays on the calling thread for a single item or a single core.</summary>
    internal static void ParallelFor(int count, int threads, Action<int> body)
    {
        if (count == 1 || threads == 1)
            for (int i = 0; i < count; i++) body(i);
        else
            Parallel.For(0, count, body);
    }

    /// <summary>8×32 tile: 16 zmm accumulators, two B loads and eight broadcasts per depth step.</summary>
    internal readonly struct Tile512 : ITile
    {
        public static int MR => 8;
        public static int NR => 32;

        [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
        public static unsafe void Kernel(int kc, float* a, float* b, float* c, int ldc, float alpha, bool overwrite)
        {
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
                c60 = default, c61 = default, c70 = default, c71 = default;
            PrefetchTile(c, ldc, 8, 32);
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 16);
                var x = Vector512.Create(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
                x = Vector512.Create(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
                x = Vector512.Create(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
                x = Vector512.Create(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
                x = Vector512.Create(a[4]); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
                x = Vector512.Create(a[5]); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
                x = Vector512.Create(a[6]); c60 = Fma(x, b0, c60); c61 = Fma(x, b1, c61);
                x = Vector512.Create(a[7]); c70 = Fma(x, b0, c70); c71 = Fma(x, b1, c71);
                PrefetchLine(b + 16 * 32); // both cache lines of the B step 16 ahead
                PrefetchLine(b + 16 * 32 + 16);
                a += 8;
                b += 32;
            }
            Add(c, c00, c01, alpha, overwrite); Add(c + ldc, c10, c11, alpha, overwrite);
            Add(c + 2 * ldc, c20, c21, alpha, overwrite); Add(c + 3 * ldc, c30, c31, alpha, overwrite);
            Add(c + 4 * ldc, c40, c41, alpha, overwrite); Add(c + 5 * ldc, c50, c51, alpha, overwrite);
            Add(c + 6 * ldc, c60, c61, alpha, overwrite); Add(c + 7 * ldc, c70, c71, alpha, overwrite);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void Add(float* c, Vector512<float> x0, Vector512<float> x1, float alpha, bool overwrite)
        {
            var al = Vector512.Create(alpha);
            if (overwrite)
            {
                (al * x0).Store(c);
                (al * x1).Store(c + 16);
                return;
            }
            Vector512.FusedMultiplyAdd(al, x0, Vector512.Load(c)).Store(c);
            Vector512.FusedMultiplyAdd(al, x1, Vector512.Load(c + 16)).Store(c + 16);
        }

        // As Tile256's: fused where the hardware has FMA, multiply-add elsewhere, so that the two tiles give the same bits on
        // a CPU without FMA too, where this tile runs in software (DOTNET_EnableAVX2=0 had given 3.03109288 against 3.0310936).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> Fma(Vector512<float> x, Vector512<float> y, Vector512<float> z) =>
            System.Runtime.Intrinsics.X86.Fma.IsSupported ? Vector512.FusedMultiplyAdd(x, y, z) : x * y + z;
    }

    /// <summary>6×16 tile for AVX2 machines: 12 ymm accumulators fit the 16 registers.</summary>
    internal readonly struct Tile256 : ITile
    {
        public static int MR => 6;
        public static int NR => 16;

        [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
        public static unsafe void Kernel(int kc, float* a, float* b, float* c, int ldc, float alpha, bool overwrite)
        {
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            PrefetchTile(c, ldc, 6, 16);
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector256.Load(b);
                var b1 = Vector256.Load(b + 8);
                var x = Vector256.Create(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
                x = Vector256.Create(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
                x = Vector256.Create(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
                x = Vector256.Create(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
                x = Vector256.Create(a[4]); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
                x = Vector256.Create(a[5]); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
                PrefetchLine(b + 16 * 16); // the B step 16 ahead
                a += 6;
                b += 16;
            }
            Add(c, c00, c01, alpha, overwrite); Add(c + ldc, c10, c11, alpha, overwrite);
            Add(c + 2 * ldc, c20, c21, alpha, overwrite); Add(c + 3 * ldc, c30, c31, alpha, overwrite);
            Add(c + 4 * ldc, c40, c41, alpha, overwrite); Add(c + 5 * ldc, c50, c51, alpha, overwrite);
        }

        // Vector256.FusedMultiplyAdd is fused on every CPU (software where there is no FMA), as AddPartial's MathF one is.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void Add(float* c, Vector256<float> x0, Vector256<float> x1, float alpha, bool overwrite)
        {
            var al = Vector256.Create(alpha);
            if (overwrite)
            {
                (al * x0).Store(c);
                (al * x1).Store(c + 8);
                return;
            }
            Vector256.FusedMultiplyAdd(al, x0, Vector256.Load(c)).Store(c);
            Vector256.FusedMultiplyAdd(al, x1, Vector256.Load(c + 8)).Store(c + 8);
        }

        // Fused where the hardware has FMA (same rounding as the 512-bit path); multiply-add elsewhere.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Fma(Vector256<float> x, Vector256<float> y, Vector256<float> z) =>
            System.Runtime.Intrinsics.X86.Fma.IsSupported ? Vector256.FusedMultiplyAdd(x, y, z) : x * y + z;
    }

    // Fetch the C tile when a kernel starts: its rows are needed only after the depth loop, and coming from memory
    // then they would stall it (about 10% of a large product on one core).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchTile(float* c, int ldc, int rows, int cols)
    {
        if (!Sse.IsSupported) return;
        for (int r = 0; r < rows; r++)
        {
            Sse.Prefetch0(c + (long)r * ldc);
            Sse.Prefetch0(c + (long)r * ldc + cols - 1);
        }
    }

    // The kernels' B panel streams from L2 (and runs on into the next panel, packed right after it): fetching a depth
    // step's lines 16 steps ahead, about 130 cycles, hides an L2 hit. Without it the streamed order ran at 190–203 GFLOP per
    // CPU-second on a Xeon core at 4000³, with it 214–217 (OpenBLAS 221–232). A prefetch past the array's end does not fault.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchLine(float* address)
    {
        if (Sse.IsSupported) Sse.Prefetch0(address);
    }

    private static unsafe void AddPartial(float* t, int nr, float* c, int ldc, int rows, int cols, float alpha, bool overwrite)
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++)
                c[(long)r * ldc + j] = overwrite ? alpha * t[r * nr + j] : MathF.FusedMultiplyAdd(alpha, t[r * nr + j], c[(long)r * ldc + j]);
    }
}
