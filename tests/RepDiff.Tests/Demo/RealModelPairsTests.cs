using RepDiff.Demo;

namespace RepDiff.Tests.Demo;

/// <summary>
/// How the real-model pairs are put together from the bundled data. The model embeddings come from
/// `repdiff embed`; here the data's own vectors (pixels, one-hot genres) fill their rows, which is
/// enough to check ids, labels, images, texts, names and the row-count check, not any finding.
/// </summary>
public class RealModelPairsTests
{
    [Fact]
    public void PairsCarryTheSamplesNamesAndCredits()
    {
        var test = FashionMnist.Load(FashionMnist.TestSplit);
        var train = FashionMnist.Load(FashionMnist.TrainSplit);
        var model = FashionTaskModel.Train(train, test, seed: 0, epochs: 1);
        var fashion = RealModelPairs.BackboneVersusTaskModel(test, test.AsMatrix(), model);
        Assert.Equal(RealModelPairs.ResNet18, fashion.Pair.NameA);
        Assert.Matches(@"^Fashion-MNIST MLP at \d+\.\d% test accuracy$", fashion.Pair.NameB);
        Assert.Equal(128, fashion.Pair.B.Cols);
        Assert.Equal(test.Count, fashion.Pair.Samples.Images!.Count);
        Assert.Contains(FashionMnist.Attribution, fashion.Intro);

        var emoji = Twemoji.Load();
        var pictures = new Matrix(emoji.Count, 3 * 32 * 32, emoji.AsImageSet().Pixels!);
        var emojiPair = RealModelPairs.PicturesVersusNames(emoji, pictures, pictures);
        Assert.Same(emoji.Names, emojiPair.Pair.Samples.Texts);
        Assert.Equal(8, emojiPair.Pair.Samples.Labels!.Names.Length);
        Assert.Contains("CC BY 4.0", emojiPair.Intro);

        var brown = BrownSentences.Load();
        var genres = brown.Samples().Labels!;
        var oneHot = new Matrix(brown.Count, genres.Names.Length);
        for (int i = 0; i < brown.Count; i++) oneHot[i, genres.Codes[i]] = 1;
        var text = RealModelPairs.BaseVersusFineTune(brown, oneHot, oneHot);
        Assert.Equal((RealModelPairs.MiniLm, RealModelPairs.ArcticXs), (text.Pair.NameA, text.Pair.NameB));
        Assert.Contains("200 from each of its 15 genres", text.Intro);

        var e = Assert.Throws<RepDiffInputException>(() => RealModelPairs.BaseVersusFineTune(brown, oneHot, new Matrix(10, 3)));
        Assert.StartsWith(RealModelPairs.ArcticXs + ": 10 embeddings for 3,000 Brown sentences", e.Message);
    }
}
