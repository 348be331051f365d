using System.Text.Json;
using System.Text.Json.Serialization;
using RepDiff;
using RepDiff.IO;

namespace RepDiff.Embedding;

/// <summary>
/// What `repdiff embed` needs to know about an ONNX model: the file, which input takes the data and how
/// it is prepared (<see cref="Image"/> or <see cref="Text"/>), which tensor is the embedding and how it
/// is pooled. Written as a small JSON file beside the model (docs/embedding.md,
/// docs/model-description.schema.json); a <see cref="Preset"/> fills the fields a common export needs.
/// </summary>
public sealed record ModelDescription
{
    /// <summary>Display name in reports; default: the model file's name.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>The .onnx file, relative to the description's folder.</summary>
    [JsonPropertyName("model")] public string? Model { get; init; }

    /// <summary>A preset from <see cref="ModelPresets"/> whose values stand where this description sets none.</summary>
    [JsonPropertyName("preset")] public string? Preset { get; init; }

    /// <summary>Name of the image input tensor; default: the model's only input (an image model takes no other).</summary>
    [JsonPropertyName("input")] public string? Input { get; init; }

    /// <summary>The graph output that is the embedding; default: the model's first output.</summary>
    [JsonPropertyName("output")] public string? Output { get; init; }

    /// <summary>An intermediate tensor to expose as the output instead (the graph is edited in memory).</summary>
    [JsonPropertyName("layer")] public string? Layer { get; init; }

    /// <summary>
    /// "auto" (rank 2 as is, otherwise "mean"), "cls" (token 0 of [B, L, D]), "mean" (over tokens, counting
    /// only attended ones for texts, or over the spatial axes of [B, C, H, W]), "none" (flatten).
    /// </summary>
    [JsonPropertyName("pooling")] public string? Pooling { get; init; }

    /// <summary>Scale every embedding to unit L2 norm.</summary>
    [JsonPropertyName("normalize")] public bool? Normalize { get; init; }

    [JsonPropertyName("image")] public ImagePreprocessing? Image { get; init; }
    [JsonPropertyName("text")] public TextPreprocessing? Text { get; init; }

    /// <summary>Folder that relative paths in the description are relative to.</summary>
    [JsonIgnore] public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>How the command the user typed names this model's settings (<see cref="ModelFlagNames"/>), for the embedder's messages.</summary>
    [JsonIgnore] public ModelFlagNames Names { get; init; } = ModelFlagNames.Embed;

    /// <summary>True when the model takes texts (a text section is present), false for images.</summary>
    [JsonIgnore] public bool IsText => Text is not null;

    /// <summary>The model's name, and the layer it embeds when one is named: two layers of one model are told apart by it
    /// (the terminal, the report's A and B, the cached embeddings' file names).</summary>
    [JsonIgnore] public string DisplayName => (Name ?? (Model is null ? "model" : Path.GetFileNameWithoutExtension(Model))) + (Layer is null ? "" : $" layer {Layer}");

    /// <summary>Largest description file read: a real one is a few hundred bytes.</summary>
    public const long MaxBytes = 1 << 20;

    public static readonly IReadOnlyList<string> PoolingModes = ["auto", "cls", "mean", "none"];

    /// <summary>Reads a description file; relative paths in it are relative to its folder.</summary>
    public static ModelDescription Load(string path) => Read(path).Resolved(path);

    /// <summary>A description file as written, neither preset nor defaults applied (flags may still stand over it).</summary>
    internal static ModelDescription Read(string path)
    {
        // Through the shared reader: a FIFO there (as MODEL, --description or MODEL.json beside the .onnx) would make
        // File.ReadAllText wait forever, and it would read a file of any size whole.
        string text = InputFile.ReadAllText(path, MaxBytes, "a model description");
        return Deserialize(text, path) with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))! };
    }

    /// <summary>Parses description JSON; <paramref name="name"/> is how errors refer to it.</summary>
    public static ModelDescription Parse(string json, string name, string baseDirectory)
        => (Deserialize(json, name) with { BaseDirectory = baseDirectory }).Resolved(name);

    private static ModelDescription Deserialize(string json, string name)
    {
        ModelDescription? description;
        try { description = JsonSerializer.Deserialize(json, ModelDescriptionJson.Default.ModelDescription); }
        catch (JsonException e) { throw RepDiffInputException.ForFile(name, $"not a valid model description ({Describe(e)})"); }
        if (description is null) throw RepDiffInputException.ForFile(name, "not a valid model description (null)");
        return description;
    }

    /// <summary>
    /// A JSON error in the description's terms: System.Text.Json's messages name .NET types ("could not be converted to
    /// RepDiff.Embedding.ModelDescription") and count lines from 0, so they are rewritten to name the field, what it takes
    /// (or, for an unknown field, the fields there are) and the line and column, from 1.
    /// </summary>
    private static string Describe(JsonException e)
    {
        string at = JsonErrorText.Place(e);
        var unknown = System.Text.RegularExpressions.Regex.Match(e.Message, "^The JSON property '(.*)' could not be mapped to any .NET member contained in type '(.*)'");
        if (unknown.Success)
        {
            var type = new[] { typeof(ImagePreprocessing), typeof(TextPreprocessing) }.FirstOrDefault(t => t.FullName == unknown.Groups[2].Value) ?? typeof(ModelDescription);
            var section = ModelDescriptionJson.Default.GetTypeInfo(type);
            var fields = section?.Properties.Select(p => p.Name).Where(n => n is not (nameof(BaseDirectory) or nameof(IsText) or nameof(DisplayName) or nameof(Names))) ?? [];
            return $"{at}unknown field '{unknown.Groups[1].Value}' (fields: {string.Join(", ", fields)})";
        }
        string field = System.Text.RegularExpressions.Regex.Replace(e.Path ?? "$", @"\[\d+\]", "").TrimStart('$').TrimStart('.');
        if (e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            return field.Length == 0 ? $"{at}a model description is one JSON object" : $"{at}\"{field}\" must be {Expected(field)}";
        if (e.Message.StartsWith("The input does not contain any JSON tokens", StringComparison.Ordinal)) return "the file is empty";
        // A syntax error, or a message of our own (a size converter's).
        return JsonErrorText.Of(e);
    }

    /// <summary>What the field at a dotted path ("image.mean") takes, from the description's own types.</summary>
    private static string Expected(string field)
    {
        Type type = typeof(ModelDescription);
        foreach (string part in field.Split('.'))
        {
            var property = ModelDescriptionJson.Default.GetTypeInfo(type)?.Properties.FirstOrDefault(p => p.Name == part);
            if (property is null) return "of another type";
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }
        // "size" is read by a converter that takes either form.
        return type == typeof(int[]) ? "a whole number or [height, width]" : TypeNames.InWords(type.FullName!);
    }

    public string ToJson() => JsonSerializer.Serialize(this, ModelDescriptionJson.Default.ModelDescription);

    /// <summary>An image section and a text section together are refused, naming the description.</summary>
    internal void RequireOneKind(string name)
    {
        if (Image is not null && Text is not null) throw RepDiffInputException.ForFile(name, "a model description has either an image or a text section, not both");
    }

    /// <summary>The preset applied, defaults filled and every value checked; errors name <paramref name="name"/>.</summary>
    public ModelDescription Resolved(string name)
    {
        var d = this;
        if (Preset is not null)
        {
            var preset = ModelPresets.Find(Preset)
                ?? throw RepDiffInputException.ForFile(name, $"unknown preset '{Preset}' (known: {string.Join(", ", ModelPresets.Names)})");
            d = d with
            {
                Input = Input ?? preset.Input,
                Output = Output ?? preset.Output,
                Pooling = Pooling ?? preset.Pooling,
                Normalize = Normalize ?? preset.Normalize,
                Image = preset.Image is null ? Image : (Image ?? new()).Over(preset.Image),
                Text = preset.Text is null ? Text : (Text ?? new()).Over(preset.Text),
                Preset = null,
            };
        }
        d.RequireOneKind(name);
        // The name heads the report and the summary; an empty one would leave "keeps … together that  pulls apart".
        if (d.Name is { } given && string.IsNullOrWhiteSpace(given)) throw RepDiffInputException.ForFile(name, "\"name\" is empty; give the model a name, or leave the field out to use the model file's");
        d = d with
        {
            Pooling = d.Pooling ?? "auto",
            Normalize = d.Normalize ?? false,
            Image = d.Text is null ? (d.Image ?? new()).WithDefaults() : null,
            Text = d.Text?.WithDefaults(),
        };
        if (!PoolingModes.Contains(d.Pooling)) throw RepDiffInputException.ForFile(name, $"pooling '{d.Pooling}' is not one of {string.Join(", ", PoolingModes)}");
        if (d.Image is { } image) CheckImage(image, name);
        if (d.Text is { } text)
        {
            // Fields that would be ignored are refused, as their flags are: a text model is fed its token tensors.
            if (d.Input is not null) throw RepDiffInputException.ForFile(name, $"\"input\": \"{d.Input}\" names an image model's input tensor; a text model's inputs are named in its text section (input_ids, attention_mask, token_type_ids)");
            if (text.Vocab is null == text.Tokenizer is null) throw RepDiffInputException.ForFile(name, "the text section needs exactly one of \"vocab\" (vocab.txt) or \"tokenizer\" (tokenizer.json)");
            if (text.MaxLength is < 2 or > 65536) throw RepDiffInputException.ForFile(name, $"max_length {text.MaxLength} must be between 2 and 65536");
            if (string.IsNullOrEmpty(text.InputIds)) throw RepDiffInputException.ForFile(name, "input_ids must name the model input that takes the token ids");
        }
        return d;
    }

    private static void CheckImage(ImagePreprocessing image, string name)
    {
        if (image.Size is not [> 0 and <= 8192, > 0 and <= 8192]) throw RepDiffInputException.ForFile(name, "image size must be [height, width] with sides from 1 to 8192");
        if (image.Resize is not ("shorter-side" or "stretch" or "none")) throw RepDiffInputException.ForFile(name, $"resize '{image.Resize}' is not one of shorter-side, stretch, none");
        if (image.ResizeTo is <= 0 or > 16384) throw RepDiffInputException.ForFile(name, $"resize_to {image.ResizeTo} must be from 1 to 16384");
        if (image.ResizeTo is { } to && to < Math.Min(image.Size[0], image.Size[1]))
            throw RepDiffInputException.ForFile(name, $"resize_to {to} is smaller than the crop {image.Size[0]}x{image.Size[1]}; set resize_to for this size");
        if (image.Interpolation is not ("bilinear" or "bicubic" or "nearest")) throw RepDiffInputException.ForFile(name, $"interpolation '{image.Interpolation}' is not one of bilinear, bicubic, nearest");
        if (image.ChannelOrder is not ("rgb" or "bgr")) throw RepDiffInputException.ForFile(name, $"channel_order '{image.ChannelOrder}' is not rgb or bgr");
        if (image.Layout is not ("nchw" or "nhwc")) throw RepDiffInputException.ForFile(name, $"layout '{image.Layout}' is not nchw or nhwc");
        if (image.MeanImageTensor is not null && image.MeanImage is null) throw RepDiffInputException.ForFile(name, "mean_image_tensor names a tensor of the mean_image file, but no mean_image is given");
        if (image.Mean is not { Length: 3 } || image.Std is not { Length: 3 }) throw RepDiffInputException.ForFile(name, "mean and std need three values (one per channel)");
        if (image.Std.Any(s => !(s > 0) || !float.IsFinite(s))) throw RepDiffInputException.ForFile(name, "std values must be positive");
        if (image.Mean.Any(m => !float.IsFinite(m)) || image.Scale is not { } scale || !float.IsFinite(scale)) throw RepDiffInputException.ForFile(name, "mean and scale must be finite numbers");
        // Scale 0 makes every image the same input (the mean), and so the same embedding.
        if (scale <= 0) throw RepDiffInputException.ForFile(name, $"scale must be positive (it multiplies the 0..255 pixel values; 1/255 = 0.00392 gives 0..1), got {scale}");
    }

    /// <summary>A path from the description, made absolute against <see cref="BaseDirectory"/>.</summary>
    public string? PathOf(string? relative) => relative is null ? null : Path.GetFullPath(Path.Combine(BaseDirectory, relative));
}
