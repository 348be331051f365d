using System.Globalization;

namespace RepDiff.Demo;

/// <summary>
/// The three real-model pairs of the demo, put together from the bundled data and embeddings made
/// elsewhere (`repdiff embed`): what each compares, in words with the data's credit, and the
/// representations with ids, labels, images and texts. Row i of every matrix must be sample i of the
/// loaded data set, in the order the loader returns it.
/// </summary>
public static class RealModelPairs
{
    public const string ResNet18 = "ResNet-18 (ImageNet)";
    public const string MiniLm = "all-MiniLM-L6-v2";
    public const string ArcticXs = "snowflake-arctic-embed-xs";

    /// <summary>The noun each pair's findings use for its samples (<see cref="Findings.FindingText"/>).</summary>
    public const string SentencesNoun = "sentences", ImagesNoun = "images", EmojiNoun = "emoji";

    /// <summary>Text: all-MiniLM-L6-v2 against its retrieval fine-tune snowflake-arctic-embed-xs on Brown sentences, labelled by genre.</summary>
    public static DemoPair BaseVersusFineTune(BrownSentences brown, Matrix miniLm, Matrix arctic)
    {
        Check(brown.Count, "Brown sentences", (miniLm, MiniLm), (arctic, ArcticXs));
        var pair = new RepresentationPair(miniLm, arctic, brown.Samples()) { NameA = MiniLm, NameB = ArcticXs };
        return new DemoPair("brown-minilm-arctic", "Sentences: a base model against its retrieval fine-tune",
            $"{MiniLm} (mean-pooled sentence embeddings) against {ArcticXs}, a retrieval fine-tune of the same architecture (CLS pooling), " +
            $"on {Count(brown.Count)} sentences of the Brown corpus, {Count(brown.Count / Math.Max(1, brown.Genres.Distinct().Count()))} from each of its " +
            $"{brown.Genres.Distinct().Count()} genres. Which sentences does fine-tuning for search bring together, and which does it pull apart? " +
            $"Data: {BrownSentences.Attribution}.", pair, SentencesNoun);
    }

    /// <summary>Images: an ImageNet backbone against the task model trained here, on Fashion-MNIST test images labelled by class.</summary>
    public static DemoPair BackboneVersusTaskModel(FashionMnist test, Matrix resNet, FashionTaskModel model)
    {
        var taskRepresentation = model.Representation(test);
        // Its accuracy without parentheses of its own (helper 170), from before ModelReference bracketed such a name in the
        // readings ("B (Fashion-MNIST MLP (85.9% test accuracy)) pulls them apart", review 167); kept, as the demo's findings quote it.
        string taskName = $"Fashion-MNIST MLP at {(model.TestAccuracy * 100).ToString("F1", CultureInfo.InvariantCulture)}% test accuracy";
        Check(test.Count, "Fashion-MNIST images", (resNet, ResNet18), (taskRepresentation, taskName));
        var pair = new RepresentationPair(resNet, taskRepresentation, test.Samples()) { NameA = ResNet18, NameB = taskName };
        return new DemoPair("fashion-resnet-task", "Garments: a generic ImageNet backbone against a task-trained model",
            $"{ResNet18}'s pooled features against the last hidden layer of the task model ({model.Description}), on {Count(test.Count)} Fashion-MNIST test images " +
            $"({Count(test.Count / FashionMnist.ClassNames.Count)} per class, none seen in training). Which garments does the ImageNet model keep together " +
            $"that the task model separates, and what does the task model group that ImageNet features split? Data: {FashionMnist.Attribution}.", pair, ImagesNoun);
    }

    /// <summary>Pictures against words: emoji pictures through an image model against their names through a text model, labelled by category.</summary>
    public static DemoPair PicturesVersusNames(Twemoji emoji, Matrix resNetPictures, Matrix miniLmNames)
    {
        Check(emoji.Count, "emoji", (resNetPictures, ResNet18), (miniLmNames, MiniLm));
        string pictures = $"{ResNet18} on the pictures", names = $"{MiniLm} on the names";
        var pair = new RepresentationPair(resNetPictures, miniLmNames, emoji.Samples()) { NameA = pictures, NameB = names };
        return new DemoPair("twemoji-pictures-names", "Emoji: what they look like against what they are called",
            $"{Count(emoji.Count)} Twemoji pictures (32×32, over white) through {ResNet18} against their Unicode names (\"grinning face\") through {MiniLm}, " +
            $"labelled by emoji category. Which emoji look alike but mean different things, and which mean alike but look different? " +
            $"{Twemoji.Attribution}.", pair, EmojiNoun);
    }

    private static void Check(int n, string what, params (Matrix Rows, string Name)[] inputs)
    {
        foreach (var (rows, name) in inputs)
            if (rows.Rows != n) throw new RepDiffInputException($"{name}: {Count(rows.Rows)} embeddings for {Count(n)} {what}; there must be one per sample, in the loader's order");
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
