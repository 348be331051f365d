using System.CommandLine;
using System.Text;
using RepDiff;
using RepDiff.IO;

namespace RepDiff.Cli;

/// <summary>
/// `repdiff export RESULTS --format csv|jsonl [--out FILE]`: every member of every concept of any
/// results.json (a single method's or compare's) as a table. Ids, labels, image files and metadata come from the
/// results.json's "samples" block; `--ids`, `--labels`, `--metadata` give them for older results or
/// replace them.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var results = new Argument<string>("RESULTS") { Description = "results.json of any method or of compare (metrics' has no concepts to export)" };
        var format = new Option<string?>("--format") { Description = "csv or jsonl (default: from --out's extension, else csv)" };
        var output = new Option<string?>("--out") { Description = "file to write (default, or -: standard output)" };
        var ids = new Option<string?>("--ids") { Description = "sample ids, one per line or a 1-D .npy (replaces the results' ids)" };
        var labels = new Option<string?>("--labels") { Description = "per-sample labels, as other commands take them (replaces the results' labels)" };
        var metadata = new Option<string?>("--metadata") { Description = "per-sample columns (.csv/.tsv/.parquet/.arrow), joined by id or matched by row (replaces the results' metadata)" };
        var texts = new Option<string?>("--texts") { Description = "the samples' texts, one per line or JSON Lines, as the run read them: adds a text column" };
        var textField = new Option<string?>("--text-field") { Description = SampleFiles.TextFieldHelp };
        var metadataId = new Option<string?>("--metadata-id-column") { Description = "the metadata column holding sample ids (default: 'id' when the samples have ids and the file has it)" };
        var command = new Command("export", "Write every concept's members (method, direction, rank, trust, row, id, label, score, image file, text, metadata) as CSV or JSON Lines.")
        {
            results, format, output, ids, labels, metadata, metadataId, texts, textField,
        };
        command.SetAction(parse => Cli.Guard(() =>
        {
            string path = parse.GetValue(results)!;
            // "-" is standard output, as for most Unix tools: it had written a file named "-" in the current folder (helper 99).
            string? outPath = parse.GetValue(output) is "-" ? null : parse.GetValue(output);
            string kind = (parse.GetValue(format) ?? (outPath is not null && Path.GetExtension(outPath).ToLowerInvariant() is ".jsonl" or ".ndjson" ? "jsonl" : "csv")).ToLowerInvariant();
            if (kind is not ("csv" or "jsonl")) throw new RepDiffInputException($"--format {kind}: expected csv or jsonl");
            if (outPath is not null)
            {
                OutputFolder.CheckNewFile(outPath);
                OutputFolder.RefuseInput(outPath, "--out", path, parse.GetValue(ids), parse.GetValue(labels), parse.GetValue(metadata), parse.GetValue(texts));
            }
            var file = ResultsFile.Read(path);
            ResultsWithoutConcepts.RefuseMetrics(file, path, "export writes the members of concepts (the measures are in the file itself)");
            var explanations = file.Explanations;
            var stored = file.Samples(path);
            // FINC numbers the members of its two directions in two sets (TEST and REF): one list of ids or labels would name
            // REF's rows with TEST's ids (test50 on row 50 of REF).
            if (explanations.Any(e => e.Directions.Any(d => d.Rows is not null)) && (parse.GetValue(ids) ?? parse.GetValue(labels) ?? parse.GetValue(metadata) ?? parse.GetValue(texts)) is not null)
                throw RepDiffInputException.ForFile(path, "holds FINC's modes, whose members are rows of two sets (TEST and REF, see each row's direction); "
                    + "--ids, --labels, --metadata and --texts describe one set of samples: export without them");
            if (parse.GetValue(textField) is not null && parse.GetValue(texts) is null)
                throw new RepDiffInputException("--text-field: names the JSON Lines field of --texts, which was not given");
            // A comparison may hold no explanations (every method failed, or a hand-written file): a header-only table.
            int n = explanations.Count == 0 ? 0 : explanations.Max(e => e.N);
            var samples = Samples(stored, n, parse.GetValue(ids), parse.GetValue(labels), parse.GetValue(metadata), parse.GetValue(metadataId), parse.GetValue(texts), parse.GetValue(textField));
            Action<TextWriter> write = kind == "csv"
                ? w => MemberExport.WriteCsv(w, explanations, samples)
                : w => MemberExport.WriteJsonLines(w, explanations, samples);
            if (outPath is null)
                write(Cli.Out);
            else
            {
                AtomicFile.Write(outPath, stream => { using var w = new StreamWriter(stream, new UTF8Encoding(false)); write(w); }, output: true);
                Cli.Error.WriteLine(Terminal.Clean($"Wrote {outPath}"));
            }
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// The texts in the samples' order, where the JSON Lines records name their samples by id: the same order as they are, else
    /// reordered by id; an id of the samples no record has is refused (the file describes other samples).
    /// </summary>
    private static string[] ByIds(string[] texts, string[] recordIds, string[] ids, string path)
    {
        if (recordIds.AsSpan().SequenceEqual(ids)) return texts;
        var textOf = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < recordIds.Length; i++) textOf[recordIds[i]] = texts[i];
        return ids.Select(id => textOf.TryGetValue(id, out var text) ? text
            : throw RepDiffInputException.ForFile(path, $"has no record with id '{NpyDtype.Truncate(id)}', a sample of the results: its records describe other samples")).ToArray();
    }

    /// <summary>
    /// A file of one entry per row of A given to a run that kept only the samples B held too: the results name those by id,
    /// not by A's row, so its lines cannot be matched to them. Any other wrong count: what to give ("has 2 texts but the
    /// results describe 600 samples" had said what is wrong, not what to give).
    /// </summary>
    private static string KeptNote(SampleInfo? stored, int count, int n) =>
        stored?.LeftOut is { } leftOut && count == n + leftOut.CountA
            ? $" (one per row of A, but the run kept only the {n:N0} that B holds too, --common-samples, which the results name by id, not by A's row: give one entry per kept sample, in the results' order, or texts as JSON Lines with ids)"
            : "; give the file the run was given, one entry per sample in the order of its rows";

    /// <summary>A side file whose count is not the results' samples (named with its option by <see cref="GivenWith"/>).</summary>
    private static RepDiffInputException CountMismatch(string path, int count, string what, SampleInfo? stored, int n) =>
        RepDiffInputException.ForFile(path, $"has {count:N0} {what} but the results describe {n:N0} samples{KeptNote(stored, count, n)}");

    /// <summary>The side file a flag gave, read and counted against the results' samples, or the results' own (null path).</summary>
    private static T? GivenWith<T>(string flag, string? path, T? stored, Func<string, T> read) where T : class =>
        path is null ? stored : RepDiffInputException.GivenWith(flag, path, () => read(path));

    /// <summary>The results' own samples block, with whatever the flags give in its place.</summary>
    private static SampleInfo Samples(SampleInfo? stored, int n, string? idsPath, string? labelsPath, string? metadataPath, string? metadataId,
        string? textsPath, string? textField)
    {
        var ids = GivenWith("--ids", idsPath, stored?.Ids, path => SampleFiles.LoadIds(path) is var read && read.Length != n
            ? throw CountMismatch(path, read.Length, "ids", stored, n) : read);
        var labels = GivenWith("--labels", labelsPath, stored?.Labels, path => SampleFiles.LoadLabels(path) is var read && read.Codes.Length != n
            ? throw CountMismatch(path, read.Codes.Length, "labels", stored, n) : read);
        var metadata = GivenWith("--metadata", metadataPath, stored?.Metadata, path => MetadataFile.Load(path, n, ids, metadataId, ["id"]));
        // results.json keeps no texts (they can be large): the text column comes from the file the run read.
        var texts = GivenWith("--texts", textsPath, null, path =>
        {
            var (read, _, recordIds) = SampleFiles.LoadNumberedTexts(path, textField, readIds: true);
            if (read.Length != n) throw SampleFiles.OnePageOfTexts(path, read, n) ?? CountMismatch(path, read.Length, "texts", stored, n);
            return ids is not null && recordIds is not null ? ByIds(read, recordIds, ids, path) : read;
        });
        // The image files' names are the run's own (no flag gives them): the --images folder or manifest it read.
        return new SampleInfo { Ids = ids, Labels = labels, Files = stored?.Files, Metadata = metadata, Texts = texts };
    }
}
