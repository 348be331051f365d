using System.Buffers.Binary;
using System.Text.Json;

namespace RepDiff.IO;

/// <summary>One tensor described by a safetensors header; Offset is from the start of the file.</summary>
public sealed record SafetensorsTensor(string Name, NpyDtype Dtype, long[] Shape, long Offset, long Length);
