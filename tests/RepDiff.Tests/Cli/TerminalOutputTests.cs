using System.CommandLine;
using RepDiff.Cli;
using RepDiff.Tests.Robustness;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RepDiff.Tests.Cli;

/// <summary>What a terminal, a log and a notebook get from the commands users type most (helper h155).</summary>
public class TerminalOutputTests
{
    /// <summary>The table laid out as a terminal of <paramref name="width"/> columns would get it, without ANSI codes.</summary>
    private static string Render(IRenderable table, int width)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        console.Write(table);
        return text.ToString();
    }

    /// <summary>
    /// Spectre breaks a cell at any space, so at 80 columns "3 members digit_3 ×2, digit_5 ×1" had become "3 members digit_3"
    /// over "×2, digit_5 ×1": a count parted from its label. A cell of phrases breaks only between them while each fits
    /// (tables are never laid out narrower than 80 columns, <see cref="Terminal.MinWidth"/>).
    /// </summary>
    [Fact]
    public void ANarrowCellBreaksBetweenLabelsNeverInsideOne()
    {
        var phrases = new[] { "3", "members", "class three ×2,", "fiction ×14,", "digit_5 ×1" };
        var table = new Table().AddColumns("method", "direction", "concepts", "strongest concept", "BSR, SILB (chance)");
        table.AddRow(new Markup("rdx"), new Markup("more_similar_in_a"), new Markup("5"), Terminal.Phrases(phrases), new Markup("0.819 (0.50)"));
        foreach (int width in new[] { 80, 100 })
        {
            var lines = Render(table, width).Split('\n');
            foreach (var phrase in phrases.Skip(2)) Assert.True(lines.Any(line => line.Contains(phrase)), $"{phrase} at {width}:\n{string.Join("\n", lines)}");
            Assert.DoesNotContain(lines, line => line.Contains("│ ×"));
        }
        // Wide enough, the phrases share one line as before.
        Assert.Contains("3 members class three ×2, fiction ×14, digit_5 ×1", Render(table, 120));
    }

    /// <summary>A phrase wider than its column still wraps at its own spaces rather than being cut.</summary>
    [Fact]
    public void APhraseWiderThanItsColumnWrapsWhole()
    {
        var table = new Table().AddColumn("labels");
        table.Columns[0].Width = 12;
        table.AddRow(Terminal.Phrases(["a very long label name ×3"]));
        string shown = Render(table, 80);
        foreach (var word in new[] { "very", "long", "label", "name", "×3" }) Assert.Contains(word, shown);
    }

    /// <summary>
    /// --help had listed every option and never a whole command line: each command's help now ends with examples, every one
    /// of which parses as it stands and fits 80 columns; the descriptions of compare, embed and inspect fit one line there.
    /// </summary>
    [Fact]
    public void EveryCommandsHelpEndsWithExamplesThatParse()
    {
        var root = RepDiff.Cli.Cli.BuildRoot();
        foreach (var command in root.Subcommands.Prepend(root))
        {
            var outcome = command == root ? CliHarness.Run("--help") : CliHarness.Run(command.Name, "--help");
            Assert.Equal(0, outcome.Code);
            string help = outcome.Stdout.ReplaceLineEndings("\n");
            int at = help.IndexOf("\nExamples:\n", StringComparison.Ordinal);
            Assert.True(at >= 0, $"{command.Name} --help has no examples");
            var examples = help[(at + "\nExamples:\n".Length)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.NotEmpty(examples);
            foreach (var example in examples)
            {
                Assert.StartsWith("  repdiff ", example);
                Assert.True(example.Length <= 80, $"wider than 80 columns: {example}");
                var parse = RepDiff.Cli.Cli.BuildRoot().Parse(example.Trim().Split(' ')[1..]);
                Assert.True(parse.Errors.Count == 0, $"{example}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
            }
        }
        foreach (var name in new[] { "compare", "embed", "inspect" })
        {
            string description = CliHarness.Run(name, "--help").Stdout.Split('\n')[1];
            Assert.True(description.TrimEnd().Length <= 80, $"{name}: {description}");
        }
    }

    [Theory]
    [InlineData(null, null, "C.UTF-8", true)]
    [InlineData(null, null, "en_US.utf8", true)]
    [InlineData("C", null, "en_US.UTF-8", false)]
    [InlineData(null, "POSIX", "en_US.UTF-8", false)]
    [InlineData("", "de_DE.UTF-8", "C", true)]
    [InlineData(null, null, "C", false)]
    [InlineData(null, null, null, false)]
    [InlineData(null, null, "en_US.ISO-8859-1", false)]
    public void TheLocaleNamesUtf8AsTheCLibraryReadsIt(string? all, string? ctype, string? lang, bool utf8)
    {
        var variables = new Dictionary<string, string?> { ["LC_ALL"] = all, ["LC_CTYPE"] = ctype, ["LANG"] = lang };
        Assert.Equal(utf8, Terminal.Utf8Locale(name => variables[name]));
    }

    /// <summary>
    /// The tool's drawing symbols in ASCII, one character for one, so a measured table keeps its borders; a label's own letters,
    /// Greek ones included, are kept (spelled out, "λ-phage" had read "lambda-phage" and moved the border).
    /// </summary>
    [Fact]
    public void AsciiReplacesTheToolsSymbolsAndKeepsOtherText()
    {
        Assert.Equal("| class 3 x12, caf\u00e9 x1 | - |", Terminal.ToAscii("│ class 3 ×12, café ×1 │ – │"));
        Assert.Equal("| \u03bb-phage x10, \u03bc-opioid x2 |", Terminal.ToAscii("│ λ-phage ×10, μ-opioid ×2 │"));
        Assert.Equal("plain text", Terminal.ToAscii("plain text"));
    }

    [Theory]
    [InlineData(null, 120)]
    [InlineData("", 120)]
    [InlineData("abc", 120)]
    [InlineData("-5", 120)]
    [InlineData("100", 100)]
    [InlineData("60", 80)]
    [InlineData("99999", 1000)]
    public void AFileOrPipeTakesColumnsWidthNeverBelowEighty(string? columns, int width)
        => Assert.Equal(width, Terminal.NotATerminalWidth(columns));
}
