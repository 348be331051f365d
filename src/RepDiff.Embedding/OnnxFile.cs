using Google.Protobuf;
using Onnx;
using RepDiff;
using RepDiff.IO;

namespace RepDiff.Embedding;

/// <summary>Reads an ONNX model's protobuf, turning anything that is not one into a one-line input error.</summary>
internal static class OnnxFile
{
    public static ModelProto Parse(string path) => Parse(InputFile.ReadAllBytes(path, "an ONNX model"), path);

    public static ModelProto Parse(byte[] bytes, string name)
    {
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e) { throw RepDiffInputException.ForFile(name, $"not an ONNX model ({e.Message})"); }
        if (model.Graph is null || model.Graph.Node.Count == 0 || model.Graph.Output.Count == 0 || model.OpsetImport.Count == 0)
            throw RepDiffInputException.ForFile(name, "not an ONNX model (no graph, nodes, outputs or opset)");
        return model;
    }
}
