namespace RepDiff.Cli;

/// <summary>Text from input files shown on a terminal: control characters removed, so a file cannot drive the terminal.</summary>
internal static class Terminal
{
    public static string Clean(string text) => string.Create(text.Length, text, (span, source) =>
    {
        for (int i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) ? ' ' : source[i];
    });
}
