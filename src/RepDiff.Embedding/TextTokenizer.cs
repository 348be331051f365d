using RepDiff.IO;
using System.Text;
using FastBertTokenizer;
using RepDiff;

namespace RepDiff.Embedding;

/// <summary>
/// Tokenization of texts: WordPiece with FastBertTokenizer (a vocab.txt, one token per line with [UNK], [CLS]
/// and [SEP], or a Hugging Face tokenizer.json whose model is WordPiece; texts become [CLS] … [SEP]), or a
/// tokenizer.json whose model is BPE with Microsoft.ML.Tokenizers (<see cref="BpeTextTokenizer"/>; the
/// special tokens are the post-processor's). Truncated to the maximum length. Not thread-safe: one instance
/// per producing thread.
/// </summary>
internal sealed class TextTokenizer
{
    private readonly BertTokenizer tokenizer = new();
    private readonly long[] maskScratch, typesScratch, wideScratch;

    private readonly bool stripAccents;
    private readonly BpeTextTokenizer? bpe;

    public int MaxLength { get; }
    public long PadId { get; }

    public TextTokenizer(TextPreprocessing spec, ModelDescription description)
    {
        MaxLength = spec.MaxLength!.Value;
        // One slot past MaxLength: a text that fills it had more tokens than the model takes (Encode's truncated).
        (maskScratch, typesScratch, wideScratch) = (new long[MaxLength + 1], new long[MaxLength + 1], new long[MaxLength + 1]);
        if (spec.Vocab is not null)
        {
            string path = description.PathOf(spec.Vocab)!;
            var lines = SampleFiles.ReadStrictUtf8Lines(path).ToList();
            foreach (string required in new[] { "[UNK]", "[CLS]", "[SEP]" })
                if (!lines.Contains(required)) throw RepDiffInputException.ForFile(path, $"not a WordPiece vocabulary: it has no {required} token");
            if (lines.Count(l => l.Length > 0) < 5) throw RepDiffInputException.ForFile(path, "not a WordPiece vocabulary: fewer than 5 tokens");
            PadId = Math.Max(0, lines.IndexOf("[PAD]"));
            stripAccents = spec.Lowercase ?? true;
            try { tokenizer.LoadVocabulary(new StringReader(string.Join('\n', lines)), spec.Lowercase ?? true); }
            catch (Exception e) when (e is not OutOfMemoryException) { throw RepDiffInputException.ForFile(path, $"not a usable WordPiece vocabulary ({e.Message})"); }
        }
        else
        {
            string path = description.PathOf(spec.Tokenizer)!;
            if (!File.Exists(path)) throw RepDiffInputException.ForFile(path, "tokenizer file not found");
            var bytes = InputFile.ReadAllBytes(path, "its tokenizer", memoryFactor: 4);
            System.Text.Json.JsonDocument json;
            try { json = System.Text.Json.JsonDocument.Parse(bytes, new System.Text.Json.JsonDocumentOptions { MaxDepth = 64 }); }
            catch (System.Text.Json.JsonException e) { throw RepDiffInputException.ForFile(path, $"not a tokenizer.json: not valid JSON ({RepDiff.IO.JsonErrorText.Of(e)})"); }
            using (json)
            {
                string kind = ModelKind(json.RootElement, path);
                try
                {
                    if (kind == "BPE")
                    {
                        bpe = BpeTextTokenizer.Load(json.RootElement, path);
                        PadId = bpe.PadId;
                        if (bpe.SpecialCount >= MaxLength) throw RepDiffInputException.ForFile(path, $"puts {bpe.SpecialCount} special tokens around each text, leaving no room within max_length {MaxLength}");
                    }
                    else
                    {
                        RefuseOtherSpecialTokens(json.RootElement, path);
                        using (var stream = new MemoryStream(bytes, writable: false)) tokenizer.LoadTokenizerJson(stream);
                        stripAccents = StripsAccents(json.RootElement);
                    }
                }
                catch (Exception e) when (e is not (RepDiffInputException or OutOfMemoryException or IOException))
                {
                    throw RepDiffInputException.ForFile(path, $"not a {kind} tokenizer.json RepDiff can read ({ReasonOf(e)})");
                }
            }
        }
    }

    /// <summary>
    /// Why a tokenizer.json did not load, in its own fields' names: the tokenizer library's deserializer names its .NET
    /// types ("could not be converted to FastBertTokenizer.TokenizerJson+ModelSection. Path: $.model.unk_token").
    /// </summary>
    private static string ReasonOf(Exception e)
    {
        if (e is not System.Text.Json.JsonException json) return ModelSession.FirstLine(e.Message);
        const string Missing = "missing required properties including: ";
        int missing = json.Message.IndexOf(Missing, StringComparison.Ordinal);
        if (missing >= 0) return "it lacks the fields " + JsonErrorText.Message(json)[(missing + Missing.Length)..];
        if (json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) && json.Path is { Length: > 2 } at)
            return $"{JsonErrorText.Place(json)}'{at[2..]}' does not hold the kind of value a tokenizer.json has there";
        return JsonErrorText.Of(json);
    }

    /// <summary>
    /// The tokenizer.json model kind RepDiff runs: WordPiece (FastBertTokenizer) or BPE (Microsoft.ML.Tokenizers);
    /// older files without "type" are recognized by their fields. Other kinds are refused.
    /// </summary>
    private static string ModelKind(System.Text.Json.JsonElement root, string path)
    {
        if (root.ValueKind != System.Text.Json.JsonValueKind.Object || !root.TryGetProperty("model", out var model) || model.ValueKind != System.Text.Json.JsonValueKind.Object)
            throw RepDiffInputException.ForFile(path, "not a tokenizer.json: it has no \"model\" object");
        string? type = model.TryGetProperty("type", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String ? t.GetString()
            : model.TryGetProperty("merges", out _) ? "BPE"
            : model.TryGetProperty("max_input_chars_per_word", out _) ? "WordPiece"
            : model.TryGetProperty("vocab", out var v) && v.ValueKind == System.Text.Json.JsonValueKind.Array ? "Unigram" : null;
        return type switch
        {
            "WordPiece" or "BPE" => type,
            null => throw RepDiffInputException.ForFile(path, "tokenizer.json model has no \"type\" and is not recognizable; RepDiff reads WordPiece and BPE tokenizers"),
            _ => throw RepDiffInputException.ForFile(path, $"is a Hugging Face {type} tokenizer; RepDiff reads WordPiece and BPE tokenizer.json files (and WordPiece vocab.txt)"),
        };
    }

    /// <summary>
    /// The WordPiece tokenizer wraps every text in [CLS] … [SEP], as BERT's post-processor does. A WordPiece model whose
    /// post-processor adds other tokens (MPNet's RobertaProcessing: &lt;s&gt; … &lt;/s&gt;) would be fed ids it was not
    /// trained with, silently, so it is refused naming the tokens it wants.
    /// </summary>
    private static void RefuseOtherSpecialTokens(System.Text.Json.JsonElement root, string path)
    {
        // Without one, the tokenizer library fails with a null reference; said here in the file's own terms.
        if (!root.TryGetProperty("post_processor", out var post) || post.ValueKind != System.Text.Json.JsonValueKind.Object)
            throw RepDiffInputException.ForFile(path, "its WordPiece model has no post_processor, so which special tokens the model expects is not said; "
                + "give the model's vocab.txt if it is a BERT-family model ([CLS] … [SEP])");
        string? type = post.TryGetProperty("type", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String ? t.GetString() : null;
        var (first, last) = type switch
        {
            "RobertaProcessing" or "BertProcessing" => (TokenOf(post, "cls"), TokenOf(post, "sep")),
            "TemplateProcessing" => TemplateEnds(post),
            _ => ("[CLS]", "[SEP]"), // another kind fails in the tokenizer library, with its own reason
        };
        if ((first, last) == ("[CLS]", "[SEP]")) return;
        string wraps = first is null && last is null ? "adds no special tokens around texts" : $"wraps texts in {first ?? "nothing"} … {last ?? "nothing"}";
        throw RepDiffInputException.ForFile(path, $"its post-processor ({type}) {wraps}, but RepDiff's WordPiece tokenizer wraps them in [CLS] … [SEP], "
            + "so this model would get ids it was not trained with; RepDiff runs BERT-family WordPiece models");
    }

    /// <summary>The token of a ["&lt;s&gt;", 0] pair, as Bert/RobertaProcessing give "cls" and "sep".</summary>
    private static string? TokenOf(System.Text.Json.JsonElement post, string field)
        => post.TryGetProperty(field, out var pair) && pair.ValueKind == System.Text.Json.JsonValueKind.Array && pair.GetArrayLength() > 0
            && pair[0].ValueKind == System.Text.Json.JsonValueKind.String ? pair[0].GetString() : null;

    /// <summary>The special tokens a TemplateProcessing's single-text template puts before the text and after it (null: none).</summary>
    private static (string? Before, string? After) TemplateEnds(System.Text.Json.JsonElement post)
    {
        if (!post.TryGetProperty("single", out var single) || single.ValueKind != System.Text.Json.JsonValueKind.Array) return (null, null);
        string? before = null, after = null;
        bool textSeen = false;
        foreach (var item in single.EnumerateArray().Where(item => item.ValueKind == System.Text.Json.JsonValueKind.Object))
        {
            if (item.TryGetProperty("Sequence", out _)) { textSeen = true; continue; }
            if (!item.TryGetProperty("SpecialToken", out var special)) continue;
            string? id = special.TryGetProperty("id", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
            if (textSeen) after ??= id; else before ??= id;
        }
        return (before, after);
    }

    /// <summary>A BertNormalizer strips accents when it says so, or (strip_accents null) when it lower-cases.</summary>
    private static bool StripsAccents(System.Text.Json.JsonElement root)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind != System.Text.Json.JsonValueKind.Object) return false;
        bool lowercase = normalizer.TryGetProperty("lowercase", out var l) && l.ValueKind == System.Text.Json.JsonValueKind.True;
        if (normalizer.TryGetProperty("strip_accents", out var s) && s.ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
            return s.ValueKind == System.Text.Json.JsonValueKind.True;
        return lowercase;
    }

    /// <summary>
    /// Writes the ids of one text (at most MaxLength) into <paramref name="ids"/> and returns how many; <paramref name="truncated"/>
    /// says whether the text had more tokens, cut off as Hugging Face truncates (its first tokens, then the closing ones).
    /// </summary>
    public int Encode(string text, Span<long> ids, out bool truncated)
    {
        if (bpe is not null) return bpe.Encode(text, ids[..MaxLength], out truncated);
        if (stripAccents) text = AccentFolding.Fold(text);
        int count = tokenizer.Encode(text, ids[..MaxLength], maskScratch.AsSpan(0, MaxLength), typesScratch.AsSpan(0, MaxLength), padTo: null);
        truncated = false;
        if (count < MaxLength) return count;
        // It filled every slot: encoded again with one slot more, a text that fits exactly still ends there.
        truncated = tokenizer.Encode(text, wideScratch, maskScratch, typesScratch, padTo: null) > MaxLength;
        return count;
    }
}
