using RepDiff.IO;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.IO;

/// <summary>
/// HDF5 inputs: files written by h5py (libhdf5 itself; Data/hdf5/make_hdf5.py) read value for value, and each file RepDiff
/// cannot read refused in one line that says why. Row i, column j of every h5py file holds i + j/8.
/// </summary>
public class Hdf5Tests
{
    private static string H5py(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "hdf5", name);

    [Theory]
    [InlineData("contiguous.h5", null, "float32", 1f)]
    [InlineData("gzip_groups.h5", "emb/feats", "float64", 1f)]   // chunked, gzip and shuffle, in a group
    [InlineData("gzip_groups.h5", "/emb/feats", "float64", 1f)]  // h5py's spelling from the root
    [InlineData("float16.h5", null, "float16", 1f)]
    [InlineData("uint8.h5", null, "uint8", 8f)]
    [InlineData("resizable_latest.h5", null, "float32", 1f)]      // newest file format, chunks of 3 rows, Fletcher-32
    [InlineData("fletcher_narrow.h5", null, "float32", 1f)]      // Fletcher-32 on chunks narrower than a row: read other chunks' values
    [InlineData("int12.h5", null, "int32", -8f)]                   // 12 of 32 bits, negative: read as 4,095 - 7 and the like
    public void ReadsWhatH5pyWrote(string file, string? key, string dtype, float scale)
    {
        using var rows = Embeddings.OpenRows(H5py(file), key);
        Assert.Equal(dtype, rows.Dtype);
        Assert.Equal([10L, 3], rows.Shape);
        var all = rows.ReadAll();
        for (int i = 0; i < 10; i++)
            for (int j = 0; j < 3; j++) Assert.Equal((i + j / 8f) * scale, all[i, j]);
        var part = new float[4 * 3];
        rows.ReadRows(5, 4, part);
        Assert.Equal(all.Data.AsSpan(15, 12).ToArray(), part);
    }

    [Fact]
    public void OneDimensionalDatasetIsOneColumnAndKeepsItsShape()
    {
        using var rows = Embeddings.OpenRows(H5py("gzip_groups.h5"), "emb/labels");
        Assert.Equal([10L], rows.Shape);
        Assert.Equal((10, 1), (rows.Rows, rows.Cols));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), rows.ReadAll().Data);
    }

    [Theory]
    [InlineData("gzip_groups.h5", null, "holds 3 arrays; choose one with --key (keys: emb/feats, emb/labels, paths)")]
    [InlineData("gzip_groups.h5", "feats", "has no array 'feats' (keys: emb/feats, emb/labels, paths)")]
    [InlineData("gzip_groups.h5", "paths", "gzip_groups.h5[paths]: not an embedding: it holds strings, not numbers")]
    [InlineData("lzf.h5", null, "is compressed with an HDF5 filter RepDiff does not read (filter 'lzf' with ID '32000')")]
    [InlineData("big_endian.h5", null, "stores big-endian values")]
    [InlineData("three_d.h5", null, "expected a 2-D array (samples × dimensions), found shape (2, 3, 4)")]
    [InlineData("no_datasets.h5", null, "holds no datasets")]
    [InlineData("virtual.h5", null, "is a virtual dataset (its values live in other files)")]
    [InlineData("ragged.h5", null, "not an embedding: it holds variable-length sequences (ragged rows or strings), not numbers")]
    [InlineData("empty_dataspace.h5", null, "holds no values (an empty dataspace)")]
    [InlineData("fletcher_damaged.h5", null, "holds a chunk whose Fletcher-32 checksum does not match its data: the file is damaged")]
    [InlineData("unwritten.h5", null, "declares shape (100000000, 768) (307 GB) in a file of 1,400 bytes, more than compression can hold")]
    public void RefusesWhatItCannotReadNamingWhy(string file, string? key, string expected)
    {
        var error = Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(H5py(file), key).ReadAll());
        Assert.Contains(file, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ANamedDatasetIsReadWithoutWalkingTheRestOfTheFile()
    {
        using var rows = Embeddings.OpenRows(H5py("self_soft_link.h5"), "x");
        Assert.Equal($"{H5py("self_soft_link.h5")}[x]", rows.Name);
        Assert.Equal(4.625f, rows.ReadAll().Data.Average(), 5);
    }

    [Theory]
    [InlineData("self_soft_link.h5", "x")]
    [InlineData("link_cycles.h5", "emb/x")]
    public void SoftLinkCyclesAreSkippedWhenTheFileIsListed(string file, string dataset)
    {
        // PureHDF follows a soft link as soon as it meets it, so a cycle recursed until the process died of a stack
        // overflow (exit 134) when the file was listed; now the cycle is a link that leads nowhere and is skipped.
        using var archive = ArrayArchive.Open(H5py(file))!;
        Assert.Equal([dataset], archive.Keys);
        using var rows = Embeddings.OpenRows(H5py(file));
        Assert.Equal(4.625f, rows.ReadAll().Data.Average(), 5);
    }

    [Theory]
    [InlineData("self_soft_link.h5", "loop", "'loop' is a soft link that leads back to itself")]
    [InlineData("link_cycles.h5", "a", "'a' is a soft link that leads back to itself")]
    [InlineData("link_cycles.h5", "emb/self", "'emb/self' is a soft link that leads back to itself")]
    [InlineData("link_cycles.h5", "gone", "'gone' is a link to something not in the file")]
    public void ALinkThatLeadsNowhereIsNamedWhenAskedFor(string file, string key, string expected)
    {
        var error = Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(H5py(file), key));
        Assert.StartsWith($"{H5py(file)}: {expected}", error.Message);
    }

    [Fact]
    public void Float64BeyondFloat32IsNamedAsStoredNotAsInfinity()
    {
        var values = new double[5, 3];
        values[3, 2] = 1e39;
        string path = Path.Combine(TestData.TempDir(), "big.h5");
        new PureHDF.H5File { ["x"] = values }.Write(path);
        using var rows = Embeddings.OpenRows(path);
        Assert.Equal($"{path}: row 3 column 2 is 1E+39, beyond the float32 range (±3.4e38) RepDiff computes in; scale the data down",
            Assert.Throws<RepDiffInputException>(() => rows.ReadAll()).Message);
    }

    [Fact]
    public void NaNIsRefusedNamingItsRow()
    {
        using var rows = Embeddings.OpenRows(H5py("nan.h5"));
        var error = Assert.Throws<RepDiffInputException>(() => rows.ReadAll());
        Assert.Equal($"{H5py("nan.h5")}: row 4 column 1 is NaN; values must be finite", error.Message);
    }

    [Fact]
    public void NotHdf5AndTruncatedFilesAreRefused()
    {
        string dir = TestData.TempDir();
        // Bytes of no format's signature (another format's would be read as that format, with a warning): text is named as such.
        string text = Path.Combine(dir, "really_text.h5");
        File.WriteAllText(text, "x,y\n1,2\n");
        Assert.Contains("is comma-separated text (CSV), not an HDF5 file as its name says", Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(text)).Message);
        string truncated = Path.Combine(dir, "truncated.h5");
        File.WriteAllBytes(truncated, File.ReadAllBytes(H5py("gzip_groups.h5"))[..3000]);
        Assert.Contains("truncated?", Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(truncated, "emb/feats").ReadAll()).Message);
    }

    [Fact]
    public void BlocksCoverTheRowsInWholeChunksAndAreBounded()
    {
        Assert.Equal([10L], Hdf5.RowBlocks(10, 3, chunk: [4, 3]));
        // 768 columns: 1,365 rows make 2^20 values, rounded up to chunks of 100 rows.
        var blocks = Hdf5.RowBlocks(1_000_000, 768, chunk: [100, 768]);
        Assert.All(blocks.SkipLast(1), b => Assert.Equal(1400, b));
        Assert.Equal(1_000_000, blocks.Sum());
        // Very wide rows would make one block per row; the count stays at 65,536.
        var wide = Hdf5.RowBlocks(int.MaxValue, 1 << 21, chunk: null);
        Assert.Equal(int.MaxValue, wide.Sum());
        Assert.True(wide.Count <= 1 << 16);
    }

    [Fact]
    public void RowsAcrossBlocksReadAsWritten()
    {
        // 5,000 × 300 float32: blocks of 3,495 rows, so rows 3,400..3,599 span two.
        var values = new float[5000, 300];
        for (int i = 0; i < 5000; i++)
            for (int j = 0; j < 300; j++) values[i, j] = i * 0.5f + j;
        string path = Path.Combine(TestData.TempDir(), "wide.h5");
        new PureHDF.H5File { ["x"] = values }.Write(path);
        using var rows = Embeddings.OpenRows(path);
        var part = new float[200 * 300];
        rows.ReadRows(3400, 200, part);
        for (int r = 0; r < 200; r++)
            for (int j = 0; j < 300; j += 37) Assert.Equal(values[3400 + r, j], part[r * 300 + j]);
        rows.ReadRows(0, 1, part);
        Assert.Equal(values[0, 299], part[299]);
    }

    [Fact]
    public void MethodOnHdf5InputsFindsWhatItFindsOnNpy()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = CliHarness.SmallPair(dir);
        string h5a = Path.Combine(dir, "a.h5"), h5b = Path.Combine(dir, "b.h5");
        new PureHDF.H5File { ["feats"] = ToArray(Npy.ReadMatrix(a)), ["labels"] = new[] { 1, 2 } }.Write(h5a);
        new PureHDF.H5File { ["emb"] = new PureHDF.H5Group { ["x"] = ToArray(Npy.ReadMatrix(b)) } }.Write(h5b);
        var fromNpy = CliHarness.Run("rdx", a, b, "--labels", labels, "--out", Path.Combine(dir, "npy"));
        var fromH5 = CliHarness.Run("rdx", h5a, h5b, "--key-a", "feats", "--labels", labels, "--out", Path.Combine(dir, "h5"));
        Assert.Equal(0, fromNpy.Code);
        Assert.Equal(0, fromH5.Code);
        Assert.Equal(Members(Path.Combine(dir, "npy")), Members(Path.Combine(dir, "h5")));

        CliHarness.Run("rdx", h5a, h5b, "--out", Path.Combine(dir, "nokey")).AssertBadInput("a.h5: holds 2 arrays; choose one with --key (keys: feats, labels)");
        Assert.False(Directory.Exists(Path.Combine(dir, "nokey")));
    }

    [Fact]
    public void InspectListsEveryDatasetAndSaysWhichAreNoEmbeddings()
    {
        var outcome = CliHarness.Run("inspect", H5py("gzip_groups.h5"), "--json");
        Assert.Equal(0, outcome.Code);
        var arrays = System.Text.Json.Nodes.JsonNode.Parse(outcome.Stdout)!["arrays"]!.AsArray();
        Assert.Equal(["emb/feats", "emb/labels", "paths"], arrays.Select(a => a!["key"]!.GetValue<string>()));
        Assert.Equal("float64", arrays[0]!["dtype"]!.GetValue<string>());
        Assert.Equal("not an embedding: it holds strings, not numbers", arrays[2]!["problem"]!.GetValue<string>());
    }

    private static float[,] ToArray(Matrix m)
    {
        var result = new float[m.Rows, m.Cols];
        for (int i = 0; i < m.Rows; i++)
            for (int j = 0; j < m.Cols; j++) result[i, j] = m[i, j];
        return result;
    }

    private static string Members(string outDir) =>
        string.Join(";", System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["directions"]!.AsArray()
            .SelectMany(d => d!["concepts"]!.AsArray()).Select(c => c!["members"]!.ToJsonString()));
}
