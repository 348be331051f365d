using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>Cholesky factorization of a symmetric positive (semi-)definite matrix, with diagonal jitter for the semi-definite case.</summary>
/// <remarks>
/// Right-looking blocked algorithm: factor a diagonal block of <see cref="Block"/> columns, solve the panel
/// below it, subtract the panel's outer product from the trailing lower triangle (a SIMD register-tiled
/// update spread over cores), repeat. Each entry is computed by one thread in a fixed order, so the result
/// does not depend on scheduling.
/// </remarks>
public static class Cholesky
{
    /// <summary>Columns per panel: large enough that the trailing update is compute-bound, small enough that a panel's transpose stays in cache.</summary>
    internal const int Block = 192;

    /// <summary>The first jitter relative to A's mean diagonal, for matrices whose sums carry float rounding.</summary>
    public const double DefaultJitter = 1e-10;

    /// <summary>
    /// Lower-triangular L (row-major, zeros above the diagonal) with A + jitter·scale·I = L Lᵀ, where scale is
    /// the mean of A's diagonal. When A is numerically indefinite at that jitter, retries with ten times more
    /// (up to jitter·scale = scale); throws ArgumentException when even that fails (A is genuinely indefinite).
    /// A is left as it was (A's symmetric part is factored).
    /// </summary>
    public static double[] Factor(double[] a, int n, double jitter = DefaultJitter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (a.Length < (long)n * n) throw new ArgumentException($"a holds {a.Length} values, expected {n}x{n}");
        return FactorInPlace(a.AsSpan(0, n * n).ToArray(), n, jitter);
    }

    /// <summary>
    /// <see cref="Factor"/> in A's own storage, for callers that no longer need A: a D×D matrix of doubles less, and
    /// the page faults of filling a fresh one (32,000 pages at D = 4,000, ~0.35 s on a guest where first touches are dear).
    /// Returns <paramref name="a"/>, now holding L (the same bits as Factor's). A is symmetrized first
    /// (both triangles take the mean of the pair), so when a jitter fails its retry restores A from the upper triangle.
    /// </summary>
    public static double[] FactorInPlace(double[] a, int n, double jitter = DefaultJitter) => FactorInPlace(a, n, jitter, out _);

    /// <summary><see cref="FactorInPlace(double[], int, double)"/>, saying the shift on the diagonal that took (A + shift·I = L Lᵀ).</summary>
    public static double[] FactorInPlace(double[] a, int n, double jitter, out double shift)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(jitter);
        if (a.Length < (long)n * n) throw new ArgumentException($"a holds {a.Length} values, expected {n}x{n}");
        double scale = 0;
        for (int i = 0; i < n; i++) scale += Math.Abs(a[(long)i * n + i]);
        scale = n == 0 || scale == 0 ? 1 : scale / n;
        if (!double.IsFinite(scale)) throw new ArgumentException("matrix has non-finite entries");
        Parallel.For(0, n, i =>
        {
            long row = (long)i * n;
            for (int j = 0; j < i; j++) a[row + j] = a[(long)j * n + i] = 0.5 * (a[row + j] + a[(long)j * n + i]);
        });
        // The entries a failed attempt may have overwritten that the upper triangle cannot give back: the diagonal
        // and the three entries right of it (the trailing update's 4-row tiles reach up to three columns past it).
        var band = new double[(long)n * BandWidth];
        Parallel.For(0, n, i => { for (int k = 0; k < BandWidth && i + k < n; k++) band[(long)i * BandWidth + k] = a[(long)i * n + i + k]; });
        for (double j = jitter; ; j = j == 0 ? 1e-12 : j * 10)
        {
            if (j != jitter) Restore(a, n, band);
            shift = j * scale;
            for (int i = 0; i < n; i++) a[(long)i * n + i] = band[(long)i * BandWidth] + shift;
            if (TryFactor(a, n)) return a;
            if (j >= 1) throw new ArgumentException($"matrix is not positive semi-definite (Cholesky failed even with jitter {j * scale:g3} on the diagonal)");
        }
    }

    /// <summary>The diagonal and the entries right of it that <see cref="FactorInPlace"/> saves.</summary>
    private const int BandWidth = TileRows;

    /// <summary>Puts the symmetrized A back below and near the diagonal after a failed attempt, from its upper triangle and the band.</summary>
    private static void Restore(double[] a, int n, double[] band) =>
        Parallel.For(0, n, i =>
        {
            long row = (long)i * n;
            for (int j = 0; j < i; j++) a[row + j] = i - j < BandWidth ? band[(long)j * BandWidth + (i - j)] : a[(long)j * n + i];
            for (int k = 1; k < BandWidth && i + k < n; k++) a[row + i + k] = band[(long)i * BandWidth + k];
        });

    // l holds the symmetric A + shift·I (its lower triangle is read) and is overwritten by L in place.
    private static bool TryFactor(double[] l, int n)
    {
        var panelT = new double[Block * ((long)n + TileCols)];
        for (int k0 = 0; k0 < n; k0 += Block)
        {
            int k1 = Math.Min(n, k0 + Block);
            if (!FactorDiagonalBlock(l, n, k0, k1)) return false;
            if (k1 == n) break;
            SolvePanel(l, n, k0, k1);
            UpdateTrailing(l, n, k0, k1, panelT);
        }
        ClearUpper(l, n);
        return true;
    }

    /// <summary>Unblocked Cholesky of the diagonal block [k0, k1) (earlier panels' contributions already subtracted).</summary>
    private static bool FactorDiagonalBlock(double[] l, int n, int k0, int k1)
    {
        for (int j = k0; j < k1; j++)
        {
            var lj = l.AsSpan((int)((long)j * n + k0), j - k0);
            double diag = l[(long)j * n + j] - TensorPrimitives.Dot<double>(lj, lj);
            if (!(diag > 0)) return false; // also catches NaN
            double ljj = Math.Sqrt(diag);
            l[(long)j * n + j] = ljj;
            for (int i = j + 1; i < k1; i++)
            {
                long r = (long)i * n;
                l[r + j] = (l[r + j] - TensorPrimitives.Dot<double>(l.AsSpan((int)(r + k0), j - k0), lj)) / ljj;
            }
        }
        return true;
    }

    /// <summary>Rows below the diagonal block: L_ij = (A_ij − Σ_{k0 ≤ p &lt; j} L_ip L_jp) / L_jj for j in [k0, k1).</summary>
    /// <remarks>Four rows at a time share each load of row j; each row's sums run in the same order as alone.</remarks>
    private static void SolvePanel(double[] l, int n, int k0, int k1) =>
        Parallel.For(0, (n - k1 + 3) / 4, g =>
        {
            int i0 = k1 + 4 * g;
            if (i0 + 4 > n)
            {
                for (int i = i0; i < n; i++) SolveRow(l, n, k0, k1, i);
                return;
            }
            long r0 = (long)i0 * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
            for (int j = k0; j < k1; j++)
            {
                long rj = (long)j * n;
                var (d0, d1, d2, d3) = Dot4(l, r0 + k0, r1 + k0, r2 + k0, r3 + k0, rj + k0, j - k0);
                double ljj = l[rj + j];
                l[r0 + j] = (l[r0 + j] - d0) / ljj;
                l[r1 + j] = (l[r1 + j] - d1) / ljj;
                l[r2 + j] = (l[r2 + j] - d2) / ljj;
                l[r3 + j] = (l[r3 + j] - d3) / ljj;
            }
        });

    private static void SolveRow(double[] l, int n, int k0, int k1, int i)
    {
        long r = (long)i * n;
        for (int j = k0; j < k1; j++)
        {
            long rj = (long)j * n;
            var (d, _, _, _) = Dot4(l, r + k0, r + k0, r + k0, r + k0, rj + k0, j - k0);
            l[r + j] = (l[r + j] - d) / l[rj + j];
        }
    }

    // Four dot products of rows at a0..a3 with the row at b, over count entries.
    private static (double, double, double, double) Dot4(double[] l, long a0, long a1, long a2, long a3, long b, int count)
    {
        ref double x = ref l[0];
        var s0 = Vector256<double>.Zero; var s1 = s0; var s2 = s0; var s3 = s0;
        int p = 0;
        for (; p + 4 <= count; p += 4)
        {
            var v = Vector256.LoadUnsafe(ref x, (nuint)(b + p));
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)(a0 + p)), v, s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)(a1 + p)), v, s1);
            s2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)(a2 + p)), v, s2);
            s3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)(a3 + p)), v, s3);
        }
        double d0 = Vector256.Sum(s0), d1 = Vector256.Sum(s1), d2 = Vector256.Sum(s2), d3 = Vector256.Sum(s3);
        for (; p < count; p++)
        {
            double v = l[b + p];
            d0 += l[a0 + p] * v; d1 += l[a1 + p] * v; d2 += l[a2 + p] * v; d3 += l[a3 + p] * v;
        }
        return (d0, d1, d2, d3);
    }

    private const int TileRows = 4, TileCols = 16;

    /// <summary>A_ij −= Σ_{p in [k0, k1)} L_ip L_jp for k1 ≤ j ≤ i &lt; n (entries above the diagonal may be touched; they are cleared at the end).</summary>
    private static void UpdateTrailing(double[] l, int n, int k0, int k1, double[] panelT)
    {
        int nb = k1 - k0, m = n - k1;
        // Packed transposed panel: the 16 columns of tile block cb lie at panelT[(cb·nb + p)·16 + col] = L_j,(k0+p)
        // (j = k1 + 16·cb + col), so a tile reads one contiguous 16·nb run instead of one page per depth step.
        Parallel.For(0, (m + TileCols - 1) / TileCols, cb =>
        {
            for (int col = 0, j = k1 + cb * TileCols; col < TileCols && j < n; col++, j++)
            {
                long rj = (long)j * n + k0;
                for (int p = 0; p < nb; p++) panelT[((long)cb * nb + p) * TileCols + col] = l[rj + p];
            }
        });
        int groups = (m + TileRows - 1) / TileRows;
        int bands = (groups + GroupsPerBand - 1) / GroupsPerBand;
        // Each row group covers its columns [k1, its diagonal) with 4×32 tiles (AVX-512), then 4×16 tiles, then dot products.
        // The groups of a band take their tiles column by column, so each packed panel block (16·nb doubles) is read from
        // cache by all of them instead of streaming the whole panel (D·nb doubles, past L2) once per group. Every entry still
        // gets the same sum. Later bands have longer rows; handing them out first balances the cores.
        Parallel.For(0, bands, band =>
        {
            int last = groups - 1 - band * GroupsPerBand, count = Math.Min(GroupsPerBand, last + 1);
            Span<int> first = stackalloc int[GroupsPerBand], wideEnd = stackalloc int[GroupsPerBand], tileEnd = stackalloc int[GroupsPerBand];
            int maxEnd = k1;
            for (int t = 0; t < count; t++)
            {
                first[t] = k1 + (last - t) * TileRows;
                int rows = Math.Min(TileRows, n - first[t]), jEnd = first[t] + rows; // columns [k1, jEnd) cover these rows' lower triangle
                bool full = rows == TileRows;
                wideEnd[t] = full && Vector512.IsHardwareAccelerated ? k1 + (jEnd - k1) / (2 * TileCols) * (2 * TileCols) : k1;
                tileEnd[t] = full ? wideEnd[t] + (jEnd - wideEnd[t]) / TileCols * TileCols : k1;
                maxEnd = Math.Max(maxEnd, tileEnd[t]);
            }
            for (int j0 = k1; j0 < maxEnd; j0 += TileCols)
                for (int t = 0; t < count; t++)
                {
                    if (j0 < wideEnd[t]) { if ((j0 - k1) % (2 * TileCols) == 0) Tile512(l, n, k0, nb, panelT, m, first[t], j0 - k1); }
                    else if (j0 < tileEnd[t]) Tile(l, n, k0, nb, panelT, m, first[t], j0 - k1);
                }
            for (int t = 0; t < count; t++)
                for (int i = first[t], end = Math.Min(n, first[t] + TileRows); i < end; i++)
                {
                    long r = (long)i * n;
                    var li = l.AsSpan((int)(r + k0), nb);
                    for (int j = tileEnd[t]; j <= i; j++) l[r + j] -= TensorPrimitives.Dot<double>(li, l.AsSpan((int)((long)j * n + k0), nb));
                }
        });
    }

    /// <summary>Row groups (of <see cref="TileRows"/>) that share each panel block while it is in cache.</summary>
    private const int GroupsPerBand = 8;

    /// <summary>
    /// The 4×16 block at rows i0.., trailing columns c0.. (relative to k1), as two 4×8 halves: each half's 8 vector
    /// accumulators, two panel loads and a broadcast fit AVX2's 16 registers, where one 4×16 pass (16 accumulators)
    /// spilled to the stack on every step. Each entry sums the same products in the same order either way.
    /// </summary>
    private static void Tile(double[] l, int n, int k0, int nb, double[] panelT, int m, int i0, int c0)
    {
        long r0 = (long)i0 * n + k0, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
        ref double lr = ref l[0];
        long c = (long)i0 * n + (c0 + (n - m)); // column k1 + c0
        for (int half = 0; half < TileCols; half += 8)
        {
            var a00 = Vector256<double>.Zero; var a01 = a00;
            var a10 = a00; var a11 = a00;
            var a20 = a00; var a21 = a00;
            var a30 = a00; var a31 = a00;
            ref double block = ref System.Runtime.CompilerServices.Unsafe.Add(ref panelT[0], (nint)((long)(c0 / TileCols) * nb * TileCols + half));
            for (int p = 0; p < nb; p++)
            {
                ref double q = ref System.Runtime.CompilerServices.Unsafe.Add(ref block, (nint)((long)p * TileCols));
                var b0 = Vector256.LoadUnsafe(ref q);
                var b1 = Vector256.LoadUnsafe(ref q, 4);
                var x = Vector256.Create(System.Runtime.CompilerServices.Unsafe.Add(ref lr, (nint)(r0 + p)));
                a00 = Vector256.FusedMultiplyAdd(x, b0, a00); a01 = Vector256.FusedMultiplyAdd(x, b1, a01);
                x = Vector256.Create(System.Runtime.CompilerServices.Unsafe.Add(ref lr, (nint)(r1 + p)));
                a10 = Vector256.FusedMultiplyAdd(x, b0, a10); a11 = Vector256.FusedMultiplyAdd(x, b1, a11);
                x = Vector256.Create(System.Runtime.CompilerServices.Unsafe.Add(ref lr, (nint)(r2 + p)));
                a20 = Vector256.FusedMultiplyAdd(x, b0, a20); a21 = Vector256.FusedMultiplyAdd(x, b1, a21);
                x = Vector256.Create(System.Runtime.CompilerServices.Unsafe.Add(ref lr, (nint)(r3 + p)));
                a30 = Vector256.FusedMultiplyAdd(x, b0, a30); a31 = Vector256.FusedMultiplyAdd(x, b1, a31);
            }
            Subtract(l, c + half, a00, a01);
            Subtract(l, c + n + half, a10, a11);
            Subtract(l, c + 2L * n + half, a20, a21);
            Subtract(l, c + 3L * n + half, a30, a31);
        }
    }

    /// <summary>The 4×32 block at rows i0.., trailing columns c0.. (two packed 16-column blocks) with Vector512.</summary>
    private static void Tile512(double[] l, int n, int k0, int nb, double[] panelT, int m, int i0, int c0)
    {
        var a00 = Vector512<double>.Zero; var a01 = a00; var a02 = a00; var a03 = a00;
        var a10 = a00; var a11 = a00; var a12 = a00; var a13 = a00;
        var a20 = a00; var a21 = a00; var a22 = a00; var a23 = a00;
        var a30 = a00; var a31 = a00; var a32 = a00; var a33 = a00;
        long r0 = (long)i0 * n + k0, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
        ref double lr = ref l[0];
        ref double left = ref panelT[(long)(c0 / TileCols) * nb * TileCols];
        ref double right = ref System.Runtime.CompilerServices.Unsafe.Add(ref left, (nint)((long)nb * TileCols));
        for (int p = 0; p < nb; p++)
        {
            var b0 = Vector512.LoadUnsafe(ref left, (nuint)(p * TileCols));
            var b1 = Vector512.LoadUnsafe(ref left, (nuint)(p * TileCols + 8));
            var b2 = Vector512.LoadUnsafe(ref right, (nuint)(p * TileCols));
            var b3 = Vector512.LoadUnsafe(ref right, (nuint)(p * TileCols + 8));
            var x = Vector512.Create(System.Runtime.CompilerServices.Unsafe.Add(ref lr, (nint)(r0 + p)));
            a00 = Vector512.FusedMultiplyAdd(x, b0, a00); a01 = Vector512.FusedMultiplyAdd(x, b1, a01);
            a02 = Vector512.FusedMultiplyAdd(x, b2, a02); a03 = Vector512.FusedMultiplyAdd(x, b3, a03);
            x = Vector512.Create(System.Runtime.CompilerServices.Unsafe.Add(ref lr, (nint)(r1 + p)));
            a10 = Vector512.FusedMultiplyAdd(x, b0, a10); a11 = Vector512.FusedMultiplyAdd(x, b1, a11);
            a12 = Vector512.FusedMultiplyAdd(x, b2, a12); a13 = Vector512.FusedMultiplyAdd(x, b3, a13);
            x = Vector512.Create(System.Runtime.CompilerServices.Unsafe.Add(ref lr, (nint)(r2 + p)));
            a20 = Vector512.FusedMultiplyAdd(x, b0, a20); a21 = Vector512.FusedMultiplyAdd(x, b1, a21);
            a22 = Vector512.FusedMultiplyAdd(x, b2, a22); a23 = Vector512.FusedMultiplyAdd(x, b3, a23);
            x = Vector512.Create(System.Runtime.CompilerServices.Unsafe.Add(ref lr, (nint)(r3 + p)));
            a30 = Vector512.FusedMultiplyAdd(x, b0, a30); a31 = Vector512.FusedMultiplyAdd(x, b1, a31);
            a32 = Vector512.FusedMultiplyAdd(x, b2, a32); a33 = Vector512.FusedMultiplyAdd(x, b3, a33);
        }
        long c = (long)i0 * n + (c0 + (n - m)); // column k1 + c0
        Subtract(l, c, a00, a01, a02, a03);
        Subtract(l, c + n, a10, a11, a12, a13);
        Subtract(l, c + 2L * n, a20, a21, a22, a23);
        Subtract(l, c + 3L * n, a30, a31, a32, a33);
    }

    private static void Subtract(double[] l, long at, Vector512<double> v0, Vector512<double> v1, Vector512<double> v2, Vector512<double> v3)
    {
        ref double d = ref l[at];
        (Vector512.LoadUnsafe(ref d) - v0).StoreUnsafe(ref d);
        (Vector512.LoadUnsafe(ref d, 8) - v1).StoreUnsafe(ref d, 8);
        (Vector512.LoadUnsafe(ref d, 16) - v2).StoreUnsafe(ref d, 16);
        (Vector512.LoadUnsafe(ref d, 24) - v3).StoreUnsafe(ref d, 24);
    }

    private static void Subtract(double[] l, long at, Vector256<double> v0, Vector256<double> v1)
    {
        ref double d = ref l[at];
        (Vector256.LoadUnsafe(ref d) - v0).StoreUnsafe(ref d);
        (Vector256.LoadUnsafe(ref d, 4) - v1).StoreUnsafe(ref d, 4);
    }

    private static void ClearUpper(double[] l, int n) =>
        Parallel.For(0, n, i => Array.Clear(l, (int)((long)i * n + i + 1), n - i - 1));
}
