using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using RepDiff;
using RepDiff.Embedding;
using RepDiff.IO;

namespace RepDiff.Cli;

/// <summary>
/// `compare --model-a X --model-b Y (--images|--texts) SRC`: embeds SRC with both models into OUT/embeddings
/// (reused while inputs and model files are unchanged) and points the pair at those files, joined by id.
/// New embeddings are made in the run's staging folder and reach OUT with the results, so a failed run
/// leaves OUT as it was; an earlier run's OUT/embeddings is read from where it is.
/// </summary>
internal static class ModelPair
{
    public static Option<string?> ModelA { get; } = new("--model-a") { Description = "embed --images/--texts with this model (.onnx, description .json or built-in name) as A, instead of giving A" };
    public static Option<string?> ModelB { get; } = new("--model-b") { Description = "the model for B (with --model-a)" };
    // Two layers of one model were comparable only through two embed runs: --model-a resnet18 --model-b resnet18 was refused as one model.
    public static Option<string?> LayerA { get; } = new("--layer-a") { Description = "embed this intermediate tensor of model A instead of its output, averaged over its spatial or token axes as embed does (`repdiff inspect MODEL` lists the layers)" };
    public static Option<string?> LayerB { get; } = new("--layer-b") { Description = "the layer of model B (with --model-b), e.g. another layer of the same model" };

    /// <summary>embed's --batch-size and --threads, for the two models (the embeddings' bytes do not depend on them).</summary>
    private static readonly EmbedCommand.ModelFlags Flags = new();

    private const string Folder = "embeddings";

    public static void AddTo(Command command, PairInputOptions pair)
    {
        pair.A.Arity = ArgumentArity.ZeroOrOne;
        pair.B.Arity = ArgumentArity.ZeroOrOne;
        command.Options.Add(ModelA);
        command.Options.Add(ModelB);
        command.Options.Add(LayerA);
        command.Options.Add(LayerB);
        command.Options.Add(Flags.BatchSize);
        command.Options.Add(Flags.Threads);
    }

    /// <summary>What a model argument names, for the line that refuses an empty one.</summary>
    public const string WhatAModelIs = "an .onnx file, a model description .json or a built-in model";

    // An empty one was named as embed's argument ("MODEL '' is not a file, nor a built-in model"): named as the flag instead.
    private static string? ModelName(ParseResult parse, Option<string?> option) => parse.GetValue(option) switch
    {
        { } name when string.IsNullOrWhiteSpace(name) => throw new RepDiffInputException($"{option.Name}: is empty; name {WhatAModelIs}"),
        var name => name,
    };

    private static string? Layer(ParseResult parse, Option<string?> option) => parse.GetValue(option) switch
    {
        { } layer when string.IsNullOrWhiteSpace(layer) => throw new RepDiffInputException($"{option.Name}: is empty; name a tensor `repdiff inspect MODEL --layers` lists"),
        var layer => layer,
    };

    /// <summary>How the messages about one side's model name it and its layer (its own flags: the user may have given one model as both).</summary>
    private static ModelFlagNames Names(Option model, Option layer) => new() { Model = model.Name, Layer = layer.Name, HasDescriptionFlags = false };

    /// <summary>
    /// The pair to compare: as given (no staging), or the two models' cached embeddings of SRC, with the
    /// output folder staged for them (the caller writes the results into it and commits, or disposes it).
    /// </summary>
    /// <param name="checkCount">Refuses a number of samples the methods cannot run on, called once the inputs are counted.</param>
    public static (PairSpec Spec, OutputFolder? Staged) Resolve(ParseResult parse, PairSpec spec, string outDir, string[] outputFiles, Action<int> checkCount)
    {
        string? modelA = ModelName(parse, ModelA), modelB = ModelName(parse, ModelB);
        if (modelA is null && modelB is null)
        {
            if (spec.PathA is null || spec.PathB is null) throw new RepDiffInputException("give the embeddings A and B, or --model-a and --model-b with --images or --texts");
            // Like --text-field without --texts: refused rather than ignored (compare a.npy b.npy --threads 0 ran).
            foreach (var flag in new Option<int>[] { Flags.BatchSize, Flags.Threads })
                if (parse.GetResult(flag) is { Implicit: false })
                    throw new RepDiffInputException($"{flag.Name} {parse.GetValue(flag)}: sets how --model-a/--model-b embed, but the embeddings A and B were given");
            foreach (var flag in new[] { LayerA, LayerB })
                if (parse.GetValue(flag) is { } layer)
                    throw new RepDiffInputException($"{flag.Name} {layer}: picks a layer of --model-a/--model-b to embed, but the embeddings A and B were given");
            return (spec, null);
        }
        if (modelA is null || modelB is null) throw new RepDiffInputException("--model-a and --model-b go together");
        if (spec.PathA is not null || spec.PathB is not null) throw new RepDiffInputException("give either embeddings A and B or --model-a/--model-b, not both");
        if (spec.Images is null == spec.Texts is null) throw new RepDiffInputException("--model-a/--model-b embed exactly one of --images SRC or --texts SRC");
        // Both models embed the same samples in the same order: ids for one side only, or two lists, could only mispair them.
        if (spec.IdsA is not null || spec.IdsB is not null)
            throw new RepDiffInputException($"{(spec.IdsA is not null ? "--ids-a" : "--ids-b")}: --model-a and --model-b embed the same samples in the same order; name them with --ids");
        // The models' embeddings are one array each: a key picks nothing there. It had been refused only once both had embedded,
        // naming their kept files, which the user had not given.
        if ((spec.KeyA ?? spec.KeyB) is { } key)
            throw new RepDiffInputException($"{(spec.KeyA is not null ? spec.KeyFlagA : spec.KeyFlagB)} {key}: picks an array or column of the embeddings A and B, but --model-a and --model-b embed them");
        if (spec.IdColumn is { } idColumn && spec.Metadata is null)
            throw new RepDiffInputException($"--id-column {idColumn}: names a column of the embeddings A and B or of --metadata, but --model-a and --model-b embed them and no --metadata was given");
        string previous = Path.Combine(outDir, Folder);
        string kind = FileKind.Of(previous);
        if (kind is not (FileKind.Directory or FileKind.Missing or FileKind.Unknown))
            throw new RepDiffInputException($"--out {outDir}: {previous} is a {kind}; compare keeps the models' embeddings in that folder");
        var options = Flags.Options(parse, skipUnreadable: false);
        options.Check();
        var source = new EmbeddingSource(spec.Texts ?? spec.Images!, spec.Texts is not null, spec.TextField);
        var a = ModelResolver.Resolve(modelA, new ModelOverrides { Layer = Layer(parse, LayerA), Names = Names(ModelA, LayerA) }, source.Texts, Cli.Error);
        var b = ModelResolver.Resolve(modelB, new ModelOverrides { Layer = Layer(parse, LayerB), Names = Names(ModelB, LayerB) }, source.Texts, Cli.Error);
        // The inputs are read once, here, so the labels are counted against them before either model embeds (they had
        // been read only after both had).
        var inputs = EmbedJob.Load(source);
        spec.CheckLabelCount(inputs.Count);
        if (spec.Ids is { } idsFile)
            RepDiffInputException.GivenWith("--ids", idsFile, () =>
            {
                if (SampleFiles.LoadIds(idsFile).Length is var count && count != inputs.Count)
                    throw RepDiffInputException.ForFile(idsFile, $"has {count:N0} ids but {source.Path} holds {inputs.Count:N0} {(source.Texts ? "texts" : "images")}; give one id per input, in its order");
            });
        // Two exports of one architecture are often both model.onnx: they are then called by the folders that tell them apart.
        var (shownA, shownB) = a.DisplayName == b.DisplayName ? PairSpec.DefaultNames(modelA, null, modelB, null) : (a.DisplayName, b.DisplayName);
        // A name clash is refused before either model embeds (it had been refused only after both had).
        PairSpec.ChooseNames(new(modelA, null, spec.NameA, "--name-a"), new(modelB, null, spec.NameB, "--name-b"), "model", (shownA, shownB));
        string nameA = Stem(a.DisplayName), nameB = Stem(b.DisplayName);
        if (nameA == nameB) (nameA, nameB) = (nameA + "-a", nameB + "-b");
        var staged = OutputFolder.Begin(outDir, outputFiles);
        try
        {
            var entries = Embed([(a, nameA), (b, nameB)], source, inputs, options, previous, staged, checkCount);
            return (spec with
            {
                // The samples' ids: the user's (--ids) where given, one per input in its order; else each input's own (image
                // paths, JSON Lines ids or text line numbers), as embed writes them. Given ids had been silently replaced.
                PathA = entries[0].Path, PathB = entries[1].Path,
                IdsA = spec.Ids ?? entries[0].IdsPath, IdsB = spec.Ids ?? entries[1].IdsPath,
                NameA = spec.NameA ?? shownA, NameB = spec.NameB ?? shownB,
            }, staged);
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Each model's embeddings: an earlier run's from <paramref name="previous"/> when their key is unchanged,
    /// else made in the staging folder. Every model that has to embed is opened and
    /// checked against the inputs before any of them embeds, so a bad model B fails before A's work; then the number of
    /// inputs against the methods (<paramref name="checkCount"/>), so that a model's own fault is named before it.
    /// </summary>
    private static List<EmbeddingCache.Entry> Embed(IReadOnlyList<(ModelDescription Model, string Stem)> models, EmbeddingSource source, EmbedJob.Inputs inputs,
        EmbedderOptions options, string previous, OutputFolder staged, Action<int> checkCount)
    {
        var keys = models.Select(m => EmbeddingCache.Key(m.Model, source)).ToList();
        // One model with one setup embeds the same bytes twice, which compare then refuses: said before minutes of embedding.
        if (keys.Distinct().Count() < keys.Count)
            throw new RepDiffInputException($"--model-a and --model-b are the same model with the same settings ({models[0].Model.DisplayName}): "
                + "its two embeddings would be identical, so there is no difference to explain; give two models, or two of its layers with --layer-a/--layer-b");
        var found = models.Select((m, i) => EmbeddingCache.Find(m.Model, previous, m.Stem, keys[i], inputs.Ids,
            note => Cli.Warn($"{m.Model.DisplayName}: {note}"))).ToList();
        var embedders = new Embedder?[models.Count];
        try
        {
            for (int i = 0; i < models.Count; i++)
                if (found[i] is null) embedders[i] = Embedder.Open(models[i].Model, options);
            checkCount(inputs.Count);
            // Said once every model has taken the inputs (a refusal stays one line), before either embeds.
            if (inputs.Note is { } inputsNote) Cli.Warn(inputsNote);
            string dir = staged.PathOf(Folder);
            var entries = new List<EmbeddingCache.Entry>();
            for (int i = 0; i < models.Count; i++)
            {
                var entry = found[i] ?? EmbedCommand.RunWithProgress((p, started) => EmbeddingCache.Embed(embedders[i]!, inputs, dir, models[i].Stem, keys[i], p, started));
                string? outputNote = embedders[i]?.OutputNote, truncation = embedders[i]?.TruncationNote;
                embedders[i]?.Dispose();
                embedders[i] = null;
                // Where the file is once the run succeeds (a new one is in the staging folder until then).
                string final = entry.Reused ? entry.Path : Path.Combine(previous, Path.GetFileName(entry.Path));
                Cli.Error.WriteLine(Terminal.Clean(entry.Reused ? $"{entry.ModelName}: reusing {final}" : $"{entry.ModelName}: embedded, kept in {final} when the run succeeds"));
                if (outputNote is not null) Cli.Error.WriteLine(Terminal.Clean(outputNote));
                if (truncation is not null) Cli.Warn($"{entry.ModelName}: {truncation}");
                entries.Add(entry);
            }
            return entries;
        }
        finally
        {
            foreach (var embedder in embedders) embedder?.Dispose();
        }
    }

    /// <summary>
    /// A model's name as part of a file name: letters, digits, '-', '_' and '.' kept, anything else '_'. A name longer than
    /// <see cref="MaxStemBytes"/> is cut there and a hash of the whole name added, so that no model name makes a cache file's
    /// name too long (a 230-character model file had stopped compare naming a hidden staging file as "--out") and each name
    /// still keeps its own entry, reused while the name is unchanged.
    /// </summary>
    internal static string Stem(string name)
    {
        string stem = string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        if (Encoding.UTF8.GetByteCount(stem) <= MaxStemBytes) return stem;
        string hash = "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..16];
        // Whole chars only: every char kept is a letter, digit or one of three ASCII marks, none half of a surrogate pair.
        int length = 0;
        for (int bytes = hash.Length; length < stem.Length && (bytes += Encoding.UTF8.GetByteCount(stem.AsSpan(length, 1))) <= MaxStemBytes;) length++;
        return stem[..length] + hash;
    }

    /// <summary>
    /// The longest stem in bytes: a cache file adds at most 12 (".skipped.txt"), its temporary name 49, two models of one
    /// name "-a" and the demo its set's name ("fashion."), all within the 255 bytes a file name may have.
    /// </summary>
    internal const int MaxStemBytes = 160;
}
