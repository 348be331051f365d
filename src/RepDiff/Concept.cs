namespace RepDiff;

/// <summary>One group of samples a method found, with the members to show.</summary>
public sealed class Concept
{
    public int Rank { get; set; }

    /// <summary>The group's own name where the concept was given rather than found (`repdiff groups`: its group column); null otherwise.</summary>
    public string? Name { get; set; }

    public double Strength { get; set; }

    /// <summary>Sample indices (0-based rows of the inputs), best first.</summary>
    /// <remarks>Required when read: a results.json without it (a misspelt or renamed key) had been read as a concept without members.</remarks>
    [System.Text.Json.Serialization.JsonRequired]
    public int[] Members { get; set; } = [];

    /// <summary>The members to show.</summary>
    /// <remarks>Required when read, [] for none: a concept without it had been left out of BSR without a word.</remarks>
    [System.Text.Json.Serialization.JsonRequired]
    public int[] Grid { get; set; } = [];

    /// <summary>Per-member score, aligned with Members, where the method has one.</summary>
    public double[]? Scores { get; set; }

    /// <summary>BSR (SILB) of this concept's grid alone, where the direction explains A or B.</summary>
    public double? Bsr { get; set; }

    /// <summary>Chance level of <see cref="Bsr"/>: mean SILB BSR of random groups of the grid's size (Metrics.BsrChance).</summary>
    public double? BsrChance { get; set; }

    /// <summary>
    /// Spread of <see cref="BsrChance"/>: the standard deviation of the random groups' BSR, by which a grid far below its chance
    /// level is told from one at it (<see cref="GridBelowChance"/>). Absent from results written before it.
    /// </summary>
    public double? BsrChanceSd { get; set; }

    /// <summary>
    /// Whether a BSR is no higher than its chance level (unknown chance: not flagged). The one rule for "at chance": the
    /// report's table and cards mark by it (†), and the findings' sentences leave out the concepts it flags.
    /// </summary>
    public static bool AtChance(double? bsr, double? chance) => bsr is double b && chance is double c && b <= c;

    /// <summary>Whether this concept's grid is no closer than random groups of its size (<see cref="AtChance"/>): its card is marked †.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool GridAtChance => AtChance(Bsr, BsrChance);

    /// <summary>
    /// Whether this concept's grid is as far below its chance level as a direction's finding asks to call it below
    /// (<see cref="Findings.FindingText.BelowChance"/>): its pairs are nearer in the other model more often than random groups'.
    /// Never without a spread.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool GridBelowChance => Bsr is double bsr && BsrChance is double chance && BsrChanceSd is double sd && Findings.FindingText.BelowChance(bsr, chance, sd);

    /// <summary>
    /// Held-out validation (docs/methods/METHODS.md §7, `--validate`): the p-value of the concept found again on
    /// the discovery half and extended to the validation half; 1 when it was not found again or reached
    /// fewer than two held-out samples.
    /// </summary>
    public double? PValue { get; set; }

    /// <summary>Benjamini–Hochberg adjusted <see cref="PValue"/> over the explanation's concepts; ≤ 0.05 counts as confirmed.</summary>
    public double? PAdjusted { get; set; }

    /// <summary>
    /// Held-out validation: whether the discovery run found a concept matching this one (null where validation did not
    /// run). Its p-value of 1 when false is a convention, not a measurement, and a real p can be 1 too, so the report
    /// reads this rather than the number to say "not found again".
    /// </summary>
    public bool? FoundAgain { get; set; }

    /// <summary>The held-out statistic the p-value tests: BSR (SILB) of the concept's held-out members (FINC: share of the held-out members from the direction's own set).</summary>
    public double? HeldOutScore { get; set; }

    /// <summary>Whether held-out validation confirmed the concept (null where it did not run).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool? Confirmed => PAdjusted is double q ? q <= Trust.HeldOutValidation.ConfirmedBelow : null;

    /// <summary>
    /// Why held-out validation gave the concept no p-value of its own (its <see cref="PValue"/> of 1 is then a convention),
    /// in words for the card and the terminal; null when it was tested (a tested concept always has a <see cref="HeldOutScore"/>)
    /// or validation did not run. A results.json from before <see cref="FoundAgain"/> existed cannot tell the two reasons apart.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Untested => PValue is null || HeldOutScore is not null ? null
        : FoundAgain switch
        {
            false => "not found again on half the samples",
            true => "too few held-out members to test",
            null => "not found again on half the samples, or too few held-out members to test",
        };

    /// <summary>How many members carry each label, most frequent first, when the samples have labels.</summary>
    public Dictionary<string, int>? LabelCounts { get; set; }

    /// <summary>
    /// Mean best Jaccard overlap with a concept of the same direction when the method reruns on seeded 80%
    /// subsamples (docs/methods/METHODS.md §7, `--stability R`); null when not measured.
    /// </summary>
    public double? Stability { get; set; }

    /// <summary>Label and metadata values over-represented among the members (Metrics.Enrichment), when the samples have any.</summary>
    public List<Metrics.EnrichedValue>? Enrichment { get; set; }

    /// <summary>Words over-represented among the members' texts (Metrics.DistinctiveWords), when the samples are texts.</summary>
    public List<Metrics.DistinctiveWord>? Words { get; set; }

    /// <summary>How long the members' texts are against all texts (Metrics.DistinctiveWords.LengthOf), when the samples are texts.</summary>
    public Metrics.TextLength? TextLength { get; set; }

    /// <summary>How the members' images look against the whole set: brighter, mostly green, portrait (Metrics.ImageLooks), when the images were measured.</summary>
    public List<Metrics.EnrichedValue>? Looks { get; set; }
}
