namespace RepDiff;

/// <summary>
/// A path or name as one word of a POSIX shell command in a message's suggestion ("gunzip -c 'my texts.gz' > …"), so the
/// command works when pasted: as it is where it holds only characters no shell treats specially, else single-quoted (a
/// quote inside closes, escapes and reopens).
/// </summary>
public static class ShellWord
{
    public static string Of(string text) => IsPlain(text) && text[0] != '-' ? text : Quoted(text);

    /// <summary>
    /// A command line as one pasteable string: <paramref name="program"/> and each word as the shell needs it. An option
    /// (`--seed`, `--key=emb`) is left as typed: a quote would not stop it being an option, it would only hide what it is.
    /// An '=' after a word's first character is plain too (zsh expands a word that starts with one).
    /// </summary>
    public static string Command(string program, IEnumerable<string> words) =>
        string.Join(' ', words.Select(word => IsPlain(word.Length > 1 ? word[0] + word[1..].Replace('=', '_') : word) ? word : Quoted(word)).Prepend(program));

    private static bool IsPlain(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-' or '+' or ',' or ':' or '@' or '%');

    private static string Quoted(string text) => "'" + text.Replace("'", "'\\''") + "'";
}
