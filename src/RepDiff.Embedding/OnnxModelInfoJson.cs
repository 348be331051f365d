using System.Text.Json.Serialization;

namespace RepDiff.Embedding;

/// <summary>`repdiff inspect MODEL.onnx --json`: the model's inputs and outputs, written by source-generated code in
/// snake_case, as every JSON RepDiff writes (the model's path as "file", as for an embedding file).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OnnxModelInfo))]
internal sealed partial class OnnxModelInfoJson : JsonSerializerContext;
