using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;
using RepDiff.Cli;
using RepDiff.Demo;
using RepDiff.Embedding;
using RepDiff.Methods;
using RepDiff.Options;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Cli;

/// <summary>
/// Every `repdiff …` command line the user-facing docs show, parsed by the CLI's own command tree without running it:
/// the subcommand exists, every option is one of its options, and values of typed options (numbers, choices, method
/// names, presets) are accepted. Options renamed or removed in the code fail here instead of leaving the docs behind.
/// </summary>
public class DocumentedCommandsTests
{
    /// <summary>
    /// The docs a user reads to run RepDiff, the methods' notes among them (benchmarks.md and reliability.md are records of
    /// past sessions, and METHODS.md is the math, not instructions).
    /// </summary>
    private static readonly string[] DocFiles =
        ["README.md", "docs/embedding.md", "docs/own-models.md", "docs/metadata.md", "docs/findings.md", "docs/architecture.md", "docs/results-schema.md",
         "docs/methods/rdx.md", "docs/methods/spec.md", "docs/methods/baselines.md", "docs/methods/groups.md", "docs/methods/maps.md", "docs/methods/stability.md"];

    /// <summary>Tools other than repdiff whose command lines the docs show (their flags are theirs).</summary>
    private static readonly HashSet<string> OtherTools = ["dotnet", "pip", "optimum-cli", "python", "python3", "./build/publish-linux-x64.sh", "git"];

    private static readonly Regex Flag = new(@"(?<![\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:/-[a-z0-9]+)?", RegexOptions.Compiled);

    public sealed record DocCommand(string File, int Line, string Text, string[] Args)
    {
        public override string ToString() => $"{File}:{Line}: {Text}";
    }

    public sealed record DocText(string File, int Line, string Text, bool InCode);

    [Fact]
    public void EveryDocumentedCommandLineParses()
    {
        var commands = CodeBlockCommands().ToList();
        // The docs show more than fifteen; far fewer means the extraction broke, not that the docs are right.
        Assert.True(commands.Count >= 15, $"only {commands.Count} command lines found in the docs' code blocks");
        var problems = commands.SelectMany(c => Problems(c.Args).Select(p => $"{c}\n    {p}")).ToList();
        Assert.True(problems.Count == 0, $"{problems.Count} of {commands.Count} documented command lines do not parse:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheCheckCatchesWhatWouldFailOnTheCommandLine()
    {
        Assert.Empty(Problems(["rdx", "a.npy", "b.npy", "--distance", "local-scaling", "--concepts", "3", "--stability", "2"]));
        Assert.Empty(Problems(["compare", "--model-a", "minilm-l6", "--model-b", "arctic-embed-xs", "--texts", "t.txt", "--methods", "rdx,spec"]));
        Assert.NotEmpty(Problems(["rdx", "a.npy", "b.npy", "--distance", "euclid"]));       // a choice the option does not have
        Assert.NotEmpty(Problems(["rdx", "a.npy", "b.npy", "--beta", "high"]));            // not a number
        Assert.NotEmpty(Problems(["rdx", "a.npy", "b.npy", "--concepts", "0"]));           // outside the declared range
        Assert.NotEmpty(Problems(["rdx", "a.npy", "b.npy", "--kernel", "rbf"]));           // SPEC's option, not RDX's
        Assert.NotEmpty(Problems(["compare", "a.npy", "b.npy", "--seed", "x"]));           // a typed System.CommandLine option
        Assert.NotEmpty(Problems(["compare", "a.npy", "b.npy", "--methods", "rdx,bogus"]));
        Assert.NotEmpty(Problems(["demo", "--samples", "tiny"]));
        Assert.NotEmpty(Problems(["embed", "m.onnx", "--preset", "vit", "--images", "p/", "--out", "e.npy"]));
        Assert.NotEmpty(Problems(["export", "r.json", "--format", "xlsx"]));
        Assert.NotEmpty(Problems(["diff", "a.npy", "b.npy"]));                             // no such command
        // The extraction: continuation lines, the `dotnet run` prefix, comments and quotes.
        var lines = Commands("x.md", ["```bash", "dotnet run --project src/RepDiff.Cli -- rdx a.npy \\", "    'b c.npy' --beta 2  # two", "```"]).ToList();
        Assert.Equal([["rdx", "a.npy", "b c.npy", "--beta", "2"]], lines.Select(l => l.Args));
        // Placeholders are plain arguments; other tools' lines are not repdiff's.
        lines = Commands("x.md", ["```", "$ repdiff inspect $FILE --key <name>", "pip install torch", "REPDIFF_BLAS=openblas repdiff info", "```"]).ToList();
        Assert.Equal([["inspect", "$FILE", "--key", "<name>"], ["info"]], lines.Select(l => l.Args));
        Assert.Empty(Problems(lines[0].Args));
    }

    /// <summary>
    /// Inline code and table rows that name a command (`compare --trust`, `inspect FILE [--key K]`, a row of the README's
    /// command table): every flag they show is one of that command's options.
    /// </summary>
    [Fact]
    public void FlagsShownWithACommandAreThatCommandsOptions()
    {
        var root = global::RepDiff.Cli.Cli.BuildRoot();
        var problems = new List<string>();
        int checkedSpans = 0;
        string? header = null, previous = null;
        foreach (var text in DocTexts().Where(t => !t.InCode))
        {
            var spans = Regex.Matches(text.Text, "`([^`]+)`").Select(m => InlineCommand(m.Groups[1].Value)).OfType<string>().ToList();
            bool row = text.Text.StartsWith('|');
            if (row && previous?.StartsWith('|') != true) header = text.Text;
            previous = text.Text;
            if (row && header?.Split('|')[1].Trim() == "command" && text.Text.Split('|') is [_, var firstCell, ..])
            {
                // A table row whose first cell names commands: every flag in the row belongs to each of them.
                var named = Regex.Matches(firstCell, "`([^`]+)`").Select(m => Subcommand(root, m.Groups[1].Value)).ToList();
                if (named.Count > 0 && named.All(c => c is not null))
                {
                    foreach (var command in named)
                        problems.AddRange(MissingFlags(command!, text.Text).Select(f => $"{text.File}:{text.Line}: {f} is not an option of `{command!.Name}` (table row)"));
                    checkedSpans++;
                    continue;
                }
            }
            foreach (var span in spans)
            {
                if (Subcommand(root, span) is not { } command) continue;
                checkedSpans++;
                problems.AddRange(MissingFlags(command, span).Select(f => $"{text.File}:{text.Line}: {f} is not an option of `{command.Name}` in `{span}`"));
            }
        }
        Assert.True(checkedSpans >= 20, $"only {checkedSpans} inline commands found");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Every flag the docs mention anywhere (prose included) is spelled as some command's --help lists it.</summary>
    [Fact]
    public void EveryFlagTheDocsMentionExists()
    {
        var root = global::RepDiff.Cli.Cli.BuildRoot();
        var known = AllCommands(root).SelectMany(c => c.Options).SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet();
        var problems = new List<string>();
        foreach (var text in DocTexts())
        {
            string line = text.Text;
            if (text.InCode)
            {
                if (RepdiffArgs(Tokens(line)) is not { } args) continue;
                line = string.Join(' ', args);  // not `dotnet run --project`
            }
            else
                line = Regex.Replace(line, "`([^`]+)`", m => InlineCommand(m.Groups[1].Value) ?? "");
            foreach (string flag in Flags(line))
                if (!known.Contains(flag) && flag != "--flag")  // architecture.md's `error: --flag: problem` stands for any flag
                    problems.Add($"{text.File}:{text.Line}: {flag} is no option of any command");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
    }

    /// <summary>
    /// Values the prose gives a flag (`--samples small`, `--route auto`, `--format csv|jsonl`) are accepted by some command
    /// with that flag. Placeholders (`--seed N`, `--out FILE`, `--methods rdx,spec,...`) are not values.
    /// </summary>
    [Fact]
    public void ValuesTheProseGivesAFlagAreAccepted()
    {
        var options = AllCommands(global::RepDiff.Cli.Cli.BuildRoot()).SelectMany(c => c.Options).Where(o => o is Option<string> or Option<int> or Option<int?>).ToList();
        var problems = new List<string>();
        int checkedValues = 0;
        // architecture.md shows bad values on purpose, as what the one-line error is about.
        foreach (var text in DocTexts().Where(t => !t.InCode && !t.Text.Contains("a bad value (")))
            foreach (Match m in Regex.Matches(text.Text, @"`(--[a-z][a-z0-9-]*) ([^`\s]+)`"))
            {
                string flag = m.Groups[1].Value, given = m.Groups[2].Value;
                if (given.Contains("...") || !Regex.IsMatch(given, "^[a-z0-9]")) continue;  // a placeholder or a path
                var withFlag = options.Where(o => o.Name == flag).ToList();
                if (withFlag.Count == 0) continue;  // EveryFlagTheDocsMentionExists says so
                foreach (string value in given.Replace("\\|", "|").Split('|'))
                {
                    checkedValues++;
                    var refusals = withFlag.Select(o => o is Option<string> ? ValueProblem(o, value)
                        : int.TryParse(value, out _) ? null : $"{flag} {value}: not a whole number").ToList();
                    if (refusals.All(r => r is not null)) problems.Add($"{text.File}:{text.Line}: {refusals[0]}");
                }
            }
        Assert.True(checkedValues >= 5, $"only {checkedValues} values found");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// The docs give `--text-field` a default ("`text` by default", README; "default `text`", embedding.md): every command's
    /// --help that has the flag says so (embed's, compare's and the methods' said nothing, export's did).
    /// </summary>
    [Fact]
    public void EveryTextFieldHelpNamesTheDefaultTheDocsGive()
    {
        var docs = string.Join("\n", DocTexts().Select(t => t.Text));
        Assert.Contains("`--text-field FIELD`, `text` by default", docs);
        var commands = AllCommands(global::RepDiff.Cli.Cli.BuildRoot()).Where(c => c.Options.Any(o => o.Name == "--text-field")).ToList();
        Assert.Contains(commands, c => c.Name == "embed");
        Assert.Contains(commands, c => c.Name == "compare");
        Assert.Contains(commands, c => c.Name == "rdx");
        foreach (var command in commands)
            Assert.Contains("(default: text, when the first record has it)", command.Options.Single(o => o.Name == "--text-field").Description);
    }

    /// <summary>
    /// The README says ids kept beside the embeddings are read from an .npz, .pt, .safetensors or .h5: every --id-column
    /// help names each format that keeps them (it had named only the .npz and .pt, before .safetensors and .h5 kept ids).
    /// </summary>
    [Fact]
    public void EveryIdColumnHelpNamesEachFormatThatKeepsIds()
    {
        var keeping = RepDiff.IO.EmbeddingFormat.All.Where(f => f.KeepsIds).Select(f => f.Extensions[0]).ToList();
        Assert.Equal([".npz", ".safetensors", ".pt", ".h5"], keeping);
        var commands = AllCommands(global::RepDiff.Cli.Cli.BuildRoot()).Where(c => c.Options.Any(o => o.Name == "--id-column")).ToList();
        Assert.Contains(commands, c => c.Name == "inspect");
        Assert.Contains(commands, c => c.Name == "rdx");
        foreach (var command in commands)
        {
            string help = command.Options.Single(o => o.Name == "--id-column").Description ?? "";
            foreach (string extension in keeping) Assert.True(help.Contains(extension), $"{command.Name} --id-column: '{help}' does not name {extension}");
        }
    }

    /// <summary>
    /// A method's notes tabulate its options with their defaults (docs/methods/rdx.md: `| option | default | meaning |`):
    /// each default the table gives is the one the command's --help gives, where --help gives one ("default: 80/n" and
    /// "all" are the run's, not a value).
    /// </summary>
    [Fact]
    public void DefaultsInTheMethodsOptionTablesAreThoseOfTheirHelp()
    {
        var root = global::RepDiff.Cli.Cli.BuildRoot();
        int compared = 0;
        var problems = new List<string>();
        foreach (string file in DocFiles.Where(f => f.StartsWith("docs/methods/")))
        {
            var command = root.Subcommands.FirstOrDefault(c => c.Name == Path.GetFileNameWithoutExtension(file));
            string? header = null;
            foreach (var text in DocTexts().Where(t => t.File == file && !t.InCode))
            {
                if (!text.Text.StartsWith('|')) { header = null; continue; }
                var cells = text.Text.Split('|').Select(c => c.Trim()).ToArray();
                header ??= string.Join('|', cells);
                if (command is null || !header.StartsWith("|option|default|") || Regex.Match(cells[1], "^`(--[a-z-]+)") is not { Success: true } flag) continue;
                var option = command.Options.SingleOrDefault(o => o.Name == flag.Groups[1].Value);
                if (option is null) { problems.Add($"{file}:{text.Line}: {command.Name} has no {flag.Groups[1].Value}"); continue; }
                if (Regex.Match(option.Description ?? "", @"default: ([^;,)\s]+)") is not { Success: true } given) continue;
                compared++;
                string documented = cells[2].Trim('`');
                if (documented != given.Groups[1].Value)
                    problems.Add($"{file}:{text.Line}: {flag.Groups[1].Value} defaults to '{documented}' in the table, '{given.Groups[1].Value}' in --help");
            }
        }
        Assert.True(compared >= 8, $"only {compared} documented defaults compared");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// Every relative link in the docs a user reads leads somewhere: the file exists, and a `#section` is a heading of that
    /// file as GitHub names it (`[From images or texts](#from-images-or-texts)`, `metadata.md#looks-what-a-concepts-images-have-in-common`).
    /// A heading reworded would otherwise leave its links pointing at the top of the page.
    /// </summary>
    [Fact]
    public void EveryLinkBetweenTheDocsLeadsToAFileAndAHeadingThatExist()
    {
        int links = 0;
        var problems = new List<string>();
        foreach (string file in DocFiles)
            problems.AddRange(LinkProblems(file, File.ReadAllLines(Path.Combine(TestData.RepoRoot, file)), () => links++));
        Assert.True(links >= 20, $"only {links} relative links found");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // The check itself: a missing file, a missing heading, and GitHub's naming of headings with code, punctuation and repeats.
        string[] doc = ["# The `repdiff embed` command: images, texts", "## Notes", "## Notes", "```", "# not a heading", "```",
            "[a](#the-repdiff-embed-command-images-texts) [b](#notes-1) [c](README.md#the-demo) [d](https://example.org/x#y)",
            "[e](missing.md) [f](#not-a-heading) [g](README.md#no-such-section)"];
        Assert.Equal(["missing.md", "#not-a-heading", "README.md#no-such-section"], LinkProblems("doc.md", doc, () => { }).Select(p => p.Split(' ')[1]));
    }

    /// <summary>The relative links of one markdown file (outside code) whose file or heading does not exist, each as "FILE:LINE: LINK …".</summary>
    private static IEnumerable<string> LinkProblems(string file, string[] lines, Action counted)
    {
        string folder = Path.GetDirectoryName(Path.Combine(TestData.RepoRoot, file))!;
        bool inCode = false;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```")) inCode = !inCode;
            if (inCode) continue;
            foreach (Match m in Regex.Matches(Regex.Replace(lines[i], "`[^`]*`", ""), @"\]\(([^)\s]+)\)"))
            {
                string link = m.Groups[1].Value;
                if (Regex.IsMatch(link, "^[a-z]+:")) continue;  // a web address
                counted();
                string target = link.Split('#')[0], section = link.Contains('#') ? link[(link.IndexOf('#') + 1)..] : "";
                string path = target.Length == 0 ? Path.Combine(TestData.RepoRoot, file) : Path.GetFullPath(Path.Combine(folder, target));
                if (target.Length > 0 && !File.Exists(path) && !Directory.Exists(path)) yield return $"{file}:{i + 1}: {link} leads to no file";
                else if (section.Length > 0 && path.EndsWith(".md") && !HeadingIds(target.Length == 0 ? lines : File.ReadAllLines(path)).Contains(section))
                    yield return $"{file}:{i + 1}: {link} leads to no heading of {Path.GetFileName(path)}";
            }
        }
    }

    /// <summary>The ids GitHub gives a markdown file's headings: lower case, code marks and punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    private static HashSet<string> HeadingIds(string[] lines)
    {
        var ids = new HashSet<string>();
        var seen = new Dictionary<string, int>();
        bool inCode = false;
        foreach (string line in lines)
        {
            if (line.TrimStart().StartsWith("```")) inCode = !inCode;
            if (inCode || Regex.Match(line, "^#{1,6} +(.+?) *$") is not { Success: true } heading) continue;
            string text = Regex.Replace(heading.Groups[1].Value, @"\[([^\]]*)\]\([^)]*\)", "$1");  // a link: its words
            string id = Regex.Replace(text.ToLowerInvariant(), @"[^\p{L}\p{N}_\- ]", "").Replace(' ', '-');
            int repeats = seen.GetValueOrDefault(id);
            seen[id] = repeats + 1;
            ids.Add(repeats == 0 ? id : $"{id}-{repeats}");
        }
        return ids;
    }

    /// <summary>The --help texts name other flags ("see --text-field", "overrides --key/--column"): each is an option of that command.</summary>
    [Fact]
    public void FlagsNamedInHelpAreOptionsOfTheSameCommand()
    {
        var problems = new List<string>();
        foreach (var command in AllCommands(global::RepDiff.Cli.Cli.BuildRoot()))
        {
            var texts = command.Options.Select(o => (o.Name, o.Description ?? "")).Concat(command.Arguments.Select(a => (a.Name, a.Description ?? "")))
                .Append((command.Name, command.Description ?? ""));
            foreach (var (name, text) in texts)
                problems.AddRange(MissingFlags(command, text).Select(f => $"{command.Name} {name}: its help names {f}, which {command.Name} does not have"));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// The README's first command line, run on a small pair with a manifest of image files: it writes report.html and
    /// results.json as its comment says, and maps.npy as "Every method command writes" says, and names every file it wrote.
    /// </summary>
    [Fact]
    public void TheReadmeCompareExampleWritesAndNamesItsFiles()
    {
        string dir = TestData.TempDir();
        CliHarness.SmallPair(dir, rows: 60);
        Directory.CreateDirectory(Path.Combine(dir, "images"));
        var images = RepDiff.Tests.Embedding.TestImages.Scenes(Path.Combine(dir, "images"), 60, 128, 128);
        File.WriteAllLines(Path.Combine(dir, "images.txt"), images.Select(p => Path.GetRelativePath(dir, p)));
        var example = CodeBlockCommands().Single(c => c.File == "README.md" && c.Args is ["compare", "a.npy", ..]);
        // The example's file names, in the folder holding them; rdx alone, as every method would only take longer.
        string[] args = [.. example.Args.Select(arg => File.Exists(Path.Combine(dir, arg)) || arg == "out" ? Path.Combine(dir, arg) : arg), "--methods", "rdx"];
        var outcome = CliHarness.Run(args);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        string outDir = Path.Combine(dir, "out");
        Assert.Equal(["maps.npy", "report.html", "results.json"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order());
        Assert.Contains($"Wrote {Path.Combine(outDir, "results.json")}, {Path.Combine(outDir, "report.html")} and {Path.Combine(outDir, "maps.npy")}", outcome.Stdout);
    }

    /// <summary>
    /// The README's first screen tells a user with two embedding files what to type: its "Your own two models" lines, run
    /// on two files saved under the names they show, check the file and write every `report/…` file the text after them
    /// promises, printing the finding sentence it speaks of. (The only compare line had been some 150 lines down.)
    /// </summary>
    [Fact]
    public void TheReadmesFirstScreenRunsOnTwoSavedFiles()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = CliHarness.SmallPair(dir, rows: 60);
        var readme = File.ReadAllLines(Path.Combine(TestData.RepoRoot, "README.md"));
        int start = Array.IndexOf(readme, "## Your own two models"), end = Array.IndexOf(readme, "## The demo");
        Assert.InRange(start, 1, 30);
        Assert.True(end > start, "the section ends where the demo's begins");
        var lines = CodeBlockCommands().Where(c => c.File == "README.md" && c.Line > start && c.Line < end).ToList();
        var inspect = lines.Single(c => c.Args is ["inspect", _]);
        var compare = lines.Single(c => c.Args is ["compare", ..]);
        Assert.True(compare.Line < 40, $"the compare line is at line {compare.Line}, past the first screen");
        string[] Here(string[] args) => [.. args.Select(arg => arg.EndsWith(".npy") || arg.EndsWith(".txt") || arg == "report" ? Path.Combine(dir, arg) : arg)];
        File.Copy(a, Path.Combine(dir, inspect.Args[1]));
        File.Copy(b, Path.Combine(dir, compare.Args[2]));
        Assert.Equal("labels.txt", Path.GetFileName(labels));

        var checkedFile = CliHarness.Run(Here(inspect.Args));
        Assert.True(checkedFile.Code == 0, checkedFile.Stderr);
        Assert.Contains("(60, ", checkedFile.Stdout);
        var outcome = CliHarness.Run([.. Here(compare.Args), "--methods", "rdx"]);  // rdx alone: every method would only take longer
        Assert.True(outcome.Code == 0, outcome.Stderr);
        Assert.Contains("finding: rdx: ", outcome.Stdout);
        var promised = Regex.Matches(string.Join("\n", readme[start..end]), @"`(report/[\w.]+)`").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(["report/report.html", "report/results.json"], promised);
        foreach (string file in promised) Assert.True(File.Exists(Path.Combine(dir, file)), file);
    }

    /// <summary>FINC draws no maps ("finc has no maps and writes no maps.npy"), and names only what it wrote.</summary>
    [Fact]
    public void FincNamesOnlyTheFilesItWrote()
    {
        string outDir = Path.Combine(TestData.TempDir(), "out");
        var outcome = CliHarness.Run("finc", TestData.Fixture("finc_test.npy"), TestData.Fixture("finc_ref.npy"), "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        Assert.Equal(["report.html", "results.json"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order());
        Assert.Contains($"Wrote {Path.Combine(outDir, "results.json")} and {Path.Combine(outDir, "report.html")}{Environment.NewLine}", outcome.Stdout);
        // Its findings in words are in results.json, as every method command's are.
        var findings = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["findings"]!;
        foreach (var (direction, sentence) in findings["directions"]!.AsObject())
            Assert.Contains($"{direction}: {(string)sentence!}", outcome.Stdout);
        // Its eigenvalues are of two sets' kernel covariances in one representation, not of two models' kernels (helper 92).
        Assert.Contains("(how far apart the two sets' kernel covariances are at most, 0 when they agree; λ_max ", outcome.Stdout);
        Assert.Contains(" for what finc_test.npy has more of, λ_min ", outcome.Stdout);
        Assert.Contains(" for what finc_ref.npy has more of)", outcome.Stdout);
        Assert.DoesNotContain("clusters more", outcome.Stdout);
    }

    /// <summary>The two sets are called what the user names them (helper 83: two a.npy files both read "a.npy").</summary>
    [Fact]
    public void FincSetsAreCalledByTheNamesGiven()
    {
        string outDir = Path.Combine(TestData.TempDir(), "out");
        var outcome = CliHarness.Run("finc", TestData.Fixture("finc_test.npy"), TestData.Fixture("finc_ref.npy"), "--name-test", "generated", "--name-ref", " real ", "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        Assert.StartsWith("finc: generated (TEST) vs real (REF)", outcome.Stdout);
        Assert.Contains("<title>RepDiff finc: generated vs real</title>", File.ReadAllText(Path.Combine(outDir, "report.html")));
        CliHarness.Run("finc", TestData.Fixture("finc_test.npy"), TestData.Fixture("finc_ref.npy"), "--name-ref", " ", "--out", outDir + "2")
            .AssertBadInput("--name-ref: give a name, not an empty one");
        // One name for both sets would read "X has more samples than X" (helper 89).
        CliHarness.Run("finc", TestData.Fixture("finc_test.npy"), TestData.Fixture("finc_ref.npy"), "--name-ref", "finc_test.npy", "--out", outDir + "3")
            .AssertBadInput("--name-ref finc_test.npy: is also what the other set is called; give the two sets different names");
    }

    /// <summary>What would stop the command line before it ran: parse errors, and values the command would refuse as given.</summary>
    internal static List<string> Problems(string[] args)
    {
        var root = global::RepDiff.Cli.Cli.BuildRoot();
        var parse = root.Parse(args);
        var problems = parse.Errors.Select(e => "parse error: " + e.Message).ToList();
        if (problems.Count > 0) return problems;
        var command = parse.CommandResult.Command;
        if (command == root && args.Length > 0 && !args[0].StartsWith('-')) problems.Add($"no command {args[0]}");
        foreach (var option in command.Options)
        {
            if (parse.GetResult(option) is not { Implicit: false } given || option is not Option<string>) continue;
            string value = given.Tokens.Count > 0 ? given.Tokens[^1].Value : "";
            if (ValueProblem(option, value) is { } problem) problems.Add(problem);
        }
        return problems;
    }

    /// <summary>Why a value given to a string option would be refused by the command, or null.</summary>
    private static string? ValueProblem(Option option, string value)
    {
        try
        {
            if (OptionBinder.SpecOf(option) is { } spec)
            {
                if (!spec.IsBool) spec.Check(spec.Parse(value));
            }
            else CheckValue(option.Name, value);
            return null;
        }
        catch (Exception e) when (e is InvalidOptionException or RepDiffInputException)
        {
            return $"{option.Name} {value}: {e.Message}";
        }
    }

    /// <summary>Options that are plain strings on the command line but accept only some values, checked as the command checks them.</summary>
    private static void CheckValue(string option, string value)
    {
        switch (option)
        {
            case "--methods": CompareCommand.ParseMethods(value, MethodRegistry.Default); break;
            case "--samples": DemoSampleCounts.Parse(value); break;
            case "--preset" when ModelPresets.Find(value) is null: throw new RepDiffInputException($"no preset '{value}'");
            case "--pooling" when !ModelDescription.PoolingModes.Contains(value): throw new RepDiffInputException($"no pooling '{value}'");
            case "--format" when value is not ("csv" or "jsonl"): throw new RepDiffInputException($"no format '{value}'");
        }
    }

    /// <summary>Inline code as repdiff would see it: `dotnet run --project src/RepDiff.Cli -- X` is `repdiff X`; null for other tools' commands.</summary>
    private static string? InlineCommand(string span) =>
        RepdiffArgs(Tokens(span)) is { } args ? string.Join(' ', args.Prepend("repdiff"))
        : OtherTools.Contains(span.Split(' ')[0]) ? null
        : span;

    private static IEnumerable<Command> AllCommands(Command command) => command.Subcommands.SelectMany(AllCommands).Prepend(command);

    /// <summary>The command an inline span names as its first word (after `repdiff`), or null.</summary>
    private static Command? Subcommand(Command root, string span)
    {
        var words = span.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is ["repdiff", .. var rest]) words = rest;
        if (words.Length == 0) return null;
        return words[0].StartsWith("--") && span.StartsWith("repdiff") ? root : root.Subcommands.FirstOrDefault(c => c.Name == words[0]);
    }

    private static IEnumerable<string> MissingFlags(Command command, string text)
    {
        var options = command.Options.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet();
        return Flags(text).Where(f => !options.Contains(f)).Distinct();
    }

    /// <summary>The flags in a text; `--model-a/-b` is two, `--model-a` and `--model-b`.</summary>
    private static IEnumerable<string> Flags(string text)
    {
        foreach (Match m in Flag.Matches(text))
        {
            if (m.Value.Split('/') is [var first, var suffix])
            {
                yield return first;
                yield return first[..first.LastIndexOf('-')] + suffix;
            }
            else yield return m.Value;
        }
    }

    public static IEnumerable<DocText> DocTexts()
    {
        foreach (string file in DocFiles)
        {
            string language = "";
            bool inCode = false;
            var lines = File.ReadAllLines(Path.Combine(TestData.RepoRoot, file));
            for (int i = 0; i < lines.Length; i++)
            {
                string trimmed = lines[i].TrimStart();
                if (trimmed.StartsWith("```"))
                {
                    (inCode, language) = (!inCode, inCode ? "" : trimmed[3..].Trim());
                    continue;
                }
                // JSON, Python and C# blocks hold no command lines (model descriptions are ModelDescriptionTests').
                if (inCode && language is not ("" or "bash" or "sh" or "shell" or "console")) continue;
                yield return new DocText(file, i + 1, lines[i], inCode);
            }
        }
    }

    public static IEnumerable<DocCommand> CodeBlockCommands() =>
        DocFiles.SelectMany(file => Commands(file, File.ReadAllLines(Path.Combine(TestData.RepoRoot, file))));

    /// <summary>The repdiff command lines of a markdown file's shell code blocks, continuation lines joined.</summary>
    internal static IEnumerable<DocCommand> Commands(string file, string[] lines)
    {
        bool inCode = false, shell = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string trimmed = lines[i].TrimStart();
            if (trimmed.StartsWith("```"))
            {
                inCode = !inCode;
                shell = inCode && trimmed[3..].Trim() is "" or "bash" or "sh" or "shell" or "console";
                continue;
            }
            if (!inCode || !shell) continue;
            int first = i;
            var text = new StringBuilder(lines[i].TrimEnd());
            while (text.Length > 0 && text[^1] == '\\' && i + 1 < lines.Length)
            {
                text.Length--;
                text.Append(' ').Append(lines[++i].Trim());
            }
            if (RepdiffArgs(Tokens(text.ToString())) is { } args)
                yield return new DocCommand(file, first + 1, text.ToString().Trim(), args);
        }
    }

    /// <summary>The arguments after `repdiff` or `dotnet run --project src/RepDiff.Cli [...] --`; null for other tools.</summary>
    private static string[]? RepdiffArgs(List<string> tokens)
    {
        int start = tokens.FindIndex(t => !(t == "$" || Regex.IsMatch(t, "^[A-Z_][A-Z0-9_]*=")));  // a prompt, VAR=value
        if (start < 0) return null;
        var words = tokens.Skip(start).ToList();
        if (words is ["repdiff", ..]) return words.Skip(1).ToArray();
        if (words is ["dotnet", "run", ..] && words.Contains("--project") && words.Any(w => w.TrimEnd('/').EndsWith("RepDiff.Cli")))
        {
            int dashes = words.IndexOf("--");
            return dashes < 0 ? [] : words.Skip(dashes + 1).ToArray();
        }
        return null;
    }

    /// <summary>Shell words: quotes and backslash escapes, a `#` starting a word begins a comment.</summary>
    internal static List<string> Tokens(string line)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else word.Append(c);
            }
            else if (c is '\'' or '"') (quote, inWord) = (c, true);
            else if (c == '\\' && i + 1 < line.Length) { word.Append(line[++i]); inWord = true; }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) tokens.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else if (c == '#' && !inWord) break;
            else { word.Append(c); inWord = true; }
        }
        if (inWord) tokens.Add(word.ToString());
        return tokens;
    }
}
