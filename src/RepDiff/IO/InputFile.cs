namespace RepDiff.IO;

/// <summary>Opening and reading input files, with every failure turned into a RepDiffInputException naming the file.</summary>
internal static class InputFile
{
    /// <param name="bufferSize">The stream's buffer: small for headers read once, larger for libraries that read in many small pieces.</param>
    public static FileStream OpenRead(string path, int bufferSize = 1 << 12)
    {
        if (Directory.Exists(path)) throw RepDiffInputException.ForFile(path, "is a directory, not a file");
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        { throw RepDiffInputException.ForFile(path, "file not found"); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or ArgumentException or NotSupportedException)
        { throw RepDiffInputException.ForFile(path, $"cannot be read ({e.Message})"); }
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
