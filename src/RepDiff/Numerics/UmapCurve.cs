namespace RepDiff.Numerics;

/// <summary>
/// The low-dimensional similarity curve 1 / (1 + a·d^(2b)) that UMAP's layout uses, with a and b fitted, as
/// umap-learn's find_ab_params does, by least squares to the target 1 for d &lt; min_dist and
/// exp(−(d − min_dist)/spread) beyond, on 300 points evenly spaced over [0, 3·spread].
/// Levenberg–Marquardt from a = b = 1 (scipy's curve_fit default start).
/// </summary>
public static class UmapCurve
{
    public static (double A, double B) Fit(double minDist, double spread = 1.0)
    {
        if (!(spread > 0) || !(minDist >= 0) || minDist > spread)
            throw new RepDiffInputException($"UMAP needs 0 ≤ min_dist ≤ spread and spread > 0; min_dist = {minDist}, spread = {spread}");
        const int points = 300;
        var x = new double[points];
        var y = new double[points];
        for (int i = 0; i < points; i++)
        {
            x[i] = 3 * spread * i / (points - 1);
            y[i] = x[i] < minDist ? 1 : Math.Exp(-(x[i] - minDist) / spread);
        }
        double a = 1, b = 1, lambda = 1e-3;
        double cost = Cost(x, y, a, b);
        for (int iteration = 0; iteration < 500; iteration++)
        {
            // Normal equations JᵀJ δ = −Jᵀr for the two parameters.
            double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
            for (int i = 0; i < points; i++)
            {
                double u = x[i] > 0 ? Math.Pow(x[i], 2 * b) : 0;
                double f = 1 / (1 + a * u);
                double r = f - y[i];
                double da = -u * f * f;
                double db = x[i] > 0 ? -a * u * 2 * Math.Log(x[i]) * f * f : 0;
                jaa += da * da;
                jab += da * db;
                jbb += db * db;
                ga += da * r;
                gb += db * r;
            }
            bool improved = false;
            while (lambda < 1e12)
            {
                double maa = jaa * (1 + lambda), mbb = jbb * (1 + lambda);
                double det = maa * mbb - jab * jab;
                double stepA = -(mbb * ga - jab * gb) / det;
                double stepB = -(maa * gb - jab * ga) / det;
                double na = a + stepA, nb = b + stepB;
                double next = na > 0 && nb > 0 ? Cost(x, y, na, nb) : double.PositiveInfinity;
                if (next < cost)
                {
                    bool done = Math.Abs(stepA) < 1e-12 * (1 + Math.Abs(a)) && Math.Abs(stepB) < 1e-12 * (1 + Math.Abs(b));
                    improved = cost - next > 1e-15 * cost && !done;
                    a = na;
                    b = nb;
                    cost = next;
                    lambda = Math.Max(lambda / 10, 1e-12);
                    break;
                }
                lambda *= 10;
            }
            if (!improved) break;
        }
        return (a, b);
    }

    private static double Cost(double[] x, double[] y, double a, double b)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double u = x[i] > 0 ? Math.Pow(x[i], 2 * b) : 0;
            double r = 1 / (1 + a * u) - y[i];
            s += r * r;
        }
        return s;
    }
}
