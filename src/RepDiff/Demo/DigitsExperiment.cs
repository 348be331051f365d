using System.Globalization;
using RepDiff.Methods;
using RepDiff.Methods.Rdx;

namespace RepDiff.Demo;

/// <summary>
/// The RDX authors' digit experiments on the UCI digits, with MLPs trained here:
/// (1) an early (~90% accuracy) against a late (≥98%) checkpoint of one model on the digits 3, 5 and 8;
/// (2) on all ten digits, a model trained with 3 and 5 sharing one label against one trained normally.
/// Both pairs are hidden-layer representations of the same images; everything is seeded.
/// </summary>
public static class DigitsExperiment
{
    public const int HiddenUnits = 32;

    public static IReadOnlyList<DemoPair> Build(Optdigits digits, int seed, IProgress<ProgressUpdate>? progress = null)
        => [Checkpoints(digits, seed, progress), MergedLabels(digits, seed, progress)];

    /// <summary>Early vs late checkpoint of one MLP on the digits 3, 5 and 8.</summary>
    public static DemoPair Checkpoints(Optdigits digits, int seed, IProgress<ProgressUpdate>? progress = null)
    {
        var subset = digits.Where(d => d is 3 or 5 or 8);
        var classes = new[] { 3, 5, 8 };
        var targets = subset.Labels.Select(d => Array.IndexOf(classes, d)).ToArray();
        var model = new Mlp(Optdigits.Pixels, HiddenUnits, classes.Length, seed);
        var rng = new Random(seed);
        Matrix? early = null;
        double earlyAccuracy = 0;
        const int epochs = 60;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            model.TrainEpoch(subset.Images, targets, rng, learningRate: 1e-3, afterStep: () =>
            {
                if (early is not null) return;
                double accuracy = model.Accuracy(subset.Images, targets);
                if (accuracy >= 0.90) { early = model.HiddenLayer(subset.Images, subset.Count); earlyAccuracy = accuracy; }
            });
            progress.Report("demo: training the 3/5/8 model", (epoch + 1.0) / epochs);
        }
        double lateAccuracy = model.Accuracy(subset.Images, targets);
        var late = model.HiddenLayer(subset.Images, subset.Count);
        early ??= late;
        string nameA = $"early checkpoint ({Percent(earlyAccuracy)} accuracy)", nameB = $"late checkpoint ({Percent(lateAccuracy)} accuracy)";
        var pair = new RepresentationPair(early, late, Samples(subset)) { NameA = nameA, NameB = nameB };
        return new DemoPair("checkpoints", "Digits 3, 5, 8: early vs late checkpoint",
            $"One MLP ({Optdigits.Pixels}→{HiddenUnits} tanh→3, Adam, seed {seed}) trained on the {subset.Count} images of 3, 5 and 8 from the UCI digits. " +
            $"A is its hidden layer when it first reached {Percent(earlyAccuracy)} training accuracy, B after {epochs} epochs ({Percent(lateAccuracy)}). " +
            "The early model still confuses some digits that the late one separates.", pair, "images");
    }

    /// <summary>
    /// The methods to run, with RDX in the configuration its authors published for digit models
    /// (gamma = 0.1 rather than the generic 80/n), as the demo reproduces their experiment.
    /// </summary>
    public static IReadOnlyList<MethodRun> WithPublishedRdxConfig(IReadOnlyList<MethodRun> runs) =>
        runs.Select(r => r.Options is RdxOptions rdx ? r with { Options = rdx with { Gamma = PublishedRdxGamma } } : r).ToList();

    /// <summary>RDX's gamma in the authors' configuration for digit models (docs/methods/METHODS.md §1).</summary>
    public const double PublishedRdxGamma = 0.1;

    /// <summary>All ten digits: a model that was taught 3 and 5 are the same class against one taught normally.</summary>
    public static DemoPair MergedLabels(Optdigits digits, int seed, IProgress<ProgressUpdate>? progress = null)
    {
        var merged = digits.Labels.Select(d => d == 5 ? 3 : d).ToArray();
        const int epochs = 40;
        var mergedModel = Train(digits, merged, seed, epochs, p => progress.Report("demo: training the merged-label model", p));
        var normalModel = Train(digits, digits.Labels, seed, epochs, p => progress.Report("demo: training the standard model", p));
        double mergedAccuracy = mergedModel.Accuracy(digits.Images, merged), normalAccuracy = normalModel.Accuracy(digits.Images, digits.Labels);
        var pair = new RepresentationPair(mergedModel.HiddenLayer(digits.Images, digits.Count), normalModel.HiddenLayer(digits.Images, digits.Count), Samples(digits))
        {
            NameA = $"3 and 5 merged ({Percent(mergedAccuracy)} accuracy on merged labels)",
            NameB = $"standard labels ({Percent(normalAccuracy)} accuracy)",
        };
        return new DemoPair("merged-labels", "All digits: 3 and 5 merged vs standard labels",
            $"Two MLPs ({Optdigits.Pixels}→{HiddenUnits} tanh→10, Adam, same seed {seed}, {epochs} epochs) on all {digits.Count} UCI digits. " +
            "A was trained with every 5 labelled as 3, B with the true labels. A has no reason to separate 3s from 5s, " +
            "so its concepts that B pulls apart should mix the two.", pair, "images");
    }

    private static Mlp Train(Optdigits digits, int[] targets, int seed, int epochs, Action<double> report)
    {
        var model = new Mlp(Optdigits.Pixels, HiddenUnits, 10, seed);
        var rng = new Random(seed);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            model.TrainEpoch(digits.Images, targets, rng);
            report((epoch + 1.0) / epochs);
        }
        return model;
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static SampleInfo Samples(Optdigits digits) => new()
    {
        Labels = new SampleLabels(digits.Labels.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray()),
        Images = digits.AsImageSet(),
    };
}
