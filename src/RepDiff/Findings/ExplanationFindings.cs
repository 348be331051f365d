namespace RepDiff.Findings;

/// <summary>The findings of one explanation: a sentence per direction and one line for the whole report.</summary>
public sealed record ExplanationFindings(string Method, IReadOnlyList<DirectionFinding> Directions, string Summary)
{
    public DirectionFinding For(string direction) =>
        Directions.FirstOrDefault(d => d.Direction == direction)
        ?? throw new KeyNotFoundException($"{Method} has no direction '{direction}'");
}
