using System.Buffers.Binary;
using System.Text.Json;

namespace RepDiff.IO;

/// <summary>
/// One tensor described by a safetensors header; Offset is from the start of the file. Dtype is null for a dtype RepDiff
/// does not read (<see cref="DtypeName"/> says which): the file's other tensors are read all the same.
/// </summary>
public sealed record SafetensorsTensor(string Name, NpyDtype? Dtype, long[] Shape, long Offset, long Length, string DtypeName);
