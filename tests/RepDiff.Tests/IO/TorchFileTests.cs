using System.IO.Compression;
using RepDiff.IO;
using static RepDiff.Tests.IO.GoldenFileTests;

namespace RepDiff.Tests.IO;

/// <summary>
/// What a user with a torch.save file sees beyond its values (those are in <see cref="GoldenFileTests"/>): which
/// tensors --key can pick, and one line naming what cannot be read. The files are made by Data/make_golden.py.
/// </summary>
public class TorchFileTests
{
    private static string Refusal(string file, string? key = null)
        => Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(Golden(file), key).Dispose()).Message;

    [Fact]
    public void ADictOfSeveralTensorsNeedsAKeyAndTheMessageListsTheirPaths()
    {
        Assert.True(Embeddings.TakesKey("feats.pt") && Embeddings.TakesKey("model.pth"));
        Assert.Contains("holds 4 arrays; choose one with --key (keys: embeddings, labels, layers.0, layers.1)", Refusal("dict.pt"));
        Assert.Contains("has no array 'meta'", Refusal("dict.pt", "meta"));
        Assert.Contains("holds one tensor alone (torch.save(tensor)), which has no key; leave out the key 'embeddings'", Refusal("tensor.pt", "embeddings"));
    }

    [Theory]
    [InlineData(true)]   // stored, as torch.save writes it: the bytes before the storage's data were mapped as values
    [InlineData(false)]  // deflated: internal error, ArgumentOutOfRangeException
    public void AViewBeginningBeforeItsStorageIsRefused(bool stored)
    {
        string dir = Directory.CreateTempSubdirectory("repdiff-torch").FullName;
        try
        {
            string path = Path.Combine(dir, "negative.pt");
            HandTorch.Save(path, ("a", [1, 2, 3, 4, 5, 6], 0, 2, 3), ("b", [7, 8, 9, 10, 11, 12], -3, 2, 3));
            if (!stored) Deflate(path);
            var error = Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(path, "b").Dispose());
            Assert.Equal($"{path}[b]: its view (offset -3, 6 values) begins before its storage of 6 values", error.Message);
            using var a = Embeddings.OpenRows(path, "a");
            Assert.Equal([1f, 2, 3, 4, 5, 6], a.ReadAll().Data);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>The zip rewritten with every record deflated.</summary>
    private static void Deflate(string path)
    {
        var records = new List<(string, byte[])>();
        using (var zip = ZipFile.OpenRead(path))
            foreach (var e in zip.Entries)
            {
                using var s = e.Open();
                var data = new byte[e.Length];
                s.ReadExactly(data);
                records.Add((e.FullName, data));
            }
        File.Delete(path);
        using var output = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, data) in records)
        {
            using var s = output.CreateEntry(name, CompressionLevel.Optimal).Open();
            s.Write(data);
        }
    }

    /// <summary>
    /// torch.save(model.state_dict()) pickles the OrderedDict's `_metadata` attribute (module versions) after its items:
    /// every such file had been refused as "sets state on a dict". Its tensors are read; any other attribute still is refused.
    /// </summary>
    [Fact]
    public void AModelsStateDictIsReadDespiteItsModuleVersions()
    {
        Assert.Contains("holds 2 arrays; choose one with --key (keys: encoder.weight, encoder.bias)", Refusal("state_dict.pt"));
        using (var archive = ArrayArchive.Open(Golden("state_dict.pt"))!)
            Assert.Equal(["encoder.weight", "encoder.bias"], archive.Keys);
        Assert.Contains("sets state on a dict, which RepDiff does not read", Refusal("dict_attributes.pt"));
    }

    [Fact]
    public void AFileHoldingOneTensorIsNamedWithoutAKey()
    {
        using var rows = Embeddings.OpenRows(Golden("tensor.pt"));
        Assert.Equal(Golden("tensor.pt"), rows.Name);
        using var picked = Embeddings.OpenRows(Golden("dict.pt"), "layers.1");
        Assert.Equal($"{Golden("dict.pt")}[layers.1]", picked.Name);
    }

    [Fact]
    public void APickleThatWouldRunCodeIsRefusedByNameAndNothingRuns()
    {
        string message = Refusal("os_system.pt");
        Assert.Contains("holds a Python object built by os.system that RepDiff does not unpickle", message);
    }

    [Fact]
    public void AStridedViewIsRefusedSayingHowToSaveIt()
        => Assert.Contains("is a strided view (shape (4, 3), strides (6, 1)) whose storage holds other values between its own; save tensor.contiguous()", Refusal("strided.pt"));

    [Fact]
    public void TwoTensorsAtOnePathAreRefusedRatherThanTheFirstTaken()
    {
        // {"a.b": t1, "a": {"b": t2}}: before, --key a.b silently gave t1 and the key list read "a.b, a.b".
        Assert.Contains("holds 2 different tensors at the path 'a.b' (a dict key with a dot in it names the same path as nested dicts)", Refusal("colliding_paths.pt", "a.b"));
        Assert.Contains("holds 2 different tensors at the path 'a.b'", Refusal("colliding_paths.pt"));
    }

    [Fact]
    public void OneStorageReadAsTwoDtypesIsRefused()
        // torch.load would read both tensors as the first dtype; before, "y" came out as float32 bytes read as float64.
        => Assert.Contains("data.pkl uses storage data/0 as 15 float32 values and as 15 float64 values", Refusal("two_dtypes.pt", "y"));

    [Fact]
    public void SizesThatOverflowLongArithmeticAreRefusedNotCrashed()
    {
        // 2^62 float32 values are 2^64 bytes, 0 in long arithmetic: it matched an empty record, then threw ArgumentOutOfRange.
        Assert.Contains("data.pkl holds a storage of 4611686018427387904 values, more than any file can hold", Refusal("huge_storage.pt"));
        // Offset 2^63 - 5 plus 15 values wrapped negative and passed the check, then threw OverflowException.
        Assert.Contains("its view (offset 9223372036854775803, 15 values) runs past its storage of 15 values", Refusal("far_offset.pt"));
    }

    [Fact]
    public void TwoZipRecordsOfOneNameAreRefused()
        // data/0 twice with different values: before, the first was read; Python's zipfile reads the last.
        => Assert.Contains("holds two zip records named two_records/data/0: which one counts is not defined", Refusal("two_records.pt"));

    [Fact]
    public void ADtypeWithoutATypedStorageIsReadOrRefusedByName()
        // uint16 (read: uint16.pt in golden.json) and float8 come as _rebuild_tensor_v3 over an UntypedStorage; before, both
        // were refused as "holds a UntypedStorage".
        => Assert.Contains("data.pkl holds a tensor of torch.float8_e4m3fn (float32/64/16, bfloat16, integer and bool tensors are read)", Refusal("float8.pt"));

    /// <summary>
    /// A float8 tensor beside float32 ones (a quantized checkpoint) had the whole file refused, so its other tensors could not
    /// be read or listed: it is refused only when chosen, and `inspect` lists it with why.
    /// </summary>
    [Fact]
    public void AFloat8TensorIsRefusedOnlyWhenChosen()
    {
        Assert.Contains("holds 2 arrays; choose one with --key (keys: e, w)", Refusal("float8_beside.pt"));
        Assert.Contains("float8_beside.pt[w]: data.pkl holds a tensor of torch.float8_e4m3fn (float32/64/16, bfloat16, integer and bool tensors are read)",
            Refusal("float8_beside.pt", "w"));
        using var rows = Embeddings.OpenRows(Golden("float8_beside.pt"), "e");
        Assert.Equal([5L, 3L], rows.Shape);
        var (code, output, error) = RepDiff.Tests.Robustness.CliHarness.Run("inspect", Golden("float8_beside.pt"), "--json");
        Assert.Equal((0, ""), (code, error));
        var arrays = System.Text.Json.Nodes.JsonNode.Parse(output)!["arrays"]!.AsArray();
        Assert.Equal(5L, arrays[0]!["shape"]![0]!.GetValue<long>());
        Assert.Equal("data.pkl holds a tensor of torch.float8_e4m3fn (float32/64/16, bfloat16, integer and bool tensors are read)", arrays[1]!["problem"]!.GetValue<string>());
    }

    [Fact]
    public void ATensorSubclassIsRefusedByName()
        => Assert.Contains("data.pkl holds a tensor of the subclass torch.Float8Tensor, which RepDiff does not read", Refusal("subclass.pt"));

    [Fact]
    public void ASmallFileCannotMakeThePickleMachineHoldMillionsOfValues()
    {
        // 8.5 KB deflating to 2^23 MEMOIZE opcodes: before, all were kept (a 200 KB file of 2^27 took 15 GB and over a minute).
        Assert.Contains($"data.pkl holds more than {TorchPickle.MaxValues:N0} values", Refusal("memo_bomb.pt"));
        // Lists holding one list twice, 24 levels deep: 2^24 paths from a 1 KB file; before, the walk ran for hours.
        Assert.Contains($"reaches more than {TorchFile.MaxPaths:N0} values through dicts and lists", Refusal("shared_lists.pt"));
    }

    [Fact]
    public void TheLegacyFormatIsNamed()
        => Assert.Contains("is in PyTorch's legacy format (torch.save before 1.6", Refusal("legacy.pt"));

    [Fact]
    public void AFlippedBitInAStorageIsCaughtByTheZipChecksum()
    {
        string dir = Directory.CreateTempSubdirectory("repdiff-pt").FullName;
        try
        {
            string path = Path.Combine(dir, "flipped.pt");
            File.Copy(Golden("tensor.pt"), path);
            byte[] storage;
            using (var zip = ZipFile.OpenRead(path))
            using (var entry = zip.GetEntry("tensor/data/0")!.Open())
            {
                storage = new byte[60];
                entry.ReadExactly(storage);
            }
            var bytes = File.ReadAllBytes(path);
            int dataOffset = bytes.AsSpan().IndexOf(storage);  // a stored entry's bytes appear in the file as they are
            bytes[dataOffset + 5] ^= 0x01;  // a low mantissa bit of the second value: still a finite float
            File.WriteAllBytes(path, bytes);
            var message = Assert.Throws<RepDiffInputException>(() => Embeddings.OpenRows(path).Dispose()).Message;
            Assert.Contains("corrupt record tensor/data/0 (its data does not match the zip's CRC-32)", message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
