using System.CommandLine;
using System.Globalization;
using RepDiff.IO;
using RepDiff.Metrics;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>`repdiff metrics A B [--labels L]`: CKA, mutual k-NN and linear probes, as a table and DIR/results.json.</summary>
internal static class MetricsCommand
{
    public static Command Create()
    {
        var pairOptions = new PairInputOptions();
        var command = new Command("metrics", "Similarity of A and B for context: linear, debiased and RBF CKA, mutual k-NN, and linear probes when labels are given.");
        // No report: images, texts and metadata would be read, checked and then ignored, so metrics does not take them.
        pairOptions.AddTo(command, reportInputs: false);
        pairOptions.Out.Description = "output directory for results.json";  // metrics writes no report
        var binder = new OptionBinder(typeof(ContextMetricsOptions), command);
        command.SetAction(parse => Cli.Guard(() =>
        {
            var options = binder.Bind(parse, new ContextMetricsOptions());
            string dir = parse.GetValue(pairOptions.Out)!;
            OutputFolder.Check(dir, "results.json");
            var spec = pairOptions.Spec(parse);
            using var opened = spec.Open();
            PairInputOptions.SayWhatWasLeftOut(opened);
            var pair = MethodCommand.FitValueRange(opened, options);
            var (result, origin) = ProgressDisplay.Run(progress =>
            {
                var result = ContextMetrics.Compute(pair, options, progress);
                var (origin, hashing) = MethodCommand.Origin(spec.InputFiles(), progress);
                result.Timings[MethodCommand.HashTiming] = hashing;
                return (result, origin);
            });
            string? misaligned = Comparison.RowsMayNotMatch(result.Metrics, pair);
            if (misaligned is not null) Cli.Warn(misaligned);
            string path = Path.Combine(dir, "results.json");
            using (var folder = OutputFolder.Begin(dir, "results.json"))
            {
                folder.WriteText("results.json", Document(result, origin, pair.Samples, misaligned));
                Outputs.Commit(folder, dir);
            }
            Terminal.Write($"{pair.NameA} (A) vs {pair.NameB} (B), n = {pair.N}", Table(result));
            Cli.Out.WriteLine(Terminal.Clean($"Wrote {path}"));
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// The measures' document with the run's command and fingerprints, and what --common-samples left out, as the method
    /// commands record it (`samples.left_out`): metrics writes no other part of the samples block.
    /// </summary>
    private static string Document(Explanation result, RunOrigin origin, SampleInfo samples, string? randomPairing)
    {
        var document = result.ToJsonNode();
        origin.WriteTo(document);
        ResultsFile.PutWarnings(document, samples.InputWarnings.Append(randomPairing).OfType<string>().ToList());
        if (samples.LeftOut is { } leftOut) document["samples"] = new System.Text.Json.Nodes.JsonObject { ["left_out"] = leftOut.ToJson() };
        return ResultsJsonLayout.Text(document);
    }

    private static Table Table(Explanation result)
    {
        var table = new Table().AddColumns("measure", "value", "note");
        var m = result.Metrics;
        string Value(string key) => m[key] is { } v ? v.GetValue<double>().ToString("F4", CultureInfo.InvariantCulture) : "undefined";
        string Count(string key) => m[key]!.GetValue<int>().ToString("N0", CultureInfo.InvariantCulture);
        // An undefined score's note says why in place of how it was measured.
        string Note(string key, string measured) => Markup.Escape(Terminal.Clean(m[ContextMetrics.NoteKey(key)]?.GetValue<string>() ?? measured));
        table.AddRow("linear CKA", Value("linear_cka"), Note("linear_cka", "all samples"));
        table.AddRow("debiased linear CKA", Value("debiased_linear_cka"), Note("debiased_linear_cka", "all samples"));
        table.AddRow("RBF CKA", Value("rbf_cka"), Note("rbf_cka", $"median bandwidth, {Count("rbf_cka_samples")} samples"));
        // Beside its chance level, the overlap random neighbours would share, as the report gives it.
        int k = m["mutual_knn_k"]!.GetValue<int>(), knnSamples = m["mutual_knn_samples"]!.GetValue<int>();
        table.AddRow($"mutual k-NN (k = {k})", Value("mutual_knn"),
            Note("mutual_knn", string.Create(CultureInfo.InvariantCulture, $"{knnSamples:N0} samples; random neighbours {MutualKnn.Chance(k, knnSamples):F4}")));
        if (m.ContainsKey("probe_accuracy_a"))
        {
            string chance = $"{Count("probe_samples")} samples, majority class {Value("probe_majority_rate")}";
            table.AddRow("linear probe accuracy, A", Value("probe_accuracy_a"), Markup.Escape($"{result.Parameters["folds"]}-fold, {chance}"));
            table.AddRow("linear probe accuracy, B", Value("probe_accuracy_b"), Markup.Escape($"{result.Parameters["folds"]}-fold, {chance}"));
            table.AddRow("probe agreement", Value("probe_agreement"), "same out-of-fold prediction");
        }
        return table;
    }
}
