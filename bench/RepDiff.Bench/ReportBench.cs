using RepDiff.Embedding;
using RepDiff.IO;
using SkiaSharp;

namespace RepDiff.Bench;

/// <summary>
/// A report over photographs: makes <c>count</c> JPEG photographs of 1280×960 (quality 90) cut at seeded
/// positions and scales from real photographs in a folder (docs/benchmarks.md names the ones used), with two
/// representations of them (A: 8×8 RGB means, B: 16×16 grey means), labels (the source photograph) and an
/// image manifest, then times thumbnailing every photograph in process. The report itself is measured by
/// running the printed `repdiff compare` command.
/// </summary>
public static class ReportBench
{
    /// <summary>args: SOURCE_DIR [count (default 2000)] [out dir (default a temp folder)].</summary>
    [Bench("report-photos")]
    public static void Photos(string[] args)
    {
        string source = args[0];
        int count = args.Length > 1 ? int.Parse(args[1]) : 2000;
        string dir = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), $"repdiff-photos-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var sources = Directory.GetFiles(source).Order(StringComparer.Ordinal).Select(p => (Name: Path.GetFileNameWithoutExtension(p), Bitmap: SKBitmap.Decode(p))).Where(s => s.Bitmap is not null).ToList();
        var rng = new Random(7);
        var a = new Matrix(count, 8 * 8 * 3);
        var b = new Matrix(count, 16 * 16);
        var names = new string[count];
        var labels = new string[count];
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            var (name, src) = sources[i % sources.Count];
            // A window of 55-100% of the shorter side at 4:3, anywhere in the source, mirrored half the time.
            float h = (float)(src.Height * (0.55 + 0.45 * rng.NextDouble())), w = Math.Min(src.Width, h * 4 / 3);
            h = w * 3 / 4;
            float x = (float)(rng.NextDouble() * (src.Width - w)), y = (float)(rng.NextDouble() * (src.Height - h));
            using var photo = new SKBitmap(new SKImageInfo(1280, 960, SKColorType.Rgba8888, SKAlphaType.Premul));
            using (var canvas = new SKCanvas(photo))
            {
                if (rng.Next(2) == 1) { canvas.Translate(1280, 0); canvas.Scale(-1, 1); }
                using var image = SKImage.FromBitmap(src);
                canvas.DrawImage(image, new SKRect(x, y, x + w, y + h), new SKRect(0, 0, 1280, 960), new SKSamplingOptions(SKCubicResampler.Mitchell));
            }
            names[i] = $"photo{i:D4}.jpg";
            labels[i] = name;
            using (var data = photo.Encode(SKEncodedImageFormat.Jpeg, 90)) { File.WriteAllBytes(Path.Combine(dir, names[i]), data.ToArray()); bytes += data.Size; }
            Means(photo, 8, true, a, i);
            Means(photo, 16, false, b, i);
        }
        foreach (var s in sources) s.Bitmap.Dispose();
        File.WriteAllLines(Path.Combine(dir, "images.txt"), names);
        File.WriteAllLines(Path.Combine(dir, "labels.txt"), labels);
        Npy.Write(Path.Combine(dir, "a.npy"), a);
        Npy.Write(Path.Combine(dir, "b.npy"), b);
        var thumbnailer = new ImageThumbnailer();
        long thumbBytes = 0;
        Harness.Measure("report-photos-thumbnails", new() { ["photos"] = count, ["photo_mb"] = bytes / 1e6 }, () =>
        {
            thumbBytes = 0;
            foreach (string n in names) thumbBytes += thumbnailer.Thumbnail(Path.Combine(dir, n), 96).Bytes.Length;
        }, warmUp: false);
        Console.WriteLine($"{{\"name\":\"report-photos-thumbnail-bytes\",\"total\":{thumbBytes},\"mean\":{thumbBytes / count}}}");
        Console.Error.WriteLine($"photos in {dir}; the report: repdiff compare {dir}/a.npy {dir}/b.npy --labels {dir}/labels.txt --images {dir}/images.txt --out {dir}/out");
    }

    /// <summary>Row <paramref name="row"/> of <paramref name="target"/>: the photo's mean colour (or grey) in a grid×grid grid of cells, 0..1.</summary>
    private static void Means(SKBitmap photo, int grid, bool colour, Matrix target, int row)
    {
        int cw = photo.Width / grid, ch = photo.Height / grid;
        for (int gy = 0; gy < grid; gy++)
            for (int gx = 0; gx < grid; gx++)
            {
                double r = 0, g = 0, bl = 0;
                for (int yy = gy * ch; yy < (gy + 1) * ch; yy += 4)
                    for (int xx = gx * cw; xx < (gx + 1) * cw; xx += 4)
                    {
                        var c = photo.GetPixel(xx, yy);
                        (r, g, bl) = (r + c.Red, g + c.Green, bl + c.Blue);
                    }
                double cells = Math.Ceiling(ch / 4.0) * Math.Ceiling(cw / 4.0) * 255;
                int k = gy * grid + gx;
                if (colour) { target[row, 3 * k] = (float)(r / cells); target[row, 3 * k + 1] = (float)(g / cells); target[row, 3 * k + 2] = (float)(bl / cells); }
                else target[row, k] = (float)((0.299 * r + 0.587 * g + 0.114 * bl) / cells);
            }
    }
}
