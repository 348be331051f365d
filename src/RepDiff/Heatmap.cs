namespace RepDiff;

/// <summary>
/// A method's own difference matrix on a subsample of samples ordered by concept (strongest first,
/// unassigned last), for the report to draw: Values[r·m + c] for rows/columns Samples[r], Samples[c];
/// positive where the pair is closer in the explained representation than in the other.
/// </summary>
public sealed class Heatmap
{
    /// <summary>Sample indices (rows of the inputs), in display order.</summary>
    public int[] Samples { get; set; } = [];

    /// <summary>The concept label of each displayed sample (0 = unassigned / null cluster).</summary>
    public int[] Clusters { get; set; } = [];

    /// <summary>m × m values, row-major, rounded to three decimals.</summary>
    public float[] Values { get; set; } = [];

    /// <summary>What an entry is, in words (the formula with the run's own parameters).</summary>
    public string Meaning { get; set; } = "";
}
