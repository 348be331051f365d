namespace RepDiff;

/// <summary>
/// Rows that can be read in batches without holding them all: an in-memory <see cref="Matrix"/>
/// or a memory-mapped file. Streaming routes (SPEC/FINC features) only need this.
/// </summary>
public interface IRowSource
{
    int Rows { get; }
    int Cols { get; }

    /// <summary>Copies rows [first, first + count) into destination (count * Cols values, row-major).</summary>
    void ReadRows(int first, int count, Span<float> destination);
}
