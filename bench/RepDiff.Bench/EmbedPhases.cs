using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using RepDiff.Embedding;

namespace RepDiff.Bench;

/// <summary>
/// Where a process's first ResNet-18 round spends its time (`embed-phases`): ONNX Runtime's start, hashing the
/// model, session creation, the mean image, decoding and tensorizing each image, and each model call, timed one by
/// one; and what session creation costs from the original model against ONNX Runtime's saved optimized graph
/// (`embed-session`), with the outputs compared bit for bit.
/// </summary>
public static class EmbedPhases
{
    /// <summary>args: [images (default 32)] [image size (default 224)] [optimized-model cache folder (default: the user's)]. Run it in a fresh process: the first of everything is the point.</summary>
    [Bench("embed-phases")]
    public static void Phases(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 32;
        var total = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        double Lap() { double s = clock.Elapsed.TotalSeconds; clock.Restart(); return s; }
        var description = BuiltInModels.Resolve("resnet18");
        var phases = new Dictionary<string, object> { ["resolve"] = Lap() };
        _ = OrtEnv.Instance();
        phases["ort_env"] = Lap();
        string? cache = args.Length < 3 ? OptimizedModelCache.DefaultFolder : args[2] == "none" ? null : args[2];
        var cpuClock = Process.GetCurrentProcess().TotalProcessorTime;
        double CpuLap() { var now = Process.GetCurrentProcess().TotalProcessorTime; double s = (now - cpuClock).TotalSeconds; cpuClock = now; return s; }
        if (cache is not null)
        {
            OptimizedModelCache.For(cache, description.Model!, null);
            phases["hash_first"] = Lap();
            phases["hash_first_cpu"] = CpuLap();
            OptimizedModelCache.For(cache, description.Model!, null);
            phases["hash_second"] = Lap();
            phases["hash_second_cpu"] = CpuLap();
        }
        CpuLap();
        // Reading whether the graph fixes its batch at 1 (its inputs, the weights skipped), done before every session opens.
        phases["batch_peek_result"] = OnnxFile.FixesBatchAtOne(description.Model!);
        phases["batch_peek"] = Lap();
        phases["batch_peek_cpu"] = CpuLap();
        using (var model = ModelSession.Open(description.Model!, description.Output, null, description.Names.Layer, Environment.ProcessorCount, cache)) { phases["session_first"] = Lap(); phases["session_first_cpu"] = CpuLap(); }
        using var session = ModelSession.Open(description.Model!, description.Output, null, description.Names.Layer, Environment.ProcessorCount, cache);
        phases["session_second"] = Lap();
        phases["session_second_cpu"] = CpuLap();
        var tensorizer = new ImageTensorizer(description.Image!, description);
        phases["mean_image"] = Lap();
        string dir = Path.Combine(Path.GetTempPath(), $"repdiff-embed-phases-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var paths = Enumerable.Range(0, n).Select(i => Path.Combine(dir, $"img{i}.jpg")).ToArray();
        WriteJpegs(paths, args.Length > 1 ? int.Parse(args[1]) : 224);
        Lap();
        var decode = new double[n];
        var tensorize = new double[n];
        var pixels = new float[n * tensorizer.Values];
        for (int i = 0; i < n; i++)
        {
            var image = ImageDecoder.Decode(paths[i]);
            decode[i] = Lap();
            tensorizer.Write(image, pixels.AsSpan(i * tensorizer.Values, tensorizer.Values), paths[i]);
            tensorize[i] = Lap();
        }
        var run = new double[n];
        for (int i = 0; i < n; i++)
        {
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pixels.AsMemory(i * tensorizer.Values, tensorizer.Values), [1, 3, 224, 224]);
            using var options = new RunOptions();
            using var outputs = session.Session.Run(options, ["Input247"], [value], [session.OutputName]);
            run[i] = Lap();
        }
        Directory.Delete(dir, recursive: true);
        phases["decode_first3"] = decode.Take(3).ToArray();
        phases["decode_rest_mean"] = decode.Skip(3).DefaultIfEmpty().Average();
        phases["tensorize_first3"] = tensorize.Take(3).ToArray();
        phases["tensorize_rest_mean"] = tensorize.Skip(3).DefaultIfEmpty().Average();
        phases["run_first3"] = run.Take(3).ToArray();
        phases["run_rest_mean"] = run.Skip(3).DefaultIfEmpty().Average();
        phases["total"] = total.Elapsed.TotalSeconds;
        phases["process_cpu"] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(phases));
    }

    private static void WriteJpegs(string[] paths, int size)
    {
        for (int i = 0; i < paths.Length; i++)
        {
            using var bitmap = new SkiaSharp.SKBitmap(size, size);
            using (var canvas = new SkiaSharp.SKCanvas(bitmap))
            {
                using var paint = new SkiaSharp.SKPaint
                {
                    Shader = SkiaSharp.SKShader.CreateLinearGradient(new(0, 0), new(size, size * (i % 3 + 1) / 3f),
                        [SkiaSharp.SKColor.FromHsv(i * 41 % 360, 50, 90), SkiaSharp.SKColor.FromHsv((i * 41 + 150) % 360, 70, 30)], SkiaSharp.SKShaderTileMode.Mirror),
                };
                canvas.DrawRect(0, 0, size, size, paint);
            }
            using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 90);
            File.WriteAllBytes(paths[i], data.ToArray());
        }
    }

    /// <summary>args: [rounds]: ResNet-18 session creation from the original file against a saved optimized model, outputs compared bit for bit.</summary>
    [Bench("embed-session")]
    public static void Sessions(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0]) : 2;
        var description = BuiltInModels.Resolve("resnet18");
        string path = description.Model!;
        string dir = Path.Combine(Path.GetTempPath(), $"repdiff-embed-session-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        string optimized = Path.Combine(dir, "resnet18.opt.onnx"), ortFormat = Path.Combine(dir, "resnet18.ort");
        var input = new float[3 * 224 * 224];
        var rng = new Random(0);
        for (int i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * 255 - 128);
        byte[]? reference = null;
        SessionOptions Options(GraphOptimizationLevel level, string? save = null)
        {
            var o = new SessionOptions { GraphOptimizationLevel = level, IntraOpNumThreads = 2, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            o.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            if (save is not null) o.OptimizedModelFilePath = save;
            if (save is not null && save.EndsWith(".ort")) o.AddSessionConfigEntry("session.save_model_format", "ORT");
            return o;
        }
        using (var o = Options(GraphOptimizationLevel.ORT_ENABLE_ALL, optimized)) using (new InferenceSession(path, o)) { }
        using (var o = Options(GraphOptimizationLevel.ORT_ENABLE_ALL, ortFormat)) using (new InferenceSession(path, o)) { }
        Console.WriteLine(JsonSerializer.Serialize(new { optimized_bytes = new FileInfo(optimized).Length, ort_bytes = new FileInfo(ortFormat).Length, original_bytes = new FileInfo(path).Length }));
        for (int round = 0; round < rounds; round++)
            foreach (var (name, file, level) in new[]
            {
                ("original-all", path, GraphOptimizationLevel.ORT_ENABLE_ALL),
                ("optimized-disable", optimized, GraphOptimizationLevel.ORT_DISABLE_ALL),
                ("optimized-all", optimized, GraphOptimizationLevel.ORT_ENABLE_ALL),
                ("ort-format-disable", ortFormat, GraphOptimizationLevel.ORT_DISABLE_ALL),
                ("original-basic", path, GraphOptimizationLevel.ORT_ENABLE_BASIC),
            })
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                using var o = Options(level);
                using var session = new InferenceSession(file, o);
                double create = clock.Elapsed.TotalSeconds, createCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                clock.Restart();
                using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, 224, 224]);
                using var ro = new RunOptions();
                byte[] bytes;
                using (var outputs = session.Run(ro, ["Input247"], [value], ["Pooling395_Output_0"]))
                    bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(outputs[0].GetTensorDataAsSpan<float>()).ToArray();
                double first = clock.Elapsed.TotalSeconds;
                clock.Restart();
                for (int k = 0; k < 8; k++)
                {
                    using var outputs = session.Run(ro, ["Input247"], [value], ["Pooling395_Output_0"]);
                }
                double steady = clock.Elapsed.TotalSeconds / 8;
                reference ??= bytes;
                Console.WriteLine(JsonSerializer.Serialize(new { name, create, create_cpu = createCpu, first_run = first, steady_run = steady, same_bytes = bytes.AsSpan().SequenceEqual(reference) }));
            }
        Directory.Delete(dir, recursive: true);
    }
}
