using System.Globalization;
using System.Text.Json.Serialization;

namespace RepDiff.Metrics;

/// <summary>
/// A metadata value over-represented among a concept's members (categorical column), or a numeric
/// column whose members rank differently from the rest. Counts leave out samples whose value is missing.
/// </summary>
public sealed record EnrichedValue
{
    public required string Column { get; init; }

    /// <summary>The value (categorical columns); null for a numeric column.</summary>
    public string? Value { get; init; }

    /// <summary>Members with a value in this column, and of them those with <see cref="Value"/> (categorical columns; null for a numeric one).</summary>
    public required int Members { get; init; }
    public int? MembersWithValue { get; init; }

    /// <summary>All samples with a value in this column, and of them those with <see cref="Value"/> (categorical columns).</summary>
    public required int Total { get; init; }
    public int? TotalWithValue { get; init; }

    /// <summary>ln of the odds ratio, members against the other samples, with 0.5 added to each cell (categorical).</summary>
    public double? LogOddsRatio { get; init; }

    /// <summary>Mean among members and among all samples, and the rank-sum z-score (numeric columns).</summary>
    public double? MemberMean { get; init; }
    public double? Mean { get; init; }
    public double? Z { get; init; }

    /// <summary>
    /// Image looks with labels (numeric measures): the members' mean if each image had its label's mean value, so a look
    /// that only follows the concept's labels (sandals are darker) shows as such; null elsewhere.
    /// </summary>
    public double? ExpectedFromLabels { get; init; }

    /// <summary>
    /// Image looks with labels: the rank-sum z of the members against the other samples of their own labels (van Elteren),
    /// and its q (Benjamini–Hochberg over these tests of the explanation's concepts): whether the look holds within labels.
    /// </summary>
    public double? WithinLabelsZ { get; init; }
    public double? WithinLabelsQ { get; init; }

    /// <summary>One-sided hypergeometric p-value (categorical) or two-sided rank-sum p-value (numeric).</summary>
    public required double PValue { get; init; }

    /// <summary>Benjamini–Hochberg adjusted p-value over every test made for every concept of the explanation (<see cref="Enrichment.Tests(IReadOnlyList{IReadOnlyCollection{int}})"/>).</summary>
    public required double QValue { get; init; }

    /// <summary>A categorical value members have more often than the whole set (false for a numeric column).</summary>
    [JsonIgnore] public bool MembersHaveItMoreOften => Value is not null && MembersWithValue!.Value * (long)Total > TotalWithValue!.Value * (long)Members;

    /// <summary>"73% 'romance' (whole set 6%)", or "year: mean 1994 (whole set 1987)".</summary>
    public string Phrase => Worded(text => text);

    /// <summary>
    /// <see cref="Phrase"/> with the value (or the column) between isolate marks (<see cref="BidiControls.Isolate"/>), for a
    /// page: a right-to-left column name had drawn the share after it into its own order ("תווית: 73%" read "73% :תווית").
    /// </summary>
    [JsonIgnore] public string IsolatedPhrase => Worded(BidiControls.Isolate);

    private string Worded(Func<string, string> userText) => Value is not null
        ? $"{Percent(MembersWithValue!.Value, Members)} '{userText(Value)}' (whole set {Percent(TotalWithValue!.Value, Total)})"
        : $"{userText(Column)}: mean {Number(MemberMean!.Value)} (whole set {Number(Mean!.Value)})";

    /// <summary>Whole percents, or one significant digit below 1% (never "0%" for a value that occurs).</summary>
    internal static string Percent(int part, int whole)
    {
        double p = whole == 0 ? 0 : 100.0 * part / whole;
        return p == 0 || p >= 1 ? $"{Math.Round(p).ToString(CultureInfo.InvariantCulture)}%" : $"{p.ToString("G1", CultureInfo.InvariantCulture)}%";
    }

    private static string Number(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
