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
        var key = new Option<string?>("--key") { Description = "array name inside .npz/.safetensors files (both inputs)" };
        var keyA = new Option<string?>("--key-a") { Description = "array name inside A (overrides --key)" };
        var keyB = new Option<string?>("--key-b") { Description = "array name inside B (overrides --key)" };
        var output = new Option<string?>("--out") { Description = "write the updated results here instead of rewriting RESULTS_JSON" };
        var command = new Command("evaluate", "Score the concept grids of a results.json with BSR and write the metrics into it.")
        {
            results, a, b, key, keyA, keyB, output,
        };
        command.SetAction(parse => Cli.Guard(() =>
        {
            string path = parse.GetValue(results)!;
            if (parse.GetValue(output) is { } outPath) OutputFolder.CheckTarget(outPath);
            var explanation = Read(path);
            var pair = new PairSpec(parse.GetValue(a)!, parse.GetValue(b)!)
            {
                KeyA = parse.GetValue(keyA) ?? parse.GetValue(key),
                KeyB = parse.GetValue(keyB) ?? parse.GetValue(key),
            }.Load();
            MethodRunner.FitValueRange(pair);
            if (explanation.N != pair.N)
                throw RepDiffInputException.ForFile(path, $"describes {explanation.N} samples but the representations have {pair.N} rows");
            Bsr.Evaluate(explanation, pair);
            if (!explanation.Metrics.ContainsKey("bsr"))
                throw RepDiffInputException.ForFile(path, "has no concept grids of a direction explaining A or B; nothing to score");
            string target = parse.GetValue(output) ?? path;
            AtomicFile.WriteAllText(target, explanation.ToJson());
            Print(explanation);
            Cli.Out.WriteLine($"Wrote {target}");
            return 0;
        }));
        return command;
    }

    /// <summary>Largest results.json read: its grids and members are a few numbers per sample.</summary>
    private const long MaxResultsBytes = 1L << 30;

    private static Explanation Read(string path)
    {
        string text = InputFile.ReadAllText(path, MaxResultsBytes, "a results.json");
        Explanation explanation;
        try
        {
            explanation = Explanation.FromJson(text);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw RepDiffInputException.ForFile(path, $"is not a RepDiff results.json ({e.Message})");
        }
        CheckIndices(explanation, path);
        return explanation;
    }

    /// <summary>Every member and grid index must be a row of the inputs: a hand-edited or corrupted file is an input error.</summary>
    private static void CheckIndices(Explanation explanation, string path)
    {
        if (explanation.N <= 0) throw RepDiffInputException.ForFile(path, $"gives n = {explanation.N}; it must be the number of samples");
        if (explanation.Directions is null) throw RepDiffInputException.ForFile(path, "has no directions");
        foreach (var direction in explanation.Directions)
        {
            if (direction?.Concepts is null) throw RepDiffInputException.ForFile(path, "has a direction without concepts");
            foreach (var concept in direction.Concepts)
            {
                if (concept?.Grid is null || concept.Members is null)
                    throw RepDiffInputException.ForFile(path, $"direction '{NpyDtype.Truncate(direction.Name ?? "")}' has a concept without members or grid");
                foreach (int i in concept.Grid.Concat(concept.Members))
                    if (i < 0 || i >= explanation.N)
                        throw RepDiffInputException.ForFile(path, $"direction '{NpyDtype.Truncate(direction.Name ?? "")}' names sample {i}, outside 0..{explanation.N - 1}");
            }
        }
    }

    private static void Print(Explanation explanation)
    {
        var table = new Table().AddColumns("direction", "BSR (SILB)", "BSR (MNED)", "BSR (LSED)");
        table.Title = new TableTitle(TerminalText.Markup($"{explanation.Method}: BSR of the concept grids"));
        var silb = explanation.Metrics["bsr"]!.AsObject();
        foreach (var (name, value) in silb)
            table.AddRow(TerminalText.Markup(name), Format(value), Format(explanation.Metrics["bsr_mned"]?[name]), Format(explanation.Metrics["bsr_lsed"]?[name]));
        Cli.Terminal.Write(table);
    }

    private static string Format(System.Text.Json.Nodes.JsonNode? value) => value is null ? "" : value.GetValue<double>().ToString("F4");
}
