using System.IO.Compression;
using System.Text;
using RepDiff.IO;
using static RepDiff.Tests.IO.GoldenFileTests;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.IO;

/// <summary>
/// Ids kept in the embedding file itself, beside the embeddings: an .npz's array "ids" or "id" (strings or integers),
/// a .pt's list of strings or integer tensor. They are the samples' ids unless --ids-a/--ids-b are given, joining A and B
/// as ids files do. The golden files were written by make_golden.py (numpy's savez; a .pt as torch.save writes it).
/// </summary>
public class IdsInsideEmbeddingFilesTests : IDisposable
{
    private readonly string dir = TestData.TempDir();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("ids_str.npz", "'ids' beside the embeddings")]
    [InlineData("ids_int.npz", "'id' beside the embeddings")]
    [InlineData("ids_list.pt", "'ids' beside the embeddings")]
    [InlineData("ids_tensor.pt", "'ids' beside the embeddings")]
    public void IdsBesideTheEmbeddingsAreRead(string file, string from)
    {
        var numpy = Npy.ReadMatrix(Golden("records_f32_read.npy"));
        // Without --key the ids leave one array to choose; with it, the ids are read all the same.
        foreach (string? key in new[] { null, file == "ids_list.pt" ? "embeddings" : "emb" })
        {
            using var rows = Embeddings.OpenRows(Golden(file), key);
            Assert.Equal(Strings(Expected["ids"]![file]!), rows.Ids);
            Assert.Equal(from, rows.IdsFrom);
            Assert.Equal(numpy.Data, rows.ReadAll().Data);
        }
        using (var archive = ArrayArchive.Open(Golden(file))!) Assert.Equal(1, archive.ChoiceCount);
        var inspect = Run("inspect", Golden(file));
        Assert.Equal(0, inspect.Code);
        Assert.Contains(from, inspect.Stdout);
    }

    /// <summary>An .npz's string ids join B's JSON Lines records given in another order, as --ids-a/--ids-b would; --ids-a still wins.</summary>
    [Fact]
    public void IdsJoinAAndB()
    {
        string[] ids = Strings(Expected["ids"]!["ids_str.npz"]!);
        int[] order = [3, 1, 5, 0, 4, 2];
        string b = Path.Combine(dir, "b.jsonl");
        File.WriteAllLines(b, order.Select(i => $"{{\"id\": \"{ids[i]}\", \"embedding\": [{i}, 1]}}"));
        using (var pair = new PairSpec(Golden("ids_str.npz"), b).Open())
        {
            Assert.Equal(ids, pair.Samples.Ids);
            for (int i = 0; i < 6; i++) Assert.Equal([(float)i, 1], pair.B.Row(i).ToArray());
        }
        // A command joins them too: its results.json records the ids, in A's order.
        string output = Path.Combine(dir, "pca");
        var outcome = Run("pca", Golden("ids_list.pt"), b, "--out", output);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var results = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(output, "results.json")))!;
        Assert.Equal(ids, results["samples"]!["ids"]!.AsArray().Select(id => id!.GetValue<string>()));
        string idsFile = Path.Combine(dir, "ids_a.txt");
        File.WriteAllLines(idsFile, order.Select(i => ids[i]));
        using var given = new PairSpec(Golden("ids_str.npz"), b) { IdsA = idsFile }.Open();
        Assert.Equal(order.Select(i => ids[i]), given.Samples.Ids);
        // Row i of A now has the id ids[order[i]], which B's record holding [order[i], 1] has too.
        for (int i = 0; i < 6; i++) Assert.Equal([(float)order[i], 1], given.B.Row(i).ToArray());
    }

    /// <summary>An .npz of numpy's arrays, stored.</summary>
    private string Npz(string name, params (string Key, string Descr, long[] Shape, byte[] Data)[] arrays)
    {
        string path = Path.Combine(dir, name);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
            foreach (var (key, descr, shape, data) in arrays)
            {
                using var entry = zip.CreateEntry(key + ".npy", CompressionLevel.NoCompression).Open();
                Npy.WriteRaw(entry, descr, shape, data);
            }
        return path;
    }

    private static byte[] Floats(int count) => Enumerable.Range(0, count).SelectMany(i => BitConverter.GetBytes(i * 0.5f)).ToArray();

    private static byte[] Utf32(int width, params string[] texts) =>
        texts.SelectMany(t => Encoding.UTF32.GetBytes(t.PadRight(width, '\0'))).ToArray();

    /// <summary>Ids that cannot be the samples' (floats, too few, repeated, blank) are one line naming the array.</summary>
    [Fact]
    public void BadIdsAreRefusedNamingTheArray()
    {
        var emb = ("emb", "<f4", new long[] { 3, 2 }, Floats(6));
        string floats = Npz("floats.npz", emb, ("ids", "<f4", [3], Floats(3)));
        Run("inspect", floats).AssertBadInput($"{floats}[ids]: holds float32 values beside the embeddings, not ids; ids are strings or integers");
        string few = Npz("few.npz", emb, ("ids", "<U2", [2], Utf32(2, "a", "b")));
        Run("inspect", few).AssertBadInput($"{few}[ids]: has 2 ids but {few}[emb] has 3 rows");
        string twice = Npz("twice.npz", emb, ("ids", "<U2", [3], Utf32(2, "a", "b", "a")));
        var (a, _, _) = SmallPair(dir, rows: 3);
        string output = Path.Combine(dir, "out");
        Run("rdx", twice, a, "--out", output).AssertBadInput($"{twice}[ids]: id 'a' appears at row 0 and row 2; ids must be unique");
        Assert.False(Directory.Exists(output));
        string blank = Npz("blank.npz", emb, ("id", "<U2", [3], Utf32(2, "a", "", "c")));
        Run("inspect", blank).AssertBadInput($"{blank}[id]: the id is empty at row 1; every row needs an id");
        // The ids array itself, asked for by --key, is what it is: no ids beside it.
        string ints = Npz("ints.npz", emb, ("ids", "<i8", [3], new long[] { 5, 6, 7 }.SelectMany(BitConverter.GetBytes).ToArray()));
        using var idsAsRows = Embeddings.OpenRows(ints, "ids");
        Assert.Null(idsAsRows.Ids);
        Assert.Equal([5f, 6, 7], idsAsRows.ReadAll().Data);
    }
}
