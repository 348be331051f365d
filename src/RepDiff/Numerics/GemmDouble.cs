using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// Double-precision C = op(A)·op(B) on whole row-major arrays, for SPEC-align's step (Y = B W, Bᵀ dY, Ŷ Ŷᵀ), where the
/// products stay in double because Adam divides each gradient entry by its own running scale: a float product's 1e-7
/// relative error on an entry that is round-off would become a full learning-rate step (see <see cref="Methods.Spec.SpecAlign"/>).
/// The scheme of <see cref="Gemm"/>, smaller: a KC×NC block of op(B) and an MR×KC panel of op(A) are packed contiguous and a
/// 6×8 register tile (twelve Vector256 accumulators) sweeps them, so W is read from cache rather than streamed from memory
/// once per row (the row-by-row product took tens of seconds a step at d_B = 5,000). Each C entry is summed in one lane in
/// the same order whatever the thread count, so results do not depend on the cores.
/// </summary>
public static class GemmDouble
{
    private const int MR = 6, NR = 8;
    internal const int KC = 256; // depth of a packed block: one B panel (KC×NR doubles, 16 KB) stays in L1
    internal const int NC = 256; // columns of a packed B block: KC×NC doubles = 512 KB, in L2
    private const int MC = 96;   // rows a thread takes at a time (a multiple of MR)

    /// <summary>
    /// C (m×n, overwritten) = op(A)·op(B): A is m×k (k×m when transposeA), B is k×n (n×k when transposeB), all row-major
    /// and dense. C must not alias A or B.
    /// </summary>
    public static void Multiply(int m, int n, int k, double[] a, bool transposeA, double[] b, bool transposeB, double[] c)
    {
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
            throw new ArgumentException($"arrays of {a.Length}, {b.Length} and {c.Length} values cannot hold {m}x{k}, {k}x{n} and {m}x{n}");
        if (ReferenceEquals(c, a) || ReferenceEquals(c, b)) throw new ArgumentException("C must not alias A or B");
        if (m == 0 || n == 0) return;
        if (k == 0) { c.AsSpan(0, m * n).Clear(); return; }
        int lda = transposeA ? m : k, ldb = transposeB ? k : n;
        int threads = Gemm.ThreadsFor((long)m * n * k);
        int aPanels = (m + MR - 1) / MR, panelsPerPart = MC / MR;
        int parts = (aPanels + panelsPerPart - 1) / panelsPerPart;
        if (threads > 1) parts = Math.Min(aPanels, (parts + threads - 1) / threads * threads);
        var bPack = ArrayPool<double>.Shared.Rent(KC * (Math.Min(n, NC) + NR));
        try
        {
            for (int jc = 0; jc < n; jc += NC)
            {
                int ncur = Math.Min(NC, n - jc), bPanels = (ncur + NR - 1) / NR;
                for (int pc = 0; pc < k; pc += KC)
                {
                    int kcur = Math.Min(KC, k - pc);
                    bool first = pc == 0;
                    Gemm.ParallelFor(bPanels, threads, jr => PackB(b, ldb, transposeB, bPack, jc + jr * NR, Math.Min(NR, ncur - jr * NR), pc, kcur, jr));
                    Gemm.ParallelFor(parts, threads, part =>
                    {
                        int r0 = (int)((long)aPanels * part / parts) * MR, r1 = Math.Min(m, (int)((long)aPanels * (part + 1) / parts) * MR);
                        Block(a, lda, transposeA, bPack, bPanels, c, n, r0, r1, jc, ncur, pc, kcur, first);
                    });
                }
            }
        }
        finally { ArrayPool<double>.Shared.Return(bPack); }
    }

    // Rows r0..r1 of C, columns jc..jc+ncur, depth pc..pc+kcur: each A panel is packed once and meets every B panel.
    private static unsafe void Block(double[] a, int lda, bool tA, double[] bPack, int bPanels, double[] c, int ldc,
        int r0, int r1, int jc, int ncur, int pc, int kcur, bool first)
    {
        var aPack = ArrayPool<double>.Shared.Rent(MR * kcur);
        double* edge = stackalloc double[MR * NR];
        try
        {
            fixed (double* ap = aPack, bp = bPack, cp = c)
                for (int i0 = r0; i0 < r1; i0 += MR)
                {
                    int rows = Math.Min(MR, r1 - i0);
                    PackA(a, lda, tA, aPack, i0, rows, pc, kcur);
                    for (int jr = 0; jr < bPanels; jr++)
                    {
                        int cols = Math.Min(NR, ncur - jr * NR);
                        double* tile = cp + (long)i0 * ldc + jc + jr * NR, panel = bp + (long)jr * NR * kcur;
                        if (rows == MR && cols == NR) Kernel(kcur, ap, panel, tile, ldc, first);
                        else
                        {
                            Kernel(kcur, ap, panel, edge, NR, overwrite: true);
                            for (int r = 0; r < rows; r++)
                                for (int j = 0; j < cols; j++)
                                    tile[(long)r * ldc + j] = first ? edge[r * NR + j] : tile[(long)r * ldc + j] + edge[r * NR + j];
                        }
                    }
                }
        }
        finally { ArrayPool<double>.Shared.Return(aPack); }
    }

    // For each depth p, MR consecutive values op(A)(i0 + r, pc + p), zero past the last row.
    private static void PackA(double[] a, int lda, bool tA, double[] dest, int i0, int rows, int pc, int kcur)
    {
        for (int p = 0; p < kcur; p++)
        {
            for (int r = 0; r < rows; r++)
                dest[p * MR + r] = tA ? a[(long)(pc + p) * lda + i0 + r] : a[(long)(i0 + r) * lda + pc + p];
            for (int r = rows; r < MR; r++) dest[p * MR + r] = 0;
        }
    }

    // Panel jr of the block: for each depth p, NR consecutive values op(B)(pc + p, j0 + j), zero past the last column.
    private static void PackB(double[] b, int ldb, bool tB, double[] dest, int j0, int cols, int pc, int kcur, int jr)
    {
        var d = dest.AsSpan(jr * NR * kcur, NR * kcur);
        for (int p = 0; p < kcur; p++)
        {
            var row = d.Slice(p * NR, NR);
            if (!tB) b.AsSpan((int)((long)(pc + p) * ldb + j0), cols).CopyTo(row);
            else
                for (int j = 0; j < cols; j++) row[j] = b[(long)(j0 + j) * ldb + pc + p];
            row[cols..].Clear();
        }
    }

    /// <summary>The 6×8 tile: C = acc (overwrite) or C += acc, acc = Σ_p a_p b_pᵀ over kc packed steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void Kernel(int kc, double* a, double* b, double* c, int ldc, bool overwrite)
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
            a += MR;
            b += NR;
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
