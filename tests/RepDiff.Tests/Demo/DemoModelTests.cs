using RepDiff.Demo;

namespace RepDiff.Tests.Demo;

public class DemoModelTests
{
    private static readonly Lazy<Optdigits> Digits = new(() => Optdigits.Load(Optdigits.FindDataFile()));

    [Fact]
    public void DigitsFileHoldsTheUciTestSet()
    {
        var digits = Digits.Value;
        Assert.Equal(1797, digits.Count);
        Assert.Equal(1797 * 64, digits.Images.Length);
        Assert.All(digits.Images, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(Enumerable.Range(0, 10), digits.Labels.Distinct().Order());
    }

    [Fact]
    public void BackpropagationMatchesFiniteDifferences()
    {
        var digits = Digits.Value;
        var model = new Mlp(64, 6, 10, seed: 3);
        int[] rows = [0, 5, 17, 300, 1200];
        var gradient = new double[model.ParameterCount];
        model.LossAndGradient(digits.Images, digits.Labels, rows, gradient);
        var scratch = new double[model.ParameterCount];
        const double h = 1e-5;
        for (int k = 0; k < model.ParameterCount; k += 7)
        {
            double saved = model.Parameters[k];
            model.Parameters[k] = saved + h;
            double plus = model.LossAndGradient(digits.Images, digits.Labels, rows, scratch);
            model.Parameters[k] = saved - h;
            double minus = model.LossAndGradient(digits.Images, digits.Labels, rows, scratch);
            model.Parameters[k] = saved;
            Assert.Equal((plus - minus) / (2 * h), gradient[k], 6);
        }
    }

    [Fact]
    public void CheckpointPairHasAnEarlyAndALateModel()
    {
        var demo = DigitsExperiment.Checkpoints(Digits.Value, seed: 0);
        Assert.Equal(Digits.Value.Labels.Count(d => d is 3 or 5 or 8), demo.Pair.N);
        Assert.Equal(DigitsExperiment.HiddenUnits, demo.Pair.A.Cols);
        Assert.Matches(@"early checkpoint \((9\d\.\d)%", demo.Pair.NameA);
        double late = double.Parse(System.Text.RegularExpressions.Regex.Match(demo.Pair.NameB, @"\((\d+\.\d)%").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(late >= 98, demo.Pair.NameB);
    }

    [Fact]
    public void DemoPairsAreReproducibleForASeed()
    {
        var first = DigitsExperiment.Checkpoints(Digits.Value, seed: 1);
        var second = DigitsExperiment.Checkpoints(Digits.Value, seed: 1);
        Assert.Equal(first.Pair.A.Data, second.Pair.A.Data);
        Assert.Equal(first.Pair.B.Data, second.Pair.B.Data);
    }
}
