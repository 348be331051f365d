using RepDiff.IO;
using RepDiff.Report;
using RepDiff.Reporting;

namespace RepDiff.Cli;

/// <summary>
/// Writes a command's results into its output folder: results.json, report.html, maps.npy (the map
/// coordinates) and the run's side files (e.g. omega_a.npy). Everything is rendered in memory first,
/// written into a staging folder beside the output folder and swapped into place as one step
/// (<see cref="OutputFolder"/>), so a failure or a stop leaves the folder as it was.
/// </summary>
internal static class Outputs
{
    /// <summary>The timings entry of rendering report.html.</summary>
    public const string RenderTiming = "report_html";

    /// <summary>The files every method command writes; checked before the run so that a bad --out fails first.</summary>
    public static readonly string[] Files = ["results.json", "report.html", "maps.npy"];

    /// <summary>Checks --out before any work: exit code 2 and one line for a path that cannot hold the results.</summary>
    public static void Check(string dir) => OutputFolder.Check(dir, Files);

    /// <param name="resultsJson">
    /// Produces results.json's text from the seconds rendering report.html took (called after the render, so the results can
    /// hold that time as <see cref="RenderTiming"/>: 1–2 s at 200,000 rows had been in no stage of timings).
    /// </param>
    /// <param name="staged">An output folder staged before the run (holding files the run made on the way), committed here; null: one is staged here.</param>
    public static void Write(string dir, ReportModel model, Func<double, string> resultsJson, IReadOnlyDictionary<string, Matrix> sideFiles, bool linkImages = false, OutputFolder? staged = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = HtmlReport.RenderWithWarnings(model, new RenderOptions { LinkImages = linkImages, OutputDirectory = dir, Thumbnailer = new RepDiff.Embedding.ImageThumbnailer() });
        double rendering = clock.Elapsed.TotalSeconds;
        foreach (var warning in report.Warnings.Take(20)) Cli.Warn(warning);
        if (report.Warnings.Count > 20) Cli.Warn($"... and {report.Warnings.Count - 20} more image warnings (listed in the report)");
        using var own = staged is null ? OutputFolder.Begin(dir, [.. Files, .. sideFiles.Keys]) : null;
        var folder = staged ?? own!;
        Stage(folder, "", resultsJson(rendering), report.Html, model, sideFiles);
        Commit(folder, dir);
    }

    /// <summary>
    /// Puts the staged results into place and, when the folder replaced held an earlier run's results.json, names the files of
    /// it that stay: the folder keeps whatever the run does not write (they may be the user's), so spec-align's w.npy and
    /// maps.npy had stayed beside a later finc's results without a word (helper 86). The folder replaced is the one the commit
    /// found in its turn: asked before it, a run that found --out missing kept a concurrent spec-align's w.npy, committed in
    /// the meantime, without a word.
    /// </summary>
    /// <param name="demoIndex">The demo's index file: it marks the folder as an earlier demo run's, whose pair folders this run
    /// does not write stay too and are named (they had stayed unsaid, unlinked from the new index; review 180, finding 9). Other
    /// commands' folders are not named: compare's embeddings/ is its own cache, reused.</param>
    public static void Commit(OutputFolder folder, string dir, string? demoIndex = null)
    {
        var committed = folder.Commit();
        var folders = demoIndex is null ? [] : committed.KeptFolders.Select(name => name + Path.DirectorySeparatorChar);
        var kept = committed.Kept.Concat(folders).Where(name => !name.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        // Said of the files as they may be, the user's own or an earlier run's: RepDiff cannot tell which wrote them (nor the
        // results.json replaced, which may be another tool's); "files of it" had called a user's notes.txt the earlier run's.
        string? found = demoIndex is not null && committed.Earlier.Contains(demoIndex) ? demoIndex
            : committed.Earlier.Contains("results.json") ? "results.json" : null;
        // Two runs into one --out: the later commit replaces the earlier's whole folder, and both had said "Wrote …".
        if (found is not null && committed.CameSinceBegin)
            Cli.Warn($"--out {dir}: another run wrote its results there while this one ran; this run's results replace them (give each run its own --out to keep both)");
        if (found is not null && kept.Count > 0)
            Cli.Warn($"--out {dir} held {found} before this run; these files in it stay, as this run writes none of that name: "
                + $"{string.Join(", ", kept)} (remove any that an earlier run wrote: a script would read them as this run's)");
        // The results are in place: what stayed behind is said, not an error (the run's own outputs are whole).
        if (committed.NotMovedBack is { Unread: { } why } unread)
            Cli.Warn($"--out {dir}: the results are in place, but the folder they replaced could not be read ({why}), so none of its files were moved "
                + $"back into --out; all of it stays in {unread.Folder} (a hidden folder beside --out), which the next run beside --out moves back if it can");
        else if (committed.NotMovedBack is { } left)
            Cli.Warn($"--out {dir}: the results are in place, but these entries of the folder they replaced could not be moved into it: "
                + $"{string.Join("; ", left.Entries)}; they stay in {left.Folder} (a hidden folder beside --out), which the next run beside --out moves back if it can");
        if (committed.RemovedBeforeMovedBack is { } removed)
            Cli.Warn($"--out {dir}: the results are in place, but the folder they replaced ({removed}) was removed by something else before "
                + "the files of it that this run does not write could be moved back into --out: they are gone with it");
    }

    /// <summary>Writes one result's files under <paramref name="subfolder"/> of a staged output folder (the demo stages several).</summary>
    public static void Stage(OutputFolder folder, string subfolder, string resultsJson, string reportHtml, ReportModel model, IReadOnlyDictionary<string, Matrix> sideFiles)
    {
        folder.WriteText(Path.Combine(subfolder, "results.json"), resultsJson);
        folder.WriteText(Path.Combine(subfolder, "report.html"), reportHtml);
        if (model.Maps is { } maps) folder.Write(Path.Combine(subfolder, "maps.npy"), path => Npy.Write(path, maps.ToMatrix()));
        foreach (var (name, values) in sideFiles) folder.Write(Path.Combine(subfolder, name), path => Npy.Write(path, values));
    }

    /// <summary>Tells the user what was written where: every file, maps.npy too when there are maps (finc has none).</summary>
    public static void Announce(string dir, ReportModel model, IEnumerable<string> sideFiles)
    {
        var files = new List<string> { "results.json", "report.html" };
        if (model.Maps is not null) files.Add("maps.npy");
        var paths = files.Concat(sideFiles).Select(f => Path.Combine(dir, f)).ToList();
        // --out is the user's own text: an escape sequence or a newline in it must not reach the terminal raw.
        Cli.Out.WriteLine(Terminal.Clean($"Wrote {string.Join(", ", paths[..^1])} and {paths[^1]}"));
    }
}
