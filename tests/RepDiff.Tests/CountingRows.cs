namespace RepDiff.Tests;

/// <summary>Rows that count how often they are read, so a test sees whether a pass over them was made again.</summary>
internal sealed class CountingRows(Matrix rows) : IRowSource
{
    public int Reads { get; private set; }
    public int Rows => rows.Rows;
    public int Cols => rows.Cols;

    public void ReadRows(int first, int count, Span<float> destination)
    {
        Reads++;
        rows.ReadRows(first, count, destination);
    }
}
