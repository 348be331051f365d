using System.Globalization;
using System.Text.Json.Nodes;

namespace RepDiff;

/// <summary>
/// What `--common-samples` left out (<see cref="IO.PairSpec.CommonSamples"/>): how many of A's and of B's samples the
/// other input does not hold, and the first few of their ids, in each file's order. The pair holds the rest.
/// </summary>
public sealed record LeftOutSamples(int Kept, int CountA, int CountB, string[] FirstIdsA, string[] FirstIdsB)
{
    /// <summary>
    /// Which row of A's file each kept sample is, so a per-sample file of A's rows (RDX's --guide-labels) can be read for the
    /// kept ones; null when read back from results.json, which does not keep them.
    /// </summary>
    public int[]? RowsOfA { get; init; }

    /// <summary>
    /// How many of A's left-out ids B holds written otherwise (spaces, case, number format), with one such pair; null when
    /// none, however the value was made (joined here or read back from results.json), never a count of 0.
    /// </summary>
    public (int Count, string IdA, string IdB)? LookAlike { get; init; }

    /// <summary>How many left-out ids of each side results.json keeps as examples.</summary>
    public const int MaxExamples = 10;

    /// <summary>The terminal's line: "kept the 49,998 samples both dino.npy and dinov2.npy hold; left out 2 of dino.npy's (first: 'n01440764_18') and 0 of dinov2.npy's".</summary>
    public string Sentence(string nameA, string nameB) => string.Create(CultureInfo.InvariantCulture,
        $"kept the {Kept:N0} sample{(Kept == 1 ? "" : "s")} both {nameA} and {nameB} hold; left out {CountA:N0} of {nameA}'s{First(FirstIdsA)} and {CountB:N0} of {nameB}'s{First(FirstIdsB)}{AlikeClause(nameA, nameB)}");

    // Left out only for how their ids were written: said, since the option would otherwise drop them without a word.
    private string AlikeClause(string nameA, string nameB) => LookAlike is not { } alike ? "" : string.Create(CultureInfo.InvariantCulture,
        $"; {alike.Count:N0} of {nameA}'s left out {(alike.Count == 1 ? "is" : "are")} in {nameB} written otherwise ('{IO.NpyDtype.Truncate(alike.IdA)}' "
        + $"and '{IO.NpyDtype.Truncate(alike.IdB)}': spaces, case or number format), so the same samples may be left out: write the ids alike");

    private static string First(string[] ids) => ids.Length == 0 ? "" : $" (first: '{IO.NpyDtype.Truncate(ids[0])}')";

    /// <summary>
    /// results.json's `samples.left_out`: `a` and `b` (counts), `a_ids` and `b_ids` (the first few ids of each), and
    /// `look_alike` when some of A's left out B holds written otherwise: how many, with one such pair (`a_id`, `b_id`), as the
    /// terminal line says. Absent when none (so a results.json written before it, kept by evaluate, claims nothing).
    /// </summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["a"] = CountA,
            ["b"] = CountB,
            ["a_ids"] = new JsonArray(FirstIdsA.Select(id => (JsonNode?)id).ToArray()),
            ["b_ids"] = new JsonArray(FirstIdsB.Select(id => (JsonNode?)id).ToArray()),
        };
        if (LookAlike is { } alike) json["look_alike"] = new JsonObject { ["count"] = alike.Count, ["a_id"] = alike.IdA, ["b_id"] = alike.IdB };
        return json;
    }
}
