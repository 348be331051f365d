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
