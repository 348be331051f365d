namespace RepDiff;

/// <summary>
/// A path or name as one word of a POSIX shell command in a message's suggestion ("gunzip -c 'my texts.gz' > …"), so the
/// command works when pasted: as it is where it holds only characters no shell treats specially, else single-quoted (a
/// quote inside closes, escapes and reopens).
/// </summary>
public static class ShellWord
{
    public static string Of(string text) => text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-' or '+' or ',' or ':' or '@' or '%') && text[0] != '-'
        ? text
        : "'" + text.Replace("'", "'\\''") + "'";
}
