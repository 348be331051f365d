using System.CommandLine;
using System.Diagnostics;
using RepDiff;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>
/// `repdiff compare A B`: runs several methods on one pair (default: every registered method that
/// applies), scores them with BSR, and writes one results.json and one report.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var pairOptions = new PairOptions();
        var methods = new Option<string?>("--methods") { Description = "comma-separated methods to run (default: every method that applies to the inputs)" };
        var linkImages = new Option<bool>("--link-images") { Description = "reference image files from the report instead of embedding them (for large image sets)" };
        var command = new Command("compare", "Run several difference methods on a pair and write one report comparing them.");
        pairOptions.AddTo(command);
        ModelPair.AddTo(command, pairOptions);
        command.Options.Add(methods);
        command.Options.Add(linkImages);
        command.SetAction(parse => Cli.Guard(() =>
        {
            var spec = ModelPair.Resolve(parse, pairOptions.Spec(parse), parse.GetValue(pairOptions.Out)!);
            var clock = Stopwatch.StartNew();
            var pair = spec.Load();
            double loadSeconds = clock.Elapsed.TotalSeconds;
            var chosen = parse.GetValue(methods) is { } list ? Comparison.ParseMethods(list, pair) : Comparison.DefaultMethods(pair);
            if (chosen.Count == 0) throw new RepDiffInputException("no registered method applies to these inputs");
            int seed = parse.GetValue(pairOptions.Seed);
            var comparison = ProgressDisplay.Run(progress => Comparison.Run(pair, chosen, seed, progress));
            comparison.Timings["load"] = loadSeconds;
            foreach (var (key, path) in new[] { ("a", spec.PathA), ("b", spec.PathB), ("labels", spec.Labels), ("images", spec.Images), ("texts", spec.Texts) })
                if (path is not null) comparison.Inputs[key] = Path.GetFileName(path);
            string dir = parse.GetValue(pairOptions.Out)!;
            Outputs.WriteComparison(dir, comparison, parse.GetValue(linkImages));
            ComparisonSummary.Print(comparison);
            Cli.Out.WriteLine($"Wrote {Path.Combine(dir, "results.json")} and {Path.Combine(dir, "report.html")}");
            return 0;
        }));
        return command;
    }
}

/// <summary>The terminal summary of a comparison: per method and direction, the strongest concept and the BSR.</summary>
internal static class ComparisonSummary
{
    public static void Print(Comparison comparison)
    {
        var pair = comparison.Pair;
        var table = new Table().AddColumns("method", "direction", "concepts", "strongest concept", "BSR (SILB)");
        table.Title = new TableTitle(Markup.Escape($"{pair.NameA} (A) vs {pair.NameB} (B), n = {pair.N}"));
        foreach (var e in comparison.Explanations)
            foreach (var d in e.Directions)
            {
                double? bsr = BsrRow.Read(e.Metrics, "bsr", d.Name);
                string top = d.Concepts.FirstOrDefault() is { } c ? $"{c.Members.Length} members {Summary.TopLabels(pair, c)}".Trim() : "";
                table.AddRow(Markup.Escape(e.Method), Markup.Escape(d.Name), d.Concepts.Count.ToString(), Markup.Escape(top), bsr?.ToString("F3") ?? "–");
            }
        AnsiConsole.Write(table);
        var context = string.Join(", ", comparison.Context.Where(kv => !kv.Key.EndsWith("_samples")).Select(kv => $"{kv.Key} {kv.Value!.GetValue<double>():F3}"));
        Cli.Out.WriteLine($"context: {context}");
    }
}
