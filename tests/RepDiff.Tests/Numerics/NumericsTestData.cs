using RepDiff.Numerics;

namespace RepDiff.Tests.Numerics;

/// <summary>Random and structured inputs with known answers for the numerics tests.</summary>
internal static class NumericsTestData
{
    public static Matrix RandomMatrix(int rows, int cols, int seed, double scale = 1)
    {
        var rng = Rng.Create(seed);
        var m = new Matrix(rows, cols);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)(scale * Rng.Normal(rng));
        return m;
    }

    /// <summary>op(A)·op(B) in double, the slow obvious way.</summary>
    public static double[] NaiveProduct(Matrix a, bool ta, Matrix b, bool tb, out int m, out int n)
    {
        m = ta ? a.Cols : a.Rows;
        n = tb ? b.Rows : b.Cols;
        int k = ta ? a.Rows : a.Cols;
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (double)(ta ? a[p, i] : a[i, p]) * (tb ? b[j, p] : b[p, j]);
                c[i * n + j] = s;
            }
        return c;
    }

    /// <summary>A random n×n orthogonal matrix (rows orthonormal): eigenvectors of a random symmetric matrix.</summary>
    public static double[][] RandomOrthogonal(int n, int seed)
    {
        var rng = Rng.Create(seed);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = Rng.Normal(rng);
        return SymmetricEigen.Decompose(a, n).Vectors;
    }

    /// <summary>Q diag(values) Qᵀ for a random orthogonal Q: a symmetric matrix with exactly this spectrum.</summary>
    public static double[] WithSpectrum(double[] values, int seed)
    {
        int n = values.Length;
        var q = RandomOrthogonal(n, seed);
        var a = new double[n * n];
        for (int l = 0; l < n; l++)
        {
            var v = q[l];
            double lam = values[l];
            if (lam == 0) continue;
            for (int i = 0; i < n; i++)
            {
                double s = lam * v[i];
                for (int j = 0; j < n; j++) a[i * n + j] += s * v[j];
            }
        }
        return a;
    }

    public static double Residual(double[] a, int n, double value, double[] v)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double r = -value * v[i];
            for (int j = 0; j < n; j++) r += a[i * n + j] * v[j];
            s += r * r;
        }
        return Math.Sqrt(s);
    }

    public static double Dot(double[] x, double[] y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>
    /// Spectra that stress extreme-eigenpair solvers (n values, seeded by the kind's name): "indefinite", "repeated
    /// at both ends" (a triple eigenvalue at each end), "clustered" (30 close values at each end), "one-sided".
    /// </summary>
    public static double[] TestSpectrum(string kind, int n)
    {
        var rng = Rng.Create(kind.Length);
        return kind switch
        {
            "indefinite" => Enumerable.Range(0, n).Select(i => (i % 2 == 0 ? 1 : -1) * (1 + 20.0 / (i + 1)) + 0.01 * Rng.Normal(rng)).ToArray(),
            "repeated at both ends" => Enumerable.Range(0, n).Select(i => i < 3 ? 9.0 : i < 6 ? -7.0 : Rng.Normal(rng)).ToArray(),
            "clustered" => Enumerable.Range(0, n).Select(i => i < 30 ? 2 + 1e-3 * i : i < 60 ? -2 - 1e-3 * i : Rng.Normal(rng)).ToArray(),
            "one-sided" => Enumerable.Range(0, n).Select(i => i < 50 ? 5 + Rng.Normal(rng) : 1e-3 * Math.Abs(Rng.Normal(rng))).ToArray(),
            _ => throw new ArgumentException($"unknown spectrum kind {kind}"),
        };
    }
}
