using System.Text;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>
/// Text from input files (names, labels, ids, cells quoted in errors) made safe for a terminal: control
/// characters (C0, DEL, C1, which start escape sequences that can retitle the window, clear the screen or
/// worse) and bidirectional overrides (which reorder what is shown) become '?'.
/// </summary>
internal static class TerminalText
{
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (!text.AsSpan().ContainsAny(Unsafe)) return text;
        var clean = new StringBuilder(text.Length);
        foreach (char c in text) clean.Append(Unsafe.Contains(c) ? '?' : c);
        return clean.ToString();
    }

    /// <summary>Clean text escaped for Spectre markup (table cells and titles).</summary>
    public static string Markup(string? text) => Spectre.Console.Markup.Escape(Clean(text));

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(i => (char)i), '\x7F', .. Enumerable.Range(0x80, 0x20).Select(i => (char)i),
         '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']);

    /// <summary>A Spectre console writing to <paramref name="writer"/>: styled only when it is the real, interactive stdout.</summary>
    public static IAnsiConsole For(TextWriter writer)
    {
        bool plain = !ReferenceEquals(writer, Console.Out) || Console.IsOutputRedirected;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = plain ? InteractionSupport.No : InteractionSupport.Detect,
        });
    }

    /// <summary>
    /// Spectre's console for this process: colours and cursor movement only on an interactive terminal;
    /// redirected output (a pipe, a log file) gets plain text.
    /// </summary>
    public static void ConfigureConsole()
    {
        if (!Console.IsOutputRedirected && !Console.IsErrorRedirected) return;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
    }
}
