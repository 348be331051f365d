namespace RepDiff.Options;

/// <summary>
/// Declares an options-record property as a user option: its one-line description and, for numbers,
/// the allowed range (inclusive unless <see cref="MinExclusive"/>). Every property of an options
/// record must carry it: the CLI binder, validation, --help and results.json all read it from here.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionAttribute(string description) : Attribute
{
    public string Description { get; } = description;
    public double Min { get; init; } = double.NegativeInfinity;
    public double Max { get; init; } = double.PositiveInfinity;

    /// <summary>The value must be strictly greater than <see cref="Min"/> (e.g. a positive scale).</summary>
    public bool MinExclusive { get; init; }

    /// <summary>The option names a file (read by the method), shown as FILE in --help.</summary>
    public bool IsFile { get; init; }
}
