using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RepDiff.IO;

/// <summary>The parsed header of a .npy array: dtype, memory order, shape and where the data starts.</summary>
public sealed record NpyHeader(NpyDtype Dtype, bool FortranOrder, long[] Shape, long DataOffset)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);
    public long DataBytes => Count * Dtype.Size;
}
