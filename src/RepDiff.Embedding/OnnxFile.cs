using Google.Protobuf;
using Onnx;
using RepDiff;
using RepDiff.IO;

namespace RepDiff.Embedding;

/// <summary>Reads an ONNX model's protobuf, turning anything that is not one into a one-line input error.</summary>
internal static class OnnxFile
{
    public static ModelProto Parse(string path) => Parse(InputFile.ReadAllBytes(path, "an ONNX model"), path);

    public static ModelProto Parse(byte[] bytes, string name)
    {
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e)
        {
            throw RepDiffInputException.ForFile(name, e.Message.Contains("ended unexpectedly", StringComparison.Ordinal)
                ? "truncated, or not an ONNX model: its protobuf ends in the middle of a field (an interrupted download or copy?)"
                : $"not an ONNX model ({e.Message})");
        }
        if (model.Graph is null || model.Graph.Node.Count == 0 || model.Graph.Output.Count == 0 || model.OpsetImport.Count == 0)
            throw RepDiffInputException.ForFile(name, "not an ONNX model (no graph, nodes, outputs or opset)");
        return model;
    }

    /// <summary>
    /// Whether one of the graph's inputs (weights listed as inputs excluded) fixes its batch axis at 1, as ONNX Runtime's
    /// input metadata would say once the session is open: read before, because how the session splits its threads
    /// depends on it (<see cref="ModelSession"/>). Only the inputs and the weights' names are read; the weights are
    /// skipped, not parsed. A file that does not parse says false (opening it then says what is wrong).
    /// </summary>
    public static bool FixesBatchAtOne(string path)
    {
        try
        {
            using var stream = InputFile.OpenRead(path, 1 << 16);
            using var input = new CodedInputStream(stream, leaveOpen: true);
            for (uint tag; (tag = input.ReadTag()) != 0;)
            {
                if (tag != GraphTag) { input.SkipLastField(); continue; }
                long end = EndOfField(input);
                var inputs = new List<ValueInfoProto>();
                var weights = new HashSet<string>();
                while (input.Position < end)
                {
                    uint field = input.ReadTag();
                    if (field == InputTag) { var value = new ValueInfoProto(); input.ReadMessage(value); inputs.Add(value); }
                    else if (field == InitializerTag) weights.Add(WeightName(input));
                    else input.SkipLastField();
                }
                return inputs.Any(i => !weights.Contains(i.Name) && FixesBatchAtOne(i));
            }
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidOperationException or IOException or RepDiffInputException) { }
        return false;
    }

    /// <summary>The same for a graph parsed (and edited) in memory.</summary>
    public static bool FixesBatchAtOne(ModelProto model)
    {
        var weights = model.Graph.Initializer.Select(t => t.Name).ToHashSet();
        return model.Graph.Input.Any(i => !weights.Contains(i.Name) && FixesBatchAtOne(i));
    }

    private static bool FixesBatchAtOne(ValueInfoProto input)
        => input.Type?.TensorType?.Shape?.Dim is { Count: > 0 } dims && dims[0].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && dims[0].DimValue == 1;

    // ModelProto.graph (7), GraphProto.initializer (5) and .input (11), TensorProto.name (8): length-delimited fields.
    private static readonly uint GraphTag = WireFormat.MakeTag(ModelProto.GraphFieldNumber, WireFormat.WireType.LengthDelimited),
        InitializerTag = WireFormat.MakeTag(GraphProto.InitializerFieldNumber, WireFormat.WireType.LengthDelimited),
        InputTag = WireFormat.MakeTag(GraphProto.InputFieldNumber, WireFormat.WireType.LengthDelimited),
        NameTag = WireFormat.MakeTag(TensorProto.NameFieldNumber, WireFormat.WireType.LengthDelimited);

    /// <summary>A weight's name, its values skipped (nearly all of ResNet-18's 63 MB file).</summary>
    private static string WeightName(CodedInputStream input)
    {
        long end = EndOfField(input);
        string name = "";
        while (input.Position < end)
            if (input.ReadTag() == NameTag) name = input.ReadString();
            else input.SkipLastField();
        return name;
    }

    /// <summary>Where the length-delimited field whose tag was just read ends (Google.Protobuf keeps its own limits internal).</summary>
    private static long EndOfField(CodedInputStream input)
    {
        int length = input.ReadLength();
        return input.Position + length;
    }

    /// <summary>Graph files larger than this are not searched for external data: weights kept outside leave the graph small.</summary>
    private const long MaxSearchedBytes = 256L << 20;

    /// <summary>
    /// The files beside the model that its initializers keep their weights in (ONNX "external data": exports over
    /// 2 GB, Optimum's and torch.onnx's external data); none for most models, or for a file that is not a model.
    /// </summary>
    public static IReadOnlyList<string> ExternalDataFiles(string path)
    {
        if (FileKind.Of(path) != FileKind.Regular || new FileInfo(path).Length > MaxSearchedBytes) return [];
        var bytes = InputFile.ReadAllBytes(path, "an ONNX model");
        if (bytes.AsSpan().IndexOf("location"u8) < 0) return []; // the key every external data entry holds
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException) { return []; }
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return (model.Graph?.Initializer ?? [])
            .Where(t => t.DataLocation == TensorProto.Types.DataLocation.External)
            .SelectMany(t => t.ExternalData).Where(e => e.Key == "location")
            .Select(e => Path.GetFullPath(Path.Combine(folder, e.Value))).Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
