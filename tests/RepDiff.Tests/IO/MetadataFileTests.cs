using RepDiff.IO;

namespace RepDiff.Tests.IO;

/// <summary>`--metadata`: per-sample columns from CSV/TSV/Parquet/Arrow, joined by id or matched by row.</summary>
public class MetadataFileTests
{
    [Fact]
    public void CsvByRowKeepsEveryColumnAndMissingValues()
    {
        string dir = TestData.TempDir();
        string path = GoldenFileTests.WriteText(dir, "meta.csv", "genre,year,\"note, quoted\"\nromance,1994,a\ndrama,,b\nromance,2001,\n");
        var metadata = MetadataFile.Load(path, 3, sampleIds: null);
        Assert.Equal(["genre", "year", "note, quoted"], metadata.Columns.Select(c => c.Name));
        Assert.Equal(new string?[] { "romance", "drama", "romance" }, metadata["genre"]!.Values.AsEnumerable());
        Assert.Equal([1994, double.NaN, 2001], metadata["year"]!.Numbers!);
        Assert.Null(metadata["genre"]!.Numbers);
        Assert.Null(metadata["note, quoted"]!.Values[2]);
    }

    [Fact]
    public void QuotedFieldsMaySpanLinesAsPandasWritesThem()
    {
        // pandas' to_csv of a caption with line breaks (and a blank line in it); a later bad row is still named by its own line.
        string dir = TestData.TempDir();
        string path = GoldenFileTests.WriteText(dir, "meta.csv", "id,caption\na,\"two\nlines, a comma\"\nb,\"x\n\n\"\"y\"\"\"\nc,plain\n");
        var metadata = MetadataFile.Load(path, 3, ["a", "b", "c"], "id");
        Assert.Equal(new string?[] { "two\nlines, a comma", "x\n\n\"y\"", "plain" }, metadata["caption"]!.Values.AsEnumerable());

        string bad = GoldenFileTests.WriteText(dir, "bad.csv", "id,caption\na,\"two\nlines\"\nb,x,extra\n");
        var e = Assert.Throws<RepDiffInputException>(() => MetadataFile.Load(bad, 2, ["a", "b"], "id"));
        Assert.EndsWith("line 4 has 3 fields but the header has 2", e.Message);
        string open = GoldenFileTests.WriteText(dir, "open.csv", "id,caption\na,\"never closed\nb,x\n");
        e = Assert.Throws<RepDiffInputException>(() => MetadataFile.Load(open, 2, ["a", "b"], "id"));
        Assert.EndsWith("line 2: unterminated quoted field", e.Message);
    }

    [Fact]
    public void TsvJoinsByTheIdColumnAndIgnoresOtherIds()
    {
        string dir = TestData.TempDir();
        string path = GoldenFileTests.WriteText(dir, "meta.tsv", "id\tgenre\nc\tdrama\nextra\tnone\na\tromance\nb\tcomedy\n");
        var metadata = MetadataFile.Load(path, 3, ["a", "b", "c"], guessIdColumns: [null, "id"]);
        Assert.Equal(["genre"], metadata.Columns.Select(c => c.Name));
        Assert.Equal(new string?[] { "romance", "comedy", "drama" }, metadata["genre"]!.Values.AsEnumerable());
    }

    [Fact]
    public void AColumnHoldingEveryIdOnceIsTheKeyWhateverItsName()
    {
        // Rows in another order, keyed by 'image_id': matched by position, every sample had another's genre (helper 79).
        string dir = TestData.TempDir();
        string path = GoldenFileTests.WriteText(dir, "meta.csv", "image_id,genre\nc,drama\na,romance\nb,comedy\n");
        var metadata = MetadataFile.Load(path, 3, ["a", "b", "c"], guessIdColumns: [null, "id"]);
        Assert.Equal(["genre"], metadata.Columns.Select(c => c.Name));
        Assert.Equal(new string?[] { "romance", "comedy", "drama" }, metadata["genre"]!.Values.AsEnumerable());
        // A column with an id on two rows is a category, not a key: rows are then matched by position.
        string repeated = GoldenFileTests.WriteText(dir, "repeated.csv", "nearest,genre\nc,drama\na,romance\na,comedy\n");
        Assert.Equal(new string?[] { "c", "a", "a" }, MetadataFile.Load(repeated, 3, ["a", "b", "c"])["nearest"]!.Values.AsEnumerable());
    }

    [Fact]
    public void ParquetAndArrowMetadataJoinThroughPairSpec()
    {
        string dir = TestData.TempDir();
        string a = Path.Combine(dir, "a.npy"), b = Path.Combine(dir, "b.npy");
        Npy.Write(a, new float[] { 0, 1, 2 }, 3, 1);
        Npy.Write(b, new float[] { 0, 1, 2 }, 3, 1);
        // Columns id (string), emb (list: not metadata), score (double).
        string parquet = TableWriter.Parquet(Path.Combine(dir, "meta.parquet"), ["z", "y", "x"], [[1f], [2f], [3f]], groupRows: 2);
        var pair = new PairSpec(a, b) { Ids = GoldenFileTests.WriteText(dir, "ids.txt", "x\ny\nz\n"), Metadata = parquet }.Load();
        Assert.Equal(["score"], pair.Samples.Metadata!.Columns.Select(c => c.Name));
        Assert.Equal([1.0, 0.5, 0], pair.Samples.Metadata["score"]!.Numbers!);

        string arrow = TableWriter.Arrow(Path.Combine(dir, "meta.arrow"), [10, 11, 12], [[1f], [2f], [3f]], TableWriter.ListKind.List, Apache.Arrow.Types.FloatType.Default);
        // Read (its only scalar column is the ids), but without the samples' ids its id column is refused rather than matched by row.
        Assert.Contains("has an id column 'id', but the samples have no ids", Assert.Throws<RepDiffInputException>(new PairSpec(a, b) { Metadata = arrow }.Load).Message);
    }

    [Fact]
    public void BadMetadataNamesTheFileAndTheFirstBadRow()
    {
        string dir = TestData.TempDir();
        string Write(string name, string text) => GoldenFileTests.WriteText(dir, name, text);
        string[] ids = ["a", "b", "c"];
        void Fails(string path, string[]? sampleIds, string message, string? idColumn = "id")
        {
            var e = Assert.Throws<RepDiffInputException>(() => MetadataFile.Load(path, 3, sampleIds, idColumn));
            Assert.StartsWith(path + ": ", e.Message);
            Assert.Contains(message, e.Message);
        }
        Fails(Write("missing.csv", "id,g\na,1\nc,3\n"), ids, "has no row for id 'b' (sample 1)");
        // A metadata table whose ids differ from the samples' only in case (or spaces, or number format) says so, as the join of A and B does.
        Fails(Write("case.csv", "id,g\nA,1\nB,2\nC,3\n"), ids, "has no row for id 'a' (sample 0); it has 'A', which differs only in case; every sample needs one");
        Fails(Write("dup.csv", "id,g\na,1\nb,2\na,3\nc,4\n"), ids, "id 'a' appears on line 2 and line 4");
        Fails(Write("noid.csv", "id,g\na,1\n,2\nc,3\n"), ids, "line 3 has no id");
        Fails(Write("short.csv", "g\n1\n2\n"), null, "has 2 rows but there are 3 samples: sample 2 has no row", idColumn: null);
        Fails(Write("long.csv", "g\n1\n2\n3\n4\n"), null, "has 4 rows but there are 3 samples: line 5 has no sample", idColumn: null);
        Fails(Write("ragged.csv", "id,g\na,1\nb\n"), ids, "line 3 has 1 fields but the header has 2");
        Fails(Write("nokey.csv", "g\n1\n2\n3\n"), ids, "has no column 'id' to join on (columns: g)");
        Fails(Write("idsneeded.csv", "id,g\na,1\nb,2\nc,3\n"), null, "the samples have no ids");
        Fails(Write("empty.csv", ""), ids, "is empty");
        Fails(Write("meta.json", "{}"), ids, "unsupported metadata file type '.json'");
        string parquet = TableWriter.Parquet(Path.Combine(dir, "dup.parquet"), ["a", "b", "a", "c"], [[1f], [2f], [3f], [4f]]);
        Fails(parquet, ids, "id 'a' appears on row 0 and row 2");
        // A file without line breaks is refused at the line cap of embedding CSVs, not read whole into one string.
        Fails(Write("oneline.csv", "id," + new string('x', DelimitedText.MaxLineChars)), ids, "line 1 is longer than 8,388,608 characters");
    }

    /// <summary>A header of 200,000 columns was checked for repeats by a search per column: 72 s before its error (reviewer).</summary>
    [Fact]
    public void AWideHeaderIsCheckedForRepeatedNamesInOnePass()
    {
        string dir = TestData.TempDir();
        var names = Enumerable.Range(0, 200_000).Select(j => $"c{j}").ToList();
        string headerOnly = GoldenFileTests.WriteText(dir, "wide.csv", "id," + string.Join(",", names) + "\n");
        var e = Assert.Throws<RepDiffInputException>(() => MetadataFile.Load(headerOnly, 3, sampleIds: null));
        Assert.EndsWith("has 0 rows but there are 3 samples: sample 0 has no row (name its id column to join by id)", e.Message);
        string repeated = GoldenFileTests.WriteText(dir, "repeated.csv", "id," + string.Join(",", names) + ",c199998\n");
        e = Assert.Throws<RepDiffInputException>(() => MetadataFile.Load(repeated, 3, sampleIds: null));
        Assert.EndsWith("line 1: column name 'c199998' appears twice", e.Message);
    }

    /// <summary>
    /// Matched by position, rows past the samples' are counted, not kept: 15 million rows of empty cells (30 MB) took 1.9 GB
    /// and 24 s before "has 15000000 rows" (reviewer). The count and the first extra row's line stay exact past blank lines.
    /// </summary>
    [Fact]
    public void RowsPastTheSamplesAreCountedWhenMatchedByPosition()
    {
        string dir = TestData.TempDir();
        string path = GoldenFileTests.WriteText(dir, "tall.csv", "g,h\n1,a\n\n2,\n" + string.Concat(Enumerable.Repeat(",\n", 100_000)));
        var e = Assert.Throws<RepDiffInputException>(() => MetadataFile.Load(path, 3, sampleIds: null));
        Assert.EndsWith("has 100002 rows but there are 3 samples: line 6 has no sample (name its id column to join by id)", e.Message);
        // The rows kept are the samples' own, empty cells missing.
        string exact = GoldenFileTests.WriteText(dir, "exact.csv", "g,h\n1,a\n\n2,\n,b\n");
        var metadata = MetadataFile.Load(exact, 3, sampleIds: null);
        Assert.Equal(new string?[] { "1", "2", null }, metadata["g"]!.Values.AsEnumerable());
        Assert.Equal(new string?[] { "a", null, "b" }, metadata["h"]!.Values.AsEnumerable());
    }
}
