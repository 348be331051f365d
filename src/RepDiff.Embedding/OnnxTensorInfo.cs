namespace RepDiff.Embedding;

/// <summary>One input or output of an ONNX graph: name, element type and shape (symbolic axes by name, unknown as "?").</summary>
public sealed record OnnxTensorInfo(string Name, string ElementType, string[] Shape)
{
    public override string ToString() => $"{Name}  {ElementType} [{string.Join(", ", Shape)}]";
}
