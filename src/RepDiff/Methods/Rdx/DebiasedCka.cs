using RepDiff.Metrics;
using RepDiff.Numerics;

namespace RepDiff.Methods.Rdx;

/// <summary>
/// The gradient of debiased linear CKA (<see cref="Cka.LinearDebiased"/>; unbiased HSIC of Song et al. 2012)
/// with respect to X, from features, never n×n: with K = XXᵀ and K̃ its off-diagonal part, tr(K̃L̃) = ‖XᵀY‖² − Σ‖x_i‖²‖y_i‖², 1ᵀK̃1 = ‖Σx_i‖² − Σ‖x_i‖²
/// and K̃1 = X Σx − ‖x_i‖². The gradient with respect to X is derived analytically from the same terms.
/// </summary>
public static class DebiasedCka
{
    /// <summary>The sufficient statistics of one side.</summary>
    private sealed class Side
    {
        public required double[] Norms;    // r_i = ‖x_i‖²
        public required double[] Sum;      // a = Σ x_i
        public required double[] RowSums;  // u_i = (K̃1)_i = x_i·a − r_i
        public double Total;               // 1ᵀK̃1 = ‖a‖² − Σ r_i

        public static Side Of(Matrix x)
        {
            int n = x.Rows, d = x.Cols;
            var norms = new double[n];
            var sum = new double[d];
            for (int i = 0; i < n; i++)
            {
                var row = x.Row(i);
                double r = 0;
                for (int c = 0; c < d; c++) { r += (double)row[c] * row[c]; sum[c] += row[c]; }
                norms[i] = r;
            }
            var u = new double[n];
            for (int i = 0; i < n; i++)
            {
                var row = x.Row(i);
                double dot = 0;
                for (int c = 0; c < d; c++) dot += row[c] * sum[c];
                u[i] = dot - norms[i];
            }
            return new Side { Norms = norms, Sum = sum, RowSums = u, Total = sum.Sum(v => v * v) - norms.Sum() };
        }
    }

    /// <summary>Unbiased HSIC of the linear kernels of x and y (same rows), given ‖XᵀY‖²_F.</summary>
    private static double Hsic(Side x, Side y, double crossFrobenius, int n)
    {
        double trace = crossFrobenius;
        double dot = 0;
        for (int i = 0; i < n; i++)
        {
            trace -= x.Norms[i] * y.Norms[i];
            dot += x.RowSums[i] * y.RowSums[i];
        }
        return (trace + x.Total * y.Total / ((n - 1.0) * (n - 2.0)) - 2.0 * dot / (n - 2.0)) / (n * (n - 3.0));
    }

    private static double FrobeniusSquared(Matrix m)
    {
        double s = 0;
        foreach (float v in m.Data) s += (double)v * v;
        return s;
    }

    /// <summary>CKA(x, y) and its gradient with respect to x (into grad, n×d_x).</summary>
    public static double ValueAndGradient(Matrix x, Matrix y, Matrix grad)
    {
        int n = x.Rows, p = x.Cols;
        Side sx = Side.Of(x), sy = Side.Of(y);
        var cross = Gemm.Multiply(x, y, transposeA: true);   // C = XᵀY (p×q)
        var gram = Gemm.Multiply(x, x, transposeA: true);    // Q = XᵀX (p×p)
        double hxy = Hsic(sx, sy, FrobeniusSquared(cross), n);
        double hxx = Hsic(sx, sx, FrobeniusSquared(gram), n);
        double hyy = Hsic(sy, sy, FrobeniusSquared(Gemm.Multiply(y, y, transposeA: true)), n);
        double root = Math.Sqrt(hxx * hyy), cka = hxy / root;

        // d tr(K̃L̃)/dX = 2 Y Cᵀ − 2 t_i x_i;  d tr(K̃²)/dX = 4 X Q − 4 r_i x_i   (per row i)
        var yct = Gemm.Multiply(y, cross, transposeB: true);
        var xq = Gemm.Multiply(x, gram);
        // Σ_i v_i x_i and Σ_i u_i x_i: the parts of d(Σ u_i v_i)/dx_k shared by every row.
        var xv = new double[p];
        var xu = new double[p];
        for (int i = 0; i < n; i++)
        {
            var row = x.Row(i);
            for (int c = 0; c < p; c++) { xv[c] += sy.RowSums[i] * row[c]; xu[c] += sx.RowSums[i] * row[c]; }
        }
        double scale = 1.0 / (n * (n - 3.0)), pairs = (n - 1.0) * (n - 2.0);
        double wxy = scale / root, wxx = -0.5 * cka / hxx * scale;
        Parallel.For(0, n, i =>
        {
            var row = x.Row(i);
            var g = grad.Row(i);
            double ri = sx.Norms[i], ti = sy.Norms[i], ui = sx.RowSums[i], vi = sy.RowSums[i];
            for (int c = 0; c < p; c++)
            {
                double xc = row[c], ac = sx.Sum[c];
                double dxy = 2 * yct[i, c] - 2 * ti * xc
                    + sy.Total / pairs * (2 * ac - 2 * xc)
                    - 2.0 / (n - 2.0) * (vi * (ac - 2 * xc) + xv[c]);
                double dxx = 4 * xq[i, c] - 4 * ri * xc
                    + 2 * sx.Total / pairs * (2 * ac - 2 * xc)
                    - 4.0 / (n - 2.0) * (ui * (ac - 2 * xc) + xu[c]);
                g[c] = (float)(wxy * dxy + wxx * dxx);
            }
        });
        return cka;
    }
}
