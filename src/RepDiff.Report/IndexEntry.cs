using System.Globalization;
using System.Text;

namespace RepDiff.Report;

/// <summary>One report linked from an index page, with its one-line finding when there is one.</summary>
public sealed record IndexEntry(string Title, string Description, string Href, Comparison Comparison, string? Finding = null);
