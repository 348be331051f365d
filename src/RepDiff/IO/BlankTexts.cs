using System.Text;

namespace RepDiff.IO;

/// <summary>
/// The blank texts of a --texts file, as RepDiff counts them (empty, or only characters .NET calls white space, after
/// the byte order marks a line starts with), and the `grep` that leaves out exactly those lines.
/// </summary>
public static class BlankTexts
{
    public static bool IsBlank(string? text) => string.IsNullOrWhiteSpace(text);

    /// <summary>
    /// `grep -vE` of the lines RepDiff counts blank, for a message to suggest: '^[[:space:]]*$' had missed lines of only
    /// no-break spaces (U+00A0, U+2007, U+202F), which RepDiff counts blank, and in the C locale every space beyond ASCII.
    /// The pattern spells each white-space character as its UTF-8 bytes through printf's octal escapes (POSIX, so any
    /// shell), and grep runs in the C locale, where a byte is a character, so the characters sharing their leading bytes
    /// go in one bracket of last bytes: listed one by one the command had run to 450 characters.
    /// </summary>
    public static string GrepLeavingOut(string path) => $"LC_ALL=C grep -vE \"$(printf '{Pattern}')\" {ShellWord.Of(path)}";

    /// <summary>
    /// ^(BOM)*(space|…)*$ over every character char.IsWhiteSpace accepts but the line ends: TextLines drops the byte order
    /// marks a line starts with, and IsNullOrWhiteSpace is the test.
    /// </summary>
    private static readonly string Pattern = BuildPattern();

    private static string BuildPattern()
    {
        // The white-space characters' UTF-8 bytes, grouped by all but their last byte ("" for ASCII).
        var lastBytes = new SortedDictionary<string, List<byte>>(StringComparer.Ordinal);
        for (int c = 0; c <= char.MaxValue; c++)
        {
            if (!char.IsWhiteSpace((char)c) || c is '\n') continue;
            byte[] utf8 = Encoding.UTF8.GetBytes(((char)c).ToString());
            string lead = Octal(utf8[..^1]);
            if (!lastBytes.TryGetValue(lead, out var last)) lastBytes[lead] = last = [];
            last.Add(utf8[^1]);
        }
        var alternatives = lastBytes.Select(group => group.Key + Bracket(group.Value));
        return $"^({Octal(Encoding.UTF8.GetBytes("\uFEFF"))})*({string.Join('|', alternatives)})*$";
    }

    /// <summary>One byte as itself, or a bracket of bytes with runs of three or more as ranges ([\200-\212\250]); a space stays a space.</summary>
    private static string Bracket(List<byte> bytes)
    {
        if (bytes.Count == 1) return Octal(bytes[0]);
        var inside = new StringBuilder();
        for (int i = 0; i < bytes.Count;)
        {
            int j = i;
            while (j + 1 < bytes.Count && bytes[j + 1] == bytes[j] + 1) j++;
            inside.Append(j - i >= 2 ? $"{Octal(bytes[i])}-{Octal(bytes[j])}" : string.Concat(bytes[i..(j + 1)].Select(Octal)));
            i = j + 1;
        }
        return $"[{inside}]";
    }

    /// <summary>Bytes as printf's octal escapes (U+00A0: \302\240), a space as itself.</summary>
    private static string Octal(params byte[] bytes) => string.Concat(bytes.Select(Octal));

    private static string Octal(byte b) => b == (byte)' ' ? " " : "\\" + Convert.ToString(b, 8);
}
