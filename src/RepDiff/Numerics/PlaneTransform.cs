namespace RepDiff.Numerics;

/// <summary>
/// A similarity transform of the plane: p ↦ Scale·R·p + (ShiftX, ShiftY) with R = [[R00, R01], [R10, R11]]
/// orthogonal (a rotation, or a reflection when its determinant is −1).
/// </summary>
public sealed record PlaneTransform(double R00, double R01, double R10, double R11, double Scale, double ShiftX, double ShiftY)
{
    public bool IsReflection => R00 * R11 - R01 * R10 < 0;

    public (float[] X, float[] Y) Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var outX = new float[x.Length];
        var outY = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            outX[i] = (float)(Scale * (R00 * x[i] + R01 * y[i]) + ShiftX);
            outY[i] = (float)(Scale * (R10 * x[i] + R11 * y[i]) + ShiftY);
        }
        return (outX, outY);
    }
}
