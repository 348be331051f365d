using System.Diagnostics;
using RepDiff;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// The real process in the environments users run it in (helper 99): closed standard streams, a low open-files limit, a
/// locale with a decimal comma, a terminal without ANSI codes, a model cache that cannot be written. Each runs
/// `dotnet RepDiff.Cli.dll` through /bin/sh, since these are properties of the process, not of a command line.
/// </summary>
public class ProcessEnvironmentTests
{
    private readonly string dir = TestData.TempDir();
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "RepDiff.Cli.dll");

    /// <summary>A UTF-8 locale, for a terminal test that expects box drawing: CI's environment may name no locale, which is C.</summary>
    private static readonly (string, string)[] Utf8 = [("LC_ALL", "C.UTF-8"), ("LANG", "C.UTF-8")];

    private static (int Code, string Stdout, string Stderr) Shell(string command, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command }, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(300_000), $"did not finish: {command}");
        return (process.ExitCode, stdout.Result, stderr);
    }

    /// <summary>
    /// 2>&- had ended every method command with SIGABRT at its first progress line (exit 134, nothing written); >&- ran the
    /// whole method and then said "internal error: UnauthorizedAccessException: Access to the path is denied." (exit 1); with
    /// stdin closed too, the runtime's own pipe took descriptor 1 or 2 and was written into.
    /// </summary>
    [Fact]
    public void ClosedStandardStreamsAreNotACrash()
    {
        var (a, b, _) = SmallPair(dir);
        string Out(string name) => Path.Combine(dir, name);
        foreach (string closed in new[] { "2>&-", "<&- 2>&-" })
        {
            string name = closed.Length == 4 ? "err" : "in-err";
            var (code, stdout, _) = Shell($"dotnet {Cli} kmeans {a} {b} --out {Out(name)} {closed}");
            Assert.Equal(0, code);
            Assert.Contains("Wrote ", stdout);
            Assert.True(File.Exists(Path.Combine(Out(name), "results.json")));
        }
        foreach (string closed in new[] { ">&-", "<&- >&-", "1</dev/null" })
        {
            var (code, _, stderr) = Shell($"dotnet {Cli} kmeans {a} {b} --out {Out("out")} {closed}");
            Assert.Equal(2, code);
            Assert.Equal("error: standard output is closed (or not open for writing); send it to /dev/null (> /dev/null) to discard what the command prints",
                Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
            Assert.False(Directory.Exists(Out("out")), "refused before any work");
        }
        Assert.Equal(2, Shell($"dotnet {Cli} --version >&- 2>&-").Code);
    }

    /// <summary>`ulimit -n 64`: SIGABRT with .NET's unhandled-exception dump (an assembly that could not load, then the error line).</summary>
    [Fact]
    public void TooFewOpenFilesIsOneLine()
    {
        var (a, b, _) = SmallPair(dir);
        var (code, _, stderr) = Shell($"ulimit -n 64 && dotnet {Cli} kmeans {a} {b} --out {Path.Combine(dir, "out")}");
        Assert.Equal(2, code);
        Assert.StartsWith("error: at most 64 files may be open at once (ulimit -n)", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    /// <summary>
    /// The limit refuses only what would not fit (helper 100): `--version`, `--help` and `info` (about 50 open files) had been
    /// refused under `ulimit -n 64`, and a kmeans run (80) under `ulimit -n 140`, all of which run there.
    /// </summary>
    [Fact]
    public void AnOpenFilesLimitRefusesOnlyRunsThatDoNotFit()
    {
        foreach (string printing in new[] { "--version", "--help", "kmeans --help", "info" })
        {
            var (code, stdout, stderr) = Shell($"ulimit -n 64 && dotnet {Cli} {printing}");
            Assert.True(code == 0, $"{printing}: {stderr}");
            Assert.NotEmpty(stdout);
        }
        var (a, b, _) = SmallPair(dir);
        var run = Shell($"ulimit -n 140 && dotnet {Cli} kmeans {a} {b} --out {Path.Combine(dir, "out")}");
        Assert.True(run.Code == 0, run.Stderr);
        Assert.True(File.Exists(Path.Combine(dir, "out", "results.json")));
    }

    /// <summary>
    /// A limit on address space (ulimit -v 2500000, 2.4 GiB): `spec` on 2,000 × 256 (4 MB of data) had ended in the runtime's
    /// "Out of memory." and SIGABRT during its UMAP layout, glibc's per-thread malloc arenas (64 MB each) having taken the space.
    /// It still did on a machine of 8 cores or more (here 64, as DOTNET_PROCESSOR_COUNT tells the runtime): the arenas of the
    /// runtime's first threads had been made before the bound was set (helper 102). The second run's folder has a space in
    /// its name: the process that starts itself again keeps its arguments whole.
    /// </summary>
    [Fact]
    public void AnAddressSpaceLimitLeavesRoomForASmallRun()
    {
        var random = new Random(7);
        Matrix Gaussian() => new(2000, 256, Enumerable.Range(0, 2000 * 256).Select(_ => (float)random.NextDouble() - (float)random.NextDouble()).ToArray());
        string a = Path.Combine(dir, "a.npy"), b = Path.Combine(dir, "b.npy");
        Npy.Write(a, Gaussian());
        Npy.Write(b, Gaussian());
        foreach (var (outDir, cores) in new[] { (Path.Combine(dir, "out"), ""), (Path.Combine(dir, "out on 64 cores"), "DOTNET_PROCESSOR_COUNT=64 ") })
        {
            var (code, _, stderr) = Shell($"ulimit -v 2500000 && {cores}dotnet {Cli} spec {a} {b} --out '{outDir}'");
            Assert.True(code == 0, $"{cores}: {stderr[Math.Max(0, stderr.Length - 300)..]}");
            Assert.True(File.Exists(Path.Combine(outDir, "results.json")));
        }
    }

    /// <summary>
    /// `info` under an address-space limit with a small GC heap printed every line and then never exited: loading OpenBLAS (to
    /// say whether it is available) started its threads, one of which retried a failed 128 MB allocation for ever while the
    /// exit waited for it (helper 108; MALLOC_ARENA_MAX set by the user, as here, skips the restart that bounds the arenas).
    /// `timeout` stops a hung run, whose exit code 124 fails the test.
    /// </summary>
    [Fact]
    public void InfoUnderAnAddressSpaceLimitExits()
    {
        var (code, stdout, stderr) = Shell($"ulimit -v 800000 && MALLOC_ARENA_MAX=8 DOTNET_GCHeapHardLimit=0x1000000 timeout 60 dotnet {Cli} info");
        Assert.True(code == 0, $"exit code {code}: {stderr[Math.Max(0, stderr.Length - 300)..]}");
        Assert.Contains("openblas: not loaded under an address-space limit (ulimit -v)", stdout);
    }

    /// <summary>
    /// DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=0 overrides the build's invariant globalization: under a German locale compare
    /// printed "linear_cka 0,934" beside "random neighbours 0.020", and the report "1,1 s".
    /// </summary>
    [Fact]
    public void NumbersKeepTheirPointInAnyLocale()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        var (code, stdout, stderr) = Shell($"dotnet {Cli} compare {a} {b} --methods kmeans --out {outDir} 2>&1",
            ("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "0"), ("LC_ALL", "de_DE.UTF-8"), ("LANG", "de_DE.UTF-8"));
        Assert.True(code == 0, stdout + stderr);
        Assert.Matches(@"context: linear_cka \d\.\d{3}, mutual_knn \d\.\d{3}", stdout);
        Assert.DoesNotMatch(@"\d,\d{3}\b", stdout);
        Assert.DoesNotMatch(@">\d+,\d+ s<", File.ReadAllText(Path.Combine(outDir, "report.html")));
    }

    /// <summary>
    /// A terminal without ANSI codes (TERM=dumb) had one progress line for a whole run (Spectre's fallback display): it gets
    /// the plain lines a log gets. Run on a pseudo-terminal through `script`.
    /// </summary>
    [Fact]
    public void ADumbTerminalGetsPlainProgressLines()
    {
        if (!File.Exists("/usr/bin/script")) return; // util-linux's script makes the pseudo-terminal
        var (a, b, _) = SmallPair(dir);
        string typescript = Path.Combine(dir, "typescript");
        var (code, _, _) = Shell($"script -qec 'TERM=dumb dotnet {Cli} kmeans {a} {b} --out {Path.Combine(dir, "out")}' {typescript} < /dev/null > /dev/null");
        Assert.Equal(0, code);
        string shown = File.ReadAllText(typescript);
        Assert.Contains("kmeans: 100%", shown);
        Assert.Contains("report model: 100%", shown);
        Assert.DoesNotContain("\u001b[", shown);
    }

    /// <summary>
    /// A terminal 20 columns wide had the summary table wrapped a character a line, numbers cut ("1", "5", ".", "7", "5"): tables
    /// keep at least 80 columns, whole rows for the terminal to wrap.
    /// </summary>
    [Fact]
    public void ANarrowTerminalKeepsTableRowsWhole()
    {
        if (!File.Exists("/usr/bin/script")) return;
        var (a, b, _) = SmallPair(dir);
        string typescript = Path.Combine(dir, "typescript");
        var (code, _, _) = Shell($"script -qec 'stty cols 20; COLUMNS=20 dotnet {Cli} kmeans {a} {b} --out {Path.Combine(dir, "out")}' {typescript} < /dev/null > /dev/null", Utf8);
        Assert.Equal(0, code);
        Assert.Matches(@"│ concepts_of_a │ 1 +│ \d+\.\d+ +│ \d+ +│ \d\.\d{3} \(\d\.\d{3}\) │", File.ReadAllText(typescript));
    }

    /// <summary>
    /// The comparison's table on a real terminal 80 columns wide, with labels of two words (helper h155): Spectre had broken the
    /// strongest concept's cell at any space, so a count stood on the line below its label ("class two" / "×14, class one").
    /// </summary>
    [Fact]
    public void AnEightyColumnTerminalKeepsEachLabelWithItsCount()
    {
        if (!File.Exists("/usr/bin/script")) return;
        var (code, typescript, _, _, _) = CompareOnAnEightyColumnTerminal("NO_COLOR=1 ", Utf8);
        Assert.Equal(0, code);
        var table = File.ReadAllText(typescript).Split('\n').Where(l => l.StartsWith('│')).ToList();
        Assert.NotEmpty(table);
        Assert.All(table, line => Assert.True(line.TrimEnd('\r').Length <= 80, line));
        Assert.Contains(table, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"class \d+ ×\d+"));
        Assert.DoesNotContain(table, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"│ ×|class +│|class$"));
        // NO_COLOR (no-color.org): no colour codes on the terminal.
        Assert.DoesNotContain("\u001b[38;", File.ReadAllText(typescript));
    }

    /// <summary>
    /// A terminal under LC_ALL=C (tmux started there drew "×" as "_": "class 2 _12") gets ASCII: borders of + - |, counts as
    /// "x12", an ASCII progress bar; not one byte above 0x7F. The same run into a file keeps UTF-8.
    /// </summary>
    [Fact]
    public void ATerminalWithoutAUtf8LocaleGetsAscii()
    {
        if (!File.Exists("/usr/bin/script")) return;
        var (code, typescript, a, b, labels) = CompareOnAnEightyColumnTerminal("", ("LC_ALL", "C"), ("LANG", "C"));
        Assert.Equal(0, code);
        byte[] shown = File.ReadAllBytes(typescript);
        Assert.DoesNotContain(shown, value => value > 0x7F);
        string text = System.Text.Encoding.ASCII.GetString(shown);
        Assert.Matches(@"\|-{8}\+-{19}\+", text);
        Assert.Matches(@"\| rdx +\| more_similar_in_a \|", text);
        Assert.Matches(@"class \d+ x\d+", text);
        var (fileCode, stdout, _) = Shell($"dotnet {Cli} kmeans {a} {b} --labels {labels} --out {Path.Combine(dir, "out2")}", ("LC_ALL", "C"), ("LANG", "C"));
        Assert.Equal(0, fileCode);
        Assert.Contains("┌", stdout);
        Assert.Matches(@"class \d+ ×\d+", stdout);
    }

    /// <summary>
    /// `compare` (rdx, kmeans) of a small pair whose labels are two words ("class 3") on a pty of 80 columns under
    /// <paramref name="environment"/>, <paramref name="prefix"/> before the command; what the terminal showed is in the typescript.
    /// </summary>
    private (int Code, string Typescript, string A, string B, string Labels) CompareOnAnEightyColumnTerminal(string prefix, params (string Name, string Value)[] environment)
    {
        var (a, b, labels) = SmallPair(dir);
        File.WriteAllLines(labels, File.ReadAllLines(labels).Select(l => $"class {l}"));
        string typescript = Path.Combine(dir, "typescript");
        var (code, _, _) = Shell($"script -qec 'stty cols 80; {prefix}dotnet {Cli} compare {a} {b} --labels {labels} --methods rdx,kmeans --out {Path.Combine(dir, "out")}' {typescript} < /dev/null > /dev/null",
            environment);
        return (code, typescript, a, b, labels);
    }

    /// <summary>COLUMNS sets the width of a table written to a file or a pipe (a notebook's narrower pane); it had been ignored.</summary>
    [Fact]
    public void ColumnsSetsTheWidthOfATableInAFile()
    {
        var (a, b, labels) = SmallPair(dir);
        var (code, stdout, _) = Shell($"dotnet {Cli} compare {a} {b} --labels {labels} --methods rdx,kmeans --out {Path.Combine(dir, "out")}", ("COLUMNS", "80"));
        Assert.Equal(0, code);
        var table = stdout.Split('\n').Where(l => l.StartsWith('│')).ToList();
        Assert.NotEmpty(table);
        Assert.All(table, line => Assert.Equal(80, line.Length));
    }

    /// <summary>
    /// A log of both streams (`&gt; both.log 2&gt;&amp;1`, as nohup, SLURM and CI keep it): no escape codes, no carriage-return
    /// redraws, a bounded number of progress lines (one a stage and quarter), and stdout's table and finding whole lines; in UTF-8
    /// under LC_ALL=C too, as a file is read later by tools that decode it so.
    /// </summary>
    [Fact]
    public void ALogOfBothStreamsHoldsPlainWholeLines()
    {
        var (a, b, labels) = SmallPair(dir);
        string log = Path.Combine(dir, "both.log");
        var (code, _, _) = Shell($"dotnet {Cli} compare {a} {b} --labels {labels} --out {Path.Combine(dir, "out")} > {log} 2>&1", ("LC_ALL", "C"));
        Assert.Equal(0, code);
        string text = File.ReadAllText(log);
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\r', text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var progress = lines.Where(l => l.EndsWith('%')).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress.GroupBy(l => l[..l.LastIndexOf(':')]), stage => Assert.True(stage.Count() <= 10, stage.Key));
        var table = lines.SkipWhile(l => !l.StartsWith('┌')).TakeWhile(l => !l.StartsWith("context:")).ToList();
        Assert.True(table.Count > 3 && table[^1].StartsWith('└'), string.Join("\n", table));
        Assert.Single(table.Select(l => l.Length).Distinct());
        Assert.Single(lines, l => l.StartsWith("finding: ") && l.EndsWith('.'));
    }

    /// <summary>A regular file to put in a folder's place, two sentences, and an empty NuGet package folder (no model fetched yet).</summary>
    private (string File, string Texts, string EmptyPackages) BeforeTheFirstFetch()
    {
        string file = Path.Combine(dir, "a-file");
        File.WriteAllText(file, "x");
        string texts = Path.Combine(dir, "texts.txt");
        File.WriteAllLines(texts, ["one sentence", "another one"]);
        return (file, texts, Directory.CreateDirectory(Path.Combine(dir, "packages")).FullName);
    }

    /// <summary>
    /// A built-in model's first use where the model cache cannot be written (a read-only home, here a file in the cache's
    /// place) had been "internal error: IOException: Read-only file system" (exit 1), after a "fetching …" line.
    /// </summary>
    [Fact]
    public void AModelCacheThatCannotBeWrittenIsOneLine()
    {
        var (file, texts, emptyPackages) = BeforeTheFirstFetch();
        var (code, _, stderr) = Shell($"dotnet {Cli} embed minilm-l6 --texts {texts} --out {Path.Combine(dir, "e.npy")}",
            ("REPDIFF_MODEL_CACHE", Path.Combine(file, "models")), ("NUGET_PACKAGES", emptyPackages));
        Assert.Equal(2, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: the model cache {Path.Combine(file, "models")} cannot be written (", line);
        Assert.EndsWith("set REPDIFF_MODEL_CACHE (or XDG_CACHE_HOME) to a folder you can write", line);
        Assert.Empty(Directory.GetFileSystemEntries(emptyPackages));
    }

    /// <summary>
    /// `embed` of a built-in model not yet fetched, into an --out that cannot be written: refused before the model is fetched.
    /// The package (hundreds of MB with its dependencies) had been fetched first, and the --out refused only then (helper h150).
    /// </summary>
    [Fact]
    public void AnOutThatCannotBeWrittenIsRefusedBeforeABuiltInModelIsFetched()
    {
        var (file, texts, emptyPackages) = BeforeTheFirstFetch();
        string emptyModels = Directory.CreateDirectory(Path.Combine(dir, "models")).FullName;
        string output = Path.Combine(file, "e.npy");
        var (code, _, stderr) = Shell($"dotnet {Cli} embed minilm-l6 --texts {texts} --out {output}",
            ("REPDIFF_MODEL_CACHE", emptyModels), ("NUGET_PACKAGES", emptyPackages));
        Assert.Equal(2, code);
        Assert.Equal($"error: --out {output}: {file} is a regular file, not a folder", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Empty(Directory.GetFileSystemEntries(emptyPackages));
        Assert.Empty(Directory.GetFileSystemEntries(emptyModels));
    }

    /// <summary>
    /// A compressed file redirected into the command as /dev/stdin: the advice had been "gunzip -c /dev/stdin >
    /// /dev/stdin.txt", a file that cannot be written; it names the redirected file itself.
    /// </summary>
    [Fact]
    public void ACompressedFileGivenAsStandardInputIsNamedInTheAdvice()
    {
        var (a, b, _) = SmallPair(dir);
        string gz = Path.Combine(dir, "labels.txt.gz"), output = Path.Combine(dir, "out");
        File.WriteAllBytes(gz, [0x1f, 0x8b, 8, 0]);
        var (code, _, stderr) = Shell($"dotnet {Cli} rdx {a} {b} --labels /dev/stdin --out {output} < {gz}");
        Assert.Equal(2, code);
        Assert.Equal($"error: --labels /dev/stdin: is gzip-compressed; decompress it first (gunzip -c {gz} > {gz[..^3]}): text files are read as they are",
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(Directory.Exists(output));
    }
}
