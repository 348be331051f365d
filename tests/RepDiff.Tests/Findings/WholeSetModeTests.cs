using RepDiff.Findings;
using RepDiff.Methods.Finc;
using RepDiff.Methods.Koda;
using RepDiff.Methods.Spec;
using RepDiff.Tests.Metrics;

namespace RepDiff.Tests.Findings;

/// <summary>
/// Review 174, finding 5: on a set of no more than --members samples every sample is a member of every spectral mode, and the
/// finding had counted "five groups (40, 40, 40, 40 and 40 samples)". The members stay as METHODS §3 defines them; the
/// sentence counts what each mode singles out, its grid.
/// </summary>
public class WholeSetModeTests
{
    private static readonly RepresentationPair Small = new(CkaTests.Random(40, 8, seed: 1), CkaTests.Random(40, 6, seed: 2));

    [Fact]
    public void SpecOnFortySamplesCountsEachModesGridNotEverySample()
    {
        var e = new SpecMethod().Run(Small, new SpecOptions { Eta = 1e-300 });
        var direction = e.GetDirection(DirectionNames.MoreSimilarInA);
        // The members are still every sample (m = 50 capped at n = 40), as METHODS §3 says.
        Assert.All(direction.Concepts, c => Assert.Equal(40, c.Members.Length));
        var text = FindingText.Describe(e, null, "A", "B").For(DirectionNames.MoreSimilarInA).Text;
        Assert.Contains("five groups (9, 9, 9, 9 and 9 samples)", text);
        Assert.Contains("with 40 samples and --members 50, every one is a member of each mode here, so each group counted is the 9 samples its mode ranks highest", text);
        Assert.DoesNotContain("40, 40", text);
    }

    [Fact]
    public void KodaAndFincReadTheirWholeSetModesTheSameWay()
    {
        var koda = new KodaMethod().Run(Small, new KodaOptions { GridSize = 7 });
        var kodaText = FindingText.Describe(koda, null, "A", "B").For(DirectionNames.MoreSimilarInA).Text;
        Assert.Contains("(7, 7, 7, 7 and 7 samples)", kodaText);
        Assert.Contains("so each group counted is the 7 samples its mode ranks highest", kodaText);

        // FINC's reference direction draws its members from the 40 reference rows (the test set has 30, shifted away).
        var finc = new FincMethod().Run(new SampleSets(CkaTests.Random(30, 8, seed: 3, shift: 2), CkaTests.Random(40, 8, seed: 4)), new FincOptions());
        Assert.All(finc.GetDirection(DirectionNames.MoreFrequentInRef).Concepts, c => Assert.Equal(40, c.Members.Length));
        var fincText = FindingText.Describe(finc, null, "test", "ref").For(DirectionNames.MoreFrequentInRef).Text;
        Assert.Contains("with 40 samples and --members 50, every one is a member of", fincText);
        Assert.DoesNotContain("40, 40", fincText);
    }

    [Fact]
    public void ModesOfFewerMembersThanSamplesKeepTheirCount()
    {
        var e = new SpecMethod().Run(Small, new SpecOptions { Eta = 1e-300, Members = 30 });
        var text = FindingText.Describe(e, null, "A", "B").For(DirectionNames.MoreSimilarInA).Text;
        Assert.Contains("(30, 30, 30, 30 and 30 samples)", text);
        Assert.DoesNotContain("every one is a member", text);
    }
}
