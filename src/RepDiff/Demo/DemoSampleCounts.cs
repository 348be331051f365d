namespace RepDiff.Demo;

/// <summary>
/// How many of the bundled samples the real-model pairs use, per label: sentences per Brown genre, test
/// images per Fashion-MNIST class, emoji per category (smaller categories give all they have). ResNet-18
/// embeds about 9 to 14 images a second on this 2-core machine, so the image counts weigh most in a first run;
/// the standard garment count is above 1,000 because KODA, which runs up to n = 1,000, took minutes there.
/// </summary>
public sealed record DemoSampleCounts(int SentencesPerGenre, int ImagesPerClass, int EmojiPerCategory)
{
    /// <summary>What `repdiff demo` uses: chosen for the five-minute budget of a first run on two cores (docs/benchmarks.md).</summary>
    public static DemoSampleCounts Standard { get; } = new(200, 120, 60);

    /// <summary>Every bundled sample: 3,000 sentences, 2,000 images, 1,600 emoji.</summary>
    public static DemoSampleCounts All { get; } = new(200, 200, 400);

    /// <summary>A quick look (and the tests): a few hundred samples of each set.</summary>
    public static DemoSampleCounts Small { get; } = new(20, 20, 40);

    public static IReadOnlyList<string> Names { get; } = ["small", "standard", "all"];

    /// <summary>The counts named by `--samples`.</summary>
    public static DemoSampleCounts Parse(string name) => name.ToLowerInvariant() switch
    {
        "small" => Small,
        "standard" => Standard,
        "all" => All,
        _ => throw new RepDiffInputException($"--samples '{name}': expected {string.Join(", ", Names)}"),
    };
}
