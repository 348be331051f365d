namespace RepDiff;

/// <summary>One side of a comparison, e.g. the groups that A puts together and B pulls apart.</summary>
public sealed class Direction
{
    public string Name { get; set; } = "";

    /// <summary>
    /// Which representation these concepts are explanations of ("a" or "b"): BSR scores a grid with
    /// this one's distances against the other's. Null where it does not apply (FINC's sample sets).
    /// </summary>
    public string? Explains { get; set; }

    /// <summary>Per-sample cluster label where the method clusters (RDX: 0 = null cluster).</summary>
    public int[]? Labels { get; set; }

    /// <summary>
    /// Which input the member indices are rows of, where it is not the shared samples of A and B
    /// ("test" or "ref" for FINC's sample sets); null for methods on a pair.
    /// </summary>
    public string? Rows { get; set; }

    /// <summary>The method's own difference matrix on a subsample ordered by concept (RDX), for the report.</summary>
    public Heatmap? Heatmap { get; set; }

    /// <summary>Concepts, strongest first (rank 1).</summary>
    /// <remarks>Required when read, [] for none: a direction without it had been read as one that found nothing.</remarks>
    [System.Text.Json.Serialization.JsonRequired]
    public List<Concept> Concepts { get; set; } = [];
}
