using SkiaSharp;

namespace RepDiff.Tests.Embedding;

/// <summary>
/// Test pictures: 224×224 scenes of Twemoji images (Data/emoji, CC BY 4.0) over coloured gradients, drawn
/// with Skia, so the models see natural-looking colour, edges and texture rather than noise.
/// </summary>
internal static class TestImages
{
    public static string EmojiFolder => Path.Combine(AppContext.BaseDirectory, "Data", "emoji");

    public static string[] Emoji => Directory.GetFiles(EmojiFolder, "*.png").Order(StringComparer.Ordinal).ToArray();

    /// <summary>A new folder <paramref name="name"/> in <paramref name="dir"/> holding <paramref name="count"/> 64×48 scenes; returns its path.</summary>
    public static string SceneFolder(string dir, int count, string name = "images")
    {
        string folder = Directory.CreateDirectory(Path.Combine(dir, name)).FullName;
        Scenes(folder, count, 64, 48);
        return folder;
    }

    /// <summary>Writes <paramref name="count"/> opaque PNG scenes of the given size into <paramref name="dir"/>.</summary>
    public static string[] Scenes(string dir, int count, int width = 224, int height = 224)
    {
        var emoji = Emoji.Select(SKBitmap.Decode).ToArray();
        var paths = new string[count];
        for (int i = 0; i < count; i++)
        {
            using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
            using (var canvas = new SKCanvas(bitmap))
            {
                using var background = new SKPaint
                {
                    Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
                        [SKColor.FromHsv(i * 47 % 360, 40, 95), SKColor.FromHsv((i * 47 + 120) % 360, 60, 40)], SKShaderTileMode.Clamp),
                };
                canvas.DrawRect(0, 0, width, height, background);
                for (int k = 0; k < 3; k++)
                {
                    var e = emoji[(i + 3 * k) % emoji.Length];
                    float size = 60 + 25 * ((i + k) % 3);
                    float x = (i * 37 + k * 71) % (width - size), y = (i * 53 + k * 89) % (height - size);
                    using var image = SKImage.FromBitmap(e);
                    canvas.DrawImage(image, new SKRect(x, y, x + size, y + size), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
                }
            }
            paths[i] = Path.Combine(dir, $"scene{i}.png");
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(paths[i], data.ToArray());
        }
        foreach (var e in emoji) e.Dispose();
        return paths;
    }

    /// <summary>A 24-bit BMP of RGB rows (Skia decodes BMP but does not write it).</summary>
    public static byte[] Bmp(byte[] rgb, int width, int height)
    {
        int stride = (width * 3 + 3) / 4 * 4, size = 54 + stride * height;
        var bmp = new byte[size];
        bmp[0] = (byte)'B'; bmp[1] = (byte)'M';
        BitConverter.GetBytes(size).CopyTo(bmp, 2);
        BitConverter.GetBytes(54).CopyTo(bmp, 10);
        BitConverter.GetBytes(40).CopyTo(bmp, 14);
        BitConverter.GetBytes(width).CopyTo(bmp, 18);
        BitConverter.GetBytes(height).CopyTo(bmp, 22);
        BitConverter.GetBytes((short)1).CopyTo(bmp, 26);
        BitConverter.GetBytes((short)24).CopyTo(bmp, 28);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int src = (y * width + x) * 3, dst = 54 + (height - 1 - y) * stride + x * 3; // bottom-up rows, BGR
                bmp[dst] = rgb[src + 2]; bmp[dst + 1] = rgb[src + 1]; bmp[dst + 2] = rgb[src];
            }
        return bmp;
    }

    /// <summary>Encodes RGB pixels with Skia (PNG, JPEG or lossless WebP).</summary>
    public static byte[] Encode(byte[] rgb, int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[width * height * 4];
        for (int i = 0; i < width * height; i++) { rgba[4 * i] = rgb[3 * i]; rgba[4 * i + 1] = rgb[3 * i + 1]; rgba[4 * i + 2] = rgb[3 * i + 2]; rgba[4 * i + 3] = 255; }
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(format, 100);
        return data.ToArray();
    }

    /// <summary>A TIFF block (EXIF's layout) holding one IFD with the Orientation tag, little- or big-endian.</summary>
    private static byte[] ExifOrientation(ushort orientation, bool bigEndian = false) => bigEndian
        ?
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8,        // big-endian TIFF header, first IFD at 8
            0, 1,                                            // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1,                    // tag 0x0112 (Orientation), SHORT, count 1
            (byte)(orientation >> 8), (byte)orientation, 0, 0,
            0, 0, 0, 0,                                      // no next IFD
        ]
        :
        [
            (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0,        // little-endian TIFF header, first IFD at 8
            1, 0,                                            // one entry
            0x12, 0x01, 3, 0, 1, 0, 0, 0,                    // tag 0x0112 (Orientation), SHORT, count 1
            (byte)orientation, (byte)(orientation >> 8), 0, 0,
            0, 0, 0, 0,                                      // no next IFD
        ];

    /// <summary>The PNG with an eXIf chunk saying <paramref name="orientation"/> inserted after its IHDR chunk.</summary>
    public static byte[] PngWithExifOrientation(byte[] png, ushort orientation, bool bigEndian = false)
    {
        byte[] data = ExifOrientation(orientation, bigEndian);
        byte[] typeAndData = [.. "eXIf"u8.ToArray(), .. data];
        byte[] chunk = [(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length, .. typeAndData, .. BigEndian(Crc32(typeAndData))];
        const int afterIhdr = 8 + 4 + 4 + 13 + 4;   // signature, then IHDR's length, type, 13 bytes and CRC
        return [.. png[..afterIhdr], .. chunk, .. png[afterIhdr..]];
    }

    /// <summary>The PNG with its header saying <paramref name="width"/>×<paramref name="height"/> (its CRC made right), its data left as it was.</summary>
    public static byte[] PngDeclaring(byte[] png, uint width, uint height)
    {
        const int ihdrType = 8 + 4, ihdrData = ihdrType + 4;
        byte[] patched = [.. png[..ihdrData], .. BigEndian(width), .. BigEndian(height), .. png[(ihdrData + 8)..]];
        BigEndian(Crc32(patched.AsSpan(ihdrType, 4 + 13))).CopyTo(patched, ihdrData + 13);
        return patched;
    }

    private static byte[] BigEndian(uint v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, the zlib polynomial), which libpng checks; bit by bit: test data is a few bytes.</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>The JPEG with an EXIF APP1 segment saying <paramref name="orientation"/> inserted after its SOI marker.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff = ExifOrientation(orientation);
        var app1 = new List<byte> { 0xFF, 0xE1 };
        int length = 2 + 6 + tiff.Length;
        app1.Add((byte)(length >> 8)); app1.Add((byte)length);
        app1.AddRange("Exif\0\0"u8.ToArray());
        app1.AddRange(tiff);
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }
}
