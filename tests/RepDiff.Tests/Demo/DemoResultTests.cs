using RepDiff.Methods.Rdx;
using RepDiff.Demo;
using RepDiff.Methods;

namespace RepDiff.Tests.Demo;

/// <summary>The known difference the demo must show, checked from the results a user would read.</summary>
public class DemoResultTests
{
    [Fact]
    public void MergedLabelModelHasAConceptMixingThreesAndFives()
    {
        var digits = Optdigits.Load(Optdigits.FindDataFile());
        var demo = DigitsExperiment.MergedLabels(digits, seed: 0);
        var comparison = Comparison.Run(demo.Pair, DigitsExperiment.WithPublishedRdxConfig([MethodRun.WithDefaults(new RdxMethod(), 0)]), seed: 0);
        var labels = demo.Pair.Samples.Labels!;
        // A is the merged-label model: what it puts together and the standard model pulls apart.
        var direction = comparison.Explanations[0].GetDirection(DirectionNames.MoreSimilarInA);
        double Share(Concept c, string digit) => (double)c.Members.Count(i => labels[i] == digit) / c.Members.Length;
        bool Mixes(Concept c) => Share(c, "3") >= 0.2 && Share(c, "5") >= 0.2;
        Assert.True(Mixes(direction.Concepts[0]), "the strongest concept of the merged model should mix 3s and 5s");
        Assert.True(direction.Concepts.Count(Mixes) >= 3, "most concepts of the merged model should mix 3s and 5s");
    }
}
