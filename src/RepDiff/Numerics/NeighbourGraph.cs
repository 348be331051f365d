namespace RepDiff.Numerics;

/// <summary>
/// The K nearest neighbours of each of N points, self excluded: row i's neighbours are Indices[i·K .. i·K + K),
/// nearest first, with their Euclidean Distances (not squared). Made by <see cref="NearestNeighbours"/>.
/// </summary>
public sealed record NeighbourGraph(int N, int K, int[] Indices, float[] Distances)
{
    public ReadOnlySpan<int> NeighboursOf(int i) => Indices.AsSpan(i * K, K);

    public ReadOnlySpan<float> DistancesOf(int i) => Distances.AsSpan(i * K, K);
}
