using RepDiff;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>The terminal summary of a comparison: per method and direction, the strongest concept and the BSR.</summary>
internal static class ComparisonSummary
{
    public static void Print(Comparison comparison)
    {
        var pair = comparison.Pair;
        var table = new Table().AddColumns("method", "direction", "concepts", "strongest concept", "BSR (SILB)");
        table.Title = new TableTitle(Summary.Text($"{pair.NameA} (A) vs {pair.NameB} (B), n = {pair.N}"));
        foreach (var e in comparison.Explanations)
            foreach (var d in e.Directions)
            {
                double? bsr = BsrRow.Read(e.Metrics, "bsr", d.Name);
                string top = d.Concepts.FirstOrDefault() is { } c ? $"{c.Members.Length} members {Summary.TopLabels(c)}".Trim() : "";
                table.AddRow(Summary.Text(e.Method), Summary.Text(d.Name), d.Concepts.Count.ToString(), Summary.Text(top), bsr?.ToString("F3") ?? "–");
            }
        Terminal.Write(table);
        var context = string.Join(", ", comparison.Context.Where(kv => !kv.Key.EndsWith("_samples")).Select(kv => $"{kv.Key} {kv.Value!.GetValue<double>():F3}"));
        Cli.Out.WriteLine($"context: {context}");
    }
}
