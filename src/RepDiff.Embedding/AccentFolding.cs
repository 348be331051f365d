using System.Globalization;
using System.Text;

namespace RepDiff.Embedding;

/// <summary>
/// Strips accents as uncased BERT tokenizers do (NFD, then drop combining marks), without ICU: the CLI runs
/// with invariant globalization, where string.Normalize leaves "café" as it is. The decompositions come
/// from AccentFolding.txt (made with Python's unicodedata); Hangul syllables decompose by formula.
/// </summary>
internal static class AccentFolding
{
    private static readonly Lazy<Dictionary<char, string>> Table = new(Load);

    public static string Fold(string text)
    {
        bool ascii = true;
        foreach (char c in text) if (c >= 0x80) { ascii = false; break; }
        if (ascii) return text;
        var table = Table.Value;
        var result = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c < 0x80) result.Append(c);
            else if (c is >= '\uAC00' and <= '\uD7A3') AppendHangul(result, c);
            else if (table.TryGetValue(c, out var folded)) result.Append(folded);
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>A precomposed Hangul syllable as its leading consonant, vowel and optional trailing consonant jamo.</summary>
    private static void AppendHangul(StringBuilder result, char syllable)
    {
        int index = syllable - 0xAC00;
        result.Append((char)(0x1100 + index / (21 * 28)));
        result.Append((char)(0x1161 + index % (21 * 28) / 28));
        if (index % 28 != 0) result.Append((char)(0x11A7 + index % 28));
    }

    private static Dictionary<char, string> Load()
    {
        using var stream = typeof(AccentFolding).Assembly.GetManifestResourceStream("RepDiff.Embedding.AccentFolding.txt")
            ?? throw new InvalidOperationException("AccentFolding.txt is not embedded");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<char, string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            table[(char)Convert.ToInt32(parts[0], 16)] = string.Concat(parts.Skip(1).Select(p => (char)Convert.ToInt32(p, 16)));
        }
        return table;
    }
}
