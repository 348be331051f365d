using System.IO.Compression;
using System.Text;
using RepDiff.IO;
using static RepDiff.Tests.IO.GoldenFileTests;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.IO;

/// <summary>
/// Ids kept in the embedding file itself, beside the embeddings: an .npz's array "ids" or "id" (strings or integers),
/// a .pt's list of strings or integer tensor, a .safetensors' integer tensor or JSON list in __metadata__, an .h5's
/// dataset of integers or strings in the embeddings' group. They are the samples' ids unless --ids-a/--ids-b are given,
/// joining A and B as ids files do. The golden files were written by make_golden.py (numpy's savez; a .pt as torch.save
/// writes it); the .safetensors files are written here byte by byte and the .h5 files by PureHDF (neither safetensors nor
/// h5py is installed here), in the layouts save_file and h5py write.
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

    /// <summary>
    /// An archive reads the ids beside its arrays once, not once per array it opens (`inspect` lists every array of a file,
    /// and had read an .npz's or .h5's ids again for each): ids changed in the file after the first array was opened are
    /// not seen with the next, while a new archive sees them. `inspect` says the same of every array as before.
    /// </summary>
    [Fact]
    public void AnArchiveReadsItsIdsOnce()
    {
        string[] changed = SixIds.Select(id => id.ToUpperInvariant()).ToArray();
        var rows = Floats(12);
        string npz = Npz("two.npz", ("emb", "<f4", [6, 2], rows), ("other", "<f4", [6, 2], rows), ("ids", "<U5", [6], Utf32(5, SixIds)));
        string h5 = H5("two.h5", new PureHDF.H5File { ["emb"] = SixRows(), ["other"] = SixRows(), ["ids"] = SixIds });
        foreach (var (file, change, refusal) in new (string, Action, string?)[]
        {
            // In place: the archive keeps the .npz open (a new file would be another inode), but reopens an .h5 for each read.
            // Read again, the changed .npz entry is refused by its CRC; the .h5's ids are the new ones.
            (npz, () => ReplaceOnce(npz, Utf32(5, SixIds), Utf32(5, changed)), "[ids]: corrupt record ids.npy (its data does not match the zip's CRC-32)"),
            (h5, () => H5("two.h5", new PureHDF.H5File { ["emb"] = SixRows(), ["other"] = SixRows(), ["ids"] = changed }), null),
        })
        {
            var inspect = Run("inspect", file, "--json");
            Assert.True(inspect.Code == 0, inspect.Stderr);
            var arrays = System.Text.Json.Nodes.JsonNode.Parse(inspect.Stdout)!["arrays"]!.AsArray();
            Assert.Equal(["emb", "ids", "other"], arrays.Select(a => a!["key"]!.GetValue<string>()).Order());
            foreach (var array in arrays.Where(a => a!["key"]!.GetValue<string>() != "ids"))
                Assert.Equal("'ids' beside the embeddings", array!["ids"]!.GetValue<string>());

            using (var archive = ArrayArchive.Open(file)!)
            {
                using (var first = archive.OpenRows("emb", checkFinite: false)) Assert.Equal(SixIds, first.Ids!);
                change();
                using var second = archive.OpenRows("other", checkFinite: false);
                Assert.Equal(SixIds, second.Ids!);
            }
            if (refusal is not null)
                Assert.EndsWith(refusal, Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(file, "other")).Message);
            else
                using (var fresh = Embeddings.OpenRows(file, "other")) Assert.Equal(changed, fresh.Ids!);
        }
    }

    /// <summary>Overwrites the one occurrence of <paramref name="from"/> in the file with <paramref name="to"/> (as long), in place.</summary>
    private static void ReplaceOnce(string path, byte[] from, byte[] to)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int at = bytes.AsSpan().IndexOf(from);
        Assert.True(at >= 0 && bytes.AsSpan(at + 1).IndexOf(from) < 0 && from.Length == to.Length);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.Position = at;
        file.Write(to);
    }

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
        // pandas' strings (np.savez(…, ids=df["id"].values)) are an object array: told to save strings, not numbers.
        string objects = Npz("objects.npz", emb, ("ids", "|O", [3], [0x80, 0x03, (byte)'N', (byte)'.']));
        Run("inspect", objects).AssertBadInput($"{objects}[ids]: unsupported dtype '|O': Python objects (pickled), as a pandas column's .values holds its strings; "
            + "RepDiff runs no pickle: save them as numpy strings instead, e.g. np.asarray(labels, dtype=str)");
        // The ids array itself, asked for by --key, is what it is: no ids beside it.
        string ints = Npz("ints.npz", emb, ("ids", "<i8", [3], new long[] { 5, 6, 7 }.SelectMany(BitConverter.GetBytes).ToArray()));
        using var idsAsRows = Embeddings.OpenRows(ints, "ids");
        Assert.Null(idsAsRows.Ids);
        Assert.Equal([5f, 6, 7], idsAsRows.ReadAll().Data);
    }

    private static readonly string[] SixIds = ["cat-3", "dog-1", "cat-5", "owl-0", "dog-4", "owl-2"];

    /// <summary>Six rows of two values: row i is (i, 1).</summary>
    private static float[,] SixRows()
    {
        var rows = new float[6, 2];
        for (int i = 0; i < 6; i++) (rows[i, 0], rows[i, 1]) = (i, 1);
        return rows;
    }

    private static byte[] Bytes<T>(params T[] values) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>A .safetensors file as save_file writes it: the tensors back to back in the order given, then the header.</summary>
    private string Safetensors(string name, string? metadata, params (string Name, string Dtype, long[] Shape, byte[] Data)[] tensors)
    {
        var header = new System.Text.Json.Nodes.JsonObject();
        if (metadata is not null) header["__metadata__"] = System.Text.Json.Nodes.JsonNode.Parse(metadata);
        long offset = 0;
        foreach (var (key, dtype, shape, data) in tensors)
        {
            header[key] = new System.Text.Json.Nodes.JsonObject
            {
                ["dtype"] = dtype,
                ["shape"] = new System.Text.Json.Nodes.JsonArray(shape.Select(d => (System.Text.Json.Nodes.JsonNode)d).ToArray()),
                ["data_offsets"] = new System.Text.Json.Nodes.JsonArray(offset, offset + data.Length),
            };
            offset += data.Length;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)json.Length), .. json, .. tensors.SelectMany(t => t.Data)]);
        return path;
    }

    private static (string, string, long[], byte[]) Emb(int rows = 6) =>
        ("emb", "F32", [rows, 2], Bytes(Enumerable.Range(0, rows).SelectMany(i => new[] { (float)i, 1 }).ToArray()));

    /// <summary>Ids as json.dumps writes a list, inside a string as safetensors' metadata holds them.</summary>
    private static string MetadataIds(string list) => new System.Text.Json.Nodes.JsonObject { ["ids"] = list }.ToJsonString();

    /// <summary>An .h5 file of the given datasets (and groups) as PureHDF writes it; fixedStrings: strings of that fixed length, as numpy's "S" dtype.</summary>
    private string H5(string name, PureHDF.H5File file, int fixedStrings = 0)
    {
        string path = Path.Combine(dir, name);
        file.Write(path, new PureHDF.H5WriteOptions(DefaultStringLength: fixedStrings));
        return path;
    }

    /// <summary>
    /// save_file({"emb": e, "ids": torch.tensor(ids)}), metadata={"ids": json.dumps(ids)} of strings or of integers,
    /// h5py's f["ids"] of int64, of variable-length strings, of fixed-length strings, and beside "emb/feats" in group "emb":
    /// each file's ids are the samples', said by inspect, and leave the embeddings the only choice.
    /// </summary>
    [Fact]
    public void IdsInSafetensorsAndHdf5AreRead()
    {
        long[] numbers = [40, 9_007_199_254_740_993, -2, 7, 0, 123];  // 2^53 + 1: exact only if read as an integer
        string[] numberIds = numbers.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var cases = new (string File, string? Key, string[] Ids, string From)[]
        {
            (Safetensors("tensor.safetensors", null, Emb(), ("ids", "I64", [6], Bytes(numbers))), "emb", numberIds, "'ids' beside the embeddings"),
            (Safetensors("meta.safetensors", MetadataIds(System.Text.Json.JsonSerializer.Serialize(SixIds)), Emb()), "emb", SixIds, "'ids' in the __metadata__ header"),
            (Safetensors("meta_int.safetensors", """{"format": "pt", "id": "[40, 9007199254740993, -2, 7, 0, 123]"}""", Emb()), null, numberIds, "'id' in the __metadata__ header"),
            (H5("int.h5", new PureHDF.H5File { ["emb"] = SixRows(), ["ids"] = numbers }), "emb", numberIds, "'ids' beside the embeddings"),
            (H5("vlen.h5", new PureHDF.H5File { ["emb"] = SixRows(), ["id"] = SixIds }), "/emb", SixIds, "'id' beside the embeddings"),
            (H5("fixed.h5", new PureHDF.H5File { ["emb"] = SixRows(), ["ids"] = SixIds }, fixedStrings: 8), "emb", SixIds, "'ids' beside the embeddings"),
            (H5("group.h5", new PureHDF.H5File { ["emb"] = new PureHDF.H5Group { ["feats"] = SixRows(), ["ids"] = SixIds }, ["other"] = new float[6] }), "emb/feats", SixIds, "'emb/ids' beside the embeddings"),
        };
        foreach (var (file, key, ids, from) in cases)
        {
            // Where there is one array besides the ids, no key is needed; either way the ids are read.
            foreach (string? chosen in key is null || file.EndsWith("group.h5") ? [key] : new[] { null, key })
            {
                using var rows = Embeddings.OpenRows(file, chosen);
                Assert.Equal(ids, rows.Ids!);
                Assert.Equal(from, rows.IdsFrom);
                Assert.Equal(Enumerable.Range(0, 6).SelectMany(i => new[] { (float)i, 1 }), rows.ReadAll().Data);
            }
            if (!file.EndsWith("group.h5"))
                using (var archive = ArrayArchive.Open(file)!) Assert.Equal(1, archive.ChoiceCount);
            var inspect = Run(["inspect", file, .. key is null ? Array.Empty<string>() : ["--key", key]]);
            Assert.True(inspect.Code == 0, inspect.Stderr);
            Assert.Contains(from, inspect.Stdout);
        }
    }

    /// <summary>
    /// An h5py file's own layout (old-style groups, gzip and shuffle): Hdf5Tests' gzip_groups.h5 with its "emb/labels"
    /// (np.arange(10)) renamed "emb/ids" in the bytes gives the ids of "emb/feats" beside it.
    /// </summary>
    [Fact]
    public void IdsOfAnH5pyFileAreRead()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(TestData.RepoRoot, "tests", "RepDiff.Tests", "Data", "hdf5", "gzip_groups.h5"));
        byte[] from = Encoding.ASCII.GetBytes("labels\0"), to = Encoding.ASCII.GetBytes("ids\0\0\0\0");
        int at = bytes.AsSpan().IndexOf(from);
        Assert.True(at >= 0 && bytes.AsSpan(at + 1).IndexOf(from) < 0);
        to.CopyTo(bytes, at);
        string path = Path.Combine(dir, "h5py.h5");
        File.WriteAllBytes(path, bytes);
        using var rows = Embeddings.OpenRows(path, "emb/feats");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), rows.Ids!);
        Assert.Equal("'emb/ids' beside the embeddings", rows.IdsFrom);
    }

    /// <summary>A .safetensors A and an .h5 B saved in different orders are joined by the ids each carries.</summary>
    [Fact]
    public void SafetensorsAndHdf5JoinById()
    {
        int[] order = [3, 1, 5, 0, 4, 2];
        string a = Safetensors("a.safetensors", MetadataIds(System.Text.Json.JsonSerializer.Serialize(SixIds)), Emb());
        var rowsB = new double[6, 3];
        for (int i = 0; i < 6; i++) (rowsB[i, 0], rowsB[i, 1], rowsB[i, 2]) = (order[i], 2, order[i] % 2);
        string b = H5("b.h5", new PureHDF.H5File { ["features"] = rowsB, ["ids"] = order.Select(i => SixIds[i]).ToArray() });
        using (var pair = new PairSpec(a, b).Open())
        {
            Assert.Equal(SixIds, pair.Samples.Ids!);
            for (int i = 0; i < 6; i++) Assert.Equal([(float)i, 2, i % 2], pair.B.Row(i).ToArray());
        }
        string output = Path.Combine(dir, "pca");
        var outcome = Run("pca", a, b, "--out", output);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var results = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(output, "results.json")))!;
        Assert.Equal(SixIds, results["samples"]!["ids"]!.AsArray().Select(id => id!.GetValue<string>()));
    }

    /// <summary>
    /// An .h5 ids dataset is refused by the count its dataspace declares, before it is read: one that declares 2^28 ids and
    /// stores seven (a file of a few KB) had been read as declared, 2 GB of ids allocated for six rows.
    /// </summary>
    [Fact]
    public void AnH5IdsDatasetOfAnotherCountIsRefusedBeforeItIsRead()
    {
        // Seven ids written, then the dataspace's size (7, a unique 8-byte value here) made 2^28 in the file's bytes.
        string path = H5("declared.h5", new PureHDF.H5File { ["emb"] = SixRows(), ["ids"] = Enumerable.Range(100, 7).Select(i => (long)i).ToArray() });
        var bytes = File.ReadAllBytes(path);
        var seven = BitConverter.GetBytes(7L);
        var at = Enumerable.Range(0, bytes.Length - 8).Where(i => bytes.AsSpan(i, 8).SequenceEqual(seven)).ToList();
        Assert.NotEmpty(at);
        foreach (int i in at) BitConverter.GetBytes(1L << 28).CopyTo(bytes, i);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(path, "emb"));
        Assert.Equal($"{path}[ids]: has 268,435,456 ids but {path}[emb] has 6 rows", error.Message);
    }

    /// <summary>
    /// A group named ids beside the embeddings (h5py's f.create_group("ids")) holds no ids: refused in one line, as a .pt's
    /// dict or a .safetensors' JSON object under that name is, where it had been passed over and the rows paired by position.
    /// Its datasets are the ids', not embeddings to choose, as a MATLAB struct's fields are: without --key, `inspect` and
    /// --key ids/name give the same refusal (they had listed "ids/name" as a key, and read it as "not an embedding"). A file
    /// whose only group is named ids holds the embeddings there, and is read as before.
    /// </summary>
    [Fact]
    public void AnH5GroupNamedIdsIsRefusedNotPassedOver()
    {
        var (other, _, _) = SmallPair(dir, rows: 6);
        string path = H5("group-ids.h5", new PureHDF.H5File { ["emb"] = SixRows(), ["ids"] = new PureHDF.H5Group { ["name"] = SixIds } });
        string output = Path.Combine(dir, "out");
        string refusal = $"{path}[ids]: holds an HDF5 group beside the embeddings, not ids; ids are strings or integers";
        Run("pca", path, other, "--key", "emb", "--out", output).AssertBadInput(refusal);
        Run("pca", path, other, "--out", output).AssertBadInput(refusal);
        Run("pca", path, other, "--key", "ids/name", "--out", output).AssertBadInput(refusal);
        Run("inspect", path).AssertBadInput(refusal);
        Run("inspect", path, "--key", "ids/name").AssertBadInput(refusal);
        Assert.False(Directory.Exists(output));
        string inGroup = H5("only-group.h5", new PureHDF.H5File { ["ids"] = new PureHDF.H5Group { ["feats"] = SixRows() } });
        Assert.Equal(0, Run("pca", inGroup, other, "--key", "ids/feats", "--out", output).Code);
        Assert.Equal(0, Run("inspect", inGroup).Code);
    }

    /// <summary>
    /// Ids a .safetensors or .h5 keeps that cannot be the samples' (too few, repeated, floats, not a JSON list) are one line
    /// naming them, exit code 2, and no output folder.
    /// </summary>
    [Fact]
    public void BadIdsInSafetensorsAndHdf5AreRefusedNamingThem()
    {
        var (other, _, _) = SmallPair(dir, rows: 6);
        var cases = new (string File, string Problem)[]
        {
            (Safetensors("few.safetensors", null, Emb(), ("ids", "I32", [5], Bytes(1, 2, 3, 4, 5))), "few.safetensors[ids]: has 5 ids but {0}[emb] has 6 rows"),
            (Safetensors("floats.safetensors", null, Emb(), ("ids", "F32", [6], Bytes(1f, 2, 3, 4, 5, 6))), "floats.safetensors[ids]: holds float32 values beside the embeddings, not ids"),
            (Safetensors("twice.safetensors", MetadataIds("[\"a\", \"b\", \"c\", \"a\", \"d\", \"e\"]"), Emb()), "twice.safetensors[__metadata__.ids]: id 'a' appears at row 0 and row 3; ids must be unique"),
            (Safetensors("text.safetensors", MetadataIds("a,b,c,d,e,f"), Emb()), "text.safetensors[__metadata__.ids]: is not valid JSON"),
            (Safetensors("dict.safetensors", MetadataIds("{\"a\": 1}"), Emb()), "dict.safetensors[__metadata__.ids]: is an object, not a list of ids"),
            (Safetensors("fraction.safetensors", MetadataIds("[1, 2, 3.5, 4, 5, 6]"), Emb()), "fraction.safetensors[__metadata__.ids]: item 2 is the number 3.5, not a string or a whole number"),
            (H5("few.h5", new PureHDF.H5File { ["emb"] = SixRows(), ["ids"] = SixIds[..4] }), "few.h5[ids]: has 4 ids but {0}[emb] has 6 rows"),
            (H5("twice.h5", new PureHDF.H5File { ["emb"] = SixRows(), ["ids"] = new long[] { 1, 2, 3, 4, 5, 1 } }), "twice.h5[ids]: id '1' appears at row 0 and row 5; ids must be unique"),
            (H5("floats.h5", new PureHDF.H5File { ["emb"] = SixRows(), ["ids"] = new double[6] }), "floats.h5[ids]: holds float64 values beside the embeddings, not ids"),
            (H5("table.h5", new PureHDF.H5File { ["emb"] = SixRows(), ["ids"] = new long[6, 2] }), "table.h5[ids]: expected one id per sample (a 1-D array), found shape (6, 2)"),
        };
        foreach (var (file, problem) in cases)
        {
            string output = Path.Combine(dir, "out");
            Run("pca", file, other, "--out", output).AssertBadInput(Path.Combine(dir, string.Format(problem, file)));
            Assert.False(Directory.Exists(output));
        }
    }
}
