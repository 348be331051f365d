using RepDiff;
using RepDiff.IO;
using SkiaSharp;

namespace RepDiff.Embedding;

/// <summary>
/// Decodes JPEG, PNG, WebP, BMP and GIF (first frame) with Skia into upright opaque RGBA: EXIF orientation
/// applied, grey expanded to RGB, transparent pixels composed over white. Pixel arrays (0..1, H×W×C with
/// C = 1, 3 or 4) go through the same composition.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>More pixels than this is refused rather than allocated (a 16k × 16k photo is 268M).</summary>
    public const long MaxPixels = 200_000_000;

    /// <summary>
    /// The most pixels a byte of PNG, GIF or BMP can hold, with room to spare: deflate compresses at most 1,032:1, and a PNG
    /// of one-bit pixels packs 8 to a byte (8,256); GIF's LZW at most about 2,700; BMP's run lengths 128.
    /// </summary>
    public const long MaxPixelsPerByte = 8_300;

    public static DecodedImage Decode(string path, DecodeBudget? budget = null) => Decode(ReadFile(path), path, budget);

    /// <summary>An image file's bytes through the shared input reader (regular files only), at most <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadFile(string path, long maxBytes = long.MaxValue) => InputFile.ReadAllBytes(path, "an image file", maxBytes);

    /// <summary>
    /// Skia's codec for an encoded image, refused (naming the image) when no codec reads it or when it is
    /// empty or larger than <see cref="MaxPixels"/>. The caller disposes it.
    /// </summary>
    public static SKCodec OpenCodec(byte[] bytes, string name)
    {
        // Skia says "truncated" of any file too short to recognise: an empty file, or a few bytes of text.
        if (bytes.Length == 0) throw RepDiffInputException.ForFile(name, "is empty (0 bytes), not an image");
        var codec = SKCodec.Create(new MemoryStream(bytes, writable: false), out var created)
            ?? throw RepDiffInputException.ForFile(name, UndecodedFormat(name) is { } format
                ? $"{format} is not a format RepDiff decodes (JPEG, PNG, WebP, BMP, GIF); convert the images first, e.g. mogrify -format png *{Path.GetExtension(name)}"
                : created == SKCodecResult.IncompleteInput && bytes.Length < 64
                ? $"not a readable image ({bytes.Length} bytes, too short to recognise)" : $"not a readable image ({Describe(created)})");
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
        {
            codec.Dispose();
            throw RepDiffInputException.ForFile(name, $"image of {info.Width}x{info.Height} pixels is empty");
        }
        if ((long)info.Width * info.Height > MaxPixels)
        {
            codec.Dispose();
            throw RepDiffInputException.ForFile(name, $"image of {info.Width:N0} x {info.Height:N0} = {(long)info.Width * info.Height:N0} pixels is more than the {MaxPixels:N0} pixels RepDiff decodes; scale it down first");
        }
        // A few bytes claiming a huge picture are cut short or forged: refused before its pixels are allocated whole (a PNG
        // of 80 bytes declaring 14000×14000 made Skia allocate 784 MB before finding its data missing).
        var encoded = codec.EncodedFormat;
        if (encoded is SKEncodedImageFormat.Png or SKEncodedImageFormat.Gif or SKEncodedImageFormat.Bmp
            && (long)info.Width * info.Height > MaxPixelsPerByte * bytes.Length)
        {
            codec.Dispose();
            throw RepDiffInputException.ForFile(name, $"truncated or corrupt image: it declares {info.Width:N0} x {info.Height:N0} pixels in {bytes.Length:N0} bytes, more than a {encoded.ToString().ToUpperInvariant()} file can hold");
        }
        // libjpeg decodes damaged JPEG data with a warning Skia does not pass on, filling the rest with grey or garbage.
        if (encoded == SKEncodedImageFormat.Jpeg && JpegDataCheck.Problem(bytes) is { } damage)
        {
            codec.Dispose();
            throw RepDiffInputException.ForFile(name, $"corrupt image ({damage})");
        }
        return codec;
    }

    /// <summary>Decodes the codec's image into <paramref name="pixels"/> as <paramref name="target"/> says; a failure names the image.</summary>
    public static void GetPixels(SKCodec codec, SKImageInfo target, IntPtr pixels, string name)
    {
        var result = codec.GetPixels(target, pixels);
        if (result != SKCodecResult.Success)
            throw RepDiffInputException.ForFile(name, result == SKCodecResult.IncompleteInput ? "truncated image (its data ends early)" : $"corrupt image ({Describe(result)})");
    }

    /// <summary>Decodes an image file's bytes, holding their pixels' share of <paramref name="budget"/> (if given) until the image is disposed.</summary>
    public static DecodedImage Decode(byte[] bytes, string name, DecodeBudget? budget = null)
    {
        using var codec = OpenCodec(bytes, name);
        var info = codec.Info;
        long size = (long)info.Width * info.Height * 4;
        var origin = OriginOf(codec, bytes);
        // The decoded pixels, and a second copy while a rotated image is turned upright.
        var lease = budget?.Take(origin is SKEncodedOrigin.TopLeft ? size : 2 * size);
        try
        {
            var target = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var pixels = new byte[size];
            unsafe
            {
                fixed (byte* p = pixels)
                    GetPixels(codec, target, (IntPtr)p, name);
            }
            var (width, height, oriented) = Orient(pixels, info.Width, info.Height, origin);
            ComposeOverWhite(oriented);
            return new DecodedImage(width, height, oriented) { Lease = lease };
        }
        catch
        {
            lease?.Dispose();
            throw;
        }
    }

    /// <summary>One image of a pixel array set: values 0..1 (clamped), C = 1 (grey), 3 (RGB) or 4 (RGBA).</summary>
    public static DecodedImage FromPixels(ReadOnlySpan<float> pixels, int height, int width, int channels)
    {
        var rgba = new byte[(long)width * height * 4];
        for (int i = 0, n = width * height; i < n; i++)
        {
            var px = pixels.Slice(i * channels, channels);
            byte r = ToByte(px[0]);
            rgba[4 * i] = r;
            rgba[4 * i + 1] = channels >= 3 ? ToByte(px[1]) : r;
            rgba[4 * i + 2] = channels >= 3 ? ToByte(px[2]) : r;
            rgba[4 * i + 3] = channels == 4 ? ToByte(px[3]) : (byte)255;
        }
        ComposeOverWhite(rgba);
        return new DecodedImage(width, height, rgba);
    }

    private static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round(v * 255f), 0f, 255f);

    /// <summary>c·a + 255·(1 − a) per channel, rounded; opaque pixels are left exactly as they are.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // every pixel of the first images too
    internal static void ComposeOverWhite(byte[] rgba)
    {
        for (int i = 0; i < rgba.Length; i += 4)
        {
            int a = rgba[i + 3];
            if (a == 255) continue;
            for (int c = 0; c < 3; c++) rgba[i + c] = (byte)((rgba[i + c] * a + 255 * (255 - a) + 127) / 255);
            rgba[i + 3] = 255;
        }
    }

    /// <summary>The image's EXIF orientation: Skia's (JPEG, WebP), or a PNG's eXIf chunk, which Skia does not read.</summary>
    public static SKEncodedOrigin OriginOf(SKCodec codec, byte[] bytes)
        => codec.EncodedOrigin is not (SKEncodedOrigin.TopLeft or 0) ? codec.EncodedOrigin
        : codec.EncodedFormat == SKEncodedImageFormat.Png ? PngExif.Orientation(bytes) ?? SKEncodedOrigin.TopLeft
        : SKEncodedOrigin.TopLeft;

    /// <summary>Turns the stored pixels upright as the EXIF orientation says (origins 5-8 swap width and height).</summary>
    internal static (int Width, int Height, byte[] Pixels) Orient(byte[] src, int w, int h, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or 0) return (w, h, src);
        bool swap = (int)origin >= 5;
        int ow = swap ? h : w, oh = swap ? w : h;
        var dst = new byte[src.Length];
        var s = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(src);
        var d = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(dst.AsSpan());
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
            {
                var (sx, sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, h - 1 - x),
                    SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x), // LeftBottom
                };
                d[y * ow + x] = s[sy * w + sx];
            }
        return (ow, oh, dst);
    }

    /// <summary>Image formats a folder listing takes (the report links them) that Skia has no codec for.</summary>
    private static string? UndecodedFormat(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".tif" or ".tiff" => "TIFF",
        ".svg" => "SVG (a vector drawing)",
        ".heic" or ".heif" => "HEIC (HEIF)",
        ".avif" => "AVIF",
        ".jxl" => "JPEG XL",
        _ => null,
    };

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.Unimplemented => "unsupported format",
        SKCodecResult.IncompleteInput => "truncated",
        SKCodecResult.ErrorInInput => "corrupt data",
        SKCodecResult.InvalidInput => "unrecognised format",
        _ => result.ToString(),
    };
}
