using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.IO;

/// <summary>
/// Files of one vector per sample (np.savez(path, *vecs) or **{name: vec}, torch.save({name: vec}), a safetensors file of
/// one 1-D tensor per sample, an .h5 of one 1-D dataset per sample): read without --key as one row per vector, the arrays'
/// names as the samples' ids. They had been refused ("holds N arrays; choose one with --key"), and the --key that refusal
/// suggested read one sample's vector as an n×1 embedding and exited 0 (review 180, finding 3). Each file is written here.
/// </summary>
public class PerSampleVectorFilesTests : IDisposable
{
    private readonly string dir = TestData.TempDir();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Sample i's vector in A: distinct values, so a row read from the wrong array shows.</summary>
    private static float[] VectorA(int i) => [i, i * i % 5, 1 + i / 2f];

    /// <summary>Sample i's vector in B.</summary>
    private static float[] VectorB(int i) => [100 + i, -i, 0.25f * i];

    private static readonly string[] Names = Enumerable.Range(0, 8).Select(i => $"s{i:00}").ToArray();

    /// <summary>The vectors as the format's usual writer saves them, in the order given.</summary>
    private string Write(string file, IEnumerable<(string Name, float[] Values)> vectors)
    {
        string path = Path.Combine(dir, file);
        var list = vectors.ToList();
        switch (Path.GetExtension(file))
        {
            case ".npz": WriteNpz(path, list.Select(v => (v.Name, "<f4", Bytes(v.Values), (long)v.Values.Length))); break;
            case ".safetensors": WriteSafetensors(path, list); break;
            case ".pt": HandTorch.SaveVectors(path, [.. list]); break;
            case ".h5":
                var h5 = new PureHDF.H5File();
                foreach (var (name, values) in list) h5[name] = values;
                h5.Write(path);
                break;
        }
        return path;
    }

    private static byte[] Bytes(float[] values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>An .npz as numpy.savez writes it: each array a stored .npy entry, in the order given (or deflated, as savez_compressed does, where <paramref name="deflated"/> says).</summary>
    private static void WriteNpz(string path, IEnumerable<(string Name, string Descr, byte[] Data, long Length)> arrays, Func<string, bool>? deflated = null)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, descr, data, length) in arrays)
        {
            var level = deflated?.Invoke(name) == true ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
            using var entry = zip.CreateEntry(name + ".npy", level).Open();
            Npy.WriteRaw(entry, descr, [length], data);
        }
    }

    /// <summary>A .safetensors file of one F32 tensor per sample: the header, then the tensors back to back.</summary>
    private static void WriteSafetensors(string path, List<(string Name, float[] Values)> vectors)
    {
        var header = new JsonObject();
        long offset = 0;
        foreach (var (name, values) in vectors)
        {
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(values.Length),
                ["data_offsets"] = new JsonArray(offset, offset + 4L * values.Length),
            };
            offset += 4L * values.Length;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)json.Length), .. json, .. vectors.SelectMany(v => Bytes(v.Values))]);
    }

    /// <summary>B holds the same samples in another order.</summary>
    private static readonly int[] OrderB = [5, 2, 7, 0, 3, 6, 1, 4];

    [Theory]
    [InlineData(".npz")]
    [InlineData(".safetensors")]
    [InlineData(".pt")]
    [InlineData(".h5")]
    public void EachFormatReadsOneRowPerVectorWithTheNamesAsIds(string extension)
    {
        string a = Write("a" + extension, Names.Select((name, i) => (name, VectorA(i))));
        string b = Write("b" + extension, OrderB.Select(i => (Names[i], VectorB(i))));
        using (var rows = Embeddings.OpenRows(a))
        {
            Assert.Equal([8L, 3], rows.Shape);
            Assert.Equal("float32", rows.Dtype);
            // The file's order: the order the vectors were saved in (h5py's groups list their members by name, as here).
            Assert.Equal(Names, rows.Ids);
            var all = rows.ReadAll();
            for (int i = 0; i < 8; i++) Assert.Equal(VectorA(i), all.Row(i).ToArray());
        }
        using var pair = new PairSpec(a, b).Open();
        Assert.Equal(Names, pair.Samples.Ids);
        for (int i = 0; i < 8; i++) Assert.Equal(VectorB(i), pair.B.Row(i).ToArray());
    }

    /// <summary>
    /// np.savez(path, *vecs) names them arr_0 … arr_11, which the file keeps in the order saved (arr_10 after arr_9, not after
    /// arr_1); an array of ids saved beside them names the samples instead.
    /// </summary>
    [Fact]
    public void NumpysPositionalVectorsKeepTheirOrderAndIdsBesideThemNameTheSamples()
    {
        var positional = Enumerable.Range(0, 12).Select(i => ($"arr_{i}", "<f4", Bytes(VectorA(i)), 3L)).ToList();
        WriteNpz(Path.Combine(dir, "positional.npz"), positional);
        using (var rows = Embeddings.OpenRows(Path.Combine(dir, "positional.npz")))
        {
            Assert.Equal(Enumerable.Range(0, 12).Select(i => $"arr_{i}"), rows.Ids);
            Assert.Equal(VectorA(10), rows.ReadAll().Row(10).ToArray());
        }
        string[] ids = Enumerable.Range(0, 12).Select(i => $"photo{i}").ToArray();
        byte[] utf32 = ids.SelectMany(id => Encoding.UTF32.GetBytes(id.PadRight(7, '\0'))).ToArray();
        WriteNpz(Path.Combine(dir, "with_ids.npz"), [.. positional, ("ids", "<U7", utf32, 12L)]);
        using (var rows = Embeddings.OpenRows(Path.Combine(dir, "with_ids.npz"))) Assert.Equal(ids, rows.Ids);
        Assert.Contains("12 vectors of 3 float32, one per sample (ids: 'ids' beside the embeddings)", Run("inspect", Path.Combine(dir, "with_ids.npz")).Stdout);
    }

    /// <summary>
    /// The stored vectors are read in one pass through one stream, each checked against the zip's CRC-32, and deflated ones
    /// among them through ZipArchive: the rows are the vectors in the file's order, and a flipped byte in a stored vector's
    /// data is refused naming that vector.
    /// </summary>
    [Fact]
    public void StoredAndDeflatedVectorsReadInOrderAndAFlippedByteIsRefused()
    {
        string path = Path.Combine(dir, "mixed.npz");
        WriteNpz(path, Names.Select((name, i) => (name, "<f4", Bytes(VectorA(i)), 3L)), deflated: name => name is "s02" or "s05");
        using (var rows = Embeddings.OpenRows(path))
        {
            Assert.Equal(Names, rows.Ids);
            Assert.Equal(Enumerable.Range(0, Names.Length).SelectMany(VectorA), rows.ReadAll().Data);
        }
        // s06's first float: its local header, then its .npy header of 128 bytes, come before it.
        byte[] bytes = File.ReadAllBytes(path);
        byte[] s06 = Bytes(VectorA(6));
        int at = bytes.AsSpan().IndexOf(s06);
        Assert.True(at > 0);
        bytes[at] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(path).Dispose());
        Assert.Contains("mixed.npz[s06]: corrupt .npz entry (its data does not match the zip's CRC-32", error.Message);
    }

    [Fact]
    public void AVectorOfAnotherLengthIsRefusedNamingIt()
    {
        string odd = Write("odd.npz", Names.Select((name, i) => (name, i == 3 ? VectorA(i)[..2] : VectorA(i))));
        string b = Write("b.npz", OrderB.Select(i => (Names[i], VectorB(i))));
        string output = Path.Combine(dir, "out");
        Run("pca", odd, b, "--out", output).AssertBadInput(
            "odd.npz[s03]: is a vector of shape (2,) float32, but the file's other vectors are (3,) float32: a file of one vector per sample needs every vector of one length and dtype");
        Assert.False(Directory.Exists(output));
        // Another dtype among them is the odd one out too.
        WriteNpz(Path.Combine(dir, "dtypes.npz"), Names.Select((name, i) => i == 6
            ? (name, "<f8", Bytes(VectorA(i)).Concat(new byte[12]).ToArray(), 3L) : (name, "<f4", Bytes(VectorA(i)), 3L)));
        Run("inspect", Path.Combine(dir, "dtypes.npz")).AssertBadInput("dtypes.npz[s06]: is a vector of shape (3,) float64, but the file's other vectors are (3,) float32");
    }

    /// <summary>
    /// The --key the old refusal suggested had read one sample's vector of 3 values as 3 samples of 1 dimension and exited 0.
    /// Elsewhere a 1-D array a key names stays one column, as a 1-D .npy is (a score beside the embeddings).
    /// </summary>
    [Fact]
    public void AKeyNamingOneSamplesVectorIsRefused()
    {
        string a = Write("a.npz", Names.Select((name, i) => (name, VectorA(i))));
        string b = Write("b.npz", OrderB.Select(i => (Names[i], VectorB(i))));
        Run("pca", a, b, "--key", "s03", "--out", Path.Combine(dir, "out")).AssertBadInput(
            "a.npz: 's03' is one sample's vector of 3 float32 values; this file holds one vector per sample (8 of them): read it without --key, as 8 rows");
        Run("inspect", a, "--key", "s03").AssertBadInput("'s03' is one sample's vector");
        string matrixAndScore = Path.Combine(dir, "matrix_and_score.npz");
        using (var zip = ZipFile.Open(matrixAndScore, ZipArchiveMode.Create))
        {
            using (var entry = zip.CreateEntry("emb.npy", CompressionLevel.NoCompression).Open()) Npy.WriteRaw(entry, "<f4", [3, 2], Bytes(new float[6]));
            using (var entry = zip.CreateEntry("score.npy", CompressionLevel.NoCompression).Open()) Npy.WriteRaw(entry, "<f4", [3], Bytes([1, 2, 3]));
        }
        using var score = Embeddings.OpenRows(matrixAndScore, "score");
        Assert.Equal((3, 1), (score.Rows, score.Cols));
        Run("pca", matrixAndScore, b).AssertBadInput("holds 2 arrays; choose one with --key (keys: emb, score)");
    }

    [Fact]
    public void InspectSaysTheFileHoldsOneVectorPerSample()
    {
        string a = Write("a.pt", Names.Select((name, i) => (name, VectorA(i))));
        var table = Run("inspect", a);
        Assert.Equal(0, table.Code);
        Assert.Contains("8 vectors of 3 float32, one per sample (ids: their names)", table.Stdout);
        var json = JsonNode.Parse(Run("inspect", a, "--json").Stdout)!;
        Assert.Equal(new JsonArray(8, 3).ToJsonString(), json["shape"]!.ToJsonString());
        Assert.Equal("8 vectors of 3 float32, one per sample (ids: their names)", json["vectors"]!.GetValue<string>());
        Assert.Equal("the arrays' names", json["ids"]!.GetValue<string>());
        // The format read, as for a file of one array (README: "`inspect` says the format it read"); and float32 vectors hold
        // nothing beyond float32's range, so the Inf row is plain (it had read "Inf (or beyond float32's ±3.4e38)", and
        // --json inf_includes_beyond_float32 true, for every file of vectors: they are gathered into memory as text is).
        Assert.Matches(@"│ format +│ \.pt/\.pth \(torch\.save\) +│", table.Stdout);
        Assert.Matches(@"│ Inf +│ 0 +│", table.Stdout);
        Assert.Equal(".pt/.pth (torch.save)", json["format"]!.GetValue<string>());
        Assert.False(json["inf_includes_beyond_float32"]!.GetValue<bool>());
        // float64 vectors can hold such values, which read as float32 count among Inf.
        string wide = Path.Combine(dir, "wide.npz");
        WriteNpz(wide, Names.Select((name, i) => (name, "<f8", VectorA(i).SelectMany(v => BitConverter.GetBytes((double)v)).ToArray(), 3L)));
        json = JsonNode.Parse(Run("inspect", wide, "--json").Stdout)!;
        Assert.Equal((".npz", true), (json["format"]!.GetValue<string>(), json["inf_includes_beyond_float32"]!.GetValue<bool>()));
    }

    /// <summary>
    /// `pca` on two per-sample .npz files, B's vectors saved in another order, finds the concepts `pca` finds on the same
    /// samples as two matrices: B's rows are joined to A's by name.
    /// </summary>
    [Fact]
    public void PcaOnVectorFilesInOtherOrdersFindsWhatTheMatricesDo()
    {
        var (a, b, _) = SmallPair(dir, rows: 40);
        var (matrixA, matrixB) = (Npy.ReadMatrix(a), Npy.ReadMatrix(b));
        string Name(int i) => $"img/{i:000}.jpg";
        var shuffled = Enumerable.Range(0, 40).OrderBy(i => (i * 17) % 40).ToArray();
        string vectorsA = Write("va.npz", Enumerable.Range(0, 40).Select(i => (Name(i), matrixA.Row(i).ToArray())));
        string vectorsB = Write("vb.npz", shuffled.Select(i => (Name(i), matrixB.Row(i).ToArray())));
        JsonNode Results(string first, string second, string output)
        {
            var outcome = Run("pca", first, second, "--out", Path.Combine(dir, output));
            Assert.True(outcome.Code == 0, outcome.Stderr);
            return JsonNode.Parse(File.ReadAllText(Path.Combine(dir, output, "results.json")))!;
        }
        var matrices = Results(a, b, "matrices");
        var vectors = Results(vectorsA, vectorsB, "vectors");
        Assert.Equal(Enumerable.Range(0, 40).Select(Name), vectors["samples"]!["ids"]!.AsArray().Select(id => id!.GetValue<string>()));
        static string Members(JsonNode results) => new JsonArray(results["directions"]!.AsArray()
            .SelectMany(direction => direction!["concepts"]!.AsArray().Select(concept => concept!["members"]!.DeepClone())).ToArray()).ToJsonString();
        Assert.Equal(Members(matrices), Members(vectors));
        Assert.Contains(vectors["directions"]!.AsArray(), direction => direction!["concepts"]!.AsArray().Any(concept => concept!["members"]!.AsArray().Count > 0));
    }
}
