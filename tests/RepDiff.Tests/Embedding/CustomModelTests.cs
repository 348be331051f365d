using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;
using static RepDiff.Tests.Embedding.TinyOnnx;

namespace RepDiff.Tests.Embedding;

/// <summary>
/// Custom ONNX models that do not fit what embed feeds or reads (review 180, findings 7 and 8): each refused in one line of
/// the user's terms before anything is embedded, with --out left as it was; float16 models embedded; and a model whose
/// output does not depend on its input named (embed) or refused (compare).
/// </summary>
public class CustomModelTests
{
    /// <summary>A folder of 12 PNG scenes (64×48).</summary>
    private static (string Dir, string Images) Scenes()
    {
        string dir = TestData.TempDir();
        string images = Path.Combine(dir, "images");
        Directory.CreateDirectory(images);
        TestImages.Scenes(images, 12, 64, 48);
        return (dir, images);
    }

    /// <summary>A model with its description beside it.</summary>
    private static string Described(string model, string description)
    {
        File.WriteAllText(Path.ChangeExtension(model, ".json"), description);
        return model;
    }

    public static TheoryData<string, string> Refusals => new()
    {
        // ONNX Runtime's "Missing Input: scale" once the first batch ran.
        { "second-input", "takes 2 inputs ('pixels' float [batch, 3, 32, 32]; 'scale' float [1]), and images give only pixels, to one input; export the model with the image as its only input" },
        // Said before, in other words, and untested.
        { "text-extra-input", "takes inputs 'position_ids' int64 [batch, tokens] that texts do not give (a text model is fed input_ids, attention_mask); name them in its description's text section if they are input_ids, attention_mask or token_type_ids, else export the model without them" },
        // ONNX Runtime's "Got invalid dimensions for input: pixels … index: 0 Got: 12 Expected: 4".
        { "fixed-batch", "input 'pixels' float [4, 3, 32, 32] takes exactly 4 samples per call, and batches of every size are embedded (the last is what is left); export the model with a dynamic batch axis, or a batch of 1" },
        // ONNX Runtime's MatMul message: "cannot run on these inputs ([ErrorCode:RuntimeException] Non-zero status code …)".
        { "inner-size", "cannot run on 16x16 images (its node 'out_node' (MatMul) failed: " },
        // ONNX Runtime's type error on loading the edited graph.
        { "bfloat16-layer", "tensor 'bf' (--layer) holds bfloat16 values; an embedding is read from float32 or float16 values: choose another layer (`repdiff inspect " },
        { "int64-output", "output 'out' holds int64 values; an embedding is read from float32 or float16 values: name the output that holds the embedding (`repdiff inspect " },
        { "bfloat16-input", "input 'pixels' takes bfloat16 values, and images are fed as float32 or float16; export the model with a float32 or float16 image input" },
        // "has 3 inputs (input_ids, attention_mask, token_type_ids); name the image input".
        { "text-model-given-images", "takes token ids (input 'input_ids' int64 [batch, tokens]), not images: it is a text model; give it --texts, with its vocabulary" },
        // "a text model needs a vocabulary: --vocab vocab.txt or --tokenizer tokenizer.json".
        { "image-model-given-texts", "takes images (input 'pixels' float [batch, 3, 16, 16]), not texts: it is an image model; give it --images" },
        // "has no input named 'input_ids' for the token ids (inputs: pixels)".
        { "image-model-given-texts-and-vocab", "takes images (input 'pixels' float [batch, 3, 16, 16]), not texts: it is an image model; give it --images" },
        // "a model description has either an image or a text section, not both", of a description nobody wrote.
        { "text-preset-given-images", "--preset clip-text describes a text model, and --images were given; an image model's presets are clip-image, dinov2, hf-vit, resnet" },
        { "image-preset-given-texts", "--preset resnet describes an image model, and --texts were given; a text model's presets are clip-text, sentence-transformers" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void AModelThatDoesNotFitIsOneLineAndLeavesTheOutputAsItWas(string kind, string message)
    {
        var (dir, images) = Scenes();
        string texts = Path.Combine(dir, "texts.txt");
        File.WriteAllText(texts, "the cat\na dog\n");
        string vocab = Vocab(dir, "the", "cat", "a", "dog");
        string size32 = """{ "pooling": "mean", "image": { "size": 32 } }""";
        var pixels = Value("pixels", Float, "batch", 3, 32, 32);
        string Model(string name, Onnx.ValueInfoProto[] inputs, Onnx.ValueInfoProto output, Onnx.NodeProto[] nodes, Onnx.TensorProto[]? constants = null)
            => Described(Write(Path.Combine(dir, name + ".onnx"), inputs, [output], nodes, constants), size32);
        string[] args = kind switch
        {
            "second-input" => [Model("two", [pixels, Value("scale", Float, 1)], Value("out", Float, "batch", 3, 32, 32), [Node("Mul", ["pixels", "scale"], ["out"])]),
                "--images", images, "--input", "pixels"],
            "text-extra-input" => [Write(Path.Combine(dir, "positions.onnx"),
                    [Value("input_ids", TinyOnnx.Int64, "batch", "tokens"), Value("attention_mask", TinyOnnx.Int64, "batch", "tokens"), Value("position_ids", TinyOnnx.Int64, "batch", "tokens")],
                    [Value("out", Float, "batch", "tokens")],
                    [Node("Add", ["input_ids", "position_ids"], ["sum"]), Node("Add", ["sum", "attention_mask"], ["all"]), Node("Cast", ["all"], ["out"], Int("to", Float))]),
                "--texts", texts, "--vocab", vocab],
            "fixed-batch" => [Described(ImageIdentity(dir, 32, 32, batch: 4), size32), "--images", images],
            // Its input takes any size, but its weights were made for 32×32: a 16×16 image fails inside.
            "inner-size" => [Described(Write(Path.Combine(dir, "inner.onnx"), [Value("pixels", Float, "batch", 3, "h", "w")], [Value("out", Float, "batch", 2)],
                    [Node("Flatten", ["pixels"], ["flat"], Int("axis", 1)), Node("MatMul", ["flat", "w"], ["out"])], [Constant("w", [3 * 32 * 32, 2], new float[3 * 32 * 32 * 2])]),
                """{ "image": { "size": 16 } }"""), "--images", images],
            "bfloat16-layer" => [Model("bf", [pixels], Value("out", Float, "batch", 3, 32, 32),
                [Node("Cast", ["pixels"], ["bf"], Int("to", BFloat16)), Node("Cast", ["bf"], ["out"], Int("to", Float))]), "--images", images, "--layer", "bf"],
            "int64-output" => [Model("int", [pixels], Value("out", TinyOnnx.Int64, "batch", 3, 32, 32), [Node("Cast", ["pixels"], ["out"], Int("to", TinyOnnx.Int64))]), "--images", images],
            "bfloat16-input" => [Model("bf-in", [Value("pixels", BFloat16, "batch", 3, 32, 32)], Value("out", Float, "batch", 3, 32, 32),
                [Node("Cast", ["pixels"], ["out"], Int("to", Float))]), "--images", images],
            "text-model-given-images" => [TokenEcho(dir), "--images", images],
            "image-model-given-texts" => [ImageIdentity(dir, 16, 16), "--texts", texts],
            "image-model-given-texts-and-vocab" => [ImageIdentity(dir, 16, 16), "--texts", texts, "--vocab", vocab],
            "text-preset-given-images" => [ImageIdentity(dir, 16, 16), "--images", images, "--preset", "clip-text"],
            "image-preset-given-texts" => [TokenEcho(dir), "--texts", texts, "--vocab", vocab, "--preset", "resnet"],
            _ => throw new ArgumentException(kind),
        };
        string output = Path.Combine(dir, "out");
        Directory.CreateDirectory(output);
        string earlier = Path.Combine(output, "e.npy");
        File.WriteAllText(earlier, "an earlier run's file");
        var outcome = Run(["embed", .. args, "--out", earlier]);
        // A model that opens and fails on its first batch follows the progress display's first line (plain lines off a terminal).
        Assert.Equal(2, outcome.Code);
        Assert.Equal("error: ", Assert.Single(outcome.ErrorLines, l => !l.StartsWith("embedding: "))[..7]);
        Assert.Contains(message, outcome.Stderr);
        Assert.DoesNotContain("onnxruntime", outcome.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([earlier], Directory.GetFileSystemEntries(output));
        Assert.Equal("an earlier run's file", File.ReadAllText(earlier));
    }

    /// <summary>
    /// ONNX's float16 has an 11-bit significand: rounding a float32 to it to nearest is off by at most 2^-11 of the value
    /// (half a unit in the last place), or 2^-25 below float16's smallest normal (6.1e-5), where its steps are 2^-24. Pooling
    /// "none" keeps every pixel as a value of its own, so each is one rounding and the bound holds per value.
    /// </summary>
    private static void AssertFloat16Rounding(Matrix expected, Matrix actual)
    {
        Assert.Equal((expected.Rows, expected.Cols), (actual.Rows, actual.Cols));
        double largest = 0;
        for (int i = 0; i < expected.Data.Length; i++)
        {
            double error = Math.Abs(expected.Data[i] - actual.Data[i]);
            Assert.True(error <= Math.Abs(expected.Data[i]) * Math.Pow(2, -11) + Math.Pow(2, -25), $"value {i}: {actual.Data[i]} against {expected.Data[i]}");
            largest = Math.Max(largest, error);
        }
        // The values did go through float16: normalized pixels are not all float16 numbers.
        Assert.True(largest > 0);
    }

    private const string FourPixels = """{ "pooling": "none", "image": { "size": 4 } }""";

    private static Matrix Embed(string dir, params string[] args)
    {
        string output = Path.Combine(dir, $"e{Guid.NewGuid():N}.npy");
        var (code, _, error) = Run(["embed", .. args, "--out", output]);
        Assert.True(code == 0, error);
        Assert.DoesNotContain("warning", error);
        return Npy.ReadMatrix(output);
    }

    /// <summary>
    /// A float16 model (an fp16 export: input and output float16) had no route: ONNX Runtime's "Unexpected input data
    /// type. Actual: (tensor(float)) , expected: (tensor(float16))". Its pixels are rounded to float16 and its output widened.
    /// </summary>
    [Fact]
    public void AFloat16ModelEmbedsThePixelsRoundedToFloat16()
    {
        var (dir, images) = Scenes();
        string wide = Described(ImageIdentity(dir, 4, 4), FourPixels);
        string half = Described(Write(Path.Combine(dir, "half.onnx"), [Value("pixels", Float16, "batch", 3, 4, 4)], [Value("out", Float16, "batch", 3, 4, 4)],
            [Node("Identity", ["pixels"], ["out"])]), FourPixels);
        AssertFloat16Rounding(Embed(dir, wide, "--images", images), Embed(dir, half, "--images", images));
    }

    /// <summary>
    /// `--layer` on a float16 tensor of a float32 model was declared float32 when exposed, and ONNX Runtime refused the edited
    /// graph ("Type Error: Type (tensor(float16)) of output arg (half) … does not match expected type (tensor(float))").
    /// Exposed as float16 and widened, it is exactly the graph's float32 output of the same values.
    /// </summary>
    [Fact]
    public void AFloat16LayerIsWidenedToTheValuesTheGraphComputes()
    {
        var (dir, images) = Scenes();
        string wide = Described(ImageIdentity(dir, 4, 4), FourPixels);
        string model = Described(Write(Path.Combine(dir, "through-half.onnx"), [Value("pixels", Float, "batch", 3, 4, 4)], [Value("out", Float, "batch", 3, 4, 4)],
            [Node("Cast", ["pixels"], ["half"], Int("to", Float16)), Node("Cast", ["half"], ["out"], Int("to", Float))]), FourPixels);
        var layer = Embed(dir, model, "--images", images, "--layer", "half", "--pooling", "none");
        Assert.Equal(Embed(dir, model, "--images", images).Data, layer.Data);
        AssertFloat16Rounding(Embed(dir, wide, "--images", images), layer);
    }

    /// <summary>pixels · 0 + 0.5: the same vector for every image, as a wrong output or a broken export gives.</summary>
    private static string ConstantModel(string dir) => Described(Write(Path.Combine(dir, "constant.onnx"), [Value("pixels", Float, "batch", 3, 32, 32)],
        [Value("out", Float, "batch", 3, 32, 32)], [Node("Mul", ["pixels", "zero"], ["zeroed"]), Node("Add", ["zeroed", "half"], ["out"])],
        [Constant("zero", [], [0f]), Constant("half", [], [0.5f])]), """{ "pooling": "mean", "image": { "size": 32 } }""");

    /// <summary>
    /// A model that gives every input the same embedding was written without a word; embed still writes it (it is what the
    /// model gives) and warns once. compare refuses it when that side is embedded, before the other: before, its methods
    /// said it of the cache file ("rdx: embeddings/constant.npy: every row is the same") once both were embedded.
    /// </summary>
    [Fact]
    public void AModelOfOneVectorForEveryInputIsNamedByEmbedAndRefusedByCompare()
    {
        var (dir, images) = Scenes();
        string constant = ConstantModel(dir);
        string output = Path.Combine(dir, "c.npy");
        var embedded = Run("embed", constant, "--images", images, "--out", output);
        Assert.True(embedded.Code == 0, embedded.Stderr);
        Assert.Equal(["warning: all 12 embeddings constant made are the same vector: its output 'out' does not depend on the input "
            + "(the wrong \"output\" or --output or --layer, or a broken export?), and no comparison with it can mean anything"], embedded.ErrorLines.Where(l => !l.StartsWith("embedding")));
        Assert.Equal(12, Npy.ReadMatrix(output).Rows);

        string other = Described(ImageIdentity(dir, 32, 32), """{ "pooling": "mean", "image": { "size": 32 } }""");
        string folder = Path.Combine(dir, "compare");
        var refused = Run("compare", "--model-a", constant, "--model-b", other, "--images", images, "--out", folder);
        Assert.Equal(2, refused.Code);
        Assert.Contains("all 12 embeddings constant made are the same vector: its output 'out' does not depend on the input (the wrong \"output\" of a model description or --layer-a", Assert.Single(refused.ErrorLines, l => !l.StartsWith("embedding: ")));
        Assert.DoesNotContain("identity", refused.Stderr);
        Assert.False(Path.Exists(folder));
    }
}
