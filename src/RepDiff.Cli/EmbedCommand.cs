using System.CommandLine;
using System.Diagnostics;
using RepDiff;
using RepDiff.Embedding;
using RepDiff.IO;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>
/// `repdiff embed MODEL (--images SRC | --texts SRC) --out FILE`: images or texts to float32 embeddings
/// with an ONNX model or a built-in one, ids beside the output (docs/embedding.md).
/// </summary>
internal static class EmbedCommand
{
    /// <summary>The model flags of `embed`. `compare --model-a/--model-b` shares --batch-size and --threads and takes the other settings from a model description.</summary>
    internal sealed class ModelFlags
    {
        public Option<string?> Description { get; } = new("--description") { Description = "model description JSON (default: MODEL.json beside an .onnx MODEL, if present)" };
        public Option<string?> Preset { get; } = new("--preset") { Description = $"preset for a common export: {string.Join(", ", ModelPresets.Names)}" };
        public Option<string?> Input { get; } = new("--input") { Description = "name of the model's image input tensor" };
        public Option<string?> Output { get; } = new("--output") { Description = "graph output that is the embedding, float32 or float16 (default: the first output)" };
        public Option<string?> Layer { get; } = new("--layer") { Description = "intermediate tensor (float32 or float16) to embed with instead, averaged over its spatial or token axes" };
        // The defaults as ModelResolver and ModelDescription.Resolved apply them.
        public Option<string?> Pooling { get; } = new("--pooling") { Description = "auto, cls, mean or none; default: the model's own (a built-in model's or preset's, or its description's), else auto: none for an output of one vector per sample, else the mean over its token or spatial axes (with --layer: auto)" };
        public Option<bool?> Normalize { get; } = new("--normalize") { Description = "scale embeddings to unit L2 norm (true/false); default: the model's own, else false" };
        public Option<string?> Vocab { get; } = new("--vocab") { Description = "WordPiece vocab.txt of a text model" };
        public Option<string?> Tokenizer { get; } = new("--tokenizer") { Description = "Hugging Face tokenizer.json (WordPiece or BPE) of a text model" };
        public Option<int?> MaxLength { get; } = new("--max-length") { Description = "tokens per text, longer texts are truncated; default: the model's own (minilm-l6 256, arctic-embed-xs 512), else 512" };
        public Option<int> BatchSize { get; } = new("--batch-size") { Description = "samples per model call (1 to 4,096)", DefaultValueFactory = _ => 32 };
        public Option<int> Threads { get; } = new("--threads") { Description = "threads for the model and for image decoding (1 to 256)", DefaultValueFactory = _ => Environment.ProcessorCount };

        public IEnumerable<Option> All => [Description, Preset, Input, Output, Layer, Pooling, Normalize, Vocab, Tokenizer, MaxLength, BatchSize, Threads];

        public ModelOverrides Overrides(ParseResult parse) => new()
        {
            Description = PairInputOptions.FilePath(parse, Description), Preset = parse.GetValue(Preset), Input = parse.GetValue(Input),
            Output = parse.GetValue(Output), Layer = parse.GetValue(Layer), Pooling = parse.GetValue(Pooling), Normalize = parse.GetValue(Normalize),
            Vocab = PairInputOptions.FilePath(parse, Vocab), Tokenizer = PairInputOptions.FilePath(parse, Tokenizer), MaxLength = parse.GetValue(MaxLength),
        };

        /// <summary>
        /// Runs a step that reads the files these flags name, a refusal of one of them named with its flag first ("--vocab
        /// /data/v.txt: not a WordPiece vocabulary: …"), the shape of every other option's file: the readers know only the
        /// file (the vocabulary and tokenizer by the full path the model description holds).
        /// </summary>
        public T NamingTheirFiles<T>(ParseResult parse, Func<T> step)
        {
            var overrides = Overrides(parse);
            static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);
            foreach (var (flag, path) in new[] { (Description.Name, overrides.Description), (Vocab.Name, Full(overrides.Vocab)), (Tokenizer.Name, Full(overrides.Tokenizer)) })
            {
                if (path is null) continue;
                var inner = step;
                step = () => RepDiffInputException.GivenWith(flag, path, inner);
            }
            return step();
        }

        public EmbedderOptions Options(ParseResult parse, bool skipUnreadable, string? unreadableAdvice = null) => new()
        {
            BatchSize = parse.GetValue(BatchSize), Threads = parse.GetValue(Threads), SkipUnreadable = skipUnreadable,
            UnreadableAdvice = unreadableAdvice,
        };
    }

    internal const string ModelArgument = "MODEL";

    public static Command Create()
    {
        var model = new Argument<string>(ModelArgument) { Description = $"an .onnx file, a model description .json, or a built-in model: {string.Join(", ", BuiltInModels.Names)}" };
        var images = new Option<string?>("--images") { Description = "images: a folder (natural order), a manifest of paths, or a .npy of pixel arrays" };
        var texts = new Option<string?>("--texts") { Description = "texts: one per line, or JSON Lines (see --text-field)" };
        var textField = new Option<string?>("--text-field") { Description = SampleFiles.TextFieldHelp };
        var output = new Option<string>("--out") { Description = "output .npy or .safetensors (ids go to OUT.ids.txt)", Required = true };
        var skip = new Option<bool>("--skip-unreadable") { Description = "leave out images that cannot be decoded (listed in OUT.skipped.txt) instead of stopping" };
        var flags = new ModelFlags();
        var command = new Command("embed", "Embed images or texts with an ONNX or built-in model into an embedding file.") { model, images, texts, textField, output, skip };
        foreach (var o in flags.All) command.Options.Add(o);
        command.SetAction(parse => Cli.Guard(() =>
        {
            string? imageSource = parse.GetValue(images), textSource = parse.GetValue(texts);
            if (imageSource is null == textSource is null) throw new RepDiffInputException("give exactly one of --images SRC or --texts SRC");
            // Refused rather than ignored, as --text-field without --texts is: texts have no decoding to skip.
            if (textSource is not null && parse.GetValue(skip))
                throw new RepDiffInputException("--skip-unreadable: leaves out images that cannot be decoded; it does not apply to --texts");
            if (textSource is null && parse.GetValue(textField) is { } field)
                throw new RepDiffInputException($"--text-field {field}: names the field of a --texts JSONL file, but no --texts was given");
            var source = new EmbeddingSource(imageSource ?? textSource!, textSource is not null, parse.GetValue(textField));
            // Before the model: a built-in one is fetched on first use (hundreds of MB), and only then was an --out that cannot
            // be written refused.
            EmbeddingFileWriter.Check(parse.GetValue(output)!);
            var description = flags.NamingTheirFiles(parse, () => ModelResolver.Resolve(parse.GetValue(model)!, flags.Overrides(parse), source.Texts, Cli.Error));
            var options = flags.Options(parse, parse.GetValue(skip),
                $"; --skip-unreadable leaves such images out (listed in {EmbeddingFileWriter.SkippedPath(parse.GetValue(output)!)})");
            var clock = Stopwatch.StartNew();
            var inputs = EmbedJob.Read(description, source, parse.GetValue(output)!);
            using var embedder = flags.NamingTheirFiles(parse, () => Embedder.Open(description, options));
            // Said once the model has taken the inputs (a refusal stays one line), before the progress display, which redraws
            // over lines written while it runs.
            if (inputs.Note is { } inputsNote) Cli.Warn(inputsNote);
            var summary = RunWithProgress((progress, started) => EmbedJob.Run(embedder, inputs, parse.GetValue(output)!, progress, started, clock, isOutput: true));
            Cli.Out.WriteLine(Terminal.Clean($"Wrote {summary.Output} ({summary.Rows} x {summary.Cols}, float32, {summary.Model}) and {EmbeddingFileWriter.IdsPath(summary.Output)}"
                + $" in {summary.Seconds:F1} s ({summary.Rows / Math.Max(summary.Seconds, 1e-9):F1} samples/s)"));
            // The note names the model's graph outputs, which are the model file's text.
            if (summary.OutputNote is not null) Cli.Error.WriteLine(Terminal.Clean(summary.OutputNote));
            if (summary.TruncationNote is { } truncation) Cli.Warn(truncation);
            if (summary.SameVectorNote is { } same) Cli.Warn(same);
            if (summary.Skipped.Count > 0)
                Cli.Out.WriteLine(Terminal.Clean($"Skipped {summary.Skipped.Count} unreadable input(s), listed in {EmbeddingFileWriter.SkippedPath(summary.Output)}"));
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// A progress bar with samples/s and time left on a terminal; a line per 25% (with the rate) otherwise, those of the first
    /// 15 s left out when the run is refused (a later batch's failure is then one line), as every command's are.
    /// </summary>
    internal static T RunWithProgress<T>(Func<IProgress<ProgressUpdate>, Action<int>, T> work)
    {
        var rate = new Rate();
        if (ProgressDisplay.PlainLines) return ProgressDisplay.RunPlain(lines => work(new RateLines(lines, rate), total => rate.Total = total));
        T result = default!;
        ProgressDisplay.ShowBar(ctx =>
        {
            var task = ctx.AddTask("embedding", maxValue: 1.0);
            result = work(new Progress(task, rate), total => rate.Total = total);
        });
        return result;
    }

    private sealed class Rate
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        public int Total { get; set; }
        public string Describe(double fraction)
        {
            double done = fraction * Total, seconds = clock.Elapsed.TotalSeconds;
            return Total == 0 || seconds <= 0 ? "" : $"{done:F0}/{Total}, {done / seconds:F1} samples/s";
        }
        public string Left(double fraction)
        {
            double seconds = clock.Elapsed.TotalSeconds;
            return fraction <= 0 ? "" : $", {seconds * (1 - fraction) / fraction:F0} s left";
        }
    }

    private sealed class Progress(ProgressTask task, Rate rate) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value)
        {
            task.Value = value.Fraction;
            task.Description = Markup.Escape($"{value.Stage} {rate.Describe(value.Fraction)}");
        }
    }

    /// <summary>A plain line per 25%, with the rate; held for the run's first seconds as other commands' lines are (<see cref="ProgressDisplay.RunPlain"/>).</summary>
    private sealed class RateLines(ProgressDisplay.PlainProgress lines, Rate rate) : IProgress<ProgressUpdate>
    {
        private int quarter = -1;
        public void Report(ProgressUpdate value)
        {
            int q = (int)(value.Fraction * 4);
            if (q <= quarter || ProgressDisplay.Stopping()) return;
            quarter = q;
            lines.WriteLine($"{value.Stage}: {Math.Floor(value.Fraction * 100)}% {rate.Describe(value.Fraction)}{(value.Fraction < 1 ? rate.Left(value.Fraction) : "")}");
        }
    }
}
