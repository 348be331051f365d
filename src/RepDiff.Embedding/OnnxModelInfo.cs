using Onnx;

namespace RepDiff.Embedding;

/// <summary>
/// What `repdiff inspect model.onnx` prints: the graph's inputs (initializers excluded) and outputs, and with
/// <c>--layers</c> every tensor its nodes compute that `embed --layer` can take.
/// </summary>
public sealed record OnnxModelInfo([property: System.Text.Json.Serialization.JsonPropertyName("file")] string Path, string Producer, long IrVersion, long Opset, int Nodes, IReadOnlyList<OnnxTensorInfo> Inputs, IReadOnlyList<OnnxTensorInfo> Outputs)
{
    /// <summary>The tensors `--layer` can take, in the graph's order (null unless asked for).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<OnnxLayerInfo>? Layers { get; init; }

    // Ops whose outputs are shapes, indices or constants, never a representation to embed.
    private static readonly HashSet<string> NotLayers = ["Constant", "ConstantOfShape", "Shape", "Size", "Range", "NonZero", "ArgMax", "ArgMin"];

    public static OnnxModelInfo Read(string path, bool layers = false)
    {
        var model = OnnxFile.Parse(path);
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        long opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        return new OnnxModelInfo(path, model.ProducerName, model.IrVersion, opset, graph.Node.Count,
            graph.Input.Where(i => !initializers.Contains(i.Name)).Select(Describe).ToArray(),
            graph.Output.Select(Describe).ToArray())
        {
            Layers = layers ? LayersOf(graph) : null,
        };
    }

    /// <summary>
    /// Every tensor a node computes, but the graph's outputs (listed already) and those of ops that compute shapes or
    /// constants, or whose known element type is not floating point; type and shape as the graph's value_info records
    /// them ("?" when the export did not: `embed --layer` finds out when it runs).
    /// </summary>
    private static OnnxLayerInfo[] LayersOf(GraphProto graph)
    {
        var outputs = graph.Output.Select(o => o.Name).ToHashSet();
        var known = graph.ValueInfo.GroupBy(v => v.Name).ToDictionary(g => g.Key, g => Describe(g.First()));
        return graph.Node.Where(n => !NotLayers.Contains(n.OpType))
            .SelectMany(n => n.Output.Where(o => o.Length > 0 && !outputs.Contains(o)).Select(o =>
                known.TryGetValue(o, out var info) ? new OnnxLayerInfo(o, n.OpType, info.ElementType, info.Shape) : new OnnxLayerInfo(o, n.OpType, "?", ["?"])))
            .Where(l => l.ElementType is "?" or "float" or "float16" or "double" or "bfloat16")
            .ToArray();
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

/// <summary>A tensor a node of the graph computes: its name (what `--layer` takes), the node's op, element type and shape where known.</summary>
public sealed record OnnxLayerInfo(string Name, string Op, string ElementType, string[] Shape);
