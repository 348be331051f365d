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
    /// Every tensor a node computes, but the graph's outputs (listed already), those of ops that compute shapes or constants,
    /// and those not of a type an embedding is read from (float32, float16: a double or bfloat16 layer is refused): as the graph's value_info records it, else followed from the graph's inputs
    /// and weights through the nodes (most exports record none: all-MiniLM-L6-v2's 444 tensors included integer shape
    /// arithmetic that `--layer` then refused, helper 75). Shapes are the value_info's, "?" where the export recorded none.
    /// </summary>
    private static OnnxLayerInfo[] LayersOf(GraphProto graph)
    {
        var outputs = graph.Output.Select(o => o.Name).ToHashSet();
        var known = graph.ValueInfo.GroupBy(v => v.Name).ToDictionary(g => g.Key, g => Describe(g.First()));
        var types = ElementTypes(graph);
        return graph.Node.Where(n => !NotLayers.Contains(n.OpType))
            .SelectMany(n => n.Output.Where(o => o.Length > 0 && !outputs.Contains(o)).Select(o => new OnnxLayerInfo(o, n.OpType,
                types.GetValueOrDefault(o, "?"), known.TryGetValue(o, out var info) ? info.Shape : ["?"])))
            .Where(l => l.ElementType == "?" || ModelSession.EmbeddingTypes.Contains(l.ElementType))
            .ToArray();
    }

    /// <summary>
    /// The element type of every tensor the graph names, where it can be told: value_info, inputs and weights as recorded;
    /// a node's outputs by its op (Cast to its "to", comparisons bool, Shape and its kin int64), else as its data input
    /// (the first input whose type is known; Where's second). ONNX lists nodes in an order that computes inputs first.
    /// </summary>
    internal static Dictionary<string, string> ElementTypes(GraphProto graph)
    {
        static string Name(int type) => ((TensorProto.Types.DataType)type).ToString().ToLowerInvariant();
        var types = new Dictionary<string, string>();
        foreach (var v in graph.Input.Concat(graph.ValueInfo).Concat(graph.Output))
            if (v.Type?.TensorType is { } tensor) types[v.Name] = Name(tensor.ElemType);
        foreach (var t in graph.Initializer) types[t.Name] = Name(t.DataType);
        foreach (var node in graph.Node)
        {
            string? type = node.OpType switch
            {
                "Cast" => node.Attribute.FirstOrDefault(a => a.Name == "to") is { } to ? Name((int)to.I) : null,
                "Constant" => node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is { } value ? Name(value.DataType) : null,
                "Shape" or "Size" or "NonZero" or "ArgMax" or "ArgMin" => "int64",
                "Equal" or "Less" or "Greater" or "LessOrEqual" or "GreaterOrEqual" or "Not" or "And" or "Or" or "Xor" or "IsNaN" or "IsInf" => "bool",
                "Where" => node.Input.Skip(1).Select(i => types.GetValueOrDefault(i)).FirstOrDefault(t => t is not null),
                _ => node.Input.Select(i => types.GetValueOrDefault(i)).FirstOrDefault(t => t is not null),
            };
            if (type is null) continue;
            foreach (string output in node.Output.Where(o => o.Length > 0))
                types.TryAdd(output, type);
        }
        return types;
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
