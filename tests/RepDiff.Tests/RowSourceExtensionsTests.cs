namespace RepDiff.Tests;

public class RowSourceExtensionsTests
{
    /// <summary>A source whose row i holds i, remembering the rows asked for, in order.</summary>
    private sealed class RecordingRows(int rows) : IRowSource
    {
        public List<int> Asked { get; } = [];
        public int Rows => rows;
        public int Cols => 1;

        public void ReadRows(int first, int count, Span<float> destination)
        {
            for (int i = 0; i < count; i++)
            {
                Asked.Add(first + i);
                destination[i] = first + i;
            }
        }
    }

    /// <summary>
    /// A sample's rows are read in ascending order and placed in the order asked: read in the sample's random order, a table
    /// decoded its record batches again and again (pca of two Arrow files of 4 batches read each 24 times over).
    /// </summary>
    [Fact]
    public void SelectedRowsAreReadInAscendingOrder()
    {
        var source = new RecordingRows(1000);
        int[] rows = [.. Enumerable.Range(0, 300).Select(i => 3 * i)];
        new Random(216).Shuffle(rows);
        Assert.False(rows.SequenceEqual(rows.Order()), "the sample is already in order; the test would prove nothing");
        var selected = source.SelectRows(rows);
        Assert.Equal(rows.Order(), source.Asked);
        Assert.Equal(rows.Select(r => (float)r), selected.Data);
    }
}
