namespace RepDiff.Numerics;

/// <summary>
/// Orthogonal Procrustes in the plane: the rotation or reflection, uniform scale and shift that carry one set of
/// 2-D points onto another with the least squared error. In 2-D the best rotation and the best reflection each
/// have a closed form (an angle from the 2×2 cross-covariance), so no SVD is needed; the better of the two wins.
/// </summary>
public static class Procrustes
{
    /// <summary>The transform T minimizing Σ‖T(x_i, y_i) − (targetX_i, targetY_i)‖²; without scaling, Scale = 1.</summary>
    public static PlaneTransform Fit(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> targetX, ReadOnlySpan<float> targetY,
        bool allowScale = true)
    {
        int n = x.Length;
        if (y.Length != n || targetX.Length != n || targetY.Length != n) throw new ArgumentException("Procrustes needs the same points in both sets");
        if (n == 0) return new PlaneTransform(1, 0, 0, 1, 1, 0, 0);
        double mx = Mean(x), my = Mean(y), tx = Mean(targetX), ty = Mean(targetY);
        // M = Σ b aᵀ over centred points b (moved) and a (target); spread = Σ‖b‖².
        double m00 = 0, m01 = 0, m10 = 0, m11 = 0, spread = 0;
        for (int i = 0; i < n; i++)
        {
            double bx = x[i] - mx, by = y[i] - my, ax = targetX[i] - tx, ay = targetY[i] - ty;
            m00 += bx * ax;
            m01 += bx * ay;
            m10 += by * ax;
            m11 += by * ay;
            spread += bx * bx + by * by;
        }
        // tr(R M) is c(M00 + M11) + s(M01 − M10) for a rotation, c(M00 − M11) + s(M01 + M10) for a reflection.
        double rotation = Math.Sqrt((m00 + m11) * (m00 + m11) + (m01 - m10) * (m01 - m10));
        double reflection = Math.Sqrt((m00 - m11) * (m00 - m11) + (m01 + m10) * (m01 + m10));
        double r00, r01, r10, r11, best;
        if (reflection > rotation)
        {
            double angle = Math.Atan2(m01 + m10, m00 - m11);
            (r00, r01, r10, r11) = (Math.Cos(angle), Math.Sin(angle), Math.Sin(angle), -Math.Cos(angle));
            best = reflection;
        }
        else
        {
            double angle = Math.Atan2(m01 - m10, m00 + m11);
            (r00, r01, r10, r11) = (Math.Cos(angle), -Math.Sin(angle), Math.Sin(angle), Math.Cos(angle));
            best = rotation;
        }
        double scale = allowScale && spread > 0 ? best / spread : 1;
        if (allowScale && best == 0) scale = 1; // nothing to match: keep the size
        double shiftX = tx - scale * (r00 * mx + r01 * my);
        double shiftY = ty - scale * (r10 * mx + r11 * my);
        return new PlaneTransform(r00, r01, r10, r11, scale, shiftX, shiftY);
    }

    private static double Mean(ReadOnlySpan<float> v)
    {
        double s = 0;
        foreach (float f in v) s += f;
        return s / v.Length;
    }
}
