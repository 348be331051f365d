using System.Globalization;
using System.Text.Json.Nodes;
using RepDiff.Reporting;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>A short table of what a method found, for the terminal, read from the report model.</summary>
internal static class Summary
{
    public static void Print(ReportModel model, Explanation explanation)
    {
        var table = new Table().AddColumns("direction", "rank", "strength", "members", "BSR", "top labels");
        table.Title = new TableTitle(Text($"{explanation.Method}: {model.NameA} (A) vs {model.NameB} (B)"));
        foreach (var direction in explanation.Directions)
            foreach (var concept in direction.Concepts.Take(5))
                table.AddRow(Text(direction.Name), concept.Rank.ToString(CultureInfo.InvariantCulture), concept.Strength.ToString("G4", CultureInfo.InvariantCulture),
                    concept.Members.Length.ToString(CultureInfo.InvariantCulture), concept.Bsr?.ToString("F3", CultureInfo.InvariantCulture) ?? "–", Text(TopLabels(concept)));
        Terminal.Write(table);
        var headline = explanation.Metrics.Where(m => m.Value is JsonValue v && v.TryGetValue(out double _) && m.Key.Contains("_diff", StringComparison.Ordinal))
            .Select(m => $"{m.Key} {m.Value!.GetValue<double>():G6}").ToList();
        if (headline.Count > 0) Cli.Out.WriteLine(string.Join(", ", headline));
        if (explanation.Metrics["eigensolver_converged"]?.GetValue<bool>() == false)
            Cli.Error.WriteLine("warning: the eigensolver stopped at its product cap before every mode met its tolerance; the weakest modes may be approximate");
    }

    /// <summary>The most common labels among a concept's members, e.g. "4 ×5, 9 ×4".</summary>
    public static string TopLabels(Concept concept)
        => concept.LabelCounts is { } counts ? string.Join(", ", counts.Take(3).Select(kv => $"{kv.Key} ×{kv.Value}")) : "";

    /// <summary>Input-derived text as a table cell: no control characters, no markup.</summary>
    public static string Text(string text) => Markup.Escape(Terminal.Clean(text));
}
