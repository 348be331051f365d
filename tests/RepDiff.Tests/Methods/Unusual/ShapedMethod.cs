using RepDiff.Methods;

namespace RepDiff.Tests.Methods.Unusual;

/// <summary>The options of a test-only method that declares none of its own (the seed only).</summary>
public sealed record PlainOptions : MethodOptions;

/// <summary>
/// A test-only method whose explanation is whatever shape the test gives it (of the pair it runs on, so that stability's
/// and validation's reruns on part of the samples get the same shape): legal but unusual results of the method contract.
/// </summary>
public sealed class ShapedMethod(string name, Func<int, Explanation> shape) : PairMethod<PlainOptions>
{
    public override string Name => name;
    public override string Description => $"Test-only: the explanation shape '{name}'.";
    public override string StrengthMeaning => "a number the test chose";

    protected override Explanation Explain(RepresentationPair pair, PlainOptions options, IProgress<ProgressUpdate>? progress) => shape(pair.N);

    public static Explanation Of(List<Concept> a, List<Concept> b) => new()
    {
        Directions =
        [
            new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = a },
            new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts = b },
        ],
    };

    public static Concept Concept(int rank, double strength, int[] members, int grid = 6)
        => new() { Rank = rank, Strength = strength, Members = members, Grid = members.Take(grid).ToArray() };

    /// <summary>Samples from..from+count (wrapping at n).</summary>
    public static int[] Block(int n, int from, int count) => Enumerable.Range(from, count).Select(i => i % n).Distinct().ToArray();
}
