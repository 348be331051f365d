using RepDiff.IO;
using static RepDiff.Tests.IO.GoldenFileTests;

namespace RepDiff.Tests.IO;

/// <summary>
/// `--common-samples` (<see cref="PairSpec.CommonSamples"/>): ids that only partly overlap keep the samples both inputs hold,
/// in A's order, B's rows joined to them and every part of the side information following A's rows.
/// </summary>
public class CommonSamplesTests
{
    /// <summary>
    /// A of 6 rows (ids a0…a5, row i holding i and 10·i), B of 5 in another order holding 4 of A's ids and one of its own
    /// (row j of B holds 100 + the number of its id): A's a1 and a4 are left out, and B's z9.
    /// </summary>
    private static PairSpec Inputs(string dir)
    {
        string a = Path.Combine(dir, "a.npy"), b = Path.Combine(dir, "b.npy");
        Npy.Write(a, Enumerable.Range(0, 6).SelectMany(i => new float[] { i, 10 * i }).ToArray(), 6, 2);
        string[] idsB = ["a5", "z9", "a0", "a3", "a2"];
        Npy.Write(b, idsB.SelectMany(id => new float[] { 100 + id[1] - '0', -(id[1] - '0') }).ToArray(), 5, 2);
        return new PairSpec(a, b)
        {
            IdsA = WriteText(dir, "ids_a.txt", string.Concat(Enumerable.Range(0, 6).Select(i => $"a{i}\n"))),
            IdsB = WriteText(dir, "ids_b.txt", string.Join('\n', idsB) + "\n"),
        };
    }

    /// <summary>
    /// `embed --skip-unreadable` leaves a broken image out of A's rows and ids, so the folder it read holds more images
    /// than A has rows: its files are joined to A's ids (embed's ids are the files' names), where "has 4 entries but the
    /// representations have 3 rows" had refused the journey --common-samples is documented for.
    /// </summary>
    [Fact]
    public void AnImagesFolderIsJoinedToIdsThatNameItsFiles()
    {
        string dir = TestData.TempDir();
        string photos = Directory.CreateDirectory(Path.Combine(dir, "photos")).FullName;
        foreach (string name in new[] { "img1.png", "img2.png", "img3.png", "img10.png" }) File.WriteAllBytes(Path.Combine(photos, name), [0]);
        string a = Path.Combine(dir, "a.npy"), b = Path.Combine(dir, "b.npy");
        Npy.Write(a, new float[] { 1, 3, 10 }, 3, 1);   // img2.png could not be decoded
        Npy.Write(b, new float[] { 10, 3, 2, 1 }, 4, 1);
        var spec = new PairSpec(a, b)
        {
            CommonSamples = true,
            IdsA = WriteText(dir, "a.ids.txt", "img1.png\nimg3.png\nimg10.png\n"),
            IdsB = WriteText(dir, "b.ids.txt", "img10.png\nimg3.png\nimg2.png\nimg1.png\n"),
            Images = photos,
        };
        using var pair = spec.Open();
        Assert.Equal(["img1.png", "img3.png", "img10.png"], pair.Samples.Ids!);
        Assert.Equal(["img1.png", "img3.png", "img10.png"], pair.Samples.Images!.FileNames!);
        Assert.Equal(pair.A.Data, pair.B.Data);
        // B as A, holding every image: the folder matches its rows as it is.
        using var swapped = (spec with { PathA = b, PathB = a, IdsA = spec.IdsB, IdsB = spec.IdsA }).Open();
        Assert.Equal(["img10.png", "img3.png", "img1.png"], swapped.Samples.Images!.FileNames!);
    }

    [Fact]
    public void TheSamplesBothHoldAreKeptInAsOrderWithTheirSideInformation()
    {
        string dir = TestData.TempDir();
        // Side files of A's six rows: by row (labels, texts, pixel images, metadata without ids) and by id (a metadata table
        // in another order, describing one more sample than A has).
        string pixels = Path.Combine(dir, "pixels.npy");
        Npy.Write(pixels, Enumerable.Range(0, 6 * 4).Select(k => (k / 4) / 10f).ToArray(), 6, 2, 2);
        var spec = Inputs(dir) with
        {
            CommonSamples = true,
            Labels = WriteText(dir, "labels.txt", "cat\ndog\ncat\nfox\nowl\nfox\n"),
            Texts = WriteText(dir, "texts.txt", "text 0\ntext 1\ntext 2\ntext 3\ntext 4\ntext 5\n"),
            Images = pixels,
            Metadata = WriteText(dir, "meta.csv", "id,year\na9,1999\na5,2005\na4,2004\na3,2003\na2,2002\na1,2001\na0,2000\n"),
        };

        using var pair = spec.Open();

        Assert.Equal(["a0", "a2", "a3", "a5"], pair.Samples.Ids!);
        Assert.Equal([0, 0, 2, 20, 3, 30, 5, 50], pair.A.Data);
        Assert.Equal([100, 0, 102, -2, 103, -3, 105, -5], pair.B.Data);
        Assert.Equal(["cat", "cat", "fox", "fox"], Enumerable.Range(0, 4).Select(i => pair.Samples.Labels![i]));
        Assert.Equal(["text 0", "text 2", "text 3", "text 5"], pair.Samples.Texts!);
        Assert.Equal(["2000", "2002", "2003", "2005"], pair.Samples.Metadata!["year"]!.Values.Select(v => v!));
        Assert.Equal([0f, 0.2f, 0.3f, 0.5f], Enumerable.Range(0, 4).Select(i => pair.Samples.Images!.ImagePixels(i)[3]));
        Assert.Equal((4, 2, 1), (pair.Samples.LeftOut!.Kept, pair.Samples.LeftOut.CountA, pair.Samples.LeftOut.CountB));
        Assert.Equal(["a1", "a4"], pair.Samples.LeftOut.FirstIdsA);
        Assert.Equal(["z9"], pair.Samples.LeftOut.FirstIdsB);
        Assert.Equal("kept the 4 samples both a.npy and b.npy hold; left out 2 of a.npy's (first: 'a1') and 1 of b.npy's (first: 'z9')",
            pair.Samples.LeftOut.Sentence(pair.NameA, pair.NameB));

        // Metadata matched by row is A's rows too.
        using var byRow = (spec with { Metadata = WriteText(dir, "rows.csv", "year\n2000\n2001\n2002\n2003\n2004\n2005\n") }).Open();
        Assert.Equal(["2000", "2002", "2003", "2005"], byRow.Samples.Metadata!["year"]!.Values.Select(v => v!));
    }

    /// <summary>Ids the files carry (an .npz's ids beside the embeddings) are kept by as ids files are; every sample of both held, nothing is left out.</summary>
    [Fact]
    public void IdsTheFilesCarryAndAFullOverlapWork()
    {
        string dir = TestData.TempDir();
        var spec = Inputs(dir);
        using (var same = (spec with { IdsB = spec.IdsA, PathB = spec.PathA, CommonSamples = true }).Open())
        {
            Assert.Equal(new[] { 0, 0 }, new[] { same.Samples.LeftOut!.CountA, same.Samples.LeftOut.CountB });
            Assert.Equal(6, same.N);
        }
        string a = Path.Combine(dir, "a.jsonl"), b = Path.Combine(dir, "b.jsonl");
        File.WriteAllLines(a, ["{\"id\": \"p\", \"embedding\": [1, 2]}", "{\"id\": \"q\", \"embedding\": [3, 4]}", "{\"id\": \"r\", \"embedding\": [5, 6]}"]);
        File.WriteAllLines(b, ["{\"id\": \"r\", \"embedding\": [7, 8, 9]}", "{\"id\": \"p\", \"embedding\": [1, 1, 1]}"]);
        using var carried = new PairSpec(a, b) { CommonSamples = true }.Open();
        Assert.Equal(["p", "r"], carried.Samples.Ids!);
        Assert.Equal([1, 2, 5, 6], carried.A.Data);
        Assert.Equal([1, 1, 1, 7, 8, 9], carried.B.Data);
    }

    [Fact]
    public void WithoutTheOptionAPartialOverlapIsRefusedNamingIt()
    {
        var spec = Inputs(TestData.TempDir());
        string message = Assert.Throws<RepDiffInputException>(() => spec.Open()).Message;
        Assert.EndsWith("has no row with id 'a1' (row 1 of " + spec.IdsA + "), nor 1 other ids of " + spec.IdsA + " (4 of its 6 are in both); "
            + "A and B must hold the same samples (or give --common-samples to keep only the samples both hold)", message);
    }

    [Fact]
    public void TheOptionNeedsIdsOnBothSidesAndOneIdInCommon()
    {
        string dir = TestData.TempDir();
        var spec = Inputs(dir) with { CommonSamples = true };
        Assert.Equal($"--common-samples: keeps the samples both A and B hold by their ids, but neither {spec.PathA} nor {spec.PathB} has any; "
            + "give ids (--ids-a and --ids-b, --ids or --id-column, or ids the files carry)",
            Assert.Throws<RepDiffInputException>(() => (spec with { IdsA = null, IdsB = null }).Open()).Message);
        Assert.StartsWith($"--common-samples: keeps the samples both A and B hold by their ids, but {spec.PathB} has none;",
            Assert.Throws<RepDiffInputException>(() => (spec with { IdsB = null }).Open()).Message);
        string other = WriteText(dir, "other.txt", "x\ny\nz\nw\nv\n");
        Assert.Equal($"--ids-b {other}: shares no id with {spec.IdsA} (its first: 'x'; {spec.IdsA}'s first: 'a0'); there are no samples both hold to compare",
            Assert.Throws<RepDiffInputException>(() => (spec with { IdsB = other }).Open()).Message);
        // Duplicate ids stay an error: which of the two rows is the sample is not known.
        string twice = WriteText(dir, "twice.txt", "a5\nz9\na0\na3\na5\n");
        Assert.Equal($"--ids-b {twice}: id 'a5' appears twice; ids must be unique", Assert.Throws<RepDiffInputException>(() => (spec with { IdsB = twice }).Open()).Message);
        // A side file of A's rows is checked against A's six, not the four kept.
        string labels = WriteText(dir, "labels.txt", "cat\ndog\ncat\nfox\n");
        Assert.StartsWith($"--labels {labels}: has 4 entries but the representations have 6 rows", Assert.Throws<RepDiffInputException>(() => (spec with { Labels = labels }).Open()).Message);
    }

    /// <summary>The join itself: A's order, B's row of each, the left-out ids in each file's order and at most ten of them.</summary>
    [Fact]
    public void CommonIdsKeepAsOrderAndListTheFirstLeftOut()
    {
        string[] idsA = [.. Enumerable.Range(0, 30).Select(i => $"s{i}")];
        string[] idsB = [.. Enumerable.Range(0, 30).Where(i => i % 2 == 0).Reverse().Select(i => $"s{i}"), "t1", "t2"];
        var (rowsA, rowsB, leftOut) = SampleFiles.CommonIds(idsA, "A", idsB, "B");
        Assert.Equal(Enumerable.Range(0, 15).Select(k => 2 * k), rowsA);
        Assert.Equal(rowsA.Select(i => idsA[i]), rowsB.Select(j => idsB[j]));
        Assert.Equal((15, 15, 2), (leftOut.Kept, leftOut.CountA, leftOut.CountB));
        Assert.Equal(Enumerable.Range(0, 10).Select(k => $"s{2 * k + 1}"), leftOut.FirstIdsA);
        Assert.Equal(["t1", "t2"], leftOut.FirstIdsB);
        Assert.Equal("kept the 1 sample both A and B hold; left out 29 of A's (first: 's1') and 0 of B's",
            SampleFiles.CommonIds(idsA, "A", ["s0"], "B").LeftOut.Sentence("A", "B"));
    }

    /// <summary>
    /// Ids of A that B holds written otherwise ("7" and "7.0", "s3" and "S3 ") are left out as any other, but the terminal
    /// line says how many and shows a pair: the option had dropped such samples without a word.
    /// </summary>
    [Fact]
    public void LeftOutIdsThatBHoldsWrittenOtherwiseAreSaid()
    {
        string[] idsA = ["1", "2", "7", "s3", "s4", "x"];
        string[] idsB = ["1", "2", "7.0", "S3 ", "s4", "y"];
        var leftOut = SampleFiles.CommonIds(idsA, "A", idsB, "B").LeftOut;
        Assert.Equal((2, "7", "7.0"), leftOut.LookAlike);
        Assert.Equal("kept the 3 samples both A and B hold; left out 3 of A's (first: '7') and 3 of B's (first: '7.0'); 2 of A's left out are in B "
            + "written otherwise ('7' and '7.0': spaces, case or number format), so the same samples may be left out: write the ids alike",
            leftOut.Sentence("A", "B"));
        Assert.Null(SampleFiles.CommonIds(["a", "b", "c"], "A", ["a", "b", "d"], "B").LeftOut.LookAlike);
    }

    /// <summary>
    /// No look-alike ids is one value however the left-out samples were made: a join whose left-out ids were searched
    /// (both sides left some out), one where they were not (only A's), and a results.json read back. They had been
    /// (0, "", ""), (0, null, null) and (0, "", ""): results.json was the same, but a caller comparing them, or reading
    /// the ids, got two answers for "none".
    /// </summary>
    [Fact]
    public void NoLookAlikeIdsIsOneValueWhereverTheLeftOutSamplesComeFrom()
    {
        var searched = SampleFiles.CommonIds(["a", "b", "c"], "A", ["a", "b", "d"], "B").LeftOut;
        var notSearched = SampleFiles.CommonIds(["a", "b", "c"], "A", ["a", "b"], "B").LeftOut;
        var json = searched.ToJson();
        Assert.False(json.ContainsKey("look_alike"));
        var readBack = SampleJson.FromJson(new System.Text.Json.Nodes.JsonObject { ["samples"] = new System.Text.Json.Nodes.JsonObject { ["left_out"] = json } }, 2, "results.json")!.LeftOut!;
        Assert.Equal(searched.LookAlike, notSearched.LookAlike);
        Assert.Equal(searched.LookAlike, readBack.LookAlike);
        Assert.False(searched.LookAlike is { Count: 0 });
    }
}
