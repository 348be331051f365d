using System.Numerics.Tensors;
using RepDiff.Numerics;

namespace RepDiff.Metrics;

/// <summary>Limited-memory BFGS (Nocedal &amp; Wright, Alg. 7.4) with a backtracking Armijo line search.</summary>
internal static class Lbfgs
{
    /// <summary>f(x, gradient) returns the value and fills the gradient.</summary>
    public static double[] Minimize(Func<double[], double[], double> f, double[] x, int maxIterations, int memory = 10, double tolerance = 1e-6)
    {
        int size = x.Length;
        var g = new double[size];
        double fx = f(x, g);
        var s = new List<double[]>();
        var y = new List<double[]>();
        var candidate = new double[size];
        var gNew = new double[size];
        for (int iteration = 0; iteration < maxIterations && MaxAbs(g) > tolerance; iteration++)
        {
            var direction = TwoLoop(g, s, y);
            double slope = TensorPrimitives.Dot<double>(g, direction);
            if (slope >= 0)
            {
                s.Clear();
                y.Clear();
                direction = g.Select(v => -v).ToArray();
                slope = TensorPrimitives.Dot<double>(g, direction);
            }
            double step = s.Count == 0 ? Math.Min(1, 1 / Math.Sqrt(-slope)) : 1;
            double fNew = 0;
            bool accepted = false;
            for (int attempt = 0; attempt < 40; attempt++, step /= 2)
            {
                for (int j = 0; j < size; j++) candidate[j] = x[j] + step * direction[j];
                fNew = f(candidate, gNew);
                if (fNew <= fx + 1e-4 * step * slope) { accepted = true; break; }
            }
            if (!accepted) break;
            var sk = new double[size];
            var yk = new double[size];
            for (int j = 0; j < size; j++) { sk[j] = candidate[j] - x[j]; yk[j] = gNew[j] - g[j]; }
            if (TensorPrimitives.Dot<double>(sk, yk) > 1e-12)
            {
                if (s.Count == memory) { s.RemoveAt(0); y.RemoveAt(0); }
                s.Add(sk);
                y.Add(yk);
            }
            bool stalled = fx - fNew <= 1e-10 * Math.Max(1, Math.Abs(fx));
            candidate.CopyTo(x, 0);
            gNew.CopyTo(g, 0);
            fx = fNew;
            if (stalled) break;
        }
        return x;
    }

    private static double[] TwoLoop(double[] g, List<double[]> s, List<double[]> y)
    {
        var q = (double[])g.Clone();
        var alpha = new double[s.Count];
        for (int k = s.Count - 1; k >= 0; k--)
        {
            alpha[k] = TensorPrimitives.Dot<double>(s[k], q) / TensorPrimitives.Dot<double>(y[k], s[k]);
            TensorPrimitives.MultiplyAdd(y[k], -alpha[k], q, q);
        }
        if (s.Count > 0)
        {
            int last = s.Count - 1;
            double gamma = TensorPrimitives.Dot<double>(s[last], y[last]) / TensorPrimitives.Dot<double>(y[last], y[last]);
            TensorPrimitives.Multiply(q, gamma, q);
        }
        for (int k = 0; k < s.Count; k++)
        {
            double beta = TensorPrimitives.Dot<double>(y[k], q) / TensorPrimitives.Dot<double>(y[k], s[k]);
            TensorPrimitives.MultiplyAdd(s[k], alpha[k] - beta, q, q);
        }
        TensorPrimitives.Negate(q, q);
        return q;
    }

    private static double MaxAbs(double[] v) => v.Length == 0 ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude<double>(v));
}
