using RepDiff.Findings;
using RepDiff.Reporting;

namespace RepDiff.Tests.Findings;

/// <summary>
/// A direction's sentence says what BSR measured: a concept's grid (the samples its card shows), not every pair of its
/// members. h209 on minilm-l6 against arctic-embed-xs: RDX's five groups nearer in B scored 0.90–1.00 on their grids, but
/// only 0.47–0.66 of their member pairs were nearer by rank in B, and the sentence read "ranks the members of five groups".
/// </summary>
public class ShownOrMembersTests
{
    private const int N = 200, Members = 50, Shown = 9;

    /// <summary>
    /// A planted pair: in A the 50 members sit in one tight cluster; in B the first nine (the grid) stay tight and the other
    /// 41 are scattered among the rest, so the grid is nearer in B and most member pairs are not.
    /// </summary>
    private static RepresentationPair Planted()
    {
        var random = new Random(211);
        var a = new float[N * 2];
        var b = new float[N * 2];
        for (int i = 0; i < N; i++)
        {
            bool member = i < Members;
            // The rest lie on a ring of radius 5 to 10 around the members' cluster, the same in both.
            double angle = random.NextDouble() * 2 * Math.PI, radius = member ? 0.1 * random.NextDouble() : 5 + 5 * random.NextDouble();
            a[2 * i] = (float)(radius * Math.Cos(angle));
            a[2 * i + 1] = (float)(radius * Math.Sin(angle));
            bool scattered = member && i >= Shown;
            b[2 * i] = scattered ? (float)(20 * random.NextDouble() - 10) : a[2 * i];
            b[2 * i + 1] = scattered ? (float)(20 * random.NextDouble() - 10) : a[2 * i + 1];
        }
        return new RepresentationPair(new Matrix(N, 2, a), new Matrix(N, 2, b));
    }

    private static Explanation OneGroupInB(int members, int gridSize) => new()
    {
        Method = "hand",
        Directions =
        [
            new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a" },
            new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts =
                [new Concept { Rank = 1, Members = Enumerable.Range(0, members).ToArray(), Grid = Enumerable.Range(0, gridSize).ToArray() }] },
        ],
    };

    /// <summary>How many samples lie closer to row i than row j does (ties not closer), as BSR's SILB ranks count.</summary>
    private static int Rank(Matrix x, int i, int j)
    {
        double Squared(int p, int q) => Math.Pow(x[p, 0] - x[q, 0], 2) + Math.Pow(x[p, 1] - x[q, 1], 2);
        double target = Squared(i, j);
        return Enumerable.Range(0, x.Rows).Count(l => l != i && l != j && Squared(i, l) < target);
    }

    /// <summary>The planted group scored: its grid nearer by rank in B, most of its member pairs not.</summary>
    private static Explanation ScoredAsPlanted()
    {
        var pair = Planted();
        var e = OneGroupInB(Members, Shown);
        ExplanationScoring.Score(e, pair);
        var concept = e.Directions[1].Concepts[0];
        Assert.True(concept.Bsr > 0.9, $"grid BSR {concept.Bsr}");
        var memberPairs = from i in concept.Members from j in concept.Members where i != j select (i, j);
        double nearerInB = memberPairs.Average(p => Rank(pair.B, p.i, p.j) < Rank(pair.A, p.i, p.j) ? 1.0 : 0.0);
        Assert.True(nearerInB < 0.5, $"member pairs nearer in B {nearerInB}");
        return e;
    }

    /// <summary>The members alternate L0 and L1 (the grid holds both); the other 150 samples are 25 each of L2 to L7.</summary>
    private static readonly SampleLabels TwoMixed = new(Enumerable.Range(0, N).Select(i => i < Members ? $"L{i % 2}" : $"L{2 + (i - Members) % 6}").ToArray());

    [Fact]
    public void AGridNearerInBIsNotSaidOfTheMembers()
    {
        var e = ScoredAsPlanted();
        var findings = FindingText.Describe(e, labels: null, "a.npy", "b.npy");
        var b = findings.For(DirectionNames.MoreSimilarInB);
        Assert.Equal("b.npy ranks the samples shown for one group of 50 samples as nearer neighbours of each other than a.npy does (there are no labels to name them: see the concept cards).", b.Text);
        Assert.DoesNotContain("members", b.Text);
        Assert.Equal("hand finds one group of samples whose shown samples b.npy ranks as nearer neighbours of each other than a.npy does (no labels to name them).", findings.Summary);
    }

    [Fact]
    public void ALabelledGridNearerInBIsNotSaidOfTheLabels()
    {
        // Labels name the group: "b.npy ranks L0 and L1 as nearer neighbours …" had said of the two labels, and of the 50
        // members the parenthesis counts, what BSR measured on the nine shown (h215).
        var findings = FindingText.Describe(ScoredAsPlanted(), TwoMixed, "a.npy", "b.npy");
        var b = findings.For(DirectionNames.MoreSimilarInB);
        Assert.Equal(ConceptMix.Mixed, b.Lead!.Mix);
        Assert.Equal("b.npy ranks the samples shown for a group mixing L0 and L1 as nearer neighbours of each other than a.npy does (concept 1, 50 samples: 50% L0, 50% L1).", b.Text);
        Assert.StartsWith("b.npy ranks the samples shown for a group mixing L0 and L1 as nearer neighbours", findings.Summary);
    }

    [Fact]
    public void ALabelledGridOfEveryMemberIsSaidOfTheLabels()
    {
        var e = OneGroupInB(Shown, Shown);
        ExplanationScoring.Score(e, Planted());
        Assert.StartsWith("b.npy ranks L0 and L1 as nearer neighbours of each other than a.npy does (concept 1, only 9 samples:",
            FindingText.Describe(e, TwoMixed, "a.npy", "b.npy").For(DirectionNames.MoreSimilarInB).Text);
    }

    [Fact]
    public void AGridOfEveryMemberIsSaidOfTheMembers()
    {
        // Scored whole (as given groups of up to --grid-size are), the members are what BSR measured: the nine that stay
        // tight in B, as a group of their own.
        var e = OneGroupInB(Shown, Shown);
        ExplanationScoring.Score(e, Planted());
        var findings = FindingText.Describe(e, labels: null, "a.npy", "b.npy");
        Assert.Equal("b.npy ranks the members of one group of 9 samples as nearer neighbours of each other than a.npy does (there are no labels to name them: see the concept cards).",
            findings.For(DirectionNames.MoreSimilarInB).Text);
        Assert.Equal("hand finds one group of samples whose members b.npy ranks as nearer neighbours of each other than a.npy does (no labels to name them).", findings.Summary);
    }
}
