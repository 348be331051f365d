using RepDiff.Findings;
using RepDiff.Metrics;
using RepDiff.Tests.Findings;

namespace RepDiff.Tests.Metrics;

/// <summary>How a concept's images look: each measure against its definition, planted looks found, random groups left alone.</summary>
public class ImageLooksTests
{
    private static float[] Fill(int width, int height, Func<int, int, (float R, float G, float B)> pixel)
    {
        var rgb = new float[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                (rgb[3 * (y * width + x)], rgb[3 * (y * width + x) + 1], rgb[3 * (y * width + x) + 2]) = pixel(x, y);
        return rgb;
    }

    [Fact]
    public void EachMeasureFollowsItsDefinition()
    {
        // A flat grey: its level, no contrast, no colour, no detail.
        var grey = ImageLooks.Of(Fill(8, 6, (_, _) => (0.4f, 0.4f, 0.4f)), 8, 6);
        Assert.Equal(0.4, grey.Brightness, 6);
        Assert.Equal(0, grey.Contrast, 6);
        Assert.Equal(0, grey.Colourfulness, 6);
        Assert.Equal(0, grey.Detail, 6);
        Assert.Equal(ImageLooks.Colourless, grey.Colour);
        // Pure red: luma 0.2126; colourfulness 0.3·|(R − G, (R + G)/2 − B)| = 0.3·√(1 + 0.25) with no spread.
        var red = ImageLooks.Of(Fill(4, 4, (_, _) => (1f, 0f, 0f)), 4, 4);
        Assert.Equal(0.2126, red.Brightness, 6);
        Assert.Equal(0.3 * Math.Sqrt(1.25), red.Colourfulness, 6);
        Assert.Equal("red", red.Colour);
        // A black-and-white checkerboard: mean 0.5, standard deviation 0.5, every neighbour differs by 1.
        var checks = ImageLooks.Of(Fill(6, 6, (x, y) => (x + y) % 2 == 0 ? (1f, 1f, 1f) : (0f, 0f, 0f)), 6, 6);
        Assert.Equal((0.5, 0.5, 1.0), (Math.Round(checks.Brightness, 6), Math.Round(checks.Contrast, 6), Math.Round(checks.Detail, 6)));
        // Vertical stripes: only the horizontal neighbours differ, so half the pairs (30 of 60 on 6×6).
        var stripes = ImageLooks.Of(Fill(6, 6, (x, _) => x % 2 == 0 ? (1f, 1f, 1f) : (0f, 0f, 0f)), 6, 6);
        Assert.Equal(0.5, stripes.Detail, 6);
        // An image and the same turned half round measure the same to the last bit (the pixel sums run in the other order), so they tie.
        var rng = new Random(4);
        const int side = 32;
        var values = Enumerable.Range(0, side * side * 3).Select(_ => (float)rng.NextDouble()).ToArray();
        var image = Fill(side, side, (x, y) => (values[3 * (y * side + x)], values[3 * (y * side + x) + 1], values[3 * (y * side + x) + 2]));
        int Turned(int x, int y) => 3 * ((side - 1 - y) * side + side - 1 - x);
        var turned = Fill(side, side, (x, y) => (values[Turned(x, y)], values[Turned(x, y) + 1], values[Turned(x, y) + 2]));
        Assert.Equal(ImageLooks.Of(image, side, side), ImageLooks.Of(turned, side, side));
    }

    [Theory]
    [InlineData(1f, 0.5f, 0f, "orange")]   // 30°
    [InlineData(1f, 0.647f, 0f, "orange")] // 39°: CSS orange, #FFA500
    [InlineData(1f, 0.8f, 0.302f, "yellow")] // 43°: an emoji face, #FFCC4D
    [InlineData(1f, 1f, 0f, "yellow")]     // 60°
    [InlineData(0f, 1f, 0f, "green")]      // 120°
    [InlineData(0f, 1f, 1f, "cyan")]       // 180°
    [InlineData(0f, 0f, 1f, "blue")]       // 240°
    [InlineData(0.5f, 0f, 1f, "purple")]   // 270°
    [InlineData(1f, 0f, 0.5f, "pink")]     // 330°
    [InlineData(1f, 0f, 0.1f, "red")]      // 354°: red wraps round 0
    public void TheDominantColourIsTheHueOfMostColouredPixels(float r, float g, float b, string colour)
    {
        // Three quarters of the picture in the colour, the rest white: the white pixels have no hue.
        Assert.Equal(colour, ImageLooks.Of(Fill(4, 4, (x, _) => x < 3 ? (r, g, b) : (1f, 1f, 1f)), 4, 4).Colour);
        // A tenth of the picture coloured is below the fifth that gives an image a colour.
        Assert.Equal(ImageLooks.Colourless, ImageLooks.Of(Fill(10, 1, (x, _) => x < 1 ? (r, g, b) : (0.5f, 0.5f, 0.5f)), 10, 1).Colour);
    }

    /// <summary>
    /// 400 pixel-array images of random brightness and colour; 50 of them planted dark, 40 others planted green. The planted
    /// groups read "darker" and "mostly green"; fifty random groups of fifty in the same explanation read nothing.
    /// </summary>
    [Fact]
    public void PlantedLooksAreFoundAndRandomGroupsHaveNone()
    {
        const int n = 400, side = 6;
        var rng = new Random(5);
        var pixels = new float[n * side * side * 3];
        for (int i = 0; i < n; i++)
        {
            bool isDark = i < 50, isGreen = i >= 50 && i < 90;
            float level = isDark ? 0.1f + 0.1f * (float)rng.NextDouble() : 0.3f + 0.6f * (float)rng.NextDouble();
            for (int p = 0; p < side * side; p++)
            {
                float noise = 0.05f * (float)rng.NextDouble();
                int at = (i * side * side + p) * 3;
                (pixels[at], pixels[at + 1], pixels[at + 2]) = isGreen ? (0.1f, 0.4f + level / 2, 0.1f) : (level + noise, level, level - noise);
            }
        }
        var images = new ImageSet(pixels, n, side, side, 3);
        var looks = ImageLooks.Measure(images, files: null)!;
        Assert.Empty(looks.Unreadable);
        // Every image is as wide as tall and the size of a pixel array: no shape or size column.
        Assert.Null(looks.Values[ImageLooks.Shape]);
        Assert.Null(looks.Values[ImageLooks.Size]);

        var explanation = FindingTextTests.Hand(Enumerable.Range(0, 50).ToArray(), Enumerable.Range(50, 40).ToArray());
        explanation.N = n;
        var withLooks = new SampleInfo { Images = images, Looks = looks };
        ImageLooks.Annotate(explanation, withLooks);
        var dark = explanation.Directions[0].Concepts[0].Looks!;
        Assert.Contains(dark, l => l.Column == ImageLooks.Brightness && l.Z < 0 && ImageLooks.Word(l) == "darker");
        var green = explanation.Directions[0].Concepts[1].Looks!;
        var greenLook = Assert.Single(green, l => l.Column == ImageLooks.Colour);
        Assert.Equal("mostly green (100%, whole set 10%)", ImageLooks.Phrase(greenLook));
        // The q-values are corrected over every test of every concept, so no look is claimed above 0.05.
        Assert.All(explanation.Directions.SelectMany(d => d.Concepts).SelectMany(c => c.Looks!), l => Assert.True(l.QValue <= 0.05));

        // A hundred random groups of fifty: each a draw from the same images, so any look one gets is a false discovery;
        // corrected over all their tests, at most about one run in twenty has one.
        var random = FindingTextTests.Hand(Enumerable.Range(0, 100).Select(_ => Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(50).ToArray()).ToArray());
        random.N = n;
        ImageLooks.Annotate(random, withLooks);
        Assert.True(random.Directions[0].Concepts.Count(c => c.Looks!.Count > 0) <= 1);
    }

    [Fact]
    public void EveryImageGetsTheMeasuresItHasAloneThoughEachThreadReusesItsWorkArrays()
    {
        // A pixel array: images of different content, each measured through a thread's reused arrays, against each measured alone.
        const int count = 40, width = 12, height = 10;
        var rng = new Random(11);
        var pixels = Enumerable.Range(0, count * width * height * 3).Select(_ => (float)rng.NextDouble() * (float)rng.NextDouble()).ToArray();
        var fromArray = ImageLooks.Measure(new ImageSet(pixels, count, height, width, 3), null)!;
        for (int i = 0; i < count; i++)
            AssertSameMeasures(ImageLooks.Of(pixels.AsSpan(i * width * height * 3, width * height * 3), width, height), fromArray, i);

        // Files, smaller after larger: a reused array longer than the image must not lend it the last image's pixels.
        var sizes = Enumerable.Range(0, count).Select(i => (W: 64 - i, H: 48 - i)).ToArray();
        var images = sizes.Select(s => new RepDiff.Reporting.SmallImage(s.W, s.H, Enumerable.Range(0, s.W * s.H * 4).Select(_ => (byte)rng.Next(256)).ToArray(), s.W, s.H)).ToArray();
        var fromFiles = ImageLooks.Measure(new ImageSet(Enumerable.Range(0, count).Select(i => $"{i}.png").ToArray()), new GivenImages(images))!;
        for (int i = 0; i < count; i++)
        {
            var image = images[i];
            var rgb = Enumerable.Range(0, image.Width * image.Height * 3).Select(k => image.Rgba[4 * (k / 3) + k % 3] / 255f).ToArray();
            AssertSameMeasures(ImageLooks.Of(rgb, image.Width, image.Height), fromFiles, i);
        }
    }

    private static void AssertSameMeasures(ImageLooks.Measures alone, ImageLooks looks, int sample)
    {
        Assert.Equal(alone.Brightness, looks.Values[ImageLooks.Brightness]!.Numbers![sample]);
        Assert.Equal(alone.Contrast, looks.Values[ImageLooks.Contrast]!.Numbers![sample]);
        Assert.Equal(alone.Colourfulness, looks.Values[ImageLooks.Colourfulness]!.Numbers![sample]);
        Assert.Equal(alone.Detail, looks.Values[ImageLooks.Detail]!.Numbers![sample]);
        if (looks.Values[ImageLooks.Colour] is { } colour) Assert.Equal(alone.Colour, colour.Values![sample]);
    }

    /// <summary>Files named "0.png", "1.png", … that are the given reduced images.</summary>
    private sealed class GivenImages(RepDiff.Reporting.SmallImage[] images) : RepDiff.Reporting.IImageThumbnailer
    {
        public (byte[] Bytes, string MimeType) Thumbnail(string path, int size) => throw new NotSupportedException();

        public RepDiff.Reporting.SmallImage Pixels(string path, int size) => images[int.Parse(Path.GetFileNameWithoutExtension(path))];
    }

    [Fact]
    public void FilesAreMeasuredReducedWithTheirShapeAndSizeAndUnreadableOnesNamed()
    {
        string dir = TestData.TempDir();
        var paths = new List<string>();
        var rng = new Random(3);
        for (int i = 0; i < 30; i++)
        {
            // Ten tall images, twenty wide ones of several sizes.
            int w = i < 10 ? 60 : 120 + 10 * (i % 4), h = i < 10 ? 120 : 80;
            byte level = (byte)rng.Next(40, 220);
            var rgb = Enumerable.Range(0, w * h * 3).Select(_ => level).ToArray();
            string path = Path.Combine(dir, $"{i:D2}.png");
            File.WriteAllBytes(path, Embedding.TestImages.Encode(rgb, w, h, SkiaSharp.SKEncodedImageFormat.Png));
            paths.Add(path);
        }
        File.WriteAllBytes(paths[29], [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);
        var looks = ImageLooks.Measure(new ImageSet(paths.ToArray()), new RepDiff.Embedding.ImageThumbnailer())!;
        var (sample, problem) = Assert.Single(looks.Unreadable);
        Assert.Equal(29, sample);
        Assert.StartsWith(paths[29], problem);
        Assert.Equal(["portrait", "landscape", null], new[] { 0, 10, 29 }.Select(i => looks.Values[ImageLooks.Shape]!.Values[i]));
        Assert.Equal(140 * 80 / 1e6, looks.Values[ImageLooks.Size]!.Numbers![10], 9);
        Assert.True(double.IsNaN(looks.Values[ImageLooks.Brightness]!.Numbers![29]));

        var explanation = FindingTextTests.Hand(Enumerable.Range(0, 10).ToArray());
        explanation.N = 30;
        ImageLooks.Annotate(explanation, new SampleInfo { Images = new ImageSet(paths.ToArray()), Looks = looks });
        var tall = explanation.Directions[0].Concepts[0].Looks!;
        Assert.Contains(tall, l => ImageLooks.Phrase(l) == "mostly portrait (100%, whole set 34%)");
    }

    [Fact]
    public void WithoutLabelsAFindingNamesImagesByTheirLooks()
    {
        var images = new ImageSet(new float[200 * 3], 200, 1, 1, 3);
        for (int i = 0; i < 200; i++)
            (images.Pixels![3 * i], images.Pixels[3 * i + 1], images.Pixels[3 * i + 2]) = i < 40 ? (0f, 0f, 1f) : (0.3f + 0.002f * i, 0.3f + 0.002f * i, 0.3f + 0.002f * i);
        var samples = new SampleInfo { Images = images };
        samples.Looks = ImageLooks.Measure(images, files: null);
        var explanation = FindingTextTests.Hand(Enumerable.Range(0, 40).ToArray());
        explanation.N = 200;
        ImageLooks.Annotate(explanation, samples);
        var finding = FindingText.Describe(explanation, labels: null, "A", "B", "images");
        Assert.Equal("A ranks the images shown for one group of 40 images as nearer neighbours of each other than B does (there are no labels to name them; concept 1, 40 images, "
            + "stands out as more colourful (colourfulness 0.300, whole set 0.0600) and mostly blue (100% of them, whole set 20%): see the concept cards).",
            finding.For(DirectionNames.MoreSimilarInA).Text);
        Assert.True(finding.For(DirectionNames.MoreSimilarInA).NamedWithoutLabels);
        Assert.Equal("hand finds one group of images whose shown images A ranks as nearer neighbours of each other than B does (no labels to name them; its concept 1 stands out as more colourful and mostly blue).",
            finding.Summary);
    }

    /// <summary>
    /// A look is a difference one can see: the means must differ the way the ranks do (and by a fifth of a standard deviation
    /// or more); a colour most members have is "mostly", one merely more common than in the rest "more often"; tiny sizes keep
    /// their digits.
    /// </summary>
    [Fact]
    public void LooksAreVisibleDifferencesSaidAsTheNumbersAre()
    {
        const int n = 2000;
        var rng = new Random(8);
        // The members: 160 images at 0.62 and 40 at 0 (a rank test calls them brighter, their mean is lower than the rest's);
        // the second, the brighter of the others, a look by rank and by mean.
        var level = new float[n];
        for (int i = 0; i < n; i++) level[i] = i < 160 ? 0.62f : i < 200 ? 0f : 0.3f + 0.4f * (float)rng.NextDouble();
        var images = new ImageSet(level.SelectMany(v => new[] { v, v, v }).ToArray(), n, 1, 1, 3);
        var looks = ImageLooks.Measure(images, files: null)!;
        var explanation = FindingTextTests.Hand(Enumerable.Range(0, 200).ToArray(), Enumerable.Range(200, 1800).Where(i => level[i] > 0.5f).ToArray());
        explanation.N = n;
        ImageLooks.Annotate(explanation, new SampleInfo { Images = images, Looks = looks });
        // By rank the first group is brighter, and strongly so; by mean it is darker: no look is said.
        var byRank = new Enrichment(looks.Values).Tests(Enumerable.Range(0, 200).ToArray()).Single(t => t.Column == ImageLooks.Brightness);
        Assert.True(byRank.Z > 0 && byRank.PValue < 1e-6 && byRank.MemberMean < byRank.Mean, $"z {byRank.Z}, p {byRank.PValue}, means {byRank.MemberMean} {byRank.Mean}");
        Assert.DoesNotContain(explanation.Directions[0].Concepts[0].Looks!, l => l.Column == ImageLooks.Brightness);
        Assert.Contains(explanation.Directions[0].Concepts[1].Looks!, l => ImageLooks.Phrase(l).StartsWith("brighter (brightness 0.6", StringComparison.Ordinal));

        var share = new EnrichedValue { Column = ImageLooks.Colour, Value = "yellow", Members = 50, MembersWithValue = 7, Total = 480, TotalWithValue = 18, PValue = 0.001, QValue = 0.006, LogOddsRatio = 1.8 };
        Assert.Equal("more often yellow (14%, whole set 4%)", ImageLooks.Phrase(share));
        Assert.Equal("mostly yellow", ImageLooks.Word(share with { MembersWithValue = 25 }));
        var size = new EnrichedValue { Column = ImageLooks.Size, Members = 10, Total = 40, MemberMean = 0.000256, Mean = 0.0012, Z = -4, PValue = 1e-5, QValue = 1e-4 };
        Assert.Equal("smaller (size 0.000256 megapixels, whole set 0.00120)", ImageLooks.Phrase(size));
        // Three significant digits each, a trailing zero too: "detail 0.12" beside "whole set 0.0783" read as less precise.
        var detail = size with { Column = ImageLooks.Detail, MemberMean = 0.1203, Mean = 0.07834, ExpectedFromLabels = 0.1 };
        Assert.Equal("more detailed (detail 0.120, whole set 0.0783, its labels 0.100)", ImageLooks.Phrase(detail with { Z = 4 }));
    }

    /// <summary>
    /// With labels, a numeric look also says what the members' labels alone would give: a concept of the dark label's images
    /// is darker than the whole set exactly as its label is; one of the dark label's brightest is darker than the set but
    /// brighter than its label.
    /// </summary>
    [Fact]
    public void WithLabelsALookSaysWhatTheLabelsAloneWouldGive()
    {
        const int n = 300;
        var level = Enumerable.Range(0, n).Select(i => i < 100 ? 0.1f + 0.002f * i : 0.5f + 0.001f * i).ToArray();
        var images = new ImageSet(level.SelectMany(v => new[] { v, v, v }).ToArray(), n, 1, 1, 3);
        var labels = FindingTextTests.Labels(("dark", 100), ("bright", 200));
        var samples = new SampleInfo { Images = images, Labels = labels, Looks = ImageLooks.Measure(images, files: null) };
        var explanation = FindingTextTests.Hand(Enumerable.Range(0, 100).ToArray(), Enumerable.Range(60, 40).ToArray());
        explanation.N = n;
        ImageLooks.Annotate(explanation, samples);
        double darkMean = level.Take(100).Average(v => (double)v), brightestDark = level.Skip(60).Take(40).Average(v => (double)v);
        var whole = explanation.Directions[0].Concepts[0].Looks!.Single(l => l.Column == ImageLooks.Brightness);
        Assert.Equal(darkMean, whole.ExpectedFromLabels!.Value, 6);
        Assert.Equal(whole.MemberMean!.Value, whole.ExpectedFromLabels!.Value, 9);
        var part = explanation.Directions[0].Concepts[1].Looks!.Single(l => l.Column == ImageLooks.Brightness);
        Assert.Equal(brightestDark, part.MemberMean!.Value, 6);
        Assert.Equal(darkMean, part.ExpectedFromLabels!.Value, 6);
        Assert.EndsWith($", its labels {Math.Round(darkMean, 3).ToString(System.Globalization.CultureInfo.InvariantCulture)})", ImageLooks.Phrase(part));
        // Within labels: the whole dark label has no other samples of its label to differ from (z 0); the brightest of the
        // dark label are darker than the set but brighter than the rest of their label, strongly. The terminal's short form
        // leaves both looks out; a look that holds the same way within labels stays, as does any look without labels.
        Assert.Equal((0.0, 1.0), (whole.WithinLabelsZ!.Value, whole.WithinLabelsQ!.Value));
        Assert.True(part.Z < 0 && part.WithinLabelsZ > 5 && part.WithinLabelsQ < 1e-6);
        Assert.False(ImageLooks.BeyondLabels(whole));
        Assert.False(ImageLooks.BeyondLabels(part));
        Assert.True(ImageLooks.BeyondLabels(part with { WithinLabelsZ = -5, WithinLabelsQ = 1e-6 }));
        Assert.True(ImageLooks.BeyondLabels(part with { WithinLabelsZ = null, WithinLabelsQ = null }));
    }

    /// <summary>Images that all look alike, or none of which can be read, give no looks (not "nothing sets them apart"), and unreadable ones are still counted.</summary>
    [Fact]
    public void NoVaryingMeasureMeansNoLooks()
    {
        string dir = TestData.TempDir();
        var paths = Enumerable.Range(0, 5).Select(i => Path.Combine(dir, $"{i}.png")).ToArray();
        foreach (string path in paths) File.WriteAllText(path, "not a picture");
        var unreadable = ImageLooks.Measure(new ImageSet(paths), new RepDiff.Embedding.ImageThumbnailer())!;
        Assert.Equal(5, unreadable.Unreadable.Count);
        var alike = ImageLooks.Measure(new ImageSet(Enumerable.Repeat(0.5f, 5 * 4).ToArray(), 5, 2, 2, 1), files: null)!;
        Assert.Empty(alike.Values.Columns);
        foreach (var looks in new[] { unreadable, alike })
        {
            var explanation = FindingTextTests.Hand([0, 1]);
            explanation.N = 5;
            ImageLooks.Annotate(explanation, new SampleInfo { Looks = looks });
            Assert.Null(explanation.Directions[0].Concepts[0].Looks);
        }
    }

    /// <summary>
    /// A method command on image files: the looks measured as a timed stage, on every concept of results.json and its
    /// card; an unreadable image is one warning line, and the run still succeeds.
    /// </summary>
    [Fact]
    public void AMethodCommandMeasuresTheImagesAndWarnsOnceAboutAnUnreadableOne()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = Robustness.CliHarness.SmallPair(dir, rows: 60);
        string folder = Directory.CreateDirectory(Path.Combine(dir, "images")).FullName;
        var groups = File.ReadAllLines(labels).Select(int.Parse).ToArray();
        for (int i = 0; i < 60; i++)
        {
            // Each group its own grey level: the concepts the method finds look brighter or darker than the rest.
            byte level = (byte)(30 + 40 * (groups[i] % 5) + i % 7);
            File.WriteAllBytes(Path.Combine(folder, $"{i:D2}.png"), Embedding.TestImages.Encode(Enumerable.Repeat(level, 20 * 10 * 3).ToArray(), 20, 10, SkiaSharp.SKEncodedImageFormat.Png));
        }
        File.WriteAllText(Path.Combine(folder, "07.png"), "not a picture");
        string outDir = Path.Combine(dir, "out");
        var outcome = Robustness.CliHarness.Run("kmeans", a, b, "--images", folder, "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var warning = Assert.Single(outcome.ErrorLines, l => l.Contains("image looks", StringComparison.Ordinal));
        Assert.StartsWith("warning: 1 of 60 images could not be read and is left out of the image looks (sample 7: ", warning);
        var results = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        Assert.True(results["timings"]!["image_looks"]!.GetValue<double>() > 0);
        var concepts = results["directions"]!.AsArray().SelectMany(d => d!["concepts"]!.AsArray()).ToList();
        Assert.All(concepts, c => Assert.NotNull(c!["looks"]));
        Assert.Contains(concepts, c => c!["looks"]!.AsArray().Any(l => l!["column"]!.GetValue<string>() == ImageLooks.Brightness));
        Assert.Contains("looks: ", File.ReadAllText(Path.Combine(outDir, "report.html")));
    }
}
