namespace RepDiff.IO;

/// <summary>
/// A forward-only stream that passes another stream's bytes on and lets a subclass look at each read
/// (<see cref="Inspect"/>): a checksum, an encoding check. Disposing it disposes the inner stream, unless
/// <paramref name="leaveOpen"/> (a stream read on by its owner after this part of it).
/// </summary>
internal abstract class CheckingReadStream(Stream inner, bool leaveOpen = false) : Stream
{
    /// <summary>Called with the bytes of every read, in order; the end of the stream is a read of none.</summary>
    protected abstract void Inspect(ReadOnlySpan<byte> bytes);

    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public sealed override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        Inspect(buffer[..n]);
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) inner.Dispose();
        base.Dispose(disposing);
    }
}
