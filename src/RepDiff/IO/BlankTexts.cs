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
    /// The pattern lists each white-space character as its UTF-8 bytes through printf's octal escapes (POSIX, so any
    /// shell), which match alike in a UTF-8 locale and the C locale.
    /// </summary>
    public static string GrepLeavingOut(string path) => $"grep -vE \"$(printf '{Pattern}')\" {ShellWord.Of(path)}";

    /// <summary>
    /// ^(BOM)*(space|…)*$ over every character char.IsWhiteSpace accepts but the line ends: TextLines drops the byte order
    /// marks a line starts with, and IsNullOrWhiteSpace is the test.
    /// </summary>
    private static readonly string Pattern = BuildPattern();

    private static string BuildPattern()
    {
        var ascii = new StringBuilder();
        var wide = new List<string>();
        for (int c = 0; c <= char.MaxValue; c++)
        {
            if (!char.IsWhiteSpace((char)c) || c is '\n') continue;
            if (c < 0x80) ascii.Append(c == ' ' ? " " : Octal((char)c));
            else wide.Add(Octal((char)c));
        }
        return $"^({Octal('\uFEFF')})*([{ascii}]|{string.Join('|', wide)})*$";
    }

    /// <summary>A character's UTF-8 bytes as printf's octal escapes (U+00A0: \302\240).</summary>
    private static string Octal(char c) =>
        string.Concat(Encoding.UTF8.GetBytes(c.ToString()).Select(b => "\\" + Convert.ToString(b, 8)));
}
