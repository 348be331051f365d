using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using RepDiff.Numerics;
using RepDiff.Reporting;

namespace RepDiff.Report;

/// <summary>
/// The maps' page data, compact enough for 100,000 samples: each map's coordinates as little-endian Uint16
/// (quantized on one scale for both axes, so shapes keep their aspect), base64 inside the page's JSON, and the
/// <see cref="Palette"/>. The colouring columns, texts and thumbnails are the page's "samples" (<see cref="SampleData"/>):
/// <c>slots</c> gives each plotted sample's place among its rows (base64 Int32), left out when the plotted samples are
/// those rows. Assets/maps.js decodes them.
/// </summary>
internal static class MapData
{
    /// <param name="rows">the rows of the page's samples (<see cref="SampleData.Rows"/>), which hold every plotted sample</param>
    public static JsonObject Build(SampleMaps maps, int[] rows)
    {
        var samples = maps.Samples;
        var kinds = new List<JsonNode> { Kind("pca", maps.Pca) };
        if (maps.Umap is { } umap) kinds.Add(Kind("umap", umap));
        return new JsonObject
        {
            ["slots"] = samples.AsSpan().SequenceEqual(rows) ? null : SampleData.Int32s(samples.Select(i => Array.BinarySearch(rows, i)).ToArray()),
            ["kinds"] = new JsonArray(kinds.ToArray()),
            ["palette"] = new JsonArray(Palette.Colours.Select(c => (JsonNode)c).ToArray()),
        };
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

    private static string Base64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);
}
