using RepDiff.IO;
using static RepDiff.Tests.IO.GoldenFileTests;

namespace RepDiff.Tests.IO;

/// <summary>Loading a pair: both matrices, ids (joined when both sides have them), side information, counts.</summary>
public class PairSpecTests
{
    /// <summary>What a labels file of another count is told to be (the counts alone had left the user without a next step).</summary>
    internal const string LabelsPerRow = "; give one label per line, in the order of the representations' rows, "
        + "or a .csv with an id column and a 'label' column to join them by id";

    [Fact]
    public void FixturePairLoadsWithLabels()
    {
        var pair = new PairSpec(TestData.Fixture("digits_m49_a.npy"), TestData.Fixture("digits_m49_b.npy"))
        {
            Labels = TestData.Fixture("digits_labels.npy"),
            Images = TestData.Fixture("digits_pixels.npy"),
        }.Load();
        Assert.Equal((1797, 32, 32), (pair.N, pair.A.Cols, pair.B.Cols));
        Assert.Equal(10, pair.Samples.Labels!.Names.Length);
        Assert.Equal("0", pair.Samples.Labels[0]);
        Assert.Equal(1797, pair.Samples.Images!.Count);
        Assert.Equal(("digits_m49_a.npy", "digits_m49_b.npy"), (pair.NameA, pair.NameB));
    }

    /// <summary>
    /// Labels as pandas writes them: a table with a header whose column 'label' holds them, in another order than the
    /// samples and joined by their ids, or one column under the header 'label' matched by row. The first had been refused
    /// (pointing to --metadata, which gives no labels) and the second read 'label' as a label (helper 79).
    /// </summary>
    [Fact]
    public void LabelsFromATableWithALabelColumnAreJoinedByIdOrMatchedByRow()
    {
        var (dir, a) = ThreeSamples();
        string ids = WriteText(dir, "ids.txt", "x\ny\nz\n");
        string table = WriteText(dir, "labels.csv", "id,label\nz,dog\nx,cat\ny,fox\n");
        var pair = new PairSpec(a, a) { Ids = ids, Labels = table }.Load();
        Assert.Equal(["cat", "fox", "dog"], Enumerable.Range(0, 3).Select(i => pair.Samples.Labels![i]));

        string column = WriteText(dir, "column.csv", "label\ncat\nfox\ndog\n");
        var byRow = new PairSpec(a, a) { Labels = column }.Load();
        Assert.Equal(["cat", "fox", "dog"], Enumerable.Range(0, 3).Select(i => byRow.Samples.Labels![i]));

        // The header is read as a CSV record: a quoted name holding a comma is one name, not 'label' and another.
        string quoted = WriteText(dir, "quoted.csv", "\"sample, label\",\"label\"\nz,dog\nx,cat\ny,fox\n");
        var byQuotedId = new PairSpec(a, a) { Ids = ids, Labels = quoted }.Load();
        Assert.Equal(["cat", "fox", "dog"], Enumerable.Range(0, 3).Select(i => byQuotedId.Samples.Labels![i]));

        string gap = WriteText(dir, "gap.csv", "id,label\nz,dog\nx,\ny,fox\n");
        Assert.Equal($"--labels {gap}: sample 0 has no label in column 'label'; every sample needs a label (write one such as 'unknown' for samples without)",
            Assert.Throws<RepDiffInputException>(new PairSpec(a, a) { Ids = ids, Labels = gap }.Load).Message);

        // A label column's "dog" and "dog " would be two labels, as in a labels file.
        string spaced = WriteText(dir, "spaced.csv", "id,label\nz,dog\nx,cat\ny,dog \n");
        Assert.StartsWith($"--labels {spaced}: labels 'dog ' (sample 1) and 'dog' (sample 2) differ only in whitespace at their ends",
            Assert.Throws<RepDiffInputException>(new PairSpec(a, a) { Ids = ids, Labels = spaced }.Load).Message);
    }

    /// <summary>
    /// Two models' features are usually stored as dino/features.npy and dinov2/features.npy: the summary had read
    /// "features.npy keeps … together that features.npy pulls apart". Names the user gives win.
    /// </summary>
    [Fact]
    public void InputsOfOneFileNameAreCalledByTheFoldersOrKeysThatTellThemApart()
    {
        Assert.Equal(("a.npy", "b.npy"), PairSpec.DefaultNames("/x/a.npy", null, "/y/b.npy", null));
        Assert.Equal(("dino/features.npy", "dinov2/features.npy"), PairSpec.DefaultNames("/runs/dino/features.npy", null, "/runs/dinov2/features.npy", null));
        Assert.Equal(("base/layer4/f.npy", "tuned/layer4/f.npy"), PairSpec.DefaultNames("/r/base/layer4/f.npy", null, "/r/tuned/layer4/f.npy", null));
        Assert.Equal(("emb.npz (clip)", "emb.npz (dino)"), PairSpec.DefaultNames("emb.npz", "clip", "emb.npz", "dino"));
        // One file by two paths: its name, not the folders above it (helper 89: "tmp/h89/ft.npy" in a report).
        Assert.Equal(("ft.npy", "ft.npy"), PairSpec.DefaultNames("/home/me/ft.npy", null, "/home/me/./ft.npy", null));

        string dir = TestData.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "dino"));
        Directory.CreateDirectory(Path.Combine(dir, "dinov2"));
        string a = Path.Combine(dir, "dino", "features.npy"), b = Path.Combine(dir, "dinov2", "features.npy");
        Npy.Write(a, new float[] { 0, 1, 2, 3, 4, 5 }, 3, 2);
        Npy.Write(b, new float[] { 5, 1, 2, 3, 4, 0 }, 3, 2);
        using var pair = new PairSpec(a, b).Open();
        Assert.Equal(("dino/features.npy", "dinov2/features.npy"), (pair.NameA, pair.NameB));
        using var named = new PairSpec(a, b) { NameA = "DINO" }.Open();
        Assert.Equal(("DINO", "dinov2/features.npy"), (named.NameA, named.NameB));
        // A given name that is also the other side's would read "X keeps … together that X pulls apart" (helper 89).
        Assert.Equal("--name-b dino/features.npy: is also what the other model is called; give the two models different names",
            Assert.Throws<RepDiffInputException>(() => new PairSpec(a, b) { NameB = "dino/features.npy" }.Open()).Message);
    }

    [Fact]
    public void AKeyForFilesOfOneArrayIsRefusedNotIgnored()
    {
        // stored.npz holds 5 × 3 "emb"; le_f4.npy is one array. --key applies to both inputs: it picks A's array, B needs none.
        string npy = Golden("le_f4.npy"), npz = Golden("stored.npz");
        var e = Assert.Throws<RepDiffInputException>(() => new PairSpec(npy, npy) { KeyA = "emb", KeyB = "emb", KeyFlagA = "--key", KeyFlagB = "--key" }.Open());
        Assert.Equal("--key emb: le_f4.npy holds one array; --key picks an array of an .npz, .safetensors or .pt file, a dataset of an .h5 file, a column of a Parquet or Arrow table, or the vector field of JSON Lines", e.Message);
        // A side's own key is named by its own flag, and an empty one names nothing.
        e = Assert.Throws<RepDiffInputException>(() => new PairSpec(npy, npz) { KeyA = "emb" }.Load());
        Assert.StartsWith("--key-a emb: le_f4.npy holds one array;", e.Message);
        e = Assert.Throws<RepDiffInputException>(() => new PairSpec(npz, npy) { KeyA = "emb", KeyB = "" }.Load());
        Assert.Equal("--key-b: is empty; name an array or a column", e.Message);
        using var mixed = new PairSpec(npz, npy) { KeyA = "emb", KeyB = "emb", KeyFlagA = "--key", KeyFlagB = "--key" }.Open(); // the key picks A's array
        Assert.Equal((5, 3, 3), (mixed.N, mixed.A.Cols, mixed.B.Cols));
        // --key beside a side's own key is checked as --key alone is, against both files: `--key emb --key-a emb` on an .npz A
        // and an .npy B had been refused naming --key, as if given for B alone. It picks nothing on two files of one array.
        using var overridden = new PairSpec(npz, npy) { KeyA = "emb", KeyB = "emb", KeyFlagA = "--key-a", KeyFlagB = "--key" }.Open();
        Assert.Equal((5, 3, 3), (overridden.N, overridden.A.Cols, overridden.B.Cols));
        using var overriddenB = new PairSpec(npy, npz) { KeyA = "emb", KeyB = "emb", KeyFlagA = "--column", KeyFlagB = "--column-b" }.Open();
        Assert.Equal((5, 3, 3), (overriddenB.N, overriddenB.A.Cols, overriddenB.B.Cols));
        e = Assert.Throws<RepDiffInputException>(() => new PairSpec(npy, npy) { KeyA = "emb", KeyB = "x", KeyFlagA = "--key", KeyFlagB = "--key-b" }.Open());
        Assert.StartsWith("--key emb: le_f4.npy holds one array;", e.Message);
        // The same key typed for each side is each side's own: B's, for a file of one array, is refused rather than ignored.
        e = Assert.Throws<RepDiffInputException>(() => new PairSpec(npz, npy) { KeyA = "emb", KeyB = "emb" }.Load());
        Assert.StartsWith("--key-b emb: le_f4.npy holds one array;", e.Message);
    }

    [Fact]
    public void CsvIdColumnsJoinBToAsOrder()
    {
        // --id-column names the id column of both inputs: rename shuffled_ids.csv's "sample id" to "id".
        string dir = TestData.TempDir();
        string b = GoldenFileTests.WriteText(dir, "b.csv", File.ReadAllText(Golden("shuffled_ids.csv")).Replace("\"sample id\"", "id"));
        var loaded = new PairSpec(Golden("with_ids.csv"), b) { IdColumn = "id" }.Load();
        Assert.Equal(["s0", "s1", "s2", "s3", "s4"], loaded.Samples.Ids!);
        for (int i = 0; i < 5; i++) Assert.Equal(loaded.A[i, 0], loaded.B[i, 0]); // B's x is A's first column, by id
    }

    [Fact]
    public void IdFilesJoinNpyInputs()
    {
        string dir = TestData.TempDir();
        string a = Path.Combine(dir, "a.npy"), b = Path.Combine(dir, "b.npy");
        Npy.Write(a, new float[] { 0, 1, 2 }, 3, 1);
        Npy.Write(b, new float[] { 20, 10, 0 }, 3, 1);
        var pair = new PairSpec(a, b)
        {
            IdsA = GoldenFileTests.WriteText(dir, "ids_a.txt", "x\ny\nz\n"),
            IdsB = GoldenFileTests.WriteText(dir, "ids_b.txt", "z\ny\nx\n"),
            Texts = GoldenFileTests.WriteText(dir, "texts.txt", "first\nsecond\nthird\n"),
        }.Load();
        Assert.Equal([0f, 10, 20], pair.B.Data);
        Assert.Equal(["x", "y", "z"], pair.Samples.Ids!);
        Assert.Equal("second", pair.Samples.Texts![1]);
    }

    [Fact]
    public void SharedIdsFileNamesTheSamplesWithoutReordering()
    {
        string dir = TestData.TempDir();
        var pair = new PairSpec(Golden("le_f4.npy"), Golden("be_f8.npy")) { Ids = GoldenFileTests.WriteText(dir, "ids.txt", "e\nd\nc\nb\na\n") }.Load();
        Assert.Equal(["e", "d", "c", "b", "a"], pair.Samples.Ids!);
        Assert.Equal(pair.A.Data, pair.B.Data);
    }

    /// <summary>
    /// A lone carriage return inside one text of a \n-separated file ends a line too (as in Python), so the file held one
    /// text more than its lines ("has 6 entries but the representations have 5 rows", with `wc -l` saying 5): the count
    /// is now followed by why.
    /// </summary>
    [Fact]
    public void ACountOffByLoneCarriageReturnsSaysWhy()
    {
        string dir = TestData.TempDir();
        string texts = GoldenFileTests.WriteText(dir, "texts.txt", "one\ntwo\nthree, then\rmore\nfour\nfive\n");
        var e = Assert.Throws<RepDiffInputException>(() => new PairSpec(Golden("le_f4.npy"), Golden("le_f8.npy")) { Texts = texts }.Load());
        Assert.Equal($"--texts {texts}: has 6 entries but the representations have 5 rows (besides its \\n line ends it has 1 lone carriage return (\\r), "
            + "each of which ends a line too: a \\r inside a text?)", e.Message);
        // Lone carriage returns throughout (an old Mac file) are one kind of line end, read as such.
        texts = GoldenFileTests.WriteText(dir, "mac.txt", "one\rtwo\rthree\rfour\rfive\r");
        Assert.Equal(5, new PairSpec(Golden("le_f4.npy"), Golden("le_f8.npy")) { Texts = texts }.Load().Samples.Texts!.Length);
        string labels = GoldenFileTests.WriteText(dir, "labels.txt", "a\nb\nc\n");
        Assert.Equal($"--labels {labels}: has 3 entries but the representations have 5 rows"
            + LabelsPerRow,
            Assert.Throws<RepDiffInputException>(() => new PairSpec(Golden("le_f4.npy"), Golden("le_f8.npy")) { Labels = labels }.Load()).Message);
    }

    /// <summary>
    /// One entry more than the samples in labels or texts whose first line is a header (pandas' to_csv(index=False) of one
    /// column named 'genre'): the error names that line and what to do; "has 6 entries" alone had left the user counting lines.
    /// </summary>
    [Fact]
    public void ACountOneOverSaysTheFirstLineMayBeAHeader()
    {
        string dir = TestData.TempDir();
        string labels = WriteText(dir, "labels.csv", "genre\na\nb\nc\nd\ne\n");
        Assert.Equal($"--labels {labels}: has 6 entries but the representations have 5 rows; one more than the samples: if its first line ('genre') is a header, "
            + "remove it, or name that column 'label'",
            Assert.Throws<RepDiffInputException>(() => new PairSpec(Golden("le_f4.npy"), Golden("le_f8.npy")) { Labels = labels }.Load()).Message);
        string texts = WriteText(dir, "texts.txt", "text\none\ntwo\nthree\nfour\nfive\n");
        Assert.Equal($"--texts {texts}: has 6 entries but the representations have 5 rows; one more than the samples: if its first line ('text') is a header, remove it",
            Assert.Throws<RepDiffInputException>(() => new PairSpec(Golden("le_f4.npy"), Golden("le_f8.npy")) { Texts = texts }.Load()).Message);
        // Blank lines that make up the difference are named: an embedding script that skipped them gave fewer rows (helper 164).
        texts = WriteText(dir, "blank.txt", "one\n\ntwo\nthree\n  \nfour\nfive\n");
        Assert.Equal($"--texts {texts}: has 7 entries but the representations have 5 rows; its 2 blank lines make the difference: if the embeddings left them out, "
            + $"leave them out of it too ({BlankTexts.GrepLeavingOut(texts)}), or embed them, as `repdiff embed` does",
            Assert.Throws<RepDiffInputException>(() => new PairSpec(Golden("le_f4.npy"), Golden("le_f8.npy")) { Texts = texts }.Load()).Message);
        // Kept, they are texts of their own rows: shown beside the samples as embed embeds them.
        texts = WriteText(dir, "kept.txt", "one\n\ntwo\n \nfive\n");
        Assert.Equal(["one", "", "two", " ", "five"], new PairSpec(Golden("le_f4.npy"), Golden("le_f8.npy")) { Texts = texts }.Load().Samples.Texts!);
        // Two over is no header: the count alone.
        labels = WriteText(dir, "more.txt", "genre\na\nb\nc\nd\ne\nf\n");
        Assert.Equal($"--labels {labels}: has 7 entries but the representations have 5 rows" + LabelsPerRow,
            Assert.Throws<RepDiffInputException>(() => new PairSpec(Golden("le_f4.npy"), Golden("le_f8.npy")) { Labels = labels }.Load()).Message);
    }

    /// <summary>
    /// A labels or metadata table keyed by 'id' while the samples have no ids: matched by row, a table in another order gave
    /// every sample another's labels, silently (helper 139). Refused, saying what to give; with the samples' ids it joins.
    /// </summary>
    [Fact]
    public void ATableKeyedByIdIsRefusedWhenTheSamplesHaveNoIds()
    {
        var (dir, a) = ThreeSamples();
        string labels = WriteText(dir, "labels.csv", "id,label\nz,dog\nx,cat\ny,fox\n");
        string metadata = WriteText(dir, "meta.csv", "id,genre\nz,news\nx,poetry\ny,news\n");
        const string Refusal = ": has an id column 'id', but the samples have no ids to join it on";
        Assert.StartsWith("--labels " + labels + Refusal, Assert.Throws<RepDiffInputException>(new PairSpec(a, a) { Labels = labels }.Load).Message);
        Assert.StartsWith("--metadata " + metadata + Refusal, Assert.Throws<RepDiffInputException>(new PairSpec(a, a) { Metadata = metadata }.Load).Message);

        string ids = WriteText(dir, "ids.txt", "x\ny\nz\n");
        var joined = new PairSpec(a, a) { Ids = ids, Labels = labels, Metadata = metadata }.Load();
        Assert.Equal(["cat", "fox", "dog"], Enumerable.Range(0, 3).Select(i => joined.Samples.Labels![i]));
        Assert.Equal(new string?[] { "poetry", "news", "news" }, joined.Samples.Metadata!["genre"]!.Values.AsEnumerable());
    }

    /// <summary>
    /// Labels or ids in a JSON Lines file ({"id": …, "label": …} per line) had been read one label per line, each record a
    /// class of its own (helper 139); a JSON array had been "has 1 entries". Both are refused, saying what to write instead.
    /// </summary>
    [Fact]
    public void LabelsAndIdsFromJsonAreRefused()
    {
        var (dir, a) = ThreeSamples();
        string records = WriteText(dir, "labels.jsonl", "{\"id\": \"x\", \"label\": \"cat\"}\n{\"id\": \"y\", \"label\": \"fox\"}\n{\"id\": \"z\", \"label\": \"dog\"}\n");
        string array = WriteText(dir, "labels.json", "[\"cat\", \"fox\", \"dog\"]\n");
        Assert.StartsWith($"--labels {records}: labels and ids are not read from .jsonl files",
            Assert.Throws<RepDiffInputException>(new PairSpec(a, a) { Labels = records }.Load).Message);
        Assert.StartsWith($"--labels {array}: labels and ids are not read from .json files",
            Assert.Throws<RepDiffInputException>(new PairSpec(a, a) { Labels = array }.Load).Message);
        Assert.StartsWith($"--ids {records}: labels and ids are not read from .jsonl files",
            Assert.Throws<RepDiffInputException>(new PairSpec(a, a) { Ids = records }.Load).Message);
    }

    [Fact]
    public void MismatchedIdsAreAnErrorNamingAnExampleId()
    {
        string dir = TestData.TempDir();
        var spec = new PairSpec(Golden("le_f4.npy"), Golden("le_f8.npy"))
        {
            IdsA = GoldenFileTests.WriteText(dir, "a.txt", "1\n2\n3\n4\n5\n"),
            IdsB = GoldenFileTests.WriteText(dir, "b.txt", "1\n2\n3\n4\n6\n"),
        };
        var e = Assert.Throws<RepDiffInputException>(spec.Load);
        // The ids files are named: they hold the ids, the .npy files beside them none.
        Assert.Equal($"--ids-b {Path.Combine(dir, "b.txt")}: has no row with id '5' (row 4 of {Path.Combine(dir, "a.txt")}); A and B must hold the same samples (or give --common-samples to keep only the samples both hold)", e.Message);
        spec = spec with { IdsB = GoldenFileTests.WriteText(dir, "dup.txt", "1\n2\n3\n4\n4\n") };
        Assert.Contains("id '4' appears twice", Assert.Throws<RepDiffInputException>(spec.Load).Message);
        spec = spec with { IdsB = GoldenFileTests.WriteText(dir, "short.txt", "1\n2\n") };
        Assert.Equal($"--ids-b {Path.Combine(dir, "short.txt")}: has 2 ids but {Golden("le_f8.npy")} has 5 rows; give one id per row, in the order of its rows", Assert.Throws<RepDiffInputException>(spec.Load).Message);
    }

    [Fact]
    public void CountMismatchesNameTheFileAndBothCounts()
    {
        string dir = TestData.TempDir();
        var spec = new PairSpec(Golden("le_f4.npy"), Golden("le_i8.npy"));
        string labels = GoldenFileTests.WriteText(dir, "labels.txt", "a\nb\nc\nd\n");
        var e = Assert.Throws<RepDiffInputException>((spec with { Labels = labels }).Load);
        Assert.Equal($"--labels {labels}: has 4 entries but the representations have 5 rows" + LabelsPerRow, e.Message);
        string texts = GoldenFileTests.WriteText(dir, "texts.txt", "1\n2\n3\n4\n5\n6\n");
        Assert.Contains("has 6 entries but the representations have 5 rows", Assert.Throws<RepDiffInputException>((spec with { Texts = texts }).Load).Message);
        Assert.Contains("has 1797 entries", Assert.Throws<RepDiffInputException>((spec with { Images = TestData.Fixture("digits_pixels.npy") }).Load).Message);
        e = Assert.Throws<RepDiffInputException>(new PairSpec(Golden("le_f4.npy"), Golden("wide_f4.npy")).Load);
        Assert.Equal($"{Golden("le_f4.npy")} has 5 rows but {Golden("wide_f4.npy")} has 2; both must hold the same samples (or give ids to join them)", e.Message);
        string one = Path.Combine(dir, "one.npy");
        Npy.Write(one, new Matrix(1, 3, [1, 2, 3]));
        e = Assert.Throws<RepDiffInputException>(new PairSpec(one, Golden("le_f4.npy")).Load);
        Assert.StartsWith($"{one} has 1 row but ", e.Message);
    }

    [Fact]
    public void EveryFormatLoadsAsAPairInput()
    {
        foreach (var (file, key) in new[] { ("deflated.npz", (string?)null), ("stored.npz", "emb"), ("all_dtypes.safetensors", "bf16"), ("plain.tsv", null) })
        {
            var pair = new PairSpec(Golden(file), Golden("le_f4.npy")) { KeyA = key }.Load();
            Assert.Equal(pair.B.Data, pair.A.Data);
        }
    }

    /// <summary>A fresh folder and, in it, a.npy: three samples of two dimensions.</summary>
    private static (string Dir, string A) ThreeSamples()
    {
        string dir = TestData.TempDir();
        string a = Path.Combine(dir, "a.npy");
        Npy.Write(a, new float[] { 0, 1, 2, 3, 4, 5 }, 3, 2);
        return (dir, a);
    }
}
