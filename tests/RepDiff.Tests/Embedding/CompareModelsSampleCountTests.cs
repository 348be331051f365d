using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Embedding;

/// <summary>
/// `compare --model-a/-b` on fewer samples than the methods need: the count is known once the inputs are listed, and had
/// been refused only after both models had embedded them (11 s for three sentences with minilm-l6 and arctic-embed-xs).
/// </summary>
public class CompareModelsSampleCountTests
{
    /// <summary>The refusal of a pair of files with <paramref name="rows"/> rows, whose words the models' run must repeat.</summary>
    private static string PairRefusal(string dir, int rows, params string[] methods) => FilesRefusal(dir, rows, "cannot run on these inputs", methods);

    /// <summary>The same, naming <paramref name="names"/> (a trust measure's refusal names its flag, not a method).</summary>
    private static string FilesRefusal(string dir, int rows, string names, params string[] methods)
    {
        string a = Path.Combine(dir, $"a{rows}.npy"), b = Path.Combine(dir, $"b{rows}.npy");
        var rng = new Random(rows);
        Npy.Write(a, new Matrix(rows, 3, Enumerable.Range(0, rows * 3).Select(_ => (float)rng.NextDouble()).ToArray()));
        Npy.Write(b, new Matrix(rows, 4, Enumerable.Range(0, rows * 4).Select(_ => (float)rng.NextDouble()).ToArray()));
        var refused = Run(["compare", a, b, .. methods, "--out", Path.Combine(dir, "files")]);
        refused.AssertBadInput(names);
        return refused.ErrorLines.Single();
    }

    private static void AssertRefusedBeforeEmbedding(Outcome refused, string expected, string output)
    {
        Assert.Equal(2, refused.Code);
        Assert.Equal([expected], refused.ErrorLines);  // no "embedding: …" progress, no "embedded, kept in …"
        Assert.False(Path.Exists(output));
    }

    /// <summary>Two descriptions of a tiny text model (mean-pooled token echo, plain and normalized) and a file of <paramref name="lines"/>.</summary>
    private static (string A, string B, string Texts) TwoTextModels(string dir, IEnumerable<string> lines, string textsFile = "texts.txt")
    {
        string vocab = Path.GetFileName(TinyOnnx.Vocab(dir, "the", "cat", "sat"));
        string echo = Path.GetFileName(TinyOnnx.TokenEcho(dir));
        string a = Path.Combine(dir, "mean.json"), b = Path.Combine(dir, "normalized.json");
        File.WriteAllText(a, $$"""{ "name": "mean", "model": "{{echo}}", "pooling": "mean", "text": { "vocab": "{{vocab}}" } }""");
        File.WriteAllText(b, $$"""{ "name": "normalized", "model": "{{echo}}", "pooling": "mean", "normalize": true, "text": { "vocab": "{{vocab}}" } }""");
        string texts = Path.Combine(dir, textsFile);
        File.WriteAllLines(texts, lines);
        return (a, b, texts);
    }

    [Fact]
    public void TooFewTextsAreRefusedBeforeEitherModelEmbeds()
    {
        string dir = TestData.TempDir();
        var (a, b, texts) = TwoTextModels(dir, ["the cat sat", "the cat", "sat"]);
        string output = Path.Combine(dir, "o");
        // Every default method's words and remedy, as for two files of 3 rows.
        AssertRefusedBeforeEmbedding(Run("compare", "--model-a", a, "--model-b", b, "--texts", texts, "--out", output), PairRefusal(dir, 3), output);
        AssertRefusedBeforeEmbedding(Run("compare", "--model-a", a, "--model-b", b, "--texts", texts, "--methods", "kmeans,spec", "--out", output),
            PairRefusal(dir, 3, "--methods", "kmeans,spec"), output);
        // Enough texts for the methods named: both embed and the comparison runs.
        var ran = Run("compare", "--model-a", a, "--model-b", b, "--texts", texts, "--methods", "spec", "--out", output);
        Assert.True(ran.Code == 0, ran.Stderr);
    }

    /// <summary>
    /// Enough texts for the full run but too few for the trust measures' reruns on part of them: refused in the words two
    /// files of as many rows get, before either model embeds. Only the full n had been checked, so both models embedded
    /// every text before the comparison refused them.
    /// </summary>
    [Fact]
    public void TooFewTextsForTheTrustMeasuresAreRefusedBeforeEitherModelEmbeds()
    {
        string dir = TestData.TempDir();
        string output = Path.Combine(dir, "o");
        // Six: RDX's 5 concepts and null cluster, and the baselines' 5 concepts, fit; stability's reruns on 80% (4 rows) do not.
        var (a, b, six) = TwoTextModels(dir, Enumerable.Range(1, 6).Select(Sentence), "six.txt");
        AssertRefusedBeforeEmbedding(Run("compare", "--model-a", a, "--model-b", b, "--texts", six, "--stability", "2", "--out", output),
            PairRefusal(dir, 6, "--stability", "2"), output);
        // Thirty: every method fits, but held-out validation cannot split them into two halves.
        var (_, _, thirty) = TwoTextModels(dir, Enumerable.Range(1, 30).Select(Sentence), "thirty.txt");
        AssertRefusedBeforeEmbedding(Run("compare", "--model-a", a, "--model-b", b, "--texts", thirty, "--trust", "--out", output),
            FilesRefusal(dir, 30, "--trust: needs at least 40 samples", "--trust"), output);
    }

    /// <summary>A distinct text of the tiny vocabulary for each <paramref name="i"/>.</summary>
    private static string Sentence(int i) => "the " + string.Join(" ", Enumerable.Repeat(i % 2 == 0 ? "cat" : "sat", i));

    [Fact]
    public void TooFewImagesAreRefusedBeforeEitherModelEmbeds()
    {
        string dir = TestData.TempDir();
        string images = TestImages.SceneFolder(dir, 4);
        string model = TinyOnnx.ImageIdentity(dir, 32, 32);
        string a = Path.Combine(dir, "identity.json"), b = Path.Combine(dir, "doubled.json");
        File.WriteAllText(a, $$"""{ "name": "identity", "model": "{{Path.GetFileName(model)}}", "pooling": "mean", "image": { "size": 32 } }""");
        File.WriteAllText(b, $$"""{ "name": "doubled", "model": "{{Path.GetFileName(model)}}", "output": "doubled", "pooling": "mean", "image": { "size": 32 } }""");
        string output = Path.Combine(dir, "o");
        AssertRefusedBeforeEmbedding(Run("compare", "--model-a", a, "--model-b", b, "--images", images, "--methods", "rdx,pca", "--out", output),
            PairRefusal(dir, 4, "--methods", "rdx,pca"), output);
    }
}
