namespace RepDiff.Embedding;

/// <summary>One input or output of an ONNX graph: name, element type and shape (symbolic axes by name, unknown as "?").</summary>
public sealed record OnnxTensorInfo(string Name, string ElementType, string[] Shape)
{
    public override string ToString() => $"{Name}  {ElementType} [{string.Join(", ", Shape)}]";

    /// <summary>How a message names it: "'pixel_values' float [batch, 3, 224, 224]".</summary>
    public string Describe() => $"'{Name}' {ElementType} [{string.Join(", ", Shape)}]";

    /// <summary>Whether it looks like an image model's pixels: floating-point values of rank 4.</summary>
    public bool TakesImages() => ElementType is "float" or "float16" && Shape.Length == 4;

    /// <summary>Whether it looks like a text model's token ids (or mask): integers [batch, tokens].</summary>
    public bool TakesTokens() => ElementType is "int64" or "int32" && Shape.Length == 2;
}
