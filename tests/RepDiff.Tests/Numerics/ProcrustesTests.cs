using RepDiff.Numerics;

namespace RepDiff.Tests.Numerics;

public class ProcrustesTests
{
    private static (float[] X, float[] Y) Cloud(int n, int seed)
    {
        var rng = Rng.Create(seed);
        var xs = new float[n];
        var ys = new float[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = (float)(3 * Rng.Normal(rng));
            ys[i] = (float)Rng.Normal(rng);
        }
        return (xs, ys);
    }

    [Theory]
    [InlineData(0.7, false)]
    [InlineData(2.9, false)]
    [InlineData(0.7, true)]
    [InlineData(-1.3, true)]
    public void RecoversAKnownRotationOrReflection(double angle, bool reflect)
    {
        var (x, y) = Cloud(200, 4);
        // target = 2.5·R·p + (4, −1), with R a rotation by angle or a reflection across the line at angle/2.
        double c = Math.Cos(angle), s = Math.Sin(angle);
        var known = reflect ? new PlaneTransform(c, s, s, -c, 2.5, 4, -1) : new PlaneTransform(c, -s, s, c, 2.5, 4, -1);
        var (tx, ty) = known.Apply(x, y);
        // Fit the inverse direction too: carrying the target back onto the original.
        var fit = Procrustes.Fit(x, y, tx, ty);
        Assert.Equal(reflect, fit.IsReflection);
        Assert.Equal(known.R00, fit.R00, 1e-5);
        Assert.Equal(known.R01, fit.R01, 1e-5);
        Assert.Equal(known.R10, fit.R10, 1e-5);
        Assert.Equal(known.R11, fit.R11, 1e-5);
        Assert.Equal(2.5, fit.Scale, 1e-5);
        Assert.Equal(4, fit.ShiftX, 1e-4);
        Assert.Equal(-1, fit.ShiftY, 1e-4);
        var back = Procrustes.Fit(tx, ty, x, y);
        var (bx, by) = back.Apply(tx, ty);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i], bx[i], 1e-4);
            Assert.Equal(y[i], by[i], 1e-4);
        }
    }

    [Fact]
    public void WithoutScalingTheScaleIsOne()
    {
        var (x, y) = Cloud(50, 2);
        var fit = Procrustes.Fit(x, y, x.Select(v => 3 * v).ToArray(), y.Select(v => 3 * v).ToArray(), allowScale: false);
        Assert.Equal(1, fit.Scale);
        Assert.Equal(1, fit.R00, 1e-9);
        Assert.False(fit.IsReflection);
    }

    [Fact]
    public void CoincidentPointsGiveAFiniteFit()
    {
        var same = new float[10];
        var fit = Procrustes.Fit(same, same, same, same);
        Assert.True(double.IsFinite(fit.Scale) && double.IsFinite(fit.ShiftX) && double.IsFinite(fit.R00));
    }
}
