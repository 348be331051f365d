using RepDiff.IO;
using static RepDiff.Tests.IO.GoldenFileTests;

namespace RepDiff.Tests.IO;

/// <summary>The .npy writer produces byte for byte what numpy writes, and writes atomically.</summary>
public class NpyWriterTests
{
    /// <summary>make_golden.py's base matrix: 5×3, 0.75·k − 4.5 for floats, 9·k − 60 for integers.</summary>
    private static IEnumerable<double> Base(bool integer) => Enumerable.Range(0, 15).Select(k => integer ? 9.0 * k - 60 : 0.75 * k - 4.5);

    [Fact]
    public void EveryWriterMatchesNumpyByteForByte()
    {
        string dir = TestData.TempDir();
        var cases = new (string Golden, Action<string> Write)[]
        {
            ("le_f4.npy", p => Npy.Write(p, new Matrix(5, 3, Base(false).Select(v => (float)v).ToArray()))),
            ("le_f4.npy", p => Npy.Write(p, Base(false).Select(v => (float)v).ToArray(), 5, 3)),
            ("le_f8.npy", p => Npy.Write(p, Base(false).ToArray(), 5, 3)),
            ("le_i4.npy", p => Npy.Write(p, Base(true).Select(v => (int)v).ToArray(), 5, 3)),
            ("le_i8.npy", p => Npy.Write(p, Base(true).Select(v => (long)v).ToArray(), 5, 3)),
            ("vector_i8.npy", p => Npy.Write(p, new long[] { 3, 1, 4, 1, 5, 9, 2, 6 })),
            ("wide_f4.npy", p => Npy.Write(p, Enumerable.Range(0, 80).Select(k => k / 8f).ToArray(), 2, 40)),
        };
        foreach (var (golden, write) in cases)
        {
            string path = Path.Combine(dir, golden);
            write(path);
            Assert.Equal(File.ReadAllBytes(Golden(golden)), File.ReadAllBytes(path));
        }
    }

    [Fact]
    public void ReadBackGivesTheSameValues()
    {
        string path = Path.Combine(TestData.TempDir(), "m.npy");
        var m = new Matrix(3, 2, [1, -2, 3.5f, float.Epsilon, float.MaxValue, 0]);
        Npy.Write(path, m);
        Assert.Equal(m.Data, Npy.ReadMatrix(path).Data);
        Npy.Write(path, new double[] { 0.1, 1e300, -3 });
        using var rows = Embeddings.OpenRows(path);
        Assert.Equal(("float64", 3, 1), (rows.Dtype, rows.Rows, rows.Cols));
    }

    [Fact]
    public void ShapeMustHoldTheValues() =>
        Assert.Throws<ArgumentException>(() => Npy.Write(Path.Combine(TestData.TempDir(), "x.npy"), new int[6], 4, 2));

    [Fact]
    public void AFailedWriteLeavesTheOldFileAndNoTemporaryFile()
    {
        string dir = TestData.TempDir();
        string path = Path.Combine(dir, "results.json");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("partial"u8);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir));
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    /// <summary>
    /// The folders made for an output file go again when it is not put in place (a write that fails, or files prepared
    /// together of which a later one fails) and stay once it is: `evaluate … --out new/deep/r.json` whose write failed had
    /// left new/deep behind, empty.
    /// </summary>
    [Fact]
    public void AFileNotPutInPlaceLeavesNoFolderMadeForIt()
    {
        string dir = TestData.TempDir();
        string path = Path.Combine(dir, "new", "deep", "r.json");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("partial"u8);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Empty(Directory.GetFileSystemEntries(dir));

        using (AtomicFile.PrepareText(path, "prepared, never put in place")) Assert.True(Directory.Exists(Path.GetDirectoryName(path)));
        Assert.Empty(Directory.GetFileSystemEntries(dir));

        AtomicFile.WriteAllText(path, "whole");
        Assert.Equal("whole", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir, "*", SearchOption.AllDirectories));
    }
}
