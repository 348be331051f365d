using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace RepDiff.DemoData;

/// <summary>
/// Class-balanced, seeded subsets of Fashion-MNIST's test and training sets (IDX files as Zalando and
/// Debian ship them), kept in their original order and written as uint8 .npy plus a labels CSV that
/// names each image's row in the original file.
/// </summary>
internal static class FashionSubset
{
    public const int Seed = 15;
    public const int TestPerClass = 200;   // 2,000 test images: the images the demo embeds
    public const int TrainPerClass = 1000; // 10,000 training images: what the demo's task model learns from
    private const int Side = 28;

    public static void Run(string source, string outDir)
    {
        var rng = new Random(Seed);
        Write(source, "t10k", "test", TestPerClass, rng, outDir);
        Write(source, "train", "train", TrainPerClass, rng, outDir);
    }

    private static void Write(string source, string prefix, string name, int perClass, Random rng, string outDir)
    {
        var images = ReadIdx(Path.Combine(source, $"{prefix}-images-idx3-ubyte.gz"), 3);
        var labels = ReadIdx(Path.Combine(source, $"{prefix}-labels-idx1-ubyte.gz"), 1);
        var rows = Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]).OrderBy(g => g.Key)
            .SelectMany(g => { var r = g.ToArray(); rng.Shuffle(r); return r.Take(perClass); })
            .Order().ToArray();
        var pixels = new byte[rows.Length * Side * Side];
        var csv = new StringBuilder("source_row,label\n");
        for (int k = 0; k < rows.Length; k++)
        {
            images.AsSpan(rows[k] * Side * Side, Side * Side).CopyTo(pixels.AsSpan(k * Side * Side));
            csv.Append(CultureInfo.InvariantCulture, $"{rows[k]},{labels[rows[k]]}\n");
        }
        Gzip.WriteUInt8Npy(Path.Combine(outDir, $"{name}-images.npy.gz"), pixels, rows.Length, Side, Side);
        Gzip.WriteText(Path.Combine(outDir, $"{name}-labels.csv.gz"), csv.ToString());
        Console.WriteLine($"{name}: {rows.Length} images ({perClass} per class) of {labels.Length}");
    }

    /// <summary>The data bytes of a gzip'd IDX file of unsigned bytes with the given number of dimensions.</summary>
    private static byte[] ReadIdx(string path, int dimensions)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        var bytes = memory.ToArray();
        if (BinaryPrimitives.ReadInt32BigEndian(bytes) != 0x0800 + dimensions) throw new InvalidDataException($"{path}: not an IDX file of uint8 with {dimensions} dimensions");
        return bytes[(4 + 4 * dimensions)..];
    }
}
