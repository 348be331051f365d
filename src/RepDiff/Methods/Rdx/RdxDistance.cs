using System.Text.Json.Serialization;
using RepDiff.Options;

namespace RepDiff.Methods.Rdx;

/// <summary>How each representation's distances are brought to a comparable scale (docs/methods/METHODS.md §1.1).</summary>
public enum RdxDistance { Neighborhood, MaxNormalized, LocalScaling }
