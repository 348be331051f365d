using RepDiff;
using RepDiff.IO;
using RepDiff.Metrics;
using RepDiff.Report;

namespace RepDiff.Cli;

/// <summary>
/// Writes a command's results: DIR/results.json, DIR/report.html and any side files. Everything is
/// rendered first, written into a staging folder beside DIR and swapped into place as one step
/// (<see cref="OutputFolder"/>), so a failure or a stop leaves DIR as it was.
/// </summary>
internal static class Outputs
{
    /// <summary>The files every method command writes; checked before the run so a bad --out fails early.</summary>
    public static readonly string[] Files = ["results.json", "report.html"];

    /// <summary>Checks --out before any work: one line and exit code 2 for a path that cannot hold the results.</summary>
    public static void Check(string dir, params string[] sideFiles) => OutputFolder.Check(dir, [.. Files, .. sideFiles]);

    /// <summary>Output of a single-method command: results.json is that method's Explanation (BSR added), plus optional side files.</summary>
    public static void WriteSingle(string dir, RepresentationPair pair, Explanation explanation, bool linkImages = false,
        IReadOnlyDictionary<string, Action<string>>? sideFiles = null)
    {
        if (explanation.Metrics["bsr"] is null) Bsr.Evaluate(explanation, pair);
        var model = new ReportModel
        {
            Pair = pair,
            Explanations = [explanation],
            Context = pair.A.Cols > 0 && pair.B.Cols > 0 ? Comparison.ContextMetrics(pair) : new(),
            Title = $"RepDiff {explanation.Method}: {pair.NameA} vs {pair.NameB}",
            LinkImages = linkImages,
            OutputDirectory = dir,
        };
        Stage(dir, explanation.ToJson(), Render(model), sideFiles);
    }

    /// <summary>Output of `repdiff compare`: the comparison document and its report.</summary>
    public static void WriteComparison(string dir, Comparison comparison, bool linkImages = false) =>
        Stage(dir, comparison.ToJson(), RenderComparison(dir, comparison, linkImages), null);

    /// <summary>The report of a comparison, rendered, its warnings printed (the demo stages several of them).</summary>
    public static string RenderComparison(string dir, Comparison comparison, bool linkImages = false, string? title = null, string? intro = null) =>
        Render(new ReportModel
        {
            Pair = comparison.Pair,
            Explanations = comparison.Explanations,
            Context = comparison.Context,
            Timings = comparison.Timings,
            Title = title ?? $"RepDiff: {comparison.Pair.NameA} vs {comparison.Pair.NameB}",
            Intro = intro,
            LinkImages = linkImages,
            OutputDirectory = dir,
        });

    private static string Render(ReportModel model)
    {
        var report = HtmlReport.RenderWithWarnings(model);
        foreach (var warning in report.Warnings.Take(20)) Cli.Error.WriteLine($"warning: {TerminalText.Clean(warning)}");
        if (report.Warnings.Count > 20) Cli.Error.WriteLine($"warning: ... and {report.Warnings.Count - 20} more image warnings (listed in the report)");
        return report.Html;
    }

    private static void Stage(string dir, string resultsJson, string reportHtml, IReadOnlyDictionary<string, Action<string>>? sideFiles)
    {
        using var folder = OutputFolder.Begin(dir, Files);
        Write(folder, "", resultsJson, reportHtml, sideFiles);
        folder.Commit();
    }

    /// <summary>Writes results.json, report.html and side files under <paramref name="subfolder"/> of a staged output folder.</summary>
    public static void Write(OutputFolder folder, string subfolder, string resultsJson, string reportHtml,
        IReadOnlyDictionary<string, Action<string>>? sideFiles = null)
    {
        folder.WriteText(Path.Combine(subfolder, "results.json"), resultsJson);
        folder.WriteText(Path.Combine(subfolder, "report.html"), reportHtml);
        foreach (var (name, write) in sideFiles ?? new Dictionary<string, Action<string>>())
            folder.Write(Path.Combine(subfolder, name), write);
    }
}
