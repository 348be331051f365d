using System.IO.Compression;
using RepDiff.Demo;

namespace RepDiff.Tests.Demo;

/// <summary>The real-data demo sets under data/: what they hold, and that each ships its licence.</summary>
public class BundledDataTests
{
    private static string DataFolder(string name) => Path.Combine(TestData.RepoRoot, "data", name);

    [Theory]
    [InlineData("brown", "Distributed with the permission of the copyright holder")]
    [InlineData("fashion-mnist", "Permission is hereby granted, free of charge")]
    [InlineData("fashion-mnist", "Zalando")]
    [InlineData("twemoji", "Creative Commons Attribution 4.0")]
    [InlineData("twemoji", "Twitter, Inc. and other contributors")]
    [InlineData("twemoji", "Copyright (c) 2013 Cal Henderson")]
    public void EachDataSetCarriesItsLicenceAndAttribution(string folder, string phrase)
    {
        string readme = Path.Combine(DataFolder(folder), "README.md");
        Assert.True(File.Exists(readme), readme);
        Assert.Contains(phrase, File.ReadAllText(readme));
    }

    [Fact]
    public void BrownHolds200SentencesOfEachOfFifteenGenres()
    {
        var brown = BrownSentences.Load();
        Assert.Equal(3000, brown.Count);
        string[] genres = ["adventure", "belles_lettres", "editorial", "fiction", "government", "hobbies", "humor", "learned",
            "lore", "mystery", "news", "religion", "reviews", "romance", "science_fiction"];
        Assert.Equal(genres, brown.Genres.Distinct().Order(StringComparer.Ordinal));
        Assert.All(brown.Genres.GroupBy(g => g), g => Assert.Equal(200, g.Count()));
        Assert.Equal(brown.Count, brown.Ids.Distinct().Count());
        for (int i = 0; i < brown.Count; i++)
        {
            Assert.StartsWith(brown.Documents[i] + ".", brown.Ids[i]);
            int words = brown.Texts[i].Split(' ').Length;
            Assert.InRange(words, 5, 60);
            // Detokenized: no Brown word/tag tokens and no `` '' quote tokens left.
            Assert.DoesNotContain("``", brown.Texts[i]);
            Assert.DoesNotContain("/at ", brown.Texts[i]);
            Assert.DoesNotContain(" ,", brown.Texts[i]);
        }
        var samples = brown.Samples();
        samples.CheckCount(brown.Count);
        Assert.Equal(15, samples.Labels!.Names.Length);
        Assert.Contains("science fiction", samples.Labels.Names);
        Assert.Contains("belles-lettres", samples.Labels.Names);
        Assert.Same(brown.Texts, samples.Texts);
    }

    [Fact]
    public void FashionMnistHoldsBalancedTestAndTrainingImages()
    {
        var test = FashionMnist.Load(FashionMnist.TestSplit);
        var train = FashionMnist.Load(FashionMnist.TrainSplit);
        Assert.Equal(2000, test.Count);
        Assert.Equal(10000, train.Count);
        Assert.Equal(test.Count * FashionMnist.Pixels, test.Images.Length);
        Assert.All(test.Labels.GroupBy(l => l), g => Assert.Equal(200, g.Count()));
        Assert.All(train.Labels.GroupBy(l => l), g => Assert.Equal(1000, g.Count()));
        Assert.Equal(Enumerable.Range(0, 10), test.Labels.Distinct().Order());
        Assert.Equal(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"], FashionMnist.ClassNames);
        // Rows of the original files, each once, in order: test rows below 10,000, training rows below 60,000.
        Assert.True(test.SourceRows.Zip(test.SourceRows.Skip(1)).All(p => p.First < p.Second));
        Assert.InRange(test.SourceRows[^1], 0, 9999);
        Assert.InRange(train.SourceRows[^1], 0, 59999);
        // Real garments, not blank frames: every image has ink, and backgrounds are dark.
        for (int i = 0; i < test.Count; i++)
            Assert.True(test.Images.AsSpan(i * FashionMnist.Pixels, FashionMnist.Pixels).IndexOfAnyExcept((byte)0) >= 0);
        Assert.True(test.Images.Count(b => b == 0) > test.Images.Length / 3);
        var samples = test.Samples();
        samples.CheckCount(test.Count);
        Assert.Equal(10, samples.Labels!.Names.Length);
        Assert.Equal($"test-{test.SourceRows[0]}", samples.Ids![0]);
        Assert.Equal((1, 28, 28), (samples.Images!.Channels, samples.Images.Height, samples.Images.Width));
        Assert.Equal(test.Images[300] / 255f, samples.Images.Pixels![300]);
    }

    [Fact]
    public void TwemojiHolds1600PicturesWithNamesAndEightCategories()
    {
        var emoji = Twemoji.Load();
        Assert.Equal(1600, emoji.Count);
        Assert.Equal(emoji.Count * 32 * 32 * 4, emoji.Rgba.Length);
        Assert.Equal(["Activities", "Animals & Nature", "Food & Drink", "Objects", "People & Body", "Smileys & Emotion", "Symbols", "Travel & Places"],
            emoji.Categories.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(emoji.Count, emoji.CodePoints.Distinct().Count());
        int grinning = Array.IndexOf(emoji.CodePoints, "1F600");
        Assert.Equal("grinning face", emoji.Names[grinning]);
        Assert.Equal("Smileys & Emotion", emoji.Categories[grinning]);
        Assert.DoesNotContain(emoji.Categories, c => c is "Flags" or "Component");
        Assert.All(emoji.Names, n => Assert.Equal(n.ToLowerInvariant(), n));
        // Each picture has a drawing (even thin line art like "fingerprint" has some solid pixels).
        for (int i = 0; i < emoji.Count; i++)
        {
            var alpha = Enumerable.Range(0, 32 * 32).Select(p => emoji.Rgba[(i * 32 * 32 + p) * 4 + 3]).ToArray();
            Assert.True(alpha.Count(a => a >= 128) > 20, emoji.Names[i]);
        }
        var images = emoji.AsImageSet();
        Assert.Equal(3, images.Channels);
        Assert.All(images.Pixels!, v => Assert.InRange(v, 0f, 1f));
        // A fully transparent pixel shows as white.
        int transparent = Array.FindIndex(emoji.Rgba, 3, b => b == 0);
        Assert.True(transparent % 4 == 3);
        Assert.Equal(1f, images.Pixels![transparent / 4 * 3]);
        var samples = emoji.Samples();
        samples.CheckCount(emoji.Count);
        Assert.Same(emoji.Names, samples.Texts);
    }

    [Fact]
    public void SmallerSamplesTakeEvenlySpacedRowsOfEveryLabel()
    {
        var brown = BrownSentences.Load();
        var few = brown.PerGenre(20);
        Assert.Equal(15 * 20, few.Count);
        Assert.All(few.Genres.GroupBy(g => g), g => Assert.Equal(20, g.Count()));
        // Spread over each genre's documents, in the original order, each sentence with its own id, genre and text.
        Assert.True(few.Documents.Distinct().Count() > 15 * 5);
        var rows = few.Ids.Select(id => Array.IndexOf(brown.Ids, id)).ToArray();
        Assert.Equal(rows.Order(), rows);
        Assert.All(Enumerable.Range(0, few.Count), k => Assert.Equal((brown.Texts[rows[k]], brown.Genres[rows[k]]), (few.Texts[k], few.Genres[k])));

        var test = FashionMnist.Load(FashionMnist.TestSplit);
        var garments = test.PerClass(30);
        Assert.Equal(300, garments.Count);
        int row = Array.IndexOf(test.SourceRows, garments.SourceRows[7]);
        Assert.Equal(test.Labels[row], garments.Labels[7]);
        Assert.Equal(test.Images.AsSpan(row * FashionMnist.Pixels, FashionMnist.Pixels).ToArray(), garments.Images.AsSpan(7 * FashionMnist.Pixels, FashionMnist.Pixels).ToArray());

        var emoji = Twemoji.Load();
        var some = emoji.PerCategory(100);
        // Activities has only 85: all of them; every other category gives 100.
        Assert.Equal(85 + 7 * 100, some.Count);
        int at = Array.IndexOf(emoji.CodePoints, some.CodePoints[^1]);
        Assert.Equal((emoji.Names[at], emoji.Categories[at]), (some.Names[^1], some.Categories[^1]));
        Assert.Equal(emoji.Rgba.AsSpan(at * 32 * 32 * 4, 32 * 32 * 4).ToArray(), some.Rgba.AsSpan((some.Count - 1) * 32 * 32 * 4, 32 * 32 * 4).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => brown.PerGenre(0));
    }

    // Each reader checked its rows for empty fields itself and named "line i + 2", one off for every blank line before it.
    [Fact]
    public void AnEmptyFieldIsNamedByItsLineInTheFile()
    {
        string path = Path.Combine(TestData.TempDir(), "brown-sentences.tsv.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gzip))
            writer.Write("id\tdocument\tgenre\ttext\n1\tca01\tnews\tA sentence.\n\n\n2\tca01\t \tAnother.\n");
        Assert.Equal($"{path}: line 5 has an empty field", Assert.Throws<RepDiffInputException>(() => BrownSentences.Load(path)).Message);
    }

    [Fact]
    public void ADamagedFileIsAnInputErrorNamingIt()
    {
        string dir = TestData.TempDir();
        File.Copy(Path.Combine(DataFolder("fashion-mnist"), "test-labels.csv.gz"), Path.Combine(dir, "test-labels.csv.gz"));
        // Truncated images: the array stops halfway.
        var whole = File.ReadAllBytes(Path.Combine(DataFolder("fashion-mnist"), "test-images.npy.gz"));
        File.WriteAllBytes(Path.Combine(dir, "test-images.npy.gz"), whole[..(whole.Length / 2)]);
        var e = Assert.Throws<RepDiffInputException>(() => FashionMnist.Load(dir, FashionMnist.TestSplit));
        Assert.Contains("test-images.npy.gz", e.Message);

        // Images of the wrong shape.
        using (var file = File.Create(Path.Combine(dir, "test-images.npy.gz")))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            RepDiff.IO.Npy.WriteRaw(gzip, "|u1", [2, 8, 8], new byte[128]);
        e = Assert.Throws<RepDiffInputException>(() => FashionMnist.Load(dir, FashionMnist.TestSplit));
        Assert.Contains("(n, 28, 28)", e.Message);

        // A table with the wrong header.
        using (var file = File.Create(Path.Combine(dir, "emoji.tsv.gz")))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            gzip.Write("code\tname\n1F600\tgrinning face\n"u8);
        File.Copy(Path.Combine(DataFolder("twemoji"), "twemoji-32.npy.gz"), Path.Combine(dir, "twemoji-32.npy.gz"));
        e = Assert.Throws<RepDiffInputException>(() => Twemoji.Load(dir));
        Assert.Contains("emoji.tsv.gz", e.Message);

        Assert.Throws<RepDiffInputException>(() => BrownSentences.Load(Path.Combine(dir, "missing.tsv.gz")));
    }
}
