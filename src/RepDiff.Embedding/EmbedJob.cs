using System.Diagnostics;
using RepDiff;
using RepDiff.IO;

namespace RepDiff.Embedding;

/// <summary>`repdiff embed` as a library call: embed a source with a described model into a file, ids beside it.</summary>
public static class EmbedJob
{
    /// <param name="OutputNote">Which of several graph outputs was embedded, when nothing named one (<see cref="Embedder.OutputNote"/>).</param>
    /// <param name="TruncationNote">How many texts were cut to the model's token limit (<see cref="Embedder.TruncationNote"/>).</param>
    /// <param name="SameVectorNote">That every sample got the same embedding (<see cref="Embedder.SameVectorNote"/>), or null.</param>
    public sealed record Summary(string Output, string Model, int Rows, int Cols, IReadOnlyList<SkippedSample> Skipped, double Seconds, string? OutputNote = null,
        string? TruncationNote = null, string? SameVectorNote = null);

    /// <summary>A source read and checked: its images or texts, one id each.</summary>
    /// <param name="Note">What the user should hear about the inputs before they are embedded (blank texts, images in subfolders left unread), or null.</param>
    public sealed record Inputs(ImageSet? Images, string[]? Texts, string[] Ids, string? Note = null)
    {
        public int Count => Ids.Length;
    }

    /// <param name="isOutput">Whether the file is the run's output (`embed`'s), not a cache inside a longer run: see <see cref="EmbeddingFileWriter(string, bool)"/>.</param>
    public static Summary Run(ModelDescription description, EmbeddingSource source, string output, EmbedderOptions options, IProgress<ProgressUpdate>? progress = null, Action<int>? started = null, bool isOutput = false)
    {
        var clock = Stopwatch.StartNew();
        var inputs = Read(description, source, output);
        using var embedder = Embedder.Open(description, options);
        return Run(embedder, inputs, output, progress, started, clock, isOutput);
    }

    /// <summary>
    /// The inputs read, with --out checked against them and the model's files, before the model loads: a bad --out or SRC
    /// fails fast, and the inputs' <see cref="Inputs.Note"/> can be said before a progress display starts.
    /// </summary>
    public static Inputs Read(ModelDescription description, EmbeddingSource source, string output)
    {
        EmbeddingFileWriter.Check(output);
        // --images pixels.npy --out pixels.npy (or --texts x.ids.txt --out x.npy, or --out the description's mean image or
        // vocabulary) replaced an input with the output; compared as files, so a hard link or another spelling is caught too.
        string?[] read = [source.Path, .. new[] { description.Model, description.Text?.Vocab, description.Text?.Tokenizer, description.Image?.MeanImage }.Select(description.PathOf)];
        foreach (string target in new[] { output, EmbeddingFileWriter.IdsPath(output), EmbeddingFileWriter.SkippedPath(output) })
            foreach (string? input in read)
                if (input is not null && FileKind.SameFile(target, input))
                    throw RepDiffInputException.ForFile(output, $"--out would replace the input {input} (with {Path.GetFileName(target)}); write it elsewhere");
        return Load(source);
    }

    /// <summary>The inputs SRC gives; a refusal of SRC names its option first ("--texts page.txt: is an HTML page; …").</summary>
    public static Inputs Load(EmbeddingSource source) => RepDiffInputException.GivenWith(source.Texts ? "--texts" : "--images", source.Path, () =>
    {
        if (source.Texts)
        {
            var (texts, ids, note) = source.LoadTexts();
            return new Inputs(null, texts, ids, note);
        }
        var (images, imageIds) = source.LoadImages();
        // In the note, said once the model has opened: said before, a model that did not open gave it and then the error.
        return new Inputs(images, null, imageIds, SampleFiles.UnreadSubfolderNote(source.Path));
    });

    /// <summary>Embeds inputs already read with a model already open (compare opens both models before either embeds).</summary>
    public static Summary Run(Embedder embedder, Inputs inputs, string output, IProgress<ProgressUpdate>? progress = null, Action<int>? started = null, Stopwatch? clock = null, bool isOutput = false)
    {
        clock ??= Stopwatch.StartNew();
        started?.Invoke(inputs.Count);
        using var writer = new EmbeddingFileWriter(output, isOutput);
        // Rows are compared with the first as they pass: a model whose output does not depend on its input (a wrong output
        // or layer, a broken export) gives one vector for every sample, and nothing that compares it means anything.
        float[]? first = null;
        bool same = true;
        void Append(float[] values, int count, int cols)
        {
            for (int r = 0; r < count && same; r++)
            {
                var row = values.AsSpan(r * cols, cols);
                if (first is null) first = row.ToArray();
                else same = row.SequenceEqual(first);
            }
            writer.Append(values, count, cols);
        }
        var run = inputs.Texts is not null ? embedder.RunTexts(inputs.Texts, Append, progress) : embedder.RunImages(inputs.Images!, Append, progress);
        writer.Commit(run.Kept.Select(i => inputs.Ids[i]).ToArray(), run.Skipped);
        return new Summary(output, embedder.Name, run.Rows, run.Cols, run.Skipped, clock.Elapsed.TotalSeconds, embedder.OutputNote, embedder.TruncationNote,
            same && run.Rows > 1 ? embedder.SameVectorNote(run.Rows) : null);
    }
}
