using RepDiff.Embedding;
using RepDiff.IO;

namespace RepDiff.Tests.Embedding;

/// <summary>Every preprocessing, pooling and layer option, checked exactly through tiny ONNX graphs that echo their input.</summary>
public class EmbedderTests
{
    private static readonly string Dir = TestData.TempDir();

    /// <summary>n images of h×w×c bytes from a fixed pattern, as the 0..1 pixel arrays ImageSet holds.</summary>
    private static (ImageSet Set, byte[] Bytes) Pixels(int n, int h, int w, int c, int seed = 1)
    {
        var rng = new Random(seed);
        var bytes = new byte[n * h * w * c];
        rng.NextBytes(bytes);
        return (new ImageSet(bytes.Select(b => b / 255f).ToArray(), n, h, w, c), bytes);
    }

    private static Matrix Embed(ModelDescription description, ImageSet images, int batch = 32, int threads = 1)
    {
        using var embedder = Embedder.Open(description, new EmbedderOptions { BatchSize = batch, Threads = threads });
        return embedder.EmbedImages(images);
    }

    [Fact]
    public void ChannelOrderScaleMeanAndStdAreAppliedExactly()
    {
        var (set, bytes) = Pixels(3, 4, 6, 3);
        float[] mean = [0.1f, 0.2f, 0.3f], std = [0.5f, 0.25f, 2f];
        var description = new ModelDescription
        {
            Model = TinyOnnx.ImageIdentity(Dir, 4, 6), Pooling = "none",
            Image = new() { Size = [4, 6], Resize = "none", ChannelOrder = "bgr", Scale = 1f / 255, Mean = mean, Std = std },
        };
        var m = Embed(description, set, batch: 2);
        Assert.Equal((3, 3 * 4 * 6), (m.Rows, m.Cols));
        for (int i = 0; i < 3; i++)
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < 24; p++)
                {
                    int rgb = 2 - c; // tensor channel 0 is blue
                    double expected = (bytes[(i * 24 + p) * 3 + rgb] / 255.0 - mean[c]) / std[c];
                    Assert.Equal(expected, m[i, c * 24 + p], 1e-6);
                }
    }

    [Fact]
    public void CentreCropAndChannelsLastLayout()
    {
        var (set, bytes) = Pixels(1, 6, 8, 3);
        var description = new ModelDescription
        {
            Model = TinyOnnx.ImageIdentity(Dir, 4, 4, layout: "nhwc"), Pooling = "none",
            Image = new() { Size = [4, 4], Resize = "none", Layout = "nhwc", Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1] },
        };
        var m = Embed(description, set);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(bytes[((y + 1) * 8 + x + 2) * 3 + c], m[0, (y * 4 + x) * 3 + c]);
    }

    /// <summary>An 8×4 (w×h) image of 2×2 blocks: halving it with nearest sampling gives the blocks back whatever the sample position.</summary>
    [Theory]
    [InlineData("shorter-side", 2, 2, 1)]   // shorter side 4 → 2: 2×4 blocks, centre crop 2×2 takes block columns 1 and 2
    [InlineData("stretch", 2, 4, 0)]        // straight to 2×4: every block
    public void ResizeModesByNearestSampling(string resize, int outH, int outW, int firstBlockColumn)
    {
        var blocks = new byte[2 * 4 * 3];
        new Random(5).NextBytes(blocks);
        byte Block(int by, int bx, int c) => blocks[(by * 4 + bx) * 3 + c];
        var pixels = new float[4 * 8 * 3];
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 8; x++)
                for (int c = 0; c < 3; c++) pixels[(y * 8 + x) * 3 + c] = Block(y / 2, x / 2, c) / 255f;
        var description = new ModelDescription
        {
            Model = TinyOnnx.ImageIdentity(Dir, outH, outW), Pooling = "none",
            Image = new() { Size = [outH, outW], Resize = resize, ResizeTo = 2, Interpolation = "nearest", Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1] },
        };
        var m = Embed(description, new ImageSet(pixels, 1, 4, 8, 3));
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < outH; y++)
                for (int x = 0; x < outW; x++)
                    Assert.Equal(Block(y, x + firstBlockColumn, c), m[0, (c * outH + y) * outW + x]);
    }

    [Fact]
    public void GreyBecomesRgbAndTransparencyIsComposedOverWhite()
    {
        // Two RGBA pixels: fully transparent red, half-transparent (128) black; and a grey image.
        var rgba = new ImageSet([1, 0, 0, 0, 0, 0, 0, 128 / 255f], 1, 1, 2, 4);
        var grey = new ImageSet([0.2f, 0.8f], 1, 1, 2, 1);
        var description = new ModelDescription
        {
            Model = TinyOnnx.ImageIdentity(Dir, 1, 2), Pooling = "none",
            Image = new() { Size = [1, 2], Resize = "none", Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1] },
        };
        var composed = Embed(description, rgba);
        int halfWhite = (255 * (255 - 128) + 127) / 255;
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(255, composed[0, c * 2]);
            Assert.Equal(halfWhite, composed[0, c * 2 + 1]);
        }
        var g = Embed(description, grey);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(MathF.Round(0.2f * 255), g[0, c * 2]);
            Assert.Equal(MathF.Round(0.8f * 255), g[0, c * 2 + 1]);
        }
    }

    [Fact]
    public void MeanImageIsSubtractedLast()
    {
        var (set, bytes) = Pixels(1, 2, 3, 3);
        var meanImage = Enumerable.Range(0, 18).Select(i => i * 1.5f).ToArray();
        string meanPath = Path.Combine(Dir, "mean.npy");
        Npy.Write(meanPath, meanImage, 3, 2, 3);
        var description = new ModelDescription
        {
            Model = TinyOnnx.ImageIdentity(Dir, 2, 3), Pooling = "none",
            Image = new() { Size = [2, 3], Resize = "none", ChannelOrder = "bgr", Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1], MeanImage = meanPath },
        };
        var m = Embed(description, set);
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < 6; p++)
                Assert.Equal(bytes[p * 3 + 2 - c] - meanImage[c * 6 + p], m[0, c * 6 + p]);
    }

    [Fact]
    public void MeanPoolingOutputsAndLayers()
    {
        var (set, bytes) = Pixels(2, 3, 3, 3);
        string model = TinyOnnx.ImageIdentity(Dir, 3, 3);
        var image = new ImagePreprocessing { Size = [3, 3], Resize = "none", Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1] };
        double ChannelMean(int i, int c) => Enumerable.Range(0, 9).Average(p => (double)bytes[(i * 9 + p) * 3 + c]);

        var pooled = Embed(new ModelDescription { Model = model, Pooling = "mean", Image = image }, set);
        var layer = Embed(new ModelDescription { Model = model, Layer = "mid", Image = image }, set);
        var doubled = Embed(new ModelDescription { Model = model, Output = "doubled", Pooling = "mean", Normalize = true, Image = image }, set);
        Assert.Equal(3, pooled.Cols);
        Assert.Equal(3, layer.Cols);
        for (int i = 0; i < 2; i++)
        {
            double norm = Math.Sqrt(Enumerable.Range(0, 3).Sum(c => Math.Pow(2 * (ChannelMean(i, c) + 1), 2)));
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal((float)ChannelMean(i, c), pooled[i, c]);
                Assert.Equal((float)(ChannelMean(i, c) + 1), layer[i, c]);
                Assert.Equal(2 * (ChannelMean(i, c) + 1) / norm, doubled[i, c], 6);
            }
        }
    }

    [Fact]
    public void GraphWithBatchFixedAtOneRunsOneSamplePerCall()
    {
        var (set, _) = Pixels(5, 2, 2, 3);
        var image = new ImagePreprocessing { Size = [2, 2], Resize = "none" };
        var fixedOne = Embed(new ModelDescription { Model = TinyOnnx.ImageIdentity(Dir, 2, 2, batch: 1), Pooling = "none", Image = image }, set, batch: 4);
        var dynamic = Embed(new ModelDescription { Model = TinyOnnx.ImageIdentity(Dir, 2, 2), Pooling = "none", Image = image }, set, batch: 4);
        Assert.Equal(dynamic.Data, fixedOne.Data);
    }

    [Fact]
    public void BatchFixedAtOneRunsCallsAtOnceAndKeepsEveryRowInPlace()
    {
        // 203 images in batches of 10 (the last of 3) through a graph that takes one image per call: with 2 or 3 threads a
        // batch's images run as that many single-threaded calls at once, finishing in any order, and every row must
        // still be its own image's, byte for byte what one thread and the open-batch graph give.
        var (set, _) = Pixels(203, 3, 5, 3, seed: 7);
        var image = new ImagePreprocessing { Size = [3, 5], Resize = "none" };
        var fixedOne = new ModelDescription { Model = TinyOnnx.ImageIdentity(Dir, 3, 5, batch: 1), Pooling = "none", Image = image };
        var reference = Embed(new ModelDescription { Model = TinyOnnx.ImageIdentity(Dir, 3, 5), Pooling = "none", Image = image }, set, batch: 10);
        Assert.Equal(203, reference.Rows);
        Assert.Equal(203, Enumerable.Range(0, 203).Select(i => string.Join(',', reference.Row(i).ToArray())).Distinct().Count());
        foreach (int threads in new[] { 1, 2, 3 })
            Assert.Equal(reference.Data, Embed(fixedOne, set, batch: 10, threads).Data);
    }

    [Fact]
    public void OnlyAGraphThatTakesOneSampleSplitsItsThreadsIntoCalls()
    {
        // Read from the file before the session opens: three single-threaded calls for a batch fixed at 1, one three-threaded
        // call for an open batch, and a text model's (not asked for) one call.
        string Open(string model, bool samplesAtOnce)
        {
            using var session = ModelSession.Open(model, null, null, "--layer", threads: 3, optimizedModels: null, samplesAtOnce: samplesAtOnce);
            return $"{session.MaxBatch} {session.CallsAtOnce}";
        }
        Assert.Equal("1 3", Open(TinyOnnx.ImageIdentity(Dir, 2, 2, batch: 1), samplesAtOnce: true));
        Assert.Equal("1 1", Open(TinyOnnx.ImageIdentity(Dir, 2, 2, batch: 1), samplesAtOnce: false));
        Assert.Equal($"{int.MaxValue} 1", Open(TinyOnnx.ImageIdentity(Dir, 2, 2), samplesAtOnce: true));
        // A weight listed among the graph's inputs (IR 3 and CNTK exports list them all) is not the batch: [1] here.
        string listed = TinyOnnx.Write(Path.Combine(Dir, "weights-as-inputs.onnx"),
            [TinyOnnx.Value("pixels", TinyOnnx.Float, "batch", 3, 2, 2), TinyOnnx.Value("one", TinyOnnx.Float, 1)],
            [TinyOnnx.Value("out", TinyOnnx.Float, "batch", 3, 2, 2)],
            [TinyOnnx.Node("Add", ["pixels", "one"], ["out"])], [TinyOnnx.Constant("one", [1], [1f])]);
        Assert.Equal($"{int.MaxValue} 1", Open(listed, samplesAtOnce: true));
    }

    private static Matrix EmbedTexts(string[] texts, string pooling, bool normalize = false, int maxLength = 16, bool withTypes = true, bool lowercase = true, int threads = 1)
    {
        string vocab = TinyOnnx.Vocab(Dir, "the", "cat", "sat", "on", "mat");
        var description = new ModelDescription
        {
            Model = TinyOnnx.TokenEcho(Dir, withTypes), Pooling = pooling, Normalize = normalize,
            Text = new() { Vocab = vocab, MaxLength = maxLength, Lowercase = lowercase },
        };
        using var embedder = Embedder.Open(description, new EmbedderOptions { BatchSize = 2, Threads = threads });
        return embedder.EmbedTexts(texts);
    }

    [Fact]
    public void ConcurrentRunsHandRowsOnInInputOrder()
    {
        // Texts of 1 to 12 words over several length-sorted windows: three concurrent runs finish their batches out
        // of order, and every row must still be its own text's mean token id.
        string[] words = ["the", "cat", "sat", "on", "mat"];
        var random = new Random(3);
        var texts = Enumerable.Range(0, 300).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(1, 13)).Select(_ => words[random.Next(words.Length)]))).ToArray();
        var one = EmbedTexts(texts, "mean");
        var three = EmbedTexts(texts, "mean", threads: 3);
        Assert.Equal(one.Data, three.Data);
        for (int i = 0; i < texts.Length; i++)
        {
            var ids = texts[i].Split(' ').Select(w => 5f + Array.IndexOf(words, w)).Prepend(2f).Append(3f).ToArray();
            Assert.Equal(ids.Sum() / ids.Length, three[i, 0], 5);
        }
    }

    [Fact]
    public void TextsBecomeClsWordsSepAndPoolingCountsOnlyAttendedTokens()
    {
        // ids: [CLS] 2, [SEP] 3, the 5, cat 6, sat 7, on 8, mat 9. Batches of 2 sorted by length pad the shorter text.
        string[] texts = ["The CAT sat", "cat", "the cat sat on the mat", "dog"];
        var cls = EmbedTexts(texts, "cls");
        for (int i = 0; i < texts.Length; i++) Assert.Equal([2f, 1f, 0f], cls.Row(i).ToArray());
        var mean = EmbedTexts(texts, "mean");
        Assert.Equal([(2 + 5 + 6 + 7 + 3) / 5f, 1f, 0f], mean.Row(0).ToArray());
        Assert.Equal([(2 + 6 + 3) / 3f, 1f, 0f], mean.Row(1).ToArray());
        Assert.Equal([(2 + 5 + 6 + 7 + 8 + 5 + 9 + 3) / 8f, 1f, 0f], mean.Row(2).ToArray());
        Assert.Equal([(2 + 1 + 3) / 3f, 1f, 0f], mean.Row(3).ToArray()); // unknown word: [UNK] 1

        // Truncation keeps [CLS] and [SEP]: max 4 → [CLS] the cat [SEP].
        var truncated = EmbedTexts(["the cat sat on the mat"], "mean", maxLength: 4);
        Assert.Equal([(2 + 5 + 6 + 3) / 4f, 1f, 0f], truncated.Row(0).ToArray());

        var normalized = EmbedTexts(["cat"], "mean", normalize: true, withTypes: false);
        double norm = Math.Sqrt(Math.Pow(11 / 3.0, 2) + 1 + 1);
        Assert.Equal([(float)(11 / 3.0 / norm), (float)(1 / norm), (float)(1 / norm)], normalized.Row(0).ToArray());
    }

    [Fact]
    public void CasedVocabularyKeepsCapitals()
    {
        var cased = EmbedTexts(["The cat"], "mean", lowercase: false);
        Assert.Equal([(2 + 1 + 6 + 3) / 4f, 1f, 0f], cased.Row(0).ToArray()); // "The" is unknown when case is kept
    }

    /// <summary>
    /// The token axis is as long as the batch's padding, so flattening it (pooling none) is refused on the first batch; it
    /// had been refused only when two batches' widths differed, and two texts padded alike had been written flattened.
    /// </summary>
    [Fact]
    public void TokenAxisThatVariesCannotBeFlattened()
    {
        foreach (int threads in new[] { 1, 3 })
        {
            var e = Assert.Throws<RepDiffInputException>(() => EmbedTexts(["cat", "the cat sat on the mat", "cat", "cat"], "none", threads: threads));
            Assert.Contains("whose token axis is the batch's padded length; choose cls or mean pooling", e.Message);
        }
        var alike = Assert.Throws<RepDiffInputException>(() => EmbedTexts(["the cat", "the mat"], "none"));
        Assert.Contains("whose token axis is the batch's padded length", alike.Message);
    }

    /// <summary>A Hugging Face tokenizer.json with a WordPiece model gives the same ids as the vocab.txt it was made from.</summary>
    [Fact]
    public void TokenizerJsonMatchesItsVocabulary()
    {
        string dir = TestData.TempDir();
        string[] tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "##s"];
        string vocab = string.Join(", ", tokens.Select((t, i) => $"\"{t}\": {i}"));
        string added = string.Join(", ", tokens.Take(5).Select((t, i) => $$"""{"id": {{i}}, "content": "{{t}}", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}"""));
        string json = $$"""
            {
              "version": "1.0", "truncation": null, "padding": null,
              "added_tokens": [{{added}}],
              "normalizer": { "type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true },
              "pre_tokenizer": { "type": "BertPreTokenizer" },
              "post_processor": {
                "type": "TemplateProcessing",
                "single": [{ "SpecialToken": { "id": "[CLS]", "type_id": 0 } }, { "Sequence": { "id": "A", "type_id": 0 } }, { "SpecialToken": { "id": "[SEP]", "type_id": 0 } }],
                "pair": [],
                "special_tokens": { "[CLS]": { "id": "[CLS]", "ids": [2], "tokens": ["[CLS]"] }, "[SEP]": { "id": "[SEP]", "ids": [3], "tokens": ["[SEP]"] } }
              },
              "decoder": { "type": "WordPiece", "prefix": "##", "cleanup": true },
              "model": { "type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": { {{vocab}} } }
            }
            """;
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), json);
        string[] texts = ["The cats sat on the mat", "Mät"];
        Matrix Run(TextPreprocessing text)
        {
            using var embedder = Embedder.Open(new ModelDescription { Model = TinyOnnx.TokenEcho(dir), Pooling = "mean", Text = text with { MaxLength = 16 } }, new EmbedderOptions { Threads = 1 });
            return embedder.EmbedTexts(texts);
        }
        var fromJson = Run(new TextPreprocessing { Tokenizer = Path.Combine(dir, "tokenizer.json") });
        var fromVocab = Run(new TextPreprocessing { Vocab = TinyOnnx.Vocab(dir, tokens[5..]) });
        Assert.Equal(fromVocab.Data, fromJson.Data);
        Assert.Equal((2 + 5 + 6 + 10 + 7 + 8 + 5 + 9 + 3) / 9f, fromJson[0, 0]);

        // A broken one is named in its own fields, not in the tokenizer library's .NET types.
        foreach (var (broken, expected) in new[]
        {
            (json.Replace("\"unk_token\": \"[UNK]\"", "\"unk_token\": 7"), "'model.unk_token' does not hold the kind of value a tokenizer.json has there"),
            (json.Replace("\"version\": \"1.0\", ", ""), "it lacks the fields 'Version'"),
            // MPNet's post-processor: its ids wrapped in [CLS] … [SEP] would be ids it was not trained with, silently.
            (json.Replace(json[json.IndexOf("\"post_processor\"")..json.IndexOf("\"decoder\"")],
                "\"post_processor\": { \"type\": \"RobertaProcessing\", \"sep\": [\"</s>\", 2], \"cls\": [\"<s>\", 0], \"trim_offsets\": true, \"add_prefix_space\": false },\n"),
                "its post-processor (RobertaProcessing) wraps texts in <s> … </s>, but RepDiff's WordPiece tokenizer wraps them in [CLS] … [SEP]"),
            (json.Replace("{ \"SpecialToken\": { \"id\": \"[CLS]\", \"type_id\": 0 } }, ", ""), "(TemplateProcessing) wraps texts in nothing … [SEP]"),
            (json.Replace(", { \"SpecialToken\": { \"id\": \"[SEP]\", \"type_id\": 0 } }", ""), "(TemplateProcessing) wraps texts in [CLS] … nothing"),
            (json.Replace(json[json.IndexOf("\"post_processor\"")..json.IndexOf("\"decoder\"")], "\"post_processor\": null,\n"), "its WordPiece model has no post_processor"),
        })
        {
            string path = Path.Combine(dir, "broken.json");
            File.WriteAllText(path, broken);
            var e = Assert.Throws<RepDiffInputException>(() => Run(new TextPreprocessing { Tokenizer = path }));
            Assert.Contains(expected, e.Message);
            Assert.DoesNotContain("FastBertTokenizer", e.Message);
        }
    }

    /// <summary>An output with an axis of length 0 was written as an embedding of no columns; one of shape [batch] was said to lack a batch axis.</summary>
    [Fact]
    public void OutputsWithoutFeaturesAreNamedAsSuch()
    {
        var empty = Assert.Throws<RepDiffInputException>(() => Pooling.Pool([], [5, 0, 8, 8], 5, "auto", [], false, "y", "m.onnx"));
        Assert.Equal("m.onnx: output 'y' has shape [5, 0, 8, 8]: no values per sample", empty.Message);
        var flat = Assert.Throws<RepDiffInputException>(() => Pooling.Pool(new float[5], [5], 5, "none", [], false, "y", "m.onnx"));
        Assert.Equal("m.onnx: output 'y' has shape [5]: one value per sample, no feature axis; name an output or --layer with features", flat.Message);
        // compare's side B names its own layer flag.
        var flatB = Assert.Throws<RepDiffInputException>(() => Pooling.Pool(new float[5], [5], 5, "none", [], false, "y", "m.onnx", new ModelFlagNames { Layer = "--layer-b" }));
        Assert.EndsWith("name an output or --layer-b with features", flatB.Message);
    }

    /// <summary>
    /// A text layer is averaged over each text's own tokens: [batch, tokens, features] is; attention scores [batch, heads,
    /// tokens, tokens] or a per-head reshape [batch, tokens, heads, dim] would take the padding in (a text's vector then hung on
    /// its batch) and are refused; an image's feature map [batch, channels, h, w] (no mask) is averaged over its area.
    /// </summary>
    [Fact]
    public void ATextLayerMustHaveTheTokenAxisSecond()
    {
        long[] mask = [1, 1, 0, 1, 1, 1]; // two texts of three tokens, the first padded by one
        var pooled = Pooling.Pool([1, 2, 3, 4, 100, 100, 5, 6, 7, 8, 9, 10], [2, 3, 2], 2, "mean", mask, false, "h", "m.onnx");
        Assert.Equal([2, 3, 7, 8], pooled);
        foreach (long[] shape in new long[][] { [2, 2, 3, 3], [2, 3, 2, 1] })
        {
            var e = Assert.Throws<RepDiffInputException>(() => Pooling.Pool(new float[shape.Aggregate(1L, (a, b) => a * b)], shape, 2, "mean", mask, false, "h", "m.onnx"));
            Assert.Equal($"m.onnx: output 'h' is [{string.Join(", ", shape)}]: a text model's layer is averaged over each text's own tokens, which takes [batch, tokens, features] with tokens = 3 here (attention scores or a per-head reshape are not); choose a hidden state", e.Message);
        }
        Assert.Equal([2.5f, 6.5f], Pooling.Pool([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2], 1, "mean", [], false, "map", "m.onnx"));
    }

    /// <summary>
    /// A text model exported at one sequence length takes every batch padded to it: batches padded to their longest text
    /// failed in ONNX Runtime's words ("Got: 15 Expected: 8") after embedding had begun. A max_length above it is refused
    /// before any text is read.
    /// </summary>
    [Fact]
    public void ATextModelOfFixedLengthGetsEveryBatchPaddedToIt()
    {
        string dir = TestData.TempDir();
        string vocab = TinyOnnx.Vocab(dir, "the", "cat", "sat");
        string[] texts = ["the cat sat", "cat", "the the cat cat sat sat"];
        Matrix Run(string model, int batchSize)
        {
            using var embedder = Embedder.Open(new ModelDescription { Model = model, Pooling = "mean", Text = new TextPreprocessing { Vocab = vocab, MaxLength = 8 } },
                new EmbedderOptions { Threads = 1, BatchSize = batchSize });
            return embedder.EmbedTexts(texts);
        }
        var dynamic = Run(TinyOnnx.TokenEcho(dir), 2);
        Assert.Equal(dynamic.Data, Run(TinyOnnx.TokenEcho(dir, fixedTokens: 8), 1).Data);   // mean over attended tokens: padding adds nothing
        Assert.Equal(dynamic.Data, Run(TinyOnnx.TokenEcho(dir, fixedTokens: 8), 3).Data);

        var e = Assert.Throws<RepDiffInputException>(() => Embedder.Open(new ModelDescription { Model = TinyOnnx.TokenEcho(dir, fixedTokens: 8), Pooling = "mean", Text = new TextPreprocessing { Vocab = vocab } }));
        Assert.EndsWith("input 'input_ids' takes exactly 8 tokens per text, fewer than max_length 512; give --max-length 8", e.Message);
    }
}
