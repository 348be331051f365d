using System.Globalization;

namespace RepDiff;

/// <summary>
/// One per-sample column of metadata (genre, source, year, label, ...): a text value per sample (null
/// where missing) and, when every present value is a number, the numbers too. A column is categorical
/// when it holds text, or numbers with at most <see cref="MaxNumericCategories"/> distinct values
/// (class indices, years of a small range); otherwise numeric. Labels are categories however many there are
/// (ImageNet's 1,000 class indices): such a column is made with <c>categories: true</c> and holds no numbers.
/// </summary>
public sealed class MetadataColumn
{
    /// <summary>Numeric columns with more distinct values than this are compared by rank, not by value.</summary>
    public const int MaxNumericCategories = 20;

    public string Name { get; }

    /// <summary>The value of each sample as text; null where the value is missing.</summary>
    public string?[] Values { get; }

    /// <summary>The value of each sample as a number (NaN where missing), when every present value is one; else null.</summary>
    public double[]? Numbers { get; }

    public int DistinctValues { get; }

    public bool IsCategorical => Numbers is null || DistinctValues <= MaxNumericCategories;

    public MetadataColumn(string name, string?[] values, bool categories = false)
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
    }

    private MetadataColumn(string name, MetadataColumn values)
    {
        Name = name;
        Values = values.Values;
        Numbers = values.Numbers;
        DistinctValues = values.DistinctValues;
    }

    /// <summary>The same values under another name.</summary>
    public MetadataColumn Renamed(string name) => new(name, this);

    /// <summary>The same column for a subset of samples, in the given order (a join by id).</summary>
    public MetadataColumn Select(IReadOnlyList<int> rows) => new(Name, rows.Select(r => Values[r]).ToArray(), categories: Numbers is null);
}
