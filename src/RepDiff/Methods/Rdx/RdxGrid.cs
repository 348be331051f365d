using System.Text.Json.Serialization;
using RepDiff.Options;

namespace RepDiff.Methods.Rdx;

/// <summary>Which members of a concept are shown (§1.6).</summary>
public enum RdxGrid { MaxAffinity, Centroid, Random }
