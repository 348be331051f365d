using System.Text.Json.Nodes;

namespace RepDiff;

/// <summary>
/// One row of the BSR comparison table: how well a method's grids for one direction explain the
/// difference, with each of the three distances (0.5 is chance, 1 is perfect). Null where not scored.
/// </summary>
public sealed record BsrRow(string Method, string Direction, double? Silb, double? Mned, double? Lsed)
{
    /// <summary>The rows of every explanation, read from the metrics Bsr.Evaluate fills (bsr, bsr_mned, bsr_lsed).</summary>
    public static List<BsrRow> From(IEnumerable<Explanation> explanations)
    {
        var rows = new List<BsrRow>();
        foreach (var e in explanations)
        {
            var keys = e.Directions.Select(d => d.Name).Append("mean");
            foreach (string direction in keys)
            {
                double? silb = Read(e.Metrics, "bsr", direction), mned = Read(e.Metrics, "bsr_mned", direction), lsed = Read(e.Metrics, "bsr_lsed", direction);
                if (silb is not null || mned is not null || lsed is not null)
                    rows.Add(new BsrRow(e.Method, direction, silb, mned, lsed));
            }
        }
        return rows;
    }

    public static double? Read(JsonObject metrics, string metric, string direction)
    {
        if (metrics[metric] is not JsonObject values || values[direction] is not JsonValue value) return null;
        return value.TryGetValue(out double v) && double.IsFinite(v) ? v : null;
    }

    public JsonObject ToJson() => new()
    {
        ["method"] = Method,
        ["direction"] = Direction,
        ["silb"] = Silb,
        ["mned"] = Mned,
        ["lsed"] = Lsed,
    };
}
