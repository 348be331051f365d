namespace RepDiff.Embedding;

/// <summary>
/// Defaults for common ONNX exports, named by a description's "preset" or `--preset`. Each fills only
/// what that export fixes; the description still names the model file and, for texts, the vocabulary.
/// </summary>
public static class ModelPresets
{
    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f], ImageNetStd = [0.229f, 0.224f, 0.225f];
    private static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f], ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    private static readonly Dictionary<string, ModelDescription> All = new(StringComparer.OrdinalIgnoreCase)
    {
        // Hugging Face ViT / DINOv2 (Optimum export): pixel_values -> last_hidden_state, CLS token.
        ["hf-vit"] = new()
        {
            Input = "pixel_values", Output = "last_hidden_state", Pooling = "cls",
            Image = new() { Size = [224, 224], Resize = "shorter-side", ResizeTo = 256, Interpolation = "bicubic", Scale = 1f / 255, Mean = ImageNetMean, Std = ImageNetStd },
        },
        // CLIP's vision tower with projection (CLIPVisionModelWithProjection): image_embeds, already pooled.
        ["clip-image"] = new()
        {
            Input = "pixel_values", Output = "image_embeds", Pooling = "none",
            Image = new() { Size = [224, 224], Resize = "shorter-side", ResizeTo = 224, Interpolation = "bicubic", Scale = 1f / 255, Mean = ClipMean, Std = ClipStd },
        },
        // CLIP's text tower with projection (CLIPTextModelWithProjection): text_embeds, already pooled.
        ["clip-text"] = new()
        {
            Output = "text_embeds", Pooling = "none",
            Text = new() { MaxLength = 77, InputIds = "input_ids", AttentionMask = "attention_mask", TokenTypeIds = "" },
        },
        // sentence-transformers BERT-family encoders (all-MiniLM, mpnet, e5, bge exported by Optimum): mean over attended tokens.
        ["sentence-transformers"] = new()
        {
            Output = "last_hidden_state", Pooling = "mean", Normalize = true,
            Text = new() { MaxLength = 256, Lowercase = true },
        },
        // ResNet-style CNNs (torchvision export): the last feature map averaged over its spatial axes.
        ["resnet"] = new()
        {
            Pooling = "mean",
            Image = new() { Size = [224, 224], Resize = "shorter-side", ResizeTo = 256, Interpolation = "bilinear", Scale = 1f / 255, Mean = ImageNetMean, Std = ImageNetStd },
        },
    };

    static ModelPresets() => All["dinov2"] = All["hf-vit"];

    public static IEnumerable<string> Names => All.Keys.Order(StringComparer.Ordinal);

    /// <summary>The preset's partial description, or null for an unknown name.</summary>
    public static ModelDescription? Find(string name) => All.GetValueOrDefault(name);
}
