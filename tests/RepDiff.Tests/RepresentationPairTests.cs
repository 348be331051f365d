namespace RepDiff.Tests;

public class RepresentationPairTests
{
    [Fact]
    public void SelectedRowsKeepTheirLabelsNamesAndSourceRows()
    {
        var a = new Matrix(5, 2);
        var b = new Matrix(5, 3);
        for (int i = 0; i < 5; i++) { a[i, 0] = i; b[i, 2] = 10 * i; }
        using var pair = new RepresentationPair(a, b, new SampleInfo { Labels = new SampleLabels(["v", "w", "x", "y", "z"]) }) { NameA = "early", NameB = "late" };

        var some = pair.SelectRows([1, 3, 4]);
        Assert.Equal([1f, 3f, 4f], Enumerable.Range(0, 3).Select(i => some.A[i, 0]));
        Assert.Equal([10f, 30f, 40f], Enumerable.Range(0, 3).Select(i => some.B[i, 2]));
        Assert.Equal(["w", "y", "z"], Enumerable.Range(0, 3).Select(i => some.Samples.Labels![i]));
        Assert.Equal(("early", "late"), (some.NameA, some.NameB));
        Assert.Equal([1, 3, 4], some.SourceRows!);
        Assert.Equal(5, some.SourceCount);

        // A selection of a selection points at the opened pair's rows, so per-sample files are read at the right lines.
        var fewer = some.SelectRows([0, 2]);
        Assert.Equal([1, 4], fewer.SourceRows!);
        Assert.Equal(5, fewer.SourceCount);
        Assert.Equal(["w", "z"], fewer.OwnRows(new[] { "v", "w", "x", "y", "z" }));
        Assert.Null(pair.SourceRows);
        Assert.Equal(5, pair.SourceCount);
    }
}
