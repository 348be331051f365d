using System.Runtime.InteropServices;

namespace RepDiff.Numerics;

/// <summary>
/// Optional native provider: OpenBLAS (Debian's libopenblas0, libopenblas.so.0) through P/Invoke for GEMM
/// and SYRK. Off by default; turned on by REPDIFF_BLAS=openblas or by setting <see cref="Enabled"/>. When the
/// library cannot be loaded the managed kernels run, so results never depend on its presence.
/// </summary>
public static unsafe class NativeBlas
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112, Upper = 121;

    private static readonly Lazy<Api?> api = new(Load);
    private static string? unavailableReason;

    /// <summary>Whether GEMM/SYRK call OpenBLAS (when it is available). Starts from REPDIFF_BLAS=openblas.</summary>
    public static bool Enabled { get; set; } =
        string.Equals(Environment.GetEnvironmentVariable("REPDIFF_BLAS"), "openblas", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when libopenblas.so.0 (or libopenblas) loads and exports cblas_sgemm and cblas_ssyrk.</summary>
    public static bool IsAvailable => api.Value is not null;

    /// <summary>Why the library is unavailable (null when it is available).</summary>
    public static string? UnavailableReason => IsAvailable ? null : unavailableReason;

    private sealed class Api(nint sgemm, nint ssyrk)
    {
        public readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm =
            (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        public readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, float, float*, int, float, float*, int, void> Ssyrk =
            (delegate* unmanaged[Cdecl]<int, int, int, int, int, float, float*, int, float, float*, int, void>)ssyrk;
    }

    private static Api? Load()
    {
        // OpenBLAS's threads allocate their buffers (128 MB each) when the library loads, and its allocator retries a failed
        // allocation without end: `info` under ulimit -v 800000 with a 16 MB GC heap printed its lines and then never exited,
        // the exit waiting on a thread that spun on malloc (helper 108). The managed kernels give the same results.
        if (IO.MemoryBudget.AddressSpaceIsLimited())
        {
            unavailableReason = "not loaded under an address-space limit (ulimit -v), where its buffer allocation retries for ever when it fails";
            return null;
        }
        foreach (string name in new[] { "libopenblas.so.0", "libopenblas.so", "libopenblas" })
        {
            if (!NativeLibrary.TryLoad(name, out nint handle)) continue;
            if (NativeLibrary.TryGetExport(handle, "cblas_sgemm", out nint sgemm) &&
                NativeLibrary.TryGetExport(handle, "cblas_ssyrk", out nint ssyrk))
                return new Api(sgemm, ssyrk);
            unavailableReason = $"{name} loaded but does not export cblas_sgemm/cblas_ssyrk";
            return null;
        }
        unavailableReason = "libopenblas.so.0 not found (install Debian's libopenblas0)";
        return null;
    }


    /// <summary>C = alpha·op(A)·op(B) + beta·C; false when OpenBLAS is unavailable.</summary>
    internal static bool TrySgemm(int m, int n, int k, float alpha,
        float[] a, long aOff, int lda, bool tA, float[] b, long bOff, int ldb, bool tB, float beta, float[] c, long cOff, int ldc)
    {
        var f = api.Value;
        if (f is null) return false;
        fixed (float* ap = a, bp = b, cp = c)
            f.Sgemm(RowMajor, tA ? Trans : NoTrans, tB ? Trans : NoTrans, m, n, k, alpha, ap + aOff, lda, bp + bOff, ldb, beta, cp + cOff, ldc);
        return true;
    }

    /// <summary>Upper triangle of C (n×n, row-major) = alpha·XᵀX + beta·C for X (k×n, leading dimension ldx) when transposed, alpha·X Xᵀ + beta·C for X (n×k) otherwise.</summary>
    internal static bool TrySsyrk(int n, int k, float alpha, float[] x, long xOff, int ldx, bool transposed, float beta, float[] c)
    {
        var f = api.Value;
        if (f is null) return false;
        fixed (float* xp = x, cp = c)
            f.Ssyrk(RowMajor, Upper, transposed ? Trans : NoTrans, n, k, alpha, xp + xOff, ldx, beta, cp, n);
        return true;
    }
}
