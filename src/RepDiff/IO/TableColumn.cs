namespace RepDiff.IO;

/// <summary>
/// One list-of-floats column of a table file (Parquet, Arrow IPC), stored in chunks (row groups, record
/// batches) that are decoded one at a time: reading rows decodes only the chunks they fall in and keeps
/// the last one, so a file is streamed with memory bounded by its largest chunk. Every row must be a
/// list of <see cref="Cols"/> non-null values; a null, empty or differently sized row is a
/// RepDiffInputException naming the file and the row.
/// </summary>
internal abstract class TableColumn : IDisposable
{
    private float[]? cached;
    private int cachedChunk = -1;
    private long[] chunkStarts = [0];

    /// <summary>
    /// Every row, once decoded, while the table is held whole (<see cref="HoldsWhole"/>): the streaming routes and the checks
    /// before a load read a table several times over, and decoding every chunk on every pass cost more than the pass.
    /// </summary>
    private float[]? whole;
    private bool[]? decodedIntoWhole;
    private bool? holdsWhole;

    /// <summary>What error messages name: the file and the column.</summary>
    public string Name { get; }
    public string Path { get; }
    public string Column { get; }

    /// <summary>The stored element type (float16, float32, float64; an HDF5 dataset may hold integers too).</summary>
    public NpyDtype Dtype { get; protected set; } = NpyDtype.Float32;
    public int Rows { get; private set; }
    public int Cols { get; protected set; }
    public string[]? Ids { get; protected set; }

    /// <summary>Whether a float64 beyond float32's range is refused as it is read, naming it as stored (`inspect` counts it as Inf instead).</summary>
    internal bool RefuseBeyondFloat32 { get; set; }

    /// <summary>The shape as stored (a table's rows × list length; an HDF5 dataset may be 1-D).</summary>
    public virtual long[] Shape => [Rows, Cols];

    /// <param name="name">What messages name; by default the file and the column.</param>
    protected TableColumn(string path, string column, string? name = null)
    {
        Path = path;
        Column = column;
        Name = name ?? $"{path} (column '{column}')";
    }

    /// <summary>Sets the rows of each chunk; checks the total and each chunk's decoded size against the limits.</summary>
    protected void SetChunks(IReadOnlyList<long> chunkRows)
    {
        var starts = new long[chunkRows.Count + 1];
        for (int i = 0; i < chunkRows.Count; i++)
        {
            if (chunkRows[i] < 0) throw RepDiffInputException.ForFile(Path, $"row group or batch {i} declares {chunkRows[i]} rows: the file is corrupt", CorruptAdvice);
            starts[i + 1] = starts[i] + chunkRows[i];
            if (starts[i + 1] > int.MaxValue)
                throw RepDiffInputException.ForFile(Path, $"declares more than {int.MaxValue:N0} rows, more than can be read; unless the file is that large, it is corrupt", CorruptAdvice);
        }
        chunkStarts = starts;
        Rows = (int)starts[^1];
    }

    /// <summary>Checks that one decoded chunk fits in one array before it is allocated (and what the format declares, where it overrides this).</summary>
    protected virtual void CheckChunkSize(int chunk)
    {
        long values = (chunkStarts[chunk + 1] - chunkStarts[chunk]) * Math.Max(1, Cols);
        if (values > Array.MaxLength)
            throw RepDiffInputException.ForFile(Path, $"row group/batch {chunk} holds {values} values, more than one array can hold; write the file with smaller row groups");
    }

    protected int ChunkCount => chunkStarts.Length - 1;
    protected int ChunkFirstRow(int chunk) => (int)chunkStarts[chunk];
    protected int ChunkRows(int chunk) => (int)(chunkStarts[chunk + 1] - chunkStarts[chunk]);

    /// <summary>
    /// Decodes chunk <paramref name="chunk"/> into rows × Cols floats (row-major), validating every row: a chunk of its own,
    /// or the chunk's rows of the whole table when it is held whole.
    /// </summary>
    protected abstract void Decode(int chunk, Memory<float> destination);

    /// <summary>Copies rows [first, first + count) into destination, decoding the chunks they lie in.</summary>
    public void ReadRows(int first, int count, Span<float> destination)
    {
        int done = 0;
        while (done < count)
        {
            int row = first + done;
            int chunk = ChunkOf(row);
            var values = HoldsWhole ? WholeChunk(chunk) : Chunk(chunk);
            int offset = row - ChunkFirstRow(chunk);
            int n = Math.Min(count - done, ChunkRows(chunk) - offset);
            values.Slice(offset * Cols, n * Cols).CopyTo(destination.Slice(done * Cols, n * Cols));
            done += n;
        }
    }

    /// <summary>
    /// Whether decoded chunks are kept until the whole table is in memory, decided on the first decode: when its float32
    /// values take at most <see cref="MemoryBudget.HeldTableBytes"/>, what a load of it would take anyway. A larger table
    /// keeps one chunk at a time, so it streams in memory bounded by its largest chunk. Nor more than 4 times the file and
    /// a MiB: the chunks' row counts are read from their headers before any is decoded, and a corrupt one (a flipped byte of
    /// a 1.5 KB Arrow file) had the whole table allocated by it (191 MB) before its decode refused it.
    /// </summary>
    protected bool HoldsWhole => holdsWhole ??= (long)Rows * Cols <= Array.MaxLength
        && (long)Rows * Cols * sizeof(float) <= Math.Min(MemoryBudget.HeldTableBytes(), 4 * FileBytes() + (1 << 20));

    private long FileBytes() => File.Exists(Path) ? new FileInfo(Path).Length : 0;

    /// <summary>
    /// Chunk <paramref name="chunk"/>'s rows in <see cref="whole"/>, decoded straight into them the first time they are read:
    /// decoded into a chunk of its own and copied, a table held whole had allocated and written its size twice.
    /// </summary>
    private Span<float> WholeChunk(int chunk)
    {
        var rows = WholeRows(chunk);
        if (!decodedIntoWhole![chunk])
        {
            CheckChunkSize(chunk);
            Decode(chunk, rows);
            decodedIntoWhole[chunk] = true;
        }
        return rows.Span;
    }

    /// <summary>Where chunk <paramref name="chunk"/>'s rows lie in <see cref="whole"/>, allocated at the first chunk.</summary>
    private Memory<float> WholeRows(int chunk)
    {
        whole ??= PageAdvice.NewArray<float>((long)Rows * Cols);
        decodedIntoWhole ??= new bool[ChunkCount];
        return whole.AsMemory(ChunkFirstRow(chunk) * Cols, ChunkRows(chunk) * Cols);
    }

    /// <summary>
    /// The whole table decoded (the chunks read before decoded once), handed over: the table forgets it, so a load holds
    /// the rows once, and any later read decodes a chunk at a time again. Null when the table is not held whole.
    /// </summary>
    public float[]? TakeWhole()
    {
        if (!HoldsWhole || Rows == 0) return null;
        for (int chunk = 0; chunk < ChunkCount; chunk++) WholeChunk(chunk);
        var all = whole;
        (whole, decodedIntoWhole, holdsWhole) = (null, null, false);
        return all;
    }

    private int ChunkOf(int row)
    {
        int index = Array.BinarySearch(chunkStarts, row);
        if (index < 0) index = ~index - 1;
        // Empty chunks share their start with the next one; move to the chunk that holds the row.
        while (index < ChunkCount - 1 && chunkStarts[index + 1] <= row) index++;
        return index;
    }

    private Span<float> Chunk(int chunk)
    {
        if (chunk == cachedChunk) return cached!;
        CheckChunkSize(chunk);
        (cached, cachedChunk) = (null, -1); // let the previous chunk go before the next is allocated
        var values = new float[(long)ChunkRows(chunk) * Cols];
        Decode(chunk, values);
        (cached, cachedChunk) = (values, chunk);
        return values;
    }

    /// <summary>
    /// Decodes a chunk a reader reads whole on opening (for the width) and keeps it for the first read: read again there, a
    /// table of one chunk had been read twice (inspect of a 24.6 MB Parquet table read 50.3 MB). Not where a float64 value
    /// beyond float32 became ±Inf: whether that is refused is set after opening (<see cref="RefuseBeyondFloat32"/>), so such
    /// a chunk is decoded again when read.
    /// </summary>
    /// <param name="float32">Whether the stored values are float32 or narrower, so none can have become ±Inf.</param>
    protected void DecodeOnOpening(int chunk, bool float32, Action<Memory<float>> decode)
    {
        CheckChunkSize(chunk);
        bool held = HoldsWhole;
        float[]? own = held ? null : new float[(long)ChunkRows(chunk) * Cols];
        Memory<float> values = held ? WholeRows(chunk) : own;
        decode(values);
        if (!float32 && RowFile.FirstNonFinite(values.Span) >= 0) return; // decoded again when read, over the same rows if held
        if (held) decodedIntoWhole![chunk] = true;
        else (cached, cachedChunk) = (own, chunk);
    }

    /// <summary>
    /// Checks a length read from a table file before its library allocates by it: it must fit in the
    /// <paramref name="room"/> the file leaves for it (a fake file declaring 2^31 − 1 bytes would be "out of memory").
    /// </summary>
    /// <param name="rewrite">What to do about such a file (the format's advice).</param>
    internal static void CheckDeclaredLength(string path, string what, long declared, long room, long size, string notFormat, string rewrite)
    {
        if (declared >= 0 && declared <= room) return;
        string problem = declared < 0 ? "is negative"
            : declared > size ? $"is larger than the file ({size:N0} bytes)"
            : $"leaves no room for the rest of the file ({size:N0} bytes)";
        throw RepDiffInputException.ForFile(path, $"{what} {declared} {problem}: {notFormat} or truncated", rewrite);
    }

    /// <summary>
    /// Float64 values just converted to float32, rows from <paramref name="firstRow"/> on: a finite value beyond float32's range
    /// became ±Inf, which the file does not hold, so it is refused naming the value as stored (as the CSV and .npy readers do),
    /// not as "Inf".
    /// </summary>
    protected void CheckBeyondFloat32(ReadOnlySpan<double> stored, ReadOnlySpan<float> converted, long firstRow)
    {
        if (!RefuseBeyondFloat32) return;
        for (int k = RowFile.FirstNonFinite(converted); k >= 0 && k < converted.Length; k++)
            if (float.IsInfinity(converted[k]) && double.IsFinite(stored[k]))
                throw RowFile.BeyondFloat32(Name, $"row {firstRow + k / Cols} column {k % Cols}", stored[k].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// What to do about a file of this format whose structure is broken ("; write it again, …"), appended to the error; none
    /// where the reader makes the chunks itself.
    /// </summary>
    protected abstract string? CorruptAdvice { get; }

    /// <summary>The error for a row whose structure is broken (its offsets point outside the values): the file is corrupt.</summary>
    protected RepDiffInputException CorruptRow(long row, string problem) =>
        RepDiffInputException.ForFile(Name, $"row {row} {problem}: the file is corrupt", CorruptAdvice);

    /// <summary>The error for a row that is not a list of Cols values.</summary>
    protected RepDiffInputException BadRow(long row, string problem) =>
        RepDiffInputException.ForFile(Name, $"row {row} {problem}");

    protected RepDiffInputException WrongLength(long row, long length) => length == 0
        ? BadRow(row, "is an empty list; every row needs the same number of values")
        : BadRow(row, $"has {length} values but row 0 has {Cols}; every row needs the same number of values (ragged lists are not embeddings)");

    public virtual void Dispose() { }
}
