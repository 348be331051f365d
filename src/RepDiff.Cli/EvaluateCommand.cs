using System.CommandLine;
using System.Text.Json;
using RepDiff;
using RepDiff.IO;
using RepDiff.Metrics;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>`repdiff evaluate RESULTS_JSON A B`: BSR (SILB, MNED, LSED) of any method's concept grids (METHODS §2).</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var results = new Argument<string>("RESULTS_JSON") { Description = "results.json written by any RepDiff method" };
        var a = new Argument<string>("A") { Description = "embeddings of model A (the same file the results were computed from)" };
        var b = new Argument<string>("B") { Description = "embeddings of model B" };
        var key = new Option<string?>("--key", "--column") { Description = "array inside .npz/.safetensors files, or float-list column of .parquet/.arrow/.feather tables (both inputs)" };
        var keyA = new Option<string?>("--key-a", "--column-a") { Description = "array or column of A (overrides --key/--column)" };
        var keyB = new Option<string?>("--key-b", "--column-b") { Description = "array or column of B (overrides --key/--column)" };
        var output = new Option<string?>("--out") { Description = "write the updated results here instead of rewriting RESULTS_JSON" };
        var command = new Command("evaluate", "Score the concept grids of a results.json with BSR and write the metrics into it.")
        {
            results, a, b, key, keyA, keyB, output,
        };
        command.SetAction(parse => Cli.Guard(() =>
        {
            string path = parse.GetValue(results)!;
            var explanation = Read(path);
            var pair = new PairSpec(parse.GetValue(a)!, parse.GetValue(b)!)
            {
                KeyA = parse.GetValue(keyA) ?? parse.GetValue(key),
                KeyB = parse.GetValue(keyB) ?? parse.GetValue(key),
            }.Load();
            if (explanation.N != pair.N)
                throw RepDiffInputException.ForFile(path, $"describes {explanation.N} samples but the representations have {pair.N} rows");
            Bsr.Evaluate(explanation, pair);
            if (!explanation.Metrics.ContainsKey("bsr"))
                throw RepDiffInputException.ForFile(path, "has no concept grids of a direction explaining A or B; nothing to score");
            string target = parse.GetValue(output) ?? path;
            // Keep the samples block (ids, labels, metadata) the method command wrote.
            var (_, samples) = ResultsFile.Read(path);
            AtomicFile.WriteAllText(target, samples is null ? explanation.ToJson() : SampleJson.AddTo(explanation.ToJson(), samples));
            Print(explanation);
            Console.WriteLine($"Wrote {target}");
            return 0;
        }));
        return command;
    }

    private static Explanation Read(string path)
    {
        if (!File.Exists(path)) throw RepDiffInputException.ForFile(path, "file not found");
        try
        {
            return Explanation.FromJson(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw RepDiffInputException.ForFile(path, $"is not a RepDiff results.json ({e.Message})");
        }
    }

    private static void Print(Explanation explanation)
    {
        var table = new Table().AddColumns("direction", "BSR (SILB)", "BSR (MNED)", "BSR (LSED)");
        table.Title = new TableTitle(Markup.Escape($"{explanation.Method}: BSR of the concept grids"));
        var silb = explanation.Metrics["bsr"]!.AsObject();
        foreach (var (name, value) in silb)
            table.AddRow(Markup.Escape(name), Format(value), Format(explanation.Metrics["bsr_mned"]?[name]), Format(explanation.Metrics["bsr_lsed"]?[name]));
        AnsiConsole.Write(table);
    }

    private static string Format(System.Text.Json.Nodes.JsonNode? value) => value is null ? "" : value.GetValue<double>().ToString("F4");
}
