namespace RepDiff.Findings;

/// <summary>The findings of one explanation: a sentence per direction and one line for the whole report.</summary>
public sealed record ExplanationFindings(string Method, IReadOnlyList<DirectionFinding> Directions, string Summary)
{
    public DirectionFinding For(string direction) =>
        Directions.FirstOrDefault(d => d.Direction == direction)
        ?? throw new KeyNotFoundException($"{Method} has no direction '{direction}'");

    /// <summary>results.json's "findings": the method's line and each direction's sentence, as the terminal prints them.</summary>
    public System.Text.Json.Nodes.JsonObject ToJson()
    {
        var directions = new System.Text.Json.Nodes.JsonObject();
        foreach (var finding in Directions) directions[finding.Direction] = finding.Text;
        return new() { ["summary"] = Summary, ["directions"] = directions };
    }
}
