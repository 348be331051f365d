using System.Buffers.Binary;
using System.IO.Compression;
using RepDiff.IO;
using RepDiff.Report;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Report;

/// <summary>Pixel-array images reduced to the report's thumbnails, whatever their shape.</summary>
public class ThumbnailsTests
{
    [Theory]
    [InlineData(1, 100)]
    [InlineData(100, 1)]
    [InlineData(3, 200)]
    public void AStripShorterThanTheReductionStepIsAveragedWithinTheImage(int height, int width)
    {
        // Pixel (y, x) holds x/width + y/100, so each thumbnail pixel's box average is known. A side shorter than the
        // step (2 for 100 pixels, 3 for 200) read rows or columns past the image's edge: IndexOutOfRangeException.
        var pixels = new float[height * width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) pixels[y * width + x] = (float)x / width + y / 100f;
        var samples = new SampleInfo { Images = new ImageSet(pixels, 1, height, width, 1) };
        var thumbs = new Thumbnails(samples, linkImages: false, outputDirectory: null, warnings: []);

        var (outW, outH, grey) = DecodeGrey(thumbs.Image(0)!);
        int step = (Math.Max(height, width) + 95) / 96;
        Assert.Equal((Math.Max(1, width / step), Math.Max(1, height / step)), (outW, outH));
        for (int y = 0; y < outH; y++)
            for (int x = 0; x < outW; x++)
            {
                int rows = Math.Min(step, height - y * step), cols = Math.Min(step, width - x * step);
                double sum = 0;
                for (int dy = 0; dy < rows; dy++)
                    for (int dx = 0; dx < cols; dx++) sum += pixels[(y * step + dy) * width + x * step + dx];
                int expected = (int)Math.Round(sum / (rows * cols) * 255);
                Assert.InRange(grey[y * outW + x], expected - 1, expected + 1);
            }
    }

    [Theory]
    [InlineData("rdx", 1, 100)]
    [InlineData("kmeans", 100, 1)]
    public void ACommandWithStripImagesWritesItsReport(string command, int height, int width)
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = CliHarness.SmallPair(dir);
        string images = Path.Combine(dir, "strips.npy");
        Npy.Write(images, new float[60 * height * width], 60, height, width);
        var outcome = CliHarness.Run(command, a, b, "--labels", labels, "--images", images, "--out", Path.Combine(dir, "out"));
        Assert.True(outcome.Code == 0, outcome.Stderr);
        Assert.True(File.Exists(Path.Combine(dir, "out", "report.html")));
    }

    /// <summary>
    /// A warning about an image that cannot be shown names it by its path relative to the --images folder or manifest, as
    /// ids are, also where the decoder's message names the file: the report had held the absolute path (/home/…).
    /// </summary>
    [Fact]
    public void AnUnreadableImageIsNamedRelativeToTheImagesSource()
    {
        string dir = TestData.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        File.WriteAllBytes(Path.Combine(dir, "sub", "bad 1.png"), [1, 2, 3, 4, 5, 6, 7, 8]);
        string manifest = Path.Combine(dir, "list.txt");
        File.WriteAllLines(manifest, ["sub/bad 1.png"]);
        foreach (var (source, name) in new[] { (manifest, "sub/bad 1.png"), (Path.Combine(dir, "sub"), "bad 1.png") })
            foreach (var thumbnailer in new[] { null, new FailingThumbnailer() })
            {
                var warnings = new List<string>();
                var thumbs = new Thumbnails(new SampleInfo { Images = SampleFiles.LoadImages(source) }, linkImages: false, outputDirectory: dir, warnings, thumbnailer);
                thumbs.Image(0);
                string warning = Assert.Single(warnings);
                Assert.StartsWith($"image of sample 0 ({name}) cannot be shown: ", warning);
                Assert.DoesNotContain(dir, warning);
            }
    }

    /// <summary>Refuses every file as the Skia thumbnailer refuses a broken one: a message that starts with the file's full path.</summary>
    private sealed class FailingThumbnailer : RepDiff.Reporting.IImageThumbnailer
    {
        public (byte[] Bytes, string MimeType) Thumbnail(string path, int size) => throw RepDiffInputException.ForFile(path, "not a readable image (8 bytes, too short to recognise)");
        public RepDiff.Reporting.SmallImage Pixels(string path, int size) => throw RepDiffInputException.ForFile(path, "not a readable image");
    }

    /// <summary>Width, height and grey values of a PNG data URI written by <see cref="Png"/> (one channel, no filters).</summary>
    private static (int Width, int Height, byte[] Grey) DecodeGrey(string dataUri)
    {
        var png = Convert.FromBase64String(dataUri["data:image/png;base64,".Length..]);
        int width = 0, height = 0;
        var idat = new MemoryStream();
        for (int p = 8; p < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(p));
            string type = System.Text.Encoding.ASCII.GetString(png, p + 4, 4);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(p + 8));
                height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(p + 12));
                Assert.Equal(0, png[p + 8 + 9]); // grey
            }
            if (type == "IDAT") idat.Write(png, p + 8, length);
            p += 12 + length;
        }
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var scanlines = raw.ToArray();
        var grey = new byte[width * height];
        for (int y = 0; y < height; y++) scanlines.AsSpan(y * (width + 1) + 1, width).CopyTo(grey.AsSpan(y * width));
        return (width, height, grey);
    }
}
