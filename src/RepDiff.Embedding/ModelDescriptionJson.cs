using System.Text.Json;
using System.Text.Json.Serialization;

namespace RepDiff.Embedding;

/// <summary>
/// Model description files, read and written by source-generated code (no reflection, so the Native AOT binary
/// reads them too): unknown fields are an error, comments and trailing commas allowed, nulls left out.
/// </summary>
[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelDescription))]
internal sealed partial class ModelDescriptionJson : JsonSerializerContext;
