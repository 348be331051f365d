using System.Text.Json.Nodes;
using RepDiff.Metrics;
using RepDiff.Findings;

namespace RepDiff.Reporting;

/// <summary>
/// Everything a report shows, computed in the library with the run's own parameters: the explanations
/// (scored: BSR per direction and concept, label counts, heatmaps, spectra), the samples' side
/// information, context numbers and the map coordinates. A renderer only draws it; results.json and
/// maps.npy carry the same data for other tools.
/// </summary>
public sealed class ReportModel
{
    public required string Title { get; init; }

    /// <summary>A paragraph of plain text shown under the title (e.g. what the demo compares).</summary>
    public string? Intro { get; init; }

    public required IReadOnlyList<Explanation> Explanations { get; init; }

    /// <summary>Display names of the two inputs (A and B; FINC's TEST and REF).</summary>
    public required string NameA { get; init; }
    public required string NameB { get; init; }

    /// <summary>Their dimensions, where the inputs are two representations.</summary>
    public int? DimensionsA { get; init; }
    public int? DimensionsB { get; init; }

    /// <summary>Number of samples member indices refer to.</summary>
    public required int N { get; init; }

    /// <summary>FINC's two sample sets: the rows of each (a direction's member ids are rows of its own set); null for a pair.</summary>
    public (int Test, int Reference)? SetSizes { get; init; }

    /// <summary>Ids, labels, images and texts of the samples (empty for FINC's two sample sets).</summary>
    public SampleInfo Samples { get; init; } = new();

    /// <summary>Pair-level numbers shown in the header (linear CKA, mutual k-NN, ...).</summary>
    public JsonObject Context { get; init; } = new();

    /// <summary>Seconds per stage of the whole run (loading, each method, total).</summary>
    public IReadOnlyDictionary<string, double> Timings { get; init; } = new Dictionary<string, double>();

    /// <summary>What each explanation found, in plain words per direction, read from its concepts' labels (<see cref="FindingText"/>).</summary>
    public IReadOnlyList<ExplanationFindings> Findings { get; init; } = [];

    /// <summary>
    /// Warnings about the run's results as a whole (rows that look paired at random): written to results.json's "warnings"
    /// and listed at the top of the report, where whoever reads the results later sees them, not on stderr only.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The command as typed and the inputs' fingerprints, for the header (set by the command that ran).</summary>
    public IO.RunOrigin? Origin { get; set; }

    /// <summary>The finding of one method's direction, if there is one.</summary>
    public DirectionFinding? FindingOf(string method, string direction) =>
        Findings.FirstOrDefault(f => f.Method == method)?.Directions.FirstOrDefault(d => d.Direction == direction);

    /// <summary>
    /// The findings of the best-ranked difference method (highest mean BSR), which a comparison leads with; null when no
    /// method explains a difference.
    /// </summary>
    public ExplanationFindings? LeadingFindings => BestRanked(Explanations) is { } best ? Findings.FirstOrDefault(f => f.Method == best.Method) : null;

    /// <summary>The best-ranked difference method's explanation (highest mean BSR), whose finding a comparison leads with.</summary>
    public static Explanation? BestRanked(IEnumerable<Explanation> explanations) => explanations
        .Where(e => e.Directions.Any(d => d.Name is DirectionNames.MoreSimilarInA or DirectionNames.MoreSimilarInB))
        .OrderByDescending(e => BsrRow.Read(e.Metrics, "bsr", "mean") ?? double.NegativeInfinity)
        .FirstOrDefault();

    /// <summary>2-D maps of both representations; null where there are none (FINC).</summary>
    public SampleMaps? Maps { get; init; }

    /// <summary>
    /// The model of a report on a pair: the explanations must already be scored (<see cref="ExplanationScoring"/>);
    /// the maps are computed here, with every shown concept's members among the plotted points, and the findings,
    /// whose sentences call the samples <paramref name="sampleNoun"/> ("images", "sentences"; by default what the samples
    /// are shown as, <see cref="SampleInfo.Noun"/>). The maps take most of the time on large pairs, so they report to
    /// <paramref name="progress"/>; <paramref name="umapMaps"/> false draws PCA maps only. Maps already made for these explanations
    /// (<see cref="SampleMaps.Beside"/>) are given as <paramref name="maps"/>.
    /// </summary>
    public static ReportModel ForPair(RepresentationPair pair, IReadOnlyList<Explanation> explanations, JsonObject context, string title,
        string? intro = null, IReadOnlyDictionary<string, double>? timings = null, string? sampleNoun = null,
        IProgress<ProgressUpdate>? progress = null, bool umapMaps = true, SampleMaps? maps = null)
    {
        string? randomPairing = Comparison.RowsMayNotMatch(context, pair);
        var findings = explanations.Select(e => FindingText.Describe(e, pair, sampleNoun ?? pair.Samples.Noun, Math.Min(FindingText.DefaultMaxConcepts, MaxConceptsShown)));
        return new()
        {
            Title = title,
            Intro = intro,
            Consensus = explanations.Count > 1 ? Consensus.Of(explanations) : null,
            Explanations = explanations,
            NameA = pair.NameA,
            NameB = pair.NameB,
            DimensionsA = pair.RowsA.Cols,
            DimensionsB = pair.RowsB.Cols,
            N = pair.N,
            Samples = pair.Samples,
            Context = context,
            Timings = timings ?? new Dictionary<string, double>(),
            Findings = (randomPairing is null ? findings : findings.Select(f => f.WithRowsLookRandomlyPaired())).ToList(),
            Warnings = pair.Samples.InputWarnings.Append(randomPairing).OfType<string>().ToList(),
            Maps = maps ?? SampleMaps.For(pair, explanations, umapMaps, progress),
        };
    }

    /// <summary>The model of a report on two sample sets of one representation (FINC): no shared samples, no maps; <paramref name="inputWarnings"/>: how the sets' files were read.</summary>
    public static ReportModel ForSampleSets(SampleSets sets, Explanation explanation, string title, IReadOnlyList<string>? inputWarnings = null) => new()
    {
        Title = title,
        Warnings = inputWarnings ?? [],
        Explanations = [explanation],
        NameA = sets.NameTest,
        NameB = sets.NameRef,
        N = explanation.N,
        SetSizes = (sets.Test.Rows, sets.Reference.Rows),
        Timings = explanation.Timings,
        Findings = [FindingText.Describe(explanation, labels: null, sets.NameTest, sets.NameRef, maxConcepts: Math.Min(FindingText.DefaultMaxConcepts, MaxConceptsShown),
            validationRefusal: Trust.RerunSize.ValidationRefusal(sets))],
    };

    /// <summary>Jaccard overlaps of the members of every concept across the methods (docs/metadata.md); null with one method.</summary>
    public Consensus? Consensus { get; init; }

    /// <summary>Concepts per direction a report shows as cards (the rest are in results.json).</summary>
    public const int MaxConceptsShown = 12;
}
