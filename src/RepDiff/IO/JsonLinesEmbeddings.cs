using System.Text;
using System.Text.Json;

namespace RepDiff.IO;

/// <summary>
/// Reads embeddings stored as JSON Lines, as embedding APIs and scripts write them: one record per line, an object
/// {"id": …, "embedding": […]} or a bare list of numbers. The vector field is the one named (--column), else the only
/// field of the first record that holds a list of numbers; ids come from the field named (--id-column), else from "id"
/// when the first record has one, and then every record must. Parsed in two passes with <see cref="Utf8JsonReader"/>:
/// the first counts the records, so the float32 matrix is allocated once at its size (after the memory check), the
/// second fills it; nothing is boxed or kept per record but its id. Every problem names the file and the line.
/// </summary>
internal static class JsonLinesEmbeddings
{
    /// <summary>Longest record read: 100,000 dimensions at 25 characters each is 2.5 MB; beyond this it is not one record per line.</summary>
    public const int MaxRecordBytes = 1 << 26;

    /// <summary>What a record is read by: its vector field (null for bare lists), its id field (null for none), its dimensions.</summary>
    private sealed record Layout(string? VectorField, string? IdField, int Dimensions, int FirstLine);

    public static RowFile OpenRows(string path, string? vectorField, string? idField, bool checkFinite)
    {
        using var stream = InputFile.OpenRead(path, 1 << 16);
        if (stream.Length == 0) throw RepDiffInputException.ForFile(path, "is empty");
        var (records, layout) = CountRecords(stream, path, vectorField, idField, checkFinite);
        long values = (long)records * layout.Dimensions;
        if (values > Array.MaxLength)
            throw RepDiffInputException.ForFile(path, $"{records:N0} records of {layout.Dimensions:N0} values do not fit in one in-memory matrix");
        // The matrix, and each id as a string with its entry in the table that finds repeats.
        long idBytes = layout.IdField is null ? 0 : records * 96L;
        MemoryBudget.EnsureFits(path, values * sizeof(float) + idBytes,
            $"reading this {MemoryBudget.Megabytes(stream.Length)} JSON Lines file ({records:N0} records of {layout.Dimensions:N0} values)");
        var data = new float[values];
        var ids = layout.IdField is null ? null : new string[records];
        stream.Position = 0;
        var lines = new LineReader(stream, path);
        var idLines = new Dictionary<string, int>(ids is null ? 0 : records, StringComparer.Ordinal);
        int row = 0;
        while (lines.Next(out var line))
        {
            if (IsBlank(line)) continue;
            if (row == records) throw RepDiffInputException.ForFile(path, "changed while it was read (it has more records than a moment before)");
            string? id = ReadRecord(NamedFloats.Readable(line, checkFinite), lines.LineNumber, layout, data.AsSpan(row * layout.Dimensions, layout.Dimensions), path, checkFinite);
            if (ids is not null)
            {
                if (!idLines.TryAdd(id!, lines.LineNumber))
                    throw RepDiffInputException.ForFile(path, $"id '{NpyDtype.Truncate(id!)}' appears on line {idLines[id!]} and line {lines.LineNumber}; ids must be unique");
                ids[row] = id!;
            }
            row++;
        }
        if (row != records) throw RepDiffInputException.ForFile(path, "changed while it was read (it has fewer records than a moment before)");
        return new RowFile(path, new Matrix(records, layout.Dimensions, data), checkFinite)
        {
            Ids = ids,
            VectorsFrom = layout.VectorField is null ? "the records (lists of numbers)" : $"field '{layout.VectorField}'",
            IdsFrom = layout.IdField is null ? null : $"field '{layout.IdField}'",
        };
    }

    /// <summary>The first pass: how many records there are, and the layout the first one sets for all.</summary>
    private static (int Records, Layout Layout) CountRecords(Stream stream, string path, string? vectorField, string? idField, bool checkFinite)
    {
        var lines = new LineReader(stream, path);
        Layout? layout = null;
        int records = 0;
        while (lines.Next(out var line))
        {
            if (IsBlank(line)) continue;
            if (layout is null)
            {
                var first = NamedFloats.Readable(line, checkFinite);
                layout = LayoutOf(first.Line, lines.LineNumber, path, vectorField, idField);
            }
            if (++records == int.MaxValue) throw RepDiffInputException.ForFile(path, $"holds more than {int.MaxValue:N0} records");
        }
        if (layout is null) throw RepDiffInputException.ForFile(path, "holds only blank lines, no records");
        return (records, layout);
    }

    /// <summary>
    /// The layout the first record sets: a bare list is the vector itself; an object's vector is the field named, or its
    /// only field holding a list of numbers, and its ids the field named, or "id" when it has one.
    /// </summary>
    private static Layout LayoutOf(ReadOnlySpan<byte> line, int lineNumber, string path, string? vectorField, string? idField)
    {
        var reader = Reader(line);
        var fields = new List<string>();
        var lists = new List<string>();  // the fields holding lists of numbers
        string? firstList = null;
        int firstListLength = 0;
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                if (vectorField is not null || idField is not null)
                    throw RepDiffInputException.ForFile(path, $"line {lineNumber} is a list, not an object with a field '{NpyDtype.Truncate((vectorField ?? idField)!)}'; "
                        + $"records that are lists of numbers have no fields (leave out {(vectorField is not null ? "--column" : "--id-column")})");
                return new Layout(null, null, CountValues(ref reader, lineNumber, path), lineNumber);
            }
            if (reader.TokenType != JsonTokenType.StartObject)
                throw RepDiffInputException.ForFile(path, $"line {lineNumber} is {JsonKinds.Of(reader.TokenType)}, not an object with a list of numbers or a list of numbers");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                if (fields.Contains(name))
                    throw RepDiffInputException.ForFile(path, $"line {lineNumber}: field '{NpyDtype.Truncate(name)}' appears twice");
                fields.Add(name);
                reader.Read();
                var copy = reader;  // looks at the first value without moving the reader
                if (reader.TokenType == JsonTokenType.StartArray && copy.Read() && copy.TokenType == JsonTokenType.Number)
                {
                    lists.Add(name);
                    if (firstList is null && (vectorField is null || vectorField == name))
                    {
                        firstList = name;
                        firstListLength = CountValues(ref reader, lineNumber, path);
                        continue;
                    }
                }
                reader.Skip();
            }
        }
        catch (JsonException e)
        {
            throw NotJson(e, line, lineNumber, path);
        }
        catch (InvalidOperationException)
        {
            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: a field name holds an escaped lone surrogate (\\ud800–\\udfff without its pair), which is not text");
        }
        string fieldList = $"(fields: {string.Join(", ", fields.Take(10).Select(NpyDtype.Truncate))}{(fields.Count > 10 ? ", …" : "")})";
        if (vectorField is not null && firstList is null)
            throw RepDiffInputException.ForFile(path, fields.Contains(vectorField)
                ? $"line {lineNumber}: field '{NpyDtype.Truncate(vectorField)}' is not a list of numbers"
                : $"line {lineNumber} has no field '{NpyDtype.Truncate(vectorField)}' {fieldList}");
        if (firstList is null)
            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: no field holds a list of numbers {fieldList}; name the vector field with --column");
        // Two lists of numbers (an image's and a text's embedding, or a bounding box beside one): which is meant is not
        // guessed, as a table of several float-list columns is not.
        if (vectorField is null && lists.Count > 1)
            throw RepDiffInputException.ForFile(path, $"line {lineNumber} has {lists.Count} fields holding lists of numbers; choose one with --column (fields: {string.Join(", ", lists.Take(10).Select(NpyDtype.Truncate))})");
        if (idField is not null && !fields.Contains(idField))
            throw RepDiffInputException.ForFile(path, $"line {lineNumber} has no field '{NpyDtype.Truncate(idField)}' for ids {fieldList}");
        return new Layout(firstList, idField ?? (fields.Contains(SampleFiles.IdField) ? SampleFiles.IdField : null), firstListLength, lineNumber);
    }

    /// <summary>The number of values of the list the reader is at (its end then read), each a number.</summary>
    private static int CountValues(ref Utf8JsonReader reader, int lineNumber, string path)
    {
        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number) throw NotANumber(reader.TokenType, count, lineNumber, path);
            count++;
        }
        return count;
    }

    /// <summary>Reads one record's vector into <paramref name="row"/>; returns its id when the layout has ids.</summary>
    private static string? ReadRecord(NamedFloats record, int lineNumber, Layout layout, Span<float> row, string path, bool checkFinite)
    {
        var line = record.Line;
        var reader = Reader(line);
        try
        {
            reader.Read();
            if (layout.VectorField is null)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw RepDiffInputException.ForFile(path, $"line {lineNumber} is {JsonKinds.Of(reader.TokenType)}, not a list of numbers as line {layout.FirstLine} is");
                ReadVector(ref reader, row, lineNumber, layout, path, checkFinite, record);
                reader.Read(); // anything after the record is an error the reader throws
                return null;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
                throw RepDiffInputException.ForFile(path, $"line {lineNumber} is {JsonKinds.Of(reader.TokenType)}, not an object as line {layout.FirstLine} is");
            bool vector = false;
            string? id = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isVector = reader.ValueTextEquals(layout.VectorField);
                bool isId = !isVector && reader.ValueTextEquals(layout.IdField ?? SampleFiles.IdField);
                string field = isVector ? layout.VectorField : layout.IdField ?? SampleFiles.IdField;
                if ((isVector && vector) || (isId && id is not null))
                    throw RepDiffInputException.ForFile(path, $"line {lineNumber}: field '{NpyDtype.Truncate(field)}' appears twice");
                reader.Read();
                if (isVector)
                {
                    ReadVector(ref reader, row, lineNumber, layout, path, checkFinite, record);
                    vector = true;
                }
                else if (isId && layout.IdField is null)
                    throw RepDiffInputException.ForFile(path, $"line {lineNumber} has a field '{SampleFiles.IdField}' but line {layout.FirstLine} has none; give every record an id, or none");
                else if (isId) id = IdOf(ref reader, lineNumber, layout.IdField!, path);
                else reader.Skip();
            }
            if (!vector) throw RepDiffInputException.ForFile(path, $"line {lineNumber} has no field '{NpyDtype.Truncate(layout.VectorField)}', which line {layout.FirstLine} holds the vector in");
            if (layout.IdField is not null && id is null)
                throw RepDiffInputException.ForFile(path, $"line {lineNumber} has no field '{NpyDtype.Truncate(layout.IdField)}', which line {layout.FirstLine} holds its id in; every record needs an id");
            reader.Read();
            return id;
        }
        catch (JsonException e)
        {
            throw NotJson(e, line, lineNumber, path);
        }
    }

    /// <summary>
    /// The vector the reader is at, as float32: each value read as a double and rounded once to float32, as
    /// np.array(values, np.float32) does, so a file written from a float32 array reads back bit for bit.
    /// </summary>
    private static void ReadVector(ref Utf8JsonReader reader, Span<float> row, int lineNumber, Layout layout, string path, bool checkFinite, NamedFloats record)
    {
        string field = layout.VectorField is null ? "the list" : $"field '{NpyDtype.Truncate(layout.VectorField)}'";
        if (reader.TokenType != JsonTokenType.StartArray)
            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: {field} is {JsonKinds.Of(reader.TokenType)}, not a list of numbers");
        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number) throw NotANumber(reader.TokenType, count, lineNumber, path);
            if (count < row.Length)
            {
                // TryGetDouble fails beyond the double range (1e400), which is beyond float32's too.
                float value = record.IsNaN(reader.TokenStartIndex) ? float.NaN
                    : reader.TryGetDouble(out double d) ? (float)d
                    : float.PositiveInfinity * (reader.ValueSpan[0] == '-' ? -1 : 1);
                if (checkFinite && !float.IsFinite(value))
                    throw RowFile.BeyondFloat32(path, $"line {lineNumber} value {count}", NpyDtype.Truncate(Encoding.UTF8.GetString(reader.ValueSpan)));
                row[count] = value;
            }
            count++;
        }
        if (count != row.Length)
            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: {field} holds {count:N0} values but line {layout.FirstLine}'s holds {row.Length:N0}; every vector needs the same length");
    }

    /// <summary>A record's id as an ids file would hold it: a string, or a whole number (<see cref="SampleFiles.NumberId"/>).</summary>
    private static string IdOf(ref Utf8JsonReader reader, int lineNumber, string idField, string path)
    {
        string what = $"field '{NpyDtype.Truncate(idField)}'";
        string text = reader.TokenType switch
        {
            JsonTokenType.String => StringOf(ref reader, what, lineNumber, path),
            JsonTokenType.Number => SampleFiles.NumberId(Encoding.UTF8.GetString(reader.ValueSpan), what, path, lineNumber),
            _ => throw RepDiffInputException.ForFile(path, $"line {lineNumber}: {what} is {JsonKinds.Of(reader.TokenType)}, not a string or a whole number"),
        };
        return SampleFiles.CheckJsonId(text, path, lineNumber);
    }

    private static string StringOf(ref Utf8JsonReader reader, string what, int lineNumber, string path)
    {
        try { return reader.GetString()!; }
        catch (InvalidOperationException)
        {
            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: {what} holds an escaped lone surrogate (\\ud800–\\udfff without its pair), which is not text");
        }
    }

    private static RepDiffInputException NotANumber(JsonTokenType token, int index, int lineNumber, string path) =>
        RepDiffInputException.ForFile(path, $"line {lineNumber}: value {index} of the vector is {JsonKinds.Of(token)}, not a number");

    /// <summary>
    /// Invalid JSON, named by its line. Python's json.dumps writes NaN and Infinity as bare words, which JSON has not:
    /// said as what they are.
    /// </summary>
    private static RepDiffInputException NotJson(JsonException e, ReadOnlySpan<byte> line, int lineNumber, string path)
    {
        long at = e.BytePositionInLine ?? -1;
        var rest = at >= 0 && at < line.Length ? line[(int)at..] : default;
        if (rest.StartsWith("NaN"u8) || rest.StartsWith("Infinity"u8))
        {
            // The reader stops at "Infinity" after the minus sign of "-Infinity".
            bool negative = at > 0 && line[(int)at - 1] == '-';
            string word = rest.StartsWith("NaN"u8) ? "NaN" : negative ? "-Infinity" : "Infinity";
            return RepDiffInputException.ForFile(path, $"line {lineNumber}, column {at + (negative ? 0 : 1)}: {word} (as Python's json writes NaN and infinities); values must be finite");
        }
        return RepDiffInputException.ForFile(path, $"line {lineNumber} is not valid JSON ({JsonErrorText.Of(e, oneLine: true)})");
    }

    /// <summary>
    /// A line as the JSON reader reads it. Python's json writes NaN, Infinity and -Infinity as bare words, which JSON has
    /// not: methods refuse them (<see cref="NotJson"/> names the word), but inspect counts non-finite values as it does for
    /// every format, so for it each word outside strings becomes a number beyond the double range (read as ±Inf), and
    /// where a NaN stood is remembered.
    /// </summary>
    private readonly ref struct NamedFloats
    {
        private const string Overflow = "1e999";

        public ReadOnlySpan<byte> Line { get; }
        private readonly HashSet<long>? nanStarts;

        private NamedFloats(ReadOnlySpan<byte> line, HashSet<long>? nanStarts)
        {
            Line = line;
            this.nanStarts = nanStarts;
        }

        /// <summary>Whether the number starting at this byte of <see cref="Line"/> stood for NaN.</summary>
        public bool IsNaN(long tokenStart) => nanStarts?.Contains(tokenStart) == true;

        public static NamedFloats Readable(ReadOnlySpan<byte> line, bool checkFinite)
        {
            // Most lines hold no such word: they are read as they are, without a copy.
            if (checkFinite || (line.IndexOf("NaN"u8) < 0 && line.IndexOf("Infinity"u8) < 0)) return new NamedFloats(line, null);
            var rewritten = new List<byte>(line.Length + 16);
            var nanStarts = new HashSet<long>();
            bool inString = false;
            for (int i = 0; i < line.Length; i++)
            {
                byte b = line[i];
                if (inString)
                {
                    if (b == '\\' && i + 1 < line.Length) rewritten.Add(line[i++]);
                    else if (b == '"') inString = false;
                }
                else if (b == '"') inString = true;
                else if (Word(line, i, "NaN"u8))
                {
                    nanStarts.Add(rewritten.Count);
                    rewritten.AddRange(Encoding.ASCII.GetBytes(Overflow));
                    i += 2;
                    continue;
                }
                else if (Word(line, i, "Infinity"u8))
                {
                    rewritten.AddRange(Encoding.ASCII.GetBytes(Overflow));
                    i += 7;
                    continue;
                }
                rewritten.Add(line[i]);
            }
            return new NamedFloats(rewritten.ToArray(), nanStarts);
        }

        /// <summary>Whether the word begins at <paramref name="at"/> and ends there too (not part of a longer word).</summary>
        private static bool Word(ReadOnlySpan<byte> line, int at, ReadOnlySpan<byte> word) =>
            line[at..].StartsWith(word) && (at + word.Length == line.Length || !char.IsAsciiLetterOrDigit((char)line[at + word.Length]));
    }

    private static Utf8JsonReader Reader(ReadOnlySpan<byte> line) =>
        new(line, new JsonReaderOptions { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow });

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\r"u8) < 0;

    /// <summary>
    /// The lines of a stream as byte spans (without \n or \r\n; a UTF-8 byte order mark before the first dropped), each
    /// checked to be UTF-8 and at most <see cref="MaxRecordBytes"/> long; the buffer grows only for a longer line.
    /// </summary>
    private sealed class LineReader(Stream stream, string path)
    {
        private byte[] buffer = new byte[1 << 20];
        private int start, end;
        private bool atEnd;

        /// <summary>The 1-based number of the line last returned.</summary>
        public int LineNumber { get; private set; }

        public bool Next(out ReadOnlySpan<byte> line)
        {
            while (true)
            {
                int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline >= 0 || atEnd && start < end)
                {
                    int length = newline >= 0 ? newline : end - start;
                    line = Checked(buffer.AsSpan(start, length));
                    start += newline >= 0 ? length + 1 : length;
                    return true;
                }
                if (atEnd)
                {
                    line = default;
                    return false;
                }
                Fill();
            }
        }

        private ReadOnlySpan<byte> Checked(ReadOnlySpan<byte> line)
        {
            LineNumber++;
            if (LineNumber == 1 && line is [0xEF, 0xBB, 0xBF, ..]) line = line[3..];
            if (line.EndsWith("\r"u8)) line = line[..^1];
            if (!System.Text.Unicode.Utf8.IsValid(line))
                throw RepDiffInputException.ForFile(path, $"line {LineNumber} is not valid UTF-8");
            return line;
        }

        /// <summary>Reads more of the stream after what is left of the buffer, growing it when one line fills it.</summary>
        private void Fill()
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                (end, start) = (end - start, 0);
            }
            if (end == buffer.Length)
            {
                if (buffer.Length >= MaxRecordBytes)
                    throw RepDiffInputException.ForFile(path, $"line {LineNumber + 1} is longer than {MaxRecordBytes / (1 << 20)} MB (JSON Lines holds one record per line)");
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            int read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0) atEnd = true;
            end += read;
        }
    }
}
