using System.Globalization;
using RepDiff.Methods;
using RepDiff.Methods.Rdx;

namespace RepDiff.Demo;

/// <summary>
/// One pair of the demo: what it compares, in words, and the representations; <paramref name="SampleNoun"/>
/// is what its findings call the samples ("images", "sentences").
/// </summary>
public sealed record DemoPair(string Slug, string Title, string Intro, RepresentationPair Pair, string SampleNoun = "samples");
