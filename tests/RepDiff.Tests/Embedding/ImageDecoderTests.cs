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
        AssertTurned(ImageDecoder.Decode(jpeg, "plain.jpg"), ImageDecoder.Decode(TestImages.WithExifOrientation(jpeg, orientation), "exif.jpg"), orientation, w, h);
    }

    /// <summary>A PNG's eXIf chunk (PNG 1.5), in either byte order, turns it upright as a JPEG's EXIF does; Skia reads it for JPEG and WebP only.</summary>
    [Theory]
    [InlineData(6, false)]
    [InlineData(3, true)]
    [InlineData(8, false)]
    public void PngExifOrientationIsApplied(ushort orientation, bool bigEndian)
    {
        var (rgb, w, h) = Picture();
        var png = TestImages.Encode(rgb, w, h, SKEncodedImageFormat.Png);
        AssertTurned(ImageDecoder.Decode(png, "plain.png"), ImageDecoder.Decode(TestImages.PngWithExifOrientation(png, orientation, bigEndian), "exif.png"), orientation, w, h);
    }

    /// <summary>A damaged eXIf chunk or PNG is no orientation, never an exception: 3,000 byte flips and every truncation.</summary>
    [Fact]
    public void DamagedPngExifIsNoOrientation()
    {
        var (rgb, w, h) = Picture();
        var png = TestImages.PngWithExifOrientation(TestImages.Encode(rgb, w, h, SKEncodedImageFormat.Png), 6);
        Assert.Equal(SKEncodedOrigin.RightTop, PngExif.Orientation(png));
        for (int end = 0; end < 120; end++) PngExif.Orientation(png.AsSpan(0, end));
        var rng = new Random(26);
        for (int trial = 0; trial < 3000; trial++)
        {
            var copy = (byte[])png.Clone();
            copy[8 + rng.Next(Math.Min(copy.Length - 8, 90))] = (byte)rng.Next(256);
            var origin = PngExif.Orientation(copy);
            Assert.True(origin is null || (int)origin is >= 1 and <= 8);
        }
    }

    private static void AssertTurned(DecodedImage stored, DecodedImage turned, ushort orientation, int w, int h)
    {
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

    // A folder's .tif and .svg files are listed as images (the report links them), but Skia decodes neither: the run
    // stopped with "not a readable image (unsupported format)", which read like a damaged file.
    [Fact]
    public void TiffSvgAndHeicFilesAreNamedAsFormatsNotDecoded()
    {
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, .. new byte[120]];
        Assert.Equal("scan.TIF: TIFF is not a format RepDiff decodes (JPEG, PNG, WebP, BMP, GIF); convert the images first, e.g. mogrify -format png *.TIF",
            Assert.Throws<RepDiffInputException>(() => ImageDecoder.Decode(tiff, "scan.TIF")).Message);
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"><rect width=\"8\" height=\"8\"/></svg>"u8.ToArray();
        Assert.StartsWith("icon.svg: SVG (a vector drawing) is not a format RepDiff decodes",
            Assert.Throws<RepDiffInputException>(() => ImageDecoder.Decode(svg, "icon.svg")).Message);
        // A phone's photo: an ISO-BMFF box 'ftyp' of brand heic.
        byte[] heic = [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'h', (byte)'e', (byte)'i', (byte)'c', .. new byte[120]];
        Assert.Equal("IMG_0001.HEIC: HEIC (HEIF) is not a format RepDiff decodes (JPEG, PNG, WebP, BMP, GIF); convert the images first, e.g. mogrify -format png *.HEIC",
            Assert.Throws<RepDiffInputException>(() => ImageDecoder.Decode(heic, "IMG_0001.HEIC")).Message);
    }

    private static string JpegFixture(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "jpeg", name);

    /// <summary>A photograph with 200 bytes in the middle of its image data flipped, as a bad disk or transfer leaves it.</summary>
    private static byte[] DamagedAstronaut()
    {
        var jpeg = File.ReadAllBytes(Path.Combine(TestData.RepoRoot, "data", "photos", "astronaut.jpg"));
        for (int i = jpeg.Length / 2; i < jpeg.Length / 2 + 200; i++) jpeg[i] ^= 0x5A;
        return jpeg;
    }

    [Fact]
    public void DamagedJpegDataIsACorruptImageThoughSkiaDecodesIt()
    {
        var damaged = DamagedAstronaut();
        // What Skia does: libjpeg warns ("premature end of data segment") and fills the rest; Skia says Success.
        using (var codec = SKCodec.Create(new MemoryStream(damaged)))
        using (var bitmap = new SKBitmap(codec.Info.Width, codec.Info.Height))
            Assert.Equal(SKCodecResult.Success, codec.GetPixels(bitmap.Info, bitmap.GetPixels()));
        var error = Assert.Throws<RepDiffInputException>(() => ImageDecoder.Decode(damaged, "astronaut.jpg"));
        Assert.StartsWith("astronaut.jpg: corrupt image (damaged JPEG data in scan 1: its data ends at byte ", error.Message);
    }

    [Theory]
    [InlineData("restart-420.jpg")]
    [InlineData("odd-444.jpg")]
    [InlineData("mixed-sampling.jpg")]
    [InlineData("grey.jpg")]
    [InlineData("cmyk.jpg")]
    [InlineData("progressive.jpg")]
    [InlineData("separate-scans.jpg")]
    [InlineData("arithmetic.jpg")]
    public void IntactJpegsOfEveryLayoutDecode(string name)
    {
        var image = ImageDecoder.Decode(File.ReadAllBytes(JpegFixture(name)), name);
        Assert.True(image.Width > 0 && image.Height > 0);
    }

    [Fact]
    public void IntactPhotographsDecode()
    {
        foreach (var photo in Directory.GetFiles(Path.Combine(TestData.RepoRoot, "data", "photos"), "*.jpg"))
            Assert.Equal(224, ImageDecoder.Decode(File.ReadAllBytes(photo), photo).Width);
        var (rgb, w, h) = Picture();
        Assert.Equal(w, ImageDecoder.Decode(TestImages.Encode(rgb, w, h, SKEncodedImageFormat.Jpeg), "skia.jpg").Width);
    }

    [Fact]
    public void AJpegWhoseRestartMarkerIsLostIsCorrupt()
    {
        var jpeg = File.ReadAllBytes(JpegFixture("restart-420.jpg"));
        int scan = jpeg.AsSpan().IndexOf(new byte[] { 0xFF, 0xDA });
        int restart = scan + jpeg.AsSpan(scan).IndexOf(new byte[] { 0xFF, 0xD2 });
        jpeg[restart + 1] = 0xD5; // RST2 becomes RST5: libjpeg resynchronises, dropping or repeating blocks
        var error = Assert.Throws<RepDiffInputException>(() => ImageDecoder.Decode(jpeg, "restart.jpg"));
        Assert.Equal("restart.jpg: corrupt image (damaged JPEG data in scan 1: restart marker 2 missing before block group 3 of 9)", error.Message);
    }

    [Fact]
    public void AHuffmanTableRunningPastTheFileIsLeftToSkia()
    {
        // Tables between scans are read by libjpeg only while decoding, after the codec opened: the check meets them first.
        var jpeg = File.ReadAllBytes(JpegFixture("separate-scans.jpg"));
        int firstScan = jpeg.AsSpan().IndexOf(new byte[] { 0xFF, 0xDA });
        int table = firstScan + jpeg.AsSpan(firstScan).IndexOf(new byte[] { 0xFF, 0xC4 });
        jpeg.AsSpan(table + 5, 16).Fill(255); // 16 × 255 code lengths: 4,080 symbols in a file of 905 bytes
        Assert.Null(JpegDataCheck.Problem(jpeg));
        var error = Assert.Throws<RepDiffInputException>(() => ImageDecoder.Decode(jpeg, "tables.jpg"));
        Assert.StartsWith("tables.jpg: ", error.Message);
    }

    [Fact]
    public void AnImageDeclaringMorePixelsThanTheLimitIsRefusedNamingIt()
    {
        // A 30000 × 30000 PNG of one colour compresses to a few KB of IDAT; its header alone is refused.
        var png = TestImages.Encode([1, 2, 3], 1, 1, SKEncodedImageFormat.Png);
        int ihdr = png.AsSpan().IndexOf("IHDR"u8);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(ihdr + 4), 30000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(ihdr + 8), 30000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(ihdr + 17), TestImages.Crc32(png.AsSpan(ihdr, 17)));
        var error = Assert.Throws<RepDiffInputException>(() => ImageDecoder.Decode(png, "bomb.png"));
        Assert.Equal("bomb.png: image of 30,000 x 30,000 = 900,000,000 pixels is more than the 200,000,000 pixels RepDiff decodes; scale it down first", error.Message);
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
