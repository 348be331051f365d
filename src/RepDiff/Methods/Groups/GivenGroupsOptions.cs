using RepDiff.Options;

namespace RepDiff.Methods.Groups;

/// <summary>The options of `repdiff groups`: which file holds the groups, which column names them, and how many members BSR scores.</summary>
public sealed record GivenGroupsOptions : MethodOptions
{
    [Option("the groups to score: a .csv/.tsv with a header or JSON Lines, one line per member, with a group column and a 'row' (0-based) or 'id' column; "
        + "optional 'direction' (a, b or a model's name: which model is said to group them) and 'in_grid'; the table `repdiff export` writes too", IsFile = true)]
    public string? Groups { get; init; }

    [Option("the column naming each line's group (default: 'group'; in `repdiff export`'s table, its concepts: method, direction and rank)")]
    public string? GroupColumn { get; init; }

    [Option("members of a group that BSR scores and the report shows: a seeded random subset of a larger group (of the members 'in_grid' marks, where the file marks two or more)", Min = 2, Max = 1000)]
    public int GridSize { get; init; } = 50;
}
