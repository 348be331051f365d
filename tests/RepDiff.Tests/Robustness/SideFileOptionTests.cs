using System.Text;
using RepDiff.Tests.Embedding;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// Every refusal of a side file names the option that gave it, in one shape: "error: --ids ids.txt: is an HTML page; …".
/// --ids, --ids-a and --ids-b, rdx's --guide-labels, export's side files and embed's --texts had named the file alone
/// ("ids.txt: has 59 ids …"), or the option in another shape ("--guide-labels: g.txt: …"), so which input was wrong was
/// left to guess where two options take files of one kind.
/// </summary>
public class SideFileOptionTests : IDisposable
{
    private readonly string dir = TestData.TempDir();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A results.json of the 60-sample pair, written once for every export case.</summary>
    private static readonly Lazy<string> Results = new(() =>
    {
        string runDir = TestData.TempDir();
        var (a, b, _) = SmallPair(runDir);
        string output = Path.Combine(runDir, "run");
        var run = Run("pca", a, b, "--maps", "pca", "--out", output);
        Assert.True(run.Code == 0, run.Stderr);
        return Path.Combine(output, "results.json");
    });

    /// <summary>Each command's side-file option and each kind of bad file (kinds that do not apply left out).</summary>
    public static TheoryData<string, string, string> Cases()
    {
        string[] kinds = ["html page", "binary", "gzip", "fifo", "missing", "wrong count"];
        var cases = new TheoryData<string, string, string>();
        foreach (string option in new[] { "--ids", "--ids-a", "--ids-b", "--guide-labels" })
            foreach (string kind in kinds) cases.Add("rdx", option, kind);
        foreach (string option in new[] { "--ids", "--labels", "--texts", "--metadata" })
            foreach (string kind in kinds) cases.Add("export", option, kind);
        foreach (string kind in kinds.Where(kind => kind != "wrong count")) cases.Add("embed", "--texts", kind);
        // A web page saved on one line, given as the texts of 60 samples: a page, not one text of 59 too few.
        cases.Add("rdx", "--texts", "one-line page");
        cases.Add("export", "--texts", "one-line page");
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ARefusedSideFileIsNamedWithItsOptionFirst(string command, string option, string kind)
    {
        string side = Path.Combine(dir, option == "--metadata" ? "side.csv" : "side.txt");
        string good = option switch
        {
            "--metadata" => "colour\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"c{i % 3}\n")),
            "--texts" => string.Concat(Enumerable.Range(0, 60).Select(i => $"the cat {i}\n")),
            "--labels" or "--guide-labels" => string.Concat(Enumerable.Range(0, 60).Select(i => $"g{i % 3}\n")),
            _ => string.Concat(Enumerable.Range(0, 60).Select(i => $"s{i}\n")),
        };
        string what = Write(side, kind, good);
        string output = Path.Combine(dir, "out");
        var run = command switch
        {
            "export" => Run("export", Results.Value, option, side, "--out", Path.Combine(dir, "out.csv")),
            "embed" => Run("embed", TinyOnnx.TokenEcho(dir), "--vocab", TinyOnnx.Vocab(dir, "the", "cat"), option, side, "--out", Path.Combine(output, "e.npy")),
            _ => Run([command, .. Pair(), option, side, "--out", output]),
        };
        run.AssertBadInput($"error: {option} {side}: {what}");
        Assert.False(Path.Exists(output) || Path.Exists(Path.Combine(dir, "out.csv")), "an output was written");
    }

    /// <summary>A and B of 60 rows.</summary>
    private string[] Pair()
    {
        var (a, b, _) = SmallPair(dir);
        return [a, b];
    }

    /// <summary>Writes the bad file of <paramref name="kind"/> at <paramref name="path"/>; what the refusal says of it.</summary>
    private static string Write(string path, string kind, string good)
    {
        switch (kind)
        {
            case "html page":
                File.WriteAllText(path, "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Please sign in</body></html>\n");
                return "is an HTML page; a web page saved in place of the file";
            case "one-line page":
                File.WriteAllText(path, "<!DOCTYPE html><html><head><title>404</title></head><body>Not Found</body></html>\n");
                return "is an HTML page; a web page saved in place of the file";
            case "binary":
                File.WriteAllBytes(path, [.. Enumerable.Range(0, 1024).Select(i => (byte)(i % 256))]);
                return "";
            case "gzip":
                File.WriteAllBytes(path, MisnamedContentTests.Gzip(Encoding.UTF8.GetBytes(good)));
                return "is gzip-compressed; decompress it first";
            case "fifo":
                Fifo(path);
                return "is a FIFO (named pipe), not a regular file";
            case "missing":
                return "file not found";
            default: // one entry (or row) too few
                File.WriteAllText(path, string.Concat(good.Split('\n', StringSplitOptions.RemoveEmptyEntries).SkipLast(1).Select(line => line + "\n")));
                return "has 59 ";
        }
    }
}
