using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.IO;

/// <summary>
/// Every question about a file's format reads one table (<see cref="EmbeddingFormat.All"/>): the messages that list
/// formats by a fact name every format with it, where hand-kept lists had missed the formats added since.
/// </summary>
public class EmbeddingFormatTests : IDisposable
{
    private readonly string dir = TestData.TempDir();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Any format compressed (x.jsonl.gz, as embedding APIs' dumps often are) is named, not only the first nine had been.</summary>
    [Theory]
    [InlineData("x.jsonl.gz", ".jsonl", ".gz")]
    [InlineData("x.ndjson.zst", ".ndjson", ".zst")]
    [InlineData("x.pth.zip", ".pth", ".zip")]
    [InlineData("x.arrows.gz", ".arrows", ".gz")]
    [InlineData("x.npy.gz", ".npy", ".gz")]
    public void ACompressedFileOfAnyFormatIsNamed(string name, string inner, string outer)
    {
        string path = Write(name, [0x1f, 0x8b, 8]);
        var e = Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(path));
        Assert.Equal($"{path}: is a compressed {inner} file ('{outer}'); decompress it first (RepDiff reads {Embeddings.Formats} as they are; .npz is compressed already)", e.Message);
    }

    /// <summary>
    /// A compressed name that names no embedding format inside is read by its content, as the README says of every name:
    /// emb.gz and vectors.zip had been "unsupported file type", not saying they were compressed nor how to go on, and a zip
    /// of NAME.npy arrays (an .npz by its layout) had been refused for its name alone.
    /// </summary>
    [Fact]
    public void ACompressedNameOfNoFormatIsReadByItsContent()
    {
        string gzip = Write("emb.gz", [0x1f, 0x8b, 8, 0]);
        Assert.Equal($"{gzip}: is gzip-compressed; decompress it first (gunzip -c {gzip} > {gzip[..^3]}): files are read as they are",
            Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(gzip)).Message);

        string other = Path.Combine(dir, "notes.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(other, System.IO.Compression.ZipArchiveMode.Create))
            using (var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open())) writer.Write("not embeddings");
        Assert.Equal($"{other}: is a zip archive of other files (readme.txt); it is neither an .npz (np.savez stores NAME.npy arrays) nor a torch.save file: unzip it and give the embeddings file in it",
            Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(other)).Message);

        var matrix = new Matrix(3, 2, [1, 2, 3, 4, 5, 6]);
        string arrays = Path.Combine(dir, "vectors.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(arrays, System.IO.Compression.ZipArchiveMode.Create))
            using (var entry = zip.CreateEntry("emb.npy", System.IO.Compression.CompressionLevel.NoCompression).Open())
                Npy.WriteRaw(entry, "<f4", [3, 2], System.Runtime.InteropServices.MemoryMarshal.AsBytes(matrix.Data.AsSpan()));
        Assert.Equal(matrix.Data, Embeddings.Load(arrays).Data);
    }

    /// <summary>--id-column on files without columns names every such format in its advice (.h5 had been left out).</summary>
    [Fact]
    public void IdColumnAdviceNamesEveryFormatWithoutColumns()
    {
        Assert.Equal(".npy, .npz, .safetensors, .pt and .h5", EmbeddingFormat.ListedWhere(f => !f.HasColumns));
        string a = Path.Combine(dir, "a.h5"), b = Path.Combine(dir, "b.h5");
        new PureHDF.H5File { ["x"] = new float[4, 2] }.Write(a);
        new PureHDF.H5File { ["x"] = new float[4, 2] { { 1, 0 }, { 0, 1 }, { 1, 1 }, { 2, 0 } } }.Write(b);
        string output = Path.Combine(dir, "out");
        Run("pca", a, b, "--id-column", "id", "--out", output).AssertBadInput(
            "--id-column id: a.h5 and b.h5 have no named columns; --id-column names a column of a .csv, .tsv, Parquet or Arrow input, "
            + "a field of a JSON Lines input or a column of --metadata (for .npy, .npz, .safetensors, .pt and .h5 inputs give --ids)");
        Assert.False(Directory.Exists(output));
    }

    /// <summary>An Arrow stream given as labels is refused as the table it is, as a .feather or .parquet is, not read as text.</summary>
    [Theory]
    [InlineData("labels.arrows")]
    [InlineData("labels.ipc")]
    public void AnArrowStreamGivenAsLabelsIsNamedAsATable(string name)
    {
        string path = Write(name, [0xFF, 0xFF, 0xFF, 0xFF, 0x10, 0, 0, 0, 0, 0, 0, 0]);
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadLabels(path));
        Assert.Equal($"{path}: labels and ids are not read from {Path.GetExtension(name)} files; save them as a 1-D .npy or a text file with one per line, "
            + "or give the table as --metadata (its columns describe the concepts and colour the maps)", e.Message);
    }

    /// <summary>Each extension belongs to one format, and every format is opened by its row: none is "unsupported".</summary>
    [Fact]
    public void EveryExtensionOfTheTableIsOpenedByItsReader()
    {
        var extensions = EmbeddingFormat.All.SelectMany(f => f.Extensions).ToList();
        Assert.Equal(extensions.Count, extensions.Distinct().Count());
        foreach (string extension in extensions)
        {
            string path = Write("empty" + extension, []);
            var e = Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(path));
            Assert.DoesNotContain("unsupported file type", e.Message);
            Assert.Same(EmbeddingFormat.OfExtension(path.ToUpperInvariant()), EmbeddingFormat.OfExtension(path));
        }
    }
}
