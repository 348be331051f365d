using System.CommandLine;
using RepDiff;
using RepDiff.IO;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>The shared body of the single-method commands (rdx, spec, ...): load, run with progress, write, summarize.</summary>
internal static class MethodRunner
{
    /// <param name="fixedScale">The options the user gave in A's and B's units (e.g. a bandwidth), which forbid rescaling out-of-range values.</param>
    public static int Run(ParseResult parse, PairOptions pairOptions, Func<RepresentationPair, IProgress<ProgressUpdate>, Explanation> method,
        (string? A, string? B) fixedScale = default)
        => Cli.Guard(() =>
        {
            string dir = parse.GetValue(pairOptions.Out)!;
            Outputs.Check(dir);
            var pair = pairOptions.Spec(parse).Load();
            var rescaled = FitValueRange(pair, fixedScale.A, fixedScale.B);
            var explanation = ProgressDisplay.Run(progress => method(pair, progress));
            NoteRescaling(explanation, rescaled);
            Outputs.WriteSingle(dir, pair, explanation);
            Summary.Print(pair, explanation);
            Cli.Out.WriteLine($"Wrote {Path.Combine(dir, "results.json")} and {Path.Combine(dir, "report.html")}");
            return 0;
        });

    /// <summary>Rescales out-of-range inputs (<see cref="ValueRange"/>) and warns about each one.</summary>
    public static List<string> FitValueRange(RepresentationPair pair, string? fixedScaleA = null, string? fixedScaleB = null)
    {
        var notes = ValueRange.Fit(pair, fixedScaleA, fixedScaleB);
        foreach (string note in notes) Cli.Error.WriteLine($"warning: {TerminalText.Clean(note)}");
        return notes;
    }

    /// <summary>Records in the results which inputs were rescaled, so the strengths can be read in the right units.</summary>
    public static void NoteRescaling(Explanation explanation, List<string> notes)
    {
        if (notes.Count > 0) explanation.Parameters["input_rescaled"] = new System.Text.Json.Nodes.JsonArray(notes.Select(n => (System.Text.Json.Nodes.JsonNode?)n).ToArray());
    }
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
