using System.IO.MemoryMappedFiles;

namespace RepDiff.IO;

/// <summary>The raw bytes of one stored array: a memory-mapped file region or a buffer in memory.</summary>
internal abstract class ArrayBytes : IDisposable
{
    public abstract long Length { get; }

    /// <summary>length bytes starting at offset (within Length).</summary>
    public abstract ReadOnlySpan<byte> Slice(long offset, int length);

    public virtual void Dispose() { }

    /// <summary>
    /// Maps [offset, offset + length) of an open file read-only; the file stays open until disposed. With
    /// <paramref name="leaveOpen"/>, the file is an archive's, which maps its arrays through the one handle it opened (and
    /// closes it itself): the map holds the handle until it is disposed, so the rows outlive the archive.
    /// </summary>
    public static ArrayBytes Map(FileStream file, long offset, long length, bool leaveOpen = false)
    {
        if (length == 0)
        {
            if (!leaveOpen) file.Dispose();
            return new MemoryBytes([]);
        }
        // Its header was checked against the file's length; a file cut since would otherwise fail to map with a
        // message about permissions.
        if (file.Length is var now && offset > now - length)
        {
            if (!leaveOpen) file.Dispose();
            throw RepDiffInputException.ForFile(file.Name, $"changed while it was read: it now holds {now} bytes, and its array takes bytes {offset} to {offset + length}");
        }
        return new MappedBytes(file, offset, length, leaveOpen);
    }
}

internal sealed class MemoryBytes(byte[] data) : ArrayBytes
{
    public override long Length => data.LongLength;
    public override ReadOnlySpan<byte> Slice(long offset, int length) => data.AsSpan(checked((int)offset), length);
}

internal sealed unsafe class MappedBytes : ArrayBytes
{
    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* start;
    private int disposed;

    public override long Length { get; }

    public MappedBytes(FileStream file, long offset, long length, bool leaveOpen = false)
    {
        Length = length;
        try
        {
            map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen);
            view = map.CreateViewAccessor(offset, length, MemoryMappedFileAccess.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            map?.Dispose();
            if (!leaveOpen) file.Dispose();
            throw RepDiffInputException.ForFile(file.Name, $"cannot be memory-mapped ({e.Message})");
        }
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        start = pointer + view.PointerOffset;
    }

    public override ReadOnlySpan<byte> Slice(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(disposed != 0, this);
        if (offset < 0 || length < 0 || offset + length > Length) throw new ArgumentOutOfRangeException(nameof(offset));
        // A large slice is read whole (rows converted to float32): its pages are mapped in one call, not one fault each.
        if (length >= PageAdvice.MapAtOnceBytes) PageAdvice.MapForReading(start + offset, length);
        return new ReadOnlySpan<byte>(start + offset, length);
    }

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        map.Dispose();
    }
}
