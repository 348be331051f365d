namespace RepDiff.IO;

/// <summary>Opening and reading input files, with every failure turned into a RepDiffInputException naming the file.</summary>
public static class InputFile
{
    /// <param name="bufferSize">The stream's buffer: small for headers read once, larger for libraries that read in many small pieces.</param>
    public static FileStream OpenRead(string path, int bufferSize = 1 << 12)
    {
        FileKind.RequireRegular(path);
        try
        {
            var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            try
            {
                // A buffer larger than the file is never filled, and one of 1 MB is allocated on the large object heap: per
                // small file opened, that had started a full garbage collection every tenth open (tests open thousands).
                long length = RandomAccess.GetLength(handle);
                return new FileStream(handle, FileAccess.Read, (int)Math.Min(bufferSize, Math.Max(length, 1 << 12)));
            }
            catch { handle.Dispose(); throw; }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        { throw RepDiffInputException.ForFile(path, "file not found"); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or ArgumentException or NotSupportedException)
        { throw RepDiffInputException.ForFile(path, $"cannot be read ({e.Message})"); }
    }

    /// <summary>A whole text file (e.g. a results.json), refused beyond maxBytes before anything is read.</summary>
    public static string ReadAllText(string path, long maxBytes, string what)
    {
        using var stream = OpenRead(path);
        CheckSize(stream, path, maxBytes, what);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// A whole file's bytes, refused before anything is read when it is larger than maxBytes or when
    /// <paramref name="memoryFactor"/> times its size (what the caller builds from it) would not fit in memory.
    /// A file that shrinks while it is read is refused too.
    /// </summary>
    public static byte[] ReadAllBytes(string path, string what, long maxBytes = long.MaxValue, int memoryFactor = 1)
    {
        using var stream = OpenRead(path);
        CheckSize(stream, path, Math.Min(maxBytes, Array.MaxLength), what);
        MemoryBudget.EnsureFits(path, memoryFactor * stream.Length, what);
        var bytes = new byte[stream.Length];
        if (ReadFully(stream, bytes) != bytes.Length) throw RepDiffInputException.ForFile(path, "changed while it was read");
        return bytes;
    }

    private static void CheckSize(FileStream stream, string path, long maxBytes, string what)
    {
        if (stream.Length > maxBytes)
            throw RepDiffInputException.ForFile(path, $"is {MemoryBudget.Megabytes(stream.Length)}; {what} is at most {MemoryBudget.Megabytes(maxBytes)}");
    }

    /// <summary>Reads until the buffer is full or the stream ends; returns the bytes read.</summary>
    public static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0) break;
            total += read;
        }
        return total;
    }
}
