using Google.Protobuf;
using Onnx;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Embedding;

/// <summary>What `embed` makes of the shapes a model's inputs declare: none at all, or a batch axis fixed at 2.</summary>
public class ModelInputShapeTests
{
    /// <summary>The model at <paramref name="path"/> rewritten beside it with every graph input and output changed by <paramref name="change"/>.</summary>
    private static string Rewritten(string path, string suffix, Action<ValueInfoProto> change)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        foreach (var value in model.Graph.Input.Concat(model.Graph.Output)) change(value);
        string rewritten = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + suffix + ".onnx");
        File.WriteAllBytes(rewritten, model.ToByteArray());
        return rewritten;
    }

    private static string WithoutShapes(string path) => Rewritten(path, "-no-shape", value => value.Type.TensorType.Shape = null);

    private static string Describe(string model, string settings)
    {
        string path = Path.ChangeExtension(model, ".json");
        File.WriteAllText(path, $$"""{ "model": "{{Path.GetFileName(model)}}", "pooling": "mean", {{settings}} }""");
        return path;
    }

    /// <summary>
    /// An input that declares no shape (legal ONNX: the graph takes what it is given) reads in ONNX Runtime as rank 0, and was
    /// refused as a scalar: "input 'pixels' has shape []; an image input must be [batch, 3, height, width]". It is fed its
    /// batches now, and embeds what the same graph with declared shapes embeds; for images and for texts.
    /// </summary>
    [Fact]
    public void AnInputThatDeclaresNoShapeIsFedItsBatches()
    {
        string dir = TestData.TempDir();
        string images = TestImages.SceneFolder(dir, 5);
        string shaped = TinyOnnx.ImageIdentity(dir, 32, 32);
        string shapeless = WithoutShapes(shaped);
        Assert.DoesNotContain(ModelProto.Parser.ParseFrom(File.ReadAllBytes(shapeless)).Graph.Input, i => i.Type.TensorType.Shape is not null);
        const string image = "\"image\": { \"size\": 32 }";
        var expected = Embedded(Describe(shaped, image), "--images", images, Path.Combine(dir, "shaped.npy"));
        var actual = Embedded(Describe(shapeless, image), "--images", images, Path.Combine(dir, "shapeless.npy"));
        Assert.Equal((5, 3), (actual.Rows, actual.Cols));
        Assert.Equal(expected.Data, actual.Data);

        string texts = Path.Combine(dir, "texts.txt");
        File.WriteAllLines(texts, ["the cat", "cat sat", "the cat sat", "sat"]);
        string vocab = $"\"text\": {{ \"vocab\": \"{Path.GetFileName(TinyOnnx.Vocab(dir, "the", "cat", "sat"))}\" }}";
        string echo = TinyOnnx.TokenEcho(dir);
        var expectedTexts = Embedded(Describe(echo, vocab), "--texts", texts, Path.Combine(dir, "echo.npy"));
        var actualTexts = Embedded(Describe(WithoutShapes(echo), vocab), "--texts", texts, Path.Combine(dir, "echo-no-shape.npy"));
        Assert.Equal((4, 3), (actualTexts.Rows, actualTexts.Cols));
        Assert.Equal(expectedTexts.Data, actualTexts.Data);
    }

    private static Matrix Embedded(string model, string kind, string source, string output)
    {
        var (code, _, error) = Run("embed", model, kind, source, "--out", output);
        Assert.True(code == 0, error);
        return Npy.ReadMatrix(output);
    }

    /// <summary>
    /// A text model exported with its batch axis fixed at 2 (input_ids [2, tokens]) takes exactly two texts per call, while
    /// the last batch is whatever is left: refused when the model opens, in one line, with nothing written.
    /// </summary>
    [Fact]
    public void ATextModelOfAFixedBatchIsRefusedBeforeEmbedding()
    {
        string dir = TestData.TempDir();
        string fixedBatch = Rewritten(TinyOnnx.TokenEcho(dir), "-batch-2", value => value.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimValue = 2 });
        string model = Describe(fixedBatch, $"\"text\": {{ \"vocab\": \"{Path.GetFileName(TinyOnnx.Vocab(dir, "the", "cat"))}\" }}");
        string texts = Path.Combine(dir, "texts.txt"), output = Path.Combine(dir, "out.npy");
        File.WriteAllLines(texts, ["the cat", "cat", "the"]);
        var refused = Run("embed", model, "--texts", texts, "--out", output);
        refused.AssertBadInput("input 'input_ids' int64 [2, tokens] takes exactly 2 samples per call, and batches of every size are embedded");
        Assert.DoesNotContain("embedding", refused.Stderr);
        Assert.Empty(Directory.EnumerateFiles(dir, "out*"));
    }
}
