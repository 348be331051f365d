using System.Globalization;

namespace RepDiff;

/// <summary>
/// Cuts text short for display between graphemes (what a reader takes for one character): never inside a pair of UTF-16
/// units (an emoji's half alone reached UTF-8 and the page as U+FFFD), nor between an emoji and its skin-tone modifier or a
/// letter and its combining accent. The one place for it; each caller says when a text is long enough to cut.
/// </summary>
public static class TextCut
{
    /// <summary>The graphemes within the first <paramref name="keep"/> units and "…".</summary>
    public static string Head(string s, int keep) => s[..LastBoundaryAtOrBefore(s, keep)] + "…";

    /// <summary>"…" and the graphemes within the last <paramref name="keep"/> units.</summary>
    public static string Tail(string s, int keep) => "…" + s[FirstBoundaryAtOrAfter(s, s.Length - keep)..];

    /// <summary>
    /// The last grapheme boundary at or before <paramref name="at"/>; where the first grapheme alone is longer (a letter under
    /// a hundred marks), the last code point boundary, so the cut still shows something.
    /// </summary>
    private static int LastBoundaryAtOrBefore(string s, int at)
    {
        int boundary = 0;
        for (int next; boundary < s.Length && (next = boundary + StringInfo.GetNextTextElementLength(s, boundary)) <= at;) boundary = next;
        return boundary > 0 ? boundary : char.IsHighSurrogate(s[at - 1]) ? at - 1 : at;
    }

    /// <summary>
    /// The first grapheme boundary at or after <paramref name="at"/> (found from the start: linear in s); where the last
    /// grapheme alone is longer, the first code point boundary, as <see cref="LastBoundaryAtOrBefore"/>.
    /// </summary>
    private static int FirstBoundaryAtOrAfter(string s, int at)
    {
        int boundary = 0;
        while (boundary < at) boundary += StringInfo.GetNextTextElementLength(s, boundary);
        return boundary < s.Length ? boundary : char.IsLowSurrogate(s[at]) ? at + 1 : at;
    }
}
