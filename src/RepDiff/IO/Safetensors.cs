using System.Buffers.Binary;
using System.Text.Json;

namespace RepDiff.IO;

/// <summary>
/// Reads the safetensors format: an 8-byte little-endian header length, a JSON header mapping names to
/// {dtype, shape, data_offsets}, then the data (always little-endian, C order).
/// </summary>
public static class Safetensors
{
    /// <summary>The reference implementation's limit on the JSON header.</summary>
    private const long MaxHeaderLength = 100_000_000;

    /// <summary>
    /// A file whose first bytes are no safetensors header length: truncated, or no safetensors file at all (its signature is
    /// that length, so other bytes reach here by the name alone). "safetensors header claims 506097522914230528 bytes" had
    /// said neither what the file is not nor what to do.
    /// </summary>
    private static RepDiffInputException NotSafetensors(string path, string why) => RepDiffInputException.ForFile(path,
        $"is not a readable safetensors file: {why}; it is truncated or not safetensors: save it again with safetensors' save_file(tensors, path), or as .npy");

    /// <summary>
    /// Parses and checks the header: every tensor's dtype, shape and byte range against the file; with the entries of its
    /// __metadata__ (free text by the format, empty when there is none).
    /// </summary>
    internal static (IReadOnlyList<SafetensorsTensor> Tensors, IReadOnlyDictionary<string, JsonElement> Metadata) ReadHeader(Stream stream, string path)
    {
        long fileLength = stream.Length;
        Span<byte> prefix = stackalloc byte[8];
        if (InputFile.ReadFully(stream, prefix) < 8)
            throw NotSafetensors(path, $"it holds {fileLength} bytes, fewer than the 8 of the header's length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8))
            throw NotSafetensors(path, $"its first 8 bytes, the header's length, claim {headerLength:N0} bytes but the file holds {fileLength - 8:N0} after them");
        if (headerLength > MaxHeaderLength)
            throw RepDiffInputException.ForFile(path, $"safetensors header claims {headerLength} bytes; at most {MaxHeaderLength} are accepted");
        var json = new byte[headerLength];
        if (InputFile.ReadFully(stream, json) < json.Length)
            throw RepDiffInputException.ForFile(path, "truncated safetensors header");
        long dataStart = 8 + (long)headerLength;

        if (!System.Text.Unicode.Utf8.IsValid(json))
            throw RepDiffInputException.ForFile(path, "safetensors header is not valid UTF-8");
        JsonDocument document;
        try { document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw RepDiffInputException.ForFile(path, $"safetensors header is not valid JSON ({JsonErrorText.Of(e)})"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw RepDiffInputException.ForFile(path, "safetensors header is not a JSON object");
            try { return (ParseTensors(document.RootElement, path, dataStart, fileLength - dataStart), MetadataOf(document.RootElement)); }
            catch (InvalidOperationException e) { throw RepDiffInputException.ForFile(path, $"safetensors header has invalid text ({e.Message})"); }
        }
    }

    private const string MetadataKey = "__metadata__";

    /// <summary>The __metadata__ object's entries, kept after the header's document is disposed.</summary>
    private static Dictionary<string, JsonElement> MetadataOf(JsonElement root)
    {
        var metadata = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root.TryGetProperty(MetadataKey, out var entries) && entries.ValueKind == JsonValueKind.Object)
            foreach (var entry in entries.EnumerateObject()) metadata.TryAdd(entry.Name, entry.Value.Clone());
        return metadata;
    }

    private static List<SafetensorsTensor> ParseTensors(JsonElement root, string path, long dataStart, long dataLength)
    {
        var tensors = new List<SafetensorsTensor>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!names.Add(property.Name))
                throw RepDiffInputException.ForFile(path, $"safetensors header names tensor '{NpyDtype.Truncate(property.Name)}' twice");
            if (property.Name == MetadataKey) continue;
            var tensor = ParseTensor(property, path);
            if (tensor.Offset > dataLength || tensor.Length > dataLength - tensor.Offset)
                throw RepDiffInputException.ForFile(path, $"tensor '{NpyDtype.Truncate(tensor.Name)}' lies outside the file (data_offsets end at {tensor.Offset + tensor.Length}, the data holds {dataLength} bytes)");
            tensors.Add(tensor with { Offset = dataStart + tensor.Offset });
        }
        if (tensors.Count == 0) throw RepDiffInputException.ForFile(path, "holds no tensors");
        CheckLayout(tensors, path, dataStart, dataLength);
        return tensors;
    }

    /// <summary>
    /// The format's rule, which the reference implementation enforces: the tensors' byte ranges tile the data, from its
    /// first byte to its last, without gaps or overlaps. A changed offset that keeps a range's length (a flipped bit, a
    /// hand-made header) otherwise read a tensor shifted into its neighbour's bytes, or trailing bytes, as values.
    /// </summary>
    private static void CheckLayout(List<SafetensorsTensor> tensors, string path, long dataStart, long dataLength)
    {
        long end = 0;
        string? previous = null;
        foreach (var t in tensors.OrderBy(t => t.Offset).ThenBy(t => t.Length))
        {
            long begin = t.Offset - dataStart;
            if (begin != end)
                throw RepDiffInputException.ForFile(path, $"tensor '{NpyDtype.Truncate(t.Name)}' begins at byte {begin} of the data, but "
                    + (previous is null ? "the first tensor must begin at 0" : $"'{NpyDtype.Truncate(previous)}' ends at {end}")
                    + $" ({(begin < end ? "they overlap" : "a gap")}); safetensors data holds its tensors back to back");
            end = begin + t.Length;
            previous = t.Name;
        }
        if (end != dataLength)
            throw RepDiffInputException.ForFile(path, $"holds {dataLength - end} bytes after its last tensor ('{NpyDtype.Truncate(previous!)}' ends at byte {end} of {dataLength}); "
                + "safetensors data ends with its last tensor (truncated header, or bytes appended?)");
    }

    private static SafetensorsTensor ParseTensor(JsonProperty property, string path)
    {
        string name = property.Name;
        RepDiffInputException Bad(string problem) =>
            RepDiffInputException.ForFile(path, $"tensor '{NpyDtype.Truncate(name)}': {problem}");
        var t = property.Value;
        if (t.ValueKind != JsonValueKind.Object
            || !t.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !t.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !t.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array)
            throw Bad("needs 'dtype', 'shape' and 'data_offsets'");
        string dtypeName = dtypeElement.GetString()!;
        var dtype = NpyDtype.FromSafetensors(dtypeName);
        if (shapeElement.GetArrayLength() > 32) throw Bad("more than 32 dimensions");
        var shape = shapeElement.EnumerateArray().Select(e => NonNegative(e, () => Bad("shape entries must be non-negative integers"))).ToArray();
        Npy.CheckShape(shape, dtype?.Size ?? 1, path);
        var offsets = offsetsElement.EnumerateArray().Select(e => NonNegative(e, () => Bad("data_offsets must be two non-negative integers"))).Take(3).ToArray();
        if (offsets.Length != 2 || offsets[1] < offsets[0]) throw Bad("data_offsets must be [begin, end] with begin <= end");
        long span = offsets[1] - offsets[0];
        // A dtype RepDiff does not read (an FP8 weight of a quantized checkpoint) is refused only when chosen: its bytes still
        // tile the data, so the file's other tensors are read and listed. Its size per value is not known, so not checked.
        if (dtype is null) return new SafetensorsTensor(name, null, shape, offsets[0], span, dtypeName);
        long bytes = shape.Aggregate(1L, (a, b) => a * b) * dtype.Size;
        if (span != bytes)
            throw Bad($"shape {RowFile.ShapeText(shape)} of {dtype.Name} needs {bytes} bytes but data_offsets span {span}");
        return new SafetensorsTensor(name, dtype, shape, offsets[0], bytes, dtypeName);
    }

    private static long NonNegative(JsonElement e, Func<Exception> bad) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long v) && v >= 0 ? v : throw bad();

    internal static ArrayArchive Open(string path) => new SafetensorsArchive(path);

    /// <summary>Opens one tensor (named by key, or the only one) as memory-mapped rows.</summary>
    internal static RowFile OpenRows(string path, string? key, bool checkFinite)
    {
        using var archive = Open(path);
        return archive.OpenNamedRows(key, checkFinite);
    }

    private sealed class SafetensorsArchive : ArrayArchive
    {
        private readonly IReadOnlyList<SafetensorsTensor> tensors;
        private readonly IReadOnlyDictionary<string, JsonElement> metadata;

        /// <summary>The tensors by name: a file of one vector per sample opens each of its 50,000 tensors by name, and a search per name is quadratic.</summary>
        private readonly Dictionary<string, SafetensorsTensor> tensorByName;

        /// <summary>The file, opened once: its header is read, its tensors mapped and one sample's vectors read through it.</summary>
        private readonly FileStream file;

        public SafetensorsArchive(string path) : base(path)
        {
            file = InputFile.OpenRead(path, bufferSize: 1 << 16);
            try { (tensors, metadata) = ReadHeader(file, path); }
            catch { file.Dispose(); throw; }
            Keys = tensors.Select(t => t.Name).ToList();
            tensorByName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        }

        public override IReadOnlyList<string> Keys { get; }

        public override RowFile OpenRows(string? key, bool checkFinite)
        {
            if (VectorRows(key, checkFinite) is { } vectors) return vectors;
            string chosen = ChooseKey(key, Keys, k => k);
            var tensor = tensorByName[chosen];
            string name = tensors.Count == 1 ? Path : $"{Path}[{chosen}]";
            if (tensor.Dtype is null) throw RepDiffInputException.ForFile(name, NpyDtype.UnreadSafetensorsDtype(tensor.DtypeName));
            var bytes = ReadingVector ? VectorBytes(tensor) : ArrayBytes.Map(file, tensor.Offset, tensor.Length, leaveOpen: true);
            RowFile rows;
            try { rows = new RowFile(name, bytes, tensor.Dtype, tensor.Shape, fortranOrder: false, checkFinite); }
            catch { bytes.Dispose(); throw; }
            return WithIdsBeside(rows, chosen);
        }

        /// <summary>One sample's vector (a few KB), read rather than mapped: an open and a map per vector had taken 9 s for 50,000.</summary>
        private MemoryBytes VectorBytes(SafetensorsTensor tensor)
        {
            var data = GC.AllocateUninitializedArray<byte>(checked((int)tensor.Length));
            file.Position = tensor.Offset;
            if (InputFile.ReadFully(file, data) != data.Length)
                throw RepDiffInputException.ForFile(Path, "changed while it was read");
            return new MemoryBytes(data);
        }

        public override void Dispose() => file.Dispose();

        protected override ArrayShape? ShapeOf(string key) =>
            tensorByName[ChooseKey(key, Keys, k => k)] is var t ? new ArrayShape(t.Dtype, t.Dtype?.Name ?? t.DtypeName, t.Shape) : null;

        /// <summary>
        /// The ids beside the embeddings: an integer tensor of that name (save_file({"emb": e, "ids": torch.tensor(ids)})),
        /// else a JSON list of strings or whole numbers under that name in __metadata__, which holds text only
        /// (save_file(..., metadata={"ids": json.dumps(ids)})).
        /// </summary>
        protected override KeptIds? IdsBeside(string idName, string chosen, RowFile rows)
        {
            if (tensorByName.GetValueOrDefault(idName) is { } tensor)
            {
                string name = NameOf(idName);
                if (tensor.Dtype is null) throw NotIds(name, $"{tensor.DtypeName} values");
                using var bytes = ArrayBytes.Map(file, tensor.Offset, tensor.Length, leaveOpen: true);
                return Beside(idName, IdStrings(name, tensor.Dtype, tensor.Shape, bytes));
            }
            if (!metadata.TryGetValue(idName, out var value)) return null;
            string source = NameOf($"{MetadataKey}.{idName}");
            return new KeptIds(MetadataIds(value, source), source, $"'{idName}' in the {MetadataKey} header");
        }

        /// <summary>A JSON list of ids, as text (the format's metadata values are strings) or, written by hand, as a list.</summary>
        private static string[] MetadataIds(JsonElement value, string source)
        {
            try { return ParseMetadataIds(value, source); }
            catch (InvalidOperationException)
            {
                throw RepDiffInputException.ForFile(source, "holds an escaped lone surrogate (\\ud800–\\udfff without its pair), which is not text");
            }
        }

        private static string[] ParseMetadataIds(JsonElement value, string source)
        {
            const string Advice = "write ids as a JSON list of strings or whole numbers, e.g. metadata={\"ids\": json.dumps(ids)}";
            if (value.ValueKind == JsonValueKind.String)
            {
                try
                {
                    using var list = JsonDocument.Parse(value.GetString()!);
                    return IdsOfList(list.RootElement, source, Advice);
                }
                catch (JsonException e)
                {
                    throw RepDiffInputException.ForFile(source, $"is not valid JSON ({JsonErrorText.Of(e)}); {Advice}");
                }
            }
            return IdsOfList(value, source, Advice);
        }

        private static string[] IdsOfList(JsonElement list, string source, string advice)
        {
            if (list.ValueKind != JsonValueKind.Array)
                throw RepDiffInputException.ForFile(source, $"is {JsonKinds.Of(list.ValueKind)}, not a list of ids; {advice}");
            var ids = new string[list.GetArrayLength()];
            int i = 0;
            foreach (var item in list.EnumerateArray())
            {
                ids[i] = item.ValueKind switch
                {
                    JsonValueKind.String => item.GetString()!,
                    JsonValueKind.Number when SampleFiles.WholeNumber(item.GetRawText()) is { } whole => whole,
                    var kind => throw RepDiffInputException.ForFile(source, $"item {i} is {(kind == JsonValueKind.Number ? $"the number {NpyDtype.Truncate(item.GetRawText())}" : JsonKinds.Of(kind))}, "
                        + $"not a string or a whole number; {advice}"),
                };
                i++;
            }
            return ids;
        }
    }
}
