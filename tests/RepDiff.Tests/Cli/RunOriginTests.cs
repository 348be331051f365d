using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>
/// How a results.json and its report say what made them: the command as typed (`command`), which pasted into a shell in the
/// same folder makes the same results again, and the SHA-256 of every input (`inputs_sha256`), which `sha256sum` checks.
/// </summary>
public class RunOriginTests
{
    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static JsonObject Results(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "results.json")))!.AsObject();

    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "RepDiff.Cli.dll");

    /// <summary>A process in <paramref name="folder"/>, its standard output, after it ended with exit 0.</summary>
    private static string RunProcess(string folder, string file, IEnumerable<string> arguments, string? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        if (environment is not null) start.Environment["REPDIFF_DLL"] = environment;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: exit {process.ExitCode}: {error.Result}");
        return output;
    }

    /// <summary>A and, as B, A's rows in reverse: of equal dimensions, so that only the fingerprints can tell them apart.</summary>
    private static (string A, string B, Matrix Rows) EqualDimensionsPair(string dir)
    {
        var (a, _, _) = SmallPair(dir);
        var rows = Npy.ReadMatrix(a);
        string b = Path.Combine(dir, "b.npy");
        Npy.Write(b, rows.SelectRows(Enumerable.Range(0, rows.Rows).Reverse().ToArray()));
        return (a, b, rows);
    }

    [Fact]
    public void ACommandQuotesOnlyTheWordsTheShellWouldChange()
    {
        Assert.Equal("repdiff rdx 'model a.npy' 'it'\\''s b.npy' --seed 3 --key=emb --out runs/1 ''",
            ShellWord.Command("repdiff", ["rdx", "model a.npy", "it's b.npy", "--seed", "3", "--key=emb", "--out", "runs/1", ""]));
        // Every word comes back whole from a real shell: spaces, quotes, an empty word, a newline, expansions, a leading '='.
        string[] words = ["model a.npy", "it's", "\"double\"", "", "line\nbreak", "$HOME", "*.npy", "~/x", "=ls", "--key=emb", "a;b", "back\\slash", "é", "-x", "tab\there"];
        string printed = RunProcess(TestData.TempDir(), "bash", ["-c", ShellWord.Command("printf", ["%s\\0", .. words])]);
        Assert.Equal(words, printed.Split('\0')[..^1]);
    }

    /// <summary>
    /// A run in a folder, by relative paths whose names need quoting, records its command as typed; that command pasted into
    /// bash in the same folder makes the same results.json again, apart from the timings.
    /// </summary>
    [Fact]
    public void TheRecordedCommandRunAgainInItsFolderMakesTheSameResults()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = SmallPair(dir);
        File.Move(a, Path.Combine(dir, "model a.npy"));
        File.Move(b, Path.Combine(dir, "it's b.npy"));
        File.Move(labels, Path.Combine(dir, "my labels.txt"));
        RunProcess(dir, "dotnet", [CliDll, "kmeans", "model a.npy", "it's b.npy", "--labels", "my labels.txt", "--seed", "4", "--concepts", "3", "--out", "run 1"]);
        var first = Results(Path.Combine(dir, "run 1"));
        string command = (string)first["command"]!;
        Assert.Equal("repdiff kmeans 'model a.npy' 'it'\\''s b.npy' --labels 'my labels.txt' --seed 4 --concepts 3 --out 'run 1'", command);
        // As typed: no path is made absolute, so the folder the run was in (a home folder) is nowhere in the file.
        Assert.DoesNotContain(dir, File.ReadAllText(Path.Combine(dir, "run 1", "results.json")));

        RunProcess(dir, "bash", ["-c", "repdiff() { dotnet \"$REPDIFF_DLL\" \"$@\"; }; " + command], environment: CliDll);
        var second = Results(Path.Combine(dir, "run 1"));
        first.Remove("timings");
        second.Remove("timings");
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
    }

    /// <summary>
    /// Every input's fingerprint is the SHA-256 of its bytes, as `sha256sum` gives it: the embeddings, labels, ids, metadata,
    /// texts and a --groups file; an --images folder's is over its image files' `sha256sum` lines in name order, leaving out
    /// what the run does not read (a hidden file, a text file, a subfolder). The report's header shows the command and each
    /// fingerprint's first 12 digits.
    /// </summary>
    [Fact]
    public void EachInputsFingerprintIsTheSha256OfItsBytes()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = SmallPair(dir);
        string odd = Path.Combine(dir, "a<b> & 'c'.npy");
        File.Move(a, odd);
        string ids = Path.Combine(dir, "ids.txt"), metadata = Path.Combine(dir, "meta.csv"), texts = Path.Combine(dir, "texts.txt"), groups = Path.Combine(dir, "groups.csv");
        File.WriteAllLines(ids, Enumerable.Range(0, 60).Select(i => $"s{i}"));
        File.WriteAllLines(metadata, ["id,year", .. Enumerable.Range(0, 60).Select(i => $"s{i},{1900 + i}")]);
        File.WriteAllLines(texts, Enumerable.Range(0, 60).Select(i => $"sample {i}"));
        File.WriteAllLines(groups, ["group,id", .. Enumerable.Range(0, 60).Select(i => $"g{i % 3},s{i}")]);
        string photos = Path.Combine(dir, "photos");
        Directory.CreateDirectory(Path.Combine(photos, "sub"));
        for (int i = 0; i < 60; i++) File.WriteAllBytes(Path.Combine(photos, $"p{i}.png"), RepDiff.Report.Png.Encode([(byte)i, 80, 160, 240], 2, 2, 1));
        File.WriteAllBytes(Path.Combine(photos, ".hidden.png"), [1, 2, 3]);
        File.WriteAllText(Path.Combine(photos, "notes.txt"), "not an image");
        File.WriteAllBytes(Path.Combine(photos, "sub", "q.png"), [4, 5, 6]);
        // The folder's: the `sha256sum` lines of its own image files, sorted by name in byte order (p1, p10, …, p2, …).
        var lines = Directory.GetFiles(photos, "*.png").Where(f => !Path.GetFileName(f).StartsWith('.')).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .Select(name => $"{Sha256(Path.Combine(photos, name!))}  {name}\n");
        string photosSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(lines))));

        string compareOut = Path.Combine(dir, "compare");
        string[] compare = ["compare", odd, b, "--labels", labels, "--ids", ids, "--metadata", metadata, "--texts", texts, "--images", photos,
            "--groups", groups, "--methods", "kmeans", "--out", compareOut];
        var outcome = Run(compare);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var expected = new Dictionary<string, string>
        {
            ["a"] = Sha256(odd), ["b"] = Sha256(b), ["labels"] = Sha256(labels), ["images"] = photosSha256, ["texts"] = Sha256(texts),
            ["ids"] = Sha256(ids), ["metadata"] = Sha256(metadata), ["groups"] = Sha256(groups),
        };
        var results = Results(compareOut);
        Assert.Equal(expected.OrderBy(p => p.Key), results["inputs_sha256"]!.AsObject().Select(p => KeyValuePair.Create(p.Key, (string)p.Value!)).OrderBy(p => p.Key));
        Assert.Equal(ShellWord.Command("repdiff", compare), (string)results["command"]!);
        Assert.Contains("hash_inputs", results["timings"]!.AsObject().Select(p => p.Key));

        // The header: the command, escaped, in a code block, and each input's first 12 digits beside its name.
        string html = File.ReadAllText(Path.Combine(compareOut, "report.html"));
        Assert.Contains(">repdiff compare &#39;" + System.Net.WebUtility.HtmlEncode(dir) + "/a&lt;b&gt; &amp; &#39;\\&#39;&#39;c&#39;\\&#39;&#39;.npy&#39; ", html);
        foreach (var (key, sha) in expected)
            Assert.Contains($"<span class=\"fingerprint\" title=\"{key}: SHA-256 {sha}\">", html);
        Assert.Contains($"<bdi>a&lt;b&gt; &amp; &#39;c&#39;.npy</bdi> <code>{Sha256(odd)[..12]}</code>", html);
        Assert.Contains("<code>sha256sum FILE</code> checks them", html);
        // The folder's command prints the folder's fingerprint (its notes.txt and sub/ beside the images, and p1, p10, p2 in byte
        // order, as a shell in any locale globs them or not). It names the folder as the run was given it, here a full path, so
        // it runs from another folder too (by its name alone, `cd photos` worked only beside it).
        var check = System.Text.RegularExpressions.Regex.Match(html, "<code class=\"images-check\">([^<]*)</code>");
        Assert.True(check.Success, "no folder check in the header");
        string printedSha = RunProcess(TestData.TempDir(), "bash", ["-c", System.Net.WebUtility.HtmlDecode(check.Groups[1].Value)]);
        Assert.Equal(photosSha256, printedSha[..64]);

        // A method command: its option's file by the option's key in parameters; metrics: its inputs.
        string groupsOut = Path.Combine(dir, "groups");
        Assert.Equal(0, Run("groups", odd, b, "--ids", ids, "--groups", groups, "--out", groupsOut).Code);
        Assert.Equal(new[] { ("a", Sha256(odd)), ("b", Sha256(b)), ("ids", Sha256(ids)), ("groups", Sha256(groups)) },
            Results(groupsOut)["inputs_sha256"]!.AsObject().Select(p => (p.Key, (string)p.Value!)));
        string metricsOut = Path.Combine(dir, "metrics");
        Assert.Equal(0, Run("metrics", odd, b, "--labels", labels, "--out", metricsOut).Code);
        var metrics = Results(metricsOut);
        Assert.Equal(new[] { ("a", Sha256(odd)), ("b", Sha256(b)), ("labels", Sha256(labels)) }, metrics["inputs_sha256"]!.AsObject().Select(p => (p.Key, (string)p.Value!)));
        Assert.StartsWith("repdiff metrics ", (string)metrics["command"]!);
    }

    /// <summary>
    /// A manifest given as --images: "images" is the manifest file's SHA-256 and "images_listed" is over the images it lists,
    /// the `sha256sum` lines of its entries as written, in its order (a file listed twice twice), which the report's command
    /// prints in bash from any folder: entries with spaces, a quote, a backslash, an absolute path, "./", surrounding blanks,
    /// a byte order mark, Windows line ends and blank lines at the end. Changing one listed image's bytes changes it (and not
    /// the manifest's); a refused run hashes nothing. A folder's command prints its fingerprint with a backslash in a name too.
    /// </summary>
    [Fact]
    public void AManifestsFingerprintCoversTheImagesItListsAndItsCommandPrintsIt()
    {
        string dir = TestData.TempDir();
        var (a, b, _) = SmallPair(dir);
        string data = Path.Combine(dir, "my data"), photos = Path.Combine(data, "photos"), elsewhere = Path.Combine(TestData.TempDir(), "q.png");
        Directory.CreateDirectory(photos);
        byte[] Png(int i) => RepDiff.Report.Png.Encode([(byte)i, 80, 160, 240], 2, 2, 1);
        var names = Enumerable.Range(0, 60).Select(i => i switch { 10 => "p 10.png", 11 => "it's.png", 12 => "back\\slash.png", 13 => "é.png", _ => $"p{i}.png" }).ToArray();
        for (int i = 0; i < 60; i++) File.WriteAllBytes(Path.Combine(photos, names[i]), Png(i));
        File.WriteAllBytes(elsewhere, Png(200));
        var entries = names.Select(name => "photos/" + name).ToArray();
        entries[20] = "./photos/p0.png"; // the image of entry 0 again
        entries[30] = elsewhere;          // absolute, outside the manifest's folder
        string manifest = Path.Combine(data, "image list.txt");
        var text = entries.Select((entry, i) => i % 7 == 3 ? $" \t{entry}  " : entry);
        File.WriteAllText(manifest, "\uFEFF" + string.Join("\r\n", text) + "\r\n\r\n  \r\n", new UTF8Encoding(false));

        // Each entry's `sha256sum` line, as GNU writes one whose name holds a backslash: a backslash first, the name's doubled.
        string Listed() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(entries.Select(entry =>
        {
            string sha = Sha256(Path.IsPathRooted(entry) ? entry : Path.Combine(data, entry));
            return entry.Contains('\\') ? $"\\{sha}  {entry.Replace("\\", "\\\\")}\n" : $"{sha}  {entry}\n";
        })))));
        string outDir = Path.Combine(dir, "out");
        var run = Run("kmeans", a, b, "--images", manifest, "--concepts", "3", "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains(InputFingerprints.Stage, run.Stderr);
        var recorded = Results(outDir)["inputs_sha256"]!.AsObject();
        Assert.Equal(Sha256(manifest), (string)recorded["images"]!);
        string listed = Listed();
        Assert.Equal(listed, (string)recorded["images_listed"]!);

        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains($"<span class=\"fingerprint\" title=\"images_listed: SHA-256 {listed}\"><bdi>image list.txt&#39;s images</bdi> <code>{listed[..12]}</code>", html);
        var check = System.Text.RegularExpressions.Regex.Match(html, "<bdi>image list.txt&#39;s images</bdi>: over the image files it lists, in its order, <code class=\"images-check\">([^<]*)</code>");
        Assert.True(check.Success, "no check of the listed images in the header");
        string command = System.Net.WebUtility.HtmlDecode(check.Groups[1].Value);
        Assert.Equal(listed, RunProcess(TestData.TempDir(), "bash", ["-c", command])[..64]);

        // One listed image changed: the images' fingerprint changes, the manifest's does not, and the command prints the new one.
        File.WriteAllBytes(Path.Combine(photos, "p 10.png"), Png(201));
        var again = Run("kmeans", a, b, "--images", manifest, "--concepts", "3", "--out", outDir);
        Assert.True(again.Code == 0, again.Stderr);
        var changed = Results(outDir)["inputs_sha256"]!.AsObject();
        Assert.Equal(Sha256(manifest), (string)changed["images"]!);
        Assert.NotEqual(listed, (string)changed["images_listed"]!);
        Assert.Equal(Listed(), (string)changed["images_listed"]!);
        Assert.Equal(Listed(), RunProcess(TestData.TempDir(), "bash", ["-c", command])[..64]);

        // Refused (one image short of the 60 rows): one line, nothing hashed, nothing written.
        string shortManifest = Path.Combine(data, "short.txt"), refusedOut = Path.Combine(dir, "refused");
        File.WriteAllLines(shortManifest, entries[..59]);
        var refused = Run("kmeans", a, b, "--images", shortManifest, "--concepts", "3", "--out", refusedOut);
        refused.AssertBadInput("short.txt");
        Assert.DoesNotContain(InputFingerprints.Stage, refused.Stderr);
        Assert.False(Directory.Exists(refusedOut));

        // The folder itself as --images: its command prints its fingerprint, back\slash.png's line escaped as sha256sum escapes it.
        string folderOut = Path.Combine(dir, "folder");
        Assert.Equal(0, Run("kmeans", a, b, "--images", photos, "--concepts", "3", "--out", folderOut).Code);
        string folderHtml = File.ReadAllText(Path.Combine(folderOut, "report.html"));
        var folderCheck = System.Text.RegularExpressions.Regex.Match(folderHtml, "<bdi>photos</bdi>: over its image files, <code class=\"images-check\">([^<]*)</code>");
        Assert.True(folderCheck.Success, "no folder check in the header");
        Assert.Equal((string)Results(folderOut)["inputs_sha256"]!["images"]!,
            RunProcess(TestData.TempDir(), "bash", ["-c", System.Net.WebUtility.HtmlDecode(folderCheck.Groups[1].Value)])[..64]);
    }

    /// <summary>
    /// `evaluate` keeps the run's command and fingerprints (its concepts are still that run's) and adds its own command as
    /// `evaluate_command`, which a later evaluation replaces; for one method's results and for a comparison.
    /// </summary>
    [Fact]
    public void EvaluateKeepsTheRunsCommandAndAddsItsOwn()
    {
        string dir = TestData.TempDir();
        var (a, b, _) = SmallPair(dir);
        foreach (string[] run in new[] { new[] { "kmeans", a, b, "--concepts", "3" }, new[] { "compare", a, b, "--methods", "kmeans,pca" } })
        {
            string outDir = Path.Combine(dir, run[0]);
            Assert.Equal(0, Run([.. run, "--out", outDir]).Code);
            var original = Results(outDir);
            string results = Path.Combine(outDir, "results.json"), copy = Path.Combine(dir, run[0] + "-evaluated.json");
            Assert.Equal(0, Run("evaluate", results, a, b, "--out", copy).Code);
            var evaluated = JsonNode.Parse(File.ReadAllText(copy))!.AsObject();
            Assert.Equal((string)original["command"]!, (string)evaluated["command"]!);
            Assert.Equal(original["inputs_sha256"]!.ToJsonString(), evaluated["inputs_sha256"]!.ToJsonString());
            Assert.Equal($"repdiff evaluate {results} {a} {b} --out {copy}", (string)evaluated["evaluate_command"]!);
            // Beside the build and the run's command, where a reader looks for how the file was made.
            var keys = evaluated.Select(p => p.Key).ToList();
            Assert.Equal(keys.IndexOf("command") + 1, keys.IndexOf("evaluate_command"));
            Assert.Equal(keys.IndexOf("commit") + 1, keys.IndexOf("command"));

            // Evaluated again in place: the run's command stays, the evaluation's is the latest.
            Assert.Equal(0, Run("evaluate", copy, a, b).Code);
            var again = JsonNode.Parse(File.ReadAllText(copy))!.AsObject();
            Assert.Equal((string)original["command"]!, (string)again["command"]!);
            Assert.Equal($"repdiff evaluate {copy} {a} {b}", (string)again["evaluate_command"]!);
        }
    }

    /// <summary>
    /// Two arrays of one file (an .npz's x and y by --key-a and --key-b) given to `evaluate` with their keys exchanged, by any
    /// of the options that give them, are refused as swapped: the file's SHA-256 is both sides', so the fingerprints alone had
    /// passed them, and every grid was scored in the wrong model (exit 0). The run records the keys beside its inputs' names;
    /// the same file with another array is scored with a warning, as another file is.
    /// </summary>
    [Fact]
    public void EvaluateRefusesTwoArraysOfOneFileGivenWithTheirKeysExchanged()
    {
        string dir = TestData.TempDir();
        var (a, b, _) = EqualDimensionsPair(dir);
        string pair = Path.Combine(dir, "pair.npz");
        using (var zip = ZipFile.Open(pair, ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(a, "x.npy");
            zip.CreateEntryFromFile(b, "y.npy");
            zip.CreateEntryFromFile(a, "z.npy");
        }
        string outDir = Path.Combine(dir, "out");
        var run = Run("kmeans", pair, pair, "--key-a", "x", "--key-b", "y", "--concepts", "3", "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        var recorded = Results(outDir)["inputs"]!.AsObject();
        Assert.Equal(("x", "y"), ((string)recorded["key_a"]!, (string)recorded["key_b"]!));
        string results = Path.Combine(outDir, "results.json"), target = Path.Combine(dir, "evaluated.json");
        // A copy of the file under another name is the same bytes: it counts as the run's file, not as another one.
        string copy = Path.Combine(dir, "copy.npz");
        File.Copy(pair, copy);
        AssertEvaluateRefuses(results, pair, copy, target, "was computed with copy.npz's array x as A and pair.npz's array y as B; these are given the other way round",
            ["--key-a", "y", "--key-b", "x"], ["--column-a", "y", "--column-b", "x"], ["--key", "y", "--key-b", "x"], ["--key-a=y", "--key-b=x"]);

        var right = Run("evaluate", results, pair, copy, "--key-a", "x", "--key-b", "y", "--out", target);
        Assert.True(right.Code == 0, right.Stderr);
        Assert.DoesNotContain("warning:", right.Stderr);
        var other = Run("evaluate", results, pair, pair, "--key-a", "z", "--key-b", "y", "--out", target);
        Assert.True(other.Code == 0, other.Stderr);
        Assert.Contains("warning: pair.npz (A) is the file the run read, but its array z, not the run's x; its BSR is scored on the values given here", other.Stderr);
        Assert.DoesNotContain("(B) is", other.Stderr);
    }

    /// <summary>`evaluate` of <paramref name="results"/> on A and B with each of <paramref name="keysGiven"/>: refused saying <paramref name="message"/>, nothing written.</summary>
    private static void AssertEvaluateRefuses(string results, string a, string b, string target, string message, params string[][] keysGiven)
    {
        foreach (string[] keys in keysGiven)
        {
            Run(["evaluate", results, a, b, .. keys, "--out", target]).AssertBadInput(message);
            Assert.False(File.Exists(target));
        }
    }

    /// <summary>An .npz of A's rows as "x" and B's as "y", the two arrays of one file that --key-a and --key-b pick.</summary>
    private static string TwoArraysOfOneFile(string dir)
    {
        var (a, b, _) = EqualDimensionsPair(dir);
        string pair = Path.Combine(dir, "pair.npz");
        using var zip = ZipFile.Open(pair, ZipArchiveMode.Create);
        zip.CreateEntryFromFile(a, "x.npy");
        zip.CreateEntryFromFile(b, "y.npy");
        return pair;
    }

    /// <summary>
    /// A key names an .npz member with or without ".npy": a run records the array as the file names it ("x" for --key-a
    /// x.npy), and `evaluate` compares keys by the array they pick, so `--key-a y.npy --key-b x.npy` for a run of x and y is
    /// refused as swapped (it had been scored, with two "another array" warnings). A results file from before, which recorded
    /// the key as typed ("x.npy"), reads as the new one does.
    /// </summary>
    [Fact]
    public void EvaluateComparesKeysByTheArrayTheyPickNotAsTyped()
    {
        string dir = TestData.TempDir();
        string pair = TwoArraysOfOneFile(dir);
        string outDir = Path.Combine(dir, "out");
        var run = Run("kmeans", pair, pair, "--key-a", "x.npy", "--key-b", "y", "--concepts", "3", "--maps", "pca", "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        var recorded = Results(outDir);
        Assert.Equal(("x", "y"), ((string)recorded["inputs"]!["key_a"]!, (string)recorded["inputs"]!["key_b"]!));
        string older = Path.Combine(dir, "older.json"), target = Path.Combine(dir, "evaluated.json");
        recorded["inputs"]!["key_a"] = "x.npy";
        File.WriteAllText(older, recorded.ToJsonString());
        foreach (string results in new[] { Path.Combine(outDir, "results.json"), older })
        {
            AssertEvaluateRefuses(results, pair, pair, target, "was computed with A = pair.npz's array x and B = pair.npz's array y; these are given the other way round",
                ["--key-a", "y.npy", "--key-b", "x.npy"], ["--key-a", "y", "--key-b", "x.npy"], ["--column-a", "y.npy", "--column-b", "x"]);
            var right = Run("evaluate", results, pair, pair, "--key-a", "x", "--key-b", "y.npy", "--out", target);
            Assert.True(right.Code == 0, right.Stderr);
            Assert.DoesNotContain("warning:", right.Stderr);
            File.Delete(target);
        }
        // One array by two spellings is one input, refused before it is read (it had been refused after both were read, as
        // two arrays holding the same values).
        string same = Path.Combine(dir, "same");
        Run("kmeans", pair, pair, "--key-a", "x", "--key-b", "x.npy", "--out", same).AssertBadInput("pair.npz (x) is both A and B, so there is no difference to explain");
        Assert.False(Directory.Exists(same));
    }

    /// <summary>
    /// The refusal of two arrays of one file given with their keys exchanged is decided from the names and keys the run
    /// recorded, before the files are hashed: one line on stderr (a log had shown the fingerprints' progress, then the refusal).
    /// </summary>
    [Fact]
    public void EvaluateRefusesKeysExchangedBeforeHashingTheInputs()
    {
        string dir = TestData.TempDir();
        string pair = TwoArraysOfOneFile(dir);
        string outDir = Path.Combine(dir, "out");
        Assert.Equal(0, Run("kmeans", pair, pair, "--key-a", "x", "--key-b", "y", "--concepts", "3", "--maps", "pca", "--out", outDir).Code);
        string target = Path.Combine(dir, "evaluated.json");
        var swapped = Run("evaluate", Path.Combine(outDir, "results.json"), pair, pair, "--key-a", "y", "--key-b", "x", "--out", target);
        Assert.Equal(2, swapped.Code);
        string line = Assert.Single(swapped.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("was computed with A = pair.npz's array x and B = pair.npz's array y; these are given the other way round", line);
        Assert.False(File.Exists(target));
    }

    /// <summary>
    /// `evaluate` checks A and B against the run's fingerprints: the run's B and A given as A and B under new names, of equal
    /// dimensions, are refused as swapped (every other check passed them, and every grid was scored in the wrong model, exit
    /// 0); a file that is not the one the run read is scored, with a warning that says so.
    /// </summary>
    [Fact]
    public void EvaluateRefusesTheRunsFilesSwappedUnderOtherNamesAndWarnsOfOtherFiles()
    {
        string dir = TestData.TempDir();
        var (a, b, rows) = EqualDimensionsPair(dir);
        string outDir = Path.Combine(dir, "out");
        Assert.Equal(0, Run("kmeans", a, b, "--concepts", "3", "--out", outDir).Code);
        string results = Path.Combine(outDir, "results.json");
        string first = Path.Combine(dir, "first.npy"), second = Path.Combine(dir, "second.npy");
        File.Copy(b, first);
        File.Copy(a, second);
        var swapped = Run("evaluate", results, first, second, "--out", Path.Combine(dir, "swapped.json"));
        swapped.AssertBadInput("was computed with second.npy as A and first.npy as B (by their SHA-256); these are given the other way round");
        Assert.False(File.Exists(Path.Combine(dir, "swapped.json")));

        var changed = rows.SelectRows(Enumerable.Range(0, rows.Rows).ToArray());
        changed.Data[0] += 1;
        string other = Path.Combine(dir, "other.npy");
        Npy.Write(other, changed);
        var warned = Run("evaluate", results, other, b, "--out", Path.Combine(dir, "other.json"));
        Assert.True(warned.Code == 0, warned.Stderr);
        Assert.Contains($"warning: other.npy (A) is not the file the run read: its SHA-256 begins {Sha256(other)[..12]}, the run's {Sha256(a)[..12]}", warned.Stderr);
        Assert.DoesNotContain("(B) is not the file", warned.Stderr);
    }
}
