using System.Text;
using Apache.Arrow.Types;
using RepDiff.IO;
using RepDiff.Tests.IO;
using Xunit.Abstractions;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// Mutated inputs through the method commands: side files (labels, ids, texts, image manifests),
/// frequency files (--omega-a) and results.json for `evaluate`, each mutated by seeded byte flips,
/// truncations, insertions of control characters and line shuffles. Every outcome is exit code 0 or 2
/// (one line); never 1, never NaN or Infinity in results.json. REPDIFF_SOAK=N runs N times as many cases
/// with other seeds (release checks); the default stays within a few tens of seconds.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static int Soak => int.TryParse(Environment.GetEnvironmentVariable("REPDIFF_SOAK"), out int n) && n > 0 ? n : 1;

    private readonly string dir = TestData.TempDir();

    public static TheoryData<string> Kinds() => new() { "labels", "ids", "texts", "manifest", "omega", "results" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void MutatedInputsAreAcceptedOrOneLineErrors(string kind)
    {
        var (a, b, labels) = SmallPair(dir, rows: 40);
        var (original, run) = Setup(kind, a, b, labels);
        Assert.Equal(0, run(original).Code); // the unmutated file is valid
        var counts = new Dictionary<string, int>();
        int cases = 25 * Soak;
        var rng = new Random(kind.Aggregate(17, (h, ch) => h * 31 + ch) + Soak); // string.GetHashCode differs per process
        for (int c = 0; c < cases; c++)
        {
            string path = Path.Combine(dir, $"m{c}{Path.GetExtension(original)}");
            File.WriteAllBytes(path, Mutate(File.ReadAllBytes(original), rng));
            var outcome = run(path);
            string verdict = outcome.Code switch { 0 => "accepted", 2 => "rejected (exit 2)", _ => $"exit {outcome.Code}" };
            counts[verdict] = counts.GetValueOrDefault(verdict) + 1;
            Assert.True(outcome.Code is 0 or 2, $"{kind} case {c}: exit {outcome.Code}: {outcome.Stderr}");
            if (outcome.Code == 2) outcome.AssertBadInput("");
        }
        output.WriteLine($"{kind}: {cases} cases: {string.Join(", ", counts.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}");
    }

    /// <summary>
    /// A Parquet table, an Arrow file and an Arrow stream with one byte flipped at seeded positions, read by inspect: each is
    /// read, or refused in one line naming the file. A refusal of the file's structure says it is corrupt or truncated and
    /// what to do (write it again, or save .npy): "row group 0 column 'emb/list/element' has no metadata: the file is corrupt"
    /// and "chunk 0 declares -3490 rows" had said nothing of that. Only a flip that leaves a well-formed table holding other
    /// contents (a ragged row, a renamed column, a repeated id) is refused by what it holds.
    /// </summary>
    [Fact]
    public void FlippedTableFilesAreReadOrSayWhatToDo()
    {
        const int Rows = 12;
        var rows = Enumerable.Range(0, Rows).Select(r => (float?[]?)Enumerable.Range(0, 4).Select(c => (float?)(r * 4 + c)).ToArray()).ToArray();
        long[] ids = [.. Enumerable.Range(0, Rows).Select(i => (long)i)];
        string[] contentRefusals = ["every row needs", "values must be numbers", "ids must be unique", "for ids (columns:", "has no column of float lists"];
        var counts = new Dictionary<string, int>();
        foreach (var (original, rewrite) in new[]
        {
            (TableWriter.Parquet(Path.Combine(dir, "t.parquet"), [.. ids.Select(i => $"s{i}")], rows, groupRows: 5), ParquetFile.Rewrite),
            (TableWriter.Arrow(Path.Combine(dir, "t.arrow"), ids, rows, TableWriter.ListKind.List, FloatType.Default, batchRows: 5), ArrowColumn.Rewrite),
            (TableWriter.Arrow(Path.Combine(dir, "t.arrows"), ids, rows, TableWriter.ListKind.FixedSize, FloatType.Default, batchRows: 5, stream: true), ArrowColumn.Rewrite),
        })
        {
            byte[] bytes = File.ReadAllBytes(original);
            var rng = new Random(bytes.Length + Soak);
            string path = Path.Combine(dir, "flipped" + Path.GetExtension(original));
            for (int c = 0; c < 150 * Soak; c++)
            {
                byte[] flipped = [.. bytes];
                int at = rng.Next(flipped.Length);
                flipped[at] ^= (byte)rng.Next(1, 256);
                File.WriteAllBytes(path, flipped);
                var outcome = Run("inspect", path, "--id-column", "id");
                string verdict = $"{Path.GetExtension(path)} {(outcome.Code == 0 ? "read" : $"exit {outcome.Code}")}";
                counts[verdict] = counts.GetValueOrDefault(verdict) + 1;
                Assert.True(outcome.Code is 0 or 2, $"byte {at} of {original}: exit {outcome.Code}: {outcome.Stderr}");
                if (outcome.Code == 0) continue;
                outcome.AssertBadInput(path);
                string line = outcome.ErrorLines.Single(l => !l.StartsWith("warning:"));
                Assert.DoesNotContain(line, char.IsControl);
                bool structure = line.EndsWith(rewrite, StringComparison.Ordinal) && (line.Contains("corrupt") || line.Contains("truncated"));
                Assert.True(structure || contentRefusals.Any(line.Contains), $"byte {at} of {original}: {line}");
            }
        }
        output.WriteLine(string.Join(", ", counts.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")));
    }

    /// <summary>The valid file of a kind and the command that reads it (a fast method: the reading is what is tested).</summary>
    private (string File, Func<string, Outcome> Run) Setup(string kind, string a, string b, string labels)
    {
        string outDir = Path.Combine(dir, "out");
        string[] pca = ["pca", a, b, "--concepts", "2", "--grid-size", "3", "--out", outDir];
        switch (kind)
        {
            case "labels":
                return (labels, f => Run([.. pca, "--labels", f]));
            case "ids":
                string ids = Path.Combine(dir, "ids.txt");
                File.WriteAllLines(ids, Enumerable.Range(0, 40).Select(i => $"sample-{i}"));
                return (ids, f => Run([.. pca, "--ids", f]));
            case "texts":
                string texts = Path.Combine(dir, "texts.jsonl");
                File.WriteAllLines(texts, Enumerable.Range(0, 40).Select(i => $"{{\"text\": \"caption {i}\", \"n\": {i}}}"));
                return (texts, f => Run([.. pca, "--texts", f, "--text-field", "text"]));
            case "manifest":
                var image = Path.Combine(dir, "img.png");
                File.WriteAllBytes(image, global::RepDiff.Report.Png.Encode(new byte[16], 4, 4, 1));
                string manifest = Path.Combine(dir, "manifest.txt");
                File.WriteAllLines(manifest, Enumerable.Repeat("img.png", 40));
                return (manifest, f => Run([.. pca, "--images", f]));
            case "omega":
                string omega = Path.Combine(dir, "omega.npy");
                var rff = global::RepDiff.Numerics.RandomFourierFeatures.Sample(Npy.ReadMatrix(a).Cols, 16, 1.0, 0);
                rff.Save(omega);
                return (omega, f => Run("spec", a, b, "--route", "rff", "--omega-a", f, "--rff-dim", "16", "--concepts", "2", "--out", outDir));
            default:
                Assert.Equal(0, Run("kmeans", a, b, "--concepts", "2", "--grid-size", "3", "--out", outDir).Code);
                string results = Path.Combine(dir, "results.json");
                File.Copy(Path.Combine(outDir, "results.json"), results);
                return (results, f => Run("evaluate", f, a, b, "--out", Path.Combine(dir, "evaluated.json")));
        }
    }

    private static readonly byte[][] Insertions = [[0], [0x1B, (byte)'[', (byte)'2', (byte)'J'], [(byte)'\r'], [(byte)'\n', (byte)'\n'], "9e99"u8.ToArray(), "-1"u8.ToArray(), "\"\""u8.ToArray(), [0xFF, 0xFE], "{"u8.ToArray()];

    /// <summary>One to three seeded mutations: flip a byte, truncate, insert a troublesome sequence, swap or drop lines.</summary>
    public static byte[] Mutate(byte[] bytes, Random rng)
    {
        var data = new List<byte>(bytes);
        int count = rng.Next(1, 4);
        for (int m = 0; m < count && data.Count > 0; m++)
        {
            int at = rng.Next(data.Count);
            switch (rng.Next(5))
            {
                case 0: data[at] ^= (byte)(1 << rng.Next(8)); break;
                case 1: data.RemoveRange(at, data.Count - at); break;
                case 2: data.InsertRange(at, Insertions[rng.Next(Insertions.Length)]); break;
                case 3: data[at] = (byte)rng.Next(256); break;
                default:
                    var lines = Encoding.UTF8.GetString(data.ToArray()).Split('\n').ToList();
                    if (lines.Count > 2)
                    {
                        int i = rng.Next(lines.Count - 1);
                        if (rng.Next(2) == 0) lines.RemoveAt(i); else lines.Insert(i, lines[rng.Next(lines.Count)]);
                    }
                    data = [.. Encoding.UTF8.GetBytes(string.Join('\n', lines))];
                    break;
            }
        }
        return data.ToArray();
    }
}
