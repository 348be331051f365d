using Google.Protobuf;
using Onnx;

namespace RepDiff.Tests.Embedding;

/// <summary>Small ONNX graphs written by the tests, so every preprocessing, pooling and layer option has an exact expected value.</summary>
internal static class TinyOnnx
{
    /// <summary>ONNX's element type codes (TensorProto.DataType).</summary>
    public const int Float = 1, Int64 = 7, Float16 = 10, BFloat16 = 16;

    public static ValueInfoProto Value(string name, int type, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string s ? new TensorShapeProto.Types.Dimension { DimParam = s } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d) });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type, Shape = shape } } };
    }

    public static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = outputs[0] + "_node" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static TensorProto Constant(string name, long[] dims, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        return t;
    }

    public static TensorProto Constant(string name, long[] dims, long[] values)
    {
        var t = new TensorProto { Name = name, DataType = Int64 };
        t.Dims.AddRange(dims);
        t.Int64Data.AddRange(values);
        return t;
    }

    /// <summary>Writes a model of these parts (opset 13) to a file and returns its path.</summary>
    public static string Write(string path, IEnumerable<ValueInfoProto> inputs, IEnumerable<ValueInfoProto> outputs, IEnumerable<NodeProto> nodes, IEnumerable<TensorProto>? constants = null)
    {
        var graph = new GraphProto { Name = "tiny" };
        graph.Input.AddRange(inputs);
        graph.Output.AddRange(outputs);
        graph.Node.AddRange(nodes);
        if (constants is not null) graph.Initializer.AddRange(constants);
        var model = new ModelProto { IrVersion = 8, ProducerName = "repdiff-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    /// <summary>pixels [batch, 3, h, w] → out (the input itself), and mid = pixels + 1 → doubled = 2·mid as a second output.</summary>
    public static string ImageIdentity(string dir, int h, int w, object batch = null!, string layout = "nchw")
    {
        batch ??= "batch";
        object[] dims = layout == "nchw" ? [batch, 3, h, w] : [batch, h, w, 3];
        return Write(Path.Combine(dir, $"identity-{h}x{w}-{layout}-{batch}.onnx"),
            [Value("pixels", Float, dims)],
            [Value("out", Float, dims), Value("doubled", Float, dims)],
            [Node("Identity", ["pixels"], ["out"]), Node("Add", ["pixels", "one"], ["mid"]), Node("Mul", ["mid", "two"], ["doubled"])],
            [Constant("one", [], [1f]), Constant("two", [], [2f])]);
    }

    /// <summary>
    /// Text inputs → hidden [batch, tokens, 3] holding (token id, attention mask, token type) as floats, so
    /// pooling over it shows exactly which tokens counted.
    /// </summary>
    public static string TokenEcho(string dir, bool withTokenTypes = true, int? fixedTokens = null)
    {
        object tokens = fixedTokens is int fixedLength ? fixedLength : "tokens";
        var inputs = new List<ValueInfoProto> { Value("input_ids", Int64, "batch", tokens), Value("attention_mask", Int64, "batch", tokens) };
        var nodes = new List<NodeProto>
        {
            Node("Cast", ["input_ids"], ["ids_f"], Int("to", Float)),
            Node("Cast", ["attention_mask"], ["mask_f"], Int("to", Float)),
            Node("Unsqueeze", ["ids_f", "axis2"], ["ids3"]),
            Node("Unsqueeze", ["mask_f", "axis2"], ["mask3"]),
        };
        string third = "mask3";
        if (withTokenTypes)
        {
            inputs.Add(Value("token_type_ids", Int64, "batch", tokens));
            nodes.Add(Node("Cast", ["token_type_ids"], ["types_f"], Int("to", Float)));
            nodes.Add(Node("Unsqueeze", ["types_f", "axis2"], ["types3"]));
            third = "types3";
        }
        nodes.Add(Node("Concat", ["ids3", "mask3", third], ["hidden"], Int("axis", 2)));
        return Write(Path.Combine(dir, (withTokenTypes ? "echo" : "echo-no-types") + (fixedTokens is null ? "" : $"-{fixedTokens}") + ".onnx"), inputs,
            [Value("hidden", Float, "batch", tokens, 3)], nodes, [Constant("axis2", [1], new long[] { 2 })]);
    }

    /// <summary>A WordPiece vocabulary: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, then the words (4, 5, ...).</summary>
    public static string Vocab(string dir, params string[] words)
    {
        string path = Path.Combine(dir, "vocab.txt");
        File.WriteAllLines(path, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. words]);
        return path;
    }
}
