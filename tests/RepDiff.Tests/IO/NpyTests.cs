using RepDiff.IO;

namespace RepDiff.Tests.IO;

public class NpyTests
{
    [Fact]
    public void FixturesLoadWithTheirShapes()
    {
        var a = TestData.LoadFixture("planted_a.npy");
        var b = TestData.LoadFixture("planted_b.npy");
        Assert.Equal((600, 24), (a.Rows, a.Cols));
        Assert.Equal((600, 40), (b.Rows, b.Cols));
        var omega = TestData.LoadFixture("finc_omega.npy");
        Assert.Equal((16, 400), (omega.Rows, omega.Cols));
    }

    [Fact]
    public void WriteThenReadRoundTrips()
    {
        var m = new Matrix(3, 2, [1, 2, 3, 4, 5, float.Epsilon]);
        string path = Path.Combine(TestData.TempDir(), "m.npy");
        Npy.Write(path, m);
        var back = Npy.ReadMatrix(path);
        Assert.Equal(m.Data, back.Data);
        Assert.Equal((3, 2), (back.Rows, back.Cols));
    }

    [Fact]
    public void HeaderClaimingMoreDataThanTheFileHoldsIsAnInputError()
    {
        var m = new Matrix(4, 4);
        string path = Path.Combine(TestData.TempDir(), "m.npy");
        Npy.Write(path, m);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^8]);
        var e = Assert.Throws<RepDiffInputException>(() => Npy.ReadMatrix(path));
        Assert.Contains("truncated", e.Message);
    }

    /// <summary>
    /// A 3-D array's error carries its file, its problem and the token advice apart, so a listing (inspect of a state dict)
    /// shows the problem without the advice by composing, where it had removed the advice from the message by replacement.
    /// </summary>
    [Fact]
    public void AThreeDimensionalArraysErrorKeepsItsAdviceApart()
    {
        string path = Path.Combine(TestData.TempDir(), "tokens.npy");
        using (var stream = File.Create(path)) Npy.WriteRaw(stream, "<f4", [2, 3, 4], new byte[2 * 3 * 4 * 4]);
        var e = Assert.Throws<RepDiffInputException>(() => Embeddings.Load(path));
        Assert.Equal(path, e.FileName);
        Assert.Equal("expected a 2-D array (samples × dimensions), found shape (2, 3, 4)", e.FileProblem);
        Assert.Equal($"{e.FileName}: {e.FileProblem}{RowFile.ShapeAdvice([2, 3, 4])}", e.Message);
    }

    /// <summary>
    /// np.save called twice on one file opened for appending (embeddings saved batch by batch) writes two arrays back to
    /// back; np.load reads the first alone, and so did RepDiff: half the samples, without a word. Refused as embeddings and
    /// as labels; other bytes after the data are still ignored, as numpy ignores them.
    /// </summary>
    [Fact]
    public void ASecondArrayAppendedAfterTheFirstIsRefused()
    {
        string dir = TestData.TempDir();
        string first = Path.Combine(dir, "first.npy"), second = Path.Combine(dir, "second.npy"), path = Path.Combine(dir, "batches.npy");
        Npy.Write(first, new Matrix(3, 2));
        Npy.Write(second, new Matrix(2, 2));
        File.WriteAllBytes(path, [.. File.ReadAllBytes(first), .. File.ReadAllBytes(second)]);
        var e = Assert.Throws<RepDiffInputException>(() => Embeddings.Load(path));
        Assert.Equal($"{path}: holds another .npy array after its (3, 2) array (np.save called again on a file opened for appending?); "
            + "np.load reads only the first; save every row as one array (np.concatenate)", e.Message);
        string labels = Path.Combine(dir, "labels.npy");
        Npy.Write(first, new int[] { 1, 2, 3 });
        File.WriteAllBytes(labels, [.. File.ReadAllBytes(first), .. File.ReadAllBytes(first)]);
        Assert.Contains("holds another .npy array after its (3,) array", Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadLabels(labels)).Message);
        File.WriteAllBytes(path, [.. File.ReadAllBytes(second), .. new byte[64]]);
        Assert.Equal(2, Embeddings.Load(path).Rows);
    }

    /// <summary>
    /// A file cut after its header was read (rewritten by another program mid-run) used to fail to map with "Attempted
    /// to perform an unauthorized operation"; it is said for what it is.
    /// </summary>
    [Fact]
    public void AFileShorterThanItsArrayWhenMappedSaysItChanged()
    {
        string path = Path.Combine(TestData.TempDir(), "m.npy");
        Npy.Write(path, new Matrix(4, 3));
        var file = InputFile.OpenRead(path);
        var e = Assert.Throws<RepDiffInputException>(() => ArrayBytes.Map(file, 128, 4 * 3 * 4 + 1000));
        Assert.Contains("changed while it was read: it now holds 176 bytes, and its array takes bytes 128 to 1176", e.Message);
        using var whole = ArrayBytes.Map(InputFile.OpenRead(path), 128, 48);
        Assert.Equal(48, whole.Length);
    }
}
