using RepDiff;
using RepDiff.Reporting;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>
/// The terminal summary of a comparison: per method and direction, the strongest (confirmed) concept and the BSR beside its
/// chance level (and, after held-out validation, how many concepts it confirmed); then the best-ranked difference
/// method's finding in plain words.
/// </summary>
internal static class ComparisonSummary
{
    public static void Print(Comparison comparison, ReportModel model)
    {
        var pair = comparison.Pair;
        bool validated = comparison.Explanations.SelectMany(e => e.Directions).SelectMany(d => d.Concepts).Any(c => c.Confirmed is not null);
        var table = new Table().AddColumns("method", "direction", "concepts", validated ? "strongest confirmed concept" : "strongest concept", "BSR, SILB (chance)");
        if (validated) table.AddColumn("held-out confirmed");
        foreach (var e in comparison.Explanations)
            foreach (var d in e.Directions)
            {
                string bsr = Summary.WithChance(BsrRow.Read(e.Metrics, "bsr", d.Name), BsrRow.Read(e.Metrics, "bsr_chance", d.Name));
                var cells = new List<string> { Summary.Text(e.Method), Summary.Text(d.Name), d.Concepts.Count.ToString(), Summary.Text(Strongest(d, validated)), bsr };
                if (validated) cells.Add($"{d.Concepts.Count(c => c.Confirmed == true)} of {d.Concepts.Count}");
                table.AddRow([.. cells]);
            }
        Terminal.Write($"{pair.NameA} (A) vs {pair.NameB} (B), n = {pair.N}", table);
        // An undefined score reads "undefined" and its note follows on its own line.
        var context = string.Join(", ", comparison.Context.Where(kv => !kv.Key.EndsWith("_samples") && !kv.Key.EndsWith("_note"))
            .Select(kv => kv.Value is null ? $"{kv.Key} undefined" : $"{kv.Key} {kv.Value.GetValue<double>():F3}"));
        Cli.Out.WriteLine($"context: {context}");
        foreach (var (key, value) in comparison.Context)
            if (key.EndsWith("_note") && value is not null) Cli.Out.WriteLine(Terminal.Clean($"{key[..^"_note".Length]}: {value.GetValue<string>()}"));
        if (Finding(model) is { } finding) Cli.Out.WriteLine(Terminal.Clean($"finding: {finding}"));
    }

    /// <summary>
    /// The direction's strongest concept in a few words; after held-out validation its strongest confirmed one, as the
    /// finding speaks only of those (an unconfirmed rank 1 stood there unmarked beside "0 of 5" confirmed).
    /// </summary>
    internal static string Strongest(Direction direction, bool validated)
    {
        var concept = direction.Concepts.FirstOrDefault(c => !validated || c.Confirmed == true);
        if (concept is null) return validated && direction.Concepts.Count > 0 ? "none confirmed" : "";
        return $"{(validated ? $"rank {concept.Rank}: " : "")}{concept.Members.Length} members {Summary.TopLabels(concept)}".Trim();
    }

    /// <summary>
    /// What the best-ranked difference method (highest mean BSR) found, in plain words, prefixed with its name; null
    /// when no method explains a difference.
    /// </summary>
    internal static string? Finding(ReportModel model)
    {
        var best = Headline(model.Explanations);
        return best is null ? null : model.Findings.FirstOrDefault(f => f.Method == best.Method) is { } findings ? $"{best.Method}: {findings.Summary}" : null;
    }

    /// <summary>The best-ranked difference method's explanation (highest mean BSR), whose finding a comparison leads with.</summary>
    internal static Explanation? Headline(IEnumerable<Explanation> explanations) => explanations
        .Where(e => e.Directions.Any(d => d.Name is DirectionNames.MoreSimilarInA or DirectionNames.MoreSimilarInB))
        .OrderByDescending(e => BsrRow.Read(e.Metrics, "bsr", "mean") ?? double.NegativeInfinity)
        .FirstOrDefault();
}
