using System.Text.Json.Serialization;
using RepDiff.Options;

namespace RepDiff.Methods.Rdx;

/// <summary>How the two comparable-scale matrices are compared (§1.2).</summary>
public enum RdxDifference { LocallyBiased, Standard }
