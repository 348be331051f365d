namespace RepDiff.Embedding;

/// <summary>Command-line flags that stand over a model description (or make one for a bare .onnx file).</summary>
public sealed record ModelOverrides
{
    public string? Description { get; init; }
    public string? Preset { get; init; }
    public string? Input { get; init; }
    public string? Output { get; init; }
    public string? Layer { get; init; }
    public string? Pooling { get; init; }
    public bool? Normalize { get; init; }
    public string? Vocab { get; init; }
    public string? Tokenizer { get; init; }
    public int? MaxLength { get; init; }
    /// <summary>How the command names the model and these flags (embed's, or compare's side A or B), for its messages.</summary>
    public ModelFlagNames Names { get; init; } = ModelFlagNames.Embed;
}
