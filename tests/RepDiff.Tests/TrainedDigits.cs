using RepDiff.Demo;

namespace RepDiff.Tests;

/// <summary>
/// The demo's digit pairs, trained once a test run (DigitsExperiment.Build, inside the first `repdiff demo` a test runs) and
/// handed to every later one through Cli.BuildRoot's digitPairs. Training the three MLPs again was most of the demo runs that
/// compare with a quick method (h198, h204); the tests that run the demo (DemoCommandTests, BrowserTests' DemoReportFixture)
/// are about its folder, its methods and its reports, and DemoModelTests holds the training itself to its accuracies and
/// its seed. Static, not a fixture: those classes are in different collections, and xunit v2 has no fixture for a whole run.
/// </summary>
public static class TrainedDigits
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, IReadOnlyList<DemoPair>> BySeed = [];

    public static IReadOnlyList<DemoPair> Build(Optdigits digits, int seed, IProgress<ProgressUpdate>? progress)
    {
        IReadOnlyList<DemoPair>? trained;
        lock (Gate)
        {
            if (!BySeed.TryGetValue(seed, out trained)) BySeed[seed] = trained = DigitsExperiment.Build(digits, seed, progress);
        }
        return trained.Select(Own).ToList();
    }

    /// <summary>
    /// A pair of its own over the trained rows, labels and images (which a run only reads: it saves them as a.npy and b.npy
    /// after comparing): what a run keeps on its pair (the images' looks, the pair's distances and neighbour lists, neither
    /// safe to share) starts empty, as after a fresh training, since two classes' demo runs may compare at the same time.
    /// The samples are those DigitsExperiment gives: labels and images.
    /// </summary>
    private static DemoPair Own(DemoPair trained)
    {
        var pair = trained.Pair;
        var samples = new SampleInfo { Ids = pair.Samples.Ids, Labels = pair.Samples.Labels, Images = pair.Samples.Images, Texts = pair.Samples.Texts };
        return trained with { Pair = new RepresentationPair(pair.RowsA, pair.RowsB, samples) { NameA = pair.NameA, NameB = pair.NameB } };
    }
}
