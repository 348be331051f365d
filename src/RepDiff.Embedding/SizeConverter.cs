using System.Text.Json;
using System.Text.Json.Serialization;

namespace RepDiff.Embedding;

/// <summary>Reads an image size written as one number (a square) or as [height, width].</summary>
internal sealed class SizeConverter : JsonConverter<int[]>
{
    public override int[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) { int side = reader.GetInt32(); return [side, side]; }
        var values = JsonSerializer.Deserialize<int[]>(ref reader) ?? throw new JsonException("size is null");
        if (values.Length != 2) throw new JsonException("size must be one number or [height, width]");
        return values;
    }

    public override void Write(Utf8JsonWriter writer, int[] value, JsonSerializerOptions options)
        => JsonSerializer.Serialize(writer, value);
}
