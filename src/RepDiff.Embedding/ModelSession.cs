using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using RepDiff;

namespace RepDiff.Embedding;

/// <summary>
/// An ONNX Runtime session for one embedding run: the named output (or an intermediate tensor exposed as
/// an extra graph output), and a leading batch axis fixed at 1 opened up so batches run in one call.
/// </summary>
internal sealed class ModelSession : IDisposable
{
    private readonly string path;
    private readonly int threads;
    private readonly string? layer;

    public InferenceSession Session { get; private set; }
    public string OutputName { get; }
    /// <summary>Largest batch the session takes: 1 when the graph fixes it and could not be opened up.</summary>
    public int MaxBatch { get; private set; }
    /// <summary>True while the batch axis is one this class opened up and has not yet been seen to work.</summary>
    public bool BatchUnproven { get; private set; }

    private ModelSession(string path, int threads, string? layer, InferenceSession session, string output, int maxBatch, bool unproven)
        => (this.path, this.threads, this.layer, Session, OutputName, MaxBatch, BatchUnproven) = (path, threads, layer, session, output, maxBatch, unproven);

    public static ModelSession Open(string path, string? output, string? layer, int threads, int batchSize)
    {
        if (!File.Exists(path)) throw RepDiffInputException.ForFile(path, "model file not found");
        // The graph is read first (cheap next to building a session) so that the session is built once,
        // from the file itself unless the graph needs an edit.
        var graph = OnnxFile.Parse(path);
        bool edited = false;
        if (layer is not null) { ExposeLayer(graph, layer, path); edited = true; }
        bool fixedOne = HasBatchFixedAtOne(graph);
        if (fixedOne && batchSize > 1) { OpenBatchAxis(graph); edited = true; }
        var session = Create(edited ? graph : null, path, threads);
        string outputName = layer ?? output ?? session.OutputMetadata.Keys.First();
        if (!session.OutputMetadata.ContainsKey(outputName))
        {
            session.Dispose();
            throw RepDiffInputException.ForFile(path, $"has no output named '{outputName}' (outputs: {string.Join(", ", session.OutputMetadata.Keys)}); --layer exposes an intermediate tensor");
        }
        // The graph says batch 1 (CNTK and many TF exports do); most such graphs compute any batch, which the first batch proves.
        return new ModelSession(path, threads, layer, session, outputName, fixedOne && batchSize == 1 ? 1 : int.MaxValue, fixedOne && batchSize > 1);
    }

    private static bool HasBatchFixedAtOne(ModelProto model)
    {
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet();
        return model.Graph.Input.Where(i => !initializers.Contains(i.Name)).Any(i =>
            i.Type?.TensorType?.Shape?.Dim is { Count: > 0 } dims && dims[0].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && dims[0].DimValue == 1);
    }

    /// <summary>After the first batch ran with the opened batch axis: it works.</summary>
    public void BatchProven() => BatchUnproven = false;

    /// <summary>The opened batch axis failed: go back to the graph as stored and one sample per call.</summary>
    public void FallBackToBatchOne()
    {
        Session.Dispose();
        ModelProto? edited = null;
        if (layer is not null) { edited = OnnxFile.Parse(path); ExposeLayer(edited, layer, path); }
        Session = Create(edited, path, threads);
        MaxBatch = 1;
        BatchUnproven = false;
    }

    private static InferenceSession Create(ModelProto? model, string path, int threads)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // Idle pool threads sleep instead of spinning: the decoding thread runs beside inference, and cores are often shared.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try
        {
            return model is null ? new InferenceSession(path, options) : new InferenceSession(model.ToByteArray(), options);
        }
        catch (OnnxRuntimeException e)
        {
            throw RepDiffInputException.ForFile(path, e.Message.Contains("InvalidProtobuf") ? "not an ONNX model (its protobuf does not parse)"
                : $"ONNX Runtime cannot load it ({FirstLine(e.Message)})");
        }
        finally
        {
            options.Dispose();
        }
    }

    internal static string FirstLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static void ExposeLayer(ModelProto model, string layer, string path)
    {
        var graph = model.Graph;
        if (graph.Output.Any(o => o.Name == layer)) return;
        bool produced = graph.Node.Any(n => n.Output.Contains(layer)) || graph.Input.Any(i => i.Name == layer);
        if (!produced)
        {
            var some = graph.Node.SelectMany(n => n.Output).Where(o => o.Length > 0).Take(8);
            throw RepDiffInputException.ForFile(path, $"has no tensor named '{layer}' (--layer); tensors include: {string.Join(", ", some)}, ...");
        }
        var known = graph.ValueInfo.FirstOrDefault(v => v.Name == layer);
        graph.Output.Add(known?.Clone() ?? new ValueInfoProto
        {
            Name = layer,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
        });
    }

    private static void OpenBatchAxis(ModelProto model)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        foreach (var value in graph.Input.Where(i => !initializers.Contains(i.Name)).Concat(graph.Output))
        {
            var dims = value.Type?.TensorType?.Shape?.Dim;
            if (dims is { Count: > 0 } && dims[0].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && dims[0].DimValue == 1)
                dims[0] = new TensorShapeProto.Types.Dimension { DimParam = "batch" };
        }
        // Recorded intermediate shapes still say 1; shape inference recomputes them.
        graph.ValueInfo.Clear();
    }

    public void Dispose() => Session.Dispose();
}
