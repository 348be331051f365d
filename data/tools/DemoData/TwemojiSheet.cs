using System.Globalization;
using System.Text;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace RepDiff.DemoData;

/// <summary>
/// The Twemoji pictures of emoji-datasource-twitter as one RGBA array, cut from the package's 32 px
/// sprite sheet, with each emoji's name and category. Flags, skin-tone components and entries that a
/// newer code point replaced (same picture twice) are left out; skin-tone variants are not top-level
/// entries, so only the default yellow picture of each emoji is taken.
/// </summary>
internal static class TwemojiSheet
{
    public const int Size = 32;

    public static void Run(string package, string outDir)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(package, "emoji.json")));
        var entries = json.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("has_img_twitter").GetBoolean())
            .Where(e => e.GetProperty("category").GetString() is not ("Flags" or "Component"))
            .Where(e => !e.TryGetProperty("obsoleted_by", out var o) || o.ValueKind == JsonValueKind.Null)
            .OrderBy(e => e.GetProperty("sort_order").GetInt32())
            .ToList();
        using var sheet = Image.Load<Rgba32>(Path.Combine(package, "img", "twitter", "sheets-clean", $"{Size}.png"));
        var pixels = new byte[entries.Count * Size * Size * 4];
        var table = new StringBuilder("unified\tname\tshort_name\tcategory\tsubcategory\n");
        for (int k = 0; k < entries.Count; k++)
        {
            var e = entries[k];
            // The package's layout: each picture sits in a (Size + 2) px cell with a 1 px border.
            int x0 = e.GetProperty("sheet_x").GetInt32() * (Size + 2) + 1, y0 = e.GetProperty("sheet_y").GetInt32() * (Size + 2) + 1;
            int o = k * Size * Size * 4;
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                {
                    var p = sheet[x0 + x, y0 + y];
                    pixels[o++] = p.R; pixels[o++] = p.G; pixels[o++] = p.B; pixels[o++] = p.A;
                }
            table.Append(CultureInfo.InvariantCulture,
                $"{e.GetProperty("unified").GetString()}\t{e.GetProperty("name").GetString()!.ToLowerInvariant()}\t{e.GetProperty("short_name").GetString()}\t{e.GetProperty("category").GetString()}\t{e.GetProperty("subcategory").GetString()}\n");
        }
        Gzip.WriteUInt8Npy(Path.Combine(outDir, $"twemoji-{Size}.npy.gz"), pixels, entries.Count, Size, Size, 4);
        Gzip.WriteText(Path.Combine(outDir, "emoji.tsv.gz"), table.ToString());
        Console.WriteLine($"{entries.Count} emoji at {Size}x{Size}");
    }
}
