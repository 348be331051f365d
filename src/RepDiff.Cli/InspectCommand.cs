using System.CommandLine;
using System.Text.Json.Nodes;
using RepDiff.IO;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>`repdiff inspect FILE`: what is in an embedding file, before running anything on it.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = $"embedding file ({Embeddings.Formats}), or an .onnx model or a built-in one (resnet18, minilm-l6, arctic-embed-xs): its inputs and outputs" };
        var key = new Option<string?>("--key", "--column") { Description = $"{Embeddings.KeyHelp} (without it, an .npz, .safetensors, .pt, HDF5, Parquet or Arrow file of several lists them all, unless it holds one vector per sample, read as its rows; a JSON Lines file of several vector fields is refused, naming them)" };
        var idColumn = new Option<string?>("--id-column") { Description = $"CSV/TSV/Parquet/Arrow column or JSON Lines field holding sample ids (not counted as a dimension; a table's column and JSON Lines records' field named 'id' and the 'ids' kept beside the embeddings in {Embeddings.KeepingIdsList} files are read without it)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object (file, format (as read: by its content where its extension names another format or none), shape, dtype, mean, mean_row_norm, nan, inf, inf_includes_beyond_float32, and vectors and ids: where a JSON Lines file holds its vectors and where a file's own ids come from; for a model: file, producer, ir_version, opset, nodes, inputs, outputs, and layers with --layers) instead of a table" };
        var layers = new Option<bool>("--layers") { Description = "for a model: also list every intermediate tensor its nodes compute, in the graph's order: the names `embed` takes as a layer" };
        var command = new Command("inspect", "Show an embedding file's shape and statistics or a model's inputs and outputs.") { file, key, idColumn, json, layers };
        command.SetAction(parse => Cli.Guard(() =>
        {
            string path = parse.GetValue(file)!;
            bool model = (RepDiff.Embedding.BuiltInModels.IsBuiltIn(path) && !File.Exists(path)) || Path.GetExtension(path).Equals(".onnx", StringComparison.OrdinalIgnoreCase);
            if (model && (parse.GetValue(key) ?? parse.GetValue(idColumn)) is not null)
                throw new RepDiffInputException($"{(parse.GetValue(key) is not null ? "--key/--column" : "--id-column")}: picks from an embedding file; {Path.GetFileName(path)} is a model (--layers lists its tensors)");
            if (RepDiff.Embedding.BuiltInModels.IsBuiltIn(path) && !File.Exists(path))
            {
                var builtIn = RepDiff.Embedding.BuiltInModels.Resolve(path, Cli.Error);
                return InspectModel(builtIn.Model!, parse.GetValue(json), parse.GetValue(layers), builtIn);
            }
            if (Path.GetExtension(path).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
                return InspectModel(path, parse.GetValue(json), parse.GetValue(layers));
            if (parse.GetValue(layers))
                throw new RepDiffInputException(File.Exists(path)
                    ? $"--layers: lists the tensors of a model (.onnx or {string.Join(", ", RepDiff.Embedding.BuiltInModels.Names)}); {Path.GetFileName(path)} is an embedding file"
                    : $"{path}: not a file, nor a built-in model ({string.Join(", ", RepDiff.Embedding.BuiltInModels.Names)})");
            // An extension that names another format than the content: said once, whichever way the file is listed.
            // Its format is read once, here, and handed to the archive, the checks and the reader.
            var input = EmbeddingInput.Of(path);
            string? format = input.FormatShown;
            if (input.Warning is not null) Cli.Warn(input.Warning);
            // With --id-column, one column is meant: the file is read as one (a table of several float lists refuses, naming them).
            FileStats? stats = null;
            if (parse.GetValue(key) is null && parse.GetValue(idColumn) is null && ArrayArchive.Open(input) is { } archive)
                using (archive)
                {
                    bool vectors = archive.HoldsVectorPerSample;
                    if (!vectors && archive.ChoiceCount > 1) return InspectArrays(archive, format, parse.GetValue(json));
                    if (!vectors && archive.ChoiceCount == 0 && archive.ColumnTypes is { } columns) return InspectTableColumns(archive, format, columns, parse.GetValue(json));
                    // Its one array, or its vectors of one sample each (their headers read once), is read from the archive already
                    // open: an .h5 had been opened again for it, a second archive on the same file.
                    using var rows = archive.OpenRows(null, checkFinite: false);
                    stats = FileStats.Compute(rows);
                }
            // The format read is said however the file is shown (a file of one vector per sample had not said it).
            stats = (stats ?? FileStats.Compute(input, parse.GetValue(key), parse.GetValue(idColumn))) with { Format = format };
            if (parse.GetValue(json))
                Cli.Out.WriteLine(stats.ToJsonObject().ToJsonString());
            else
                Terminal.Write(stats.File, stats.ToTable());
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// A file of several arrays (an .npz, a safetensors state dict) without --key, or a table of several float-list columns
    /// without --column: every array's statistics, one row each, where the methods would refuse to guess; an array that is
    /// no embedding (a 4-D convolution weight, a table's id column, a column of ragged lists) says why.
    /// </summary>
    private static int InspectArrays(ArrayArchive archive, string? format, bool json)
    {
        var (path, keys) = (archive.Path, archive.Keys);
        // Each listed array is opened and read: a file of 60,000 keys (one tensor shared by all) listed for minutes, while a
        // person reads a few hundred rows at most; the rest are counted and reachable by --key.
        int unlisted = Math.Max(0, keys.Count - MaxListed);
        var rows = keys.Take(MaxListed).Select(k =>
        {
            try
            {
                using var array = archive.OpenRows(k, checkFinite: false);
                return (Key: k, Stats: FileStats.Compute(array), Problem: (string?)null);
            }
            catch (RepDiffInputException e)
            {
                // The row names the array, the title the file: "a.safetensors[conv]: expected a 2-D array…" shows from "expected".
                // Among a state dict's tensors a 3-D one is more often a convolution weight than unpooled tokens, so the
                // advice (for an array a user gives as an input) is left out of a listing.
                bool aboutThisArray = e.FileName == archive.NameOf(k) || e.FileName == path;
                return (Key: k, Stats: (FileStats?)null, Problem: aboutThisArray ? e.FileProblem : e.Message);
            }
        }).ToList();
        if (json)
        {
            var arrays = new JsonArray(rows.Select(r =>
            {
                var entry = r.Stats?.ToJsonObject() ?? new JsonObject { ["problem"] = r.Problem };
                entry.Remove("file");
                entry.Insert(0, "key", r.Key);
                return (JsonNode)entry;
            }).ToArray());
            var document = new JsonObject { ["file"] = path, ["format"] = format, ["arrays"] = arrays };
            if (unlisted > 0) document["arrays_not_listed"] = unlisted;
            Cli.Out.WriteLine(document.ToJsonString());
            return 0;
        }
        var table = new Table().AddColumns(archive.KeyFlag.TrimStart('-'), "shape", "dtype", "mean", "mean row norm", "NaN", "Inf");
        foreach (var (k, stats, problem) in rows)
            if (stats is null) table.AddRow(Markup.Escape(Terminal.Clean(k)), "", "", Markup.Escape(Terminal.Clean(problem!)), "", "", "");
            else table.AddRow(Markup.Escape(Terminal.Clean(k)), $"({string.Join(", ", stats.Shape)})", stats.Dtype, FileStats.Figure(stats.Mean), FileStats.Figure(stats.MeanRowNorm), stats.Nan.ToString(), stats.Inf.ToString());
        string listed = unlisted > 0 ? $"; the first {MaxListed:N0} listed, {unlisted:N0} more not" : "";
        Terminal.Write($"{path}{Shown(format)}: {keys.Count:N0} {archive.KeysAre}{listed} (give {archive.KeyFlag} NAME to inspect one, and to use it as an input)", table);
        return 0;
    }

    /// <summary>
    /// A table with no float-list column (a wide table of one float column per dimension, a table of token matrices):
    /// its columns with what each holds, then what the methods read from it without --column (the statistics of the
    /// float columns read as one dimension each) or why they refuse it, and how to choose.
    /// </summary>
    private static int InspectTableColumns(ArrayArchive archive, string? format, IReadOnlyList<(string Name, string Holds)> columns, bool json)
    {
        FileStats? stats = null;
        string? problem = null;
        try
        {
            using var rows = archive.OpenRows(null, checkFinite: false);
            stats = FileStats.Compute(rows);
        }
        catch (RepDiffInputException e) { problem = e.FileProblem ?? e.Message; }
        string reads = stats is not null
            ? $"without --column, its {stats.Shape[^1]:N0} float columns are read as one dimension each (text columns, the id column and pandas' index are not); give --column 'PREFIX*' to read only the float columns whose names match"
            : $"without --column it is refused: {problem}";
        if (json)
        {
            var document = new JsonObject
            {
                ["file"] = archive.Path,
                ["format"] = format,
                ["columns"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["holds"] = c.Holds }).ToArray()),
                ["reads"] = reads,
            };
            if (stats is not null) document["embedding"] = stats.ToJsonObject();
            Cli.Out.WriteLine(document.ToJsonString());
            return 0;
        }
        var table = new Table().AddColumns("column", "holds");
        foreach (var (name, holds) in columns.Take(MaxListed)) table.AddRow(Markup.Escape(Terminal.Clean(name)), Markup.Escape(holds));
        string listed = columns.Count > MaxListed ? $"; the first {MaxListed:N0} listed" : "";
        Terminal.Write($"{archive.Path}{Shown(format)}: {columns.Count:N0} columns, none a list of floats{listed}", table);
        if (stats is not null) Terminal.Write(stats.File, stats.ToTable());
        Cli.Out.WriteLine(reads);
        return 0;
    }

    /// <summary>The format a listing's file was read as, after its name in the title: "features (.npz): 2 arrays".</summary>
    private static string Shown(string? format) => format is null ? "" : $" ({format})";

    /// <summary>Most arrays `inspect` lists from one file.</summary>
    internal const int MaxListed = 1000;

    /// <summary>An ONNX model: its inputs and outputs with element types and shapes (what `embed` needs to know).</summary>
    /// <param name="builtIn">a built-in model's description: its name heads the table (two of them are a "model.onnx"), and a line
    /// says which output `embed` takes and how (minilm-l6's graph has two outputs and arctic-embed-xs's one per token; helper 141)</param>
    private static int InspectModel(string path, bool json, bool layers, RepDiff.Embedding.ModelDescription? builtIn = null)
    {
        var info = RepDiff.Embedding.OnnxModelInfo.Read(path, layers);
        if (json)
        {
            Cli.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(info, RepDiff.Embedding.OnnxModelInfoJson.Default.OnnxModelInfo));
            return 0;
        }
        var table = new Table().AddColumns("", "name", "type", "shape");
        foreach (var (kind, list) in new[] { ("input", info.Inputs), ("output", info.Outputs) })
            foreach (var t in list)
                table.AddRow(kind, Markup.Escape(t.Name), t.ElementType, Markup.Escape("[" + string.Join(", ", t.Shape) + "]"));
        string named = builtIn is null ? Path.GetFileName(path) : $"{builtIn.Name} ({Path.GetFileName(path)})";
        Terminal.Write($"{named}: {info.Producer}, IR {info.IrVersion}, opset {info.Opset}, {info.Nodes} nodes", table);
        if (builtIn is not null)
            Cli.Out.WriteLine($"{builtIn.Name} embeds {builtIn.Output}, pooled by {builtIn.Pooling}{(builtIn.Normalize == true ? ", scaled to unit length" : "")} (docs/embedding.md, built-in models)");
        if (info.Layers is { } found)
        {
            var layerTable = new Table().AddColumns("layer (give it to embed --layer)", "op", "type", "shape");
            foreach (var l in found) layerTable.AddRow(Markup.Escape(l.Name), Markup.Escape(l.Op), l.ElementType, Markup.Escape("[" + string.Join(", ", l.Shape) + "]"));
            Terminal.Write($"{found.Count} tensors its nodes compute (shapes as the graph records them; \"?\" where it does not)", layerTable);
        }
        return 0;
    }
}
