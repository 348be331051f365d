using System.Buffers.Binary;
using System.IO.Compression;
using RepDiff.IO;

namespace RepDiff.Report;

/// <summary>
/// A minimal PNG encoder (8-bit greyscale or RGB, no interlacing, filter type 0) so the report can
/// show pixel-array images and heatmaps without any imaging library.
/// </summary>
public static class Png
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>Encodes rows of 8-bit pixels: channels = 1 (grey) or 3 (RGB), row-major, width·channels bytes per row.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), "PNG encoder writes grey (1) or RGB (3)");
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "image must be at least 1×1");
        int stride = width * channels;
        if (pixels.Length != stride * height) throw new ArgumentException($"expected {stride * height} bytes, got {pixels.Length}");

        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;                                // bit depth
        header[9] = (byte)(channels == 1 ? 0 : 2);    // colour type: grey or truecolour
        header[10] = 0; header[11] = 0; header[12] = 0; // deflate, adaptive filtering, no interlace
        WriteChunk(output, "IHDR", header);

        using (var compressed = new MemoryStream())
        {
            // zlib's default level: the smallest size took 2.5× as long for 1.6% fewer bytes (a 240×240 heatmap: 19 against
            // 7.7 ms, 28.5 against 29.0 KB), and every method command draws two heatmaps.
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    zlib.WriteByte(0); // filter type None
                    zlib.Write(pixels.Slice(y * stride, stride));
                }
            }
            WriteChunk(output, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        }
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>
    /// Encodes a float image (H×W×C, values 0..1, C = 1 or 3) enlarged by an integer factor with
    /// nearest-neighbour sampling, so tiny images such as 8×8 digits stay sharp in every browser.
    /// </summary>
    public static byte[] EncodeFloat(ReadOnlySpan<float> image, int width, int height, int channels, int scale = 1)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), "images must have 1 or 3 channels");
        int w = width * scale, h = height * scale;
        var bytes = new byte[w * h * channels];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < channels; c++)
                {
                    float v = image[((y / scale) * width + x / scale) * channels + c];
                    bytes[(y * w + x) * channels + c] = float.IsFinite(v) ? (byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255f) : (byte)0;
                }
        return Encode(bytes, w, h, channels);
    }

    public static string DataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        for (int i = 0; i < 4; i++) typeBytes[i] = (byte)type[i];
        output.Write(typeBytes);
        output.Write(data);
        var crc = new System.IO.Hashing.Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        output.Write(word);
    }
}
