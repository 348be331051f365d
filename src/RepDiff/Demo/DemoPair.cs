using System.Globalization;
using RepDiff.Methods;
using RepDiff.Methods.Rdx;

namespace RepDiff.Demo;

/// <summary>One pair of the demo: what it compares, in words, and the representations.</summary>
public sealed record DemoPair(string Slug, string Title, string Intro, RepresentationPair Pair);
