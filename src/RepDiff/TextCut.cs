namespace RepDiff;

/// <summary>
/// Cuts text short for display without splitting a character outside the basic plane (an emoji is two UTF-16 units):
/// a half alone reaches UTF-8 and the page as U+FFFD. The one place for it; each caller says when a text is long enough to cut.
/// </summary>
public static class TextCut
{
    /// <summary>The first <paramref name="keep"/> units (one fewer where the last is a pair's first half) and "…".</summary>
    public static string Head(string s, int keep) => s[..(char.IsHighSurrogate(s[keep - 1]) ? keep - 1 : keep)] + "…";

    /// <summary>"…" and the last <paramref name="keep"/> units (one fewer where the first is a pair's second half).</summary>
    public static string Tail(string s, int keep) => "…" + s[^(char.IsLowSurrogate(s[^keep]) ? keep - 1 : keep)..];
}
