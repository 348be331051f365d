using System.Text.Json.Nodes;
using System.Numerics.Tensors;
using RepDiff.Numerics;

namespace RepDiff.Metrics;

/// <summary>The distance BSR compares under (docs/methods/METHODS.md §2).</summary>
public enum BsrDistance
{
    /// <summary>Neighbourhood rank + 1 (self = 1).</summary>
    Silb,
    /// <summary>Euclidean distance over its maximum.</summary>
    Mned,
    /// <summary>Local-scaling distance D² / (s_i s_j), s = distance to the 7th neighbour.</summary>
    Lsed,
}
