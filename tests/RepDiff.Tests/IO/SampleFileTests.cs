using System.Text;
using RepDiff.IO;

namespace RepDiff.Tests.IO;

/// <summary>Side information: labels, ids, images (directory, manifest, pixel arrays) and texts (lines, JSONL).</summary>
public class SampleFileTests
{
    [Fact]
    public void TextLabelsAreAnyStringsCodedInOrderOfAppearance()
    {
        string path = GoldenFileTests.WriteText(TestData.TempDir(), "labels.txt", "golden retriever\ncat\r\ngolden retriever\n\n\n");
        var labels = SampleFiles.LoadLabels(path);
        Assert.Equal(["golden retriever", "cat"], labels.Names);
        Assert.Equal([0, 1, 0], labels.Codes);
    }

    /// <summary>
    /// pandas' Series.to_csv(header=False) writes the index beside the labels: "3,cat" was read as a label, so every sample
    /// had its own and the findings spoke of 60 labels. A .csv/.tsv whose every line holds the same fields is refused;
    /// labels with a comma in some lines, or in a .txt file, stay labels.
    /// </summary>
    [Fact]
    public void ALabelsTableIsRefusedNotReadAsOneLabelPerRow()
    {
        string dir = TestData.TempDir();
        string path = GoldenFileTests.WriteText(dir, "labels.csv", "0,cat\n1,dog\n2,cat\n");
        Assert.Equal($"{path}: every line holds 2 comma-separated fields, as a table does (line 1: '0,cat'); give one entry per line "
            + "(pandas: to_csv(index=False, header=False) of the one column), or, for labels, a table whose header names their column 'label'",
            Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadLabels(path)).Message);
        Assert.Contains("every line holds 2 tab-separated fields", Assert.Throws<RepDiffInputException>(() =>
            SampleFiles.LoadIds(GoldenFileTests.WriteText(dir, "ids.tsv", "0\ts0\n1\ts1\n"))).Message);
        Assert.Equal(["cat", "dog, big"], SampleFiles.LoadLabels(GoldenFileTests.WriteText(dir, "some.csv", "cat\ndog, big\ncat\n")).Names);
        Assert.Equal(["0,cat", "1,dog"], SampleFiles.LoadLabels(GoldenFileTests.WriteText(dir, "labels.txt", "0,cat\n1,dog\n")).Names);
    }

    [Fact]
    public void DuplicateIdsAreAnError()
    {
        string path = GoldenFileTests.WriteText(TestData.TempDir(), "ids.txt", "a\nb\na\n");
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadIds(path));
        Assert.Equal($"{path}: id 'a' appears twice; ids must be unique", e.Message);
    }

    /// <summary>
    /// Ids and labels whose bytes are not valid UTF-8 are refused: read leniently, 'id\xff0' and 'id\xfe0' both became
    /// 'id\uFFFD0', so two files whose ids differ everywhere joined as if every id matched. UTF-16 with its mark still reads.
    /// </summary>
    [Fact]
    public void IdsAndLabelsThatAreNotValidTextAreRefused()
    {
        string dir = TestData.TempDir();
        string ids = Path.Combine(dir, "ids.txt"), labels = Path.Combine(dir, "labels.txt");
        File.WriteAllBytes(ids, [.. "id0\n"u8, (byte)'i', (byte)'d', 0xFF, (byte)'1', (byte)'\n']);
        Assert.Equal($"{ids}: line 2 is not valid UTF-8 (ids and labels must read back exactly); save the file as UTF-8",
            Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadIds(ids)).Message);
        File.WriteAllBytes(labels, [.. "cat\ndog\nd"u8, 0xC3, 0x28, (byte)'\n']);
        Assert.Contains("line 3 is not valid UTF-8", Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadLabels(labels)).Message);
        File.WriteAllText(labels, "chat\nété\n", new System.Text.UTF8Encoding(false));
        Assert.Equal(["chat", "été"], SampleFiles.LoadLabels(labels).Names);
    }

    /// <summary>
    /// A blank line among the ids (an id lost in an export) was the id "" — joined to B's own blank id wherever it stood —
    /// and a CSV's empty id cell likewise: every sample needs an id.
    /// </summary>
    [Fact]
    public void AnEmptyIdIsAnError()
    {
        string dir = TestData.TempDir();
        string path = GoldenFileTests.WriteText(dir, "ids.txt", "a\nb\n \nd\n\n");
        Assert.Equal($"{path}: line 3 is empty; every sample needs an id", Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadIds(path)).Message);
        string csv = GoldenFileTests.WriteText(dir, "emb.csv", "id,x\na,0.5\n,1.5\n");
        Assert.Equal($"{csv}: line 3: the id is empty; every sample needs an id",
            Assert.Throws<RepDiffInputException>(() => Embeddings.Open(csv, null, "id", validate: true)).Message);
        Assert.Equal(["a", "b", "d"], SampleFiles.LoadIds(GoldenFileTests.WriteText(dir, "ok.txt", "a\nb\nd\n\n")));
        // Blank lines at the end are no lines, spaces or not (an editor's last line of spaces had been "line 4 is empty").
        Assert.Equal(["a", "b", "d"], SampleFiles.LoadIds(GoldenFileTests.WriteText(dir, "spaces.txt", "a\nb\nd\n  \n\t\r\n")));
        Assert.Equal(["x", "y"], SampleFiles.LoadLabels(GoldenFileTests.WriteText(dir, "labels.txt", "x\ny\n   ")).Names);
    }

    /// <summary>
    /// UTF-16 without a byte order mark (every other byte of ASCII text is 0) read as UTF-8 gave one label more than
    /// there are lines ("has 61 entries" for 60) and labels like "L\00"; a CSV's numbers were "not a number". A NUL is
    /// named by its line in every text input; UTF-16 with its byte order mark is read.
    /// </summary>
    [Fact]
    public void UnmarkedUtf16TextIsNamedNotReadAsGarbage()
    {
        string dir = TestData.TempDir();
        string labels = Path.Combine(dir, "labels.txt"), csv = Path.Combine(dir, "emb.csv");
        File.WriteAllBytes(labels, System.Text.Encoding.Unicode.GetBytes("cat\ndog\n"));
        Assert.Equal($"{labels}: line 1 holds a NUL character: UTF-16 text without a byte order mark, or a binary file? Text inputs are read as UTF-8",
            Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadLabels(labels)).Message);
        File.WriteAllBytes(csv, System.Text.Encoding.Unicode.GetBytes("0.5,1.5\n2.5,3.5\n"));
        Assert.Contains("line 1 holds a NUL character", Assert.Throws<RepDiffInputException>(() => Embeddings.Load(csv)).Message);
        File.WriteAllText(labels, "cat\ndog\n", System.Text.Encoding.Unicode); // with its byte order mark
        Assert.Equal(["cat", "dog"], SampleFiles.LoadLabels(labels).Names);
    }

    /// <summary>
    /// A byte order mark inside a file (written twice, or two marked files joined with cat) had stayed on its line, so
    /// "dog" and "\uFEFFdog" were two labels; lines ending in \r\r\n (a Windows line end written again in text mode) had
    /// been "line 2 is empty" without saying why.
    /// </summary>
    [Fact]
    public void MarksInsideAFileAreDroppedAndDoubledCarriageReturnsNamed()
    {
        string dir = TestData.TempDir();
        string labels = Path.Combine(dir, "labels.txt"), ids = Path.Combine(dir, "ids.txt");
        byte[] mark = [0xEF, 0xBB, 0xBF];
        File.WriteAllBytes(labels, [.. mark, .. mark, .. "dog\ncat\n"u8, .. mark, .. "dog\n"u8]);
        var read = SampleFiles.LoadLabels(labels);
        Assert.Equal(["dog", "cat"], read.Names);
        Assert.Equal([0, 1, 0], read.Codes);
        File.WriteAllBytes(ids, "s0\r\r\ns1\r\r\n"u8.ToArray());
        Assert.Equal($"{ids}: line 2 is empty (its lines end in \\r\\r\\n, a Windows line end written twice: the first \\r ends a line "
            + "too, so every other line is empty; rewrite the line ends as \\n); every sample needs an id",
            Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadIds(ids)).Message);
    }

    [Fact]
    public void ImageDirectoryIsInNaturalOrderAndHoldsOnlyImages()
    {
        string dir = TestData.TempDir();
        foreach (string name in new[] { "img10.png", "img2.JPG", "img1.png", "notes.txt", "img02b.png" })
            File.WriteAllBytes(Path.Combine(dir, name), [1]);
        var images = SampleFiles.LoadImages(dir);
        Assert.Equal(["img1.png", "img2.JPG", "img02b.png", "img10.png"], images.Paths!.Select(Path.GetFileName));
    }

    /// <summary>
    /// A phone's folder of JPEGs and HEICs: the HEICs had been left out of the listing without a word, so the run embedded
    /// fewer photos than the folder held; listed, embed names their format (ImageDecoderTests).
    /// </summary>
    [Fact]
    public void AnImageFolderListsTheFormatsEmbedRefusesByName()
    {
        string dir = TestData.TempDir();
        foreach (string name in new[] { "a.jpg", "b.HEIC", "c.avif", "d.jxl", "notes.txt" })
            File.WriteAllBytes(Path.Combine(dir, name), [1]);
        Assert.Equal(["a.jpg", "b.HEIC", "c.avif", "d.jxl"], SampleFiles.LoadImages(dir).Paths!.Select(Path.GetFileName));
    }

    [Fact]
    public void HiddenFilesOfAnImageFolderAreLeftOut()
    {
        // Photos copied from a Mac carry "._name.jpg" resource-fork files: they were listed as images, and the run
        // stopped at the first one as unreadable.
        string dir = TestData.TempDir();
        foreach (string name in new[] { "a.jpg", "._a.jpg", ".thumbnail.png", "b.png" })
            File.WriteAllBytes(Path.Combine(dir, name), [1]);
        Assert.Equal(["a.jpg", "b.png"], SampleFiles.LoadImages(dir).Paths!.Select(Path.GetFileName));
        string hiddenOnly = TestData.TempDir();
        File.WriteAllBytes(Path.Combine(hiddenOnly, "._a.jpg"), [1]);
        Assert.Contains("directory holds no image files", Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadImages(hiddenOnly)).Message);
    }

    [Fact]
    public void AManifestOfImagesToEmbedListingOneTwiceIsRefusedNamingBothLines()
    {
        string dir = TestData.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "pics"));
        foreach (string name in new[] { "a.png", "b.png" }) File.WriteAllBytes(Path.Combine(dir, "pics", name), [1]);
        string manifest = GoldenFileTests.WriteText(dir, "images.txt", "pics/a.png\npics/b.png\n./pics/../pics/a.png\n");
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadImages(manifest, eachImageOnce: true));
        Assert.Equal($"{manifest}: image './pics/../pics/a.png' appears on line 1 and line 3; list each image once", e.Message);
        // Pictures shown beside given rows may be shared by several samples.
        Assert.Equal(3, SampleFiles.LoadImages(manifest).Count);
    }

    [Fact]
    public void ManifestPathsAreRelativeToTheManifest()
    {
        string dir = TestData.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "pics"));
        File.WriteAllBytes(Path.Combine(dir, "pics", "a.png"), [1]);
        string absolute = Path.Combine(dir, "b.png");
        File.WriteAllBytes(absolute, [1]);
        string manifest = GoldenFileTests.WriteText(dir, "images.txt", $"pics/a.png\n{absolute}\n");
        Assert.Equal([Path.Combine(dir, "pics", "a.png"), absolute], SampleFiles.LoadImages(manifest).Paths!);
        string broken = GoldenFileTests.WriteText(dir, "broken.txt", "pics/a.png\npics/missing.png\n");
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadImages(broken));
        Assert.Equal($"{broken}: line 2: image 'pics/missing.png' not found", e.Message);
    }

    [Fact]
    public void OneImageFileIsNotAManifest()
    {
        string path = Path.Combine(TestData.TempDir(), "photo.jpg");
        File.WriteAllBytes(path, [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0]); // read as a manifest: "line 1 holds a NUL character"
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadImages(path));
        Assert.Equal($"{path}: is one image file; give a folder of images, a manifest with one image path per line, or a .npy of pixel arrays", e.Message);
    }

    /// <summary>
    /// A Parquet table (as a Hugging Face dataset comes) or an .npz given as --images or --texts had been read as a manifest or
    /// as texts: "line 1 holds a NUL character: UTF-16 text…?" or "line 1 is not valid UTF-8" (review 180, finding 4). It is
    /// named for what it is, with what to give instead.
    /// </summary>
    [Fact]
    public void AnEmbeddingContainerIsNotImagesOrTexts()
    {
        string dir = TestData.TempDir();
        string table = TableWriter.Parquet(Path.Combine(dir, "dataset.parquet"), ["s0", "s1"], [[1f, 2f], [3f, 4f]]);
        string archive = Path.Combine(AppContext.BaseDirectory, "Data", "golden", "stored.npz"); // numpy.savez's
        foreach (string path in new[] { table, archive })
        {
            string noun = EmbeddingFormat.OfExtension(path)!.Noun;
            var images = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadImages(path));
            Assert.StartsWith($"{path}: is {noun}, not images (a folder of image files, a manifest with one image path per line, or a .npy of pixel arrays); save the images to a folder first", images.Message);
            var texts = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadTexts(path));
            Assert.StartsWith($"{path}: is {noun}, not texts (one per line, or JSON Lines records); write the text column one text per line first", texts.Message);
        }
    }

    [Fact]
    public void AFolderOfClassSubfoldersSaysSubfoldersAreNotSearched()
    {
        string dir = TestData.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "empty"));
        Directory.CreateDirectory(Path.Combine(dir, "cats"));
        File.WriteAllBytes(Path.Combine(dir, "cats", "a.png"), [1]);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "x");
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadImages(dir));
        Assert.EndsWith("; subfolders such as 'cats' are not searched: list their images in a manifest, one path per line", e.Message);
    }

    [Fact]
    public void PixelArraysAreScaledToOneByTheirMaximum()
    {
        var digits = SampleFiles.LoadImages(TestData.Fixture("digits_pixels.npy"));
        Assert.Equal((1797, 8, 8, 1), (digits.Count, digits.Height, digits.Width, digits.Channels));
        Assert.Equal(1f, digits.Pixels!.Max());

        string path = Path.Combine(TestData.TempDir(), "rgb.npy");
        byte[] rgb = [0, 51, 255, 102, 0, 0, 0, 0, 0, 0, 0, 0];
        AtomicFile.Write(path, s => Npy.WriteRaw(s, "|u1", [2, 1, 2, 3], rgb));
        var images = SampleFiles.LoadImages(path);
        Assert.Equal((2, 1, 2, 3), (images.Count, images.Height, images.Width, images.Channels));
        Assert.Equal([0f, 0.2f, 1f, 0.4f, 0f, 0f], images.ImagePixels(0).ToArray());
    }

    /// <summary>
    /// Pixel values are read in fixed ranges, never scaled by the array's largest value: a dark 8-bit image (at most 102)
    /// had been stretched to full brightness, and read differently beside a white one (helper 80).
    /// </summary>
    [Fact]
    public void PixelArraysAreReadInFixedRangesSoAnImageReadsTheSameInAnyFile()
    {
        string dir = TestData.TempDir();
        float[] Read(string name, string descr, long[] shape, byte[] data)
        {
            string path = Path.Combine(dir, name);
            AtomicFile.Write(path, s => Npy.WriteRaw(s, descr, shape, data));
            return SampleFiles.LoadImages(path).Pixels!;
        }
        Assert.Equal([0f, 0.2f, 0.4f, 0.4f], Read("dark.npy", "|u1", [1, 2, 2], [0, 51, 102, 102]));
        Assert.Equal([0f, 0.2f, 0.4f, 0.4f, 1f, 1f, 1f, 1f], Read("beside-white.npy", "|u1", [2, 2, 2], [0, 51, 102, 102, 255, 255, 255, 255]));
        // float32 0..255 (a value above 1), 16-bit integers, and 0..1 floats as they are.
        float[] floats = [0, 51, 102, 102];
        Assert.Equal([0f, 0.2f, 0.4f, 0.4f], Read("float255.npy", "<f4", [1, 2, 2], System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.AsSpan()).ToArray()));
        ushort[] sixteen = [0, 13107, 26214, 65535];
        Assert.Equal([0f, 0.2f, 0.4f, 1f], Read("sixteen.npy", "<u2", [1, 2, 2], System.Runtime.InteropServices.MemoryMarshal.AsBytes(sixteen.AsSpan()).ToArray()));
        float[] unit = [0, 0.25f, 0.5f, 1];
        Assert.Equal(unit, Read("unit.npy", "<f4", [1, 2, 2], System.Runtime.InteropServices.MemoryMarshal.AsBytes(unit.AsSpan()).ToArray()));
        // Floats beyond 255 fit no range a picture is stored in.
        float[] hdr = [0, 1000, 2, 3];
        string path = Path.Combine(dir, "hdr.npy");
        AtomicFile.Write(path, s => Npy.WriteRaw(s, "<f4", [1, 2, 2], System.Runtime.InteropServices.MemoryMarshal.AsBytes(hdr.AsSpan())));
        Assert.Equal($"{path}: holds pixel values up to 1000; pixel arrays are 0..1 or 0..255 (or 0..65535 as integers)",
            Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadImages(path)).Message);
    }

    /// <summary>
    /// Pixels normalized for a model (−1..1) were clamped at 0, silently: shown and embedded as other pictures. An array
    /// of no images was "no images to embed", naming no file.
    /// </summary>
    [Fact]
    public void PixelArraysOfNegativeValuesOrNoImagesAreRefused()
    {
        string dir = TestData.TempDir();
        string normalized = Path.Combine(dir, "normalized.npy");
        float[] values = [.. Enumerable.Range(0, 32).Select(i => i / 16f - 1)];
        AtomicFile.Write(normalized, s => Npy.WriteRaw(s, "<f4", [2, 4, 4], System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())));
        Assert.Equal($"{normalized}: holds negative pixel values (down to -1); pixel arrays are 0..1 or 0..255: undo the normalization first (x · std + mean)",
            Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadImages(normalized)).Message);
        string empty = Path.Combine(dir, "empty.npy");
        AtomicFile.Write(empty, s => Npy.WriteRaw(s, "|u1", [0, 16, 16, 3], []));
        Assert.Equal($"{empty}: holds no images (shape (0, 16, 16, 3))", Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadImages(empty)).Message);
        // Its file travels with the images, so a message about one names it ("pixels.npy[3]", not "image 3").
        Assert.Equal(TestData.Fixture("digits_pixels.npy"), SampleFiles.LoadImages(TestData.Fixture("digits_pixels.npy")).Source);
    }

    /// <summary>Float labels read as numpy prints them: float32 0.1 was the label "0.10000000149011612" in the summary and report.</summary>
    [Fact]
    public void FloatLabelsReadAsTheirStoredType()
    {
        string dir = TestData.TempDir();
        string f4 = Path.Combine(dir, "f4.npy"), f2 = Path.Combine(dir, "f2.npy"), f8 = Path.Combine(dir, "f8.npy");
        Npy.Write(f4, [0.1f, 0.2f, float.NaN, 3f]);
        AtomicFile.Write(f2, s => Npy.WriteRaw(s, "<f2", [2], System.Runtime.InteropServices.MemoryMarshal.AsBytes<Half>([(Half)0.1f, (Half)2.5f])));
        Npy.Write(f8, [0.1, 1e300]);
        Assert.Equal(["0.1", "0.2", "NaN", "3"], SampleFiles.LoadStrings(f4));
        Assert.Equal(["0.1", "2.5"], SampleFiles.LoadStrings(f2));
        Assert.Equal(["0.1", "1E+300"], SampleFiles.LoadStrings(f8));
        // As labels, the NaN is a missing value (pandas writes one for each), not a class named "NaN" (helper 60).
        Assert.Equal($"{f4}: entry 2 is NaN, a missing value; every sample needs a label (fill it, e.g. with 'unknown', before saving)",
            Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadLabels(f4)).Message);
    }

    [Fact]
    public void AStringLabelNaNIsAName()
    {
        // "NaN" in a string array is what someone named a class; only a float array's NaN is a missing value.
        string path = Path.Combine(TestData.TempDir(), "names.npy");
        var utf32 = System.Text.Encoding.UTF32.GetBytes("cat" + "NaN");
        AtomicFile.Write(path, s => Npy.WriteRaw(s, "<U3", [2], utf32));
        Assert.Equal(["cat", "NaN"], SampleFiles.LoadLabels(path).Names);
    }

    /// <summary>A blank line among labels was a class named "" in findings and histograms ("#42 ()"; helper 60).</summary>
    [Fact]
    public void AnEmptyLabelIsAnError()
    {
        string path = GoldenFileTests.WriteText(TestData.TempDir(), "labels.txt", "cat\n\ndog\n");
        Assert.Equal($"{path}: line 2 is empty; every sample needs a label (write one such as 'unknown' for samples without)",
            Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadLabels(path)).Message);
    }

    /// <summary>
    /// "cat" and "cat " (a space left by hand or by a joined export) had been two labels: the cats split in two in every
    /// finding and chart, with nothing said. They are refused naming both; labels that all carry the same spaces are read.
    /// </summary>
    [Fact]
    public void LabelsAlikeButForEndWhitespaceAreRefused()
    {
        string dir = TestData.TempDir();
        string text = GoldenFileTests.WriteText(dir, "labels.txt", "cat\r\ndog\r\ncat \r\n");
        Assert.Equal($"{text}: labels 'cat' (line 1) and 'cat ' (line 3) differ only in whitespace at their ends, so they would count as two labels; "
            + "strip it (str.strip()) before saving, or make them differ otherwise",
            Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadLabels(text)).Message);
        string npy = Path.Combine(dir, "labels.npy");
        AtomicFile.Write(npy, s => Npy.WriteRaw(s, "<U4", [3], System.Text.Encoding.UTF32.GetBytes("dog\0" + "\tdog" + "cat\0")));
        Assert.StartsWith($"{npy}: labels 'dog' (entry 0) and '\tdog' (entry 1) differ only in whitespace at their ends",
            Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadLabels(npy)).Message);
        string same = GoldenFileTests.WriteText(dir, "same.txt", "cat \ndog \ncat \n");
        Assert.Equal(["cat ", "dog "], SampleFiles.LoadLabels(same).Names);
    }

    /// <summary>An image of no pixels passed loading and failed drawing the report's thumbnails, after every method had run.</summary>
    [Fact]
    public void PixelArraysOfEmptyImagesAreRefused()
    {
        string path = Path.Combine(TestData.TempDir(), "empty.npy");
        AtomicFile.Write(path, s => Npy.WriteRaw(s, "<f4", [3, 0, 8], []));
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadImages(path));
        Assert.Equal($"{path}: images of 0×8 pixels (shape (3, 0, 8)) have nothing to show", e.Message);
    }

    [Fact]
    public void PixelArraysMustBeImageShaped()
    {
        string path = Path.Combine(TestData.TempDir(), "flat.npy");
        Npy.Write(path, new float[12], 2, 2, 3, 1, 1);
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadImages(path));
        Assert.Contains("N×H×W or N×H×W×C", e.Message);
    }

    [Fact]
    public void AJsonLinesRecordThatIsNoObjectSaysWhatItIs()
    {
        string dir = TestData.TempDir();
        string arrays = GoldenFileTests.WriteText(dir, "arrays.jsonl", "[\"a cat\"]\n");
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadTexts(arrays, "text"));
        Assert.Equal($"{arrays}: line 1 is a list, not a JSON object with a field 'text'", e.Message);
        string strings = GoldenFileTests.WriteText(dir, "strings.jsonl", "\"a cat\"\n");
        Assert.Contains("line 1 is a string, not a JSON object with a field 'text'", Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadTexts(strings, "text")).Message);
    }

    [Fact]
    public void TextsArePlainLinesOrJsonLines()
    {
        string dir = TestData.TempDir();
        Assert.Equal(["a photo, of a cat", "", "b"], SampleFiles.LoadTexts(GoldenFileTests.WriteText(dir, "t.txt", "a photo, of a cat\n\nb\n")));
        string jsonl = GoldenFileTests.WriteText(dir, "t.jsonl", "{\"caption\": \"a \\\"dog\\\"\", \"id\": 1}\n\n{\"caption\": \"ü\"}\n");
        Assert.Equal(["a \"dog\"", "ü"], SampleFiles.LoadTexts(jsonl, "caption"));
        Assert.Equal(["x", "y"], SampleFiles.LoadTexts(GoldenFileTests.WriteText(dir, "s.jsonl", "\"x\"\n\"y\"\n")));
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadTexts(jsonl, "text"));
        Assert.Equal($"{jsonl}: line 1 has no field 'text'", e.Message);
        e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadTexts(jsonl));
        Assert.Contains("line 1: records are not strings and have no field 'text'; name the field that holds the text with --text-field (fields: caption, id)", e.Message);
        // Records with a field "text" (as Hugging Face datasets name it) are read by it without --text-field.
        Assert.Equal(["a cat", "a dog"], SampleFiles.LoadTexts(GoldenFileTests.WriteText(dir, "hf.jsonl", "{\"id\": 7, \"text\": \"a cat\"}\n{\"id\": 8, \"text\": \"a dog\"}\n")));
        e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadTexts(GoldenFileTests.WriteText(dir, "mixed.jsonl", "{\"text\": \"a cat\"}\n{\"caption\": \"a dog\"}\n")));
        Assert.EndsWith("line 2 has no field 'text'", e.Message);
        // Ids are read only where they name samples (embed, export): texts only shown keep a data set's repeated ids.
        string repeated = GoldenFileTests.WriteText(dir, "repeated.jsonl", "{\"id\": 1, \"text\": \"a cat\"}\n{\"id\": 1, \"text\": \"a dog\"}\n");
        Assert.Equal(["a cat", "a dog"], SampleFiles.LoadTexts(repeated));
        Assert.Contains("id '1' appears on line 1 and line 2", Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadNumberedTexts(repeated, readIds: true)).Message);
        string bad = GoldenFileTests.WriteText(dir, "bad.jsonl", "\"x\"\n{oops\n");
        // The file's line and the column from 1, not System.Text.Json's "LineNumber: 0 | BytePositionInLine: 1" of the one-line record.
        Assert.Equal($"{bad}: line 2 is not valid JSON (column 2: 'o' is an invalid start of a property name. Expected a '\"')",
            Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadTexts(bad)).Message);
    }

    /// <summary>
    /// A text field holding anything but a string is an error naming the line, the field and what it holds: it was
    /// embedded as its raw JSON ("null", "42", "[1, 2]"). A string that looks like one of them is still a text.
    /// </summary>
    [Fact]
    public void JsonLinesTextFieldsThatAreNotStringsAreNamed()
    {
        string dir = TestData.TempDir();
        string valid = "{\"text\": \"a cat\"}\n{\"text\": \"null\"}\n";
        string good = GoldenFileTests.WriteText(dir, "good.jsonl", valid);
        Assert.Equal(["a cat", "null"], SampleFiles.LoadTexts(good, "text"));
        foreach (var (json, kind) in new[] { ("42", "a number"), ("-1.5e3", "a number"), ("true", "a boolean"), ("false", "a boolean"),
            ("null", "null"), ("{\"en\": \"a dog\"}", "an object"), ("[\"a\", \"dog\"]", "a list") })
        {
            // Line 4: after the two valid records and a blank line, which holds no record but is counted.
            string path = GoldenFileTests.WriteText(dir, "texts.jsonl", valid + "\n{\"id\": 3, \"text\": " + json + "}\n{\"text\": \"b\"}\n");
            var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadTexts(path, "text"));
            Assert.Equal($"{path}: line 4: field 'text' is {kind}, not a string", e.Message);
        }
    }

    /// <summary>
    /// An escaped lone surrogate was an internal error (exit 1) in every command that reads --texts; an escaped NUL was
    /// embedded although a raw one is refused. An escaped pair (an emoji) is text.
    /// </summary>
    [Fact]
    public void JsonLinesStringsThatAreNotTextAreNamed()
    {
        string dir = TestData.TempDir();
        string emoji = GoldenFileTests.WriteText(dir, "emoji.jsonl", "{\"text\": \"a \\ud83d\\ude00\"}\n");
        Assert.Equal(["a \U0001F600"], SampleFiles.LoadTexts(emoji, "text"));
        foreach (var (escaped, said) in new[] { ("\\ud800", "an escaped lone surrogate"), ("\\udc00", "an escaped lone surrogate"), ("\\u0000", "a NUL character") })
        {
            string path = GoldenFileTests.WriteText(dir, "texts.jsonl", "{\"text\": \"a cat\"}\n{\"text\": \"cat " + escaped + " sat\"}\n");
            Assert.StartsWith($"{path}: line 2: field 'text' holds {said}", Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadTexts(path, "text")).Message);
            string bare = GoldenFileTests.WriteText(dir, "bare.jsonl", "\"cat " + escaped + " sat\"\n");
            Assert.StartsWith($"{bare}: line 1: the record holds {said}", Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadTexts(bare, null)).Message);
        }
    }

    /// <summary>
    /// Read strictly, invalid UTF-8 is an error naming its line, counted as the reader counts lines (\n, \r\n, lone \r)
    /// over many buffer refills; a character split across two refills is not an error.
    /// </summary>
    [Fact]
    public void TextsNameTheLineOfInvalidUtf8()
    {
        string dir = TestData.TempDir();
        var bytes = new List<byte>();
        for (int i = 0; i < 30_000; i++) bytes.AddRange(i % 3 == 0 ? "é\r\n"u8.ToArray() : i % 3 == 1 ? "ab\r"u8.ToArray() : "€\n"u8.ToArray());
        string good = Path.Combine(dir, "good.txt");
        File.WriteAllBytes(good, [.. bytes]);
        var (texts, lines, _) = SampleFiles.LoadNumberedTexts(good);
        Assert.Equal(30_000, texts.Length);
        Assert.Equal(["é", "ab", "€"], texts[^3..]);
        Assert.Equal(30_000, lines[^1]);
        bytes.AddRange([(byte)'x', 0xC3, 0x28, (byte)'\n']);
        string bad = Path.Combine(dir, "bad.txt");
        File.WriteAllBytes(bad, [.. bytes]);
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadNumberedTexts(bad));
        Assert.Equal($"{bad}: line 30001 is not valid UTF-8", e.Message);
        // Texts only shown (a pair command's --texts) are read as strictly: they had become U+FFFD (helper 77).
        Assert.Equal($"{bad}: line 30001 is not valid UTF-8", Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadTexts(bad)).Message);
        File.WriteAllBytes(bad, [.. "ok\n"u8, 0xE2, 0x82]); // a character cut off by the end of the file
        Assert.Contains("line 2 is not valid UTF-8", Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadNumberedTexts(bad)).Message);
    }

    [Fact]
    public void AUtf16TextsFileIsNamedAsUtf16WhenUtf8IsRequired()
    {
        string dir = TestData.TempDir();
        string little = Path.Combine(dir, "little.txt"), big = Path.Combine(dir, "big.txt");
        File.WriteAllBytes(little, [.. new UnicodeEncoding(false, true).GetPreamble(), .. Encoding.Unicode.GetBytes("a cat\nb dog\n")]);
        File.WriteAllBytes(big, [.. new UnicodeEncoding(true, true).GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes("a cat\n")]);
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadNumberedTexts(little));
        Assert.Equal($"{little}: is UTF-16 (little-endian: it starts with a UTF-16 byte-order mark), not UTF-8; save it as UTF-8", e.Message);
        Assert.Contains("is UTF-16 (big-endian", Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadNumberedTexts(big)).Message);
        Assert.Contains("is UTF-16 (little-endian", Assert.Throws<RepDiffInputException>(() => SampleFiles.LoadTexts(little)).Message);
    }

    [Fact]
    public void NaturalOrderComparesDigitRunsAsNumbers()
    {
        string[] names = ["b", "a10", "a2", "a02", "A3", "a1b", "a1"];
        Assert.Equal(["a1", "a1b", "a02", "a2", "A3", "a10", "b"], names.Order(NaturalComparer.Instance));
    }

    [Fact]
    public void JoinReordersBToAsIds()
    {
        Assert.Equal([2, 0, 1], SampleFiles.JoinById(["x", "y", "z"], "A", ["y", "z", "x"], "B"));
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.JoinById(["x", "y"], "A", ["y", "w"], "B"));
        Assert.Equal("B: has no row with id 'x' (row 0 of A); A and B must hold the same samples (or give --common-samples to keep only the samples both hold)", e.Message);
        e = Assert.Throws<RepDiffInputException>(() => SampleFiles.JoinById(["x", "y"], "A", ["y", "x", "w"], "B"));
        Assert.Contains("has id 'w' that A does not", e.Message);
        e = Assert.Throws<RepDiffInputException>(() => SampleFiles.JoinById(["x", "y"], "A", ["y", "y"], "B"));
        Assert.Contains("id 'y' appears twice", e.Message);
        // Ids that differ only in surrounding spaces are named as such.
        e = Assert.Throws<RepDiffInputException>(() => SampleFiles.JoinById(["x", "y"], "A", ["y", "x "], "B"));
        Assert.Equal("B: has no row with id 'x' (row 0 of A); it has 'x ', which differs only in spaces; A and B must hold the same samples", e.Message);
    }

    /// <summary>
    /// Ids that differ only in case, or are one number written two ways ("7" and "7.0", ids that went through a float
    /// column), were reported as one missing id like any other; a partial overlap named one id as if it were one typo, and
    /// no overlap at all read the same. Each now says what it is.
    /// </summary>
    [Fact]
    public void JoinSaysHowIdsDifferAndHowManyAreMissing()
    {
        var e = Assert.Throws<RepDiffInputException>(() => SampleFiles.JoinById(["s1", "s2"], "A", ["s2", "S1"], "B"));
        Assert.Equal("B: has no row with id 's1' (row 0 of A); it has 'S1', which differs only in case; A and B must hold the same samples", e.Message);
        e = Assert.Throws<RepDiffInputException>(() => SampleFiles.JoinById(["7", "8"], "A", ["8", "7.0"], "B"));
        Assert.Equal("B: has no row with id '7' (row 0 of A); it has '7.0', which differs only in how the number is written; A and B must hold the same samples", e.Message);
        e = Assert.Throws<RepDiffInputException>(() => SampleFiles.JoinById(["a", "b", "c", "d"], "A", ["a", "x", "y", "z"], "B"));
        Assert.Equal("B: has no row with id 'b' (row 1 of A), nor 2 other ids of A (1 of its 4 are in both); A and B must hold the same samples (or give --common-samples to keep only the samples both hold)", e.Message);
        e = Assert.Throws<RepDiffInputException>(() => SampleFiles.JoinById(["1", "2", "3"], "A", ["3.0", "1.0", "2.0"], "B"));
        Assert.Equal("B: shares no id with A (its first: '3.0'; A's first: '1'); it has '1.0', which differs only in how the number is written; "
            + "A and B must hold the same samples", e.Message);
    }
}
