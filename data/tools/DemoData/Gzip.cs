using System.IO.Compression;
using System.Text;
using RepDiff.IO;

namespace RepDiff.DemoData;

/// <summary>Writes the bundled files: gzip at the smallest size, so the same input gives the same bytes.</summary>
internal static class Gzip
{
    public static void WriteText(string path, string text)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
        gzip.Write(new UTF8Encoding(false).GetBytes(text));
    }

    public static void WriteUInt8Npy(string path, byte[] data, params long[] shape)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
        Npy.WriteRaw(gzip, "|u1", shape, data);
    }
}
