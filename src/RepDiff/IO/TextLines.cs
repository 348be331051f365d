using System.Text;

namespace RepDiff.IO;

/// <summary>
/// Reads the lines of a text input with a cap on each line's length, so that a file without line
/// breaks (a binary file, a corrupted export) costs at most the cap, not its whole size, and the error
/// names the file and the line. Line ends are \n, \r\n or \r, as <see cref="StreamReader.ReadLine"/>.
/// Invalid UTF-8 becomes U+FFFD, or, strictly (texts to embed, vocabularies), is an error naming its line; a NUL
/// character is an error naming its line (UTF-16 without a byte order mark; UTF-16 with one is read as such).
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

    /// <summary>The file's size in bytes, for callers whose memory grows with it by more than the factor checked here.</summary>
    public long FileBytes { get; }

    /// <summary>The 1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    /// <param name="memoryFactor">In-memory bytes per file byte the caller will hold (UTF-16 strings: 2, plus what it builds).</param>
    /// <param name="strictUtf8">Invalid UTF-8 is an error naming its line instead of becoming U+FFFD.</param>
    /// <param name="documentLines">Whether a line may be a whole document, an HTML one too (texts; <see cref="FileSignature.NotText"/>).</param>
    /// <param name="formatProblem">What the caller says of a file that is an embedding format (<see cref="FileSignature.NotText"/>).</param>
    public TextLines(string path, int maxChars, int memoryFactor = 3, bool strictUtf8 = false, bool documentLines = false, Func<EmbeddingFormat, string?>? formatProblem = null)
    {
        var stream = InputFile.OpenRead(path);
        // Only a regular file is looked at before it is read: a pipe's first bytes would be gone, a device's endless.
        if (FileKind.Of(path) == FileKind.Regular && FileSignature.NotText(stream, path, documentLines, formatProblem) is { } problem)
        {
            stream.Dispose();
            throw RepDiffInputException.ForFile(path, problem);
        }
        FileBytes = stream.Length;
        MemoryBudget.EnsureFits(path, stream.Length * memoryFactor, $"reading this {MemoryBudget.Megabytes(stream.Length)} text file");
        reader = new StreamReader(strictUtf8 ? new Utf8Check(stream, path) : stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
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
            // No text input holds a NUL: it is UTF-16 read as UTF-8 (every other byte of ASCII text is 0), or a binary file.
            // Read on, UTF-16 gave one label or id more than there are lines and names like "L\00", or numbers "not a number".
            if (buffer.AsSpan(start, take).Contains('\0'))
                throw RepDiffInputException.ForFile(path, $"line {LineNumber + 1} holds a NUL character: UTF-16 text without a byte order mark, or a binary file? Text inputs are read as UTF-8");
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
        // A byte order mark inside the file (written twice, or two files joined with cat) is no part of its line: kept,
        // "dog" and "\uFEFFdog" had been two labels, one drawn with an invisible mark.
        int marks = 0;
        while (marks < line.Length && line[marks] == '\uFEFF') marks++;
        return line.ToString(marks, line.Length - marks);
    }

    /// <summary>Every line, without the empty lines at the end of the file.</summary>
    public static string[] ReadAll(string path, int maxChars, bool strictUtf8 = false, bool documentLines = false, Func<EmbeddingFormat, string?>? formatProblem = null)
    {
        using var lines = new TextLines(path, maxChars, strictUtf8: strictUtf8, documentLines: documentLines, formatProblem: formatProblem);
        var result = new List<string>();
        while (lines.Next() is { } text) result.Add(text);
        int count = result.Count;
        while (count > 0 && result[count - 1].Length == 0) count--;
        return result.GetRange(0, count).ToArray();
    }

    /// <summary>
    /// Why a text file may hold more lines than its author counted: lone carriage returns (\r) among \n line ends end a
    /// line too (as in Python's universal newlines), so a \r inside a text splits it in two. "" when the file has none,
    /// or has no \n (an old Mac file, one line end throughout). For messages about a line count that does not match or an
    /// empty line.
    /// </summary>
    internal static string LoneCarriageReturnNote(string path)
    {
        if (FileKind.Of(path) != FileKind.Regular) return "";
        using var stream = InputFile.OpenRead(path, 1 << 16);
        var buffer = new byte[1 << 16];
        long lone = 0, newlines = 0, doubled = 0;
        byte beforeLast = 0, last = 0;
        for (int read; (read = stream.Read(buffer)) > 0;)
            foreach (byte c in buffer.AsSpan(0, read))
            {
                if (last == '\r' && c != '\n') lone++;
                if (c == '\n') newlines++;
                if (c == '\n' && last == '\r' && beforeLast == '\r') doubled++;
                (beforeLast, last) = (last, c);
            }
        if (last == '\r') lone++;
        if (lone == 0 || newlines == 0) return "";
        // \r\r\n: a \r\n file written again through a text-mode conversion (Windows), so every other line is empty.
        return doubled == lone
            ? " (its lines end in \\r\\r\\n, a Windows line end written twice: the first \\r ends a line too, so every other line is empty; rewrite the line ends as \\n)"
            : $" (besides its \\n line ends it has {lone:#,0} lone carriage return{(lone == 1 ? "" : "s")} (\\r), each of which ends a line too: a \\r inside a text?)";
    }

    public void Dispose() => reader.Dispose();

    /// <summary>
    /// Passes a file's bytes on to the reader, checking as they go that they are UTF-8 (which a
    /// StreamReader would replace silently); the first invalid byte is an error naming its line.
    /// </summary>
    private sealed class Utf8Check(Stream inner, string path) : CheckingReadStream(inner)
    {
        private readonly Decoder decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        private char[] chars = [];
        private int line = 1;
        private bool afterCr, seenBytes;

        protected override void Inspect(ReadOnlySpan<byte> bytes)
        {
            int n = bytes.Length;
            // A file saved as "Unicode" by Windows tools: its first bytes would be "line 1 is not valid UTF-8", which does not say why.
            if (line == 1 && !seenBytes && n >= 2 && (bytes[0], bytes[1]) is (0xFF, 0xFE) or (0xFE, 0xFF))
                throw RepDiffInputException.ForFile(path, $"is UTF-16 ({(bytes[0] == 0xFF ? "little" : "big")}-endian: it starts with a UTF-16 byte-order mark), not UTF-8; save it as UTF-8");
            seenBytes |= n > 0;
            // The decoder keeps a sequence split across reads for the next one; at the end an unfinished one is an error.
            if (chars.Length < n + 4) chars = new char[n + 4];
            try
            {
                decoder.GetChars(bytes, chars, flush: n == 0);
            }
            catch (DecoderFallbackException e)
            {
                int at = Math.Clamp(e.Index, 0, n);
                throw RepDiffInputException.ForFile(path, $"line {line + LineEnds(bytes[..at], afterCr)} is not valid UTF-8");
            }
            line += LineEnds(bytes, afterCr);
            if (n > 0) afterCr = bytes[^1] == '\r';
        }

        /// <summary>Line ends as the reader counts them: \n, \r\n (one) or a lone \r; a \n right after a \r that ended the previous read is not one.</summary>
        private static int LineEnds(ReadOnlySpan<byte> bytes, bool afterCr)
        {
            int count = bytes.Count((byte)'\n') + bytes.Count((byte)'\r') - bytes.Count("\r\n"u8);
            return afterCr && bytes.Length > 0 && bytes[0] == '\n' ? count - 1 : count;
        }
    }
}
