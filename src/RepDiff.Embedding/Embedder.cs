using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RepDiff;
using RepDiff.IO;

namespace RepDiff.Embedding;

/// <summary>
/// Turns images or texts into embeddings with one ONNX model. Batches are prepared (decoded, resized,
/// tokenized) on a producer thread while the previous batch runs, and rows come out in input order.
/// <code>
/// using var embedder = Embedder.Open(BuiltInModels.Resolve("minilm-l6"));
/// Matrix vectors = embedder.EmbedTexts(["a cat", "a dog"]);   // 2 × 384
/// </code>
/// </summary>
public sealed class Embedder : IDisposable
{
    private readonly ModelDescription description;
    private readonly EmbedderOptions options;
    private readonly ModelSession model;
    private readonly string modelPath;
    private readonly ImageTensorizer? tensorizer;
    private readonly TextTokenizer? tokenizer;
    private readonly string? imageInput;
    /// <summary>The image input takes float16 (an fp16 export): each batch's pixels are rounded to it.</summary>
    private readonly bool halfPixels;
    private readonly TextInput? idsInput, maskInput, typesInput;
    /// <summary>Tokens per text of a model exported with a fixed sequence length: every batch is padded to it.</summary>
    private readonly int? fixedTokens;
    private readonly int concurrentRuns;

    private sealed record TextInput(string Name, bool Int32);

    public ModelDescription Description => description;
    public string Name => description.DisplayName;

    /// <summary>Texts of the last run cut to the model's max_length (counted as they are tokenized, on the batches' thread).</summary>
    private int truncatedTexts, textsRun;

    /// <summary>
    /// How many texts of the last run had more tokens than the model takes and were cut to their first ones, or null when none
    /// were: a 20,000-word line had been embedded from its first 256 tokens without a word (review 174).
    /// </summary>
    public string? TruncationNote => Volatile.Read(ref truncatedTexts) is var cut and > 0
        ? $"{cut:N0} of {textsRun:N0} texts had more tokens than {Name} takes and were embedded from their first {tokenizer!.MaxLength:N0} tokens "
          + $"({description.Names.Setting("max_length", "--max-length")} sets that); the rest of each was left out"
        : null;

    /// <summary>
    /// Said when the embedding is the first of several graph outputs because nothing named one: a model exported with
    /// last_hidden_state and pooler_output is otherwise embedded by the first without a word.
    /// </summary>
    public string? OutputNote
    {
        get
        {
            var outputs = model.Session.OutputMetadata.Keys.ToArray();
            return description.Output is null && description.Layer is null && outputs.Length > 1
                ? $"{Path.GetFileName(modelPath)} has {outputs.Length} outputs ({string.Join(", ", outputs)}); embedded the first, '{model.OutputName}' ({description.Names.Setting("\"output\"", "--output", "or")} names another)"
                : null;
        }
    }

    /// <summary>What is said when all <paramref name="rows"/> embeddings of a run are the same vector (embed warns, compare refuses).</summary>
    public string SameVectorNote(int rows)
        => $"all {rows:N0} embeddings {Name} made are the same vector: its output '{model.OutputName}' does not depend on the input "
           + $"(the wrong {description.Names.Setting("\"output\"", "--output", "or")} or {description.Names.Layer}, or a broken export?), and no comparison with it can mean anything";

    private Embedder(ModelDescription description, EmbedderOptions options)
    {
        this.description = description;
        this.options = options;
        options.Check();
        modelPath = description.PathOf(description.Model) ?? throw new RepDiffInputException("the model description names no model file (\"model\")");
        // Texts: one single-threaded model call per core, each on its own batch. A small encoder's operators are
        // too short to split across cores without the threads waiting on each other at every one (worse on a
        // shared machine). Images: one batch at a time; a graph that takes one image per call runs a single-threaded
        // call per core on the batch's images (ModelSession.CallsAtOnce), any other one call split across the cores.
        concurrentRuns = Math.Clamp(options.ConcurrentRuns ?? (description.Text is not null ? options.Threads : 1), 1, options.Threads);
        // An image model's mean image is read while the session opens (both take a noticeable part of a short run).
        var meanImage = description.Text is null && description.Image is { } spec ? Task.Run(() => new ImageTensorizer(spec, description)) : null;
        try
        {
            model = ModelSession.Open(modelPath, description.Output, description.Layer, description.Names.Layer, options.Threads / concurrentRuns, options.OptimizedModels,
                description.Name is { } name && BuiltInModels.IsBuiltIn(name) ? name : null, samplesAtOnce: description.Text is null);
        }
        catch
        {
            try { meanImage?.Wait(); } catch (AggregateException) { }
            throw;
        }
        try
        {
            var inputs = model.Session.InputMetadata;
            var described = inputs.Select(i => Info(i.Key, i.Value)).ToArray();
            if (description.Text is { } text)
            {
                if (!inputs.ContainsKey(text.InputIds!) && described.FirstOrDefault(i => i.TakesImages()) is { } pixels)
                    throw RepDiffInputException.ForFile(modelPath, ImageModelGivenTexts(pixels));
                tokenizer = new TextTokenizer(text, description);
                idsInput = BindTextInput(inputs, text.InputIds, required: true);
                maskInput = BindTextInput(inputs, text.AttentionMask, required: false);
                typesInput = BindTextInput(inputs, text.TokenTypeIds, required: false);
                RequireOpenBatch(idsInput!.Name, inputs[idsInput.Name]);
                var fed = new[] { idsInput, maskInput, typesInput }.Where(i => i is not null).Select(i => i!.Name).ToHashSet();
                var unfed = inputs.Keys.Where(k => !fed.Contains(k)).ToArray();
                if (unfed.Length > 0)
                    throw RepDiffInputException.ForFile(modelPath, $"takes inputs {string.Join(", ", described.Where(i => unfed.Contains(i.Name)).Select(i => i.Describe()))} that texts do not give "
                        + $"(a text model is fed {string.Join(", ", fed)}); name them in its description's text section if they are input_ids, attention_mask or token_type_ids, else export the model without them");
                // An export traced at one length (torch.onnx without dynamic axes for the tokens) takes only that many: batches
                // padded to their longest text failed in ONNX Runtime's words, after embedding had begun.
                if (inputs[idsInput!.Name].Dimensions is [_, > 0 and var tokens])
                {
                    if (tokenizer.MaxLength > tokens)
                        throw RepDiffInputException.ForFile(modelPath, $"input '{idsInput.Name}' takes exactly {tokens} tokens per text, fewer than max_length {tokenizer.MaxLength}; "
                            + (description.Names.HasDescriptionFlags ? $"give --max-length {tokens}" : $"set its max_length to {tokens} in its model description"));
                    fixedTokens = tokens;
                }
            }
            else
            {
                var image = description.Image!;
                tensorizer = meanImage!.GetAwaiter().GetResult();
                CheckBatchFits(tensorizer, options.BatchSize);
                // Token ids and no pixels: a text model, whatever the input named.
                if (!described.Any(i => i.TakesImages()) && described.FirstOrDefault(i => i.TakesTokens()) is { } ids)
                    throw RepDiffInputException.ForFile(modelPath, TextModelGivenImages(ids));
                imageInput = description.Input ?? inputs.Keys.First();
                if (!inputs.TryGetValue(imageInput, out var meta))
                    throw RepDiffInputException.ForFile(modelPath, $"has no input named '{imageInput}' (inputs: {string.Join(", ", inputs.Keys)})");
                // Only pixels are fed: naming the image input (--input) left the others to ONNX Runtime's "missing input".
                if (inputs.Count > 1)
                    throw RepDiffInputException.ForFile(modelPath, $"takes {inputs.Count} inputs ({string.Join("; ", described.Select(i => i.Describe()))}), and images give only pixels, "
                        + $"to one input; export the model with the image as its only input (the others fixed as constants inside it)");
                CheckImageInput(meta, image);
                RequireOpenBatch(imageInput, meta);
                halfPixels = meta.ElementDataType == TensorElementType.Float16;
            }
        }
        catch
        {
            try { meanImage?.Wait(); } catch (AggregateException) { }
            model.Dispose();
            throw;
        }
    }

    public static Embedder Open(ModelDescription description, EmbedderOptions? options = null)
        => new(description.Resolved(description.DisplayName), options ?? new EmbedderOptions());

    private TextInput? BindTextInput(IReadOnlyDictionary<string, NodeMetadata> inputs, string? name, bool required)
    {
        if (string.IsNullOrEmpty(name) || !inputs.TryGetValue(name, out var meta))
        {
            if (required) throw RepDiffInputException.ForFile(modelPath, $"has no input named '{name}' for the token ids (inputs: {string.Join(", ", inputs.Keys)})");
            return null;
        }
        if (meta.ElementDataType is not (TensorElementType.Int64 or TensorElementType.Int32) || meta.Dimensions.Length is not (2 or UnknownRank))
            throw RepDiffInputException.ForFile(modelPath, $"input '{name}' is {meta.ElementDataType} of rank {meta.Dimensions.Length}; token inputs must be int64 or int32 [batch, tokens]");
        return new TextInput(name, meta.ElementDataType == TensorElementType.Int32);
    }

    /// <summary>
    /// A batch's pixels are one float array, and up to four batches are alive at once (one being decoded, two queued,
    /// one running). 32 images at the largest size a description allows (8192×8192) overflowed the array's length
    /// (an internal error), and smaller batches of such images could ask for more memory than the machine has.
    /// </summary>
    private void CheckBatchFits(ImageTensorizer images, int batchSize)
    {
        const int InFlight = 4;
        long perImage = 4L * images.Values, budget = MemoryBudget.Available() / 4 * 3;
        long fits = Math.Min(Array.MaxLength / images.Values, budget / (InFlight * perImage));
        if (batchSize <= fits) return;
        string what = $"{images.Height}x{images.Width} images take {MemoryBudget.Megabytes(perImage)} each as float32";
        throw fits >= 1
            ? RepDiffInputException.ForFile(modelPath, $"{what}: a batch of {batchSize} does not fit in memory ({InFlight} batches are held at once, about {MemoryBudget.Megabytes(budget)} may be used); give --batch-size {fits} or less")
            : RepDiffInputException.ForFile(modelPath, $"{what}: {InFlight} of them (the batches held at once) do not fit in memory (about {MemoryBudget.Megabytes(budget)} may be used); describe a smaller \"size\"");
    }

    /// <summary>
    /// The rank ONNX Runtime gives an input that declares no shape: it cannot tell one from a scalar, and no image or text
    /// model takes a scalar, so such an input is fed its batches as they are and the run says whether it takes them. It had
    /// been refused as "has shape []", which read as a scalar the model does not declare.
    /// </summary>
    private const int UnknownRank = 0;

    private void CheckImageInput(NodeMetadata meta, ImagePreprocessing image)
    {
        string Shape() => "[" + string.Join(", ", Info(imageInput!, meta).Shape) + "]";
        if (meta.ElementDataType is not (TensorElementType.Float or TensorElementType.Float16))
            throw RepDiffInputException.ForFile(modelPath, $"input '{imageInput}' takes {ModelSession.TypeName(meta.ElementDataType)} values, and images are fed as float32 or float16; "
                + "export the model with a float32 or float16 image input");
        if (meta.Dimensions.Length == UnknownRank) return;
        if (meta.Dimensions.Length != 4)
            throw RepDiffInputException.ForFile(modelPath, $"input '{imageInput}' has shape {Shape()}; an image input must be [batch, 3, height, width] (or [batch, height, width, 3] with layout nhwc)");
        bool nchw = image.Layout == "nchw";
        long c = meta.Dimensions[nchw ? 1 : 3], h = meta.Dimensions[nchw ? 2 : 1], w = meta.Dimensions[nchw ? 3 : 2];
        if (c > 0 && c != 3) throw RepDiffInputException.ForFile(modelPath, $"input '{imageInput}' has shape {Shape()} with {c} channels; images give 3 ({image.Layout})");
        if (h > 0 && h != image.Size![0] || w > 0 && w != image.Size![1])
        {
            // A bare .onnx has no description to set "size" in, and no flag sets it: say which file to write (read beside the model).
            string size = $"[{(h > 0 ? h : image.Size[0])}, {(w > 0 ? w : image.Size[1])}]";
            throw RepDiffInputException.ForFile(modelPath, $"input '{imageInput}' has shape {Shape()} but the description makes {image.Size[0]}x{image.Size[1]} images; "
                + $"set \"size\": {size} in its model description (for a bare .onnx, {Path.GetFileName(Path.ChangeExtension(modelPath, ".json"))} beside it holding {{\"image\": {{\"size\": {size}}}}})");
        }
    }

    /// <summary>
    /// A batch axis fixed at 2 or more takes exactly that many samples per call, and batches of every size are run (the last
    /// is what is left): they failed in ONNX Runtime's words. (Fixed at 1, the model is run one sample per call.)
    /// </summary>
    private void RequireOpenBatch(string name, NodeMetadata meta)
    {
        if (meta.Dimensions is { Length: > 0 } dims && dims[0] > 1)
            throw RepDiffInputException.ForFile(modelPath, $"input {Info(name, meta).Describe()} takes exactly {dims[0]} samples per call, and batches of every size are embedded "
                + "(the last is what is left); export the model with a dynamic batch axis, or a batch of 1");
    }

    /// <summary>A session input as `inspect` lists a graph's (type as ONNX names it, symbolic axes by name, "?" where unknown).</summary>
    private static OnnxTensorInfo Info(string name, NodeMetadata meta) => new(name, ModelSession.TypeName(meta.ElementDataType),
        meta.Dimensions.Select((d, i) => d >= 0 ? d.ToString() : meta.SymbolicDimensions[i] is { Length: > 0 } s ? s : "?").ToArray());

    /// <summary>What a model that takes pixels is told when given texts (here and where a bare .onnx is resolved).</summary>
    internal static string ImageModelGivenTexts(OnnxTensorInfo pixels)
        => $"takes images (input {pixels.Describe()}), not texts: it is an image model; give it --images";

    private string TextModelGivenImages(OnnxTensorInfo ids)
        => $"takes token ids (input {ids.Describe()}), not images: it is a text model; give it --texts, with its vocabulary (a model description's text section"
           + (description.Names.HasDescriptionFlags ? ", or --vocab / --tokenizer)" : ")");

    /// <summary>Embeds image files (decoded with Skia) in order; one row per image.</summary>
    public Matrix EmbedImages(IReadOnlyList<string> paths, IProgress<ProgressUpdate>? progress = null)
        => EmbedImages(new ImageSet(paths.ToArray()), progress);

    /// <summary>Embeds an image set: files, or pixel arrays (N×H×W grey or N×H×W×C RGB/RGBA, values 0..1).</summary>
    public Matrix EmbedImages(ImageSet images, IProgress<ProgressUpdate>? progress = null)
        => Collect(sink => RunImages(images, sink, progress));

    public Matrix EmbedTexts(IReadOnlyList<string> texts, IProgress<ProgressUpdate>? progress = null)
        => Collect(sink => RunTexts(texts, sink, progress));

    private static Matrix Collect(Func<Action<float[], int, int>, EmbeddingRun> run)
    {
        var rows = new List<float>();
        var result = run((values, count, cols) => rows.AddRange(values.AsSpan(0, count * cols)));
        return new Matrix(result.Rows, result.Cols, rows.ToArray());
    }

    /// <summary>Streams image embeddings to <paramref name="sink"/>(values, rows, cols) in input order.</summary>
    public EmbeddingRun RunImages(ImageSet images, Action<float[], int, int> sink, IProgress<ProgressUpdate>? progress = null)
    {
        if (tensorizer is null) throw new RepDiffInputException($"{Name} is a text model; give it texts, not images");
        if (images.Count == 0) throw new RepDiffInputException("no images to embed");
        return Run(images.Count, ImageBatches(images), sink, progress);
    }

    /// <summary>Streams text embeddings to <paramref name="sink"/>(values, rows, cols) in input order.</summary>
    public EmbeddingRun RunTexts(IReadOnlyList<string> texts, Action<float[], int, int> sink, IProgress<ProgressUpdate>? progress = null)
    {
        if (tokenizer is null) throw new RepDiffInputException($"{Name} is an image model; give it images, not texts");
        if (texts.Count == 0) throw new RepDiffInputException("no texts to embed");
        (truncatedTexts, textsRun) = (0, texts.Count);
        return Run(texts.Count, TextBatches(texts), sink, progress);
    }

    private IEnumerable<EmbeddingBatch> ImageBatches(ImageSet images)
    {
        // Decoding goes batch by batch even when the model takes one image per call: the next batch is decoded while this one runs.
        int values = tensorizer!.Values, batchSize = options.BatchSize;
        for (int start = 0; start < images.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, images.Count - start);
            var pixels = new float[n * values];
            var failures = new RepDiffInputException?[n];
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = options.Threads }, i =>
            {
                int sample = start + i;
                string name = images.Paths?[sample] ?? (images.Source is { } file ? $"{file}[{sample}]" : $"image {sample}");
                try
                {
                    using var decoded = images.Paths is not null ? ImageDecoder.Decode(name, DecodeBudget.Shared) : ImageDecoder.FromPixels(images.ImagePixels(sample), images.Height, images.Width, images.Channels);
                    tensorizer.Write(decoded, pixels.AsSpan(i * values, values), name);
                }
                catch (RepDiffInputException e)
                {
                    failures[i] = e;
                }
            });
            // Without --skip-unreadable the first bad image (in input order) stops the run.
            if ((!options.SkipUnreadable || images.Paths is null) && failures.FirstOrDefault(f => f is not null) is { } first)
                throw images.Paths is not null && options.UnreadableAdvice is { } advice ? new RepDiffInputException(first.Message + advice) : first;
            var kept = Enumerable.Range(0, n).Where(i => failures[i] is null).ToArray();
            if (kept.Length < n)
            {
                for (int k = 0; k < kept.Length; k++)
                    if (kept[k] != k) pixels.AsSpan(kept[k] * values, values).CopyTo(pixels.AsSpan(k * values));
            }
            var batch = new EmbeddingBatch { Count = kept.Length, Samples = kept.Select(i => start + i).ToArray(), Pixels = pixels, Consumed = n };
            for (int i = 0; i < n; i++)
                if (failures[i] is { } failure) batch.Skipped.Add(SkippedSample.Of(start + i, images.Paths![start + i], failure));
            yield return batch;
        }
    }

    private IEnumerable<EmbeddingBatch> TextBatches(IReadOnlyList<string> texts)
    {
        int max = tokenizer!.MaxLength, batchSize = options.BatchSize, windowSize = batchSize * 8;
        for (int start = 0; start < texts.Count; start += windowSize)
        {
            int n = Math.Min(windowSize, texts.Count - start);
            // Each text's ids at their own length: a window of max_length slots per text would be batch × 8 × max_length
            // tokens whatever the texts' lengths (at the flags' limits, more than an array can hold).
            var ids = new long[n][];
            var scratch = new long[max];
            for (int i = 0; i < n; i++)
            {
                ids[i] = scratch.AsSpan(0, tokenizer.Encode(texts[start + i], scratch, out bool cut)).ToArray();
                if (cut) truncatedTexts++;
            }
            // Sorting by length within the window keeps padding (wasted model work) small.
            var order = Enumerable.Range(0, n).OrderBy(i => ids[i].Length).ToArray();
            for (int first = 0; first < n; first += batchSize)
            {
                int count = Math.Min(batchSize, n - first);
                var slots = order.AsSpan(first, count).ToArray();
                int length = fixedTokens ?? slots.Max(i => ids[i].Length);
                var batchIds = new long[count * length];
                var mask = new long[count * length];
                if (tokenizer.PadId != 0) batchIds.AsSpan().Fill(tokenizer.PadId);
                for (int r = 0; r < count; r++)
                {
                    var text = ids[slots[r]];
                    text.CopyTo(batchIds.AsSpan(r * length));
                    mask.AsSpan(r * length, text.Length).Fill(1);
                }
                yield return new EmbeddingBatch
                {
                    Count = count, Samples = slots.Select(s => start + s).ToArray(), Ids = batchIds, Mask = mask, Length = length,
                    WindowSlots = slots, WindowSize = n, EndsWindow = first + count == n, Consumed = count,
                };
            }
        }
    }

    /// <summary>
    /// Runs prepared batches through the model while the next ones are prepared on another thread; with several
    /// concurrent runs, each takes the next batch as soon as it is free, and rows are handed on in input order.
    /// </summary>
    private EmbeddingRun Run(int total, IEnumerable<EmbeddingBatch> batches, Action<float[], int, int> sink, IProgress<ProgressUpdate>? progress)
    {
        using var queue = new BlockingCollection<(int Index, EmbeddingBatch Batch)>(boundedCapacity: 2 * concurrentRuns);
        using var stop = new CancellationTokenSource();
        var producer = Task.Run(() =>
        {
            try
            {
                int index = 0;
                foreach (var batch in batches) queue.Add((index++, batch), stop.Token);
            }
            finally { queue.CompleteAdding(); }
        });
        var kept = new List<int>(total);
        var skipped = new List<SkippedSample>();
        int cols = -1, done = 0, rows = 0;
        float[]? window = null;
        void HandOn(EmbeddingBatch batch, float[]? values)
        {
            skipped.AddRange(batch.Skipped);
            if (values is not null)
            {
                int sampleCols = values.Length / batch.Count;
                if (cols < 0) cols = sampleCols;
                else if (cols != sampleCols) throw VaryingWidth(sampleCols, cols);
                if (batch.WindowSlots is null)
                {
                    sink(values, batch.Count, cols);
                    rows += batch.Count;
                }
                else
                {
                    window ??= new float[batch.WindowSize * cols];
                    if (window.Length < batch.WindowSize * cols) window = new float[batch.WindowSize * cols];
                    for (int r = 0; r < batch.Count; r++) values.AsSpan(r * cols, cols).CopyTo(window.AsSpan(batch.WindowSlots[r] * cols));
                    if (batch.EndsWindow)
                    {
                        sink(window, batch.WindowSize, cols);
                        rows += batch.WindowSize;
                    }
                }
                kept.AddRange(batch.Samples);
            }
            done += batch.Consumed;
            progress.Report("embedding", (double)done / total);
        }
        // Each run takes the next batch as soon as it is free. (Running the batches in pairs left a core idle
        // whenever one of the pair took longer: text batches differ in length.)
        var handOff = new InOrderHandOff<(EmbeddingBatch Batch, float[]? Values)>(ready => HandOn(ready.Batch, ready.Values));
        var failures = new SortedList<int, Exception>();
        void Work()
        {
            int index = -1;
            try
            {
                foreach (var item in queue.GetConsumingEnumerable(stop.Token))
                {
                    index = item.Index;
                    handOff.Finished(index, (item.Batch, item.Batch.Count > 0 ? Infer(item.Batch) : null));
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            catch (Exception e)
            {
                // Batches are taken in order and a running one is never interrupted, so every batch before a
                // failing one finishes: the lowest failing index is the first failure in input order.
                lock (failures) failures[index] = e;
                stop.Cancel();
            }
        }
        progress.Report("embedding", 0);
        var workers = Enumerable.Range(0, concurrentRuns).Select(_ => Task.Run(Work)).ToArray();
        Task.WaitAll(workers);
        try { producer.Wait(); }
        catch (AggregateException e) when (failures.Count == 0) { ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw(); }
        catch (AggregateException) { }  // cancelled after a failure reported below
        if (failures.Count > 0) ExceptionDispatchInfo.Capture(failures.Values[0]).Throw();
        // Every input left out: said with the first one's reason (which names its file), so the line says where to look.
        if (rows == 0)
            throw new RepDiffInputException(skipped.MinBy(s => s.Index) is { } first
                ? $"{first.Name}: {first.Reason} (and no other input could be read either: {skipped.Count} skipped, nothing left to embed)"
                : "no input to embed");
        kept.Sort();
        return new EmbeddingRun(rows, cols, kept.ToArray(), skipped);
    }

    private RepDiffInputException VaryingWidth(int sampleCols, int cols)
        => RepDiffInputException.ForFile(modelPath, $"output '{model.OutputName}' gives {sampleCols} values per sample in one batch and {cols} in another; choose a pooling that removes the varying axis");

    /// <summary>Positions of BERT-family encoders (MiniLM, Arctic, E5): the longest input most text models take.</summary>
    private const int TypicalMaxPositions = 512;

    /// <summary>
    /// Runs one batch (in slices when the graph takes one sample per call, <see cref="ModelSession.CallsAtOnce"/> of them at
    /// once, each written to its own rows) and pools its output rows.
    /// </summary>
    private float[] Infer(EmbeddingBatch batch)
    {
        int per = Math.Min(batch.Count, model.MaxBatch), slices = (batch.Count + per - 1) / per;
        var pooled = new float[slices][];
        var failures = new ExceptionDispatchInfo?[slices];
        void RunSlice(int slice)
        {
            try
            {
                pooled[slice] = InferSlice(batch, slice * per, Math.Min(per, batch.Count - slice * per));
            }
            catch (OnnxRuntimeException e)
            {
                failures[slice] = ExceptionDispatchInfo.Capture(RepDiffInputException.ForFile(modelPath, RunFailure(e, batch)));
            }
            catch (Exception e)
            {
                failures[slice] = ExceptionDispatchInfo.Capture(e);
            }
        }
        int next = -1;
        void TakeSlices()
        {
            for (int slice; (slice = Interlocked.Increment(ref next)) < slices && !failures.Any(f => f is not null);) RunSlice(slice);
        }
        // Dedicated threads beside this one: the thread pool's are held by the producer and this run, and a call queued
        // to it waited for the pool to grow (half a second or more).
        var helpers = Enumerable.Range(1, Math.Min(model.CallsAtOnce, slices) - 1)
            .Select(_ => Task.Factory.StartNew(TakeSlices, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        TakeSlices();
        Task.WaitAll(helpers);
        // The first failure in input order, whichever call failed first.
        failures.FirstOrDefault(f => f is not null)?.Throw();
        int cols = pooled[0].Length / Math.Min(per, batch.Count);
        var result = new float[batch.Count * cols];
        for (int slice = 0; slice < slices; slice++)
        {
            int count = Math.Min(per, batch.Count - slice * per);
            if (pooled[slice].Length != count * cols) throw VaryingWidth(pooled[slice].Length / count, cols);
            pooled[slice].CopyTo(result.AsSpan(slice * per * cols));
        }
        return result;
    }

    /// <summary>
    /// A model that opened but failed on a batch, said as what it was fed, which node failed and what usually mends it:
    /// ONNX Runtime's own message ("Non-zero status code returned while running MatMul node. Name:'…' Status Message: …")
    /// is for its developers. What the checks at opening (inputs, types, fixed axes) could not see is a graph that takes
    /// another size inside than its inputs declare.
    /// </summary>
    private string RunFailure(OnnxRuntimeException e, EmbeddingBatch batch)
    {
        string message = ModelSession.FirstLine(e.Message);
        var node = System.Text.RegularExpressions.Regex.Match(message, @"running (\S+) node\. Name:'([^']*)' Status Message: (.*)$");
        string what = node.Success ? $"its node '{node.Groups[2].Value}' ({node.Groups[1].Value}) failed: {node.Groups[3].Value.Trim()}"
            : System.Text.RegularExpressions.Regex.Replace(message, @"^\[ErrorCode:\w+\] ", "");
        if (batch.Ids is not null)
            // Past its position embeddings a text model fails deep inside (a broadcast in an Add node): name the length.
            return $"cannot run on texts of {batch.Length} tokens ({what}); " + (batch.Length > TypicalMaxPositions
                ? $"its texts ran to {batch.Length} tokens ({description.Names.Setting("max_length", "--max-length")}), more than most text models take ({TypicalMaxPositions})"
                : "check that the tokenizer and max_length are the model's own");
        return $"cannot run on {tensorizer!.Height}x{tensorizer.Width} images ({what}); the graph may hold weights for another image size than its input declares: "
            + $"set \"size\" to the one it was exported at (in its model description{(description.Names.HasDescriptionFlags ? $", for a bare .onnx {Path.GetFileName(Path.ChangeExtension(modelPath, ".json"))} beside it" : "")})";
    }

    private float[] InferSlice(EmbeddingBatch batch, int first, int count)
    {
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            if (batch.Pixels is not null)
            {
                var image = description.Image!;
                int per = tensorizer!.Values;
                long[] shape = image.Layout == "nchw" ? [count, 3, tensorizer.Height, tensorizer.Width] : [count, tensorizer.Height, tensorizer.Width, 3];
                names.Add(imageInput!);
                var pixels = batch.Pixels.AsMemory(first * per, count * per);
                values.Add(halfPixels ? OrtValue.CreateTensorValueFromMemory(ToHalf(pixels.Span), shape)
                    : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pixels, shape));
            }
            else
            {
                long[] shape = [count, batch.Length];
                var ids = batch.Ids.AsMemory(first * batch.Length, count * batch.Length);
                var mask = batch.Mask.AsMemory(first * batch.Length, count * batch.Length);
                AddTokens(idsInput!, ids, shape, names, values);
                if (maskInput is not null) AddTokens(maskInput, mask, shape, names, values);
                if (typesInput is not null) AddTokens(typesInput, new long[count * batch.Length], shape, names, values);
            }
            using var runOptions = new RunOptions();
            using var outputs = model.Session.Run(runOptions, names, values, [model.OutputName]);
            var output = outputs[0];
            var info = output.GetTensorTypeAndShape();
            // The session's output types were checked when it opened (ModelSession.EmbeddingTypes).
            ReadOnlySpan<float> data = info.ElementDataType == TensorElementType.Float16 ? Widen(output.GetTensorDataAsSpan<Float16>()) : output.GetTensorDataAsSpan<float>();
            var mask2 = batch.Mask is null ? default : batch.Mask.AsSpan(first * batch.Length, count * batch.Length);
            return Pooling.Pool(data, info.Shape, count, description.Pooling!, mask2, description.Normalize == true, model.OutputName, modelPath, description.Names);
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>Pixels rounded to float16 (to nearest), for a model whose image input takes it.</summary>
    private static Float16[] ToHalf(ReadOnlySpan<float> values)
    {
        var half = new Float16[values.Length];
        for (int i = 0; i < half.Length; i++) half[i] = (Float16)values[i];
        return half;
    }

    /// <summary>A float16 output widened to float32 (exactly: every float16 value is a float32 value).</summary>
    private static float[] Widen(ReadOnlySpan<Float16> values)
    {
        var wide = new float[values.Length];
        for (int i = 0; i < wide.Length; i++) wide[i] = (float)values[i];
        return wide;
    }

    private static void AddTokens(TextInput input, Memory<long> tokens, long[] shape, List<string> names, List<OrtValue> values)
    {
        names.Add(input.Name);
        if (!input.Int32) { values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tokens, shape)); return; }
        var narrow = new int[tokens.Length];
        var span = tokens.Span;
        for (int i = 0; i < narrow.Length; i++) narrow[i] = (int)span[i];
        values.Add(OrtValue.CreateTensorValueFromMemory(narrow, shape));
    }

    public void Dispose() => model.Dispose();
}
