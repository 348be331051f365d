using RepDiff.IO;
using RepDiff.Report;
using RepDiff.Reporting;

namespace RepDiff.Cli;

/// <summary>
/// Writes a command's results into its output folder: results.json, report.html, maps.npy (the map
/// coordinates) and the run's side files (e.g. omega_a.npy). Everything is rendered in memory first and
/// each file is written atomically, so a failure leaves no half-written file.
/// </summary>
internal static class Outputs
{
    /// <param name="resultsJson">Produces results.json's text (called after the report is rendered, so it can hold render timings).</param>
    public static void Write(string dir, ReportModel model, Func<string> resultsJson, IReadOnlyDictionary<string, Matrix> sideFiles, bool linkImages = false)
    {
        var report = HtmlReport.RenderWithWarnings(model, new RenderOptions { LinkImages = linkImages, OutputDirectory = dir });
        foreach (var warning in report.Warnings.Take(20)) Cli.Error.WriteLine($"warning: {Terminal.Clean(warning)}");
        if (report.Warnings.Count > 20) Cli.Error.WriteLine($"warning: ... and {report.Warnings.Count - 20} more image warnings (listed in the report)");
        AtomicFile.WriteAllText(Path.Combine(dir, "results.json"), resultsJson());
        AtomicFile.WriteAllText(Path.Combine(dir, "report.html"), report.Html);
        if (model.Maps is { } maps) Npy.Write(Path.Combine(dir, "maps.npy"), maps.ToMatrix());
        foreach (var (name, values) in sideFiles) Npy.Write(Path.Combine(dir, name), values);
    }

    /// <summary>Tells the user what was written where.</summary>
    public static void Announce(string dir, IEnumerable<string> sideFiles)
    {
        var extra = sideFiles.ToList();
        Cli.Out.WriteLine($"Wrote {Path.Combine(dir, "results.json")} and {Path.Combine(dir, "report.html")}"
            + (extra.Count == 0 ? "" : $", and {string.Join(", ", extra)} beside them"));
    }
}
