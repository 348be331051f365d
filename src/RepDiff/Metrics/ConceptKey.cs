namespace RepDiff.Metrics;

/// <summary>Names one concept of a results set: method, direction and rank (1 = strongest), and its size.</summary>
public sealed record ConceptKey(string Method, string Direction, int Rank, int Members)
{
    public override string ToString() => $"{Method} {Direction} #{Rank}";
}
