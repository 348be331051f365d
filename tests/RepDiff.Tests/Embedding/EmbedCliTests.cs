using Microsoft.ML.OnnxRuntime;
using RepDiff.Embedding;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Embedding;

/// <summary>`repdiff embed` and `inspect model.onnx` end to end: outputs, ids, determinism, and one-line errors with nothing written.</summary>
public class EmbedCliTests
{
    /// <summary>A folder of 5 PNG scenes (64×48) and an identity model with a description beside it (mean pooling, 32×32 crops).</summary>
    private static (string Dir, string Images, string Model) Setup()
    {
        string dir = TestData.TempDir();
        string images = Path.Combine(dir, "images");
        Directory.CreateDirectory(images);
        TestImages.Scenes(images, 5, 64, 48);
        string model = TinyOnnx.ImageIdentity(dir, 32, 32);
        File.WriteAllText(Path.ChangeExtension(model, ".json"), """{ "pooling": "mean", "image": { "size": 32, "resize": "shorter-side" } }""");
        return (dir, images, model);
    }

    /// <summary>
    /// A second model for compare's B: the identity model's doubled output. The same model as A and B embeds the same
    /// values, which compare refuses (there is no difference to explain).
    /// </summary>
    private static string Doubled(string dir, string model)
    {
        string path = Path.Combine(dir, "doubled.json");
        File.WriteAllText(path, $$"""{ "name": "doubled", "model": "{{Path.GetFileName(model)}}", "output": "doubled", "pooling": "mean", "image": { "size": 32 } }""");
        return path;
    }

    /// <summary>
    /// A refused file of a model flag is named with its flag first, the shape every other option's file is refused in: these
    /// had named the file alone ("error: /data/bad.txt: not a WordPiece vocabulary …"), not which flag gave it.
    /// </summary>
    [Theory]
    [InlineData("--vocab", "not a WordPiece vocabulary")]
    [InlineData("--tokenizer", "not a tokenizer.json")]
    [InlineData("--description", "not a valid model description")]
    public void ARefusedModelFileIsNamedWithItsFlagFirst(string flag, string problem)
    {
        string dir = TestData.TempDir();
        string texts = Path.Combine(dir, "texts.txt"), bad = Path.Combine(dir, "bad.txt"), output = Path.Combine(dir, "out.npy");
        File.WriteAllText(texts, "the cat\n");
        File.WriteAllText(bad, "the cat\n");
        string[] vocab = flag == "--description" ? ["--vocab", TinyOnnx.Vocab(dir, "the", "cat")] : [];
        var outcome = Run(["embed", TinyOnnx.TokenEcho(dir), "--texts", texts, flag, bad, .. vocab, "--out", output]);
        outcome.AssertBadInput($"error: {flag} {bad}: {problem}");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void WritesEmbeddingsAndIdsAndTheSameBytesTwice()
    {
        var (dir, images, model) = Setup();
        string first = Path.Combine(dir, "a.npy"), second = Path.Combine(dir, "b.npy");
        var (code, output, error) = Run("embed", model, "--images", images, "--out", first, "--batch-size", "2");
        Assert.True(code == 0, error);
        Assert.Contains("5 x 3", output);
        Assert.Equal(0, Run("embed", model, "--images", images, "--out", second, "--batch-size", "3").Code);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"scene{i}.png"), File.ReadAllLines(Path.Combine(dir, "a.ids.txt")));
        var values = Npy.ReadMatrix(first);
        Assert.Equal((5, 3), (values.Rows, values.Cols));

        string safetensors = Path.Combine(dir, "c.safetensors");
        Assert.Equal(0, Run("embed", model, "--images", images, "--out", safetensors).Code);
        using var rows = Embeddings.Open(safetensors, null, null, validate: true);
        Assert.Equal(values.Data, rows.ReadAll().Data);
    }

    /// <summary>
    /// A bare .onnx with a fixed input other than 224×224 (a ViT exported at 384, a CNN at 256) was refused with "set
    /// \"size\"", in a description the user had not written and no flag reaches (review 180, finding 6). The refusal now
    /// names the file to write and what it holds; written as it says, the model embeds.
    /// </summary>
    [Fact]
    public void AFixedSizeModelsRefusalSaysWhichDescriptionToWriteAndFollowingItWorks()
    {
        var (dir, images, _) = Setup();
        string model = TinyOnnx.ImageIdentity(dir, 8, 8);
        string output = Path.Combine(dir, "e.npy");
        var (code, _, error) = Run("embed", model, "--images", images, "--out", output);
        Assert.Equal(2, code);
        string beside = Path.GetFileName(Path.ChangeExtension(model, ".json"));
        Assert.EndsWith($"but the description makes 224x224 images; set \"size\": [8, 8] in its model description (for a bare .onnx, {beside} beside it holding {{\"image\": {{\"size\": [8, 8]}}}})", error.Trim());
        Assert.False(File.Exists(output));

        string advice = error.Trim()[(error.Trim().LastIndexOf(" holding ", StringComparison.Ordinal) + " holding ".Length)..^1];
        File.WriteAllText(Path.Combine(dir, beside), advice);
        (code, _, error) = Run("embed", model, "--images", images, "--out", output);
        Assert.True(code == 0, error);
        var embeddings = Npy.ReadMatrix(output); // the mean over each channel's 8×8 pixels (pooling auto)
        Assert.Equal((5, 3), (embeddings.Rows, embeddings.Cols));
    }

    // A folder holding images beside subfolders of images embedded the top level only, without a word.
    [Fact]
    public void ImagesInSubfoldersBesideImagesAreNamedAsNotRead()
    {
        var (dir, images, model) = Setup();
        string sub = Directory.CreateDirectory(Path.Combine(images, "more")).FullName;
        File.Copy(Path.Combine(images, "scene0.png"), Path.Combine(sub, "extra.png"));
        var (code, _, error) = Run("embed", model, "--images", images, "--out", Path.Combine(dir, "e.npy"));
        Assert.Equal(0, code);
        Assert.Contains($"warning: {images}: the images in its subfolders (such as 'more') are not read, only those beside them", error);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(dir, "e.ids.txt")).Length);
        Assert.Null(SampleFiles.UnreadSubfolderNote(sub));
    }

    /// <summary>
    /// The note on unread subfolders is said once the model has opened: a model that does not open had given the warning
    /// and then the error, two lines for one mistake. Now the error is the only line, from embed and from compare alike.
    /// </summary>
    [Fact]
    public void AModelThatDoesNotOpenIsTheOnlyLineBesideAnImageFolderWithSubfolders()
    {
        var (dir, images, model) = Setup();
        string sub = Directory.CreateDirectory(Path.Combine(images, "more")).FullName;
        File.Copy(Path.Combine(images, "scene0.png"), Path.Combine(sub, "extra.png"));
        string junk = Write(dir, "junk.onnx", "definitely not protobuf");
        string rank = TinyOnnx.Write(Path.Combine(dir, "rank.onnx"), [TinyOnnx.Value("x", TinyOnnx.Float, "b", 3, 32)], [TinyOnnx.Value("y", TinyOnnx.Float, "b", 3, 32)], [TinyOnnx.Node("Identity", ["x"], ["y"])]);
        foreach (string bad in new[] { junk, rank })
        {
            string output = Path.Combine(dir, "out", "e.npy"), compared = Path.Combine(dir, "compared");
            foreach (string[] args in new[]
            {
                new[] { "embed", bad, "--images", images, "--out", output },
                ["compare", "--model-a", model, "--model-b", bad, "--images", images, "--methods", "kmeans", "--out", compared],
            })
            {
                var (code, _, error) = Run(args);
                Assert.Equal(2, code);
                Assert.StartsWith($"error: {bad}", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
                Assert.False(File.Exists(output));
                Assert.False(Directory.Exists(compared));
            }
        }
    }

    // "Wrote out/a.npy (…) and /home/me/work/out/a.ids.txt": the side files were named by absolute path beside a relative output.
    [Theory]
    [InlineData("out/a.npy", "out/a.ids.txt", "out/a.skipped.txt")]
    [InlineData("a.safetensors", "a.ids.txt", "a.skipped.txt")]
    [InlineData("/data/emb/a.npy", "/data/emb/a.ids.txt", "/data/emb/a.skipped.txt")]
    public void SideFilesAreNamedAsTheOutputIs(string output, string ids, string skipped)
    {
        Assert.Equal(ids, EmbeddingFileWriter.IdsPath(output));
        Assert.Equal(skipped, EmbeddingFileWriter.SkippedPath(output));
    }

    /// <summary>embed --texts with --skip-unreadable embedded every text as if the flag were not given.</summary>
    [Fact]
    public void SkipUnreadableWithTextsIsRefused()
    {
        string dir = TestData.TempDir();
        string vocab = TinyOnnx.Vocab(dir, "the", "cat");
        string model = TinyOnnx.TokenEcho(dir);
        string texts = Path.Combine(dir, "texts.txt");
        File.WriteAllText(texts, "the cat\ncat\n");
        string output = Path.Combine(dir, "t.npy");
        var (code, _, error) = Run("embed", model, "--texts", texts, "--vocab", vocab, "--pooling", "cls", "--skip-unreadable", "--out", output);
        Assert.Equal(2, code);
        Assert.Equal("error: --skip-unreadable: leaves out images that cannot be decoded; it does not apply to --texts", error.Trim());
        Assert.False(File.Exists(output));
    }

    /// <summary>An image model's --input given for texts, or a tokenizer's flag given for images, was ignored.</summary>
    [Fact]
    public void FlagsOfTheOtherKindOfModelAreRefused()
    {
        var (dir, images, model) = Setup();
        string output = Path.Combine(dir, "x.npy");
        var (code, _, error) = Run("embed", model, "--images", images, "--max-length", "8", "--out", output);
        Assert.Equal((2, "error: --max-length: sets a text model's tokenizer; it does not apply to --images"), (code, error.Trim()));
        (code, _, error) = Run("embed", TinyOnnx.TokenEcho(dir), "--texts", Path.Combine(dir, "none.txt"), "--vocab", TinyOnnx.Vocab(dir, "a"), "--max-length", "1", "--out", output);
        Assert.Equal((2, "error: --max-length 1: must be between 2 and 65536"), (code, error.Trim()));  // it had blamed the model file
        (code, _, error) = Run("embed", model, "--images", images, "--pooling", "max", "--out", output);
        Assert.Equal((2, "error: --pooling max: is not one of auto, cls, mean, none"), (code, error.Trim()));
        // A description given with --description is named for its own fields (they had been the model file's).
        string description = Path.Combine(dir, "described.json");
        File.WriteAllText(description, """{ "pooling": "mean", "image": { "size": 0 } }""");
        (code, _, error) = Run("embed", model, "--description", description, "--images", images, "--out", output);
        Assert.Equal((2, $"error: --description {description}: image size must be [height, width] with sides from 1 to 8192"), (code, error.Trim()));
        (code, _, error) = Run("embed", model, "--images", images, "--text-field", "t", "--out", output);
        Assert.Equal((2, "error: --text-field t: names the field of a --texts JSONL file, but no --texts was given"), (code, error.Trim()));

        string vocab = TinyOnnx.Vocab(dir, "the", "cat");
        string textModel = TinyOnnx.TokenEcho(dir);
        string texts = Path.Combine(dir, "texts.txt");
        File.WriteAllText(texts, "the cat\n");
        (code, _, error) = Run("embed", textModel, "--texts", texts, "--vocab", vocab, "--input", "pixel_values", "--out", output);
        Assert.Equal(2, code);
        Assert.StartsWith("error: --input pixel_values: names an image model's input tensor", error.Trim());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void TextsGetLineNumbersOrTheirRecordsIdsAsIds()
    {
        string dir = TestData.TempDir();
        string vocab = TinyOnnx.Vocab(dir, "the", "cat");
        string model = TinyOnnx.TokenEcho(dir);
        string texts = Path.Combine(dir, "texts.jsonl");
        File.WriteAllText(texts, "{\"t\": \"the cat\"}\n\n{\"t\": \"cat\"}\n");
        var (code, _, error) = Run("embed", model, "--texts", texts, "--text-field", "t", "--vocab", vocab, "--pooling", "cls", "--out", Path.Combine(dir, "t.npy"));
        Assert.True(code == 0, error);
        Assert.Equal(["1", "3"], File.ReadAllLines(Path.Combine(dir, "t.ids.txt")));

        // Records with an "id" (a string or a whole number) are named by it, as datasets export them; the text field "text" needs no flag.
        File.WriteAllText(texts, "{\"id\": \"doc-7\", \"text\": \"the cat\"}\n\n{\"id\": 12, \"text\": \"cat\"}\n{\"id\": 99999999999999999999, \"text\": \"the\"}\n");
        (code, _, error) = Run("embed", model, "--texts", texts, "--vocab", vocab, "--pooling", "cls", "--out", Path.Combine(dir, "i.npy"));
        Assert.True(code == 0, error);
        Assert.Equal(["doc-7", "12", "99999999999999999999"], File.ReadAllLines(Path.Combine(dir, "i.ids.txt")));
        foreach (var (records, message) in new[]
        {
            ("{\"id\": \"a\", \"text\": \"the\"}\n{\"text\": \"cat\"}\n", "line 2 has no field 'id', which the records before it have as their ids"),
            ("{\"text\": \"the\"}\n\n{\"id\": \"a\", \"text\": \"cat\"}\n", "line 3 has a field 'id' but line 1 has none; give every record an id, or none"),
            ("{\"id\": \"a\", \"text\": \"the\"}\n{\"id\": \"a\", \"text\": \"cat\"}\n", "id 'a' appears on line 1 and line 2"),
            ("{\"id\": 1.5, \"text\": \"the\"}\n", "line 1: field 'id' is the number 1.5, written with a fraction or an exponent; write ids as whole numbers or strings"),
            ("{\"id\": true, \"text\": \"the\"}\n", "line 1: field 'id' is a boolean, not a string or a whole number"),
            ("{\"id\": 0, \"text\": \"the\"}\n{\"id\": -0, \"text\": \"cat\"}\n", "id '0' appears on line 1 and line 2"),
            ("{\"id\": \"a\\nb\", \"text\": \"the\"}\n", "line 1: its id is blank or holds a line break, which the ids file (one id per line) cannot hold"),
            ("{\"id\": \" \", \"text\": \"the\"}\n", "line 1: its id is blank or holds a line break, which the ids file (one id per line) cannot hold"),
            ("{\"id\": \"a\\ufffd\", \"text\": \"the\"}\n", "line 1: its id holds U+FFFD, the replacement character, which an ids file cannot tell from an unreadable byte"),
            ($"{{\"id\": \"{new string('x', 70000)}\", \"text\": \"the\"}}\n", "line 1: its id is longer than 65,536 characters, the most an ids file holds on a line"),
        })
        {
            File.WriteAllText(texts, records);
            string output = Path.Combine(dir, "bad.npy");
            (code, _, error) = Run("embed", model, "--texts", texts, "--vocab", vocab, "--pooling", "cls", "--out", output);
            Assert.Equal(2, code);
            Assert.Equal($"error: --texts {texts}: {message}", error.Trim());
            Assert.False(File.Exists(output));
        }
    }

    /// <summary>A folder with the token-echo model and a vocabulary of "the" and "cat", and the paths of its texts and output there.</summary>
    private static (string Dir, string Vocab, string Model, string Texts, string Output) TokenEchoModel()
    {
        string dir = TestData.TempDir();
        return (dir, TinyOnnx.Vocab(dir, "the", "cat"), TinyOnnx.TokenEcho(dir), Path.Combine(dir, "captions.txt"), Path.Combine(dir, "t.npy"));
    }

    /// <summary>
    /// A blank line among texts (empty or only spaces) is embedded as the empty text and keeps its row and id, as before, but
    /// is no longer silent: one warning counts them, names the first lines and says how to leave them out. The empty lines
    /// at the end of the file are no texts, as before.
    /// </summary>
    [Fact]
    public void BlankTextsAreEmbeddedInTheirRowsWithOneWarningNamingThem()
    {
        var (dir, vocab, model, texts, output) = TokenEchoModel();
        File.WriteAllText(texts, "the cat\n\ncat\n \t \nthe\n\n\n");
        var (code, stdout, error) = Run("embed", model, "--texts", texts, "--vocab", vocab, "--pooling", "mean", "--out", output);
        Assert.True(code == 0, error);
        Assert.Equal($"warning: {texts}: 2 of 5 texts are empty or only spaces (lines 2, 4); each is embedded as the empty text, keeping its row and id; "
            + $"to leave them out: {BlankTexts.GrepLeavingOut(texts)} > {Path.Combine(dir, "captions.nonblank.txt")} (the ids, line numbers, are then those of that file)",
            Assert.Single(error.Split('\n'), line => line.StartsWith("warning")));
        Assert.Contains("(5 x 3, float32", stdout);
        Assert.Equal(["1", "2", "3", "4", "5"], File.ReadAllLines(Path.Combine(dir, "t.ids.txt")));
        var rows = Npy.ReadMatrix(output);
        Assert.Equal(5, rows.Rows);
        // Both blank lines are the empty text: [CLS] [SEP] alone, so their rows are alike. (Mean pooling: the echo's [CLS] row
        // is the same for every text, which embed now warns of.)
        Assert.Equal(rows.Row(1).ToArray(), rows.Row(3).ToArray());

        // One blank line is said in the singular; many are counted, the first five named.
        File.WriteAllText(texts, "the\n\ncat\n");
        (code, _, error) = Run("embed", model, "--texts", texts, "--vocab", vocab, "--pooling", "mean", "--out", output);
        Assert.True(code == 0, error);
        Assert.Contains($"warning: {texts}: 1 of 3 texts is empty or only spaces (line 2); it is embedded as the empty text, keeping its row and id;", error);
        File.WriteAllText(texts, "the\n" + string.Concat(Enumerable.Repeat("\n", 7)) + "cat\n");
        (code, _, error) = Run("embed", model, "--texts", texts, "--vocab", vocab, "--pooling", "mean", "--out", output);
        Assert.True(code == 0, error);
        Assert.Contains($"warning: {texts}: 7 of 9 texts are empty or only spaces (lines 2, 3, 4, 5, 6, …); each is embedded", error);
        Assert.Equal(9, Npy.ReadMatrix(output).Rows);

        // JSON Lines: a blank line holds no record, but a record whose text is blank is a blank text.
        string records = Path.Combine(dir, "records.jsonl");
        File.WriteAllText(records, "{\"text\": \"the cat\"}\n\n{\"text\": \" \"}\n{\"text\": \"cat\"}\n");
        (code, _, error) = Run("embed", model, "--texts", records, "--vocab", vocab, "--pooling", "mean", "--out", output);
        Assert.True(code == 0, error);
        Assert.Contains($"warning: {records}: 1 of 3 texts is empty or only spaces (line 3); it is embedded as the empty text, keeping its row and id; to leave them out: remove those records", error);
        Assert.Equal(3, Npy.ReadMatrix(output).Rows);

        // A model that cannot take them refuses in one line, the warning unsaid.
        File.WriteAllText(texts, "the\n\ncat\n");
        (code, _, error) = Run("embed", model, "--texts", texts, "--pooling", "mean", "--out", Path.Combine(dir, "refused.npy"));
        Assert.Equal(2, code);
        Assert.Matches("^error: .*a text model needs a vocabulary: --vocab vocab.txt or --tokenizer tokenizer.json ", Assert.Single(error.Trim().Split('\n')));

        // Texts without a blank one say nothing.
        File.WriteAllText(texts, "the\ncat\n\n");
        (code, _, error) = Run("embed", model, "--texts", texts, "--vocab", vocab, "--pooling", "mean", "--out", output);
        Assert.True(code == 0, error);
        Assert.DoesNotContain("warning", error);
    }

    /// <summary>
    /// compare --model-a/-b --texts reads blank lines as embed does: each model embeds them in their rows, the report shows them
    /// as the (empty) texts of those rows, and the warning is said once, before either model embeds.
    /// </summary>
    [Fact]
    public void CompareWithModelsWarnsOfBlankTextsOnceAndKeepsTheirRows()
    {
        string dir = TestData.TempDir();
        string vocab = TinyOnnx.Vocab(dir, "the", "cat", "sat");
        string echo = Path.GetFileName(TinyOnnx.TokenEcho(dir));
        string a = Path.Combine(dir, "mean.json"), b = Path.Combine(dir, "normalized.json");
        File.WriteAllText(a, $$"""{ "name": "mean", "model": "{{echo}}", "pooling": "mean", "text": { "vocab": "vocab.txt" } }""");
        File.WriteAllText(b, $$"""{ "name": "normalized", "model": "{{echo}}", "pooling": "mean", "normalize": true, "text": { "vocab": "vocab.txt" } }""");
        string[] lines = ["the cat", "cat", "", "the", "sat", "cat sat", "the sat", "the cat sat", "   ", "sat the", "cat the", "sat cat", "the the cat", "cat cat"];
        string texts = Path.Combine(dir, "texts.txt"), output = Path.Combine(dir, "cmp");
        File.WriteAllLines(texts, lines);
        // A model that cannot take the texts refuses in one line, before the warning would be said.
        var refused = Run("compare", "--model-a", a, "--model-b", TinyOnnx.TokenEcho(dir), "--texts", texts, "--methods", "kmeans", "--out", output);
        Assert.Equal(2, refused.Code);
        Assert.Matches("^error: .*a text model needs a vocabulary: a model description with a text section naming its vocab.txt or tokenizer.json$", Assert.Single(refused.Stderr.Trim().Split('\n')));
        Assert.False(Directory.Exists(output));
        var (code, _, error) = Run("compare", "--model-a", a, "--model-b", b, "--texts", texts, "--methods", "kmeans", "--out", output);
        Assert.True(code == 0, error);
        string warning = Assert.Single(error.Split('\n'), line => line.StartsWith("warning"));
        Assert.StartsWith($"warning: {texts}: 2 of 14 texts are empty or only spaces (lines 3, 9); each is embedded as the empty text", warning);
        Assert.True(error.IndexOf(warning, StringComparison.Ordinal) < error.IndexOf("embedded", StringComparison.Ordinal), error);
        foreach (string name in new[] { "mean", "normalized" })
        {
            Assert.Equal(14, Npy.ReadMatrix(Path.Combine(output, "embeddings", name + ".npy")).Rows);
            Assert.Equal(Enumerable.Range(1, 14).Select(i => i.ToString()), File.ReadAllLines(Path.Combine(output, "embeddings", name + ".ids.txt")));
        }
    }

    /// <summary>A description's mean_image that is missing or a folder had been an internal error (FileNotFound, UnauthorizedAccess).</summary>
    [Fact]
    public void AMeanImageThatIsMissingOrAFolderIsNamed()
    {
        var (dir, images, model) = Setup();
        Directory.CreateDirectory(Path.Combine(dir, "folder.npy"));
        foreach (var (meanImage, message) in new[] { ("nope.npy", "file not found"), ("folder.npy", "is a directory, not a file") })
        {
            File.WriteAllText(Path.ChangeExtension(model, ".json"), $$"""{ "pooling": "mean", "image": { "size": 32, "mean_image": "{{meanImage}}" } }""");
            string output = Path.Combine(dir, "m.npy");
            var (code, _, error) = Run("embed", model, "--images", images, "--out", output);
            Assert.Equal((2, $"error: {Path.Combine(dir, meanImage)}: {message}"), (code, error.Split('\n').Last(l => l.StartsWith("error")).Trim()));
            Assert.False(File.Exists(output));
        }
    }

    /// <summary>Description fields a model of that kind does not use had been ignored without a word.</summary>
    [Fact]
    public void DescriptionFieldsThatWouldBeIgnoredAreRefused()
    {
        var (dir, images, model) = Setup();
        File.WriteAllText(Path.ChangeExtension(model, ".json"), """{ "pooling": "mean", "image": { "size": 32, "mean_image_tensor": "MeanImage" } }""");
        var (code, _, error) = Run("embed", model, "--images", images, "--out", Path.Combine(dir, "m.npy"));
        Assert.Equal(2, code);
        Assert.Contains("mean_image_tensor names a tensor of the mean_image file, but no mean_image is given", error);

        string textModel = TinyOnnx.TokenEcho(dir);
        string texts = Path.Combine(dir, "texts.txt");
        File.WriteAllText(texts, "the cat\n");
        File.WriteAllText(Path.ChangeExtension(textModel, ".json"), $$"""{ "input": "pixel_values", "pooling": "cls", "text": { "vocab": "{{Path.GetFileName(TinyOnnx.Vocab(dir, "the", "cat"))}}" } }""");
        (code, _, error) = Run("embed", textModel, "--texts", texts, "--out", Path.Combine(dir, "t.npy"));
        Assert.Equal(2, code);
        Assert.Contains("\"input\": \"pixel_values\" names an image model's input tensor", error);
    }

    /// <summary>compare --model-a/-b read the labels only after embedding with both models (and said where the embeddings were kept).</summary>
    [Fact]
    public void CompareOfTwoModelsCountsTheLabelsBeforeEmbedding()
    {
        string dir = TestData.TempDir();
        string texts = Path.Combine(dir, "texts.txt"), labels = Path.Combine(dir, "labels.txt");
        File.WriteAllLines(texts, Enumerable.Range(0, 12).Select(i => $"sentence number {i}"));
        File.WriteAllLines(labels, ["x", "y"]);
        string output = Path.Combine(dir, "cmp");
        var (code, _, error) = Run("compare", "--model-a", "minilm-l6", "--model-b", "arctic-embed-xs", "--texts", texts, "--labels", labels, "--methods", "kmeans", "--out", output);
        Assert.Equal((2, $"error: --labels {labels}: has 2 entries but the representations have 12 rows" + IO.PairSpecTests.LabelsPerRow), (code, error.Trim()));
        Assert.False(Directory.Exists(output));
    }

    /// <summary>Texts cut at a --max-length past MiniLM's 512 positions failed with ONNX Runtime's broadcast message alone.</summary>
    /// <summary>
    /// Texts longer than the model's max_length are cut to their first tokens, as before, but no longer silently: one warning
    /// counts them and gives the limit (review 174: a 20,000-word line had been embedded from its first 256 tokens without a
    /// word). A text that fills the limit exactly is not counted, and texts that fit say nothing.
    /// </summary>
    [Fact]
    public void TextsCutToTheModelsTokenLimitAreCountedInOneWarning()
    {
        var (dir, vocab, model, texts, output) = TokenEchoModel();
        // With --max-length 4: [CLS] the cat [SEP] fits exactly; the second and fourth texts have 6 and 5 word tokens.
        File.WriteAllText(texts, "the cat\nthe cat the cat the cat\ncat\nthe the the cat cat\n");
        var (code, _, error) = Run("embed", model, "--texts", texts, "--vocab", vocab, "--pooling", "mean", "--max-length", "4", "--out", output);
        Assert.True(code == 0, error);
        var warning = Assert.Single(error.Split('\n'), line => line.StartsWith("warning"));
        Assert.Matches(@"^warning: 2 of 4 texts had more tokens than .* takes and were embedded from their first 4 tokens \(max_length / --max-length sets that\); the rest of each was left out$", warning);

        (code, _, error) = Run("embed", model, "--texts", texts, "--vocab", vocab, "--pooling", "mean", "--max-length", "16", "--out", output);
        Assert.True(code == 0, error);
        Assert.DoesNotContain("warning", error);
    }

    [Fact]
    public void TextsLongerThanTheModelTakesNameTheirLength()
    {
        string dir = TestData.TempDir();
        string texts = Path.Combine(dir, "long.txt");
        File.WriteAllText(texts, string.Join(" ", Enumerable.Repeat("word", 2000)) + "\n");
        string output = Path.Combine(dir, "m.npy");
        var (code, _, error) = Run("embed", "minilm-l6", "--texts", texts, "--max-length", "1000", "--out", output);
        Assert.Equal(2, code);
        Assert.Contains("its texts ran to 1000 tokens (max_length / --max-length), more than most text models take (512)", error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void ATextsFifoOrVocabularyFifoIsRefusedNotWaitedOn()
    {
        string dir = TestData.TempDir();
        string vocab = TinyOnnx.Vocab(dir, "the", "cat");
        string model = TinyOnnx.TokenEcho(dir);
        string texts = Path.Combine(dir, "texts.txt");
        File.WriteAllText(texts, "the cat\n");
        string fifo = Robustness.CliHarness.Fifo(Path.Combine(dir, "pipe.txt"));
        foreach (var (args, named) in new[] { (new[] { "--texts", fifo, "--vocab", vocab }, $"--texts {fifo}"), (["--texts", texts, "--vocab", fifo], $"--vocab {fifo}") })
        {
            var (code, _, error) = Run(["embed", model, .. args, "--out", Path.Combine(dir, "t.npy")]);
            Assert.Equal(2, code);
            Assert.Equal($"error: {named}: is a FIFO (named pipe), not a regular file; only regular files are read: write what it gives to a file first and give that file", error.TrimEnd());
        }
        // compare --model-a/-b keys its cache on the texts' contents: that read refuses the FIFO too.
        var (compareCode, _, compareError) = Run("compare", "--model-a", "minilm-l6", "--model-b", "minilm-l6", "--texts", fifo, "--out", Path.Combine(dir, "cmp"));
        Assert.Equal(2, compareCode);
        Assert.Contains($"error: --texts {fifo}: is a FIFO (named pipe)", compareError);
        Assert.False(Directory.Exists(Path.Combine(dir, "cmp")));
    }

    /// <summary>An empty --vocab, --tokenizer or --description (found by the bad-input sweep): an internal error (exit 1) from the path's resolution.</summary>
    [Fact]
    public void AnEmptyVocabularyTokenizerOrDescriptionIsNamed()
    {
        var (dir, images, imageModel) = Setup();
        string textModel = TinyOnnx.TokenEcho(dir);
        string texts = Path.Combine(dir, "texts.txt");
        File.WriteAllText(texts, "the cat\n");
        string output = Path.Combine(dir, "t.npy");
        foreach (var (flag, args) in new[] { ("--vocab", new[] { textModel, "--texts", texts }), ("--tokenizer", [textModel, "--texts", texts]), ("--description", [imageModel, "--images", images]) })
        {
            Run(["embed", .. args, flag, "", "--out", output]).AssertBadInput($"{flag}: is empty; name a file");
            Assert.False(File.Exists(output));
        }
    }

    /// <summary>An empty --model-a or --model-b of compare was named as embed's argument: "MODEL '' is not a file, nor a built-in model".</summary>
    [Fact]
    public void CompareNamesAnEmptyModelFlag()
    {
        var (dir, images, model) = Setup();
        string output = Path.Combine(dir, "report");
        Run("compare", "--model-a", "", "--model-b", model, "--images", images, "--out", output).AssertBadInput("--model-a: is empty; name an .onnx file");
        Run("compare", "--model-a", model, "--model-b", " ", "--images", images, "--out", output).AssertBadInput("--model-b: is empty; name an .onnx file");
        Assert.False(Path.Exists(output));
    }

    /// <summary>An empty MODEL of embed said "name a file", though a built-in model's name is a MODEL too.</summary>
    [Fact]
    public void EmbedNamesWhatAnEmptyModelMayBe()
    {
        var (dir, images, _) = Setup();
        string output = Path.Combine(dir, "e.npy");
        Run("embed", "", "--images", images, "--out", output).AssertBadInput("MODEL: is empty; name an .onnx file, a model description .json or a built-in model");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void InspectListsAModelsInputsAndOutputs()
    {
        var (dir, _, model) = Setup();
        var (code, output, _) = Run("inspect", model, "--json");
        Assert.Equal(0, code);
        var json = System.Text.Json.Nodes.JsonNode.Parse(output)!.AsObject();
        Assert.Equal(["file", "producer", "ir_version", "opset", "nodes", "inputs", "outputs"], json.Select(p => p.Key));
        Assert.Equal(model, (string)json["file"]!);
        Assert.Equal("pixels", (string)json["inputs"]![0]!["name"]!);
        Assert.Contains(json["outputs"]!.AsArray(), o => (string)o!["name"]! == "doubled");
        Assert.Contains("batch", json["inputs"]![0]!["shape"]!.ToJsonString());

        // A model cut short (an interrupted download) says so, not the protobuf library's paragraph.
        string cut = WriteBytes(dir, "cut.onnx", File.ReadAllBytes(model)[..^20]);
        var (cutCode, _, error) = Run("inspect", cut);
        Assert.Equal(2, cutCode);
        Assert.Equal($"error: {cut}: truncated, or not an ONNX model: its protobuf ends in the middle of a field (an interrupted download or copy?)", error.TrimEnd());
    }

    /// <summary>
    /// `inspect --layers` lists what `embed --layer` can take: every tensor a node computes but the graph's outputs, with its
    /// op; a layer it lists embeds. Asked of an embedding file it is one error line.
    /// </summary>
    [Fact]
    public void InspectLayersListsTheTensorsEmbedLayerTakes()
    {
        var (dir, images, model) = Setup();
        var (code, output, error) = Run("inspect", model, "--layers", "--json");
        Assert.True(code == 0, error);
        var layers = System.Text.Json.Nodes.JsonNode.Parse(output)!["layers"]!.AsArray();
        var mid = Assert.Single(layers)!;
        // Its type followed from the input through the Add (the graph records none).
        Assert.Equal(("mid", "Add", "float"), ((string)mid["name"]!, (string)mid["op"]!, (string)mid["element_type"]!));
        var (tableCode, table, _) = Run("inspect", model, "--layers");
        Assert.Equal(0, tableCode);
        Assert.Contains("give it to embed --layer", table);
        Assert.Contains("mid", table);
        Assert.Equal(0, Run("embed", model, "--images", images, "--layer", "mid", "--out", Path.Combine(dir, "mid.npy")).Code);

        // Shape arithmetic is left out: a Shape, an int64 Gather of it; a Relu of the input and a Cast of the shape to float stay.
        string shapes = TinyOnnx.Write(Path.Combine(dir, "shapes.onnx"),
            [TinyOnnx.Value("x", TinyOnnx.Float, "batch", 3)], [TinyOnnx.Value("y", TinyOnnx.Float, "batch", 3)],
            [TinyOnnx.Node("Shape", ["x"], ["s"]), TinyOnnx.Node("Gather", ["s", "zero"], ["g"]), TinyOnnx.Node("Cast", ["g"], ["cf"], TinyOnnx.Int("to", TinyOnnx.Float)),
             TinyOnnx.Node("Relu", ["x"], ["r"]), TinyOnnx.Node("Mul", ["r", "cf"], ["y"])],
            [TinyOnnx.Constant("zero", [], [0L])]);
        var (shapesCode, shapesOutput, shapesError) = Run("inspect", shapes, "--layers", "--json");
        Assert.True(shapesCode == 0, shapesError);
        Assert.Equal(["cf float", "r float"], System.Text.Json.Nodes.JsonNode.Parse(shapesOutput)!["layers"]!.AsArray()
            .Select(l => $"{(string)l!["name"]!} {(string)l["element_type"]!}").Order(StringComparer.Ordinal));

        string embeddings = Path.Combine(dir, "e.npy");
        Npy.Write(embeddings, new Matrix(3, 2));
        var (badCode, _, badError) = Run("inspect", embeddings, "--layers");
        Assert.Equal(2, badCode);
        Assert.Equal("error: --layers: lists the tensors of a model (.onnx or resnet18, minilm-l6, arctic-embed-xs); e.npy is an embedding file", badError.TrimEnd());
        var (columnCode, _, columnError) = Run("inspect", model, "--layers", "--column", "x");
        Assert.Equal(2, columnCode);
        Assert.Equal($"error: --key/--column: picks from an embedding file; {Path.GetFileName(model)} is a model (--layers lists its tensors)", columnError.TrimEnd());
        var (unknownCode, _, unknownError) = Run("inspect", "resnet50", "--layers");
        Assert.Equal(2, unknownCode);
        Assert.Equal("error: resnet50: not a file, nor a built-in model (resnet18, minilm-l6, arctic-embed-xs)", unknownError.TrimEnd());
        // A shape computation named as a layer is said to be one, not left to ONNX Runtime's type error.
        var (shapeCode, _, shapeError) = Run("embed", shapes, "--images", images, "--layer", "g", "--out", Path.Combine(dir, "g.npy"));
        Assert.Equal(2, shapeCode);
        Assert.Equal($"error: {shapes}: tensor 'g' (--layer) holds int64 values, a shape or index computation, not a layer to embed; `repdiff inspect {shapes} --layers` lists the tensors it takes", shapeError.TrimEnd());
        // A layer name in the wrong case is pointed to its right one, and to the listing.
        var (caseCode, _, caseError) = Run("embed", model, "--images", images, "--layer", "MID", "--out", Path.Combine(dir, "x.npy"));
        Assert.Equal(2, caseCode);
        Assert.Equal($"error: {model}: has no tensor named 'MID' (--layer); did you mean 'mid'? `repdiff inspect {model} --layers` lists the tensors it takes", caseError.TrimEnd());
    }

    /// <summary>A message about one image of a pixel array named it "image 0"; it names the file and the row now.</summary>
    [Fact]
    public void AnImageOfAPixelArrayIsNamedByItsFileAndRow()
    {
        var (dir, _, model) = Setup();
        // Resized to 16,384 rows, 3,000,000 columns become 49 billion: past the int range, refused.
        File.WriteAllText(Path.ChangeExtension(model, ".json"), """{ "pooling": "mean", "image": { "size": 32, "resize": "shorter-side", "resize_to": 16384 } }""");
        string strip = Path.Combine(dir, "strip.npy");
        var pixels = Enumerable.Repeat((byte)200, 3_000_000).ToArray();
        RepDiff.IO.AtomicFile.Write(strip, stream => RepDiff.IO.Npy.WriteRaw(stream, "|u1", [1, 1, 3_000_000], pixels));
        var (code, _, error) = Run("embed", model, "--images", strip, "--out", Path.Combine(dir, "e.npy"));
        Assert.Equal(2, code);
        Assert.StartsWith($"error: {strip}[0]: image of 3000000x1 pixels would be", error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
    }

    /// <summary>With every image unreadable, --skip-unreadable's refusal named no file ("no input could be read (2 skipped as unreadable)").</summary>
    [Fact]
    public void SkipUnreadableWithNothingReadableNamesTheFirstImage()
    {
        var (dir, _, model) = Setup();
        string bad = Directory.CreateDirectory(Path.Combine(dir, "bad")).FullName;
        File.WriteAllText(Path.Combine(bad, "a.png"), "not a png");
        File.WriteAllText(Path.Combine(bad, "b.jpg"), "nope");
        string output = Path.Combine(dir, "e.npy");
        var (code, _, error) = Run("embed", model, "--images", bad, "--skip-unreadable", "--out", output);
        Assert.Equal(2, code);
        string line = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        Assert.StartsWith($"error: {Path.Combine(bad, "a.png")}: not a readable image", line);
        Assert.EndsWith("(and no other input could be read either: 2 skipped, nothing left to embed)", line);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void SkipUnreadableDropsAndListsBadImages()
    {
        var (dir, images, model) = Setup();
        File.WriteAllBytes(Path.Combine(images, "scene2.png"), File.ReadAllBytes(Path.Combine(images, "scene2.png"))[..200]);
        File.WriteAllText(Path.Combine(images, "scene9.jpg"), "not a jpeg");
        string output = Path.Combine(dir, "out", "e.npy");
        var (code, _, error) = Run("embed", model, "--images", images, "--out", output);
        Assert.Equal(2, code);
        Assert.Contains("scene2.png", error);
        // The first bad image's error names the flag that leaves such images out (it had said only what was wrong).
        Assert.EndsWith($"; --skip-unreadable leaves such images out (listed in {Path.Combine(dir, "out", "e.skipped.txt")})", error.TrimEnd());
        Assert.Single(error.Split('\n'), l => l.StartsWith("error"));
        Assert.False(Path.Exists(Path.GetDirectoryName(output)), "nothing may be written, not even the folder --out would be in");

        var (skipCode, stdout, skipError) = Run("embed", model, "--images", images, "--out", output, "--skip-unreadable");
        Assert.True(skipCode == 0, skipError);
        Assert.Contains("Skipped 2", stdout);
        Assert.Equal(["scene0.png", "scene1.png", "scene3.png", "scene4.png"], File.ReadAllLines(Path.Combine(dir, "out", "e.ids.txt")));
        var skipped = File.ReadAllLines(Path.Combine(dir, "out", "e.skipped.txt"));
        Assert.Equal(2, skipped.Length);
        Assert.Contains("truncated", skipped[0]);
        // Each line is the image's path, a tab and the reason, the path given once (it had been "PATH\tPATH: reason").
        Assert.Equal([Path.Combine(images, "scene2.png"), Path.Combine(images, "scene9.jpg")], skipped.Select(line => line.Split('\t')[0]));
        Assert.All(skipped, line => Assert.DoesNotContain(images, line.Split('\t', 2)[1]));
        Assert.StartsWith("not a readable image", skipped[1].Split('\t')[1]);
        Assert.Equal(4, Npy.ReadMatrix(output).Rows);
    }

    [Fact]
    public void AnImageOfExtremeAspectRatioIsEmbeddedFromItsCentreAndOnePastIntRangeRefused()
    {
        // A 5,000 × 1 strip with its shorter side resized to 224 would be 1,120,000 × 224 pixels (1 GB) before the crop,
        // and was refused; only the crop is drawn now. Past the int range (200,000 × 16,384 = 3.3 billion) it is refused.
        var (dir, images, model) = Setup();
        File.WriteAllText(Path.ChangeExtension(model, ".json"), """{ "pooling": "mean", "image": { "size": 32, "resize": "shorter-side", "resize_to": 224 } }""");
        File.WriteAllBytes(Path.Combine(images, "strip.png"), RepDiff.Report.Png.Encode(new byte[5000], 5000, 1, 1));
        string output = Path.Combine(dir, "out", "e.npy");
        var (code, _, error) = Run("embed", model, "--images", images, "--out", output);
        Assert.True(code == 0, error);
        Assert.Equal(6, Npy.ReadMatrix(output).Rows);

        File.WriteAllText(Path.ChangeExtension(model, ".json"), """{ "pooling": "mean", "image": { "size": 32, "resize": "shorter-side", "resize_to": 16384 } }""");
        File.WriteAllBytes(Path.Combine(images, "strip.png"), RepDiff.Report.Png.Encode(new byte[200_000], 200_000, 1, 1));
        (code, _, error) = Run("embed", model, "--images", images, "--out", output);
        Assert.Equal(2, code);
        Assert.Contains("strip.png: image of 200000x1 pixels would be 3276800000x16384", error);
        var (skipCode, _, skipError) = Run("embed", model, "--images", images, "--out", output, "--skip-unreadable");
        Assert.True(skipCode == 0, skipError);
        Assert.Contains("strip.png", Assert.Single(File.ReadAllLines(Path.Combine(dir, "out", "e.skipped.txt"))));
        Assert.Equal(5, Npy.ReadMatrix(output).Rows);
    }

    /// <summary>
    /// An --out that is a folder (or whose ids file beside it is one) is refused before the model runs: it failed at the
    /// final rename, after every sample was embedded, with an internal error and the new ids file left beside the folder.
    /// </summary>
    [Fact]
    public void AnOutputThatIsAFolderIsRefusedBeforeAnythingIsEmbedded()
    {
        var (dir, images, model) = Setup();
        string named = Directory.CreateDirectory(Path.Combine(dir, "named.npy")).FullName;
        string plain = Directory.CreateDirectory(Path.Combine(dir, "results")).FullName;
        string besideIds = Path.Combine(dir, "e.npy");
        Directory.CreateDirectory(Path.Combine(dir, "e.ids.txt"));
        (string Out, string Message)[] cases =
        [
            (named, $"{named}: is a folder; --out names the .npy or .safetensors file to write"),
            (plain, $"{plain}: is a folder; --out names the .npy or .safetensors file to write"),
            (besideIds, $"--out: {Path.Combine(dir, "e.ids.txt")} is a directory; RepDiff will not replace it with a file"),
        ];
        foreach (var (output, message) in cases)
        {
            var (code, _, error) = Run("embed", model, "--images", images, "--out", output);
            Assert.True(code == 2, error);
            Assert.Equal($"error: {message}", error.TrimEnd());
            Assert.False(File.Exists(Path.Combine(dir, "named.ids.txt")));
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".*.tmp"));
        }
    }

    /// <summary>
    /// A batch of 32 images of the largest size a description allows (8192×8192, 805 MB each as float32) overflowed the
    /// batch array's length: an internal error (exit 1) once 12 images were there, after compare's model A had embedded.
    /// It is refused when the model opens, naming the batch size that fits.
    /// </summary>
    [Fact]
    public void ABatchOfImagesTooLargeToHoldIsRefusedWhenTheModelOpens()
    {
        var (dir, images, _) = Setup();
        TestImages.Scenes(images, 12, 64, 48);
        string model = TinyOnnx.Write(Path.Combine(dir, "any-size.onnx"), [TinyOnnx.Value("pixels", TinyOnnx.Float, "b", 3, "h", "w")],
            [TinyOnnx.Value("out", TinyOnnx.Float, "b", 3, "h", "w")], [TinyOnnx.Node("Identity", ["pixels"], ["out"])]);
        string huge = Write(dir, "huge.json", """{ "name": "huge", "model": "any-size.onnx", "pooling": "mean", "image": { "size": 8192 } }""");
        string expected = "any-size.onnx: 8192x8192 images take 805 MB each as float32: a batch of 32 does not fit in memory";
        var (code, _, error) = Run("embed", huge, "--images", images, "--out", Path.Combine(dir, "out", "e.npy"));
        Assert.True(code == 2, error);
        Assert.Contains(expected, Assert.Single(error.Split('\n'), l => l.Length > 0));
        Assert.Matches("give --batch-size [0-9]+ or less$", error.TrimEnd());
        Assert.False(Path.Exists(Path.Combine(dir, "out")));

        string tiny = Write(dir, "tiny.json", """{ "name": "tiny", "model": "any-size.onnx", "pooling": "mean", "image": { "size": 8 } }""");
        (code, _, error) = Run("compare", "--model-a", tiny, "--model-b", huge, "--images", images, "--methods", "kmeans", "--out", Path.Combine(dir, "report"));
        Assert.True(code == 2, error);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("embedded", error); // model B failed before A embedded anything
        Assert.False(Path.Exists(Path.Combine(dir, "report")));
        Assert.Matches("give --batch-size [0-9]+ or less$", error.TrimEnd()); // compare takes --batch-size too
    }

    /// <summary>compare --model-a/-b takes embed's --batch-size and --threads (checked first); the bytes do not depend on them.</summary>
    [Fact]
    public void CompareTakesTheBatchSizeAndThreadsOfEmbed()
    {
        var (dir, images, model) = Setup();
        TestImages.Scenes(images, 12, 64, 48);
        string embedded = Path.Combine(dir, "e.npy");
        Assert.Equal(0, Run("embed", model, "--images", images, "--out", embedded).Code);
        string output = Path.Combine(dir, "report");
        var (code, _, error) = Run("compare", "--model-a", model, "--model-b", Doubled(dir, model), "--images", images, "--methods", "kmeans", "--batch-size", "5", "--threads", "1", "--out", output);
        Assert.True(code == 0, error);
        string embeddedA = Assert.Single(Directory.GetFiles(Path.Combine(output, "embeddings"), "*.npy"), f => !Path.GetFileName(f).StartsWith("doubled"));
        Assert.Equal(File.ReadAllBytes(embedded), File.ReadAllBytes(embeddedA));
        (code, _, error) = Run("compare", "--model-a", model, "--model-b", model, "--images", images, "--batch-size", "0", "--out", Path.Combine(dir, "bad"));
        Assert.Equal(2, code);
        Assert.Equal("error: --batch-size 0 must be from 1 to 4,096", error.TrimEnd());
        Assert.False(Path.Exists(Path.Combine(dir, "bad")));
    }

    /// <summary>--ids names the samples the models embed (it had been replaced, silently, by the image paths); a wrong count is refused.</summary>
    [Fact]
    public void CompareWithModelsTakesTheGivenIds()
    {
        var (dir, images, model) = Setup();
        TestImages.Scenes(images, 12, 64, 48);
        string ids = Path.Combine(dir, "ids.txt");
        File.WriteAllLines(ids, Enumerable.Range(0, 12).Select(i => $"photo-{i:00}"));
        string output = Path.Combine(dir, "report");
        var (code, _, error) = Run("compare", "--model-a", model, "--model-b", Doubled(dir, model), "--images", images, "--ids", ids, "--methods", "kmeans", "--out", output);
        Assert.True(code == 0, error);
        var results = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(output, "results.json")))!;
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"photo-{i:00}"), results["samples"]!["ids"]!.AsArray().Select(v => (string)v!));
        File.WriteAllLines(ids, Enumerable.Range(0, 11).Select(i => $"photo-{i:00}"));
        (code, _, error) = Run("compare", "--model-a", model, "--model-b", Doubled(dir, model), "--images", images, "--ids", ids, "--methods", "kmeans", "--out", Path.Combine(dir, "bad"));
        Assert.Equal((2, $"error: --ids {ids}: has 11 ids but {images} holds 12 images; give one id per input, in its order"), (code, error.Trim()));
        Assert.False(Path.Exists(Path.Combine(dir, "bad")));
        // Ids for one side: both models embed the same images in the same order, so only --ids can name them.
        (code, _, error) = Run("compare", "--model-a", model, "--model-b", Doubled(dir, model), "--images", images, "--ids-a", ids, "--methods", "kmeans", "--out", Path.Combine(dir, "bad"));
        Assert.Equal((2, "error: --ids-a: --model-a and --model-b embed the same samples in the same order; name them with --ids"), (code, error.Trim()));
    }

    /// <summary>
    /// Two layers of one model through compare (helper h143): `--model-a resnet18 --model-b resnet18` was refused as one
    /// model, and two layers could be compared only after two embed runs. --layer-a/--layer-b embed as embed --layer does,
    /// each side named by its layer (terminal, report, the kept embeddings' files), and are refused where nothing embeds.
    /// </summary>
    [Fact]
    public void CompareEmbedsTwoLayersOfOneModelNamedByTheirLayers()
    {
        var (dir, images, model) = Setup();
        string layer = Path.Combine(dir, "mid.npy"), final = Path.Combine(dir, "final.npy");
        var (embedCode, embedOut, _) = Run("embed", model, "--images", images, "--layer", "mid", "--out", layer);
        Assert.Equal(0, embedCode);
        Assert.Contains("(5 x 3, float32, identity-32x32-nchw-batch layer mid)", embedOut); // embed names the layer it wrote
        Assert.Equal(0, Run("embed", model, "--images", images, "--out", final).Code);
        string output = Path.Combine(dir, "report");
        var (code, stdout, error) = Run("compare", "--model-a", model, "--layer-a", "mid", "--model-b", model, "--images", images, "--methods", "kmeans", "--out", output);
        Assert.True(code == 0, error);
        Assert.Contains("identity-32x32-nchw-batch layer mid: embedded, kept in", error);
        string kept = Path.Combine(output, "embeddings");
        Assert.Equal(File.ReadAllBytes(layer), File.ReadAllBytes(Path.Combine(kept, "identity-32x32-nchw-batch_layer_mid.npy")));
        Assert.Equal(File.ReadAllBytes(final), File.ReadAllBytes(Path.Combine(kept, "identity-32x32-nchw-batch.npy")));
        var inputs = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(output, "results.json")))!["inputs"]!;
        Assert.Equal(("identity-32x32-nchw-batch_layer_mid.npy", "identity-32x32-nchw-batch.npy"), ((string)inputs["a"]!, (string)inputs["b"]!));
        Assert.Contains("identity-32x32-nchw-batch layer mid", File.ReadAllText(Path.Combine(output, "report.html")));
        // Run again: each layer's kept embeddings are found apart.
        (code, _, error) = Run("compare", "--model-a", model, "--layer-a", "mid", "--model-b", model, "--images", images, "--methods", "kmeans", "--out", output);
        Assert.True(code == 0, error);
        Assert.Contains("identity-32x32-nchw-batch layer mid: reusing", error);
        Assert.Contains("identity-32x32-nchw-batch: reusing", error);

        // An unknown layer of B is refused before A embeds; a layer flag without models to embed is refused, not ignored.
        (code, _, error) = Run("compare", "--model-a", model, "--model-b", model, "--layer-b", "nope", "--images", images, "--out", Path.Combine(dir, "bad"));
        Assert.True(code == 2, error);
        Assert.Contains("nope", error);
        Assert.DoesNotContain("embedded", error);
        Assert.False(Path.Exists(Path.Combine(dir, "bad")));
        Run("compare", layer, final, "--layer-a", "mid", "--out", Path.Combine(dir, "bad"))
            .AssertBadInput("--layer-a mid: picks a layer of --model-a/--model-b to embed, but the embeddings A and B were given");
        Run("compare", "--model-a", model, "--model-b", model, "--layer-b", " ", "--images", images, "--out", Path.Combine(dir, "bad"))
            .AssertBadInput("--layer-b: is empty");
    }

    /// <summary>
    /// Every refusal of compare's models names the option the user typed, and so the side (helper h145): one model given as
    /// both A and B with an unknown --layer-a had been refused as "(--layer)", embed's flag, which compare does not have;
    /// an unknown --model-b as "MODEL 'x'"; and a model compare cannot describe by flags was sent to embed's --vocab,
    /// --max-length or --input. Those settings come from a model description in compare, and the messages say so.
    /// </summary>
    [Fact]
    public void CompareNamesEachSidesOwnModelAndLayerOptions()
    {
        var (dir, images, model) = Setup();
        string bad = Path.Combine(dir, "bad");
        Run("compare", "--model-a", model, "--layer-a", "NoSuch", "--model-b", model, "--images", images, "--out", bad)
            .AssertBadInput("has no tensor named 'NoSuch' (--layer-a); `repdiff inspect");
        Run("compare", "--model-a", model, "--model-b", model, "--layer-b", "MID", "--images", images, "--out", bad)
            .AssertBadInput("has no tensor named 'MID' (--layer-b); did you mean 'mid'?");
        Run("compare", "--model-a", "nosuch", "--model-b", model, "--images", images, "--out", bad)
            .AssertBadInput("--model-a 'nosuch' is not a file, nor a built-in model");
        string notAModel = Path.Combine(dir, "notes.txt");
        File.WriteAllText(notAModel, "x\n");
        Run("compare", "--model-a", model, "--model-b", notAModel, "--images", images, "--out", bad)
            .AssertBadInput($"{notAModel}: --model-b must be an .onnx file, a model description .json or a built-in name");
        // embed keeps its own names.
        Run("embed", "nosuch", "--images", images, "--out", Path.Combine(dir, "x.npy")).AssertBadInput("MODEL 'nosuch' is not a file");
        // A key picks an array of given embeddings: refused as typed before either model embeds (it was refused once both had, naming their kept files).
        var key = Run("compare", "--model-a", model, "--layer-a", "mid", "--model-b", model, "--images", images, "--column-b", "emb", "--out", bad);
        key.AssertBadInput("--column-b emb: picks an array or column of the embeddings A and B, but --model-a and --model-b embed them");
        Assert.DoesNotContain("embedded", key.Stderr);
        var idColumn = Run("compare", "--model-a", model, "--layer-a", "mid", "--model-b", model, "--images", images, "--id-column", "id", "--out", bad);
        idColumn.AssertBadInput("--id-column id: names a column of the embeddings A and B or of --metadata, but --model-a and --model-b embed them and no --metadata was given");
        Assert.DoesNotContain("embedded", idColumn.Stderr);
        // A layer a description chose is named as its field, not as a flag nobody typed.
        string layered = Path.Combine(dir, "layered.json");
        File.WriteAllText(layered, $$"""{ "model": "{{Path.GetFileName(model)}}", "layer": "nope", "image": { "size": 32 } }""");
        Run("embed", layered, "--images", images, "--out", Path.Combine(dir, "x.npy")).AssertBadInput("has no tensor named 'nope' (\"layer\");");
        Assert.False(Path.Exists(bad));

        // A text model's vocabulary and length, and an image model's input, are set in its description: compare has no flags for them.
        string texts = Path.Combine(dir, "texts.txt");
        File.WriteAllLines(texts, ["the cat", "cat", "the"]);
        string echo = TinyOnnx.TokenEcho(dir);
        var noVocab = Run("compare", "--model-a", echo, "--model-b", echo, "--texts", texts, "--out", bad);
        noVocab.AssertBadInput("a text model needs a vocabulary: a model description with a text section naming its vocab.txt or tokenizer.json");
        Assert.DoesNotContain("--vocab", noVocab.Stderr);
        Run("embed", echo, "--texts", texts, "--out", Path.Combine(dir, "x.npy")).AssertBadInput("a text model needs a vocabulary: --vocab vocab.txt or --tokenizer tokenizer.json");
        string vocab = TinyOnnx.Vocab(dir, "the", "cat"), fixedLength = Path.Combine(dir, "fixed.json"), described = Path.Combine(dir, "echo-described.json");
        File.WriteAllText(described, $$"""{ "model": "{{Path.GetFileName(echo)}}", "text": { "vocab": "{{Path.GetFileName(vocab)}}" } }""");
        File.WriteAllText(fixedLength, $$"""{ "model": "{{Path.GetFileName(TinyOnnx.TokenEcho(dir, fixedTokens: 8))}}", "text": { "vocab": "{{Path.GetFileName(vocab)}}" } }""");
        Run("compare", "--model-a", described, "--model-b", fixedLength, "--texts", texts, "--out", bad)
            .AssertBadInput("takes exactly 8 tokens per text, fewer than max_length 512; set its max_length to 8 in its model description");
        string twoInputs = TinyOnnx.Write(Path.Combine(dir, "two-inputs.onnx"),
            [TinyOnnx.Value("x", TinyOnnx.Float, "batch", 3, 32, 32), TinyOnnx.Value("y", TinyOnnx.Float, "batch", 3, 32, 32)],
            [TinyOnnx.Value("sum", TinyOnnx.Float, "batch", 3, 32, 32)], [TinyOnnx.Node("Add", ["x", "y"], ["sum"])]);
        File.WriteAllText(Path.ChangeExtension(twoInputs, ".json"), """{ "image": { "size": 32 } }""");
        Run("compare", "--model-a", model, "--model-b", twoInputs, "--images", images, "--out", bad)
            .AssertBadInput("takes 2 inputs ('x' float [batch, 3, 32, 32]; 'y' float [batch, 3, 32, 32]), and images give only pixels, to one input");
        // Naming one (--input x) had left the other to ONNX Runtime's "Missing Input: y" once the first batch ran.
        Run("embed", twoInputs, "--images", images, "--input", "x", "--out", Path.Combine(dir, "x.npy")).AssertBadInput("export the model with the image as its only input");
        Assert.False(Path.Exists(bad));

        // The note on a model of several outputs points to the description, not to embed's --output.
        var (code, _, error) = Run("compare", "--model-a", model, "--layer-a", "mid", "--model-b", model, "--images", images, "--methods", "kmeans", "--out", Path.Combine(dir, "ok"));
        Assert.True(code == 0, error);
        Assert.Contains("embedded the first, 'out' (\"output\" of a model description names another)", error);
    }

    /// <summary>
    /// One model as A and B, or two models given one name, is refused before either embeds: `--model-a resnet18 --model-b
    /// resnet18` had embedded the images twice, then refused the pair naming --name-b, which had not been given.
    /// </summary>
    [Fact]
    public void CompareRefusesOneModelTwiceOrOneNameTwiceBeforeEmbedding()
    {
        var (dir, images, model) = Setup();
        string output = Path.Combine(dir, "report");
        var (code, _, error) = Run("compare", "--model-a", model, "--model-b", model, "--images", images, "--out", output);
        Assert.Equal((2, "error: --model-a and --model-b are the same model with the same settings (identity-32x32-nchw-batch): "
            + "its two embeddings would be identical, so there is no difference to explain; give two models, or two of its layers with --layer-a/--layer-b"), (code, error.Trim()));
        Assert.False(Path.Exists(output));
        (code, _, error) = Run("compare", "--model-a", model, "--model-b", Doubled(dir, model), "--images", images, "--name-b", "identity-32x32-nchw-batch", "--out", output);
        Assert.Equal((2, "error: --name-b identity-32x32-nchw-batch: is also what the other model is called; give the two models different names"), (code, error.Trim()));
        (code, _, error) = Run("compare", "--model-a", model, "--model-b", Doubled(dir, model), "--images", images, "--name-a", "x", "--name-b", "x", "--out", output);
        Assert.Equal((2, "error: --name-b x: is also what the other model is called; give the two models different names"), (code, error.Trim()));
        Assert.False(Path.Exists(output));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir), path => Path.GetFileName(path).StartsWith(".repdiff"));
    }

    /// <summary>A model description that is a FIFO (as MODEL, --description, or MODEL.json beside the .onnx) is refused: it was waited on forever.</summary>
    [Fact]
    public async Task AModelDescriptionFifoIsRefusedNotWaitedOn()
    {
        var (dir, images, model) = Setup();
        string fifo = Robustness.CliHarness.Fifo(Path.Combine(dir, "pipe.json"));
        File.Copy(model, Path.Combine(dir, "pipe.onnx"));
        foreach (var (args, named) in new[] { (new[] { fifo }, fifo), ([model, "--description", fifo], $"--description {fifo}"), ([Path.Combine(dir, "pipe.onnx")], fifo) })
        {
            var (code, _, error) = await Task.Run(() => Run(["embed", .. args, "--images", images, "--out", Path.Combine(dir, "out", "e.npy")])).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(2, code);
            Assert.Equal($"error: {named}: is a FIFO (named pipe), not a regular file; only regular files are read: write what it gives to a file first and give that file", error.TrimEnd());
        }
    }

    /// <summary>--description beside a MODEL that is not an .onnx file: the MODEL had been ignored for the description's own.</summary>
    [Fact]
    public void ADescriptionBesideABuiltInModelIsRefused()
    {
        var (dir, images, model) = Setup();
        string description = Path.Combine(dir, "d.json");
        File.WriteAllText(description, $$"""{ "model": "{{Path.GetFileName(model)}}" }""");
        var (code, _, error) = Run("embed", "resnet18", "--description", description, "--images", images, "--out", Path.Combine(dir, "e.npy"));
        Assert.Equal(2, code);
        Assert.Equal("error: --description describes an .onnx MODEL, and resnet18 is not one: give the .onnx file as MODEL, or the description itself", error.TrimEnd());
    }

    /// <summary>An --out whose ids file is the texts being embedded is refused: the texts were replaced by their ids.</summary>
    [Fact]
    public void AnOutputThatWouldReplaceTheInputIsRefused()
    {
        string dir = TestData.TempDir();
        string vocab = TinyOnnx.Vocab(dir, "the", "cat");
        string model = TinyOnnx.TokenEcho(dir);
        string texts = Write(dir, "e.ids.txt", "the cat\ncat\n");
        string output = Path.Combine(dir, "e.npy");
        var (code, _, error) = Run("embed", model, "--texts", texts, "--vocab", vocab, "--pooling", "cls", "--out", output);
        Assert.True(code == 2, error);
        Assert.Equal($"error: {output}: --out would replace the input {texts} (with e.ids.txt); write it elsewhere", error.TrimEnd());
        Assert.Equal("the cat\ncat\n", File.ReadAllText(texts));
        Assert.False(File.Exists(output));

        // The model's own files too: an --out whose ids file was the vocabulary replaced it, and the next run failed.
        string vocabAsIds = Path.Combine(dir, "v.ids.txt");
        File.Copy(vocab, vocabAsIds);
        string other = Write(dir, "texts.txt", "the cat\n");
        (code, _, error) = Run("embed", model, "--texts", other, "--vocab", vocabAsIds, "--pooling", "cls", "--out", Path.Combine(dir, "v.npy"));
        Assert.True(code == 2, error);
        Assert.Contains($"--out would replace the input {vocabAsIds} (with v.ids.txt)", error);
        Assert.Equal(File.ReadAllText(vocab), File.ReadAllText(vocabAsIds));
        Assert.False(File.Exists(Path.Combine(dir, "v.npy")));
    }

    /// <summary>
    /// The largest batch at the longest max_length: each window of texts had held batch × 8 × max_length ids whatever
    /// the texts' lengths, which at 4,096 × 8 × 65,536 overflowed an array's length (an internal error).
    /// </summary>
    [Fact]
    public void TheLargestBatchAtTheLongestMaxLengthHoldsOnlyTheTextsTokens()
    {
        string dir = TestData.TempDir();
        string vocab = TinyOnnx.Vocab(dir, "the", "cat");
        string model = TinyOnnx.TokenEcho(dir);
        string texts = Write(dir, "t.txt", string.Concat(Enumerable.Range(0, 32_768).Select(i => i % 2 == 0 ? "the cat\n" : "cat\n")));
        string output = Path.Combine(dir, "t.npy");
        var (code, _, error) = Run("embed", model, "--texts", texts, "--vocab", vocab, "--pooling", "cls", "--max-length", "65536", "--batch-size", "4096", "--out", output);
        Assert.True(code == 0, error);
        Assert.Equal(32_768, Npy.ReadMatrix(output).Rows);
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "not-onnx", "not an ONNX model" },
        { "rank", "must be [batch, 3, height, width]" },
        { "size", "but the description makes 32x32" },
        { "element-type", "input 'x' takes int64 values, and images are fed as float32 or float16" },
        { "empty-folder", "holds no image files" },
        { "missing-vocab", "vocab.txt: file not found" },
        { "malformed-vocab", "not a WordPiece vocabulary" },
        { "invalid-utf8", "line 2 is not valid UTF-8" },
        { "text-for-image-model", "is an image model" },
        { "unknown-layer", "has no tensor named 'nowhere'" },
        { "unigram-tokenizer", "is a Hugging Face Unigram tokenizer; RepDiff reads WordPiece and BPE" },
        { "huge-batch", "--batch-size 1000000000 must be from 1 to 4,096" },
        { "huge-threads", "--threads 100000 must be from 1 to 256" },
        { "model-folder", "folder.onnx: is a directory, not a file" },                 // was "model file not found"
        { "empty-model", "empty.onnx: is empty (0 bytes), not an ONNX model" },       // was ONNX Runtime's message, the path twice
        { "truncated-model", "cut.onnx: not an ONNX model (its protobuf does not parse)" },
        { "description-without-model", "nomodel.json: names no model file" },        // named no file at all
        { "blank-texts", "blank.txt: holds no texts: its 3 texts are all blank" },   // were embedded as three empty texts
        { "layer-and-output", "give --layer mid or --output doubled, not both" },    // --output was silently ignored
        { "batch-not-a-number", "--batch-size: 'abc' is not a whole number; see --help" }, // named 'System.Int32'
        { "threads-not-whole", "--threads: '1.5' is not a whole number; see --help" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputIsOneLineNamingTheFileAndNothingIsWritten(string kind, string message)
    {
        var (dir, images, model) = Setup();
        string vocab = TinyOnnx.Vocab(dir, "cat");
        string texts = Path.Combine(dir, "texts.txt");
        File.WriteAllText(texts, "cat\n");
        string[] args = kind switch
        {
            "not-onnx" => [Write(dir, "junk.onnx", "definitely not protobuf"), "--images", images],
            "rank" => [TinyOnnx.Write(Path.Combine(dir, "rank.onnx"), [TinyOnnx.Value("x", TinyOnnx.Float, "b", 3, 32)], [TinyOnnx.Value("y", TinyOnnx.Float, "b", 3, 32)], [TinyOnnx.Node("Identity", ["x"], ["y"])]), "--images", images],
            "size" => [TinyOnnx.ImageIdentity(dir, 16, 16), "--images", images, "--description", Path.ChangeExtension(model, ".json")],
            "element-type" => [TinyOnnx.Write(Path.Combine(dir, "int.onnx"), [TinyOnnx.Value("x", TinyOnnx.Int64, "b", 3, 32, 32)], [TinyOnnx.Value("y", TinyOnnx.Float, "b", 3, 32, 32)], [TinyOnnx.Node("Cast", ["x"], ["y"], TinyOnnx.Int("to", TinyOnnx.Float))]), "--images", images],
            "empty-folder" => [model, "--images", Directory.CreateDirectory(Path.Combine(dir, "empty")).FullName],
            "missing-vocab" => [TinyOnnx.TokenEcho(dir), "--texts", texts, "--vocab", Path.Combine(dir, "nowhere", "vocab.txt")],
            "malformed-vocab" => [TinyOnnx.TokenEcho(dir), "--texts", texts, "--vocab", Write(dir, "bad-vocab.txt", "cat\ndog\n")],
            "invalid-utf8" => [TinyOnnx.TokenEcho(dir), "--texts", WriteBytes(dir, "bad.txt", [.. "cat\n"u8, 0xC3, 0x28, (byte)'\n']), "--vocab", vocab],
            "text-for-image-model" => [model, "--texts", texts],
            "unigram-tokenizer" => [TinyOnnx.TokenEcho(dir), "--texts", texts, "--tokenizer", Write(dir, "tokenizer.json", """{ "model": { "type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["cat", -1.0]] } }""")],
            "huge-batch" => [model, "--images", images, "--batch-size", "1000000000"],
            "huge-threads" => [model, "--images", images, "--threads", "100000"],
            "model-folder" => [Directory.CreateDirectory(Path.Combine(dir, "folder.onnx")).FullName, "--images", images],
            "empty-model" => [Write(dir, "empty.onnx", ""), "--images", images],
            "truncated-model" => [WriteBytes(dir, "cut.onnx", File.ReadAllBytes(model)[..^20]), "--images", images],
            "description-without-model" => [Write(dir, "nomodel.json", """{ "pooling": "mean", "image": { "size": 32 } }"""), "--images", images],
            "blank-texts" => [TinyOnnx.TokenEcho(dir), "--texts", Write(dir, "blank.txt", "\n  \n\t\n"), "--vocab", vocab],
            "layer-and-output" => [model, "--images", images, "--layer", "mid", "--output", "doubled"],
            "batch-not-a-number" => [model, "--images", images, "--batch-size", "abc"],
            "threads-not-whole" => [model, "--images", images, "--threads", "1.5"],
            _ => [model, "--images", images, "--layer", "nowhere"],
        };
        string output = Path.Combine(dir, "out", "e.npy");
        var (code, _, error) = Run(["embed", .. args, "--out", output]);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.Single(error.Split('\n'), l => l.StartsWith("error"));
        Assert.False(Directory.Exists(Path.GetDirectoryName(output)) && Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!).Any(), "nothing may be written");
    }

    /// <summary>
    /// A line one character over the texts' cap (2^24) is refused by embed and by compare --model-a/-b through the
    /// reader `rdx --texts` uses, naming the file and the line, before anything is embedded or written.
    /// </summary>
    [Fact]
    public void ATextLineOverTheCapIsOneLineNamingIt()
    {
        string dir = TestData.TempDir();
        try
        {
            string vocab = TinyOnnx.Vocab(dir, "cat");
            string model = TinyOnnx.TokenEcho(dir);
            File.WriteAllText(Path.ChangeExtension(model, ".json"), """{ "pooling": "cls", "text": { "vocab": "vocab.txt" } }""");
            string texts = Path.Combine(dir, "long.txt");
            using (var writer = new StreamWriter(texts))
            {
                writer.Write("cat\n");
                writer.Write(new string('a', SampleFiles.MaxTextLine + 1));
                writer.Write("\ncat\n");
            }
            string expected = $"long.txt: line 2 is longer than {SampleFiles.MaxTextLine:N0} characters";
            string output = Path.Combine(dir, "out");
            var (code, _, error) = Run("embed", model, "--texts", texts, "--vocab", vocab, "--out", Path.Combine(output, "e.npy"));
            Assert.True(code == 2, error);
            Assert.Contains(expected, Assert.Single(error.Split('\n'), l => l.StartsWith("error")));
            (code, _, error) = Run("compare", "--model-a", model, "--model-b", model, "--texts", texts, "--out", output);
            Assert.True(code == 2, error);
            Assert.Contains(expected, error);
            Assert.DoesNotContain("embedded", error);
            Assert.False(Path.Exists(output));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Write(string dir, string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string WriteBytes(string dir, string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The first of several graph outputs is the default; it was taken without a word, so a wrong one went unnoticed.</summary>
    [Fact]
    public void TheFirstOfSeveralOutputsIsNamedWhenNothingChoseIt()
    {
        var (dir, images, model) = Setup();
        var (code, _, error) = Run("embed", model, "--images", images, "--out", Path.Combine(dir, "first.npy"));
        Assert.True(code == 0, error);
        Assert.Contains($"{Path.GetFileName(model)} has 2 outputs (out, doubled); embedded the first, 'out' (\"output\" or --output names another)", error);
        (code, _, error) = Run("embed", model, "--images", images, "--output", "doubled", "--out", Path.Combine(dir, "chosen.npy"));
        Assert.True(code == 0, error);
        Assert.DoesNotContain("outputs", error);
    }

    [Fact]
    public void CacheIsReusedWhileInputsAndModelAreUnchanged()
    {
        var (dir, images, model) = Setup();
        var description = ModelResolver.Resolve(model, new ModelOverrides(), texts: false);
        var source = new EmbeddingSource(images, Texts: false);
        string cache = Path.Combine(dir, "cache");
        var first = EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions());
        var again = EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions());
        Assert.False(first.Reused);
        Assert.True(again.Reused);
        TestImages.Scenes(images, 6, 64, 48); // one more image
        var changed = EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions());
        Assert.False(changed.Reused);
        Assert.Equal(6, Npy.ReadMatrix(changed.Path).Rows);
    }

    /// <summary>
    /// The key names the instruction set the kernels ran on: ONNX Runtime's matrix products add in another order on AVX-512
    /// than on AVX2, and embeddings kept in a folder copied from another machine had been reused where a fresh embed here
    /// gives other bytes. An entry kept on another instruction set is made again, saying so.
    /// </summary>
    [Fact]
    public void EmbeddingsKeptOnAnotherInstructionSetAreMadeAgainSayingWhy()
    {
        var (dir, images, model) = Setup();
        var description = ModelResolver.Resolve(model, new ModelOverrides(), texts: false);
        var source = new EmbeddingSource(images, Texts: false);
        string here = EmbeddingCache.InstructionSet;
        Assert.Equal(EmbeddingCache.MadeWithOn(here), EmbeddingCache.MadeWith);
        Assert.EndsWith($" on {here}", EmbeddingCache.MadeWith);
        Assert.StartsWith(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(), here);
        string[] described = ["X64 AVX2", "X64 AVX-512F", "X64 AVX-512BW", "X64 AVX-512BW AVX-VNNI", "Arm64 AdvSIMD dot product"];
        Assert.Equal(described.Length, described.Select(isa => EmbeddingCache.Key(description, source, EmbeddingCache.MadeWithOn(isa))).Distinct().Count());

        string cache = Path.Combine(dir, "cache"), keyPath = Path.Combine(cache, "a.key");
        var notes = new List<string>();
        var first = EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions(), note: notes.Add);
        Assert.True(EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions(), note: notes.Add).Reused);
        Assert.Empty(notes);
        // The entry as a machine of another instruction set keeps it.
        string elsewhere = EmbeddingCache.MadeWithOn(here == "X64 AVX2" ? "X64 AVX-512BW" : "X64 AVX2");
        File.WriteAllText(keyPath, $"{EmbeddingCache.Key(description, source, elsewhere)}\n{elsewhere}\n");
        var again = EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions(), note: notes.Add);
        Assert.False(again.Reused);
        Assert.Equal($"the kept embeddings {first.Path} were made with {elsewhere}, not {EmbeddingCache.MadeWith}; embedding again", Assert.Single(notes));
        Assert.EndsWith($"\n{EmbeddingCache.MadeWith}\n", File.ReadAllText(keyPath));
    }

    /// <summary>
    /// While an entry's embeddings are made again, no key vouches for the files: the old key had stayed until the new one was
    /// written after the new embeddings were in place, so a run stopped between the two (SIGINT, SIGTERM, a failed key write)
    /// left the old key beside new embeddings, and a later run with the old inputs and ids reused them (helper h150).
    /// </summary>
    [Fact]
    public void NoKeyVouchesForAnEntryWhileItsEmbeddingsAreReplaced()
    {
        var (dir, images, model) = Setup();
        var description = ModelResolver.Resolve(model, new ModelOverrides(), texts: false);
        var source = new EmbeddingSource(images, Texts: false);
        string cache = Path.Combine(dir, "cache"), key = Path.Combine(cache, "a.key");
        EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions());
        Assert.True(File.Exists(key));
        TestImages.Scenes(images, 6, 64, 48); // one more image: a new key
        var keyWhileEmbedding = new System.Collections.Concurrent.ConcurrentQueue<bool>();
        var changed = EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions(), new OnProgress(() => keyWhileEmbedding.Enqueue(File.Exists(key))));
        Assert.False(changed.Reused);
        Assert.NotEmpty(keyWhileEmbedding);
        Assert.DoesNotContain(true, keyWhileEmbedding);
        Assert.True(EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions()).Reused);
    }

    /// <summary>Runs an action at every progress report, on the reporting thread.</summary>
    private sealed class OnProgress(Action action) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => action();
    }

    /// <summary>
    /// An image replaced by another of the same name, size and modification time (a copy that keeps times, rsync -a;
    /// BMPs of one size always have one length) had its old embedding reused: the key held names, sizes and times.
    /// </summary>
    [Fact]
    public void CacheIsNotReusedWhenAnImageChangesButKeepsItsSizeAndTime()
    {
        var (dir, _, model) = Setup();
        string images = Path.Combine(dir, "bmps");
        Directory.CreateDirectory(images);
        byte[] Flat(byte r, byte g, byte b) => TestImages.Bmp(Enumerable.Range(0, 32 * 32).SelectMany(_ => new[] { r, g, b }).ToArray(), 32, 32);
        string red = WriteBytes(images, "a.bmp", Flat(200, 0, 0));
        WriteBytes(images, "b.bmp", Flat(0, 200, 0));
        var description = ModelResolver.Resolve(model, new ModelOverrides(), texts: false);
        var source = new EmbeddingSource(images, Texts: false);
        string cache = Path.Combine(dir, "cache");
        var first = EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions());
        Assert.Equal(200 / 255f, Npy.ReadMatrix(first.Path).Row(0)[0], 1e-6f);

        var time = File.GetLastWriteTimeUtc(red);
        File.WriteAllBytes(red, Flat(0, 0, 200)); // now blue: the same length
        File.SetLastWriteTimeUtc(red, time);
        var again = EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions());
        Assert.False(again.Reused);
        var blue = Npy.ReadMatrix(again.Path).Row(0).ToArray();
        Assert.Equal((0f, 200 / 255f), (blue[0], MathF.Round(blue[2] * 255) / 255));
        Assert.True(EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions()).Reused);
    }

    /// <summary>
    /// A model whose weights live in an external data file beside the graph (exports over 2 GB, Optimum's external
    /// data): new weights there left model.onnx's bytes as they were, and the old embeddings were reused.
    /// </summary>
    [Fact]
    public void CacheIsNotReusedWhenAModelsExternalWeightsChange()
    {
        var (dir, images, _) = Setup();
        string weights = Path.Combine(dir, "weights.bin");
        File.WriteAllBytes(weights, BitConverter.GetBytes(2f));
        var scale = new Onnx.TensorProto { Name = "scale", DataType = TinyOnnx.Float, DataLocation = Onnx.TensorProto.Types.DataLocation.External };
        scale.ExternalData.Add(new Onnx.StringStringEntryProto { Key = "location", Value = "weights.bin" });
        string model = TinyOnnx.Write(Path.Combine(dir, "external.onnx"),
            [TinyOnnx.Value("pixels", TinyOnnx.Float, "batch", 3, 32, 32)], [TinyOnnx.Value("out", TinyOnnx.Float, "batch", 3, 32, 32)],
            [TinyOnnx.Node("Mul", ["pixels", "scale"], ["out"])], [scale]);
        File.WriteAllText(Path.ChangeExtension(model, ".json"), """{ "pooling": "mean", "image": { "size": 32 } }""");
        var description = ModelResolver.Resolve(model, new ModelOverrides(), texts: false);
        var source = new EmbeddingSource(images, Texts: false);
        string cache = Path.Combine(dir, "cache");
        var first = Npy.ReadMatrix(EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions()).Path);

        File.WriteAllBytes(weights, BitConverter.GetBytes(3f));
        var again = EmbeddingCache.Embed(description, source, cache, "a", new EmbedderOptions());
        Assert.False(again.Reused);
        Assert.Equal(1.5f, Npy.ReadMatrix(again.Path).Row(0)[0] / first.Row(0)[0], 1e-5f);
    }

    /// <summary>
    /// Bad external weights were ONNX Runtime's C++ words naming the graph ("…/initializer.cc:79
    /// onnxruntime::Initializer::Initializer(const onnxruntime::Graph&amp;, …)"): an empty, missing or folder weights file
    /// is now named as such, and what ONNX Runtime says of a short one comes without its source locations.
    /// </summary>
    [Fact]
    public void BadExternalWeightsAreNamedInPlainWords()
    {
        var (dir, images, _) = Setup();
        string weights = Path.Combine(dir, "weights.bin");
        var scale = new Onnx.TensorProto { Name = "scale", DataType = TinyOnnx.Float, DataLocation = Onnx.TensorProto.Types.DataLocation.External };
        scale.ExternalData.Add(new Onnx.StringStringEntryProto { Key = "location", Value = "weights.bin" });
        scale.Dims.AddRange([3, 1, 1]);
        string model = TinyOnnx.Write(Path.Combine(dir, "external.onnx"),
            [TinyOnnx.Value("pixels", TinyOnnx.Float, "batch", 3, 32, 32)], [TinyOnnx.Value("out", TinyOnnx.Float, "batch", 3, 32, 32)],
            [TinyOnnx.Node("Mul", ["pixels", "scale"], ["out"])], [scale]);
        File.WriteAllText(Path.ChangeExtension(model, ".json"), """{ "pooling": "mean", "image": { "size": 32 } }""");
        string output = Path.Combine(dir, "e.npy");
        string Error() { var (code, _, error) = Run("embed", model, "--images", images, "--out", output); Assert.Equal(2, code); return error.TrimEnd(); }

        Assert.Equal($"error: {weights}: file not found", Error());
        File.WriteAllBytes(weights, []);
        Assert.Equal($"error: {weights}: is empty (0 bytes), but external.onnx keeps its weights in it", Error());
        File.WriteAllBytes(weights, BitConverter.GetBytes(2f));  // 4 bytes where 12 are needed
        string shortWeights = Error();
        Assert.StartsWith($"error: {model}: ONNX Runtime cannot load it (", shortWeights);
        Assert.DoesNotContain("onnxruntime_src", shortWeights);
        Assert.DoesNotContain("onnxruntime::", shortWeights);
        Assert.EndsWith("External initializer: scale offset: 0 size to read: 12 given file_length: 4 are out of bounds or can not be read in full.)", shortWeights);
        Assert.DoesNotContain(".cc:", shortWeights);
        File.Delete(weights);
        Directory.CreateDirectory(weights);
        Assert.Equal($"error: {weights}: is a directory, not a file", Error());
        Assert.False(File.Exists(output));
    }

    /// <summary>
    /// A cache key that is not a short regular file is no hit: a FIFO made Find wait forever in File.ReadAllText and a
    /// huge file was read whole. compare embeds again and its new key replaces it; the cache folder of the demo, which
    /// cannot replace a FIFO, says so before embedding anything.
    /// </summary>
    [Fact]
    public async Task ACacheKeyThatIsAFifoOrHugeIsNoHit()
    {
        var (dir, images, model) = Setup();
        TestImages.Scenes(images, 12, 64, 48);
        string output = Path.Combine(dir, "report");
        string[] args = ["compare", "--model-a", model, "--model-b", Doubled(dir, model), "--images", images, "--methods", "kmeans", "--out", output];
        Assert.Equal(0, Run(args).Code);
        string keyPath = Directory.GetFiles(Path.Combine(output, "embeddings"), "*.key").Order().First();
        string key = File.ReadAllText(keyPath);
        File.Delete(keyPath);
        RepDiff.Tests.Robustness.CliHarness.Fifo(keyPath);
        // Before, this run never returned: WaitAsync fails the test after a minute instead of hanging it.
        var (code, _, error) = await Task.Run(() => Run(args)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(code == 0, error);
        Assert.Contains("embedded", error);
        Assert.Equal(FileKind.Regular, FileKind.Of(keyPath));
        Assert.Equal(key, File.ReadAllText(keyPath));

        // A sparse 1 GB file holding the right key first is not read whole, and not taken for the key.
        using (var huge = File.OpenWrite(keyPath)) huge.SetLength(1L << 30);
        (code, _, error) = Run(args);
        Assert.True(code == 0, error);
        Assert.Contains("embedded", error);
        Assert.Equal(key, File.ReadAllText(keyPath));

        // A FIFO where the cached embeddings were, under the right key, is no hit either: they are made again and replace it.
        string npyPath = Path.ChangeExtension(keyPath, ".npy");
        File.Delete(npyPath);
        RepDiff.Tests.Robustness.CliHarness.Fifo(npyPath);
        (code, _, error) = await Task.Run(() => Run(args)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(code == 0, error);
        Assert.Contains("embedded", error);
        Assert.Equal(FileKind.Regular, FileKind.Of(npyPath));

        var description = ModelResolver.Resolve(model, new ModelOverrides(), texts: false);
        string cache = Path.Combine(dir, "cache");
        Directory.CreateDirectory(cache);
        RepDiff.Tests.Robustness.CliHarness.Fifo(Path.Combine(cache, "a.key"));
        var e = Assert.Throws<RepDiffInputException>(() => EmbeddingCache.Embed(description, new EmbeddingSource(images, Texts: false), cache, "a", new EmbedderOptions()));
        Assert.Equal($"the embedding cache: {Path.Combine(cache, "a.key")} is a FIFO (named pipe); RepDiff will not replace it with a file", e.Message);
        Assert.False(File.Exists(Path.Combine(cache, "a.npy")));
    }

    [Fact]
    public void CompareEmbedsWithBothModelsAndReusesTheirEmbeddings()
    {
        var (dir, images, model) = Setup();
        TestImages.Scenes(images, 12, 64, 48);
        string doubled = Path.Combine(dir, "doubled.json");
        File.WriteAllText(doubled, $$"""{ "name": "doubled", "model": "{{Path.GetFileName(model)}}", "output": "doubled", "pooling": "mean", "image": { "size": 32 } }""");
        string output = Path.Combine(dir, "report");
        string[] args = ["compare", "--model-a", model, "--model-b", doubled, "--images", images, "--methods", "kmeans", "--out", output];
        var (code, _, error) = Run(args);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        Assert.Contains("embedded", error);
        Assert.True(File.Exists(Path.Combine(output, "embeddings", "doubled.npy")));
        var (again, _, errorAgain) = Run(args);
        Assert.Equal(0, again);
        Assert.Contains("reusing", errorAgain);
        Assert.DoesNotContain("embedded", errorAgain);
    }

    /// <summary>
    /// A kept entry damaged after it was written, its key intact, is embedded again: reused, it failed every later run on
    /// that file (a truncated .npy, a NaN, ids cut short) until deleted by hand, and the message did not say so.
    /// </summary>
    [Theory]
    [InlineData("truncated", "doubled.npy")]
    [InlineData("nan", "doubled.npy")]
    [InlineData("ids cut", "doubled.ids.txt")]
    [InlineData("ids last line cut", "doubled.ids.txt")]
    public void ADamagedCacheEntryIsEmbeddedAgain(string damage, string file)
    {
        var (dir, images, model) = Setup();
        TestImages.Scenes(images, 12, 64, 48);
        string doubled = Path.Combine(dir, "doubled.json");
        File.WriteAllText(doubled, $$"""{ "name": "doubled", "model": "{{Path.GetFileName(model)}}", "output": "doubled", "pooling": "mean", "image": { "size": 32 } }""");
        string output = Path.Combine(dir, "report"), kept = Path.Combine(output, "embeddings", file);
        string[] args = ["compare", "--model-a", model, "--model-b", doubled, "--images", images, "--methods", "kmeans", "--out", output];
        var (code, _, error) = Run(args);
        Assert.True(code == 0, error);
        var bytes = File.ReadAllBytes(kept);
        switch (damage)
        {
            case "truncated": bytes = bytes[..^10]; break;
            case "nan": BitConverter.GetBytes(float.NaN).CopyTo(bytes, bytes.Length - 4 * 5); break;
            case "ids cut": bytes = bytes[..(Array.IndexOf(bytes, (byte)'\n') + 1)]; break;
            default: bytes = bytes[..^3]; break;
        }
        File.WriteAllBytes(kept, bytes);

        (code, _, error) = Run(args);
        Assert.True(code == 0, error);
        Assert.Contains($"warning: doubled: the kept embeddings {Path.Combine(output, "embeddings", "doubled.npy")} do not load (", error);
        Assert.Contains("embedding again", error);
        Assert.DoesNotContain("doubled: reusing", error);
        (code, _, error) = Run(args);
        Assert.True(code == 0, error);
        Assert.Contains("doubled: reusing", error);
        Assert.DoesNotContain("warning", error);
    }

    /// <summary>
    /// A manifest's images are named (embed's ids) by their path relative to its folder, unless the manifest wrote one absolute
    /// outside that folder: then by the path as written. It had been "../../tmp/…/images/scene1.png", a path nobody wrote.
    /// Relative paths keep their names whether inside the folder or not; an absolute path inside it is named relative to it.
    /// </summary>
    [Fact]
    public void AnAbsolutePathOutsideTheManifestsFolderIsItsImagesId()
    {
        var (dir, images, model) = Setup();
        string lists = Path.Combine(dir, "lists");
        Directory.CreateDirectory(Path.Combine(lists, "here"));
        File.Copy(Path.Combine(images, "scene3.png"), Path.Combine(lists, "here", "inside.png"));
        string outside = Path.Combine(images, "scene1.png");
        string manifest = Path.Combine(lists, "m.txt");
        File.WriteAllLines(manifest, ["../images/scene0.png", outside, "here/inside.png", Path.Combine(images, "scene2.png"), Path.Combine(lists, "here", "..", "here", "inside.png").Replace("inside", "copy")]);
        File.Copy(Path.Combine(images, "scene4.png"), Path.Combine(lists, "here", "copy.png"));
        string npy = Path.Combine(dir, "out.npy");
        var (code, _, error) = Run("embed", model, "--images", manifest, "--out", npy);
        Assert.True(code == 0, error);
        Assert.Equal(["../images/scene0.png", outside, "here/inside.png", Path.Combine(images, "scene2.png"), "here/copy.png"], File.ReadAllLines(Path.Combine(dir, "out.ids.txt")));
    }

    /// <summary>
    /// An image listed twice in a manifest is refused as the manifest is read: embed wrote its id twice with exit 0, and
    /// compare embedded with both models before failing on an id in a staging file.
    /// </summary>
    [Fact]
    public void AManifestListingAnImageTwiceIsRefusedBeforeAnyModelRuns()
    {
        var (dir, images, model) = Setup();
        var files = Directory.GetFiles(images).Order(StringComparer.Ordinal).ToArray();
        string manifest = Path.Combine(dir, "m.txt");
        File.WriteAllLines(manifest, [.. files.Select(f => Path.GetRelativePath(dir, f)), Path.GetRelativePath(dir, files[1])]);
        string doubled = Path.Combine(dir, "doubled.json");
        File.WriteAllText(doubled, $$"""{ "name": "doubled", "model": "{{Path.GetFileName(model)}}", "output": "doubled", "pooling": "mean", "image": { "size": 32 } }""");
        string expected = $"--images {manifest}: image '{Path.GetRelativePath(dir, files[1])}' appears on line 2 and line {files.Length + 1}; list each image once";

        string npy = Path.Combine(dir, "out.npy");
        var (code, _, error) = Run("embed", model, "--images", manifest, "--out", npy);
        Assert.Equal(2, code);
        Assert.Equal($"error: {expected}", error.Trim());
        Assert.False(File.Exists(npy));

        string output = Path.Combine(dir, "report");
        (code, _, error) = Run("compare", "--model-a", model, "--model-b", doubled, "--images", manifest, "--methods", "kmeans", "--out", output);
        Assert.Equal(2, code);
        Assert.Equal($"error: {expected}", error.Trim());
        Assert.False(Directory.Exists(output));
    }

    /// <summary>Every file and folder under <paramref name="folder"/> with a hash of its bytes.</summary>
    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).ToDictionary(
            entry => Path.GetRelativePath(folder, entry),
            entry => Directory.Exists(entry) ? "folder" : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(entry))));

    /// <summary>
    /// compare --model-a/-b that fails (a model B that cannot open or cannot take the images; too few samples
    /// for the methods, found after both embedded) leaves --out as it was: absent, or every file the same bytes.
    /// </summary>
    [Fact]
    public void AFailedCompareWithModelsLeavesTheOutputFolderAsItWas()
    {
        var (dir, images, model) = Setup();
        TestImages.Scenes(images, 12, 64, 48);
        string few = Path.Combine(dir, "few");
        Directory.CreateDirectory(few);
        TestImages.Scenes(few, 5, 64, 48); // rdx, run by default, needs more than 5
        string garbage = WriteBytes(dir, "garbage.onnx", Enumerable.Range(0, 4096).Select(i => (byte)(i * 131 + 7)).ToArray());
        string small = TinyOnnx.ImageIdentity(dir, 16, 16);
        string misfit = Path.Combine(dir, "misfit.json"); // a 16x16 model described as taking 32x32 images
        File.WriteAllText(misfit, $$"""{ "name": "misfit", "model": "{{Path.GetFileName(small)}}", "pooling": "mean", "image": { "size": 32 } }""");
        string output = Path.Combine(dir, "nested", "report");
        (string[] Args, string Error)[] failing =
        [
            (["--model-b", garbage, "--images", images, "--methods", "kmeans"], "garbage.onnx: not an ONNX model"),
            (["--model-b", misfit, "--images", images, "--methods", "kmeans"], "but the description makes 32x32 images"),
            (["--model-b", Doubled(dir, model), "--images", few], "rdx cannot run on these inputs"),
        ];
        foreach (var (args, expected) in failing)
        {
            var (code, _, error) = Run(["compare", "--model-a", model, .. args, "--out", output]);
            Assert.True(code == 2, error);
            Assert.Contains(expected, error);
            Assert.False(Path.Exists(Path.Combine(dir, "nested")), error); // neither --out nor the parent it would have made
            if (args[3] != few) Assert.DoesNotContain("embedded", error); // model B failed before A embedded anything
        }

        // An existing results folder with an earlier run's embeddings and a file of the user's.
        string[] good = ["compare", "--model-a", model, "--model-b", Doubled(dir, model), "--images", images, "--methods", "kmeans", "--out", output];
        Assert.Equal(0, Run(good).Code);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        var before = Snapshot(output);
        Assert.Contains(Path.Combine("embeddings", "doubled.npy"), before.Keys);
        TestImages.Scenes(images, 13, 64, 48); // the cached embeddings are stale: a failing run would have to embed again
        foreach (var (args, expected) in failing)
        {
            var (code, _, error) = Run(["compare", "--model-a", model, .. args, "--out", output]);
            Assert.True(code == 2, error);
            Assert.Contains(expected, error);
            Assert.Equal(before, Snapshot(output));
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!, ".repdiff-*"));
    }

    /// <summary>
    /// Embeddings kept by another ONNX Runtime are made again, saying why: the key had covered the model and the inputs but
    /// not the runtime, so after an upgrade (1.31.1 to 1.32.0) the old runtime's embeddings were handed back as they were.
    /// An entry kept before the runtime was recorded (its key one line) is made again too, not refused.
    /// </summary>
    [Fact]
    public void EmbeddingsKeptByAnotherOnnxRuntimeAreMadeAgainSayingWhy()
    {
        var (dir, images, model) = Setup();
        TestImages.Scenes(images, 12, 64, 48);
        string doubled = Doubled(dir, model), output = Path.Combine(dir, "report"), embeddings = Path.Combine(output, "embeddings");
        string keyPath = Path.Combine(embeddings, "doubled.key"), npyPath = Path.Combine(embeddings, "doubled.npy");
        string[] args = ["compare", "--model-a", model, "--model-b", doubled, "--images", images, "--methods", "kmeans", "--out", output];
        var (code, _, error) = Run(args);
        Assert.True(code == 0, error);
        var description = ModelResolver.Resolve(doubled, new ModelOverrides(), texts: false);
        var source = new EmbeddingSource(images, Texts: false);
        string current = EmbeddingCache.MadeWith;
        Assert.Matches(@"^ONNX Runtime \d+\.\d+\.\d+ and RepDiff ", current);
        Assert.Equal($"{EmbeddingCache.Key(description, source)}\n{current}\n", File.ReadAllText(keyPath));

        // The same entry as another runtime would have kept it: its key made with that runtime's version, and the version.
        string older = current.Replace($"ONNX Runtime {OrtEnv.Instance().GetVersionString()} ", "ONNX Runtime 0.0.1 ");
        Assert.NotEqual(current, older);
        File.WriteAllText(keyPath, $"{EmbeddingCache.Key(description, source, older)}\n{older}\n");
        var kept = File.ReadAllBytes(npyPath);
        (code, _, error) = Run(args);
        Assert.True(code == 0, error);
        Assert.Contains($"warning: doubled: the kept embeddings {npyPath} were made with {older}, not {current}; embedding again", error);
        Assert.Contains("doubled: embedded", error);
        Assert.DoesNotContain("doubled: reusing", error);
        Assert.Contains($"{Path.GetFileNameWithoutExtension(model)}: reusing", error); // A's entry was kept by this runtime
        Assert.Single(error.Split('\n'), line => line.Contains("kept embeddings"));
        Assert.Equal(kept, File.ReadAllBytes(npyPath)); // this runtime embeds the same bytes here: only the key told them apart
        Assert.EndsWith($"\n{current}\n", File.ReadAllText(keyPath));

        // A key as RepDiff wrote it before the runtime was recorded: one line of 64 hex digits.
        File.WriteAllText(keyPath, new string('0', 64) + "\n");
        (code, _, error) = Run(args);
        Assert.True(code == 0, error);
        Assert.Contains($"warning: doubled: the kept embeddings {npyPath} do not say which ONNX Runtime made them (kept by an older RepDiff); embedding again with {current}", error);
        Assert.Contains("doubled: embedded", error);

        (code, _, error) = Run(args);
        Assert.True(code == 0, error);
        Assert.Contains("doubled: reusing", error);
        Assert.DoesNotContain("warning", error);
    }

    /// <summary>
    /// A run reuses what an earlier run left in --out/embeddings, makes the rest, and --out ends with both:
    /// the new files, the reused ones, and the earlier run's embeddings of another model.
    /// </summary>
    [Fact]
    public void CompareReusesEmbeddingsFromTheOutputFolderAndKeepsTheOthers()
    {
        var (dir, images, model) = Setup();
        TestImages.Scenes(images, 12, 64, 48);
        string doubled = Path.Combine(dir, "doubled.json"), normalized = Path.Combine(dir, "normalized.json");
        File.WriteAllText(doubled, $$"""{ "name": "doubled", "model": "{{Path.GetFileName(model)}}", "output": "doubled", "pooling": "mean", "image": { "size": 32 } }""");
        File.WriteAllText(normalized, $$"""{ "name": "normalized", "model": "{{Path.GetFileName(model)}}", "pooling": "mean", "normalize": true, "image": { "size": 32 } }""");
        string output = Path.Combine(dir, "report"), embeddings = Path.Combine(output, "embeddings");
        var (code, _, error) = Run("compare", "--model-a", model, "--model-b", doubled, "--images", images, "--methods", "kmeans", "--out", output);
        Assert.True(code == 0, error);
        var first = Snapshot(embeddings);
        (code, _, error) = Run("compare", "--model-a", model, "--model-b", normalized, "--images", images, "--methods", "kmeans", "--out", output);
        Assert.True(code == 0, error);
        Assert.Contains($"reusing {Path.Combine(embeddings, Path.GetFileNameWithoutExtension(model))}.npy", error);
        Assert.Contains($"normalized: embedded, kept in {Path.Combine(embeddings, "normalized.npy")} when the run succeeds", error);
        var second = Snapshot(embeddings);
        foreach (var (file, hash) in first) Assert.Equal(hash, second[file]); // A reused in place, doubled kept
        Assert.Contains("normalized.npy", second.Keys);
        Assert.Contains("normalized.key", second.Keys);
        Assert.Contains("\"normalized.npy\"", File.ReadAllText(Path.Combine(output, "results.json")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }
}
