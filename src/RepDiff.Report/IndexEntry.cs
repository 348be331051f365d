using System.Globalization;
using System.Text;

namespace RepDiff.Report;

/// <summary>One report linked from an index page.</summary>
public sealed record IndexEntry(string Title, string Description, string Href, Comparison Comparison);
