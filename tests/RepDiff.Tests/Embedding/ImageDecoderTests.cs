using RepDiff.Embedding;
using SkiaSharp;

namespace RepDiff.Tests.Embedding;

public class ImageDecoderTests
{
    private static (byte[] Rgb, int W, int H) Picture()
    {
        const int w = 16, h = 12;
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                rgb[(y * w + x) * 3] = (byte)(x * 16);
                rgb[(y * w + x) * 3 + 1] = (byte)(y * 20);
                rgb[(y * w + x) * 3 + 2] = (byte)((x + y) * 8);
            }
        return (rgb, w, h);
    }

    private static byte[] Rgb(DecodedImage image) =>
        Enumerable.Range(0, image.Width * image.Height).SelectMany(i => new[] { image.Rgba[4 * i], image.Rgba[4 * i + 1], image.Rgba[4 * i + 2] }).ToArray();

    [Theory]
    [InlineData("png")]
    [InlineData("webp")]
    [InlineData("bmp")]
    public void LosslessFormatsDecodeToTheirPixels(string format)
    {
        var (rgb, w, h) = Picture();
        byte[] file = format switch
        {
            "png" => TestImages.Encode(rgb, w, h, SKEncodedImageFormat.Png),
            "webp" => TestImages.Encode(rgb, w, h, SKEncodedImageFormat.Webp), // quality 100 is lossless WebP
            _ => TestImages.Bmp(rgb, w, h),
        };
        var image = ImageDecoder.Decode(file, "picture." + format);
        Assert.Equal((w, h), (image.Width, image.Height));
        Assert.Equal(rgb, Rgb(image));
    }

    [Fact]
    public void JpegDecodesCloseToItsPixels()
    {
        var (rgb, w, h) = Picture();
        var image = ImageDecoder.Decode(TestImages.Encode(rgb, w, h, SKEncodedImageFormat.Jpeg), "picture.jpg");
        var decoded = Rgb(image);
        Assert.True(rgb.Zip(decoded).Average(p => Math.Abs(p.First - p.Second)) < 4);
    }

    /// <summary>EXIF orientations 1-8: the decoded image is the stored one turned upright (6: rotated 90° clockwise).</summary>
    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(2)]
    [InlineData(5)]
    public void ExifOrientationIsApplied(ushort orientation)
    {
        var (rgb, w, h) = Picture();
        var jpeg = TestImages.Encode(rgb, w, h, SKEncodedImageFormat.Jpeg);
        var stored = ImageDecoder.Decode(jpeg, "plain.jpg");
        var turned = ImageDecoder.Decode(TestImages.WithExifOrientation(jpeg, orientation), "exif.jpg");
        bool swap = orientation >= 5;
        Assert.Equal(swap ? (h, w) : (w, h), (turned.Width, turned.Height));
        for (int y = 0; y < turned.Height; y++)
            for (int x = 0; x < turned.Width; x++)
            {
                var (sx, sy) = orientation switch
                {
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    5 => (y, x),
                    6 => (y, h - 1 - x),
                    _ => (w - 1 - y, x), // 8
                };
                for (int c = 0; c < 4; c++)
                    Assert.Equal(stored.Rgba[(sy * w + sx) * 4 + c], turned.Rgba[(y * turned.Width + x) * 4 + c]);
            }
    }

    [Fact]
    public void CorruptAndTruncatedImagesAreInputErrorsNamingTheFile()
    {
        var (rgb, w, h) = Picture();
        var png = TestImages.Encode(rgb, w, h, SKEncodedImageFormat.Png);
        var corrupt = Assert.Throws<RepDiffInputException>(() => ImageDecoder.Decode("not an image at all"u8.ToArray(), "junk.png"));
        Assert.Equal("junk.png: not a readable image (19 bytes, too short to recognise)", corrupt.Message); // Skia's word was "truncated"
        var empty = Assert.Throws<RepDiffInputException>(() => ImageDecoder.Decode([], "zero.png"));
        Assert.Equal("zero.png: is empty (0 bytes), not an image", empty.Message);
        var truncated = Assert.Throws<RepDiffInputException>(() => ImageDecoder.Decode(png[..(png.Length / 2)], "half.png"));
        Assert.StartsWith("half.png: ", truncated.Message);
    }

    [Fact]
    public void DecodedPixelsHoldTheirShareOfTheBudgetUntilDisposed()
    {
        var (rgb, w, h) = Picture();
        var png = TestImages.Encode(rgb, w, h, SKEncodedImageFormat.Png);
        var budget = new DecodeBudget(capacity: 1 << 20);
        using (ImageDecoder.Decode(png, "picture.png", budget)) Assert.Equal(w * h * 4, budget.Held);
        Assert.Equal(0, budget.Held);
        // A decode that fails gives its share back.
        Assert.Throws<RepDiffInputException>(() => ImageDecoder.Decode(png[..(png.Length / 2)], "half.png", budget));
        Assert.Equal(0, budget.Held);
    }

    [Fact]
    public async Task ADecodeWaitsForRoomButOneAloneAlwaysProceeds()
    {
        // Tiny files declaring huge images, decoded on every thread at once, had each allocated up to the per-image cap.
        var budget = new DecodeBudget(capacity: 100);
        var first = budget.Take(60);
        var second = Task.Run(() => budget.Take(60));
        Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(200))); // 120 bytes would not fit in 100
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
        using (budget.Take(500)) Assert.Equal(500, budget.Held); // more than the capacity, but alone
        Assert.Equal(0, budget.Held);
    }

    [Fact]
    public void FirstFrameOfAGif()
    {
        // A 2×1 GIF89a with a 4-colour palette (red, green, blue, white) and one frame showing red, blue.
        byte[] gif =
        [
            .. "GIF89a"u8, 2, 0, 1, 0, 0xF1, 0, 0,
            255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255,
            0x2C, 0, 0, 0, 0, 2, 0, 1, 0, 0,
            2, 2, 0x84, 0x0A, 0, // LZW, minimum code size 2, 3-bit codes from the low bit: clear (4), 0, 2, end (5)
            0x3B,
        ];
        var image = ImageDecoder.Decode(gif, "tiny.gif");
        Assert.Equal((2, 1), (image.Width, image.Height));
        Assert.Equal(new byte[] { 255, 0, 0, 0, 0, 255 }, Rgb(image));
    }
}
