using RepDiff.IO;

namespace RepDiff.Tests.IO;

/// <summary>A file of several arrays opened once: each array read through it is the array --key reads, even after it is closed.</summary>
public sealed class ArrayArchiveTests
{
    private static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "golden", name);

    [Theory]
    [InlineData("stored.npz")]
    [InlineData("deflated.npz")]
    [InlineData("all_dtypes.safetensors")]
    [InlineData("views.pt")]
    [InlineData("dict.pt")]
    public void EachArrayIsTheOneItsKeyReads(string file)
    {
        var rows = new List<RowFile>();
        IReadOnlyList<string> keys;
        using (var archive = ArrayArchive.Open(Golden(file))!)
        {
            keys = archive.Keys;
            rows.AddRange(keys.Select(k => archive.OpenRows(keys.Count == 1 ? null : k, checkFinite: false)));
        }
        Assert.NotEmpty(keys);
        for (int i = 0; i < keys.Count; i++)
            using (rows[i])
            using (var alone = Embeddings.Open(Golden(file), keys.Count == 1 ? null : keys[i], idColumn: null, validate: false))
            {
                Assert.Equal(alone.Name, rows[i].Name);
                Assert.Equal(alone.Shape, rows[i].Shape);
                Assert.Equal(alone.ReadAll().Data, rows[i].ReadAll().Data);
            }
    }

    /// <summary>
    /// One array has one name however its key is typed, the name the file lists it by: a run records it, and `evaluate`
    /// compares keys by it (an .npz's "x.npy" and "x", an .h5's "/emb/feats" and "emb/feats"). No key names a file's only
    /// array; a file of one array has none for a key to pick.
    /// </summary>
    [Fact]
    public void AKeyNamesItsArrayAsTheFileListsIt()
    {
        string npz = Golden("stored.npz"), h5 = Path.Combine(AppContext.BaseDirectory, "Data", "hdf5", "gzip_groups.h5");
        Assert.Equal(("emb", "emb"), (Embeddings.ArrayNamed(npz, "emb"), Embeddings.ArrayNamed(npz, "emb.npy")));
        Assert.Equal(("emb/feats", "emb/feats"), (Embeddings.ArrayNamed(h5, "/emb/feats"), Embeddings.ArrayNamed(h5, "emb/feats")));
        string single = Path.Combine(AppContext.BaseDirectory, "Data", "hdf5", "contiguous.h5");
        using (var archive = ArrayArchive.Open(single)!) Assert.Equal(Assert.Single(archive.Keys), Embeddings.ArrayNamed(single, null));
        Assert.Null(Embeddings.ArrayNamed(Golden("le_f4.npy"), "emb"));
        Assert.EndsWith("has no array 'x.npy' (keys: emb, labels)", Assert.Throws<RepDiffInputException>(() => Embeddings.ArrayNamed(npz, "x.npy")).Message);
    }

    [Theory]
    [InlineData(false)]  // stored: each view mapped, the storage's CRC-32 checked once
    [InlineData(true)]   // deflated: the storage was inflated again for each view (200 × 4 MB here; minutes for a large model)
    public void ManyViewsOfOneStorageReadItOnce(bool deflate)
    {
        const int rows = 1000, cols = 1000, views = 200;
        var storage = new float[rows * cols];
        for (int i = 0; i < storage.Length; i++) storage[i] = i % 997;
        string dir = Directory.CreateTempSubdirectory("repdiff-views").FullName;
        try
        {
            string path = Path.Combine(dir, "views.pt");
            HandTorch.Save(path, deflate, [.. Enumerable.Range(0, views).Select(v => ($"v{v}", storage, v * 4000, 4, 1000))]);
            long before = GC.GetAllocatedBytesForCurrentThread();
            using (var archive = ArrayArchive.Open(path)!)
                for (int v = 0; v < views; v++)
                {
                    using var view = archive.OpenRows($"v{v}", checkFinite: false);
                    var row = new float[cols];
                    view.ReadRows(3, 1, row);
                    Assert.Equal(storage[v * 4000 + 3 * cols + 7], row[7]);
                }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 3 * storage.Length * sizeof(float), $"allocated {allocated:N0} bytes for {views} views of a 4 MB storage");
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>
    /// A table's columns are its keys; only its float-list columns are choices, and the others open as an error saying what
    /// they hold (a Parquet file of a string id, a float list and a float64 score).
    /// </summary>
    [Fact]
    public void ATablesColumnsAreKeysAndOnlyItsFloatListsAreChoices()
    {
        string path = TableWriter.Parquet(Path.Combine(TestData.TempDir(), "t.parquet"), ["a", "b"], [[1, 2], [3, 4]]);
        using var archive = ArrayArchive.Open(path)!;
        Assert.Equal(["id", "emb", "score"], archive.Keys);
        Assert.Equal((1, "columns", "--column"), (archive.ChoiceCount, archive.KeysAre, archive.KeyFlag));
        using (var rows = archive.OpenRows("emb", checkFinite: true)) Assert.Equal(4f, rows.ReadAll()[1, 1]);
        Assert.Equal($"{path} (column 'score'): not an embedding: float64 numbers, not lists of floats",
            Assert.Throws<RepDiffInputException>(() => archive.OpenRows("score", checkFinite: true)).Message);
        Assert.Equal($"{path} (column 'id'): not an embedding: strings, not lists of floats",
            Assert.Throws<RepDiffInputException>(() => archive.OpenRows("id", checkFinite: true)).Message);
    }

    [Fact]
    public void SingleArrayFormatsAreNoArchive()
    {
        Assert.Null(ArrayArchive.Open(Golden("le_f4.npy")));
        Assert.Null(ArrayArchive.Open(Golden("plain.csv")));
    }
}
