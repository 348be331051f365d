using RepDiff.Embedding;
using SkiaSharp;

namespace RepDiff.Tests.Embedding;

/// <summary>
/// Resize-then-centre-crop made as the crop alone (ImageTensorizer.ResizedCentre): the same values as resizing the whole
/// image with Skia and cropping it, as the tensorizer did before, within one level of 255 where float rounding differs
/// (the crop offset enters Skia's matrix as a term of its own: exact in these tests but one, which differs in 16 of 768
/// values, by one level, 2,600 rows down a 5,430-row resize).
/// </summary>
public class ResizeCropTests
{
    private static readonly string Dir = TestData.TempDir();

    [Theory]
    [InlineData(37, 23, "bilinear", 16)]   // enlarged
    [InlineData(90, 61, "bilinear", 16)]   // shrunk past half: mipmaps
    [InlineData(61, 90, "bicubic", 20)]
    [InlineData(45, 45, "nearest", 16)]
    [InlineData(1000, 1, "bilinear", 16)]  // a strip: the whole image would be 16,000 × 16
    [InlineData(3, 400, "bicubic", 16)]
    [InlineData(33, 700, "bilinear", 256)] // crop 2,600 rows down: where float rounding of the offset shows
    [InlineData(1000, 1, "bicubic", 224)]  // crop 111,900 columns in
    public void TheCropMatchesResizingTheWholeImageAndCropping(int w, int h, string interpolation, int resizeTo)
    {
        const int size = 16;
        var rgb = new byte[w * h * 3];
        new Random(w * 31 + h).NextBytes(rgb);
        var description = new ModelDescription
        {
            Model = TinyOnnx.ImageIdentity(Dir, size, size, layout: "nhwc"), Pooling = "none",
            Image = new() { Size = [size, size], Resize = "shorter-side", ResizeTo = resizeTo, Interpolation = interpolation, Layout = "nhwc", Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1] },
        };
        using var embedder = Embedder.Open(description, new EmbedderOptions { Threads = 1 });
        var m = embedder.EmbedImages(new ImageSet(rgb.Select(b => b / 255f).ToArray(), 1, h, w, 3));

        var expected = ResizeWholeThenCrop(rgb, w, h, resizeTo, size, interpolation);
        int differing = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float d = Math.Abs(m[0, i] - expected[i]);
            Assert.True(d <= 1, $"value {i}: {m[0, i]} against {expected[i]}");
            if (d > 0) differing++;
        }
        Assert.True(differing <= expected.Length / 20, $"{differing} of {expected.Length} values differ");
    }

    [Fact]
    public void AStripThatWouldBeGigapixelsResizedEmbedsFromItsCentre()
    {
        // 20,000 × 1 with its shorter side to 224: 4.48 million × 224 pixels (4 GB of RGBA) if resized whole, which was
        // refused; the centre 224 × 224 is drawn alone. Every row repeats the one source row (edges clamp).
        const int w = 20_000;
        var rgb = new byte[w * 3];
        new Random(3).NextBytes(rgb);
        var description = new ModelDescription
        {
            Model = TinyOnnx.ImageIdentity(Dir, 224, 224, layout: "nhwc"), Pooling = "none",
            Image = new() { Size = [224, 224], Layout = "nhwc", Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1] },
        };
        using var embedder = Embedder.Open(description, new EmbedderOptions { Threads = 1 });
        var m = embedder.EmbedImages(new ImageSet(rgb.Select(b => b / 255f).ToArray(), 1, 1, w, 3));
        var row = Enumerable.Range(0, 224 * 3).Select(i => m[0, i]).ToArray();
        for (int y = 1; y < 224; y++)
            Assert.Equal(row, Enumerable.Range(0, 224 * 3).Select(i => m[0, y * 224 * 3 + i]));
        // 224 pixels enlarged 224 times span about one source pixel: the centre ones (columns 9,999 and 10,000).
        for (int c = 0; c < 3; c++)
        {
            float low = Math.Min(rgb[9999 * 3 + c], rgb[10000 * 3 + c]) - 1, high = Math.Max(rgb[9999 * 3 + c], rgb[10000 * 3 + c]) + 1;
            for (int x = 0; x < 224; x++) Assert.InRange(row[x * 3 + c], low, high);
        }
    }

    [Fact]
    public void AResizedSideBeyondIntIsRefusedNamingTheImage()
    {
        // 200,000 × 1 with its shorter side to 16,384: 3.3 billion columns, an offset no int or float pixel position holds.
        var description = new ModelDescription
        {
            Model = TinyOnnx.ImageIdentity(Dir, 2, 2), Pooling = "none",
            Image = new() { Size = [2, 2], ResizeTo = 16384, Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1] },
        };
        using var embedder = Embedder.Open(description, new EmbedderOptions { Threads = 1 });
        var images = new ImageSet(new float[200_000 * 3], 1, 1, 200_000, 3) { Source = "strip.npy" };
        var error = Assert.Throws<RepDiffInputException>(() => embedder.EmbedImages(images));
        Assert.Contains("image of 200000x1 pixels would be 3276800000x16384 with its shorter side resized to 16384", error.Message);
    }

    /// <summary>The tensorizer's former pipeline: Skia's ScalePixels to the whole resized size, then the centre crop.</summary>
    private static float[] ResizeWholeThenCrop(byte[] rgb, int w, int h, int resizeTo, int size, string interpolation)
    {
        var rgba = new byte[w * h * 4];
        for (int i = 0; i < w * h; i++)
        {
            rgba[4 * i] = rgb[3 * i];
            rgba[4 * i + 1] = rgb[3 * i + 1];
            rgba[4 * i + 2] = rgb[3 * i + 2];
            rgba[4 * i + 3] = 255;
        }
        (int rw, int rh) = w <= h ? (resizeTo, resizeTo * h / w) : (resizeTo * w / h, resizeTo);
        var sampling = interpolation switch
        {
            "nearest" => new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None),
            "bicubic" => new SKSamplingOptions(SKCubicResampler.CatmullRom),
            _ => new SKSamplingOptions(SKFilterMode.Linear, rw * 2 < w ? SKMipmapMode.Linear : SKMipmapMode.None),
        };
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var source = new SKBitmap();
        byte[] resized;
        unsafe
        {
            fixed (byte* p = rgba)
            {
                source.InstallPixels(info, (IntPtr)p, info.RowBytes);
                using var target = new SKBitmap(new SKImageInfo(rw, rh, SKColorType.Rgba8888, SKAlphaType.Opaque));
                Assert.True(source.ScalePixels(target, sampling));
                resized = target.Bytes;
            }
        }
        int top = (int)Math.Round((rh - size) / 2.0), left = (int)Math.Round((rw - size) / 2.0);
        var crop = new float[size * size * 3];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                for (int c = 0; c < 3; c++) crop[(y * size + x) * 3 + c] = resized[((top + y) * rw + left + x) * 4 + c];
        return crop;
    }
}
