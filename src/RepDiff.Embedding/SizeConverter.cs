using System.Text.Json;
using System.Text.Json.Serialization;

namespace RepDiff.Embedding;

/// <summary>Reads an image size written as one number (a square) or as [height, width].</summary>
internal sealed class SizeConverter : JsonConverter<int[]>
{
    public override int[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) { int side = reader.GetInt32(); return [side, side]; }
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("size must be one number or [height, width]");
        var list = new List<int>(2);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || list.Count == 2) throw new JsonException("size must be one number or [height, width]");
            list.Add(reader.GetInt32());
        }
        var values = list.ToArray();
        if (values.Length != 2) throw new JsonException("size must be one number or [height, width]");
        return values;
    }

    public override void Write(Utf8JsonWriter writer, int[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (int side in value) writer.WriteNumberValue(side);
        writer.WriteEndArray();
    }
}
