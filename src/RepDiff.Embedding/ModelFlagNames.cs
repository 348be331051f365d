namespace RepDiff.Embedding;

/// <summary>
/// How the command the user typed names a model and its settings, so that a message names the option typed: `embed`'s
/// MODEL, --layer and its other flags; compare's --model-a and --layer-a (or -b), whose other settings only a model
/// description sets. Every message about a model's settings takes the names from here.
/// </summary>
public sealed record ModelFlagNames
{
    /// <summary>What names the model: embed's MODEL argument, or compare's --model-a / --model-b.</summary>
    public string Model { get; init; } = "MODEL";

    /// <summary>What named the layer: --layer, --layer-a / --layer-b, or the description's "layer" when it chose it.</summary>
    public string Layer { get; init; } = "--layer";

    /// <summary>Whether the command has embed's flags that stand over a description (--input, --output, --max-length, --vocab, --tokenizer).</summary>
    public bool HasDescriptionFlags { get; init; } = true;

    public static ModelFlagNames Embed { get; } = new();

    /// <summary>Where a setting is given: the description's field or embed's flag; compare takes it from a model description only.</summary>
    public string Setting(string field, string flag, string or = "/") => HasDescriptionFlags ? $"{field} {or} {flag}" : $"{field} of a model description";
}
