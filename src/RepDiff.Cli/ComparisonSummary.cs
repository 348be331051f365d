using System.Globalization;
using RepDiff;
using RepDiff.Metrics;
using RepDiff.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

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
        var directions = comparison.Explanations.SelectMany(e => e.Directions).ToList();
        bool anyValidated = directions.Any(Validated) || comparison.Explanations.Any(RanValidation);
        var table = new Table().AddColumns("method", "direction", "concepts", StrongestHeader(directions), "BSR, SILB (chance)");
        if (anyValidated) table.AddColumn("held-out confirmed");
        foreach (var e in comparison.Explanations)
            foreach (var d in e.Directions)
            {
                string bsr = Summary.WithChance(BsrRow.Read(e.Metrics, "bsr", d.Name), BsrRow.Read(e.Metrics, "bsr_chance", d.Name));
                var cells = new List<IRenderable> { new Markup(Summary.Text(e.Method)), new Markup(Summary.Text(d.Name)), new Markup(d.Concepts.Count.ToString()),
                    Terminal.Phrases(StrongestPhrases(d)), new Markup(bsr) };
                if (anyValidated) cells.Add(new Markup(ConfirmedCount(d, RanValidation(e))));
                table.AddRow(cells);
            }
        Terminal.Write($"{pair.NameA} (A) vs {pair.NameB} (B), n = {pair.N}", table);
        // An undefined score reads "undefined" and its note follows on its own line.
        var context = string.Join(", ", comparison.Context.Where(kv => !kv.Key.EndsWith("_samples") && !kv.Key.EndsWith("_note"))
            .Select(kv => kv.Value is null ? $"{kv.Key} undefined" : $"{kv.Key} {kv.Value.GetValue<double>():F3}" + KnnChance(kv.Key, comparison.Context, pair.N)));
        Cli.Out.WriteLine($"context: {context}");
        foreach (var (key, value) in comparison.Context)
            if (key.EndsWith("_note") && value is not null) Cli.Out.WriteLine(Terminal.Clean($"{key[..^"_note".Length]}: {value.GetValue<string>()}"));
        if (model.LeadingFindings is { } headline)
        {
            Cli.Out.WriteLine(Terminal.Clean($"finding: {headline.Headline()}"));
            if (headline.Note is { } note) Cli.Out.WriteLine(Terminal.Clean(note));
        }
        foreach (var explanation in comparison.Explanations) Summary.WarnOfMembersLeftOut(explanation, pair.NameA);
    }

    /// <summary>
    /// Mutual k-NN's chance level beside it, as the report and `metrics` give it: at 12 samples 0.925 read as agreement, where
    /// random neighbours share 0.909 (helper 95).
    /// </summary>
    private static string KnnChance(string key, System.Text.Json.Nodes.JsonObject context, int n) => key != "mutual_knn" ? ""
        : string.Create(CultureInfo.InvariantCulture, $" (random neighbours {MutualKnn.Chance(MutualKnn.NeighboursOf(context), MutualKnn.SamplesOf(context, n)):F3})");

    /// <summary>Whether held-out validation gave the direction's concepts a verdict (as the report decides it).</summary>
    private static bool Validated(Direction direction) => direction.Concepts.Any(c => c.Confirmed is not null);

    // The demo validates only its headline method: a direction that was not validated has no confirmed concepts to
    // count, and "none confirmed", "0 of 10" for it claimed a verdict no test gave.

    /// <summary>The strongest-concept column's heading: "confirmed" only as far as validation ran.</summary>
    internal static string StrongestHeader(IReadOnlyCollection<Direction> directions)
    {
        int validated = directions.Count(Validated);
        return validated == 0 ? "strongest concept"
            : validated == directions.Count ? "strongest confirmed concept" : "strongest concept (confirmed, where validated)";
    }

    /// <summary>Whether held-out validation ran on the explanation (its metrics say so even when it had no concept to test).</summary>
    private static bool RanValidation(Explanation explanation) => explanation.Metrics["validation"] is not null;

    /// <summary>
    /// The held-out column: how many of the direction's concepts validation confirmed, or that it did not run. A direction
    /// without concepts of a validated method is "0 of 0": "not validated" had said validation did not run (compare --trust).
    /// </summary>
    internal static string ConfirmedCount(Direction direction, bool ranValidation = false)
        => Validated(direction) || (ranValidation && direction.Concepts.Count == 0)
            ? $"{direction.Concepts.Count(c => c.Confirmed == true)} of {direction.Concepts.Count}" : "not validated";

    /// <summary>
    /// The direction's strongest concept in a few words; after held-out validation its strongest confirmed one, as the
    /// finding speaks only of those (an unconfirmed rank 1 stood there unmarked beside "0 of 5" confirmed).
    /// </summary>
    internal static List<string> StrongestPhrases(Direction direction)
    {
        bool validated = Validated(direction);
        var concept = direction.Concepts.FirstOrDefault(c => !validated || c.Confirmed == true);
        if (concept is null) return validated && direction.Concepts.Count > 0 ? ["none confirmed"] : [];
        var phrases = new List<string>();
        if (validated) phrases.AddRange(["rank", $"{concept.Rank}:"]);
        phrases.AddRange([$"{concept.Members.Length}", $"member{(concept.Members.Length == 1 ? "" : "s")}"]);
        phrases.AddRange(Summary.TopLabelPhrases(concept));
        // Labels name it where there are any, then texts' words or images' looks (with labels too: how a layer's group of
        // shirts looks is the point of comparing layers, helper 75).
        string traits = Summary.TopWords(concept) is { Length: > 0 } words ? $"(words: {words})" : Summary.TopLooks(concept) is { Length: > 0 } looks ? $"(looks: {looks})" : "";
        phrases.AddRange(traits.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return phrases;
    }
}
