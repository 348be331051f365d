using RepDiff.Embedding;
using SkiaSharp;

namespace RepDiff.Tests.Embedding;

/// <summary>The Skia thumbnailer a report uses for image files: small, upright, JPEG unless transparent.</summary>
public class ImageThumbnailerTests
{
    private static SKBitmap Decode(byte[] bytes) => SKBitmap.Decode(bytes) ?? throw new InvalidOperationException("not decodable");

    [Fact]
    public void APhotographBecomesASmallJpegThatFitsTheBox()
    {
        string dir = TestData.TempDir();
        string png = TestImages.Scenes(dir, 1, 1200, 800)[0];
        using var source = SKBitmap.Decode(png);
        string jpeg = Path.Combine(dir, "photo.jpg");
        using (var data = source.Encode(SKEncodedImageFormat.Jpeg, 92)) File.WriteAllBytes(jpeg, data.ToArray());

        foreach (string path in new[] { png, jpeg })
        {
            var (bytes, mime) = new ImageThumbnailer().Thumbnail(path, 96);
            Assert.Equal("image/jpeg", mime);
            using var thumb = Decode(bytes);
            Assert.Equal((96, 64), (thumb.Width, thumb.Height));
            Assert.True(bytes.Length < 8_000, $"{bytes.Length} bytes");
            // The picture is the source's, reduced: its mean colour stays within a few levels.
            Assert.InRange(Math.Abs(MeanRed(thumb) - MeanRed(source)), 0, 4);
        }
    }

    [Fact]
    public void SmallImagesAreNotEnlargedAndTransparencyKeepsPng()
    {
        string emoji = TestImages.Emoji[0];
        using var source = SKBitmap.Decode(emoji);
        var (bytes, mime) = new ImageThumbnailer().Thumbnail(emoji, Math.Max(source.Width, source.Height) * 2);
        Assert.Equal("image/png", mime);
        using var thumb = Decode(bytes);
        Assert.Equal((source.Width, source.Height), (thumb.Width, thumb.Height));
    }

    /// <summary>
    /// A few bytes whose header claims 14000×14000 pixels are refused before anything is allocated, by the thumbnailer (and
    /// so the looks) and by the decoder `embed` uses: Skia allocated the 784 MB bitmap first, once per thread.
    /// </summary>
    [Fact]
    public void AFileDeclaringMorePixelsThanItsBytesCanHoldIsRefusedBeforeDecoding()
    {
        byte[] png = TestImages.PngDeclaring(TestImages.Encode(new byte[2 * 2 * 3], 2, 2, SKEncodedImageFormat.Png), 14000, 14000);
        string path = Path.Combine(TestData.TempDir(), "claims-a-lot.png");
        File.WriteAllBytes(path, png);
        string expected = $"{path}: truncated or corrupt image: it declares 14,000 x 14,000 pixels in {png.Length} bytes, more than a PNG file can hold";
        Assert.Equal(expected, Assert.Throws<RepDiffInputException>(() => new ImageThumbnailer().Pixels(path, 64)).Message);
        Assert.Equal(expected, Assert.Throws<RepDiffInputException>(() => ImageDecoder.Decode(path)).Message);
        // The same header over enough bytes to hold it is read as the file it is (here: a truncated one).
        var small = TestImages.PngDeclaring(TestImages.Encode(new byte[2 * 2 * 3], 2, 2, SKEncodedImageFormat.Png), 40, 40);
        File.WriteAllBytes(path, small);
        Assert.Contains("truncated image", Assert.Throws<RepDiffInputException>(() => new ImageThumbnailer().Pixels(path, 64)).Message);
    }

    [Fact]
    public void ABrokenFileIsOneErrorNamingIt()
    {
        string path = Path.Combine(TestData.TempDir(), "broken.jpg");
        File.WriteAllBytes(path, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
        var e = Assert.ThrowsAny<RepDiffInputException>(() => new ImageThumbnailer().Thumbnail(path, 96));
        Assert.StartsWith(path + ": ", e.Message);
    }

    /// <summary>Both image readers go through the shared input reader: a named pipe is refused at once instead of blocking.</summary>
    [Fact]
    public void ANamedPipeOrAFolderIsRefusedByTheThumbnailerAndTheDecoder()
    {
        string dir = TestData.TempDir();
        string fifo = Robustness.CliHarness.Fifo(Path.Combine(dir, "pipe.jpg"));
        foreach (string path in new[] { fifo, dir })
        {
            var thumb = Assert.ThrowsAny<RepDiffInputException>(() => new ImageThumbnailer().Thumbnail(path, 96));
            Assert.StartsWith(path + ": ", thumb.Message);
            var decode = Assert.ThrowsAny<RepDiffInputException>(() => ImageDecoder.Decode(path));
            Assert.Equal(thumb.Message, decode.Message);
        }
    }

    private static double MeanRed(SKBitmap bitmap)
    {
        double sum = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++) sum += bitmap.GetPixel(x, y).Red;
        return sum / (bitmap.Width * bitmap.Height);
    }
}
