using System.Text.RegularExpressions;
using RepDiff.Embedding;

namespace RepDiff.Tests.Embedding;

public class ModelDescriptionTests
{
    /// <summary>Every ```json block of the embedding docs and the guide is a model description that parses and resolves.</summary>
    [Theory]
    [InlineData("docs/embedding.md")]
    [InlineData("docs/own-models.md")]
    public void EveryDescriptionInTheDocsParses(string doc)
    {
        string text = File.ReadAllText(Path.Combine(TestData.RepoRoot, doc));
        var blocks = Regex.Matches(text, "```json\\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(blocks);
        foreach (string json in blocks)
        {
            var description = ModelDescription.Parse(json, doc, TestData.RepoRoot);
            Assert.NotNull(description.Model);
            Assert.True(description.IsText ? description.Text!.Vocab is not null || description.Text.Tokenizer is not null : description.Image!.Size is [> 0, > 0]);
        }
    }

    [Fact]
    public void PresetFillsOnlyWhatTheDescriptionLeavesOpen()
    {
        var d = ModelDescription.Parse("""{ "model": "m.onnx", "preset": "hf-vit", "pooling": "mean", "image": { "size": 518, "resize_to": 592 } }""", "d.json", "/models");
        Assert.Equal("mean", d.Pooling);
        Assert.Equal("pixel_values", d.Input);
        Assert.Equal([518, 518], d.Image!.Size!);
        Assert.Equal([0.229f, 0.224f, 0.225f], d.Image.Std!);
        Assert.Equal("/models/m.onnx", d.PathOf(d.Model));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ADescriptionWithBothSectionsSaysSoWhicheverInputItIsGiven(bool texts)
    {
        string dir = TestData.TempDir();
        string model = TinyOnnx.ImageIdentity(dir, 32, 32);
        string description = Path.Combine(dir, "both.json");
        File.WriteAllText(description, $$"""{ "model": "{{Path.GetFileName(model)}}", "image": { "size": 32 }, "text": { "vocab": "vocab.txt" } }""");
        var e = Assert.Throws<RepDiffInputException>(() => ModelResolver.Resolve(description, new ModelOverrides(), texts));
        Assert.Equal($"{description}: a model description has either an image or a text section, not both", e.Message);
    }

    [Theory]
    [InlineData("""{ "pooling": "max" }""", "pooling 'max'")]
    [InlineData("""{ "image": { "resize": "squash" } }""", "resize 'squash'")]
    [InlineData("""{ "image": { "std": [1, 0, 1] } }""", "std values must be positive")]
    [InlineData("""{ "image": { "scale": 0 } }""", "scale must be positive")]
    [InlineData("""{ "image": { "scale": -0.5 } }""", "scale must be positive")]
    [InlineData("""{ "text": { "max_length": 64 } }""", "exactly one of")]
    [InlineData("""{ "preset": "nope" }""", "unknown preset")]
    [InlineData("""{ "poling": "cls" }""", "not a valid model description (line 1, column 12: unknown field 'poling' (fields: name, model, preset, input, output, layer, pooling, normalize, image, text))")]
    [InlineData("""{ "image": { "meen": [0.5, 0.5, 0.5] } }""", "unknown field 'meen' (fields: size, resize, resize_to,")]
    [InlineData("""{ "normalize": "yes" }""", "\"normalize\" must be true or false)")]
    [InlineData("""{ "image": { "mean": ["a", 0, 0] } }""", "\"image.mean\" must be a list of numbers")]
    [InlineData("""{ "image": { "size": 99999999999999 } }""", "\"image.size\" must be a whole number or [height, width]")]
    [InlineData("""[1, 2, 3]""", "a model description is one JSON object")]
    [InlineData("", "not a valid model description (the file is empty)")]
    [InlineData("""{ "pooling": "mean" "image": {} }""", "not a valid model description (line 1, column 21: '\"' is invalid after a value. Expected either ',', '}', or ']')")]
    [InlineData("""{ "image": {}, "text": { "vocab": "v.txt" } }""", "either an image or a text section")]
    [InlineData("""{ "name": " ", "image": {} }""", "\"name\" is empty; give the model a name")]
    public void BadDescriptionsAreInputErrorsNamingTheFile(string json, string message)
    {
        var e = Assert.Throws<RepDiffInputException>(() => ModelDescription.Parse(json, "bad.json", "/"));
        Assert.StartsWith("bad.json: ", e.Message);
        Assert.Contains(message, e.Message);
    }
}
