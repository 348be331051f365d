using RepDiff.IO;

namespace RepDiff.Tests.IO;

/// <summary>
/// The range scan of a memory-mapped input runs its batches on every core: it must find the same largest
/// magnitude as a scan in order, and name the same (first) bad row when several batches hold one.
/// </summary>
public class ValueRangeScanTests
{
    private const int Rows = 40_000;   // three of the scan's batches at 64 columns
    private const int Cols = 64;

    private static string Write(Action<Matrix> change)
    {
        var rng = new Random(4);
        var x = new Matrix(Rows, Cols);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = (float)rng.NextDouble() - 0.5f;
        change(x);
        string path = Path.Combine(TestData.TempDir(), "x.npy");
        Npy.Write(path, x);
        return path;
    }

    [Fact]
    public void LargestValueInALaterBatchDecidesTheRescaling()
    {
        string path = Write(x => x[35_000, 7] = -3e18f);
        using var file = Embeddings.OpenRows(path);
        var notes = new List<string>();
        var fitted = ValueRange.Fit([file], ["x.npy"], joint: false, null, notes);
        Assert.Equal(["x.npy: values reach 3E+18, where float32 squared distances overflow; multiplied by 2^-61 (the method is scale-invariant; strengths are in the rescaled units)"], notes);
        var row = new float[Cols];
        fitted[0].ReadRows(35_000, 1, row);
        Assert.Equal(MathF.ScaleB(-3e18f, -61), row[7]);
    }

    [Fact]
    public void FirstBadRowIsNamedWhateverBatchFinishesFirst()
    {
        string path = Write(x =>
        {
            x[20_000, 3] = float.NaN;
            x[39_999, 0] = float.PositiveInfinity;
        });
        using var file = Embeddings.OpenRows(path);
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var error = Assert.Throws<RepDiffInputException>(() => ValueRange.Fit([file], ["x.npy"], joint: false, null, []));
            Assert.Contains("row 20000 column 3 is NaN", error.Message);
        }
    }
}
