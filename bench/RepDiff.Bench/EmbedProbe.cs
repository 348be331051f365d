using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace RepDiff.Bench;

/// <summary>
/// What decided `embed`'s model calls, measured in one process: ResNet18.onnx under ONNX Runtime session options
/// and batch sizes (`embed-probe`), and MiniLM texts with one call at a time against concurrent single-threaded calls
/// (`embed-texts-ab`).
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

    /// <summary>args: [images] [rounds]: random 224×224 inputs, session options and batch sizes (batches above 1 on the graph with its batch axis opened).</summary>
    [Bench("embed-probe")]
    public static void Probe(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 32, rounds = args.Length > 1 ? int.Parse(args[1]) : 2;
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
        for (int round = 0; round < rounds; round++)
        {
            if (round == 0) Console.WriteLine(string.Join(", ", model.Graph.Node.GroupBy(x => x.OpType).Select(g => $"{g.Key}:{g.Count()}")));
            foreach (var (name, batch, spin, threads, callers, useOpened) in new (string, int, bool, int, int, bool)[]
            {
                ("default-b1", 1, true, 2, 1, false),
                ("nospin-b1", 1, false, 2, 1, false),
                ("nospin-b1-daz", 1, false, 2, 1, false),
                ("t1-callers2-b1-daz", 1, false, 1, 2, false),
                ("nospin-b1-noarena", 1, false, 2, 1, false),
            })
            {
                var clock = Stopwatch.StartNew();
                using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = threads, InterOpNumThreads = 1 };
                if (!spin) options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
                if (name.Contains("daz")) options.AddSessionConfigEntry("session.set_denormal_as_zero", "1");
                if (name.Contains("noarena")) options.EnableCpuMemArena = false;
                using var session = useOpened ? new InferenceSession(opened, options) : new InferenceSession(path, options);
                double load = clock.Elapsed.TotalSeconds;
                int per = 3 * 224 * 224;
                Parallel.For(0, (n + batch - 1) / batch, new ParallelOptions { MaxDegreeOfParallelism = callers }, b =>
                {
                    int first = b * batch;
                    int count = Math.Min(batch, n - first);
                    using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(first * per, count * per), new long[] { count, 3, 224, 224 });
                    using var runOptions = new RunOptions();
                    using var outputs = session.Run(runOptions, [inputName], [value], ["Pooling395_Output_0"]);
                });
                double total = clock.Elapsed.TotalSeconds;
                Console.WriteLine(JsonSerializer.Serialize(new { name, load, infer = total - load, per_second = n / (total - load) }));
            }
        }
    }
}
