using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Parquet;
using Parquet.Schema;

namespace RepDiff.IO;

/// <summary>
/// One column chunk as Parquet.Net decodes it, in pooled arrays: the values the levels mark present, first (in
/// <see cref="ParquetChunk{T}"/>), and a definition and a repetition level per value where the column has them.
/// </summary>
internal abstract class ParquetChunk(int count, bool definition, bool repetition) : IDisposable
{
    private readonly int[]? definitionLevels = definition ? ArrayPool<int>.Shared.Rent(count) : null;
    private readonly int[]? repetitionLevels = repetition ? ArrayPool<int>.Shared.Rent(count) : null;

    protected int Count => count;
    public Span<int> DefinitionLevels => definitionLevels.AsSpan(0, definitionLevels is null ? 0 : count);
    public Span<int> RepetitionLevels => repetitionLevels.AsSpan(0, repetitionLevels is null ? 0 : count);
    protected Memory<int>? DefinitionMemory => definitionLevels?.AsMemory(0, count);
    protected Memory<int>? RepetitionMemory => repetitionLevels?.AsMemory(0, count);

    public virtual void Dispose()
    {
        if (definitionLevels is not null) ArrayPool<int>.Shared.Return(definitionLevels);
        if (repetitionLevels is not null) ArrayPool<int>.Shared.Return(repetitionLevels);
    }
}

/// <summary>
/// A column chunk's values of type <typeparamref name="T"/>. Read into arrays of our own, not by Parquet.Net's
/// ReadRawColumnDataBaseAsync: that sizes its arrays by the chunk's value count and fills in what the pages decode
/// without saying how much that was, so a page too short for its values leaves the rest as the pool had them (zeros, or
/// a chunk read before), to be read as data. Here every array is filled with a marker first, and as Parquet.Net
/// writes each array in order from its start, the levels' last entries and the last value the levels mark present
/// must have been written over it.
/// </summary>
internal sealed class ParquetChunk<T> : ParquetChunk where T : struct
{
    private readonly T[] values;

    private ParquetChunk(int count, DataField field) : base(count, field.MaxDefinitionLevel > 0, field.MaxRepetitionLevel > 0) =>
        values = ArrayPool<T>.Shared.Rent(count);

    public Span<T> Values => values.AsSpan(0, Count);

    /// <summary>Reads one column chunk, which <see cref="ParquetLayout.CheckChunk"/> has checked (its value count against the memory budget too).</summary>
    public static ParquetChunk<T> Read(string path, ParquetRowGroupReader rowGroup, int group, DataField field)
    {
        var chunk = new ParquetChunk<T>((int)rowGroup.GetMetadata(field)!.MetaData!.NumValues, field);
        try
        {
            string what = $"row group {group} column '{field.Path}'";
            foreach (T marker in Markers())
            {
                chunk.Values.Fill(marker);
                chunk.DefinitionLevels.Fill(-1); // a level is never negative
                chunk.RepetitionLevels.Fill(-1);
                ParquetFile.Run(path, async () =>
                {
                    await rowGroup.ReadRawAsync(field, chunk.values.AsMemory(0, chunk.Count), chunk.DefinitionMemory, chunk.RepetitionMemory);
                    return 0;
                });
                if (chunk.DefinitionLevels is [.., -1] || chunk.RepetitionLevels is [.., -1])
                    throw ParquetFile.Corrupt(path, $"{what} holds fewer levels than its {chunk.Count} values: the file is corrupt");
                int present = field.MaxDefinitionLevel == 0 ? chunk.Count : chunk.DefinitionLevels.Count(field.MaxDefinitionLevel);
                if (present == 0 || !Same(chunk.Values[present - 1], marker)) return chunk;
            }
            throw ParquetFile.Corrupt(path, $"{what} holds fewer values than its levels mark present: the file is corrupt");
        }
        catch
        {
            chunk.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Values a decode writes over. Text is a slice of an array of our own, which no decoded value can be; a number may
    /// have any bytes, so all ones and then all zeros, which no value is both of (a last value of all ones is read again).
    /// </summary>
    private static T[] Markers()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) return [(T)(object)new ReadOnlyMemory<char>(new char[1])];
        T ones = default;
        MemoryMarshal.AsBytes(new Span<T>(ref ones)).Fill(0xFF);
        return [ones, default];
    }

    /// <summary>The same bytes, or for text the same slice of the same array (a float's Equals calls every NaN equal).</summary>
    private static bool Same(T a, T b) => RuntimeHelpers.IsReferenceOrContainsReferences<T>()
        ? EqualityComparer<T>.Default.Equals(a, b)
        : MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in a)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in b)));

    public override void Dispose()
    {
        ArrayPool<T>.Shared.Return(values, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        base.Dispose();
    }
}
