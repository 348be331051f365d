using System.Text;

namespace RepDiff.IO;

/// <summary>
/// Reads the lines of a text input with a cap on each line's length, so that a file without line
/// breaks (a binary file, a corrupted export) costs at most the cap, not its whole size, and the error
/// names the file and the line. Line ends are \n, \r\n or \r, as <see cref="StreamReader.ReadLine"/>.
/// </summary>
internal sealed class TextLines : IDisposable
{
    private readonly StreamReader reader;
    private readonly string path;
    private readonly int maxChars;
    private readonly char[] buffer = new char[1 << 16];
    private readonly StringBuilder line = new();
    private int start, end;
    private bool pendingCr, pendingLine;

    /// <summary>The 1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    /// <param name="memoryFactor">In-memory bytes per file byte the caller will hold (UTF-16 strings: 2, plus what it builds).</param>
    public TextLines(string path, int maxChars, int memoryFactor = 3)
    {
        var stream = InputFile.OpenRead(path);
        MemoryBudget.EnsureFits(path, stream.Length * memoryFactor, $"reading this {MemoryBudget.Megabytes(stream.Length)} text file");
        reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        this.path = path;
        this.maxChars = maxChars;
    }

    /// <summary>The next line without its line end, or null at the end of the file.</summary>
    public string? Next()
    {
        line.Clear();
        while (true)
        {
            if (start == end)
            {
                end = reader.Read(buffer, 0, buffer.Length);
                start = 0;
                if (end == 0)
                {
                    if (line.Length == 0 && !pendingLine) return null;
                    pendingLine = false;
                    return Finish();
                }
            }
            if (pendingCr)
            {
                pendingCr = false;
                if (buffer[start] == '\n') { start++; continue; }
            }
            pendingLine = true;
            int stop = buffer.AsSpan(start, end - start).IndexOfAny('\n', '\r');
            int take = stop < 0 ? end - start : stop;
            if (line.Length + take > maxChars)
                throw RepDiffInputException.ForFile(path, $"line {LineNumber + 1} is longer than {maxChars:#,0} characters (a binary file, or text without line breaks?)");
            line.Append(buffer, start, take);
            start += take;
            if (stop < 0) continue;
            pendingCr = buffer[start] == '\r';
            start++;
            pendingLine = false;
            return Finish();
        }
    }

    private string Finish()
    {
        LineNumber++;
        return line.ToString();
    }

    /// <summary>Every line, without the empty lines at the end of the file.</summary>
    public static string[] ReadAll(string path, int maxChars)
    {
        using var lines = new TextLines(path, maxChars);
        var result = new List<string>();
        while (lines.Next() is { } text) result.Add(text);
        int count = result.Count;
        while (count > 0 && result[count - 1].Length == 0) count--;
        return result.GetRange(0, count).ToArray();
    }

    public void Dispose() => reader.Dispose();
}
