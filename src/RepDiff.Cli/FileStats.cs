using System.Text.Json.Nodes;
using RepDiff.IO;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>The numbers `repdiff inspect` shows about one embedding file.</summary>
internal sealed record FileStats(string File, long[] Shape, string Dtype, double Mean, double MeanRowNorm, long Nan, long Inf)
{
    /// <summary>Whether values beyond float32's range count among <see cref="Inf"/> (<see cref="RowFile.MayExceedFloat32"/>).</summary>
    public bool InfIncludesBeyondFloat32 { get; init; }

    /// <summary>Where the vectors were found, for formats with fields to choose from (JSON Lines: "field 'embedding'").</summary>
    public string? VectorsFrom { get; init; }

    /// <summary>Where the file's own ids were found ("field 'id'", "array 'ids'"), and how many; null when it carries none.</summary>
    public string? IdsFrom { get; init; }

    /// <summary>The format the file was read as (".npz"), by its content where that decides; null for one array of a file of several.</summary>
    public string? Format { get; init; }

    /// <summary>Streams the file in row batches, so files larger than memory can be inspected.</summary>
    public static FileStats Compute(EmbeddingInput input, string? key, string? idColumn = null)
    {
        Embeddings.CheckKey("--key", key, [input]);
        Embeddings.CheckIdColumn(idColumn, [input], alsoMetadata: false);
        using var file = Embeddings.Open(input, key, idColumn, validate: false);
        var stats = Compute(file);
        // The column the ids came from, where "the file" had named none of a table's columns.
        return idColumn is not null && file.Ids is not null && file.IdsFrom is null ? stats with { IdsFrom = $"column '{idColumn}'" } : stats;
    }

    /// <summary>The statistics of rows already open (one array of a file of several).</summary>
    public static FileStats Compute(RowFile file)
    {
        int batch = Math.Max(1, (1 << 20) / Math.Max(1, file.Cols));
        var buffer = new float[(long)Math.Min(batch, Math.Max(1, file.Rows)) * file.Cols];
        double sum = 0, normSum = 0;
        long nan = 0, inf = 0, finite = 0;
        for (int first = 0; first < file.Rows; first += batch)
        {
            int count = Math.Min(batch, file.Rows - first);
            file.ReadRows(first, count, buffer);
            for (int i = 0; i < count; i++)
            {
                double sq = 0;
                foreach (float v in buffer.AsSpan(i * file.Cols, file.Cols))
                {
                    if (float.IsNaN(v)) { nan++; continue; }
                    if (float.IsInfinity(v)) { inf++; continue; }
                    sum += v;
                    sq += (double)v * v;
                    finite++;
                }
                normSum += Math.Sqrt(sq);
            }
        }
        return new FileStats(file.Name, file.Shape, file.Dtype, finite == 0 ? double.NaN : sum / finite,
            file.Rows == 0 || finite == 0 ? double.NaN : normSum / file.Rows, nan, inf)
        {
            VectorsFrom = file.VectorsFrom,
            InfIncludesBeyondFloat32 = file.MayExceedFloat32,
            IdsFrom = file.Ids is null ? null : file.IdsFrom ?? "the file",
        };
    }

    public JsonObject ToJsonObject()
    {
        var json = new JsonObject
        {
            ["file"] = File,
            ["shape"] = new JsonArray(Shape.Select(s => (JsonNode)s).ToArray()),
            ["dtype"] = Dtype,
            ["mean"] = double.IsFinite(Mean) ? Mean : null,
            ["mean_row_norm"] = double.IsFinite(MeanRowNorm) ? MeanRowNorm : null,
            ["nan"] = Nan,
            ["inf"] = Inf,
            // As the table's row says: a float64 or a number written as text beyond float32's range counts among inf.
            ["inf_includes_beyond_float32"] = InfIncludesBeyondFloat32,
        };
        if (Format is not null) json["format"] = Format;
        if (VectorsFrom is not null) json["vectors"] = VectorsFrom;
        if (IdsFrom is not null) json["ids"] = IdsFrom;
        return json;
    }

    /// <summary>A statistic as the tables show it: a file without a finite value has no mean, said in words (results.json says null), never "NaN".</summary>
    public static string Figure(double x) => double.IsFinite(x) ? x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture) : "none (no finite value)";

    public Table ToTable()
    {
        var table = new Table().AddColumn("property").AddColumn("value");
        if (Format is not null) table.AddRow("format", Markup.Escape(Format));
        table.AddRow("shape", $"({string.Join(", ", Shape)})");
        if (VectorsFrom is not null) table.AddRow("vectors", Markup.Escape(Terminal.Clean(VectorsFrom)));
        // The ids are joined on when both inputs carry them: said here, so a file's own ids are no surprise.
        if (IdsFrom is not null) table.AddRow("ids", Markup.Escape(Terminal.Clean(IdsFrom)) + " (used as the samples' ids, joining A and B)");
        table.AddRow("dtype", Dtype);
        table.AddRow("mean", Figure(Mean));
        table.AddRow("mean row norm", Figure(MeanRowNorm));
        table.AddRow("NaN", Nan.ToString());
        // Rows are read as float32, what the methods compute in: a float64 or a number written as text beyond its range
        // counts here as infinite (the methods refuse it, naming it).
        table.AddRow(InfIncludesBeyondFloat32 ? "Inf (or beyond float32's ±3.4e38)" : "Inf", Inf.ToString());
        return table;
    }
}
