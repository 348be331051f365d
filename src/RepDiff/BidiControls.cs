namespace RepDiff;

/// <summary>
/// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). In a label or text read from a file
/// they reorder everything after it on the same line, numbers included: a label starting with U+202E made a report's
/// "46 samples" read "64 ,selpmas". The terminal and the report show them as spaces.
/// </summary>
public static class BidiControls
{
    public static bool Is(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// <summary>
    /// Marks around a string from the user's input (a name, label, metadata value or word) inside a sentence the library
    /// writes: U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, so a page can isolate it (HtmlReport: bdi)
    /// and a right-to-left label keeps the numbers beside it in place. Plain text (terminal, results.json) has them removed.
    /// </summary>
    public const char IsolateStart = '\u2068', IsolateEnd = '\u2069';

    /// <summary>The text between the isolate marks, its own controls neutralized, so the marks pair up whatever the text holds.</summary>
    public static string Isolate(string text) => IsolateStart + Neutralize(text) + IsolateEnd;

    /// <summary>The text without the marks of <see cref="Isolate"/>.</summary>
    public static string RemoveIsolates(string text) => text.AsSpan().IndexOfAny(IsolateStart, IsolateEnd) < 0
        ? text
        : text.Replace(IsolateStart.ToString(), "", StringComparison.Ordinal).Replace(IsolateEnd.ToString(), "", StringComparison.Ordinal);

    /// <summary>The text with every bidirectional control replaced by a space (the same string when it has none).</summary>
    public static string Neutralize(string text) => text.AsSpan().IndexOfAnyInRange('\u202A', '\u202E') < 0 && text.AsSpan().IndexOfAnyInRange('\u2066', '\u2069') < 0
        ? text
        : string.Create(text.Length, text, (span, source) => { for (int i = 0; i < source.Length; i++) span[i] = Is(source[i]) ? ' ' : source[i]; });
}
