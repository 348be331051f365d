using System.Text.Json.Serialization;

namespace RepDiff.Embedding;

/// <summary>`repdiff inspect MODEL.onnx --json`: the model's inputs and outputs, written by source-generated code.</summary>
[JsonSerializable(typeof(OnnxModelInfo))]
internal sealed partial class OnnxModelInfoJson : JsonSerializerContext;
