using Spectre.Console;
using Spectre.Console.Rendering;

namespace RepDiff.Cli;

/// <summary>
/// What the commands print: tables go to <see cref="Cli.Out"/> (so tests and pipes get them), as plain
/// text without colour codes unless stdout is a terminal; text from input files is stripped of control
/// characters, so a file cannot drive the terminal.
/// </summary>
internal static class Terminal
{
    public static string Clean(string text) => string.Create(text.Length, text, (span, source) =>
    {
        for (int i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) || BidiControls.Is(source[i]) ? ' ' : source[i];
    });

    /// <summary>
    /// A table under its title, written as a plain line of its own: Spectre cuts a table's own title to the table's width
    /// ("a.npy (A) vs b.npy (B), n = ⏎ 1797", "/data/run-3/f…"), and a path or two model names are often wider than the table.
    /// </summary>
    public static void Write(string title, IRenderable table)
    {
        Cli.Out.WriteLine(Clean(title));
        Write(table);
    }

    /// <summary>
    /// A table cell that wraps between its phrases and never inside one that fits the column: "digit_3 ×2" is one phrase, and
    /// Spectre, which breaks at any space (a no-break space too), had shown "3 members digit_3" above "×2, digit_5 ×1" at 80
    /// columns. The phrases are joined by spaces; one wider than the column still wraps at its own spaces.
    /// </summary>
    public static IRenderable Phrases(IEnumerable<string> phrases) => new PhraseCell([.. phrases.Select(Clean)]);

    private sealed class PhraseCell(IReadOnlyList<string> phrases) : Renderable
    {
        protected override Measurement Measure(RenderOptions options, int maxWidth)
        {
            int widest = phrases.Count == 0 ? 0 : phrases.Max(p => p.GetCellWidth());
            int oneLine = string.Join(' ', phrases).GetCellWidth();
            return new Measurement(Math.Min(widest, maxWidth), Math.Min(oneLine, maxWidth));
        }

        protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
        {
            var lines = new List<string>();
            string line = "";
            foreach (var phrase in phrases)
            {
                if (line.Length > 0 && line.GetCellWidth() + 1 + phrase.GetCellWidth() > maxWidth)
                {
                    lines.Add(line);
                    line = "";
                }
                line = line.Length == 0 ? phrase : line + " " + phrase;
            }
            lines.Add(line);
            return ((IRenderable)new Text(string.Join('\n', lines))).Render(options, maxWidth);
        }
    }

    /// <summary>
    /// The width of a table written to a file or a pipe (a log, a notebook's subprocess): COLUMNS where it is set, as a notebook
    /// user sets it for a narrower pane (no narrower than <see cref="MinWidth"/>), else 120, which keeps each row of the
    /// comparison's table on one line of a log. COLUMNS had been ignored there.
    /// </summary>
    internal static int NotATerminalWidth(string? columns)
        => int.TryParse(columns, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int width) && width > 0
            ? Math.Clamp(width, MinWidth, 1000) : 120;

    /// <summary>
    /// Whether the terminal gets ASCII for the tool's own symbols: set by <see cref="ProcessSetup"/> when standard output is a
    /// terminal and the locale names no UTF-8 character set (LANG=C, LC_ALL=POSIX, or none at all). tmux started under such a
    /// locale had drawn "×" as "_" ("digit_3 _2") and "┬" likewise; a file or a pipe keeps UTF-8, which Python decodes under any
    /// locale.
    /// </summary>
    internal static bool AsciiOnly { get; set; }

    /// <summary>Whether the locale (LC_ALL, else LC_CTYPE, else LANG, as the C library reads them) names UTF-8.</summary>
    internal static bool Utf8Locale(Func<string, string?> variable)
    {
        string? locale = new[] { "LC_ALL", "LC_CTYPE", "LANG" }.Select(variable).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return locale is not null && (locale.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) || locale.Contains("utf8", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The ellipsis of a shortened label: "..." where the terminal gets ASCII, since a table measures "…" as one column.</summary>
    public static string Ellipsis => AsciiOnly ? "..." : "…";

    /// <summary>
    /// A writer that puts an ASCII look-alike in place of the symbols the tool draws with (×, dashes, quotes, box drawing), one
    /// character for one, so a table Spectre has measured keeps its borders; every other character, a label's own letters and
    /// λ or ± included, is written as it is. Spelled out ("λ" as "lambda") they had moved a table's right border and renamed a
    /// user's labels ("λ-phage" read "lambda-phage", matching nothing in the labels file or the report; helper 157).
    /// </summary>
    public static TextWriter AsciiWriter(TextWriter inner) => new Transliterating(inner);

    internal static string ToAscii(string text) => text.Any(c => c > 0x7F) ? string.Create(text.Length, text, (chars, source) =>
    {
        for (int i = 0; i < source.Length; i++) chars[i] = AsciiFor(source[i]);
    }) : text;

    private static char AsciiFor(char c) => c switch
    {
        '×' => 'x', '–' or '—' or '−' or '─' or '━' => '-', '·' or '•' => '.', '‘' or '’' => '\'', '“' or '”' => '"',
        '│' or '┃' => '|', '┌' or '┐' or '└' or '┘' or '├' or '┤' or '┬' or '┴' or '┼' => '+',
        _ => c,
    };

    private sealed class Transliterating(TextWriter inner) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;
        public override void Write(char value) => inner.Write(AsciiFor(value));
        public override void Write(string? value) => inner.Write(value is null ? null : ToAscii(value));
        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
        public override void WriteLine(string? value) => inner.WriteLine(value is null ? null : ToAscii(value));
        public override void Flush() => inner.Flush();
    }

    /// <summary>The narrowest a table is laid out on a terminal.</summary>
    internal const int MinWidth = 80;

    public static void Write(IRenderable renderable)
    {
        bool terminal = Cli.OutIsConsole && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Cli.Out),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (terminal && AsciiOnly && renderable is Table table) table.Border = TableBorder.Ascii;
        // Never narrower than 80 columns: on a terminal of 20, Spectre had wrapped every cell a character a line, numbers
        // included ("1", "5", ".", "7", "5" for 15.75); wider lines are the terminal's to wrap, whole (helper 99).
        console.Profile.Width = terminal ? Math.Max(console.Profile.Width, MinWidth) : NotATerminalWidth(Environment.GetEnvironmentVariable("COLUMNS"));
        console.Write(renderable);
    }
}
