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
        var pairOptions = new PairOptions();
        var defaults = new ContextMetricsOptions();
        var neighbours = new Option<int>("--neighbours") { Description = "k of mutual k-NN alignment", DefaultValueFactory = _ => defaults.Neighbours };
        var knnMax = new Option<int>("--knn-max-samples") { Description = "mutual k-NN on a seeded random subset above this many samples", DefaultValueFactory = _ => defaults.KnnMaxSamples };
        var rbfMax = new Option<int>("--rbf-max-samples") { Description = $"RBF CKA on a seeded random subset above this many samples (at most {Cka.MaxRbfSamples})", DefaultValueFactory = _ => defaults.RbfMaxSamples };
        var probeMax = new Option<int>("--probe-max-samples") { Description = "linear probes on a seeded random subset above this many samples", DefaultValueFactory = _ => defaults.ProbeMaxSamples };
        var folds = new Option<int>("--folds") { Description = "cross-validation folds of the linear probes (with --labels)", DefaultValueFactory = _ => defaults.Folds };
        var command = new Command("metrics", "Similarity of A and B for context: linear, debiased and RBF CKA, mutual k-NN, and linear probes when labels are given.");
        pairOptions.AddTo(command);
        foreach (var option in new Option[] { neighbours, knnMax, rbfMax, probeMax, folds }) command.Options.Add(option);
        command.SetAction(parse => Cli.Guard(() =>
        {
            string dir = parse.GetValue(pairOptions.Out)!;
            OutputFolder.Check(dir, "results.json");
            var pair = pairOptions.Spec(parse).Load();
            var rescaled = MethodRunner.FitValueRange(pair);
            var options = new ContextMetricsOptions
            {
                Neighbours = parse.GetValue(neighbours), KnnMaxSamples = parse.GetValue(knnMax),
                RbfMaxSamples = parse.GetValue(rbfMax), ProbeMaxSamples = parse.GetValue(probeMax), Folds = parse.GetValue(folds),
            };
            var result = ProgressDisplay.Run(progress => ContextMetrics.Compute(pair, options, parse.GetValue(pairOptions.Seed), progress));
            MethodRunner.NoteRescaling(result, rescaled);
            string path = Path.Combine(dir, "results.json");
            using (var folder = OutputFolder.Begin(dir, "results.json"))
            {
                folder.WriteText("results.json", result.ToJson());
                folder.Commit();
            }
            Cli.Terminal.Write(Table(pair, result));
            Cli.Out.WriteLine($"Wrote {path}");
            return 0;
        }));
        return command;
    }

    private static Table Table(RepresentationPair pair, Explanation result)
    {
        var table = new Table().AddColumns("measure", "value", "note");
        table.Title = new TableTitle(TerminalText.Markup($"{pair.NameA} (A) vs {pair.NameB} (B), n = {pair.N}"));
        var m = result.Metrics;
        string Value(string key) => m[key] is { } v ? v.GetValue<double>().ToString("F4", CultureInfo.InvariantCulture) : "n/a";
        string Count(string key) => m[key]!.GetValue<int>().ToString("N0", CultureInfo.InvariantCulture);
        table.AddRow("linear CKA", Value("linear_cka"), "all samples");
        table.AddRow("debiased linear CKA", Value("debiased_linear_cka"), "all samples");
        table.AddRow("RBF CKA", Value("rbf_cka"), $"median bandwidth, {Count("rbf_cka_samples")} samples");
        table.AddRow($"mutual k-NN (k = {m["mutual_knn_k"]})", Value("mutual_knn"), $"{Count("mutual_knn_samples")} samples");
        if (m.ContainsKey("probe_accuracy_a"))
        {
            string chance = $"{Count("probe_samples")} samples, majority class {Value("probe_majority_rate")}";
            table.AddRow("linear probe accuracy, A", Value("probe_accuracy_a"), TerminalText.Markup($"{result.Parameters["folds"]}-fold, {chance}"));
            table.AddRow("linear probe accuracy, B", Value("probe_accuracy_b"), TerminalText.Markup($"{result.Parameters["folds"]}-fold, {chance}"));
            table.AddRow("probe agreement", Value("probe_agreement"), "same out-of-fold prediction");
        }
        return table;
    }
}
