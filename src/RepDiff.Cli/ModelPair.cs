using System.CommandLine;
using RepDiff;
using RepDiff.Embedding;
using RepDiff.IO;

namespace RepDiff.Cli;

/// <summary>
/// `compare --model-a X --model-b Y (--images|--texts) SRC`: embeds SRC with both models into OUT/embeddings
/// (reused while inputs and model files are unchanged) and points the pair at those files, joined by id.
/// </summary>
internal static class ModelPair
{
    public static Option<string?> ModelA { get; } = new("--model-a") { Description = "embed --images/--texts with this model (.onnx, description .json or built-in name) as A, instead of giving A" };
    public static Option<string?> ModelB { get; } = new("--model-b") { Description = "the model for B (with --model-a)" };

    public static void AddTo(Command command, PairInputOptions pair)
    {
        pair.A.Arity = ArgumentArity.ZeroOrOne;
        pair.B.Arity = ArgumentArity.ZeroOrOne;
        command.Options.Add(ModelA);
        command.Options.Add(ModelB);
    }

    /// <summary>The pair to compare: as given, or the two models' cached embeddings of SRC.</summary>
    public static PairSpec Resolve(ParseResult parse, PairSpec spec, string outDir)
    {
        string? modelA = parse.GetValue(ModelA), modelB = parse.GetValue(ModelB);
        if (modelA is null && modelB is null)
        {
            if (spec.PathA is null || spec.PathB is null) throw new RepDiffInputException("give the embeddings A and B, or --model-a and --model-b with --images or --texts");
            return spec;
        }
        if (modelA is null || modelB is null) throw new RepDiffInputException("--model-a and --model-b go together");
        if (spec.PathA is not null || spec.PathB is not null) throw new RepDiffInputException("give either embeddings A and B or --model-a/--model-b, not both");
        if (spec.Images is null == spec.Texts is null) throw new RepDiffInputException("--model-a/--model-b embed exactly one of --images SRC or --texts SRC");
        var source = new EmbeddingSource(spec.Texts ?? spec.Images!, spec.Texts is not null, spec.TextField);
        var a = ModelResolver.Resolve(modelA, new ModelOverrides(), source.Texts, Cli.Error);
        var b = ModelResolver.Resolve(modelB, new ModelOverrides(), source.Texts, Cli.Error);
        string nameA = Stem(a.DisplayName), nameB = Stem(b.DisplayName);
        if (nameA == nameB) (nameA, nameB) = (nameA + "-a", nameB + "-b");
        string dir = Path.Combine(outDir, "embeddings");
        var entryA = EmbedCommand.RunWithProgress((p, started) => EmbeddingCache.Embed(a, source, dir, nameA, new EmbedderOptions(), p, started));
        var entryB = EmbedCommand.RunWithProgress((p, started) => EmbeddingCache.Embed(b, source, dir, nameB, new EmbedderOptions(), p, started));
        foreach (var e in new[] { entryA, entryB })
            Cli.Error.WriteLine($"{e.ModelName}: {(e.Reused ? "reusing" : "wrote")} {e.Path}");
        return spec with { PathA = entryA.Path, PathB = entryB.Path, IdsA = entryA.IdsPath, IdsB = entryB.IdsPath };
    }

    /// <summary>A model's name as part of a file name: letters, digits, '-', '_' and '.' kept, anything else '_'.</summary>
    internal static string Stem(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
