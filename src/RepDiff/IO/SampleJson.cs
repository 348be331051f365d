using System.Text.Json.Nodes;

namespace RepDiff.IO;

/// <summary>
/// The "samples" block of a results.json: per-sample ids, labels, image files and metadata columns (as text, null
/// where missing), so that `repdiff export` and other tools can name members without the input files.
/// Images and texts are not copied (they can be large; the report embeds what it shows): of images, only each file's
/// name relative to the --images folder or manifest, by which a user finds the picture.
/// </summary>
public static class SampleJson
{
    /// <summary>The block for these samples (and what --common-samples left out), or null when there are no ids, labels, image files or metadata.</summary>
    public static JsonObject? ToJson(SampleInfo samples)
    {
        if (samples.Ids is null && samples.Labels is null && samples.Files is null && samples.Metadata is null && samples.LeftOut is null) return null;
        var block = new JsonObject();
        if (samples.Ids is { } ids) block["ids"] = Strings(ids);
        if (samples.Labels is { } labels) block["labels"] = Strings(Enumerable.Range(0, labels.Codes.Length).Select(i => (string?)labels[i]));
        if (samples.Files is { } files) block["files"] = Strings(files);
        if (samples.Metadata is { } metadata)
        {
            var columns = new JsonObject();
            foreach (var column in metadata.Columns) columns[column.Name] = Strings(column.Values);
            block["metadata"] = columns;
        }
        if (samples.LeftOut is { } leftOut) block["left_out"] = leftOut.ToJson();
        return block;
    }

    /// <summary>Reads the block of a results document; null when it has none. n is the number of samples the results describe.</summary>
    public static SampleInfo? FromJson(JsonObject document, int n, string path)
    {
        if (document["samples"] is null) return null;
        // Of another shape, the block had been skipped without a word: export wrote no ids, and evaluate took the run for one without them.
        if (document["samples"] is not JsonObject block) throw RepDiffInputException.ForFile(path, "samples is not an object (of ids, labels and metadata)");
        string?[]? Read(JsonNode? node, string what)
        {
            if (node is null) return null;
            if (node is not JsonArray array) throw RepDiffInputException.ForFile(path, $"samples.{what} is not an array");
            if (array.Count != n) throw RepDiffInputException.ForFile(path, $"samples.{what} has {array.Count} entries for {n} samples");
            return array.Select(v => v is null ? null : v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()).ToArray();
        }
        var ids = Read(block["ids"], "ids");
        var labels = Read(block["labels"], "labels");
        var files = Read(block["files"], "files");
        SampleMetadata? metadata = null;
        if (block["metadata"] is { } node && node is not JsonObject)
            throw RepDiffInputException.ForFile(path, "samples.metadata is not an object (of columns by name)");
        if (block["metadata"] is JsonObject columns)
            metadata = new SampleMetadata(columns.Select(c => new MetadataColumn(c.Key, Read(c.Value, "metadata." + c.Key)!)).ToList(), n) { Source = Path.GetFileName(path) };
        return new SampleInfo
        {
            LeftOut = LeftOutOf(block, n),
            Ids = ids?.Select(i => i ?? "").ToArray(),
            Labels = labels is null ? null : new SampleLabels(labels.Select(l => l ?? "").ToArray()),
            Files = files?.Select(f => f ?? "").ToArray(),
            Metadata = metadata,
        };
    }

    /// <summary>`left_out` as --common-samples wrote it (null when absent or not of that shape: it only informs).</summary>
    private static LeftOutSamples? LeftOutOf(JsonObject block, int n)
    {
        if (block["left_out"] is not JsonObject leftOut || leftOut["a"] is not JsonValue a || leftOut["b"] is not JsonValue b
            || !a.TryGetValue(out int countA) || !b.TryGetValue(out int countB)) return null;
        string[] Ids(string key) => leftOut[key] is JsonArray ids ? ids.OfType<JsonValue>().Select(v => v.TryGetValue(out string? id) ? id : null).OfType<string>().ToArray() : [];
        // Kept by evaluate as written (absent: none, or a results.json written before it).
        var alike = leftOut["look_alike"] is JsonObject lookAlike && lookAlike["count"] is JsonValue count && count.TryGetValue(out int alikeCount) && alikeCount > 0
            && lookAlike["a_id"] is JsonValue idA && idA.TryGetValue(out string? alikeA) && lookAlike["b_id"] is JsonValue idB && idB.TryGetValue(out string? alikeB)
            ? (alikeCount, alikeA!, alikeB!) : ((int, string, string)?)null;
        return new LeftOutSamples(n, countA, countB, Ids("a_ids"), Ids("b_ids")) { LookAlike = alike };
    }

    private static JsonArray Strings(IEnumerable<string?> values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
