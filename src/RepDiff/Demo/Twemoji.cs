namespace RepDiff.Demo;

/// <summary>
/// The bundled Twemoji pictures (data/twemoji; graphics © Twitter, Inc. and other contributors,
/// CC BY 4.0): 1,600 emoji at 32×32 RGBA in Unicode's order, each with its name ("grinning face") and
/// category ("Smileys &amp; Emotion"). Flags and skin-tone variants are not included.
/// </summary>
public sealed class Twemoji
{
    /// <summary>The credit CC BY 4.0 requires wherever the pictures are shown.</summary>
    public const string Attribution = "Twemoji graphics © Twitter, Inc. and other contributors, licensed CC BY 4.0 " +
        "(https://creativecommons.org/licenses/by/4.0/); emoji names and categories from emoji-data © Cal Henderson, MIT licence";

    public const int Side = 32;

    /// <summary>uint8 RGBA, n × 32 × 32 × 4, not premultiplied.</summary>
    public required byte[] Rgba { get; init; }

    /// <summary>Code points, e.g. "1F600" or "1F468-200D-1F469-200D-1F467" (the sample ids).</summary>
    public required string[] CodePoints { get; init; }

    /// <summary>Unicode names in lower case ("grinning face"): the text a language model reads.</summary>
    public required string[] Names { get; init; }

    /// <summary>Slack-style short names ("grinning").</summary>
    public required string[] ShortNames { get; init; }

    /// <summary>The nine Unicode emoji categories, minus Flags and Component.</summary>
    public required string[] Categories { get; init; }

    /// <summary>Finer groups ("face-smiling", "animal-mammal").</summary>
    public required string[] Subcategories { get; init; }

    public int Count => Names.Length;

    /// <summary>The bundled emoji from data/twemoji.</summary>
    public static Twemoji Load() => Load(BundledData.FindFolder("twemoji"));

    public static Twemoji Load(string folder)
    {
        string imagesPath = Path.Combine(folder, $"twemoji-{Side}.npy.gz"), tablePath = Path.Combine(folder, "emoji.tsv.gz");
        var (rgba, count) = BundledData.ReadUInt8Npy(imagesPath, Side, Side, 4);
        var rows = BundledData.ReadTable(tablePath, '\t', "unified", "name", "short_name", "category", "subcategory");
        if (rows.Count != count) throw RepDiffInputException.ForFile(tablePath, $"{rows.Count} emoji for {count} pictures in {imagesPath}");
        return new Twemoji
        {
            Rgba = rgba,
            CodePoints = rows.Select(r => r[0]).ToArray(),
            Names = rows.Select(r => r[1]).ToArray(),
            ShortNames = rows.Select(r => r[2]).ToArray(),
            Categories = rows.Select(r => r[3]).ToArray(),
            Subcategories = rows.Select(r => r[4]).ToArray(),
        };
    }

    /// <summary>At most <paramref name="perCategory"/> emoji of each category, evenly spaced over its subcategories, in Unicode's order.</summary>
    public Twemoji PerCategory(int perCategory)
    {
        var rows = BundledData.EvenlyPerLabel(Categories, perCategory);
        int bytes = Side * Side * 4;
        var rgba = new byte[rows.Length * bytes];
        for (int k = 0; k < rows.Length; k++) Rgba.AsSpan(rows[k] * bytes, bytes).CopyTo(rgba.AsSpan(k * bytes));
        string[] Pick(string[] values) => [.. rows.Select(i => values[i])];
        return new Twemoji
        {
            Rgba = rgba, CodePoints = Pick(CodePoints), Names = Pick(Names), ShortNames = Pick(ShortNames),
            Categories = Pick(Categories), Subcategories = Pick(Subcategories),
        };
    }

    /// <summary>
    /// RGB over a white background, 0..1, n × 32 × 32 × 3: how the pictures look on a page, and what an
    /// image model sees.
    /// </summary>
    public ImageSet AsImageSet()
    {
        int pixels = Side * Side;
        var rgb = new float[Count * pixels * 3];
        for (int p = 0; p < Count * pixels; p++)
        {
            float alpha = Rgba[p * 4 + 3] / 255f;
            for (int c = 0; c < 3; c++) rgb[p * 3 + c] = Rgba[p * 4 + c] / 255f * alpha + (1 - alpha);
        }
        return new ImageSet(rgb, Count, Side, Side, 3);
    }

    /// <summary>Code points as ids, categories as labels, the pictures and the names, for a RepresentationPair.</summary>
    public SampleInfo Samples() => new() { Ids = CodePoints, Labels = new SampleLabels(Categories), Images = AsImageSet(), Texts = Names };
}
