using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using RepDiff;

namespace RepDiff.Embedding;

/// <summary>
/// A Hugging Face tokenizer.json whose model is BPE (GPT-2, RoBERTa, CLIP, BART and similar), run by
/// Microsoft.ML.Tokenizers' BpeTokenizer. The parts of the file around the model are read here: the
/// normalizer (Lowercase, NFC on texts without combining marks, Replace, Strip, in a Sequence), the pre-tokenizer (ByteLevel,
/// Whitespace, WhitespaceSplit, BertPreTokenizer, and CLIP's Split + ByteLevel), and the special tokens the
/// post-processor puts around a single text (TemplateProcessing, RobertaProcessing, BertProcessing). Anything
/// else is refused with the component's name rather than tokenized differently from Hugging Face.
/// </summary>
internal sealed class BpeTextTokenizer
{
    // GPT-2's pre-tokenizer pattern (Hugging Face's ByteLevel with use_regex): contractions, letters, digits, other symbols, spaces.
    private const string ByteLevelPattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private readonly BpeTokenizer tokenizer;
    private readonly List<Func<string, string>> normalizers = [];
    private readonly bool addPrefixSpace;
    private readonly long[] prefix, suffix;

    public long PadId { get; }

    private BpeTextTokenizer(JsonElement root, string path)
    {
        var model = root.GetProperty("model");
        if (model.TryGetProperty("byte_fallback", out var fallback) && fallback.ValueKind == JsonValueKind.True)
            throw RepDiffInputException.ForFile(path, "is a BPE tokenizer with byte_fallback (Llama-style), which Microsoft.ML.Tokenizers' BPE does not do");
        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() > 0)
            throw RepDiffInputException.ForFile(path, "is a BPE tokenizer with dropout (random merges at encoding time); set \"dropout\" to null for embedding");
        if (!model.TryGetProperty("vocab", out var vocabJson) || vocabJson.ValueKind != JsonValueKind.Object)
            throw RepDiffInputException.ForFile(path, "BPE model has no \"vocab\" object");
        var vocab = new Dictionary<string, int>();
        foreach (var entry in vocabJson.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
                throw RepDiffInputException.ForFile(path, $"BPE vocab entry '{entry.Name}' has no non-negative integer id");
            vocab[entry.Name] = id;
        }
        if (vocab.Count == 0) throw RepDiffInputException.ForFile(path, "BPE model has an empty vocab");

        var specials = new Dictionary<string, int>();
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
            foreach (var token in added.EnumerateArray())
                if (token.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && token.TryGetProperty("id", out var tid) && tid.TryGetInt32(out int addedId))
                {
                    if (token.TryGetProperty("special", out var special) && special.ValueKind == JsonValueKind.True) specials[content.GetString()!] = addedId;
                    vocab.TryAdd(content.GetString()!, addedId);
                }

        ReadNormalizer(root.TryGetProperty("normalizer", out var normalizer) ? normalizer : default, path);
        var (preTokenizer, byteLevel, prefixSpace) = ReadPreTokenizer(root.TryGetProperty("pre_tokenizer", out var pre) ? pre : default, specials, path);
        addPrefixSpace = prefixSpace;
        (prefix, suffix) = ReadPostProcessor(root.TryGetProperty("post_processor", out var post) ? post : default, vocab, path);

        var options = new BpeOptions(vocab)
        {
            Merges = ReadMerges(model, path),
            UnknownToken = String(model, "unk_token"),
            ContinuingSubwordPrefix = String(model, "continuing_subword_prefix"),
            EndOfWordSuffix = String(model, "end_of_word_suffix"),
            FuseUnknownTokens = model.TryGetProperty("fuse_unk", out var fuse) && fuse.ValueKind == JsonValueKind.True,
            ByteLevel = byteLevel,
            PreTokenizer = preTokenizer,
            SpecialTokens = specials.Count > 0 ? specials : null,
        };
        try { tokenizer = BpeTokenizer.Create(options); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw RepDiffInputException.ForFile(path, $"BPE model cannot be built ({ModelSession.FirstLine(e.Message)})");
        }

        PadId = root.TryGetProperty("padding", out var padding) && padding.ValueKind == JsonValueKind.Object && padding.TryGetProperty("pad_id", out var padId) && padId.TryGetInt64(out long pad)
            ? pad
            : vocab.TryGetValue("<pad>", out int p1) ? p1 : vocab.TryGetValue("[PAD]", out int p2) ? p2 : 0;
    }

    public static BpeTextTokenizer Load(JsonElement root, string path) => new(root, path);

    /// <summary>Special tokens around each text: the post-processor's prefix plus suffix.</summary>
    public int SpecialCount => prefix.Length + suffix.Length;

    /// <summary>Writes prefix, the text's ids (truncated to fit, <paramref name="truncated"/> then) and suffix into <paramref name="ids"/>; returns how many.</summary>
    public int Encode(string text, Span<long> ids, out bool truncated)
    {
        foreach (var normalize in normalizers) text = normalize(text);
        if (addPrefixSpace && !text.StartsWith(' ')) text = " " + text;
        // The whole text is encoded and then cut, as Hugging Face truncates: exactly the first tokens that fit.
        var content = tokenizer.EncodeToIds(text);
        int kept = Math.Min(content.Count, ids.Length - SpecialCount);
        truncated = kept < content.Count;
        prefix.CopyTo(ids);
        for (int i = 0; i < kept; i++) ids[prefix.Length + i] = content[i];
        suffix.CopyTo(ids[(prefix.Length + kept)..]);
        return SpecialCount + kept;
    }

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> ReadMerges(JsonElement model, string path)
    {
        var merges = new List<string>();
        if (!model.TryGetProperty("merges", out var json) || json.ValueKind != JsonValueKind.Array) return merges;
        foreach (var merge in json.EnumerateArray())
        {
            // Either "a b" (older files) or ["a", "b"] (newer ones, which allow spaces inside tokens).
            if (merge.ValueKind == JsonValueKind.String) merges.Add(merge.GetString()!);
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2 && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
            {
                string a = merge[0].GetString()!, b = merge[1].GetString()!;
                if (a.Contains(' ') || b.Contains(' ')) throw RepDiffInputException.ForFile(path, $"BPE merge [\"{a}\", \"{b}\"] has a token with a space, which Microsoft.ML.Tokenizers' merge list cannot hold");
                merges.Add(a + " " + b);
            }
            else throw RepDiffInputException.ForFile(path, "BPE merges must be strings \"a b\" or pairs [\"a\", \"b\"]");
        }
        return merges;
    }

    private void ReadNormalizer(JsonElement normalizer, string path)
    {
        if (normalizer.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return;
        string type = TypeOf(normalizer, "normalizer", path);
        switch (type)
        {
            case "Sequence":
                foreach (var step in normalizer.GetProperty("normalizers").EnumerateArray()) ReadNormalizer(step, path);
                break;
            case "Lowercase": normalizers.Add(t => t.ToLowerInvariant()); break;
            // RepDiff runs with invariant globalization, where string.Normalize leaves non-ASCII text as it is. Text without
            // combining marks is (almost always) already in NFC, so NFC holds for it; a text with them is refused, not mis-tokenized.
            case "NFC": normalizers.Add(t => HasCombiningMark(t) ? throw RepDiffInputException.ForFile(path, "a text has combining marks that the tokenizer's NFC normalizer would compose, and RepDiff cannot apply Unicode normalization; compose the texts first (NFC)") : t); break;
            case "Strip":
            {
                bool left = !normalizer.TryGetProperty("strip_left", out var l) || l.ValueKind == JsonValueKind.True;
                bool right = !normalizer.TryGetProperty("strip_right", out var r) || r.ValueKind == JsonValueKind.True;
                normalizers.Add(t => left && right ? t.Trim() : left ? t.TrimStart() : right ? t.TrimEnd() : t);
                break;
            }
            case "Replace":
            {
                var pattern = normalizer.GetProperty("pattern");
                string replacement = String(normalizer, "content") ?? "";
                if (String(pattern, "String") is { } literal) normalizers.Add(t => t.Replace(literal, replacement, StringComparison.Ordinal));
                else if (String(pattern, "Regex") is { } regex) { var compiled = ParseRegex(regex, path); normalizers.Add(t => compiled.Replace(t, replacement)); }
                else throw RepDiffInputException.ForFile(path, "Replace normalizer has neither a String nor a Regex pattern");
                break;
            }
            default:
                throw RepDiffInputException.ForFile(path, $"has a {type} normalizer, which RepDiff does not apply (it applies Lowercase, NFC on texts without combining marks, Strip, Replace and Sequences of them)");
        }
    }

    private static bool HasCombiningMark(string text)
    {
        foreach (char c in text)
            if (c >= '\u0300' && System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark
                or System.Globalization.UnicodeCategory.SpacingCombiningMark or System.Globalization.UnicodeCategory.EnclosingMark)
                return true;
        return false;
    }

    private static (PreTokenizer? PreTokenizer, bool ByteLevel, bool AddPrefixSpace) ReadPreTokenizer(JsonElement pre, Dictionary<string, int> specials, string path)
    {
        var special = specials.Count > 0 ? specials : null;
        if (pre.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return (null, false, false);
        string type = TypeOf(pre, "pre_tokenizer", path);
        switch (type)
        {
            case "ByteLevel":
            {
                bool useRegex = !pre.TryGetProperty("use_regex", out var r) || r.ValueKind == JsonValueKind.True;
                bool prefixSpace = pre.TryGetProperty("add_prefix_space", out var s) && s.ValueKind == JsonValueKind.True;
                return (useRegex ? new RegexPreTokenizer(new Regex(ByteLevelPattern, RegexOptions.CultureInvariant), special) : null, true, prefixSpace);
            }
            case "Whitespace": return (PreTokenizer.CreateWordOrNonWord(special), false, false);
            case "WhitespaceSplit": return (PreTokenizer.CreateWhiteSpace(special), false, false);
            case "BertPreTokenizer": return (PreTokenizer.CreateWordOrPunctuation(special), false, false);
            case "Sequence":
            {
                // CLIP: Split on a regex that keeps its matches, then ByteLevel without its own regex.
                var steps = pre.GetProperty("pretokenizers").EnumerateArray().ToArray();
                if (steps is [var split, var byteLevel] && String(split, "type") == "Split" && String(byteLevel, "type") == "ByteLevel"
                    && String(split, "behavior") == "Removed" && split.TryGetProperty("invert", out var invert) && invert.ValueKind == JsonValueKind.True
                    && String(split.GetProperty("pattern"), "Regex") is { } pattern
                    && byteLevel.TryGetProperty("use_regex", out var useRegex) && useRegex.ValueKind == JsonValueKind.False)
                {
                    bool prefixSpace = byteLevel.TryGetProperty("add_prefix_space", out var s) && s.ValueKind == JsonValueKind.True;
                    return (new RegexPreTokenizer(ParseRegex(pattern, path), special), true, prefixSpace);
                }
                throw RepDiffInputException.ForFile(path, "has a Sequence pre-tokenizer other than CLIP's (Split keeping regex matches, then ByteLevel), which RepDiff does not apply");
            }
            default:
                throw RepDiffInputException.ForFile(path, $"has a {type} pre-tokenizer, which RepDiff does not apply with BPE (it applies ByteLevel, Whitespace, WhitespaceSplit, BertPreTokenizer and CLIP's Split + ByteLevel)");
        }
    }

    /// <summary>The special token ids the post-processor puts before and after a single text.</summary>
    private static (long[] Prefix, long[] Suffix) ReadPostProcessor(JsonElement post, Dictionary<string, int> vocab, string path)
    {
        if (post.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return ([], []);
        string type = TypeOf(post, "post_processor", path);
        switch (type)
        {
            case "ByteLevel": return ([], []); // offsets only
            case "RobertaProcessing" or "BertProcessing":
                return ([PairId(post, "cls", path)], [PairId(post, "sep", path)]);
            case "TemplateProcessing":
            {
                var before = new List<long>();
                var after = new List<long>();
                bool seenSequence = false;
                foreach (var piece in post.GetProperty("single").EnumerateArray())
                {
                    if (piece.TryGetProperty("Sequence", out _)) { seenSequence = true; continue; }
                    if (!piece.TryGetProperty("SpecialToken", out var special) || String(special, "id") is not { } name)
                        throw RepDiffInputException.ForFile(path, "TemplateProcessing has a piece that is neither a Sequence nor a SpecialToken");
                    var ids = TemplateIds(post, name, vocab, path);
                    (seenSequence ? after : before).AddRange(ids);
                }
                return (before.ToArray(), after.ToArray());
            }
            case "Sequence":
            {
                var before = new List<long>();
                var after = new List<long>();
                foreach (var step in post.GetProperty("processors").EnumerateArray())
                {
                    var (b, a) = ReadPostProcessor(step, vocab, path);
                    before.InsertRange(0, b);
                    after.AddRange(a);
                }
                return (before.ToArray(), after.ToArray());
            }
            default:
                throw RepDiffInputException.ForFile(path, $"has a {type} post-processor, which RepDiff does not apply (it applies TemplateProcessing, RobertaProcessing, BertProcessing and ByteLevel)");
        }
    }

    private static long PairId(JsonElement post, string name, string path)
    {
        if (post.TryGetProperty(name, out var pair) && pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2 && pair[1].TryGetInt64(out long id)) return id;
        throw RepDiffInputException.ForFile(path, $"post-processor has no [token, id] pair \"{name}\"");
    }

    private static IEnumerable<long> TemplateIds(JsonElement post, string name, Dictionary<string, int> vocab, string path)
    {
        if (post.TryGetProperty("special_tokens", out var table) && table.TryGetProperty(name, out var entry) && entry.TryGetProperty("ids", out var ids) && ids.ValueKind == JsonValueKind.Array)
            return ids.EnumerateArray().Select(i => i.GetInt64()).ToArray();
        if (vocab.TryGetValue(name, out int id)) return [id];
        throw RepDiffInputException.ForFile(path, $"TemplateProcessing names special token '{name}' with no id");
    }

    private static string TypeOf(JsonElement element, string what, string path)
        => element.ValueKind == JsonValueKind.Object && String(element, "type") is { } type ? type
            : throw RepDiffInputException.ForFile(path, $"{what} has no \"type\"");

    private static Regex ParseRegex(string pattern, string path)
    {
        try { return new Regex(pattern, RegexOptions.CultureInvariant); }
        catch (ArgumentException e) { throw RepDiffInputException.ForFile(path, $"regex '{pattern}' does not parse in .NET ({e.Message})"); }
    }
}
