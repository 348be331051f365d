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

    [Fact]
    public void SingleArrayFormatsAreNoArchive()
    {
        Assert.Null(ArrayArchive.Open(Golden("le_f4.npy")));
        Assert.Null(ArrayArchive.Open(Golden("plain.csv")));
    }
}
