using RepDiff.Cli;
using Spectre.Console;

namespace RepDiff.Tests.Cli;

/// <summary>What a terminal shows of lines written while a progress bar is on it.</summary>
public class ProgressBarTests
{
    /// <summary>
    /// The demo warns while its bar is shown ("koda is left out of the merged-labels pair"): written to stderr under the
    /// bar, the line was drawn over by the bar's next refresh and cleared with it, so a terminal showed no warning at the
    /// end. Written above the bar, it stays; the bar itself is cleared. The terminal is replayed by <see cref="Screen"/>.
    /// </summary>
    [Fact]
    public void ALineWrittenWhileTheBarIsShownStaysOnTheScreenAboveIt()
    {
        string output = OnATerminal(() => ProgressDisplay.ShowBar(ctx =>
        {
            var task = ctx.AddTask("comparing 3 pairs", maxValue: 1.0);
            task.Value = 0.5;
            ctx.Refresh();
            // From one of the work's threads, as a method's stage would.
            Task.Run(() => RepDiff.Cli.Cli.Warn("koda is left out of the merged-labels pair")).Wait();
            ctx.Refresh();
            task.Value = 1;
            ctx.Refresh();
        }));
        var shown = Screen(output).Where(l => l.Trim().Length > 0).ToList();
        Assert.True(shown is ["warning: koda is left out of the merged-labels pair"], string.Join("\n", shown));
        // No bar shown: the line goes to stderr as before.
        Assert.False(ProgressDisplay.WriteAbove("x"));
    }

    /// <summary>
    /// A run refused while its bar is shown (a model failing on a later batch) prints its one error line once the bar is
    /// gone: the bar is cleared as the refusal leaves it, so the terminal shows nothing of it above or below that line.
    /// </summary>
    [Fact]
    public void ABarIsClearedWhenItsWorkIsRefused()
    {
        string output = OnATerminal(() => Assert.Throws<RepDiff.RepDiffInputException>(() => ProgressDisplay.ShowBar(ctx =>
        {
            var task = ctx.AddTask("embedding 1/3", maxValue: 1.0);
            task.Value = 0.33;
            ctx.Refresh();
            throw new RepDiff.RepDiffInputException("model.onnx: cannot run on 32x32 images");
        })));
        Assert.Contains("embedding 1/3", output);  // the bar was drawn
        var shown = Screen(output).Where(l => l.Trim().Length > 0).ToList();
        Assert.True(shown.Count == 0, string.Join("\n", shown));
    }

    /// <summary>What <paramref name="work"/> writes to a 120-column terminal that takes ANSI codes, with its control codes.</summary>
    private static string OnATerminal(Action work)
    {
        var terminal = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(terminal), Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.Yes,
        });
        console.Profile.Width = 120;
        var before = AnsiConsole.Console;
        AnsiConsole.Console = console;
        try { work(); }
        finally { AnsiConsole.Console = before; }
        return terminal.ToString();
    }

    /// <summary>
    /// The lines a terminal shows after <paramref name="output"/>: characters, carriage returns, new lines, cursor up
    /// (ESC [ n A) and erase in line (ESC [ n K), the controls Spectre's live display uses; other controls are ignored.
    /// </summary>
    private static List<string> Screen(string output)
    {
        var lines = new List<System.Text.StringBuilder> { new() };
        int row = 0, column = 0;
        for (int i = 0; i < output.Length; i++)
        {
            char c = output[i];
            if (c == '\u001b' && i + 1 < output.Length && output[i + 1] == '[')
            {
                int end = i + 2;
                while (end < output.Length && !char.IsAsciiLetter(output[end])) end++;
                string argument = output[(i + 2)..end];
                int n = int.TryParse(argument, out int parsed) ? parsed : 0;
                if (output[end] == 'A') row = Math.Max(0, row - Math.Max(1, n));
                else if (output[end] == 'K')
                {
                    var line = lines[row];
                    if (n == 2) line.Clear();
                    else if (column < line.Length) line.Length = column;
                }
                i = end;
            }
            else if (c == '\r') column = 0;
            else if (c == '\n')
            {
                row++;
                column = 0;
                while (lines.Count <= row) lines.Add(new());
            }
            else if (c != '\u001b')
            {
                var line = lines[row];
                while (line.Length < column) line.Append(' ');
                if (column < line.Length) line[column] = c;
                else line.Append(c);
                column++;
            }
        }
        return lines.Select(l => l.ToString().TrimEnd()).ToList();
    }
}
