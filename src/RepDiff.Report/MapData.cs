using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using RepDiff.Numerics;
using RepDiff.Reporting;

namespace RepDiff.Report;

/// <summary>
/// The maps' page data, compact enough for 100,000 samples: each map's coordinates as little-endian Uint16
/// (quantized on one scale for both axes, so shapes keep their aspect), the plotted sample indices as Int32 (left out
/// when every sample is plotted in order), and every colouring column: categorical ones as one byte per sample
/// (the <see cref="Palette"/> index; "other" and missing have their own codes), numeric ones as Float32 (NaN missing).
/// All arrays are base64 inside the page's JSON; Assets/maps.js decodes them.
/// </summary>
internal static class MapData
{
    /// <summary>Category codes: 0 … Palette.Count − 2 are categories, then "other"; Missing is no value.</summary>
    public const byte Missing = 255;

    public static JsonObject Build(ReportModel model, SampleMaps maps)
    {
        var samples = maps.Samples;
        bool identity = samples.Length == model.N && samples.Select((s, k) => s == k).All(x => x);
        var kinds = new List<JsonNode> { Kind("pca", maps.Pca) };
        if (maps.Umap is { } umap) kinds.Add(Kind("umap", umap));
        return new JsonObject
        {
            ["n"] = samples.Length,
            ["total"] = model.N,
            ["samples"] = identity ? null : Base64(MemoryMarshal.AsBytes(samples.AsSpan())),
            ["kinds"] = new JsonArray(kinds.ToArray()),
            ["palette"] = new JsonArray(Palette.Colours.Select(c => (JsonNode)c).ToArray()),
            ["columns"] = new JsonArray(Columns(model.Samples, samples).ToArray()),
        };
    }

    /// <summary>The names of the colouring columns, in the order of <see cref="Build"/>'s "columns".</summary>
    public static IEnumerable<string> ColumnNames(SampleInfo info)
    {
        if (info.Labels is not null && info.Metadata?["label"] is null) yield return "label";
        foreach (var column in info.Metadata?.Columns ?? []) yield return column.Name;
    }

    private static JsonObject Kind(string kind, MapLayout layout) => new()
    {
        ["kind"] = kind,
        ["a"] = Side(layout.AX, layout.AY),
        ["b"] = Side(layout.BX, layout.BY),
    };

    private static JsonObject Side(float[] x, float[] y)
    {
        var (minX, rangeX) = Extent(x);
        var (minY, rangeY) = Extent(y);
        double scale = 65535 / Math.Max(Math.Max(rangeX, rangeY), 1e-30);
        return new JsonObject { ["x"] = Quantize(x, minX, scale), ["y"] = Quantize(y, minY, scale) };
    }

    private static (double Min, double Range) Extent(float[] v)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (float f in v)
            if (float.IsFinite(f)) (min, max) = (Math.Min(min, f), Math.Max(max, f));
        return double.IsFinite(min) ? (min, max - min) : (0, 0);
    }

    private static string Quantize(float[] v, double min, double scale)
    {
        var q = new ushort[v.Length];
        for (int k = 0; k < v.Length; k++)
            q[k] = float.IsFinite(v[k]) ? (ushort)Math.Clamp(Math.Round((v[k] - min) * scale), 0, 65535) : (ushort)0;
        return Base64(MemoryMarshal.AsBytes(q.AsSpan()));
    }

    private static IEnumerable<JsonNode> Columns(SampleInfo info, int[] samples)
    {
        if (info.Labels is { } labels && info.Metadata?["label"] is null)
            yield return Categorical("label", labels.Names, samples.Select(i => labels.Codes[i]).ToArray());
        foreach (var column in info.Metadata?.Columns ?? [])
        {
            if (column.IsCategorical)
            {
                // The most frequent values get the palette's colours (ties by first appearance), the rest "other".
                var order = column.Values.Where(v => v is not null).GroupBy(v => v!, StringComparer.Ordinal)
                    .OrderByDescending(g => g.Count()).Select(g => g.Key).ToArray();
                var code = order.Select((v, c) => (v, c)).ToDictionary(x => x.v, x => x.c, StringComparer.Ordinal);
                yield return Categorical(column.Name, order, samples.Select(i => column.Values[i] is { } v ? code[v] : -1).ToArray());
            }
            else
            {
                var values = samples.Select(i => (float)column.Numbers![i]).ToArray();
                var present = values.Where(float.IsFinite).ToArray();
                yield return new JsonObject
                {
                    ["name"] = column.Name,
                    ["type"] = "numeric",
                    ["min"] = present.Length > 0 ? present.Min() : 0,
                    ["max"] = present.Length > 0 ? present.Max() : 0,
                    ["values"] = Base64(MemoryMarshal.AsBytes(values.AsSpan())),
                };
            }
        }
    }

    /// <summary>codes: a category index per plotted sample, −1 when missing.</summary>
    private static JsonObject Categorical(string name, IReadOnlyList<string> categories, int[] codes)
    {
        int coloured = Palette.Count - 1;
        var bytes = codes.Select(c => c < 0 ? Missing : (byte)Math.Min(c, coloured)).ToArray();
        return new JsonObject
        {
            ["name"] = name,
            ["type"] = "categorical",
            ["categories"] = new JsonArray(categories.Take(coloured).Select(c => (JsonNode)c).ToArray()),
            ["others"] = Math.Max(0, categories.Count - coloured),
            ["codes"] = Base64(bytes),
        };
    }

    private static string Base64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);

    /// <summary>Plain-number text for notes.</summary>
    public static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
