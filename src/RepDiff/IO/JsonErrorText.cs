using System.Text.Json;

namespace RepDiff.IO;

/// <summary>
/// A System.Text.Json error in a user's terms: its message ends in " Path: $ | LineNumber: 0 | BytePositionInLine: 44.",
/// counting lines and bytes from 0; here the place comes first, counted from 1 ("line 2, column 45: ...").
/// </summary>
public static class JsonErrorText
{
    /// <summary>The message with its place; <paramref name="oneLine"/>: the JSON was one line of a file, so only the column.</summary>
    public static string Of(JsonException e, bool oneLine = false) => Place(e, oneLine) + Message(e);

    /// <summary>"line 2, column 45: " (or "column 45: "), from 1; empty when the error has no place.</summary>
    public static string Place(JsonException e, bool oneLine = false)
    {
        if (e.LineNumber is not { } line || e.BytePositionInLine is not { } column) return "";
        return oneLine ? $"column {column + 1}: " : $"line {line + 1}, column {column + 1}: ";
    }

    /// <summary>The message alone, without the suffix giving its path and place.</summary>
    public static string Message(JsonException e)
    {
        string text = e.Message;
        int path = text.IndexOf(" Path: ", StringComparison.Ordinal), place = text.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        int cut = path >= 0 && (place < 0 || path < place) ? path : place;
        return (cut >= 0 ? text[..cut] : text).TrimEnd('.', ' ');
    }
}
