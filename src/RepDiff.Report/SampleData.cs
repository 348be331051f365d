using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using RepDiff.IO;
using RepDiff.Metrics;

namespace RepDiff.Report;

/// <summary>
/// What the page knows about each sample, written once as the page data's "samples" object and read by every page
/// script (the cards' member lists and downloads, the maps' colours and tooltips):
/// <list type="bullet">
/// <item><c>n</c> and <c>rows</c>: the samples described, ascending (every shown concept's members and every plotted sample), as
/// base64 Int32; null when that is every sample in order. The arrays below have one entry per row.</item>
/// <item><c>ids</c>; <c>files</c>, where the images are files: each row's file named relative to the --images folder or
/// manifest, as <c>prefix</c> + <c>names</c>[k] + <c>suffix</c> (what every name shares, a folder or an extension, is written
/// once); <c>columns</c>: the labels (<c>labels</c> true, named "label"), then every metadata column under
/// its own name (the cards' export header names them as `repdiff export` does). Each holds its value <c>names</c> and one code per row (base64, 1, 2 or 4
/// bytes a code as <c>bytes</c> says; the largest code of that width, or −1 in 4 bytes, is missing). Categorical
/// values come most frequent first (their order picks the <see cref="Palette"/> colours; <c>distinct</c> counts them
/// over every sample); numeric columns add each name's value (<c>numbers</c>, base64 Float32) and their range. The images'
/// numeric looks and their dominant colour follow (<c>look</c> true; the colour with a <c>palette</c> of each value's hue),
/// for the maps' colouring only.</item>
/// <item><c>texts</c>: the members' texts in full, line breaks kept (the downloads write them), the other rows' on one line, shortened for a tooltip;</item>
/// <item><c>thumbs</c>: thumbnails by row, grid samples first, then every concept's best members, then the next best,
/// ..., then the other plotted samples, until the page holds <see cref="MaxImageChars"/> characters of images;
/// <c>thumbsComplete</c> says whether every member has one.</item>
/// </list>
/// </summary>
internal static class SampleData
{
    /// <summary>Budget of embedded image data (data URI characters) for the whole page: about 16 MB.</summary>
    public const long MaxImageChars = 16_000_000;

    /// <summary>Characters of a text the maps' tooltip shows.</summary>
    private const int TooltipChars = 200;

    /// <summary>The rows the page describes: every shown concept's members and every plotted sample, ascending.</summary>
    public static int[] Rows(Reporting.ReportModel model, IReadOnlyList<ShownConcept> shown)
    {
        var rowSet = new SortedSet<int>(model.Maps?.Samples ?? []);
        foreach (var list in Members(model, shown)) rowSet.UnionWith(list);
        return rowSet.ToArray();
    }

    /// <param name="rows">from <see cref="Rows"/></param>
    public static JsonObject Build(Reporting.ReportModel model, IReadOnlyList<ShownConcept> shown, int[] rows, Thumbnails thumbs)
    {
        var members = Members(model, shown);
        var samples = model.Samples;
        var data = new JsonObject
        {
            ["n"] = rows.Length,
            ["rows"] = IsEverySample(rows, model.N) ? null : Int32s(rows),
            ["ids"] = samples.Ids is { } ids ? new JsonArray(rows.Select(r => (JsonNode)ids[r]).ToArray()) : null,
            ["files"] = samples.Files is { } files ? FileNames(files, rows) : null,
            ["columns"] = new JsonArray(Columns(samples, rows).ToArray()),
            ["breakAfter"] = Charts.SampleBreaks, // where the member list breaks an id, file or label, as the cards do
        };
        if (thumbs.HasTexts)
        {
            // Members' texts whole and as written (the downloads hold them, as `repdiff export` does); the rest as the tooltip shows them.
            var full = members.SelectMany(m => m).ToHashSet();
            data["texts"] = new JsonArray(rows.Select(r => (JsonNode)(full.Contains(r) ? thumbs.WholeText(r) : thumbs.Text(r, TooltipChars))!).ToArray());
        }
        if (thumbs.HasImages)
        {
            var pageThumbs = new JsonObject();
            data["thumbsComplete"] = AddThumbnails(shown, members, model.Maps?.Samples ?? [], thumbs, pageThumbs);
            data["thumbs"] = pageThumbs;
        }
        return data;
    }

    /// <summary>
    /// The names of the columns, in page order: "label" for the labels, the metadata columns' own names, then the images'
    /// numeric looks as "look: brightness" (for colouring the maps; the downloads, as `repdiff export`, leave them out).
    /// </summary>
    public static IEnumerable<string> ColumnNames(SampleInfo info)
    {
        if (info.Labels is not null) yield return "label";
        foreach (var column in info.Metadata?.Columns ?? []) yield return column.Name;
        foreach (var look in info.Looks?.ShownMeasures() ?? []) yield return LookPrefix + look.Name;
        if (info.Looks?.Values[ImageLooks.Colour] is not null) yield return LookPrefix + ImageLooks.Colour;
    }

    private const string LookPrefix = "look: ";

    /// <summary>Each shown concept's members that are rows of the inputs, best first.</summary>
    private static List<int[]> Members(Reporting.ReportModel model, IReadOnlyList<ShownConcept> shown)
        => shown.Select(c => c.Concept.Members.Where(i => i >= 0 && i < model.N).ToArray()).ToList();

    /// <summary>
    /// The rows' file names with what all of them begin and end with written once: a manifest's "val/ILSVRC2012_val_000" and
    /// ".JPEG" are most of each name, and 20,000 of them had been a megabyte of the page. Never cut inside a surrogate pair.
    /// </summary>
    public static JsonObject FileNames(string[] files, int[] rows)
    {
        var names = rows.Select(r => files[r]).ToArray();
        int shortest = names.Length == 0 ? 0 : names.Min(f => f.Length);
        int prefix = 0;
        while (prefix < shortest && names.All(f => f[prefix] == names[0][prefix])) prefix++;
        if (prefix > 0 && char.IsHighSurrogate(names[0][prefix - 1])) prefix--;
        int suffix = 0;
        while (suffix < shortest - prefix && names.All(f => f[^(suffix + 1)] == names[0][^(suffix + 1)])) suffix++;
        if (suffix > 0 && char.IsLowSurrogate(names[0][^suffix])) suffix--;
        return new JsonObject
        {
            ["prefix"] = names.Length == 0 ? "" : names[0][..prefix],
            ["suffix"] = names.Length == 0 ? "" : names[0][^suffix..],
            ["names"] = new JsonArray(names.Select(f => (JsonNode)f[prefix..^suffix]).ToArray()),
        };
    }

    /// <summary>Whether rows are 0, 1, …, n − 1 (then the page leaves them out).</summary>
    public static bool IsEverySample(int[] rows, int n) => rows.Length == n && rows.Select((r, k) => r == k).All(x => x);

    /// <summary>Base64 of little-endian Int32s, as the page scripts decode them.</summary>
    public static string Int32s(int[] values) => Convert.ToBase64String(MemoryMarshal.AsBytes(values.AsSpan()));

    /// <summary>The label column and every metadata column over the rows.</summary>
    private static IEnumerable<JsonNode> Columns(SampleInfo info, int[] rows)
    {
        if (info.Labels is { } labels)
        {
            var node = Categorical("label", labels.Names, labels.Names.Length, rows.Select(r => labels.Codes[r]));
            node["labels"] = true;
            yield return node;
        }
        foreach (var column in info.Metadata?.Columns ?? [])
        {
            string name = column.Name;
            var node = column.IsCategorical ? CategoricalByFrequency(name, column, rows, out _) : Numeric(name, column, rows);
            if (column.IsJsonNumbers) node["jsonNumbers"] = true; // the JSON downloads write numbers, as `repdiff export` does
            yield return node;
        }
        // The images' looks, to colour the maps by (shown to three digits: a few hundred distinct values, not one per image).
        foreach (var look in info.Looks?.ShownMeasures() ?? [])
        {
            var node = Numeric(LookPrefix + look.Name, look, rows);
            node["look"] = true;
            yield return node;
        }
        // The dominant colour, each drawn in its own hue rather than the labels' palette.
        if (info.Looks?.Values[ImageLooks.Colour] is { } colour)
        {
            var node = CategoricalByFrequency(LookPrefix + ImageLooks.Colour, colour, rows, out var order);
            node["palette"] = new JsonArray(order.Select(v => (JsonNode)ImageLooks.Hex(v)).ToArray());
            node["look"] = true;
            yield return node;
        }
    }

    /// <summary>A categorical column, the most frequent values over every sample first (ties by first appearance): they get the palette's colours.</summary>
    private static JsonObject CategoricalByFrequency(string name, MetadataColumn column, int[] rows, out string[] order)
    {
        var present = rows.Select(r => column.Values[r]).OfType<string>().ToHashSet(StringComparer.Ordinal);
        order = column.Values.OfType<string>().GroupBy(v => v, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).Select(g => g.Key).Where(present.Contains).ToArray();
        var code = order.Select((v, c) => (v, c)).ToDictionary(x => x.v, x => x.c, StringComparer.Ordinal);
        return Categorical(name, order, column.DistinctValues, rows.Select(r => column.Values[r] is { } v ? code[v] : -1));
    }

    /// <summary>A numeric column: its distinct values as written, a code per row, and each value as float32 with their range.</summary>
    private static JsonObject Numeric(string name, MetadataColumn column, int[] rows)
    {
        var values = new List<string>();
        var numbers = new List<float>();
        var code = new Dictionary<string, int>(StringComparer.Ordinal);
        var codes = new int[rows.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            if (column.Values[rows[k]] is not { } v) { codes[k] = -1; continue; }
            if (!code.TryGetValue(v, out codes[k]))
            {
                codes[k] = code[v] = values.Count;
                values.Add(v);
                // The page colours by float32; a value beyond its range (1e39) takes the range's end, its text stays as written.
                numbers.Add((float)Math.Clamp(column.Numbers![rows[k]], -float.MaxValue, float.MaxValue));
            }
        }
        var node = Coded(name, "numeric", values, codes);
        node["numbers"] = Convert.ToBase64String(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(numbers)));
        node["min"] = numbers.Count > 0 ? numbers.Min() : 0;
        node["max"] = numbers.Count > 0 ? numbers.Max() : 0;
        return node;
    }

    private static JsonObject Categorical(string name, IReadOnlyList<string> names, int distinct, IEnumerable<int> codes)
    {
        var node = Coded(name, "categorical", names, codes.ToArray());
        node["distinct"] = distinct;
        return node;
    }

    /// <summary>A column as its value names and one code per row (−1 missing), in the narrowest width that holds them.</summary>
    private static JsonObject Coded(string name, string type, IReadOnlyList<string> names, int[] codes)
    {
        int bytes = names.Count < byte.MaxValue ? 1 : names.Count < ushort.MaxValue ? 2 : 4;
        string packed = bytes switch
        {
            1 => Convert.ToBase64String(codes.Select(c => c < 0 ? byte.MaxValue : (byte)c).ToArray()),
            2 => Convert.ToBase64String(MemoryMarshal.AsBytes(codes.Select(c => c < 0 ? ushort.MaxValue : (ushort)c).ToArray().AsSpan())),
            _ => Int32s(codes),
        };
        return new JsonObject
        {
            ["name"] = name,
            ["type"] = type,
            ["names"] = new JsonArray(names.Select(v => (JsonNode)v).ToArray()),
            ["bytes"] = bytes,
            ["codes"] = packed,
        };
    }

    /// <summary>
    /// Thumbnails for the grids, then the members in rounds (every concept's best member, then every second best, ...),
    /// then the other plotted samples, while the page's images stay within budget. True when every member has one.
    /// </summary>
    private static bool AddThumbnails(IReadOnlyList<ShownConcept> shown, List<int[]> members, int[] plotted, Thumbnails thumbs, JsonObject pageThumbs)
    {
        bool Add(int i)
        {
            if (!thumbs.HasImage(i) && thumbs.ImageChars >= MaxImageChars) return false;
            pageThumbs[i.ToString(CultureInfo.InvariantCulture)] = thumbs.Image(i)!;
            return true;
        }
        // The grids' images are on the page already (the cards show them), so they cost nothing new.
        foreach (var card in shown)
            foreach (int i in card.Concept.Grid)
                if (thumbs.HasImage(i)) Add(i);
        int longest = members.Select(l => l.Length).DefaultIfEmpty(0).Max();
        bool complete = true;
        for (int p = 0; p < longest; p++)
            foreach (var list in members)
                if (p < list.Length) complete &= Add(list[p]);
        foreach (int i in plotted) Add(i);
        return complete;
    }
}
