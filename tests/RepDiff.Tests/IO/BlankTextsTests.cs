using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using RepDiff.IO;
using RepDiff.Tests.Embedding;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.IO;

/// <summary>
/// The grep RepDiff suggests for blank texts leaves out exactly the lines it counts blank: '^[[:space:]]*$' had kept lines
/// of only no-break spaces (U+00A0, U+2007, U+202F), which RepDiff counts blank, and every space beyond ASCII in the C
/// locale. Run as given, in the C and a UTF-8 locale, with the system's grep.
/// </summary>
public class BlankTextsTests
{
    /// <summary>Texts of blank lines that only .NET's white space makes blank, beside texts that look blank and are not.</summary>
    private static readonly string[] Lines =
    [
        "the cat",
        "\u00A0",                    // blank: a no-break space
        "cat",
        "\u2007\u202F\u00A0",        // blank: figure and narrow no-break spaces
        " \t",                       // blank: ASCII spaces
        "the\u00A0cat",              // a text with a no-break space inside
        "\u200B",                    // a zero-width space is no white space: a text
        "\u3000\u2028\u0085 ",       // blank: ideographic space, line separator, next line
        "the",
    ];

    [Fact]
    public void EmbedsSuggestionLeavesOutTheLinesItNamesAsBlank()
    {
        string dir = TestData.TempDir();
        string vocab = TinyOnnx.Vocab(dir, "the", "cat");
        string model = TinyOnnx.TokenEcho(dir);
        string texts = Path.Combine(dir, "captions.txt");
        File.WriteAllText(texts, string.Join('\n', Lines) + "\n", new UTF8Encoding(false));
        var (code, _, error) = Run("embed", model, "--texts", texts, "--vocab", vocab, "--pooling", "mean", "--out", Path.Combine(dir, "t.npy"));
        Assert.True(code == 0, error);
        string warning = Assert.Single(error.Split('\n'), line => line.StartsWith("warning"));
        var named = Regex.Match(warning, @"\(lines ([0-9, ]+)\)").Groups[1].Value.Split(", ").Select(int.Parse).ToArray();
        Assert.Equal([2, 4, 5, 8], named);
        string command = Regex.Match(warning, "to leave them out: (.*) \\(the ids").Groups[1].Value;
        string nonblank = Path.Combine(dir, "captions.nonblank.txt");
        foreach (string locale in new[] { "C", "C.UTF-8" })
        {
            File.Delete(nonblank);
            Shell(command, locale);
            Assert.Equal(Kept(named), File.ReadAllText(nonblank, Encoding.UTF8).Split('\n')[..^1]);
        }
    }

    [Fact]
    public void TheCountMismatchsSuggestionLeavesOutTheLinesItCounts()
    {
        string dir = TestData.TempDir();
        string texts = Path.Combine(dir, "texts.txt");
        File.WriteAllText(texts, string.Join('\n', Lines) + "\n", new UTF8Encoding(false));
        // Nine lines, four of them blank: five texts, as five rows of embeddings made without the blank lines.
        string golden = Path.Combine(AppContext.BaseDirectory, "Data", "golden");
        var message = Assert.Throws<RepDiffInputException>(() =>
            new PairSpec(Path.Combine(golden, "le_f4.npy"), Path.Combine(golden, "le_f8.npy")) { Texts = texts }.Load()).Message;
        Assert.Contains("its 4 blank lines make the difference", message);
        string command = Regex.Match(message, @"leave them out of it too \((.*)\), or embed them").Groups[1].Value;
        foreach (string locale in new[] { "C", "C.UTF-8" })
            Assert.Equal(Kept([2, 4, 5, 8]), Shell(command, locale).Split('\n')[..^1]);
    }

    /// <summary>The lines but those numbered (1-based).</summary>
    private static string[] Kept(int[] blank) => Lines.Where((_, i) => !blank.Contains(i + 1)).ToArray();

    /// <summary>Runs a suggested command with /bin/sh in the locale given, returning its standard output.</summary>
    private static string Shell(string command, string locale)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8,
        };
        start.Environment["LC_ALL"] = locale;
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd(), error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} in {locale}: exit {process.ExitCode}: {error}");
        Assert.Equal("", error);
        return output;
    }
}
