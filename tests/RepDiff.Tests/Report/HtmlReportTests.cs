using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RepDiff.Methods;
using RepDiff.Report;
using RepDiff.Reporting;

namespace RepDiff.Tests.Report;

public class HtmlReportTests
{
    private const string Evil = "<script>alert(1)</script>";

    /// <summary>A small pair with two well-separated groups and an explanation whose concepts are those groups.</summary>
    internal static (RepresentationPair Pair, Explanation Explanation) Synthetic(SampleInfo? samples = null, int n = 40)
    {
        var rng = new Random(5);
        var a = new Matrix(n, 3);
        var b = new Matrix(n, 4);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 3; j++) a[i, j] = (float)(rng.NextDouble() + (i < n / 2 ? 0 : 3 * j));
            for (int j = 0; j < 4; j++) b[i, j] = (float)rng.NextDouble();
        }
        var pair = new RepresentationPair(a, b, samples) { NameA = "a.npy", NameB = "b.npy" };
        var first = Enumerable.Range(0, n / 2).ToArray();
        var second = Enumerable.Range(n / 2, n / 2).ToArray();
        var clusters = Enumerable.Range(0, n).Select(i => i < n / 2 ? 2 : 1).ToArray();
        var explanation = new Explanation
        {
            Method = "test",
            N = n,
            Parameters = new JsonObject { ["seed"] = 0, ["clusters"] = 2 },
            Spectrum = [0.5, 0.2, -0.1, -0.4],
            Directions =
            [
                new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Labels = clusters,
                    Heatmap = new Heatmap { Samples = Enumerable.Range(0, n).ToArray(), Clusters = clusters, Values = Enumerable.Range(0, n * n).Select(k => (float)Math.Sin(k)).ToArray(), Meaning = "test values" },
                    Concepts = [new Concept { Rank = 1, Strength = 2.5, Members = first, Grid = first[..9] }, new Concept { Rank = 2, Strength = 1.5, Members = second, Grid = second[..9] }] },
                new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b",
                    Concepts = [new Concept { Rank = 1, Strength = 1.1, Members = second, Grid = second[..4] }] },
            ],
            Metrics = new JsonObject { ["bsr"] = new JsonObject { ["more_similar_in_a"] = 0.9, ["more_similar_in_b"] = 0.6, ["mean"] = 0.75 } },
        };
        return (pair, explanation);
    }

    /// <summary>The report model of a pair and one explanation (maps computed from the pair).</summary>
    internal static ReportModel Model(RepresentationPair pair, Explanation explanation, JsonObject? context = null, string title = "report", string? intro = null)
        => ReportModel.ForPair(pair, [explanation], context ?? new JsonObject(), title, intro);

    /// <summary>Cards name samples by their ids when they have ids (helper 79: "#1125 (fox)" named no sample of any file), else by row.</summary>
    [Fact]
    public void CardsNameSamplesByTheirIds()
    {
        string[] labels = [.. Enumerable.Range(0, 40).Select(i => i < 20 ? "fox" : "dog")];
        var (pair, e) = Synthetic(new SampleInfo { Ids = [.. Enumerable.Range(0, 40).Select(i => $"img_{i:D5}")], Labels = new SampleLabels(labels) });
        string html = HtmlReport.Render(Model(pair, e));
        int first = e.Directions[0].Concepts[0].Grid[0];
        // A line may break after its "_"; the whole id and label in its title.
        Assert.Contains($"<bdi dir=\"ltr\" title=\"\u2068img_{first:D5}\u2069 (\u2068{labels[first]}\u2069)\"><bdi>img_<wbr>{first:D5}</bdi> (<bdi>{labels[first]}</bdi>)</bdi>", html);
        Assert.DoesNotContain($"<bdi>#{first}</bdi>", html);
        var (plain, e2) = Synthetic(new SampleInfo { Labels = new SampleLabels(labels) });
        Assert.Contains($"\"><bdi>#{e2.Directions[0].Concepts[0].Grid[0]}</bdi> (", HtmlReport.Render(Model(plain, e2)));
    }

    /// <summary>
    /// Right-to-left labels, metadata values and model names are each isolated (bdi) in a direction's reading, its finding
    /// and the header's facts: "33% אלף" had carried the numbers and commas beside it into its own order ("33% 33% ,אלף"),
    /// and "B: מודל ב 4 dims" read "4 מודל ב dims". The terminal's sentence stays as it was, without marks.
    /// </summary>
    [Fact]
    public void RightToLeftLabelsValuesAndNamesAreIsolatedInTheFindingsAndFacts()
    {
        // The first half mixes two Hebrew labels and is all one Hebrew source: a mixture with a metadata value.
        string[] labels = [.. Enumerable.Range(0, 40).Select(i => i < 20 ? (i % 2 == 0 ? "אלף" : "בית") : (i % 2 == 0 ? "dog" : "cat"))];
        var source = new MetadataColumn("מקור", [.. Enumerable.Range(0, 40).Select(i => i < 20 ? "ספר" : i % 2 == 0 ? "web" : "news")]);
        var (pair, e) = Synthetic(new SampleInfo { Labels = new SampleLabels(labels), Metadata = new SampleMetadata([source], 40) });
        pair = new RepresentationPair(pair.A, pair.B, pair.Samples) { NameA = "a.npy", NameB = "מודל ב" };
        ExplanationScoring.Score(e, pair);
        var model = Model(pair, e);
        string html = HtmlReport.Render(model);

        var finding = model.FindingOf("test", DirectionNames.MoreSimilarInA)!;
        Assert.Equal("a.npy ranks the samples shown for a group mixing אלף and בית as nearer neighbours of each other than מודל ב does (concept 1, 20 samples: 50% אלף, 50% בית; מקור 'ספר' in 100% of them (whole set 50%)); "
            + "both of its first two concepts mix a few labels.", finding.Text);
        var statement = Regex.Match(html, "<h3>More similar in A</h3><p class=\"statement\">(.*?)</p>").Groups[1].Value;
        Assert.Contains("<span class=\"finding\"><bdi>a.npy</bdi> ranks the samples shown for a group mixing <bdi>אלף</bdi> and <bdi>בית</bdi> as nearer neighbours of each other than <bdi>מודל ב</bdi> does "
            + "(concept 1, 20 samples: 50% <bdi>אלף</bdi>, 50% <bdi>בית</bdi>; <bdi>מקור</bdi> &#39;<bdi>ספר</bdi>&#39; in 100% of them", statement);
        Assert.StartsWith("A (<bdi>a.npy</bdi>) ranks these samples as nearer neighbours of each other than B (<bdi>מודל ב</bdi>) does.", statement);
        // No right-to-left letter of the statements, the facts or the cards' sample lists stands outside an isolate.
        string parts = string.Concat(Regex.Matches(html, "<p class=\"statement\">.*?</p>|<dl class=\"facts\">.*?</dl>|<p class=\"ids\">.*?</p>").Select(m => m.Value));
        Assert.Contains("<p class=\"ids\">", parts);
        for (string before = ""; before != parts;) (before, parts) = (parts, Regex.Replace(parts, "<bdi[^>]*>[^<]*</bdi>", ""));
        Assert.DoesNotMatch("[\u0590-\u05FF]", parts);
        Assert.Contains("<dt>B</dt><dd><bdi>מודל ב</bdi> <small>4 dims</small></dd>", html);
        // Isolate marks only in attributes (a title, an alt), where a bdi cannot go, and in the page data, whose phrases the
        // member list writes as text (h172); the page's own text has bdi instead.
        Assert.Contains("title=\"\u2068אלף\u2069: ", html);
        Assert.DoesNotContain("\u2068", Regex.Replace(html, "(title|alt)=\"[^\"]*\"|<script type=\"application/json\" id=\"rd-data\">.*?</script>", "", RegexOptions.Singleline));
    }

    private static SampleInfo PixelSamples(int n, string[] labels)
    {
        var pixels = new float[n * 4 * 4];
        for (int p = 0; p < pixels.Length; p++) pixels[p] = (p % 7) / 7f;
        return new SampleInfo { Labels = new SampleLabels(labels), Images = new ImageSet(pixels, n, 4, 4, 1) };
    }

    /// <summary>
    /// A caption passed as a label is in the page once, in the samples' data the map and search read; histograms,
    /// box plots and grid captions show its first 80 characters (a 5,000-character label had doubled a 120-sample report).
    /// </summary>
    [Fact]
    public void ALongLabelIsWholeOnceAndCutWhereItIsShown()
    {
        const int n = 40;
        string caption = string.Concat(Enumerable.Repeat("a caption ", 500));
        var labels = Enumerable.Range(0, n).Select(i => i % 4 == 0 ? caption : i % 2 == 0 ? "cat" : "dog").ToArray();
        var (pair, explanation) = Synthetic(PixelSamples(n, labels), n);
        string html = HtmlReport.Render(Model(pair, explanation));
        Assert.Single(Regex.Matches(html, caption));
        Assert.Contains(caption[..SampleLabels.MaxShownLength] + "…", html);
    }

    /// <summary>
    /// A card's pictures and texts are its grid, which BSR scores, not a sample of its members, and RDX's grid is one corner
    /// of the concept: a concept 48% bags showed T-shirts and pullovers and no bag, and nothing said what they were (helper
    /// 141). The card says it, and that the label bars count every member.
    /// </summary>
    [Fact]
    public void ACardSaysItShowsItsGridNotASampleOfItsMembers()
    {
        const int n = 40;
        var labels = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? "bag" : "shirt").ToArray();
        static void Count(Explanation e, string[] labels) =>
            e.Directions[0].Concepts[0].LabelCounts = e.Directions[0].Concepts[0].Members.GroupBy(i => labels[i]).ToDictionary(g => g.Key, g => g.Count());

        var (pair, explanation) = Synthetic(PixelSamples(n, labels), n);
        Count(explanation, labels);
        string card = Card(HtmlReport.Render(Model(pair, explanation)));
        Assert.Matches("<div class=\"grid\".*</div><p class=\"gridnote\" title=\"[^\"]*all 20 members.\">its grid: 9 of 20 members; the labels below count all</p><div class=\"hist\" style=\"--hnum:\\d+ch\">", card);

        // Texts: the first five of the grid.
        var texts = Enumerable.Range(0, n).Select(i => $"text {i}").ToArray();
        var (textPair, textExplanation) = Synthetic(new SampleInfo { Texts = texts, Labels = new SampleLabels(labels) }, n);
        Count(textExplanation, labels);
        Assert.Contains(">5 of its grid's 9, of 20 members; the labels below count all</p>", Card(HtmlReport.Render(Model(textPair, textExplanation))));

        // Without labels there are no bars to point to; a grid of every member shows every member, and says nothing.
        var (bare, unlabelled) = Synthetic(n: n);
        Assert.Contains(">its grid: 9 of 20 members</p>", Card(HtmlReport.Render(Model(bare, unlabelled))));
        explanation.Directions[0].Concepts[0].Grid = explanation.Directions[0].Concepts[0].Members;
        Assert.DoesNotContain("gridnote", Card(HtmlReport.Render(Model(pair, explanation))));
    }

    /// <summary>The difference matrix's blocks are named by the cards' ranks: RDX's cluster labels run the other way ("cluster 5" was card 1).</summary>
    [Fact]
    public void DifferenceMatrixBlocksAreNamedAsTheCards()
    {
        var (pair, explanation) = Synthetic();
        string html = HtmlReport.Render(Model(pair, explanation));
        // Synthetic: label 2 (shown first) holds the first half, concept 1's members; label 1 the second half, concept 2's.
        Assert.Contains("<ul class=\"blocks\"><li>concept 1: 20 samples</li><li>concept 2: 20 samples</li></ul>", html);
    }

    /// <summary>
    /// A difference matrix drawn on a subsample says so, block by block: "concept 1: 24 samples" under a card of 40 members
    /// had read as a count that disagreed with the card.
    /// </summary>
    [Fact]
    public void ADifferenceMatrixOfASubsampleSaysHowManyOfEachConceptItShows()
    {
        var (pair, explanation) = Synthetic();
        var direction = explanation.Directions[0];
        var every = direction.Heatmap!;
        int[] rows = [.. Enumerable.Range(0, every.Samples.Length / 2).Select(k => every.Samples[2 * k])];
        direction.Heatmap = new Heatmap { Samples = rows, Clusters = [.. rows.Select(r => every.Clusters[r])], Values = new float[rows.Length * rows.Length], Meaning = every.Meaning };
        string html = HtmlReport.Render(Model(pair, explanation));
        Assert.Contains("Rows and columns: 20 of the 40 samples, ordered by concept", html);
        Assert.Contains("<ul class=\"blocks\"><li>concept 1: 10 of its 20 members</li><li>concept 2: 10 of its 20 members</li></ul>", html);
    }

    /// <summary>The parameters table showed JSON: "neighborhood" in quotes, null for an option not set.</summary>
    [Fact]
    public void ParametersReadAsValuesNotJson()
    {
        var (pair, explanation) = Synthetic();
        explanation.Parameters["distance"] = "neighborhood";
        explanation.Parameters["max_samples"] = null;
        string html = HtmlReport.Render(Model(pair, explanation));
        Assert.Contains("<th>distance</th><td>neighborhood</td>", html);
        Assert.Contains("<th>max_samples</th><td>—</td>", html);
        Assert.Contains("<th>seed</th><td>0</td>", html);
    }

    /// <summary>The "other" bar had been scaled to the largest label shown, so 92 others drew as long as 43 romance (width 214%).</summary>
    [Fact]
    public void LabelBarsAreScaledToTheLargestRowIncludingOther()
    {
        var labels = new SampleLabels([.. "abcdefghij".Select(c => c.ToString())]);
        var counts = labels.Names.ToDictionary(name => name, name => name == "a" ? 10 : 6);
        var widths = Regex.Matches(Charts.LabelHistogram(labels, counts), @"width:([0-9.]+)%").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(7, widths.Count);
        Assert.Equal(100, widths[^1]);                 // other: the last 4 labels' 24, the largest row
        Assert.Equal(41.7, widths[0]);                 // a: 10 of 24
        Assert.All(widths, w => Assert.InRange(w, 0, 100));
    }

    /// <summary>
    /// A label's whole name and count are its row's title (a name the card cuts is read on hover of its name, bar or count), and
    /// counts are written as the card's member count is ("1,204", where the bar had "1204" under "1,500 members").
    /// </summary>
    [Fact]
    public void ALabelBarNamesItsLabelWholeOnHoverAndCountsAsTheCardCounts()
    {
        const string owl = "great grey owl, great gray owl, Strix nebulosa";
        var labels = new SampleLabels([owl, "T-shirt/top"]);
        string html = Charts.LabelHistogram(labels, new Dictionary<string, int> { [owl] = 1204, ["T-shirt/top"] = 296 });
        Assert.Contains($"<div class=\"hrow\" title=\"\u2068{owl}\u2069: 1,204 of 1,500 members (80%)\"><span class=\"hname\"><bdi>{owl}</bdi></span>", html);
        Assert.Contains("<span class=\"hnum\">1,204 <small>(80%)</small></span>", html);
        Assert.Contains("<div class=\"hrow\" title=\"\u2068T-shirt/top\u2069: 296 of 1,500 members (20%)\"><span class=\"hname\"><bdi>T-shirt/<wbr>top</bdi></span>", html);
        // The names' column leaves room for the widest count, "1,204 (80%)": 11 characters (report.css's --hnum).
        Assert.StartsWith("<div class=\"hist\" style=\"--hnum:11ch\">", html);
    }

    [Fact]
    public void UserStringsAreEscapedEverywhere()
    {
        const int n = 40;
        var labels = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? Evil : "ok\"label").ToArray();
        var texts = Enumerable.Range(0, n).Select(i => $"text {i} </script><b>bold</b>").ToArray();
        var (pair0, explanation) = Synthetic(new SampleInfo { Labels = new SampleLabels(labels), Texts = texts }, n);
        var pair = new RepresentationPair(pair0.A, pair0.B, pair0.Samples) { NameA = "\"><img src=x onerror=alert(2)>.npy", NameB = Evil + ".npy" };
        string html = HtmlReport.Render(Model(pair, explanation, title: Evil, intro: Evil));

        Assert.DoesNotContain(Evil, html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.DoesNotContain("<b>bold</b>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        // Only the report's own two script elements: the JSON data and the page script.
        Assert.Equal(2, Regex.Matches(html, "<script", RegexOptions.IgnoreCase).Count);
        Assert.Equal(2, Regex.Matches(html, "</script", RegexOptions.IgnoreCase).Count);
    }

    /// <summary>A card of texts lists the words its members' texts have more often than the rest, with the test's numbers on hover.</summary>
    [Fact]
    public void ACardOfTextsNamesItsDistinctiveWords()
    {
        const int n = 40;
        var texts = Enumerable.Range(0, n).Select(i => i < n / 2 ? $"a zebra, number {i}" : $"plain number {i}").ToArray();
        var (pair, explanation) = Synthetic(new SampleInfo { Texts = texts }, n);
        RepDiff.Metrics.DistinctiveWords.Annotate(explanation, pair.Samples);
        string html = HtmlReport.Render(Model(pair, explanation));
        var first = Card(html);
        Assert.Contains("words: <span title=\"20 of 20 members, 20 of 40 texts; log odds ratio 7.43; hypergeometric p = 7.3e-12; Benjamini–Hochberg q = ", first);
        // "a" and "zebra" are in exactly the same texts: equal p-values, so alphabetical.
        Assert.Matches("<b><bdi>a</bdi></b> in 100% \\(whole set 50%\\)</span>, <span title=\"[^\"]*\"><b><bdi>zebra</bdi></b> 100% \\(50%\\)</span></p>", first);
        // The second concept (the other texts) has "plain"; a report without texts has no words line.
        Assert.Contains("<b><bdi>plain</bdi></b> in 100% (whole set 50%)", html);
        // Texts tested but no word found: said on the card rather than left out.
        explanation.Directions[1].Concepts[0].Words = [];
        Assert.Contains("<p class=\"words none\">no word sets these texts apart from the rest (Benjamini–Hochberg q ≤ 0.05)</p>", HtmlReport.Render(Model(pair, explanation)));
        var (unlabelled, bare) = Synthetic(n: n);
        Assert.DoesNotContain("class=\"words\"", HtmlReport.Render(Model(unlabelled, bare)));
    }

    /// <summary>
    /// A direction whose groups are below chance (KODA's direction a on minilm/arctic, h235: BSR 0.306 against 0.495 ± 0.033)
    /// had its reading "A ranks these samples as nearer neighbours … than B does" stand before its finding, which says B
    /// ranks them nearer: the reading now says what was looked for. A direction above chance keeps its reading.
    /// </summary>
    [Fact]
    public void ADirectionBelowChanceSaysWhatItLookedForNotThatItHolds()
    {
        var (pair, e) = Synthetic();
        e.Method = "koda";
        e.Metrics["bsr"] = new JsonObject { [DirectionNames.MoreSimilarInA] = 0.306, [DirectionNames.MoreSimilarInB] = 0.9 };
        e.Metrics["bsr_chance"] = new JsonObject { [DirectionNames.MoreSimilarInA] = 0.495, [DirectionNames.MoreSimilarInB] = 0.5 };
        e.Metrics["bsr_chance_sd"] = new JsonObject { [DirectionNames.MoreSimilarInA] = 0.033, [DirectionNames.MoreSimilarInB] = 0.03 };
        string html = HtmlReport.Render(Model(pair, e));
        string Statement(string title) => Regex.Match(html, $"<h3>{title}</h3><p class=\"statement\">(.*?)</p>").Groups[1].Value;
        string a = Statement("More similar in A");
        Assert.StartsWith("Looked for samples that A (<bdi>a.npy</bdi>) ranks as nearer neighbours of each other than B (<bdi>b.npy</bdi>) does. ", a);
        Assert.Contains("below chance, the opposite of this direction", a);
        Assert.DoesNotContain("ranks these samples", a);
        Assert.StartsWith("B (<bdi>b.npy</bdi>) ranks these samples as nearer neighbours of each other than A (<bdi>a.npy</bdi>) does.", Statement("More similar in B"));
    }

    [Fact]
    public void ReportIsSelfContainedAndHasAllParts()
    {
        const int n = 40;
        var labels = Enumerable.Range(0, n).Select(i => (i % 3).ToString()).ToArray();
        var (pair, explanation) = Synthetic(PixelSamples(n, labels), n);
        var context = new JsonObject { ["linear_cka"] = 0.42, ["mutual_knn"] = 0.3 };
        string html = HtmlReport.Render(Model(pair, explanation, context));

        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.DoesNotContain("<link", html);
        Assert.Equal(3, Regex.Matches(html, "<article class=\"card\"").Count);
        Assert.Equal(9 + 9 + 4, Regex.Matches(html, "<img src=\"data:image/png;base64,").Count);
        Assert.Equal(2, Regex.Matches(html, "<canvas class=\"map\" data-kind=\"pca\"").Count);
        Assert.Contains("class=\"spectrum\"", html);
        Assert.Contains("class=\"heatmap\"", html);
        Assert.Contains("linear CKA <b>0.420</b>", html);
        Assert.Contains("A (<bdi>a.npy</bdi>) ranks these samples as nearer neighbours of each other than B (<bdi>b.npy</bdi>) does.", html);
        Assert.Contains(">0.750</td>", html); // BSR table mean
        Assert.DoesNotContain("eigensolver stopped", html);
        explanation.Metrics["eigensolver_converged"] = false;
        Assert.Contains("eigensolver stopped at its product cap",
            HtmlReport.Render(Model(pair, explanation, context)));
    }

    [Fact]
    public void UnreadableImageFilesBecomePlaceholdersWithAWarning()
    {
        const int n = 40;
        string dir = TestData.TempDir();
        var paths = Enumerable.Range(0, n).Select(i => Path.Combine(dir, $"img{i}.png")).ToArray();
        var good = Png.Encode(new byte[4], 2, 2, 1);
        for (int i = 1; i < n; i++) File.WriteAllBytes(paths[i], good);
        File.WriteAllText(paths[2], "not a png");        // corrupt content; paths[0] does not exist
        var (pair, explanation) = Synthetic(new SampleInfo { Images = new ImageSet(paths) }, n);
        var result = HtmlReport.RenderWithWarnings(Model(pair, explanation));

        Assert.Equal(2, result.Warnings.Count);
        Assert.Contains(result.Warnings, w => w.Contains("img0.png") && w.Contains("not found"));
        Assert.Contains(result.Warnings, w => w.Contains("img2.png") && w.Contains("does not match"));
        Assert.Contains("cannot be shown", result.Html);
    }

    /// <summary>40 samples whose images are PNG files in a folder with a space in its name.</summary>
    private static (string Dir, RepresentationPair Pair, Explanation Explanation) PairWithImageFiles()
    {
        const int n = 40;
        string dir = TestData.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "img dir"));
        var paths = Enumerable.Range(0, n).Select(i => Path.Combine(dir, "img dir", $"{i}.png")).ToArray();
        foreach (var p in paths) File.WriteAllBytes(p, Png.Encode(new byte[4], 2, 2, 1));
        var (pair, explanation) = Synthetic(new SampleInfo { Images = new ImageSet(paths) }, n);
        return (dir, pair, explanation);
    }

    [Fact]
    public void LinkedImagesAreRelativeToTheReport()
    {
        var (dir, pair, explanation) = PairWithImageFiles();
        string html = HtmlReport.Render(Model(pair, explanation), new RenderOptions { LinkImages = true, OutputDirectory = Path.Combine(dir, "out") });

        Assert.Contains("<img src=\"../img%20dir/0.png\"", html);
        Assert.DoesNotContain("<img src=\"data:", html);
    }

    /// <summary>
    /// A report that links its images works only beside them: it says so at its top, naming where the first one lies, and its
    /// footer no longer calls it self-contained (moved one folder deeper, 138 of 140 pictures broke under that footer).
    /// One that holds its images still says it is self-contained.
    /// </summary>
    [Fact]
    public void AReportThatLinksItsImagesSaysItNeedsThem()
    {
        var (dir, pair, explanation) = PairWithImageFiles();
        string linked = HtmlReport.Render(Model(pair, explanation), new RenderOptions { LinkImages = true, OutputDirectory = Path.Combine(dir, "out") });
        string first = Regex.Match(linked, "<img src=\"([^\"]+)\"").Groups[1].Value;

        var note = Regex.Match(linked, "<header class=\"top\"><h1>[^<]*</h1><p class=\"note linked\">(.*?)</p>").Groups[1].Value;
        Assert.Contains($"<code>{Uri.UnescapeDataString(first)}</code>, relative to this file", note);
        Assert.Contains("moved or sent without them, it shows no pictures", note);
        Assert.DoesNotContain("self-contained", linked);
        Assert.Contains("the images are linked files (--link-images), not part of this file</footer>", linked);

        string embedded = HtmlReport.Render(Model(pair, explanation));
        Assert.DoesNotContain("class=\"note linked\"", embedded);
        Assert.Contains("self-contained report, no network needed</footer>", embedded);
    }

    [Fact]
    public void LargePixelImagesAreReducedAndSmallOnesEnlarged()
    {
        const int n = 40;
        foreach (var (side, expected) in new[] { (200, 66), (8, 64) })
        {
            var pixels = new float[n * side * side];
            var (pair, explanation) = Synthetic(new SampleInfo { Images = new ImageSet(pixels, n, side, side, 1) }, n);
            string html = HtmlReport.Render(Model(pair, explanation));
            var uri = Regex.Match(html, "<img src=\"data:image/png;base64,([^\"]+)\"").Groups[1].Value;
            var png = Convert.FromBase64String(uri);
            Assert.Equal(expected, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        }
    }

    [Fact]
    public void SampleSetReportsRenderWithoutMaps()
    {
        // FINC's reports describe two sample sets by index only.
        using var sets = new SampleSets(new Matrix(30, 2), new Matrix(20, 2)) { NameTest = "test.npy", NameRef = "ref.npy" };
        var explanation = new Explanation
        {
            Method = "finc",
            N = 30,
            Spectrum = [0.2, -0.1],
            Directions = [new Direction { Name = DirectionNames.MoreFrequentInTest, Concepts = [new Concept { Rank = 1, Strength = 0.2, Members = [1, 2, 3], Grid = [1, 2, 3] }] }],
        };
        string html = HtmlReport.Render(ReportModel.ForSampleSets(sets, explanation, "finc"));
        Assert.DoesNotContain("<canvas class=\"map\"", html);
        Assert.DoesNotContain("id=\"map-search\"", html);
        Assert.Contains("Modes where the test set (<bdi>test.npy</bdi>) has more samples than the reference set (<bdi>ref.npy</bdi>).", html);
        Assert.Contains("<bdi dir=\"ltr\" title=\"\u2068#1\u2069\"><bdi>#1</bdi></bdi>  <bdi dir=\"ltr\" title=\"\u2068#2\u2069\"><bdi>#2</bdi></bdi>  <bdi dir=\"ltr\" title=\"\u2068#3\u2069\"><bdi>#3</bdi></bdi>", html);
    }

    /// <summary>
    /// The maps' search field is named by what the samples have, and searches the page data the maps already read: every
    /// plotted sample's id, label and text are in it (ids may hold markup; the field's own attributes never do).
    /// </summary>
    [Fact]
    public void TheMapSearchFieldNamesWhatItSearchesAndThePageHoldsIt()
    {
        const int n = 40;
        var ids = Enumerable.Range(0, n).Select(i => $"id {i} {Evil}").ToArray();
        var labels = Enumerable.Range(0, n).Select(i => $"class {i % 3}").ToArray();
        var texts = Enumerable.Range(0, n).Select(i => $"sentence {i}").ToArray();
        string Field(SampleInfo samples)
        {
            var (pair, explanation) = Synthetic(samples, n);
            string html = HtmlReport.Render(Model(pair, explanation));
            var field = Regex.Match(html, "<input type=\"search\" id=\"map-search\"[^>]*>");
            Assert.True(field.Success, "no search field");
            Assert.DoesNotContain("script", field.Value);
            var data = JsonNode.Parse(Regex.Match(html, "<script type=\"application/json\" id=\"rd-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value)!["samples"]!;
            Assert.Equal(samples.Ids, data["ids"]?.AsArray().Select(x => (string)x!).ToArray());
            Assert.Equal(samples.Texts, data["texts"]?.AsArray().Select(x => (string)x!).ToArray());
            Assert.Equal(samples.Labels is not null, data["columns"]!.AsArray().Any(c => c!["labels"] is not null));
            return Regex.Match(field.Value, "placeholder=\"([^\"]*)\"").Groups[1].Value;
        }
        Assert.Equal("find samples by id", Field(new SampleInfo { Ids = ids }));
        Assert.Equal("find samples by id or label", Field(new SampleInfo { Ids = ids, Labels = new SampleLabels(labels) }));
        Assert.Equal("find samples by id, label or text", Field(new SampleInfo { Ids = ids, Labels = new SampleLabels(labels), Texts = texts }));
        Assert.Equal("find samples by id or text", Field(new SampleInfo { Texts = texts }));
    }

    /// <summary>
    /// A SPEC card's "strength 0.009758" was too long to sit beside the rank badge in a card of the narrowest width (the badge
    /// stood on a line of its own, seen in Chromium): below 1 the figure has three significant digits, four from 1 up.
    /// </summary>
    [Fact]
    public void ACardsStrengthFigureIsShortEnoughToSitBesideItsRank()
    {
        var (pair, explanation) = Synthetic();
        var concepts = explanation.Directions[0].Concepts;
        (concepts[0].Strength, concepts[1].Strength, explanation.Directions[1].Concepts[0].Strength) = (0.009758, 27.2, 0.0018);
        string html = HtmlReport.Render(Model(pair, explanation));
        Assert.Contains("<span class=\"rank\">1</span><span class=\"strength\">strength <b>0.00976</b></span></header>", html);
        // Trailing zeros kept, as the looks keep theirs: 0.00180 beside 0.00174 had read "0.0018".
        Assert.Contains("<span class=\"rank\">2</span><span class=\"strength\">strength <b>27.20</b></span></header>", html);
        Assert.Contains("<span class=\"rank\">1</span><span class=\"strength\">strength <b>0.00180</b></span></header>", html);
    }

    [Fact]
    public void StrengthIsExplainedOncePerMethodAndOnEveryCardFigure()
    {
        var (pair, explanation) = Synthetic();
        (explanation.Method, explanation.StrengthMeaning) = ("spec", MethodRegistry.Default.Find("spec")!.StrengthMeaning);
        string html = HtmlReport.Render(Model(pair, explanation));
        Assert.Single(Regex.Matches(html, Regex.Escape("<p class=\"note strength\"><b>Strength</b> (on each card): " + HtmlReport.E("|eigenvalue| of the kernel difference (K_A − eta·K_B)/n"))));
        Assert.Equal(3, Regex.Matches(html, "<span class=\"strength\" title=\"strength: \\|eigenvalue\\| of the kernel difference[^\"]*\">strength <b>").Count);
        // Each method names its own measure, and a results.json written before it was kept gets it back by the method's
        // name; an explanation without one (a method this version does not know) gets no invented one.
        explanation.Method = "rdx";
        var read = Explanation.FromJson(explanation.ToJson().Replace("\"strength_meaning\"", "\"old_field\""));
        Assert.Contains("<b>Strength</b> (on each card): " + HtmlReport.E("mean affinity exp(−beta·G)"), HtmlReport.Render(Model(pair, read)));
        explanation.StrengthMeaning = null;
        Assert.DoesNotContain("class=\"note strength\"", HtmlReport.Render(Model(pair, explanation)));
    }

    [Fact]
    public void TheSpectrumCaptionNamesTheModelOfEachSign()
    {
        var (pair, explanation) = Synthetic();
        string html = HtmlReport.Render(Model(pair, explanation));
        Assert.Contains("positive eigenvalues (blue) are modes more similar in A (<bdi>a.npy</bdi>); negative (red) are modes more similar in B (<bdi>b.npy</bdi>).</figcaption>", html);
    }

    [Fact]
    public void MutualKnnStandsBesideTheOverlapOfRandomNeighboursOnTheSamplesItWasMeasuredOn()
    {
        var (pair, explanation) = Synthetic();
        // 40 samples: random 10-neighbour sets share 10/39 = 0.256 of their members.
        string html = HtmlReport.Render(Model(pair, explanation, new JsonObject { ["mutual_knn"] = 0.3 }));
        Assert.Matches("mutual k-NN \\(k = 10\\) <b>0.300</b><small class=\"chance\" title=\"chance level: random neighbours share k/\\(n − 1\\) = 10/39 [^\"]*\"> / 0.256</small>", html);
        // Measured on a subsample of 5,000 (compare above 5,000 samples), the chance level is that of 5,000, not of n.
        string sub = HtmlReport.Render(Model(pair, explanation, new JsonObject { ["mutual_knn"] = 0.3, ["mutual_knn_samples"] = 5000 }));
        Assert.Contains("> / 0.002</small>", sub);
    }

    [Fact]
    public void WhenNoConceptIsConfirmedTheDirectionSaysSoInTheTerminalsSentence()
    {
        const int n = 40;
        var labels = Enumerable.Range(0, n).Select(i => (i % 3).ToString()).ToArray();
        var (pair, explanation) = Synthetic(new SampleInfo { Labels = new SampleLabels(labels) }, n);
        ExplanationScoring.Score(explanation, pair);
        foreach (var c in explanation.Directions[0].Concepts) (c.PValue, c.PAdjusted, c.FoundAgain, c.HeldOutScore) = (0.4, 0.6, true, 0.5);
        foreach (var c in explanation.Directions[1].Concepts) (c.PValue, c.PAdjusted, c.FoundAgain, c.HeldOutScore) = (0.001, 0.002, true, 0.9);
        var model = Model(pair, explanation);
        string html = HtmlReport.Render(model);
        // The sentence Findings writes for it (the terminal prints the same), not a label mix of concepts that did not hold.
        var none = model.FindingOf("test", DirectionNames.MoreSimilarInA)!;
        Assert.Null(none.Lead);
        Assert.Contains("confirmed", none.Text);
        var statement = Regex.Match(html, "<h3>More similar in A</h3><p class=\"statement\">(.*?)</p>").Groups[1].Value;
        Assert.Contains("<span class=\"finding\">" + HtmlReport.Isolated(none.Isolated) + "</span>", statement);
        Assert.DoesNotContain("Across its", statement);
        Assert.Contains("0 of 2 confirmed on held-out samples", statement);
    }

    [Fact]
    public void TheIndexGivesEachMeanBsrWithItsChanceLevel()
    {
        var (pair, explanation) = Synthetic();
        ExplanationScoring.Score(explanation, pair);
        var comparison = new Comparison { Pair = pair, Explanations = [explanation], Context = new JsonObject { ["linear_cka"] = 0.5 } };
        string html = IndexPage.Render("demo", "intro", [new IndexEntry("pair", "about", "pair/report.html", comparison)]);
        var mean = BsrRow.From([explanation]).Single(r => r.Direction == "mean");
        Assert.NotNull(mean.SilbChance);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"test {mean.Silb:F3}<small class=\"chance\""), html);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"> / {mean.SilbChance:F3}</small>"), html);

        // A side at its chance level marks the mean as the report's table does (the demo's index showed koda's 0.476 unmarked).
        string Index(double chanceA)
        {
            explanation.Metrics["bsr_chance"] = new JsonObject { ["more_similar_in_a"] = chanceA, ["more_similar_in_b"] = 0.1, ["mean"] = 0.51 };
            return IndexPage.Render("demo", "intro", [new IndexEntry("pair", "about", "pair/report.html", comparison)]);
        }
        Assert.DoesNotContain("class=\"at-chance\"", Index(chanceA: 0.1));
        Assert.Contains("> / 0.510</small><span class=\"at-chance\"", Index(chanceA: 0.92));
    }

    [Fact]
    public void AMeanBsrWithASideAtItsChanceLevelIsMarked()
    {
        // A at its chance level, B far above: the mean (0.75) looks strong unless it says that one side is at chance.
        var (pair, explanation) = Synthetic();
        explanation.Metrics["bsr_chance"] = new JsonObject { ["more_similar_in_a"] = 0.92, ["more_similar_in_b"] = 0.1, ["mean"] = 0.51 };
        string marked = HtmlReport.Render(Model(pair, explanation));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(marked, "class=\"at-chance\""));
        Assert.Contains("0.750<small class=\"chance\" title=\"chance level: mean BSR of random groups of the same size, same distance\"> / 0.510</small><span class=\"at-chance\"", marked);

        explanation.Metrics["bsr_chance"] = new JsonObject { ["more_similar_in_a"] = 0.5, ["more_similar_in_b"] = 0.5, ["mean"] = 0.5 };
        Assert.DoesNotContain("class=\"at-chance\"", HtmlReport.Render(Model(pair, explanation)));
    }

    /// <summary>
    /// A report of minilm-l6 against arctic-embed-xs read "1.000 / 1.000" in the MNED column for B (1 beside a chance of
    /// 0.9995; here 0.99981 beside 0.99952), as a side at 0.0003 beside 0.0001 read "0.000 / 0.000". The table, the cards
    /// and the chips now write a BSR and its chance level to the decimals that tell them apart (Metrics.BsrFigures), and
    /// figures equal even at six decimals as "= chance"; figures three decimals tell apart read as before.
    /// </summary>
    [Fact]
    public void ABsrNearItsChanceLevelIsShownApartFromIt()
    {
        var (pair, explanation) = Synthetic();
        ExplanationScoring.Score(explanation, pair);
        explanation.Metrics["bsr_mned"] = new JsonObject { ["more_similar_in_a"] = 0.0003, ["more_similar_in_b"] = 0.99981, ["mean"] = 0.50006 };
        explanation.Metrics["bsr_mned_chance"] = new JsonObject { ["more_similar_in_a"] = 0.0001, ["more_similar_in_b"] = 0.99952, ["mean"] = 0.50001 };
        explanation.Metrics["bsr_lsed"] = new JsonObject { ["more_similar_in_a"] = 0.62, ["more_similar_in_b"] = 0.5, ["mean"] = 0.56 };
        explanation.Metrics["bsr_lsed_chance"] = new JsonObject { ["more_similar_in_a"] = 0.49, ["more_similar_in_b"] = 0.5, ["mean"] = 0.495 };
        string table = BsrTable(HtmlReport.Render(Model(pair, explanation)));
        string Cell(string bsr, string chance) => $">{bsr}<small class=\"chance\" title=\"chance level: mean BSR of random groups of the same size, same distance\"> / {chance}</small>";
        Assert.Contains(Cell("0.00030", "0.00010"), table);
        Assert.Contains(Cell("0.9998", "0.9995"), table);
        Assert.Contains(Cell("0.5001", "0.5000"), table);
        Assert.Contains(Cell("0.620", "0.490"), table);
        Assert.Contains(">0.500<small class=\"chance\" title=\"equal to its chance level", table);
        Assert.DoesNotContain("1.000<small", table);
    }

    /// <summary>
    /// compare on minilm-l6 against arctic-embed-xs (kmeans, nmf, sae): MNED's sides of 0 beside a chance of 0.0005 and 1
    /// beside 0.9995 averaged to 0.5 beside 0.5, and the mean cell read "0.500 = chance†", as if each side were at chance.
    /// It now reads "0.500 / 0.500†", its title saying the two are equal only on average; the demo's index likewise.
    /// "= chance" stays for a mean whose sides are each at their own.
    /// </summary>
    [Fact]
    public void AMeanEqualToItsChanceLevelOnlyOnAverageIsNotSaidToBeAtChance()
    {
        var (pair, explanation) = Synthetic();
        ExplanationScoring.Score(explanation, pair);
        explanation.Metrics["bsr_mned"] = new JsonObject { ["more_similar_in_a"] = 0.0, ["more_similar_in_b"] = 1.0, ["mean"] = 0.5 };
        explanation.Metrics["bsr_mned_chance"] = new JsonObject { ["more_similar_in_a"] = 0.0005, ["more_similar_in_b"] = 0.9995, ["mean"] = 0.5 };
        explanation.Metrics["bsr_lsed"] = new JsonObject { ["more_similar_in_a"] = 0.5, ["more_similar_in_b"] = 0.5, ["mean"] = 0.5 };
        explanation.Metrics["bsr_lsed_chance"] = new JsonObject { ["more_similar_in_a"] = 0.5, ["more_similar_in_b"] = 0.5, ["mean"] = 0.5 };
        string table = BsrTable(HtmlReport.Render(Model(pair, explanation)));
        var means = System.Text.RegularExpressions.Regex.Matches(table, "<td class=\"num mean[^\"]*\"[^>]*>(.*?)</td>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, means.Count);
        string mned = means[1], lsed = means[2];
        Assert.StartsWith("0.500<small class=\"chance\" title=\"mean of the two sides' chance levels: the mean BSR equals it, yet the sides are not each at their own", mned);
        Assert.Contains("> / 0.500</small><span class=\"at-chance\"", mned);
        Assert.DoesNotContain("= chance", mned);
        Assert.StartsWith("0.500<small class=\"chance\" title=\"equal to its chance level", lsed);
        Assert.Contains(">0.00000<small class=\"chance\" title=\"chance level: mean BSR of random groups of the same size, same distance\"> / 0.00050</small>", table);

        // The demo's index writes SILB's mean by the same rule.
        explanation.Metrics["bsr"] = new JsonObject { ["more_similar_in_a"] = 0.0, ["more_similar_in_b"] = 1.0, ["mean"] = 0.5 };
        explanation.Metrics["bsr_chance"] = new JsonObject { ["more_similar_in_a"] = 0.0005, ["more_similar_in_b"] = 0.9995, ["mean"] = 0.5 };
        var comparison = new Comparison { Pair = pair, Explanations = [explanation], Context = new JsonObject { ["linear_cka"] = 0.5 } };
        string index = IndexPage.Render("demo", "intro", [new IndexEntry("pair", "about", "pair/report.html", comparison)]);
        Assert.Contains("> / 0.500</small><span class=\"at-chance\"", index);
        Assert.DoesNotContain("= chance", index);
    }

    /// <summary>
    /// The † on a mean cell of the BSR table (and on the demo's index) had the title "one side is at or below its chance
    /// level", leaving the reader to find which. It names the side(s) by the table's column and the direction's title.
    /// </summary>
    [Fact]
    public void TheAtChanceMarkOfAMeanNamesItsSides()
    {
        var (pair, explanation) = Synthetic();
        ExplanationScoring.Score(explanation, pair);
        JsonObject Sides(double a, double b) => new() { ["more_similar_in_a"] = a, ["more_similar_in_b"] = b, ["mean"] = (a + b) / 2 };
        explanation.Metrics["bsr"] = Sides(0.9, 0.4);
        explanation.Metrics["bsr_chance"] = Sides(0.5, 0.5);
        explanation.Metrics["bsr_mned"] = Sides(0.0, 1.0);
        explanation.Metrics["bsr_mned_chance"] = Sides(0.0005, 0.9995);
        explanation.Metrics["bsr_lsed"] = Sides(0.4, 0.45);
        explanation.Metrics["bsr_lsed_chance"] = Sides(0.5, 0.5);
        string table = BsrTable(HtmlReport.Render(Model(pair, explanation)));
        var means = System.Text.RegularExpressions.Regex.Matches(table, "<td class=\"num mean[^\"]*\"[^>]*>(.*?)</td>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, means.Count);
        Assert.EndsWith("<span class=\"at-chance\" title=\"B&#39;s grids (more similar in B) are at or below their chance level\">†</span>", means[0]);
        Assert.EndsWith("<span class=\"at-chance\" title=\"A&#39;s grids (more similar in A) are at or below their chance level\">†</span>", means[1]);
        Assert.EndsWith("<span class=\"at-chance\" title=\"A&#39;s grids (more similar in A) and B&#39;s grids (more similar in B) are each at or below their chance level\">†</span>", means[2]);

        // The demo's index marks SILB's mean by the same rule, with the same title.
        var comparison = new Comparison { Pair = pair, Explanations = [explanation], Context = new JsonObject { ["linear_cka"] = 0.5 } };
        string index = IndexPage.Render("demo", "intro", [new IndexEntry("pair", "about", "pair/report.html", comparison)]);
        Assert.Contains("<span class=\"at-chance\" title=\"B&#39;s grids (more similar in B) are at or below their chance level\">†</span>", index);
        Assert.Contains("† a side at or below its chance level, named in its title", index);
    }

    /// <summary>
    /// The demo's index marked a mean † by every direction of its method, the report's table by the directions that explain A and
    /// B: a direction explaining neither model (as FINC's do) whose BSR was at chance marked the index's mean and not the table's.
    /// </summary>
    [Fact]
    public void TheIndexMarksAMeanByTheSidesTheTableReadsItBy()
    {
        var (pair, explanation) = Synthetic();
        ExplanationScoring.Score(explanation, pair);
        explanation.Directions.Add(new Direction { Name = DirectionNames.MoreFrequentInTest, Rows = "test", Concepts = [] });
        JsonObject Sides(double a, double b, double neither) => new() { ["more_similar_in_a"] = a, ["more_similar_in_b"] = b, [DirectionNames.MoreFrequentInTest] = neither, ["mean"] = (a + b) / 2 };
        explanation.Metrics["bsr"] = Sides(0.9, 0.8, 0.3);
        explanation.Metrics["bsr_chance"] = Sides(0.5, 0.5, 0.5);
        string table = BsrTable(HtmlReport.Render(Model(pair, explanation)));
        string silbMean = System.Text.RegularExpressions.Regex.Match(table, "<td class=\"num mean[^\"]*\"[^>]*>(.*?)</td>").Groups[1].Value;
        Assert.StartsWith("0.850", silbMean);
        Assert.DoesNotContain("at-chance", silbMean);
        var comparison = new Comparison { Pair = pair, Explanations = [explanation], Context = new JsonObject { ["linear_cka"] = 0.5 } };
        string index = IndexPage.Render("demo", "intro", [new IndexEntry("pair", "about", "pair/report.html", comparison)]);
        Assert.Contains("0.850", index);
        Assert.DoesNotContain("<span class=\"at-chance\"", index);

        // A side the table reads at chance marks both.
        explanation.Metrics["bsr"] = Sides(0.9, 0.4, 0.3);
        index = IndexPage.Render("demo", "intro", [new IndexEntry("pair", "about", "pair/report.html", comparison)]);
        Assert.Contains("<span class=\"at-chance\" title=\"B&#39;s grids (more similar in B) are at or below their chance level\">†</span>", index);
    }

    /// <summary>
    /// A card's † read "at or below its chance level: this grid is no closer than random groups" for a grid far below its chance
    /// level as for one at it. A grid below it by two spreads (the findings' rule for a direction below chance) now says which
    /// model ranks its samples nearer, with its figures; one within two spreads keeps the words of one at chance.
    /// </summary>
    [Fact]
    public void ACardFarBelowItsChanceLevelSaysTheOtherModelRanksItsSamplesNearer()
    {
        var (pair, explanation) = Synthetic();
        // Samples of one of A's two separate halves, as a concept explaining B: their pairs are nearer neighbours in A.
        var below = explanation.Directions[1].Concepts[0];
        below.Grid = below.Members[..9];
        ExplanationScoring.Score(explanation, pair);
        var (chance, sd) = RepDiff.Metrics.BsrChance.OfGroup(pair, explainsA: false, size: 9, largestGroup: 9);
        Assert.True(below.Bsr < chance - 2 * sd, $"BSR {below.Bsr} against {chance} ± {sd}");
        var f = RepDiff.Metrics.BsrFigures.Of(below.Bsr!.Value, chance, fewest: 2);
        string card = Card(HtmlReport.Render(Model(pair, explanation)), "m0d1c1");
        Assert.Contains(FormattableString.Invariant($"<span class=\"at-chance\" title=\"below its chance level: this grid&#39;s samples are nearer neighbours of each other in A than in B more often than those of random groups of its size (BSR {f.Bsr}, random groups {f.Chance} &#177; {sd:F3})\">†</span>"), card);

        // Within two spreads of its chance level: at or below it, no closer than random groups.
        below.Bsr = chance - 1.5 * sd;
        card = Card(HtmlReport.Render(Model(pair, explanation)), "m0d1c1");
        Assert.Contains("<span class=\"at-chance\" title=\"at or below its chance level: this grid is no closer than random groups of the same size\">†</span>", card);
    }

    /// <summary>A card of the report, its article whole (the first method's first direction's first concept unless told).</summary>
    private static string Card(string html, string key = "m0d0c1")
        => Regex.Match(html, $"<article class=\"card[^\"]*\" id=\"card-{key}\".*?</article>", RegexOptions.Singleline).Value;

    /// <summary>The report's BSR table section.</summary>
    private static string BsrTable(string html)
    {
        string table = html[html.IndexOf("<section class=\"bsr\">", StringComparison.Ordinal)..];
        return table[..table.IndexOf("</section>", StringComparison.Ordinal)];
    }
}
