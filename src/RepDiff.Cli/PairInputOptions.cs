using System.CommandLine;
using RepDiff.IO;

namespace RepDiff.Cli;

/// <summary>The inputs every command on two representations takes: the two files, how to join them, side information, where to write.</summary>
internal sealed class PairInputOptions
{
    public Argument<string> A { get; } = new("A") { Description = $"embeddings of model A ({Embeddings.FormatList})" };
    public Argument<string> B { get; } = new("B") { Description = "embeddings of model B, same samples in the same order (or joined by id)" };
    public Option<string?> Key { get; } = new("--key", "--column") { Description = $"{Embeddings.KeyHelp} (both inputs)" };
    public Option<string?> KeyA { get; } = new("--key-a", "--column-a") { Description = "array or column of A (overrides --key/--column)" };
    public Option<string?> KeyB { get; } = new("--key-b", "--column-b") { Description = "array or column of B (overrides --key/--column)" };
    public Option<string?> IdColumn { get; } = new("--id-column") { Description = $"CSV/TSV/Parquet/Arrow column or JSON Lines field holding sample ids (a Parquet/Arrow column or JSON Lines records' field named 'id' and the 'ids' kept beside the embeddings in {Embeddings.KeepingIdsList} files are read without it); A and B are joined by id" };
    public Option<string?> Ids { get; } = new("--ids") { Description = "sample ids, one per line or a 1-D .npy, for inputs that carry none themselves" };
    public Option<string?> IdsA { get; } = new("--ids-a") { Description = "ids of A's rows (overrides --ids and the ids A carries itself)" };
    public Option<string?> IdsB { get; } = new("--ids-b") { Description = "ids of B's rows (overrides --ids and the ids B carries itself); when A and B both have ids they are joined by id" };
    public Option<bool> CommonSamples { get; } = new("--common-samples") { Description = "keep only the samples both A and B hold, joined by id, and say how many of each were left out (without it, ids that only partly overlap are refused)" };
    public Option<string?> Labels { get; } = new("--labels") { Description = "per-sample labels in A's row order (1-D .npy of numbers or strings, or text with one label per line), or a .csv/.tsv whose header names a 'label' column (joined by id, else by row)" };
    public Option<string?> Images { get; } = new("--images") { Description = "per-sample images: a manifest of paths (relative to its folder), a directory (natural sort order), or a .npy of pixel arrays N×H×W(×C)" };
    public Option<string?> Texts { get; } = new("--texts") { Description = "per-sample texts: one per line, or JSONL (see --text-field)" };
    public Option<string?> TextField { get; } = new("--text-field") { Description = SampleFiles.TextFieldHelp };
    public Option<string?> Metadata { get; } = new("--metadata") { Description = "per-sample columns (.csv/.tsv with a header, .parquet, .arrow): joined by id (--metadata-id-column, else a column named like --id-column or 'id', else one holding every sample's id once) or matched by row" };
    public Option<string?> MetadataIdColumn { get; } = new("--metadata-id-column") { Description = "the metadata column holding sample ids" };
    public Option<string?> NameA { get; } = new("--name-a") { Description = "what the summary and the report call A, e.g. the model's name (default: A's file name, with the folders that tell it from B's when both have one name)" };
    public Option<string?> NameB { get; } = new("--name-b") { Description = "what the summary and the report call B (default: B's file name, likewise)" };
    public Option<string> Out { get; } = new("--out") { Description = "output directory for results.json, report.html and maps.npy (the maps' coordinates)", DefaultValueFactory = _ => "repdiff-out" };
    public Option<string> Maps { get; } = MapsOption();

    // UMAP's two layouts take about as long as RDX itself at 2,000 samples: a sweep over many runs can leave them out.
    private static Option<string> MapsOption()
    {
        var maps = new Option<string>("--maps")
        {
            Description = "the report's sample maps: umap (PCA and UMAP, the default) or pca (PCA only: no UMAP layouts, which take about the method's own time on a few thousand samples; for sweeps of many runs)",
            DefaultValueFactory = _ => "umap",
        };
        // Worded as the methods' choices are ("--distance: 'x' is not one of: …"), checked when the command line is parsed.
        maps.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is not ("umap" or "pca") and var given)
                result.AddError($"--maps: '{given}' is not one of: umap, pca");
        });
        return maps;
    }

    /// <summary>Whether the report draws UMAP maps beside the PCA ones (--maps umap).</summary>
    public bool UmapMaps(ParseResult parse) => parse.GetValue(Maps) != "pca";

    /// <summary>Whether the command takes what only a report shows (images, texts, metadata); metrics writes none.</summary>
    private bool reportInputs = true;

    public void AddTo(Command command, bool reportInputs = true)
    {
        this.reportInputs = reportInputs;
        if (!reportInputs)
        {
            NameA.Description = "what the summary calls A, e.g. the model's name (default: A's file name, with the folders that tell it from B's when both have one name)";
            NameB.Description = "what the summary calls B (default: B's file name, likewise)";
            Out.Description = "output directory for results.json";
        }
        command.Arguments.Add(A);
        command.Arguments.Add(B);
        Option[] report = reportInputs ? [Images, Texts, TextField, Metadata, MetadataIdColumn, Maps] : [];
        foreach (var o in (Option[])[Key, KeyA, KeyB, IdColumn, Ids, IdsA, IdsB, CommonSamples, Labels, .. report, NameA, NameB, Out])
            command.Options.Add(o);
    }

    /// <summary>Only the two inputs and how their rows are joined (evaluate: the side information is the results file's).</summary>
    public void AddJoinTo(Command command)
    {
        command.Arguments.Add(A);
        command.Arguments.Add(B);
        foreach (var o in (Option[])[Key, KeyA, KeyB, IdColumn, Ids, IdsA, IdsB, CommonSamples])
            command.Options.Add(o);
    }

    /// <summary>The two inputs and their join, as <see cref="AddJoinTo"/> added them.</summary>
    public PairSpec JoinSpec(ParseResult parse)
    {
        // --key beside both --key-a and --key-b picks no array: refused, where it had been ignored without a word.
        if (Typed(parse, Key) is { } both && Typed(parse, KeyA) is { } keyA && Typed(parse, KeyB) is { } keyB)
            throw new RepDiffInputException($"{both} {parse.GetValue(Key)}: {keyA} and {keyB} both override it, so it picks no array; leave it out");
        return new(parse.GetValue(A)!, parse.GetValue(B)!)
        {
            KeyA = parse.GetValue(KeyA) ?? parse.GetValue(Key),
            KeyB = parse.GetValue(KeyB) ?? parse.GetValue(Key),
            KeyFlagA = Typed(parse, KeyA) ?? Typed(parse, Key) ?? KeyA.Name,
            KeyFlagB = Typed(parse, KeyB) ?? Typed(parse, Key) ?? KeyB.Name,
            IdColumn = parse.GetValue(IdColumn),
            Ids = FilePath(parse, Ids),
            IdsA = FilePath(parse, IdsA),
            IdsB = FilePath(parse, IdsB),
            CommonSamples = parse.GetValue(CommonSamples),
        };
    }

    public PairSpec Spec(ParseResult parse) => JoinSpec(parse) with
    {
        Labels = FilePath(parse, Labels),
        Images = reportInputs ? FilePath(parse, Images) : null,
        Texts = reportInputs ? FilePath(parse, Texts) : null,
        TextField = reportInputs ? parse.GetValue(TextField) : null,
        Metadata = reportInputs ? FilePath(parse, Metadata) : null,
        MetadataIdColumn = reportInputs ? parse.GetValue(MetadataIdColumn) : null,
        NameA = Name(parse, NameA),
        NameB = Name(parse, NameB),
    };

    /// <summary>
    /// The one line that says what --common-samples left out, on the terminal as soon as the pair is opened; and the warnings
    /// of how the inputs were read (<see cref="SampleInfo.InputWarnings"/>), which results.json keeps too.
    /// </summary>
    public static void SayWhatWasLeftOut(RepresentationPair pair)
    {
        foreach (string warning in pair.Samples.InputWarnings) Cli.Warn(warning);
        if (pair.Samples.LeftOut is { } leftOut) Cli.Out.WriteLine(Terminal.Clean(leftOut.Sentence(pair.NameA, pair.NameB)));
    }

    /// <summary>The option's name or alias as the user typed it (--column for --key), or null when it was not given.</summary>
    internal static string? Typed(ParseResult parse, Option option) => parse.GetResult(option)?.IdentifierToken?.Value;

    // An empty path reads as "" (": file not found", for --images an internal error): one line naming the flag instead.
    internal static string? FilePath(ParseResult parse, Option<string?> option) => parse.GetValue(option) switch
    {
        { } path when string.IsNullOrWhiteSpace(path) => throw new RepDiffInputException($"{option.Name}: is empty; name a file"),
        var path => path,
    };

    /// <summary>A --name-* option's name, trimmed; an empty one is refused.</summary>
    public static string? Name(ParseResult parse, Option<string?> option) => parse.GetValue(option) switch
    {
        null => null,
        { } name when string.IsNullOrWhiteSpace(name) => throw new RepDiffInputException($"{option.Name}: give a name, not an empty one"),
        { } name => name.Trim(),
    };
}
