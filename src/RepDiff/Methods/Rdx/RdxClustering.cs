using System.Text.Json.Serialization;
using RepDiff.Options;

namespace RepDiff.Methods.Rdx;

/// <summary>How the symmetrized affinity is split into concepts (§1.4).</summary>
public enum RdxClustering
{
    Spectral,
    [JsonStringEnumMemberName("pagerank")] PageRank,
    [JsonStringEnumMemberName("eigencentrality")] EigenCentrality,
}
