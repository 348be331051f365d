using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace RepDiff.Bench;

/// <summary>
/// What decided `embed`'s model calls, measured in one process: ResNet18.onnx under ONNX Runtime session options
/// and batch sizes (`embed-probe`), and MiniLM texts (`embed-texts-ab`) and ResNet-18 images (`embed-images-ab`) with one
/// call at a time against concurrent single-threaded calls.
/// </summary>
public static class EmbedProbe
{
    /// <summary>args: [sentences] [rounds]: MiniLM through Embedder with one call at a time (2 threads) against two concurrent single-threaded calls, and batch sizes.</summary>
    [Bench("embed-texts-ab")]
    public static void TextsAb(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 1000, rounds = args.Length > 1 ? int.Parse(args[1]) : 2;
        var sentences = Enumerable.Range(0, n).Select(i => $"Sentence number {i} talks about {(i * 7919) % 1000} things, some of them {string.Join(' ', Enumerable.Repeat("very", i % 17))} long.").ToArray();
        var description = RepDiff.Embedding.BuiltInModels.Resolve("minilm-l6");
        for (int round = 0; round < rounds; round++)
            foreach (var (name, runs, batch) in new[] { ("serial-b32", 1, 32), ("concurrent-b32", 2, 32), ("serial-b64", 1, 64), ("concurrent-b16", 2, 16) })
            {
                var clock = Stopwatch.StartNew();
                using (var embedder = RepDiff.Embedding.Embedder.Open(description, new RepDiff.Embedding.EmbedderOptions { ConcurrentRuns = runs, BatchSize = batch })) embedder.EmbedTexts(sentences);
                Console.WriteLine(JsonSerializer.Serialize(new { name, seconds = clock.Elapsed.TotalSeconds, per_second = n / clock.Elapsed.TotalSeconds }));
            }
    }

    /// <summary>
    /// args: [images (default 96)] [rounds (default 3)]: ResNet-18 through Embedder with one batch at a time (what `embed` does
    /// for images: since h257, its images as two concurrent single-threaded calls) against two batches at once, each a
    /// single-threaded call per image, alternating, on embed-images' PNGs.
    /// </summary>
    [Bench("embed-images-ab")]
    public static void ImagesAb(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 96, rounds = args.Length > 1 ? int.Parse(args[1]) : 3;
        string dir = Path.Combine(Path.GetTempPath(), $"repdiff-embed-ab-{Environment.ProcessId}");
        var paths = EmbedBench.WriteImages(dir, n);
        var description = RepDiff.Embedding.BuiltInModels.Resolve("resnet18");
        for (int round = 0; round < rounds; round++)
        {
            var outputs = new Dictionary<int, float[]>();
            // The order flips every round, so neither side always runs while the machine's load is rising or falling.
            foreach (int runs in round % 2 == 0 ? new[] { 1, 2 } : new[] { 2, 1 })
                EmbedBench.Report($"embed-images-concurrent-{runs}", n, EmbedBench.Time(() =>
                {
                    using var embedder = RepDiff.Embedding.Embedder.Open(description, new RepDiff.Embedding.EmbedderOptions { ConcurrentRuns = runs });
                    outputs[runs] = embedder.EmbedImages(paths).Data;
                }));
            Console.WriteLine(JsonSerializer.Serialize(new { name = "embed-images-ab-same-bytes", same = outputs[1].AsSpan().SequenceEqual(outputs[2]) }));
        }
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// args: [images] [rounds] [cases, comma-separated (default: all)]: random 224×224 inputs, session options and batch
    /// sizes (batches above 1 on the graph with its batch axis opened), each case's wall and CPU seconds, and whether its
    /// outputs are the first case's bytes.
    /// </summary>
    [Bench("embed-probe")]
    public static void Probe(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 32, rounds = args.Length > 1 ? int.Parse(args[1]) : 2;
        string[]? only = args.Length > 2 ? args[2].Split(',') : null;
        string path = RepDiff.Embedding.BuiltInModels.Resolve("resnet18").Model!;
        var bytes = File.ReadAllBytes(path);
        var model = ModelProto.Parser.ParseFrom(bytes);
        foreach (var v in model.Graph.Input.Concat(model.Graph.Output))
            if (v.Type.TensorType.Shape.Dim[0].DimValue == 1) v.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = "batch" };
        model.Graph.ValueInfo.Clear();
        var opened = model.ToByteArray();
        var rng = new Random(0);
        var input = new float[n * 3 * 224 * 224];
        for (int i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * 255 - 128);
        string inputName = "Input247";
        const int features = 512;
        float[]? reference = null;
        for (int round = 0; round < rounds; round++)
        {
            if (round == 0) Console.WriteLine(string.Join(", ", model.Graph.Node.GroupBy(x => x.OpType).Select(g => $"{g.Key}:{g.Count()}")));
            foreach (var (name, batch, spin, threads, callers, useOpened) in new (string, int, bool, int, int, bool)[]
            {
                ("default-b1", 1, true, 2, 1, false),
                ("nospin-b1", 1, false, 2, 1, false),
                ("nospin-b1-daz", 1, false, 2, 1, false),
                ("t1-callers2-b1-daz", 1, false, 1, 2, false),
                ("t1-callers2-b1", 1, false, 1, 2, false),
                ("t1-callers2-b1-noarena", 1, false, 1, 2, false),
                ("t1-callers2-b1-nopattern", 1, false, 1, 2, false),
                ("nospin-b1-noarena", 1, false, 2, 1, false),
                ("nospin-b1-dynamic-blocks", 1, false, 2, 1, false),
                ("nospin-b4-opened", 4, false, 2, 1, true),
                ("nospin-b8-opened", 8, false, 2, 1, true),
            })
            {
                if (only is not null && !only.Contains(name)) continue;
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = threads, InterOpNumThreads = 1 };
                if (!spin) options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
                if (name.Contains("daz")) options.AddSessionConfigEntry("session.set_denormal_as_zero", "1");
                if (name.Contains("noarena")) options.EnableCpuMemArena = false;
                if (name.Contains("nopattern")) options.EnableMemoryPattern = false;
                // Work handed out in shrinking blocks, so a thread that another process held up does less of a call.
                if (name.Contains("dynamic-blocks")) options.AddSessionConfigEntry("session.dynamic_block_base", "4");
                using var session = useOpened ? new InferenceSession(opened, options) : new InferenceSession(path, options);
                double load = clock.Elapsed.TotalSeconds, loadCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                int per = 3 * 224 * 224;
                var embeddings = new float[n * features];
                Parallel.For(0, (n + batch - 1) / batch, new ParallelOptions { MaxDegreeOfParallelism = callers }, b =>
                {
                    int first = b * batch;
                    int count = Math.Min(batch, n - first);
                    using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(first * per, count * per), new long[] { count, 3, 224, 224 });
                    using var runOptions = new RunOptions();
                    using var outputs = session.Run(runOptions, [inputName], [value], ["Pooling395_Output_0"]);
                    outputs[0].GetTensorDataAsSpan<float>().CopyTo(embeddings.AsSpan(first * features, count * features));
                });
                double total = clock.Elapsed.TotalSeconds, totalCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                reference ??= embeddings;
                double minCosine = Enumerable.Range(0, n).Min(i => EmbedBench.Cosine(embeddings.AsSpan(i * features, features), reference.AsSpan(i * features, features)));
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    name, load, load_cpu = loadCpu, infer = total - load, infer_cpu = totalCpu - loadCpu, per_second = n / (total - load), per_cpu_second = n / (totalCpu - loadCpu),
                    same_bytes_as_first = embeddings.AsSpan().SequenceEqual(reference), min_cosine_to_first = minCosine,
                }));
            }
        }
    }
}
