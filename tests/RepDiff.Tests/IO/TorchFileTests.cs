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
