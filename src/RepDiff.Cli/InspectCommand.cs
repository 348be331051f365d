using System.CommandLine;
using RepDiff.IO;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>`repdiff inspect FILE`: what is in an embedding file, before running anything on it.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = $"embedding file ({Embeddings.Formats})" };
        var key = new Option<string?>("--key", "--column") { Description = "array inside an .npz or .safetensors file, or float-list column of a .parquet/.arrow/.feather table (needed when it holds several)" };
        var idColumn = new Option<string?>("--id-column") { Description = "CSV/TSV/Parquet/Arrow column holding sample ids (not counted as a dimension)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object (shape, dtype, mean, mean_row_norm, nan, inf) instead of a table" };
        var command = new Command("inspect", "Show shape, dtype, mean, mean row norm and NaN/Inf counts of an embedding file.") { file, key, idColumn, json };
        command.SetAction(parse => Cli.Guard(() =>
        {
            var stats = FileStats.Compute(parse.GetValue(file)!, parse.GetValue(key), parse.GetValue(idColumn));
            if (parse.GetValue(json))
                Cli.Out.WriteLine(stats.ToJsonObject().ToJsonString());
            else
                Terminal.Write(stats.ToTable());
            return 0;
        }));
        return command;
    }
}
