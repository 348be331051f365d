using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using RepDiff;
using RepDiff.IO;

namespace RepDiff.Embedding;

/// <summary>
/// An ONNX Runtime session for one embedding run: the named output (or an intermediate tensor exposed as
/// an extra graph output). A graph whose batch axis is fixed at 1 runs one sample per call: opening the
/// axis up makes ResNet-18 slower on this CPU, 6.6–7.9 images/s at 32 per call against 12.5 at one per call
/// (docs/benchmarks.md).
/// </summary>
internal sealed class ModelSession : IDisposable
{
    public InferenceSession Session { get; }
    public string OutputName { get; }
    /// <summary>Largest batch the session takes: 1 when the graph fixes it.</summary>
    public int MaxBatch { get; }
    /// <summary>
    /// Single-sample calls run at once on one batch: the threads given, each a single-threaded call, for a graph that
    /// fixes its batch at 1 when asked for (images); else 1, one call split across the threads.
    /// </summary>
    public int CallsAtOnce { get; }

    /// <summary>The element types an embedding is read from: float16 (fp16 exports) is widened to float32.</summary>
    public static readonly IReadOnlyList<string> EmbeddingTypes = ["float", "float16"];

    private ModelSession(InferenceSession session, string output, int maxBatch, int callsAtOnce)
        => (Session, OutputName, MaxBatch, CallsAtOnce) = (session, output, maxBatch, callsAtOnce);

    private static readonly Lazy<string> runtimeVersion = new(() => OrtEnv.Instance().GetVersionString());

    /// <summary>
    /// The version of the ONNX Runtime native library in use ("1.32.0"): another version may optimize and compute
    /// differently, so the optimized graphs and the kept embeddings are keyed by it.
    /// </summary>
    public static string RuntimeVersion => runtimeVersion.Value;

    /// <param name="optimizedModels">Folder of the optimized-graph cache (<see cref="OptimizedModelCache"/>); null: none.</param>
    /// <param name="layerNamedBy">What named <paramref name="layer"/> (--layer, compare's --layer-a or -b, a description's "layer"), for messages.</param>
    /// <param name="shownName">What a message tells the user to inspect (a built-in model's name); null: the file's path.</param>
    /// <param name="samplesAtOnce">
    /// When the graph fixes its batch at 1, run <paramref name="threads"/> single-threaded calls at once (<see cref="CallsAtOnce"/>)
    /// rather than one call split across them: ResNet-18's threads waited on each other at the end of every operator,
    /// about 5–8% of its CPU time (docs/benchmarks.md, issue 14, h257).
    /// </param>
    public static ModelSession Open(string path, string? output, string? layer, string layerNamedBy, int threads, string? optimizedModels = null, string? shownName = null,
        bool samplesAtOnce = false)
    {
        RequireModelFile(path);
        // The graph is parsed only to expose a layer; otherwise the session reads the file itself.
        ModelProto? graph = null;
        if (layer is not null) { graph = OnnxFile.Parse(path); ExposeLayer(graph, layer, layerNamedBy, path, shownName ?? path); }
        // A batch axis fixed at 1 (CNTK and many TensorFlow exports) means one sample per call. Read from the file, as the
        // session's threads depend on it.
        bool fixedOne = graph is null ? OnnxFile.FixesBatchAtOne(path) : OnnxFile.FixesBatchAtOne(graph);
        int callsAtOnce = fixedOne && samplesAtOnce ? threads : 1;
        var session = Create(graph, path, threads / callsAtOnce, optimizedModels);
        string outputName = layer ?? output ?? session.OutputMetadata.Keys.First();
        if (!session.OutputMetadata.ContainsKey(outputName))
        {
            session.Dispose();
            throw RepDiffInputException.ForFile(path, $"has no output named '{outputName}' (outputs: {string.Join(", ", session.OutputMetadata.Keys)}); {layerNamedBy} exposes an intermediate tensor");
        }
        // Said when the model opens, not in ONNX Runtime's words once the first batch has run.
        string type = TypeName(session.OutputMetadata[outputName].ElementDataType);
        if (!EmbeddingTypes.Contains(type))
        {
            session.Dispose();
            throw RepDiffInputException.ForFile(path, $"output '{outputName}' holds {type} values; an embedding is read from float32 or float16 values: "
                + $"name the output that holds the embedding (`repdiff inspect {shownName ?? path}` lists them)");
        }
        return new ModelSession(session, outputName, fixedOne ? 1 : int.MaxValue, callsAtOnce);
    }

    /// <summary>An element type as ONNX names it ("float", "float16", "int64", "bfloat16"), for messages.</summary>
    public static string TypeName(TensorElementType type) => type.ToString().ToLowerInvariant();

    /// <summary>
    /// Refuses what cannot be a model before ONNX Runtime sees it: a folder would be "model file not found", and an
    /// empty file ONNX Runtime's own message, naming the path twice.
    /// </summary>
    internal static void RequireModelFile(string path)
    {
        if (FileKind.Of(path) == FileKind.Missing) throw RepDiffInputException.ForFile(path, "model file not found");
        FileKind.RequireRegular(path);
        if (new FileInfo(path).Length == 0) throw RepDiffInputException.ForFile(path, "is empty (0 bytes), not an ONNX model");
        // Weights kept beside the graph: ONNX Runtime names only the graph, in its C++ words, when one is missing or not a file.
        foreach (string weights in OnnxFile.ExternalDataFiles(path))
        {
            FileKind.RequireRegular(weights);
            if (new FileInfo(weights).Length == 0)
                throw RepDiffInputException.ForFile(weights, $"is empty (0 bytes), but {Path.GetFileName(path)} keeps its weights in it");
        }
    }

    private static InferenceSession Create(ModelProto? model, string path, int threads, string? optimizedModels)
    {
        byte[]? bytes = model?.ToByteArray();
        var cache = optimizedModels is null ? null : OptimizedModelCache.For(optimizedModels, path, bytes);
        using (var options = Options(threads))
            if (cache?.Load(options) is { } cached) return cached;
        string? saveTo = cache?.Reserve();
        try
        {
            InferenceSession session;
            try
            {
                session = Create(bytes, path, threads, saveTo);
            }
            catch (OnnxRuntimeException) when (saveTo is not null)
            {
                // Saving the optimized graph may be what failed (a graph too large to save inline): open it without.
                OptimizedModelCache.Discard(saveTo);
                saveTo = null;
                session = Create(bytes, path, threads, null);
            }
            // Only a session that opened commits what it saved.
            if (saveTo is not null) cache!.Commit(saveTo);
            saveTo = null;
            return session;
        }
        catch (OnnxRuntimeException e)
        {
            throw RepDiffInputException.ForFile(path, e.Message.Contains("InvalidProtobuf") ? "not an ONNX model (its protobuf does not parse)"
                : $"ONNX Runtime cannot load it ({FirstLine(e.Message)})");
        }
        finally
        {
            if (saveTo is not null) OptimizedModelCache.Discard(saveTo);
        }
    }

    private static InferenceSession Create(byte[]? bytes, string path, int threads, string? saveTo)
    {
        using var options = Options(threads);
        if (saveTo is not null) options.OptimizedModelFilePath = saveTo;
        return bytes is null ? new InferenceSession(path, options) : new InferenceSession(bytes, options);
    }

    private static SessionOptions Options(int threads)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // Only fatal messages: every failure reaches the user as one line of ours (Embedder), ONNX Runtime's own log
            // of the same failure (in colour escapes) was a second, third and fourth line on stderr.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        // Idle pool threads sleep instead of spinning: the decoding thread runs beside inference, and cores are often shared.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /// <summary>
    /// ONNX Runtime's message on one line, without the C++ file, line and function it prefixes its reasons with
    /// ("/onnxruntime_src/…/initializer.cc:79 onnxruntime::Initializer::Initializer(const onnxruntime::Graph&amp;, …) "):
    /// words for its developers, not for someone whose model failed to load.
    /// </summary>
    internal static string FirstLine(string message)
    {
        string text = message.ReplaceLineEndings(" ").Trim();
        for (int at; (at = text.IndexOf("/onnxruntime_src/", StringComparison.Ordinal)) >= 0;)
        {
            int end = text.IndexOf('(', at), depth = 0;
            for (; end >= 0 && end < text.Length; end++)
                if (text[end] == '(') depth++;
                else if (text[end] == ')' && --depth == 0) break;
            text = end < 0 || end >= text.Length ? text[..at].TrimEnd() : (text[..at] + text[(end + 1)..].TrimStart()).Trim();
        }
        // The short form, a file and line then the function's bare name ("tensorprotoutils.cc:1876 GetExtDataFromTensorProto ").
        return System.Text.RegularExpressions.Regex.Replace(text, @"\b\w+\.(?:cc|cpp|h):\d+ [\w:~]+ ", "");
    }

    private static void ExposeLayer(ModelProto model, string layer, string layerNamedBy, string path, string shownName)
    {
        var graph = model.Graph;
        if (graph.Output.Any(o => o.Name == layer)) return;
        bool produced = graph.Node.Any(n => n.Output.Contains(layer)) || graph.Input.Any(i => i.Name == layer);
        string listing = $"`repdiff inspect {shownName} --layers` lists the tensors it takes";
        if (!produced)
        {
            // The name as typed in another case is the likeliest slip; else the listing that holds every name it takes.
            string? near = graph.Node.SelectMany(n => n.Output).FirstOrDefault(o => string.Equals(o, layer, StringComparison.OrdinalIgnoreCase));
            throw RepDiffInputException.ForFile(path, $"has no tensor named '{layer}' ({layerNamedBy}){(near is null ? ";" : $"; did you mean '{near}'?")} {listing}");
        }
        // A shape or index computation (int64, bool) is no representation: said here, not as ONNX Runtime's type error.
        bool typed = OnnxModelInfo.ElementTypes(graph).TryGetValue(layer, out string? type);
        if (typed && type is not ("float" or "float16" or "double" or "bfloat16"))
            throw RepDiffInputException.ForFile(path, $"tensor '{layer}' ({layerNamedBy}) holds {type} values, a shape or index computation, not a layer to embed; {listing}");
        if (typed && !EmbeddingTypes.Contains(type!))
            throw RepDiffInputException.ForFile(path, $"tensor '{layer}' ({layerNamedBy}) holds {type} values; an embedding is read from float32 or float16 values: choose another layer ({listing})");
        var known = graph.ValueInfo.FirstOrDefault(v => v.Name == layer);
        // Declared as the type the graph computes there: a float16 tensor declared float was ONNX Runtime's type error on loading.
        var elementType = type == "float16" ? TensorProto.Types.DataType.Float16 : TensorProto.Types.DataType.Float;
        graph.Output.Add(known?.Clone() ?? new ValueInfoProto
        {
            Name = layer,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType } },
        });
    }

    public void Dispose() => Session.Dispose();
}
