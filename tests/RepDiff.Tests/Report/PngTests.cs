using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using RepDiff.IO;
using RepDiff.Report;

namespace RepDiff.Tests.Report;

public class PngTests
{
    [Fact]
    public void Crc32MatchesTheStandardCheckValue()
    {
        // The CRC-32 check value of the ASCII string "123456789" (IEEE 802.3).
        Assert.Equal(0xCBF43926u, System.IO.Hashing.Crc32.HashToUInt32(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void EncodedPixelsDecodeBackExactly()
    {
        const int width = 5, height = 3;
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 17);
        var png = Png.Encode(rgb, width, height, 3);

        var chunks = ReadChunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        var ihdr = chunks[0].Data;
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(ihdr));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
        Assert.Equal(8, ihdr[8]);
        Assert.Equal(2, ihdr[9]);

        using var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var scanlines = raw.ToArray();
        Assert.Equal(height * (1 + width * 3), scanlines.Length);
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, scanlines[y * (1 + width * 3)]);
            Assert.Equal(rgb.AsSpan(y * width * 3, width * 3).ToArray(), scanlines.AsSpan(y * (1 + width * 3) + 1, width * 3).ToArray());
        }
    }

    [Fact]
    public void FloatImagesAreUpscaledWithNearestNeighbour()
    {
        float[] image = [0f, 1f, 0.5f, 2f]; // 2×2 grey, the 2 is clamped to white
        var png = Png.EncodeFloat(image, 2, 2, 1, scale: 3);
        var chunks = ReadChunks(png);
        Assert.Equal(6, BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data));
        using var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var s = raw.ToArray();
        byte Pixel(int x, int y) => s[y * 7 + 1 + x];
        Assert.Equal(0, Pixel(2, 2));
        Assert.Equal(255, Pixel(3, 0));
        Assert.Equal(128, Pixel(0, 5));
        Assert.Equal(255, Pixel(5, 5));
    }

    /// <summary>Splits a PNG into chunks, checking the signature and every chunk's CRC.</summary>
    private static List<(string Type, byte[] Data)> ReadChunks(byte[] png)
    {
        Assert.Equal(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, png[..8]);
        var chunks = new List<(string, byte[])>();
        for (int p = 8; p < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(p));
            string type = Encoding.ASCII.GetString(png, p + 4, 4);
            var data = png.AsSpan(p + 8, length).ToArray();
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(p + 8 + length));
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(png.AsSpan(p + 4, 4 + length)), crc);
            chunks.Add((type, data));
            p += 12 + length;
        }
        return chunks;
    }
}
