using RepDiff.Findings;
using static RepDiff.Tests.Findings.FindingTextTests;

namespace RepDiff.Tests.Findings;

/// <summary>
/// Review 167, F2: RDX and SPEC find groups whose pairs are nearer by neighbourhood rank in one model than in the other, and the
/// sentences had read as distances ("keeps zeta and alpha together where B separates them", "what A keeps together and B pulls
/// apart lies within … delta and zeta"). On a planted pair, where the truth is known, each sentence must say what is true.
/// The pair is the reviewer's, small: ten Gaussian classes in 64 dimensions, class means N(0, 4²), noise N(0, 1); B is A with
/// zeta moved onto delta's mean (merged) and half of theta moved elsewhere (split). Every other class is exactly where it was.
/// </summary>
public class NeighbourRankWordingTests
{
    private const int PerClass = 60, Dims = 64;
    private static readonly string[] Names = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"];
    private static readonly SampleLabels Greek = Labels(Names.Select(n => (n, PerClass)).ToArray());
    /// <summary>The planted pair's distances in A and in B.</summary>
    private static readonly Lazy<(double[][] A, double[][] B)> Planted = new(() => Distances(Plant(seed: 7)));

    private static int Class(string name) => Array.IndexOf(Names, name);
    private static int[] Members(string name) => Enumerable.Range(Class(name) * PerClass, PerClass).ToArray();

    private static (double[][] A, double[][] B) Plant(int seed)
    {
        var rng = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var means = Names.Select(_ => Enumerable.Range(0, Dims).Select(_ => 4 * Gaussian()).ToArray()).ToArray();
        var splitTo = Enumerable.Range(0, Dims).Select(_ => 4 * Gaussian()).ToArray();
        var a = new double[Names.Length * PerClass][];
        var b = new double[a.Length][];
        for (int i = 0; i < a.Length; i++)
        {
            int c = i / PerClass;
            var noise = Enumerable.Range(0, Dims).Select(_ => Gaussian()).ToArray();
            a[i] = means[c].Zip(noise, (m, e) => m + e).ToArray();
            // B: the same noise around a moved mean for zeta (onto delta) and half of theta (elsewhere); every other sample as in A.
            var meanB = c == Class("zeta") ? means[Class("delta")] : c == Class("theta") && i % PerClass >= PerClass / 2 ? splitTo : means[c];
            b[i] = meanB.Zip(noise, (m, e) => m + e).ToArray();
        }
        return (a, b);
    }

    private static double Distance(double[] x, double[] y) => Math.Sqrt(x.Zip(y, (p, q) => (p - q) * (p - q)).Sum());

    /// <summary>Each model's distances between all samples (600 × 600), which every check below reads.</summary>
    private static (double[][] A, double[][] B) Distances((double[][] A, double[][] B) rows)
    {
        double[][] Of(double[][] x) => x.Select(p => x.Select(q => Distance(p, q)).ToArray()).ToArray();
        return (Of(rows.A), Of(rows.B));
    }

    /// <summary>The neighbourhood rank of j in i's row: how many samples are strictly nearer to i than j (RDX's and BSR's ranks).</summary>
    private static int Rank(double[][] distances, int i, int j) => distances[i].Count(d => d < distances[i][j]);

    /// <summary>The share of pairs (i in first, j in second, i ≠ j) that the subject model ranks nearer than the other: what the new sentence claims.</summary>
    private static double NearerByRank(double[][] subject, double[][] other, int[] first, int[] second)
    {
        var pairs = first.SelectMany(i => second.Where(j => j != i).Select(j => (i, j))).Where((_, k) => k % 7 == 0).ToList();
        return pairs.Count(p => Rank(subject, p.i, p.j) < Rank(other, p.i, p.j)) / (double)pairs.Count;
    }

    private static double MeanDistance(double[][] distances, int[] first, int[] second) =>
        first.SelectMany(i => second.Where(j => j != i).Select(j => distances[i][j])).Average();

    private static Explanation Found(string direction, params int[][] concepts) => new()
    {
        Method = "rdx",
        Directions =
        [
            new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a",
                Concepts = direction == DirectionNames.MoreSimilarInA ? concepts.Select((m, k) => new Concept { Rank = k + 1, Members = m }).ToList() : [] },
            new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b",
                Concepts = direction == DirectionNames.MoreSimilarInB ? concepts.Select((m, k) => new Concept { Rank = k + 1, Members = m }).ToList() : [] },
        ],
    };

    [Fact]
    public void ASingleLabelBMergesWithAnotherIsNotSaidToBePulledApart()
    {
        // RDX at 20k: concepts of theta (the planted split) and of all delta, all zeta, "what A keeps together and B pulls apart".
        var (a, b) = Planted.Value;
        var (delta, theta) = (Members("delta"), Members("theta"));
        // B keeps delta exactly as tight as A (the same samples), but puts zeta among its neighbours: delta's pairs rank nearer in A.
        Assert.Equal(MeanDistance(a, delta, delta), MeanDistance(b, delta, delta), 9);
        Assert.True(NearerByRank(a, b, delta, delta) > 0.6, $"{NearerByRank(a, b, delta, delta)}");
        // Theta is truly split in B.
        Assert.True(MeanDistance(b, theta, theta) > 1.5 * MeanDistance(a, theta, theta));

        var text = FindingText.Describe(Found(DirectionNames.MoreSimilarInA, theta, delta, Members("zeta")), Greek, "A", "B").For(DirectionNames.MoreSimilarInA).Text;
        Assert.Equal("Within single labels, A ranks the samples shown for each group as nearer neighbours of each other than B does (theta, delta and zeta; concept 1, 60 samples: "
            + "all theta); all three of its first concepts are mostly one label.", text);
        Assert.DoesNotContain("apart", text);
    }

    [Fact]
    public void TwoClassesOneModelKeepsApartAreNotSaidToBeKeptTogetherByIt()
    {
        // RDX at 2k: "A keeps zeta and alpha together where B separates them" where A holds them as two clusters. As there, the
        // label A ranks nearest to zeta, relative to B, is the one B's merge pushed behind delta.
        var (a, b) = Planted.Value;
        var zeta = Members("zeta");
        string partner = Names.Where(n => n is not ("zeta" or "delta" or "theta")).MaxBy(n => NearerByRank(a, b, zeta, Members(n)))!;
        var other = Members(partner);
        Assert.True(NearerByRank(a, b, zeta, other) > 0.9, $"{NearerByRank(a, b, zeta, other)}");
        // In A they are two clusters: far more apart than a class is within.
        Assert.True(MeanDistance(a, zeta, other) > 2 * MeanDistance(a, zeta, zeta));

        var concept = zeta.Take(30).Concat(other.Take(30)).ToArray();
        var text = FindingText.Describe(Found(DirectionNames.MoreSimilarInA, concept), Greek, "A", "B").For(DirectionNames.MoreSimilarInA).Text;
        var (first, second) = string.CompareOrdinal(partner, "zeta") < 0 ? (partner, "zeta") : ("zeta", partner);
        Assert.Equal($"A ranks the samples shown for a group mixing {first} and {second} as nearer neighbours of each other than B does (concept 1, 60 samples: 50% {first}, 50% {second}).", text);
        Assert.DoesNotContain("together", text);
    }

    [Fact]
    public void TwoClassesNeitherModelMovedAreNotSaidToBeSeparatedByTheOther()
    {
        // SPEC at 20k: "A keeps iota and epsilon together where B separates them", their distance 43.7 in A and 44.1 in B. Here
        // two classes the planting left alone are exactly as far apart in both models; the pair of them A ranks nearest relative
        // to B (what a method looking for "more similar in A" picks) still ranks nearer in A, because moved classes came between.
        var (a, b) = Planted.Value;
        var unmoved = Names.Where(n => n is not ("zeta" or "delta" or "theta")).ToList();
        var (x, y) = unmoved.SelectMany(p => unmoved.Where(q => string.CompareOrdinal(p, q) < 0).Select(q => (p, q)))
            .MaxBy(pq => NearerByRank(a, b, Members(pq.p), Members(pq.q)));
        Assert.Equal(MeanDistance(a, Members(x), Members(y)), MeanDistance(b, Members(x), Members(y)), 9);
        Assert.True(NearerByRank(a, b, Members(x), Members(y)) > 0.5, $"{x}, {y}: {NearerByRank(a, b, Members(x), Members(y))}");

        // 27 of one, 22 of the other and one stray, as SPEC's 50-member concept.
        var concept = Members(x).Take(27).Concat(Members(y).Take(22)).Append(Members("delta")[0]).ToArray();
        var text = FindingText.Describe(Found(DirectionNames.MoreSimilarInA, concept), Greek, "A", "B").For(DirectionNames.MoreSimilarInA).Text;
        Assert.Equal($"A ranks the samples shown for a group mixing {x} and {y} as nearer neighbours of each other than B does (concept 1, 50 samples: 54% {x}, 44% {y}).", text);
        Assert.DoesNotContain("separates", text);
    }

    [Fact]
    public void FiveConceptsOfTheSameMergeAreSaidToBeTheSameTwoLabels()
    {
        // RDX at 20k: B's five concepts are all the delta and zeta merge (558 to 821 members); "all five of its first concepts mix
        // a few labels" read as five differences.
        var (delta, zeta) = (Members("delta"), Members("zeta"));
        var same = Enumerable.Range(0, 5).Select(k => delta.Skip(k * 12).Take(12).Concat(zeta.Skip(k * 12).Take(8)).ToArray()).ToArray();
        var findings = FindingText.Describe(Found(DirectionNames.MoreSimilarInB, same), Greek, "A", "B");
        var b = findings.For(DirectionNames.MoreSimilarInB);
        Assert.Equal("B ranks the samples shown for a group mixing delta and zeta as nearer neighbours of each other than A does (concept 1, 20 samples: 60% delta, 40% zeta); "
            + "all five of its first concepts mix the same two labels (delta and zeta).", b.Text);
        // The line heading the report and compare's `finding:` is the same clause.
        Assert.StartsWith(b.Headline.TrimEnd('.'), findings.Summary);

        // Five different mixtures are still "a few labels"; two of the same beside others are counted as such.
        var pairs = new[] { ("alpha", "beta"), ("gamma", "delta"), ("epsilon", "zeta"), ("eta", "theta"), ("iota", "kappa") };
        var different = pairs.Select(p => Members(p.Item1).Take(12).Concat(Members(p.Item2).Take(8)).ToArray()).ToArray();
        Assert.EndsWith("; all five of its first concepts mix a few labels.", FindingText.Describe(Found(DirectionNames.MoreSimilarInB, different), Greek, "A", "B")
            .For(DirectionNames.MoreSimilarInB).Text);
        var mixed = same.Take(3).Append(different[0]).Append(Members("kappa").Take(20).ToArray()).ToArray();
        Assert.EndsWith("; of its first five concepts, four mix a few labels and one is mostly one label.", FindingText.Describe(Found(DirectionNames.MoreSimilarInB, mixed), Greek, "A", "B")
            .For(DirectionNames.MoreSimilarInB).Text);
    }
}
