namespace RepDiff.Demo;

/// <summary>
/// The demo's task-trained image model: a <see cref="FeedForwardNet"/> (784 → 256 → 128 → 10, ReLU)
/// trained here, seeded, on the bundled 10,000 Fashion-MNIST training images. Its last hidden layer
/// (128 units) is the representation compared with a generic ImageNet backbone.
/// </summary>
public sealed class FashionTaskModel
{
    public static readonly IReadOnlyList<int> DefaultHiddenLayers = [256, 128];
    public const int DefaultEpochs = 8;

    /// <summary>Adam's step size in the first epoch; it falls linearly towards zero over the epochs so the last weights settle.</summary>
    public const double InitialLearningRate = 2e-3;
    public const int BatchSize = 128;

    public required FeedForwardNet Network { get; init; }
    public required int Seed { get; init; }
    public required int Epochs { get; init; }
    public required int TrainImages { get; init; }
    public required double TrainAccuracy { get; init; }

    /// <summary>Accuracy on the images passed as the test set (held out from training).</summary>
    public required double TestAccuracy { get; init; }

    /// <summary>A one-line description for a report: architecture, data, seed and accuracy.</summary>
    public string Description => $"MLP {string.Join("→", Network.LayerSizes)} (ReLU, Adam with a falling step size, seed {Seed}, {Epochs} epochs) trained on {TrainImages:N0} Fashion-MNIST training images; " +
        $"{TestAccuracy * 100:F1}% accuracy on the test images";

    public static FashionTaskModel Train(FashionMnist train, FashionMnist test, int seed,
        IReadOnlyList<int>? hiddenLayers = null, int epochs = DefaultEpochs, IProgress<ProgressUpdate>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        var x = train.AsMatrix();
        var network = new FeedForwardNet([FashionMnist.Pixels, .. hiddenLayers ?? DefaultHiddenLayers, FashionMnist.ClassNames.Count], seed);
        var rng = new Random(seed);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            network.TrainEpoch(x, train.Labels, rng, BatchSize, InitialLearningRate * (1 - (double)epoch / epochs));
            progress.Report("demo: training the Fashion-MNIST model", (epoch + 1.0) / epochs);
        }
        return new FashionTaskModel
        {
            Network = network, Seed = seed, Epochs = epochs, TrainImages = train.Count,
            TrainAccuracy = network.Accuracy(x, train.Labels),
            TestAccuracy = network.Accuracy(test.AsMatrix(), test.Labels),
        };
    }

    /// <summary>The last hidden layer's activations of these images (n × 128 by default).</summary>
    public Matrix Representation(FashionMnist images) => Network.HiddenLayer(images.AsMatrix());
}
