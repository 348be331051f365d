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
        // Never narrower than 80 columns: on a terminal of 20, Spectre had wrapped every cell a character a line, numbers
        // included ("1", "5", ".", "7", "5" for 15.75); wider lines are the terminal's to wrap, whole (helper 99).
        console.Profile.Width = terminal ? Math.Max(console.Profile.Width, MinWidth) : 120;
        console.Write(renderable);
    }
}
