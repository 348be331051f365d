using System.Globalization;
using System.Text.RegularExpressions;

namespace RepDiff;

/// <summary>
/// One per-sample column of metadata (genre, source, year, label, ...): a text value per sample (null
/// where missing) and, when every present value is a number, the numbers too. A column is categorical
/// when it holds text, or numbers with at most <see cref="MaxNumericCategories"/> distinct values
/// (class indices, years of a small range); otherwise numeric. Labels are categories however many there are
/// (ImageNet's 1,000 class indices): such a column is made with <c>categories: true</c> and holds no numbers.
/// </summary>
public sealed partial class MetadataColumn
{
    /// <summary>Numeric columns with more distinct values than this are compared by rank, not by value.</summary>
    public const int MaxNumericCategories = 20;

    public string Name { get; }

    /// <summary>The value of each sample as text; null where the value is missing.</summary>
    public string?[] Values { get; }

    /// <summary>The value of each sample as a number (NaN where missing), when every present value is one; else null.</summary>
    public double[]? Numbers { get; }

    public int DistinctValues { get; }

    /// <summary>Compared by rank however few distinct numbers it has (a measurement, such as an image's brightness, not a code).</summary>
    public bool Measured { get; }

    public bool IsCategorical => Numbers is null || (!Measured && DistinctValues <= MaxNumericCategories);

    /// <summary>
    /// Whether JSON exports write the values as numbers: every present value is a JSON number of at most 15 significant
    /// digits, so a reader gets back the number as written. "007" and "1." are not JSON numbers, a 19-digit id would
    /// lose digits as a double, and "1e-400" reads as 0: such columns stay text, as in CSV.
    /// </summary>
    public bool IsJsonNumbers => isJsonNumbers ??= Numbers is not null && Values.All(v => v is null || IsShortJsonNumber(v));

    private bool? isJsonNumbers;

    private static bool IsShortJsonNumber(string text)
    {
        if (!JsonNumber().IsMatch(text)) return false;
        string mantissa = text.Split('e', 'E')[0].Replace("-", "").Replace(".", "");
        string digits = mantissa.Trim('0');
        if (digits.Length > 15) return false;
        // A subnormal or underflowing value keeps fewer digits than written; 1e-300 is far from both.
        double value = Math.Abs(double.Parse(text, CultureInfo.InvariantCulture));
        return digits.Length == 0 ? value == 0 : value >= 1e-300;
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();

    public MetadataColumn(string name, string?[] values, bool categories = false, bool measured = false)
    {
        Name = name;
        Values = values;
        DistinctValues = values.Where(v => v is not null).Distinct(StringComparer.Ordinal).Count();
        if (categories) return;
        var numbers = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is null) numbers[i] = double.NaN;
            else if (!double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
                return; // text (or a non-finite value): categorical only
        }
        if (values.Any(v => v is not null)) Numbers = numbers;
        Measured = measured && Numbers is not null;
    }

    private MetadataColumn(string name, MetadataColumn values)
    {
        Name = name;
        Values = values.Values;
        Numbers = values.Numbers;
        DistinctValues = values.DistinctValues;
        Measured = values.Measured;
    }

    /// <summary>A measured quantity per sample (NaN where missing), always compared by rank (<see cref="Measured"/>).</summary>
    public static MetadataColumn OfMeasurements(string name, double[] values)
        => new(name, values.Select(v => double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture)).ToArray(), measured: true);

    /// <summary>The same values under another name.</summary>
    public MetadataColumn Renamed(string name) => new(name, this);

    /// <summary>The same column for a subset of samples, in the given order (a join by id).</summary>
    public MetadataColumn Select(IReadOnlyList<int> rows)
    {
        var values = rows.Select(r => Values[r]).ToArray();
        return Measured ? new(Name, values, measured: true) : new(Name, values, categories: Numbers is null);
    }
}
