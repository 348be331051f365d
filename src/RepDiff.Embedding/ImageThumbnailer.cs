using RepDiff;
using RepDiff.Reporting;
using SkiaSharp;

namespace RepDiff.Embedding;

/// <summary>
/// Report thumbnails of image files with Skia: the file is decoded once at the smallest scale its codec offers
/// that still covers the box (JPEG decodes at 1/2 to 1/8 directly), halved with linear filtering while
/// twice the box or more, finished with a Mitchell cubic, turned upright by its EXIF orientation, and encoded
/// as JPEG (quality <see cref="JpegQuality"/>) or, when it has transparent pixels, as PNG. A photograph of
/// any size becomes a few kilobytes, so a report of thousands of them stays small. The same reduction, composed over
/// white and not encoded, gives the pixels whose brightness, colour and detail ImageLooks measures.
/// </summary>
public sealed class ImageThumbnailer : IImageThumbnailer
{
    public const int JpegQuality = 80;

    /// <summary>Decoded pixels all threads reading small images hold at once: 1 GB, room for one image of the largest size RepDiff decodes.</summary>
    private static readonly DecodeBudget Budget = new(1L << 30);

    /// <summary>Larger files are refused rather than read (the report notes them as unreadable).</summary>
    public const long MaxFileBytes = 256L << 20;

    public (byte[] Bytes, string MimeType) Thumbnail(string path, int size)
    {
        var (small, transparent) = Reduce(path, size);
        using var image = SKImage.FromPixelCopy(new SKImageInfo(small.Width, small.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul), small.Rgba)
            ?? throw new InvalidOperationException("Skia could not wrap the thumbnail");
        using var encoded = transparent ? image.Encode(SKEncodedImageFormat.Png, 100) : image.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
        return (encoded.ToArray(), transparent ? "image/png" : "image/jpeg");
    }

    public SmallImage Pixels(string path, int size)
    {
        var (small, transparent) = Reduce(path, size);
        if (transparent) ImageDecoder.ComposeOverWhite(small.Rgba);
        return small;
    }

    /// <summary>The image reduced to fit the box and turned upright, as unpremultiplied RGBA, and whether any pixel is transparent.</summary>
    private static (SmallImage Image, bool Transparent) Reduce(string path, int size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size));
        var bytes = ImageDecoder.ReadFile(path, MaxFileBytes);
        using var codec = ImageDecoder.OpenCodec(bytes, path);
        var full = codec.Info;

        // The box is square, so it fits the stored image exactly when it fits the upright one.
        double fit = Math.Min(1.0, (double)size / Math.Max(full.Width, full.Height));
        int targetW = Math.Max(1, (int)Math.Round(full.Width * fit)), targetH = Math.Max(1, (int)Math.Round(full.Height * fit));

        var decodeSize = codec.GetScaledDimensions((float)Math.Min(1.0, fit * 2));
        if (decodeSize.Width < targetW || decodeSize.Height < targetH) decodeSize = new SKSizeI(full.Width, full.Height);
        var decodeInfo = new SKImageInfo(decodeSize.Width, decodeSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        // PNG, GIF and BMP decode at full size: held against what every thread reading small images may hold at once (with
        // the halvings, a third more), so a folder of huge images read on every core cannot multiply a 784 MB bitmap by the
        // cores (helper 73: 5.6 GB on 8). Photographs in JPEG or WebP decode at a fraction of their size and never wait.
        using var lease = Budget.Take((long)decodeSize.Width * decodeSize.Height * 4 * 4 / 3);
        using var decoded = new SKBitmap(decodeInfo);
        ImageDecoder.GetPixels(codec, decodeInfo, decoded.GetPixels(), path);

        var current = decoded;
        var owned = new List<SKBitmap>();
        try
        {
            // Each halving averages 2×2 pixels; the cubic then reduces by less than 2, where it does not alias.
            while (current.Width >= 2 * targetW && current.Height >= 2 * targetH)
            {
                var half = current.Resize(new SKImageInfo(current.Width / 2, current.Height / 2, SKColorType.Rgba8888, SKAlphaType.Premul),
                    new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None)) ?? throw new InvalidOperationException("Skia could not halve the image");
                owned.Add(half);
                current = half;
            }
            if (current.Width != targetW || current.Height != targetH)
            {
                var final = current.Resize(new SKImageInfo(targetW, targetH, SKColorType.Rgba8888, SKAlphaType.Premul),
                    new SKSamplingOptions(SKCubicResampler.Mitchell)) ?? throw new InvalidOperationException("Skia could not resize the image");
                owned.Add(final);
                current = final;
            }
            // Unpremultiplied bytes, so the orientation and the alpha test work on plain RGBA.
            var rgba = new byte[targetW * targetH * 4];
            var plainInfo = new SKImageInfo(targetW, targetH, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            unsafe
            {
                fixed (byte* p = rgba)
                    if (!current.PeekPixels().ReadPixels(plainInfo, (IntPtr)p, plainInfo.RowBytes, 0, 0))
                        throw new InvalidOperationException("Skia could not read the thumbnail's pixels");
            }
            var origin = ImageDecoder.OriginOf(codec, bytes);
            var (w, h, upright) = ImageDecoder.Orient(rgba, targetW, targetH, origin);
            bool transparent = false;
            for (int i = 3; i < upright.Length && !transparent; i += 4) transparent = upright[i] != 255;
            bool turned = (int)origin >= 5; // origins 5-8 swap width and height
            return (new SmallImage(w, h, upright, turned ? full.Height : full.Width, turned ? full.Width : full.Height), transparent);
        }
        finally
        {
            foreach (var b in owned) b.Dispose();
        }
    }
}
