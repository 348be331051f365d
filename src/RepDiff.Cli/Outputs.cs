using RepDiff;
using RepDiff.IO;
using RepDiff.Metrics;
using RepDiff.Report;

namespace RepDiff.Cli;

/// <summary>
/// Writes a command's results: DIR/results.json and DIR/report.html. Both are rendered in memory
/// first and then written atomically, so a failure leaves no half-written output.
/// </summary>
internal static class Outputs
{
    /// <summary>Output of a single-method command: results.json is that method's Explanation (BSR added).</summary>
    public static void WriteSingle(string dir, RepresentationPair pair, Explanation explanation, bool linkImages = false)
    {
        if (explanation.Metrics["bsr"] is null) Bsr.Evaluate(explanation, pair);
        Enrichment.Annotate(explanation, pair.Samples);
        var model = new ReportModel
        {
            Pair = pair,
            Explanations = [explanation],
            Context = pair.A.Cols > 0 && pair.B.Cols > 0 ? Comparison.ContextMetrics(pair) : new(),
            Title = $"RepDiff {explanation.Method}: {pair.NameA} vs {pair.NameB}",
            LinkImages = linkImages,
            OutputDirectory = dir,
        };
        Write(dir, model, SampleJson.AddTo(explanation.ToJson(), pair.Samples));
    }

    /// <summary>Output of `repdiff compare` (and each demo pair): the comparison document and its report.</summary>
    public static void WriteComparison(string dir, Comparison comparison, bool linkImages = false, string? title = null, string? intro = null)
    {
        var model = new ReportModel
        {
            Pair = comparison.Pair,
            Explanations = comparison.Explanations,
            Context = comparison.Context,
            Timings = comparison.Timings,
            Title = title ?? $"RepDiff: {comparison.Pair.NameA} vs {comparison.Pair.NameB}",
            Intro = intro,
            LinkImages = linkImages,
            OutputDirectory = dir,
        };
        Write(dir, model, comparison.ToJson());
    }

    private static void Write(string dir, ReportModel model, string resultsJson)
    {
        var report = HtmlReport.RenderWithWarnings(model);
        foreach (var warning in report.Warnings.Take(20)) Cli.Error.WriteLine($"warning: {warning}");
        if (report.Warnings.Count > 20) Cli.Error.WriteLine($"warning: ... and {report.Warnings.Count - 20} more image warnings (listed in the report)");
        AtomicFile.WriteAllText(Path.Combine(dir, "results.json"), resultsJson);
        AtomicFile.WriteAllText(Path.Combine(dir, "report.html"), report.Html);
    }
}
