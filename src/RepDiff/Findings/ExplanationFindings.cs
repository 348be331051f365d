namespace RepDiff.Findings;

/// <summary>The findings of one explanation: a sentence per direction and one line for the whole report.</summary>
public sealed record ExplanationFindings(string Method, IReadOnlyList<DirectionFinding> Directions, string Summary)
{
    /// <summary>The summary with each string from the user's input between the marks of <see cref="BidiControls.Isolate"/>, for a page to isolate.</summary>
    public string IsolatedSummary { get; init; } = "";

    /// <summary>
    /// The explanation holds groups given in a file (`repdiff groups`), whose summary says where they hold ("Of the three
    /// groups given, …"): the report and the terminal show it, as they do not a method's (its directions' sentences say it).
    /// </summary>
    public bool OfGivenGroups { get; init; }

    /// <summary>
    /// A direction names concepts that a method found, and held-out validation did not run on them: the terminal and the
    /// report add <see cref="Note"/>. False for baselines' own groups and for groups given in a file (each is tested against
    /// random groups of its size).
    /// </summary>
    public bool Untested => Note is not null;

    /// <summary>
    /// What an untested finding is told with (<see cref="FindingText.UntestedNoteFor"/>): how --trust tests it, or, where
    /// --trust would be refused on this run, why; null when the finding is tested or claims no group.
    /// </summary>
    public string? Note { get; init; }

    /// <summary>
    /// The line as a comparison leads with it (the terminal's `finding:`, the demo's index, the report's header): prefixed
    /// with the method's name, unless it starts with it ("rdx finds …"); <paramref name="isolated"/> keeps the marks of
    /// <see cref="IsolatedSummary"/> for a page.
    /// </summary>
    public string Headline(bool isolated = false)
    {
        string summary = isolated ? IsolatedSummary : Summary;
        return summary.StartsWith(Method, StringComparison.Ordinal) ? summary : $"{Method}: {summary}";
    }

    /// <summary>
    /// The findings qualified when A and B share no more nearest neighbours than rows paired at random
    /// (<see cref="Comparison.RowsMayNotMatch"/>): every group found would then come from the pairing, and the summary that
    /// results.json, the report and the terminal lead with had stated them as findings all the same (review 180, finding 1).
    /// </summary>
    public ExplanationFindings WithRowsLookRandomlyPaired() => this with
    {
        Summary = Qualified(Summary),
        IsolatedSummary = Qualified(IsolatedSummary),
    };

    private static string Qualified(string summary) => summary.TrimEnd().TrimEnd('.') + RowsLookRandomlyPaired;

    /// <summary>What <see cref="WithRowsLookRandomlyPaired"/> appends to a summary.</summary>
    public const string RowsLookRandomlyPaired = ", but the rows look paired at random: check the pairing before reading anything into this.";

    public DirectionFinding For(string direction) =>
        Directions.FirstOrDefault(d => d.Direction == direction)
        ?? throw new KeyNotFoundException($"{Method} has no direction '{direction}'");

    /// <summary>results.json's "findings": the method's line, each direction's sentence and, when untested, the note, as the terminal prints them.</summary>
    public System.Text.Json.Nodes.JsonObject ToJson()
    {
        var directions = new System.Text.Json.Nodes.JsonObject();
        foreach (var finding in Directions) directions[finding.Direction] = finding.Text;
        var json = new System.Text.Json.Nodes.JsonObject { ["summary"] = Summary, ["directions"] = directions };
        if (Note is not null) json["note"] = Note;
        return json;
    }
}
