using System.Text.Json.Serialization;

namespace RepDiff;

/// <summary>
/// Source-generated (de)serialization of <see cref="Explanation"/>: results.json is written (laid out by <see cref="IO.ResultsJsonLayout"/>) and read without
/// reflection, so the trimmed Native AOT build of the CLI writes the same JSON as the JIT build.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Explanation))]
internal sealed partial class ExplanationJsonContext : JsonSerializerContext;
