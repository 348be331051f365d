using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>
/// docs/results-schema.md (with the method notes it points to, docs/methods/*.md) against the results.json files the
/// commands really write: every key written is documented, and every field the schema's tables name is written.
/// A new key, or a documented one that is no longer written, fails here instead of drifting silently.
/// </summary>
public class ResultsSchemaDocTests : IClassFixture<ResultsSchemaDocTests.RealResults>
{
    private readonly RealResults results;

    public ResultsSchemaDocTests(RealResults results) => this.results = results;

    /// <summary>The results.json of every command that writes one, each run once with the options that add keys.</summary>
    public sealed class RealResults
    {
        public Dictionary<string, JsonObject> Documents { get; } = [];

        public RealResults()
        {
            string dir = TestData.TempDir();
            var (a, b, labels) = SmallPair(dir, rows: 120);
            string ids = Path.Combine(dir, "ids.txt"), metadata = Path.Combine(dir, "meta.csv");
            File.WriteAllLines(ids, Enumerable.Range(0, 120).Select(i => $"s{i}"));
            // A numeric column (more than 20 distinct values) and a categorical one: both kinds of enrichment entry.
            File.WriteAllLines(metadata, ["id,year,source", .. Enumerable.Range(0, 120).Select(i => $"s{i},{1900 + i},{(i < 60 ? "web" : "book")}")]);
            string test = Path.Combine(dir, "test.npy"), reference = Path.Combine(dir, "ref.npy");
            var rows = Npy.ReadMatrix(a);
            Npy.Write(test, rows.SelectRows(Enumerable.Range(0, 70).ToArray()));
            Npy.Write(reference, rows.SelectRows(Enumerable.Range(50, 70).ToArray()));
            string[] side = ["--labels", labels, "--ids", ids, "--metadata", metadata];

            Write(dir, "rdx", ["rdx", a, b, .. side, "--validate", "--stability", "2"]);
            Write(dir, "rdx-align", ["rdx", a, b, "--align", "--max-samples", "100"]);
            // 2 × 16 features per side, fewer than the 120 rows: the covariance form, with its `cholesky` and `members` stages.
            Write(dir, "spec-rff", ["spec", a, b, "--route", "rff", "--rff-dim", "16", "--concepts", "3"]);
            Write(dir, "finc", ["finc", test, reference, "--validate", "--stability", "2", "--concepts", "3"]);
            Write(dir, "finc-rff", ["finc", test, reference, "--route", "rff", "--rff-dim", "64", "--concepts", "3"]);
            Write(dir, "spec-align", ["spec-align", a, b, "--steps", "20", "--concepts", "3"]);
            // Texts that say their group: each concept has words of its own (`words`).
            string texts = Path.Combine(dir, "texts.txt");
            File.WriteAllLines(texts, File.ReadAllLines(labels).Select((g, i) => $"sample {i} of kind {(char)('a' + int.Parse(g))}{(char)('a' + int.Parse(g))}"));
            Write(dir, "kmeans", ["kmeans", a, b, .. side, "--texts", texts]);
            // Pixel arrays as bright as their group is numbered: concepts of a group look brighter or darker (`looks`).
            string images = Path.Combine(dir, "images.npy");
            var groups = File.ReadAllLines(labels).Select(int.Parse).ToArray();
            Npy.Write(images, Enumerable.Range(0, 120 * 4 * 4).Select(k => 0.1f + 0.15f * groups[k / 16] + 0.001f * (k % 16) + 0.0001f * (k / 16)).ToArray(), 120, 4, 4);
            Write(dir, "pca", ["pca", a, b, .. side, "--images", images]);
            // Image files rather than pixel arrays: each sample's file is kept (`samples.files`).
            string photos = Path.Combine(dir, "photos");
            Directory.CreateDirectory(photos);
            var png = RepDiff.Report.Png.Encode([10, 80, 160, 240], 2, 2, 1);
            for (int i = 0; i < 120; i++) File.WriteAllBytes(Path.Combine(photos, $"photo{i}.png"), png);
            Write(dir, "kmeans-files", ["kmeans", a, b, "--images", photos]);
            // Every method of a comparison, trusted both ways (sae gets its stability note).
            Write(dir, "compare", ["compare", a, b, .. side, "--images", images, "--trust", "--methods", "rdx,spec,koda,kmeans,pca,nmf,sae"]);
            Write(dir, "metrics", ["metrics", a, b, "--labels", labels]);
            // B's rows in another order than A's, as two exports sorted differently: the run warns of rows paired at random (`warnings`).
            string shuffled = Path.Combine(dir, "b_shuffled.npy");
            Npy.Write(shuffled, Npy.ReadMatrix(b).SelectRows(Enumerable.Range(0, 120).Select(i => i * 7 % 120).ToArray()));
            Write(dir, "kmeans-shuffled", ["kmeans", a, shuffled]);
            // B without A's last ten samples, kept by --common-samples (`samples.left_out`); its last id is one of those
            // written otherwise ("S110" for A's "s110": `look_alike`).
            string partial = Path.Combine(dir, "b_partial.npy"), partialIds = Path.Combine(dir, "ids_partial.txt");
            Npy.Write(partial, Npy.ReadMatrix(b).SelectRows(Enumerable.Range(0, 110).ToArray()));
            File.WriteAllLines(partialIds, [.. Enumerable.Range(0, 109).Select(i => $"s{i}"), "S110"]);
            Write(dir, "metrics-common", ["metrics", a, partial, "--ids-a", ids, "--ids-b", partialIds, "--common-samples"]);
            // Groups given without a direction (`both_ways`), named (`concepts[].name`).
            string givenGroups = Path.Combine(dir, "groups.csv");
            File.WriteAllLines(givenGroups, ["group,id", .. File.ReadAllLines(labels).Select((g, i) => $"kind {g},s{i}")]);
            Write(dir, "groups", ["groups", a, b, .. side, "--groups", givenGroups]);
            // evaluate rewrites a method command's results in place (here a copy, written with --out).
            string evaluated = Path.Combine(dir, "evaluate.json");
            var evaluate = Run(["evaluate", Path.Combine(dir, "spec-rff", "results.json"), a, b, "--out", evaluated]);
            Assert.True(evaluate.Code == 0, $"evaluate: exit {evaluate.Code}: {evaluate.Stderr}");
            Documents["evaluate"] = JsonNode.Parse(File.ReadAllText(evaluated))!.AsObject();
        }

        private void Write(string dir, string name, string[] args)
        {
            string outDir = Path.Combine(dir, name);
            var outcome = Run([.. args, "--out", outDir]);
            Assert.True(outcome.Code == 0, $"{string.Join(' ', args)}: exit {outcome.Code}: {outcome.Stderr}");
            Documents[name] = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!.AsObject();
        }
    }

    private static string Doc(string path) => File.ReadAllText(Path.Combine(TestData.RepoRoot, path));

    /// <summary>The schema page and the method notes it defers to (baselines, metrics, RDX's and SPEC's own keys).</summary>
    private static string SchemaDocs() =>
        string.Join("\n", new[] { "docs/results-schema.md" }.Concat(
            Directory.GetFiles(Path.Combine(TestData.RepoRoot, "docs", "methods"), "*.md").Select(p => Path.GetRelativePath(TestData.RepoRoot, p)))
            .Select(Doc));

    /// <summary>Identifiers written as code (`inline` or in a fenced block): a key counts as documented only there, not as a word in prose.</summary>
    private static HashSet<string> CodeIdentifiers(string markdown)
    {
        var code = Regex.Matches(markdown, "```.*?```", RegexOptions.Singleline).Select(m => m.Value)
            .Concat(Regex.Matches(Regex.Replace(markdown, "```.*?```", "", RegexOptions.Singleline), "`[^`\n]+`").Select(m => m.Value));
        return code.SelectMany(c => Regex.Matches(c, "[A-Za-z_][A-Za-z0-9_-]*").Select(m => m.Value)).ToHashSet();
    }

    /// <summary>Objects whose keys are data (label values, metadata column names), not schema.</summary>
    private static readonly HashSet<string> DataMaps = ["label_counts", "by_label", "metadata", "both_ways", "holds_in"];

    /// <summary>
    /// The keys under node, apart from the values of data maps, and each `parameters` object by its method: those keys
    /// are the method's options by rule (`--grid-size` → `grid_size`), checked against the command's flags instead.
    /// </summary>
    private static void CollectKeys(JsonNode? node, string parent, HashSet<string> keys, List<(string Method, JsonObject Parameters)>? parameters = null)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (!DataMaps.Contains(parent)) keys.Add(key);
                    if (key == "parameters" && obj["method"] is { } method)
                        parameters?.Add((method.GetValue<string>(), value!.AsObject()));
                    else
                        CollectKeys(value, key, keys, parameters);
                }
                break;
            case JsonArray array:
                foreach (var item in array) CollectKeys(item, parent, keys, parameters);
                break;
        }
    }

    private HashSet<string> WrittenKeys(List<(string Method, JsonObject Parameters)>? parameters = null)
    {
        var keys = new HashSet<string>();
        foreach (var document in results.Documents.Values) CollectKeys(document, "", keys, parameters);
        return keys;
    }

    [Fact]
    public void EveryKeyWrittenIsDocumented()
    {
        var documented = CodeIdentifiers(SchemaDocs());
        var parameters = new List<(string Method, JsonObject Parameters)>();
        // A comparison's timings are "<method> <stage>" ("rdx scoring", spec-align's "spec eigen"): each word must be documented.
        var undocumented = WrittenKeys(parameters).Where(key => !key.Split(' ').All(documented.Contains)).Order().ToList();
        Assert.True(undocumented.Count == 0, $"keys written to results.json but named nowhere in docs/results-schema.md or docs/methods/*.md: {string.Join(", ", undocumented)}");

        // parameters: "the keys are the options' names": each a flag of the method's command, or documented where it is not.
        Assert.Contains(parameters, p => p.Method == "metrics");
        var notFlags = new List<string>();
        foreach (var group in parameters.GroupBy(p => p.Method))
        {
            string help = Run(group.Key, "--help").Stdout;
            notFlags.AddRange(group.SelectMany(p => p.Parameters.Select(kv => kv.Key)).Distinct()
                .Where(key => !help.Contains($"--{key.Replace('_', '-')} ") && !documented.Contains(key))
                .Select(key => $"{group.Key}: {key}"));
        }
        Assert.True(notFlags.Count == 0, $"parameters keys that are no option of their command and are not documented: {string.Join(", ", notFlags)}");
    }

    /// <summary>The rows of the schema's tables: `field` (or `a.b`, `…concepts[].rank`, "`n`, `dimensions`").</summary>
    private static IEnumerable<(string Field, string Meaning)> SchemaRows() =>
        Doc("docs/results-schema.md").Split('\n')
            .Select(line => Regex.Match(line, @"^\| (`[^|]+`) \| (?:[^|]*\| )?(.*)\|$"))
            .Where(m => m.Success)
            .SelectMany(m => Regex.Matches(m.Groups[1].Value, "`([^`]+)`").Select(f => (f.Groups[1].Value, m.Groups[2].Value)));

    [Fact]
    public void EveryFieldTheSchemaTablesNameIsWritten()
    {
        var written = WrittenKeys();
        var fields = SchemaRows().Select(r => r.Field).Where(f => !f.Contains('<')).ToList();
        Assert.Contains("…concepts[].p_adjusted", fields);
        var missing = fields.Select(f => f.Split('.')[^1].Replace("[]", "")).Where(key => !written.Contains(key)).ToList();
        Assert.True(missing.Count == 0, $"fields in docs/results-schema.md that no command wrote: {string.Join(", ", missing)}");
    }

    /// <summary>
    /// The `timings` rows name the stages a run records: each one named (a method's own stages, `<method> scoring`, ...)
    /// is a key of some real run's timings.
    /// </summary>
    [Fact]
    public void EveryTimingTheSchemaNamesIsWritten()
    {
        var timings = new HashSet<string>();
        foreach (var document in results.Documents.Values)
        {
            foreach (var (key, _) in document["timings"]!.AsObject()) timings.Add(key);
            foreach (var explanation in document["explanations"]?.AsArray() ?? [])
                foreach (var (key, _) in explanation!["timings"]!.AsObject()) timings.Add(key);
        }
        string[] methods = ["rdx", "spec", "koda", "kmeans", "pca", "nmf", "sae", "finc", "spec-align"];
        var rows = SchemaRows().Where(r => r.Field == "timings").ToList();
        Assert.Equal(2, rows.Count);
        var named = rows.SelectMany(r => Regex.Matches(r.Meaning, "`([^`]+)`").Select(m => m.Groups[1].Value))
            .Where(name => !name.StartsWith("--") && !methods.Contains(name)).ToList();
        Assert.Contains("open_inputs", named);
        // Written only when resolving the options took 1 ms or more, as the row says: a warm process resolves these small
        // runs' options faster, so whether any run here records it depends on the clock (the suite failed on it once).
        Assert.Contains("resolve_options", named);
        named.Remove("resolve_options");
        var missing = named.Where(name => name.Contains("<method>")
                ? !methods.Any(m => timings.Contains(name.Replace("<method>", m)))
                : !timings.Contains(name))
            .ToList();
        Assert.True(missing.Count == 0, $"timings docs/results-schema.md names that no run recorded: {string.Join(", ", missing)}");
    }

    /// <summary>
    /// The Explanation table's `type` column against the values really written: every field has the type the row gives
    /// (`int[n]` is n whole numbers, `"a"`, `"b"` are those strings), and a field whose type does not say "or absent" is
    /// in every Explanation, a method command's and each of a comparison's `explanations`, and in every direction or
    /// concept its path runs through.
    /// </summary>
    [Fact]
    public void EveryExplanationFieldHasTheTypeTheSchemaGives()
    {
        var rows = ExplanationTypeRows();
        Assert.Contains(rows, r => r.Field == "…concepts[].stability" && r.Type == "number or absent");
        var explanations = results.Documents
            .SelectMany(d => d.Value["kind"] is null ? [(d.Key, d.Value)] : d.Value["explanations"]!.AsArray().Select(e => ($"{d.Key}: {e!["method"]}", e.AsObject())))
            .ToList();
        var seen = new HashSet<string>();
        var problems = TypeProblems(rows, explanations, seen);
        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
        // Every row's field was written somewhere, so each type was checked against something.
        Assert.Equal(rows.Select(r => r.Field).Order(), seen.Order());
    }

    /// <summary>
    /// The Comparison table gives each top-level field of `compare`'s results.json a type, as the Explanation table does:
    /// every key the file holds has its row (it had none for `version`, `commit` and `left_out`, and no type column at
    /// all), and every row's type is the value written.
    /// </summary>
    [Fact]
    public void EveryComparisonFieldHasARowAndTheTypeTheSchemaGives()
    {
        var rows = TypeRows("## Comparison");
        Assert.Contains(rows, r => r.Field == "left_out" && r.Type == "object or absent");
        var comparisons = results.Documents.Where(d => d.Value["kind"] is not null).Select(d => (d.Key, d.Value)).ToList();
        Assert.NotEmpty(comparisons);
        var fields = rows.Select(r => r.Field.Split('.')[0]).ToHashSet();
        var withoutRow = comparisons.SelectMany(c => c.Value.Select(kv => kv.Key)).Distinct().Where(key => !fields.Contains(key)).ToList();
        Assert.True(withoutRow.Count == 0, $"top-level keys of a comparison with no row in the Comparison table: {string.Join(", ", withoutRow)}");
        var seen = new HashSet<string>();
        var problems = TypeProblems(rows.Where(r => !r.Field.Contains('<')).ToList(), comparisons, seen);
        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
        Assert.Contains("consensus", seen);
    }

    /// <summary>
    /// Where a document's value of a row's field is not of the row's type, or is missing though the type does not say
    /// "or absent"; the fields met are added to seen.
    /// </summary>
    private static List<string> TypeProblems(List<(string Field, string Type)> rows, List<(string Name, JsonObject Document)> documents, HashSet<string> seen)
    {
        var problems = new List<string>();
        foreach (var (field, type) in rows)
        {
            var alternatives = type.Split(" or ").Select(t => t.Trim()).ToList();
            bool optional = alternatives.Remove("absent");
            foreach (var (name, document) in documents)
            {
                int n = document["n"]!.GetValue<int>();
                foreach (var (holder, value) in Values(document, field.Replace("…", "directions[].")))
                {
                    if (value is null && !holder.ContainsKey(LastKey(field)))
                    {
                        if (!optional) problems.Add($"{name}: no {field} ({type})");
                        continue;
                    }
                    seen.Add(field);
                    if (!alternatives.Any(t => HasType(value, t, n)))
                        problems.Add($"{name}: {field} is {Shown(value)}, not {type}");
                }
            }
        }
        return problems;
    }

    private static List<(string Field, string Type)> ExplanationTypeRows() => TypeRows("## Explanation");

    /// <summary>
    /// The `field | type | meaning` rows of a section of docs/results-schema.md, one per field the first cell names
    /// ("`command`, `evaluate_command`" is two).
    /// </summary>
    private static List<(string Field, string Type)> TypeRows(string heading)
    {
        string doc = Doc("docs/results-schema.md");
        int start = doc.IndexOf(heading, StringComparison.Ordinal);
        int end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = doc[start..(end < 0 ? doc.Length : end)];
        return section.Split('\n')
            .Select(line => Regex.Match(line, @"^\| ((?:`[^`]+`(?:, )?)+) \| ([^|]+) \| .*\|$"))
            .Where(m => m.Success && m.Groups[2].Value.Trim() != "type")
            .SelectMany(m => Regex.Matches(m.Groups[1].Value, "`([^`]+)`").Select(f => (f.Groups[1].Value, m.Groups[2].Value.Trim())))
            .ToList();
    }

    private static string LastKey(string field) => field.Split('.')[^1].Replace("[]", "");

    /// <summary>Each object the path's last key belongs to, with that key's value there (null when absent or null).</summary>
    private static IEnumerable<(JsonObject Holder, JsonNode? Value)> Values(JsonObject root, string path)
    {
        IEnumerable<JsonObject> holders = [root];
        var keys = path.Split('.');
        foreach (string key in keys[..^1])
        {
            string name = key.Replace("[]", "");
            holders = holders.Select(h => h[name]).Where(v => v is not null)
                .SelectMany(v => key.EndsWith("[]") ? v!.AsArray().Select(item => item!.AsObject()) : [v!.AsObject()]).ToList();
        }
        string last = LastKey(path);
        return holders.Select(h => (h, h[last])).ToList();
    }

    private static bool HasType(JsonNode? value, string type, int n)
    {
        if (type.StartsWith('"')) return value is JsonValue v && v.TryGetValue<string>(out var s) && type.Contains($"\"{s}\"");
        if (type.Contains(", "))  // `"a"`, `"b"`: either string
            return type.Split(", ").Any(t => HasType(value, t.Trim('`'), n));
        if (type.Trim('`') != type) return HasType(value, type.Trim('`'), n);
        return type switch
        {
            "string" => value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String,
            "bool" => value is JsonValue v && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
            "number" => IsNumber(value),
            "int" => IsInt(value),
            "object" => value is JsonObject,
            "null" => value is null,
            "array" => value is JsonArray,
            "int[]" => value is JsonArray a && a.All(IsInt),
            "int[n]" => value is JsonArray a && a.Count == n && a.All(IsInt),
            "number[]" => value is JsonArray a && a.All(IsNumber),
            "string[]" => value is JsonArray a && a.All(e => HasType(e, "string", n)),
            _ => throw new InvalidOperationException($"docs/results-schema.md gives a type this test does not know: {type}"),
        };
    }

    private static bool IsNumber(JsonNode? value) => value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number;

    private static bool IsInt(JsonNode? value) => IsNumber(value) && long.TryParse(value!.ToJsonString(), out _);

    private static string Shown(JsonNode? value)
    {
        string text = value?.ToJsonString() ?? "null";
        return text.Length > 60 ? text[..60] + "…" : text;
    }

    /// <summary>
    /// Every results file names the commit its build came from (the SDK appends it to the informational version in a git
    /// clone), so a result can be traced to its code; in a clone that commit is one of the checkout's history (HEAD itself
    /// unless commits were made after the build).
    /// </summary>
    [Fact]
    public void EveryResultsFileNamesTheCommitOfItsBuild()
    {
        if (Git("rev-parse", "HEAD") is not null)
        {
            Assert.True(RepDiffInfo.Commit is not null, "built in a git clone, but the build carries no commit");
            Assert.Matches("^[0-9a-f]{40}$", RepDiffInfo.Commit);
            Assert.True(Git("merge-base", "--is-ancestor", RepDiffInfo.Commit!, "HEAD") is not null, $"the build's commit {RepDiffInfo.Commit} is not in this checkout's history");
        }
        foreach (var (name, document) in results.Documents)
        {
            Assert.Equal(RepDiffInfo.Commit, document["commit"]?.GetValue<string>());
            foreach (var explanation in document["explanations"]?.AsArray() ?? [])
                Assert.True(RepDiffInfo.Commit == explanation!["commit"]?.GetValue<string>(), $"{name}: an explanation without the build's commit");
        }
    }

    /// <summary>git's output in the repository, or null when it fails or there is no git (then there is nothing to compare with).</summary>
    private static string? Git(params string[] arguments)
    {
        if (!Directory.Exists(Path.Combine(TestData.RepoRoot, ".git")) && !File.Exists(Path.Combine(TestData.RepoRoot, ".git"))) return null;
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("git", ["-C", TestData.RepoRoot, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var git = System.Diagnostics.Process.Start(start)!;
            string output = git.StandardOutput.ReadToEnd().Trim();
            git.StandardError.ReadToEnd();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
