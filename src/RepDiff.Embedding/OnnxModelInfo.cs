using Onnx;

namespace RepDiff.Embedding;

/// <summary>What `repdiff inspect model.onnx` prints: the graph's inputs (initializers excluded) and outputs.</summary>
public sealed record OnnxModelInfo([property: System.Text.Json.Serialization.JsonPropertyName("file")] string Path, string Producer, long IrVersion, long Opset, int Nodes, IReadOnlyList<OnnxTensorInfo> Inputs, IReadOnlyList<OnnxTensorInfo> Outputs)
{
    public static OnnxModelInfo Read(string path)
    {
        var model = OnnxFile.Parse(path);
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        long opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        return new OnnxModelInfo(path, model.ProducerName, model.IrVersion, opset, graph.Node.Count,
            graph.Input.Where(i => !initializers.Contains(i.Name)).Select(Describe).ToArray(),
            graph.Output.Select(Describe).ToArray());
    }

    internal static OnnxTensorInfo Describe(ValueInfoProto value)
    {
        var tensor = value.Type?.TensorType;
        if (tensor is null) return new OnnxTensorInfo(value.Name, value.Type?.ValueCase.ToString().ToLowerInvariant() ?? "?", []);
        string type = ((TensorProto.Types.DataType)tensor.ElemType).ToString().ToLowerInvariant();
        var shape = tensor.Shape?.Dim.Select(d => d.ValueCase switch
        {
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => d.DimValue.ToString(),
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => d.DimParam,
            _ => "?",
        }).ToArray() ?? ["(unknown rank)"];
        return new OnnxTensorInfo(value.Name, type, shape);
    }
}
