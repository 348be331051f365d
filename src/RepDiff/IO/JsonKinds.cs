using System.Text.Json;

namespace RepDiff.IO;

/// <summary>
/// What a JSON value is, in the words every message uses ("a list", as Python calls a JSON array), whether it was met as a
/// parsed value (<see cref="JsonValueKind"/>) or by a reader's token (<see cref="JsonTokenType"/>).
/// </summary>
internal static class JsonKinds
{
    public static string Of(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        _ => "a list",
    };

    public static string Of(JsonTokenType token) => Of(token switch
    {
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        JsonTokenType.Null => JsonValueKind.Null,
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.String => JsonValueKind.String,
        _ => JsonValueKind.Array,
    });
}
