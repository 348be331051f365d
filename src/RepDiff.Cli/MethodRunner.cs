using System.CommandLine;
using RepDiff;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>The shared body of the single-method commands (rdx, spec, ...): load, run with progress, write, summarize.</summary>
internal static class MethodRunner
{
    public static int Run(ParseResult parse, PairOptions pairOptions, Func<RepresentationPair, IProgress<ProgressUpdate>, Explanation> method)
        => Cli.Guard(() =>
        {
            string dir = parse.GetValue(pairOptions.Out)!;
            Outputs.Check(dir);
            var pair = pairOptions.Spec(parse).Load();
            var explanation = ProgressDisplay.Run(progress => method(pair, progress));
            Outputs.WriteSingle(dir, pair, explanation);
            Summary.Print(pair, explanation);
            Cli.Out.WriteLine($"Wrote {Path.Combine(dir, "results.json")} and {Path.Combine(dir, "report.html")}");
            return 0;
        });
}

/// <summary>A short table of what a method found, for the terminal.</summary>
internal static class Summary
{
    public static void Print(RepresentationPair pair, Explanation explanation)
    {
        var table = new Table().AddColumns("direction", "rank", "strength", "members", "top labels");
        table.Title = new TableTitle(TerminalText.Markup($"{explanation.Method}: {pair.NameA} (A) vs {pair.NameB} (B)"));
        foreach (var direction in explanation.Directions)
            foreach (var concept in direction.Concepts.Take(5))
                table.AddRow(TerminalText.Markup(direction.Name), concept.Rank.ToString(), concept.Strength.ToString("G4"),
                    concept.Members.Length.ToString(), TerminalText.Markup(TopLabels(pair, concept)));
        Cli.Terminal.Write(table);
        if (explanation.Metrics["eigensolver_converged"]?.GetValue<bool>() == false)
            Cli.Error.WriteLine("warning: the eigensolver stopped at its product cap before every mode met its tolerance; the weakest modes may be approximate");
    }

    /// <summary>The most common labels among the grid, e.g. "4 ×5, 9 ×4".</summary>
    public static string TopLabels(RepresentationPair pair, Concept concept)
    {
        if (pair.Samples.Labels is not { } labels) return "";
        return string.Join(", ", concept.Grid.GroupBy(i => labels[i]).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Key} ×{g.Count()}"));
    }
}
