using RepDiff.Embedding;

namespace RepDiff.Tests.Embedding;

/// <summary>
/// Hugging Face tokenizer.json files with a BPE model (written here, small enough to work out by hand):
/// merges applied lowest rank first, byte-level spaces (Ġ), CLIP's end-of-word suffix, the post-processor's
/// special tokens, truncation, padding id; and the kinds RepDiff refuses.
/// </summary>
public class BpeTokenizerTests
{
    private static string Write(string json)
    {
        string path = Path.Combine(TestData.TempDir(), "tokenizer.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static long[] Encode(string path, string text, int maxLength = 32) => Encode(path, text, maxLength, out _);

    private static long[] Encode(string path, string text, int maxLength, out bool truncated)
    {
        var tokenizer = new TextTokenizer(new TextPreprocessing { Tokenizer = path, MaxLength = maxLength }, new ModelDescription());
        var ids = new long[maxLength];
        int count = tokenizer.Encode(text, ids, out truncated);
        return ids[..count];
    }

    private static string Vocab(params string[] tokens) => string.Join(", ", tokens.Select((t, i) => $"\"{t}\": {i}"));

    private static string Merges(params string[] merges) => string.Join(", ", merges.Select(m => $"\"{m}\""));

    /// <summary>RoBERTa-style: byte-level pre-tokenizer (a space becomes Ġ on the next word), &lt;s&gt; … &lt;/s&gt;.</summary>
    private static string Roberta(string merges) => $$"""
        {
          "version": "1.0", "truncation": null, "padding": null,
          "added_tokens": [
            { "id": 0, "content": "<s>", "special": true }, { "id": 1, "content": "<pad>", "special": true },
            { "id": 2, "content": "</s>", "special": true }, { "id": 3, "content": "<unk>", "special": true }
          ],
          "normalizer": null,
          "pre_tokenizer": { "type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true },
          "post_processor": { "type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0], "trim_offsets": true, "add_prefix_space": false },
          "decoder": { "type": "ByteLevel" },
          "model": {
            "type": "BPE", "dropout": null, "unk_token": "<unk>", "continuing_subword_prefix": "", "end_of_word_suffix": "", "fuse_unk": false,
            "vocab": { {{Vocab("<s>", "<pad>", "</s>", "<unk>", "l", "o", "w", "e", "r", "Ġ", "Ġl", "Ġlo", "Ġlow", "lo", "low", "er", "Ġlower")}} },
            "merges": [ {{merges}} ]
          }
        }
        """;

    [Fact]
    public void ByteLevelBpeMergesLowestRankFirst()
    {
        // ids: <s> 0, </s> 2, low 14, er 15, Ġlow 12, Ġlower 16.
        string path = Write(Roberta(Merges("Ġ l", "Ġl o", "Ġlo w", "l o", "lo w", "e r", "Ġlow er")));
        Assert.Equal([0L, 14, 16, 2], Encode(path, "low lower"));
        Assert.Equal([0L, 14, 15, 12, 2], Encode(path, "lower low")); // no merge "low er": only the word after a space becomes one token
        // Pairs in the newer format (["a", "b"]) mean the same.
        string pairs = Write(Roberta("""["Ġ", "l"], ["Ġl", "o"], ["Ġlo", "w"], ["l", "o"], ["lo", "w"], ["e", "r"], ["Ġlow", "er"]"""));
        Assert.Equal([0L, 14, 16, 2], Encode(pairs, "low lower"));
    }

    [Fact]
    public void TruncationKeepsTheSpecialTokensAndThePadIdIsTheFiles()
    {
        string path = Write(Roberta(Merges("Ġ l", "Ġl o", "Ġlo w", "l o", "lo w", "e r", "Ġlow er")));
        Assert.Equal([0L, 14, 15, 2], Encode(path, "lower low", 4, out bool truncated));
        // Truncated exactly when the whole text has more tokens than fit, and not when they fit exactly.
        int whole = Encode(path, "lower low").Length;
        Assert.Equal(whole > 4, truncated);
        Encode(path, "lower low", whole, out truncated);
        Assert.False(truncated);
        Assert.Equal([0L, 14, 2], Encode(path, "lower low", 3, out truncated));
        Assert.True(truncated);
        var tokenizer = new TextTokenizer(new TextPreprocessing { Tokenizer = path, MaxLength = 8 }, new ModelDescription());
        Assert.Equal(1, tokenizer.PadId); // <pad>, as RoBERTa's position ids need
    }

    /// <summary>CLIP-style: lower-case, split on a regex keeping its matches, byte-level without its own regex, "&lt;/w&gt;" ending words.</summary>
    [Fact]
    public void ClipStyleEndOfWordSuffixAndTemplate()
    {
        string path = Write($$"""
            {
              "version": "1.0",
              "added_tokens": [ { "id": 0, "content": "<|startoftext|>", "special": true }, { "id": 1, "content": "<|endoftext|>", "special": true } ],
              "normalizer": { "type": "Sequence", "normalizers": [ { "type": "NFC" }, { "type": "Replace", "pattern": { "Regex": "\\s+" }, "content": " " }, { "type": "Lowercase" } ] },
              "pre_tokenizer": { "type": "Sequence", "pretokenizers": [
                { "type": "Split", "pattern": { "Regex": "[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" }, "behavior": "Removed", "invert": true },
                { "type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false } ] },
              "post_processor": {
                "type": "TemplateProcessing",
                "single": [ { "SpecialToken": { "id": "<|startoftext|>", "type_id": 0 } }, { "Sequence": { "id": "A", "type_id": 0 } }, { "SpecialToken": { "id": "<|endoftext|>", "type_id": 0 } } ],
                "pair": [],
                "special_tokens": { "<|startoftext|>": { "id": "<|startoftext|>", "ids": [0], "tokens": ["<|startoftext|>"] }, "<|endoftext|>": { "id": "<|endoftext|>", "ids": [1], "tokens": ["<|endoftext|>"] } }
              },
              "model": {
                "type": "BPE", "dropout": null, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "", "end_of_word_suffix": "</w>", "fuse_unk": false,
                "vocab": { {{Vocab("<|startoftext|>", "<|endoftext|>", "a", "c", "t", "a</w>", "t</w>", "ca", "cat</w>", "!</w>")}} },
                "merges": [ {{Merges("c a", "ca t</w>")}} ]
              }
            }
            """);
        // "A   Cat!" → "a cat!" → a | cat | ! → a</w> 5, cat</w> 8, !</w> 9.
        Assert.Equal([0L, 5, 8, 9, 1], Encode(path, "A   Cat!"));
    }

    /// <summary>NFC holds for text without combining marks; a decomposed text is refused (no Unicode normalization under invariant globalization).</summary>
    [Fact]
    public void NfcTextsPassAndDecomposedOnesAreRefused()
    {
        string path = Write($$"""
            {
              "normalizer": { "type": "NFC" },
              "pre_tokenizer": { "type": "WhitespaceSplit" },
              "post_processor": null,
              "model": { "type": "BPE", "unk_token": "?", "vocab": { {{Vocab("?", "é", "e", "́")}} }, "merges": [] }
            }
            """);
        Assert.Equal([1L, 2], Encode(path, "é e"));
        var e = Assert.Throws<RepDiffInputException>(() => Encode(path, "é"));
        Assert.Contains("combining marks", e.Message);
    }

    [Theory]
    [InlineData("""{ "model": { "type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", -1.0]] } }""", "Unigram tokenizer")]
    [InlineData("""{ "model": { "type": "WordLevel", "vocab": { "a": 0 }, "unk_token": "a" } }""", "WordLevel tokenizer")]
    [InlineData("""{ "model": { "unk_id": 0, "vocab": [["<unk>", 0.0]] } }""", "Unigram tokenizer")]
    [InlineData("""{ "normalizer": { "type": "Precompiled", "precompiled_charsmap": "" }, "model": { "type": "BPE", "vocab": { "a": 0 }, "merges": [] } }""", "Precompiled normalizer")]
    [InlineData("""{ "normalizer": { "type": "NFKC" }, "model": { "type": "BPE", "vocab": { "a": 0 }, "merges": [] } }""", "NFKC normalizer")]
    [InlineData("""{ "pre_tokenizer": { "type": "Metaspace", "replacement": "▁" }, "model": { "type": "BPE", "vocab": { "a": 0 }, "merges": [] } }""", "Metaspace pre-tokenizer")]
    [InlineData("""{ "model": { "type": "BPE", "byte_fallback": true, "vocab": { "a": 0 }, "merges": [] } }""", "byte_fallback")]
    [InlineData("""{ "model": { "type": "BPE", "vocab": { "a": 0 }, "merges": [] }, "post_processor": { "type": "RobertaProcessing" } }""", "\"cls\"")]
    [InlineData("""{ "model": 3 }""", "no \"model\" object")]
    [InlineData("""{ "model": { "type": "BPE", "vocab": { "a": 0 }, """, "not valid JSON")]
    public void OtherKindsAndPartsAreRefusedNamingThem(string json, string expected)
    {
        string path = Write(json);
        var e = Assert.Throws<RepDiffInputException>(() => Encode(path, "a"));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
