using System.Text.Json.Nodes;

namespace RepDiff;

/// <summary>
/// One row of the BSR comparison table: how well a method's grids for one direction explain the
/// difference, with each of the three distances (1 is perfect), and beside each its chance level: the BSR
/// of random groups of the same sizes (Metrics.BsrChance; SILB's is near 0.5, MNED's can be near 0 or 1).
/// Null where not scored.
/// </summary>
public sealed record BsrRow(string Method, string Direction, double? Silb, double? Mned, double? Lsed)
{
    public double? SilbChance { get; init; }
    public double? MnedChance { get; init; }
    public double? LsedChance { get; init; }

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
                    rows.Add(new BsrRow(e.Method, direction, silb, mned, lsed)
                    {
                        SilbChance = Read(e.Metrics, "bsr_chance", direction),
                        MnedChance = Read(e.Metrics, "bsr_mned_chance", direction),
                        LsedChance = Read(e.Metrics, "bsr_lsed_chance", direction),
                    });
            }
        }
        return rows;
    }

    public static double? Read(JsonObject metrics, string metric, string direction)
    {
        if (metrics[metric] is not JsonObject values || values[direction] is not JsonValue value) return null;
        return value.TryGetValue(out double v) && double.IsFinite(v) ? v : null;
    }

    public JsonObject ToJson()
    {
        var row = new JsonObject
        {
            ["method"] = Method,
            ["direction"] = Direction,
            ["silb"] = Silb,
            ["mned"] = Mned,
            ["lsed"] = Lsed,
        };
        if (SilbChance is not null || MnedChance is not null || LsedChance is not null)
        {
            row["silb_chance"] = SilbChance;
            row["mned_chance"] = MnedChance;
            row["lsed_chance"] = LsedChance;
        }
        return row;
    }
}
