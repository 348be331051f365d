namespace RepDiff;

/// <summary>
/// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). In a label or text read from a file
/// they reorder everything after it on the same line, numbers included: a label starting with U+202E made a report's
/// "46 samples" read "64 ,selpmas". The terminal and the report show them as spaces.
/// </summary>
public static class BidiControls
{
    public static bool Is(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// <summary>The text with every bidirectional control replaced by a space (the same string when it has none).</summary>
    public static string Neutralize(string text) => text.AsSpan().IndexOfAnyInRange('\u202A', '\u202E') < 0 && text.AsSpan().IndexOfAnyInRange('\u2066', '\u2069') < 0
        ? text
        : string.Create(text.Length, text, (span, source) => { for (int i = 0; i < source.Length; i++) span[i] = Is(source[i]) ? ' ' : source[i]; });
}
