using System.Text.Json.Serialization;

namespace RepDiff.Embedding;

/// <summary>
/// How a text becomes token ids: a WordPiece vocabulary (vocab.txt) or a Hugging Face tokenizer.json
/// (WordPiece or BPE models), lower-casing, truncation to <see cref="MaxLength"/> tokens, and the names of the
/// model inputs that take the ids, the attention mask and the token type ids.
/// </summary>
public sealed record TextPreprocessing
{
    [JsonPropertyName("vocab")] public string? Vocab { get; init; }
    [JsonPropertyName("tokenizer")] public string? Tokenizer { get; init; }

    /// <summary>Lower-case (and strip accents) before WordPiece, as uncased BERT models need; vocab.txt only (tokenizer.json says itself).</summary>
    [JsonPropertyName("lowercase")] public bool? Lowercase { get; init; }

    /// <summary>Tokens per text, [CLS] and [SEP] included; longer texts are truncated.</summary>
    [JsonPropertyName("max_length")] public int? MaxLength { get; init; }

    [JsonPropertyName("input_ids")] public string? InputIds { get; init; }
    [JsonPropertyName("attention_mask")] public string? AttentionMask { get; init; }
    [JsonPropertyName("token_type_ids")] public string? TokenTypeIds { get; init; }

    public TextPreprocessing Over(TextPreprocessing? defaults) => defaults is null ? this : new()
    {
        Vocab = Vocab ?? defaults.Vocab,
        Tokenizer = Tokenizer ?? defaults.Tokenizer,
        Lowercase = Lowercase ?? defaults.Lowercase,
        MaxLength = MaxLength ?? defaults.MaxLength,
        InputIds = InputIds ?? defaults.InputIds,
        AttentionMask = AttentionMask ?? defaults.AttentionMask,
        TokenTypeIds = TokenTypeIds ?? defaults.TokenTypeIds,
    };

    /// <summary>Unset fields at their defaults: lower-case, 512 tokens, the usual Hugging Face input names.</summary>
    public TextPreprocessing WithDefaults() => Over(new TextPreprocessing
    {
        Lowercase = true,
        MaxLength = 512,
        InputIds = "input_ids",
        AttentionMask = "attention_mask",
        TokenTypeIds = "token_type_ids",
    });
}
