using RepDiff;

namespace RepDiff.Embedding;

/// <summary>
/// From what a user typed as MODEL to a complete description: a built-in name, a description .json, or
/// an .onnx file (described by --description, else by MODEL.json beside it, else by flags alone).
/// </summary>
public static class ModelResolver
{
    public static ModelDescription Resolve(string model, ModelOverrides overrides, bool texts, TextWriter? log = null)
    {
        // --layer makes the tensor it names the output: --output beside it would be silently ignored.
        if (overrides.Layer is not null && overrides.Output is not null)
            throw new RepDiffInputException($"give --layer {overrides.Layer} or --output {overrides.Output}, not both: --layer makes the tensor it names the embedding");
        ModelDescription description;
        string ext = Path.GetExtension(model).ToLowerInvariant();
        if (overrides.Description is not null)
        {
            // --description describes an .onnx MODEL; beside a built-in name or another description, one of them would be ignored.
            if (ext != ".onnx")
                throw new RepDiffInputException($"--description describes an .onnx MODEL, and {model} is not one: give the .onnx file as MODEL, or the description itself");
            description = Unresolved(overrides.Description) with { Model = Path.GetFullPath(model) };
        }
        else if (ext == ".json") description = Unresolved(model);
        else if (ext == ".onnx")
        {
            ModelSession.RequireModelFile(model);
            string beside = Path.ChangeExtension(model, ".json");
            description = File.Exists(beside) ? Unresolved(beside) with { Model = Path.GetFullPath(model) } : new ModelDescription { Model = Path.GetFullPath(model) };
        }
        else if (BuiltInModels.IsBuiltIn(model)) description = BuiltInModels.Resolve(model, log);
        else if (File.Exists(model)) throw RepDiffInputException.ForFile(model, $"{overrides.Names.Model} must be an .onnx file, a model description .json or a built-in name");
        else throw new RepDiffInputException($"{overrides.Names.Model} '{model}' is not a file, nor a built-in model ({string.Join(", ", BuiltInModels.Names)})");
        // Said here, where the description file is known: the embedder that found it missing could not name the file.
        if (description.Model is null)
            throw RepDiffInputException.ForFile(overrides.Description ?? model, "names no model file (\"model\": the .onnx file, relative to the description's folder)");

        // Checked before the kind is matched to the input, which would call a model with both sections "a text model; give it --texts" given images.
        description.RequireOneKind(overrides.Description ?? model);
        // A preset of the other kind had been merged into a description of both kinds ("either an image or a text section"),
        // or made an image model "a text model; give it --texts".
        if ((overrides.Preset ?? description.Preset) is { } presetName && ModelPresets.Find(presetName) is { } preset && preset.IsText != texts)
            throw new RepDiffInputException($"{(overrides.Preset is not null ? "--preset" : $"{overrides.Description ?? model}'s \"preset\"")} {presetName} describes {(preset.IsText ? "a text" : "an image")} model, "
                + $"and {(texts ? "--texts" : "--images")} were given; {(texts ? "a text" : "an image")} model's presets are {string.Join(", ", ModelPresets.Names.Where(n => ModelPresets.Find(n)!.IsText == texts))}");
        if (texts && description.Image is not null) throw new RepDiffInputException($"{model} is an image model; give it --images");
        if (!texts && description.Text is not null) throw new RepDiffInputException($"{model} is a text model; give it --texts");
        bool textFlags = overrides.Vocab is not null || overrides.Tokenizer is not null || overrides.MaxLength is not null;
        // Named as the flag: checked later, with the description's own max_length, it blamed the description file.
        if (overrides.MaxLength is < 2 or > 65536) throw new RepDiffInputException($"--max-length {overrides.MaxLength}: must be between 2 and 65536");
        if (overrides.Pooling is { } pooling && !ModelDescription.PoolingModes.Contains(pooling))
            throw new RepDiffInputException($"--pooling {pooling}: is not one of {string.Join(", ", ModelDescription.PoolingModes)}");
        // Flags of the other kind of model would be ignored: refused, naming the flag.
        if (texts && overrides.Input is not null)
            throw new RepDiffInputException($"--input {overrides.Input}: names an image model's input tensor; a text model is fed input_ids, attention_mask and token_type_ids");
        if (!texts && textFlags)
            throw new RepDiffInputException($"{(overrides.Vocab is not null ? "--vocab" : overrides.Tokenizer is not null ? "--tokenizer" : "--max-length")}: sets a text model's tokenizer; it does not apply to --images");
        var text = description.Text;
        if (texts && text is null && description.Image is null && (textFlags || overrides.Preset is not null)) text = new TextPreprocessing();
        if (text is not null && textFlags)
            text = text with
            {
                Vocab = overrides.Vocab is null ? (overrides.Tokenizer is null ? text.Vocab : null) : Path.GetFullPath(overrides.Vocab),
                Tokenizer = overrides.Tokenizer is null ? (overrides.Vocab is null ? text.Tokenizer : null) : Path.GetFullPath(overrides.Tokenizer),
                MaxLength = overrides.MaxLength ?? text.MaxLength,
            };
        // A layer the description chose is named as its field, not as a flag the user did not type.
        var names = overrides.Layer is null && description.Layer is not null ? overrides.Names with { Layer = "\"layer\"" } : overrides.Names;
        description = description with
        {
            Names = names,
            Preset = overrides.Preset ?? description.Preset,
            Input = overrides.Input ?? description.Input,
            Output = overrides.Output ?? (overrides.Layer is null ? description.Output : null),
            Layer = overrides.Layer ?? description.Layer,
            Pooling = overrides.Pooling ?? (overrides.Layer is null ? description.Pooling : "auto"),
            Normalize = overrides.Normalize ?? description.Normalize,
            Text = text,
        };
        if (texts && description.Text is null && ModelPresets.Find(description.Preset ?? "")?.Text is null)
        {
            // An image model given texts is told so, not asked for a vocabulary (the graph is read only on this way out).
            if (OnnxModelInfo.Read(description.PathOf(description.Model)!).Inputs.FirstOrDefault(i => i.TakesImages()) is { } pixels)
                throw RepDiffInputException.ForFile(description.PathOf(description.Model)!, Embedder.ImageModelGivenTexts(pixels));
            throw new RepDiffInputException($"{model}: a text model needs a vocabulary: " + (overrides.Names.HasDescriptionFlags
                ? "--vocab vocab.txt or --tokenizer tokenizer.json (or a model description with a text section)"
                : "a model description with a text section naming its vocab.txt or tokenizer.json"));
        }
        // What Resolved refuses is the description's (the flags were checked above): named by its file when one was given.
        var resolved = description.Resolved(overrides.Description ?? model);
        if (texts != resolved.IsText)
            throw new RepDiffInputException($"{model} is {(resolved.IsText ? "a text" : "an image")} model; give it {(resolved.IsText ? "--texts" : "--images")}");
        return resolved;
    }

    /// <summary>A description file as written: preset and defaults are applied once, after the flags.</summary>
    private static ModelDescription Unresolved(string path) => ModelDescription.Read(path);
}
