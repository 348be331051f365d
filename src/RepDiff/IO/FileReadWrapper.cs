namespace RepDiff.IO;

/// <summary>
/// A file as a library reads it, seekable and read-only, every call handed to the file; a subclass changes some reads (a
/// check before each, asynchronous reads done at once). Disposing it disposes the file.
/// </summary>
internal abstract class FileReadWrapper(FileStream inner) : Stream
{
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer) => inner.Read(buffer);
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override long Position { get => inner.Position; set => Seek(value, SeekOrigin.Begin); }
    public override long Length => inner.Length;
    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
