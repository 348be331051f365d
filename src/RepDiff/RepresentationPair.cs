namespace RepDiff;

/// <summary>
/// Two representations of the same n samples: row i of A and row i of B are the same sample.
/// Side information (ids, labels, images, texts) describes the samples, not either model.
/// </summary>
public sealed class RepresentationPair : IDisposable
{
    private Matrix? a, b;
    private readonly IRowSource openedA, openedB;

    /// <summary>
    /// A's rows: a matrix in memory, or a memory-mapped file or table that streaming routes read in batches; once
    /// <see cref="A"/> has read them whole, that matrix: pca of two Arrow tables of 4 batches had scored its concepts (BSR,
    /// its chance level, mutual k-NN) by reading each table 5 times more after holding it in memory (a table too large to
    /// keep decoded, <see cref="IO.TableColumn"/>, is decoded again on every pass).
    /// </summary>
    public IRowSource RowsA => a ?? openedA;
    public IRowSource RowsB => b ?? openedB;

    /// <summary>
    /// A's rows in memory (read from <see cref="RowsA"/> on first use, by one thread: the report's maps and the scoring beside
    /// them may ask at once, <see cref="Reporting.SampleMaps.Beside"/>).
    /// </summary>
    public Matrix A => LazyInitializer.EnsureInitialized(ref a, ref loadingA, () => Load(openedA));
    public Matrix B => LazyInitializer.EnsureInitialized(ref b, ref loadingB, () => Load(openedB));

    private object? loadingA, loadingB;

    /// <summary>A file's rows as the matrix that replaces it (a table held decoded is handed over, not copied).</summary>
    private static Matrix Load(IRowSource opened) => opened is IO.RowFile file ? file.Load() : opened.ReadAll();

    public SampleInfo Samples { get; }

    /// <summary>Pair-level quantities shared by the steps of a run (largest distances).</summary>
    public PairStatistics Statistics { get; }

    /// <summary>What full runs keep for their stability reruns on subsets of this pair (empty on a pair of selected rows).</summary>
    public Trust.RerunInputs RerunInputs { get; } = new();

    /// <summary>Display names of the two inputs (usually their file names).</summary>
    public string NameA { get; init; } = "A";
    public string NameB { get; init; } = "B";

    public int N => RowsA.Rows;

    /// <summary>
    /// For a pair made by <see cref="SelectRows"/>: which rows of the pair that was opened (<see cref="SourceCount"/>
    /// rows) these rows are; null for the opened pair itself. A method that reads a per-sample file of its own
    /// (RDX's --guide-labels) reads these lines of it.
    /// </summary>
    public int[]? SourceRows { get; private init; }

    /// <summary>
    /// Whether this pair is a selection of rows made by <see cref="SelectRows"/>, i.e. the input of a rerun (stability,
    /// held-out validation) of which only the concepts are read: a method may leave out metrics that only the full
    /// run's report shows (the baselines' silhouettes were most of each of their reruns).
    /// </summary>
    public bool IsRerun => SourceRows is not null;

    /// <summary>Rows of the pair that was opened (<see cref="N"/> unless this pair is a selection of its rows).</summary>
    public int SourceCount => sourceCount ?? N;

    private int? sourceCount;

    /// <summary>
    /// These representations restricted to some rows, as a fresh input for reruns on them (stability, held-out
    /// validation): the same names, the labels of those rows (what methods may read: RDX's guide labels, stratified
    /// subsamples), what --common-samples left out of the opened pair, and <see cref="SourceRows"/> composed through any
    /// earlier selection.
    /// </summary>
    public RepresentationPair SelectRows(int[] rows)
    {
        var samples = new SampleInfo
        {
            Labels = Samples.Labels is { } labels ? new SampleLabels(rows.Select(i => labels[i]).ToArray()) : null,
            // The opened pair's rows of A's file, through which a per-sample file of A's rows is read (with SourceRows).
            LeftOut = Samples.LeftOut,
        };
        return new RepresentationPair(RowsA.SelectRows(rows), RowsB.SelectRows(rows), samples)
        {
            NameA = NameA,
            NameB = NameB,
            SourceRows = SourceRows is { } source ? rows.Select(i => source[i]).ToArray() : rows,
            sourceCount = SourceCount,
        };
    }

    /// <summary>The lines of a per-sample file (one entry per row of the opened pair) that belong to this pair's rows.</summary>
    public T[] OwnRows<T>(T[] perSourceRow) => SourceRows is { } source ? source.Select(i => perSourceRow[i]).ToArray() : perSourceRow;

    /// <summary>Whether both representations are already in memory (nothing is read by <see cref="A"/> and <see cref="B"/>).</summary>
    public bool InMemory => (a ?? RowsA as Matrix) is not null && (b ?? RowsB as Matrix) is not null;

    /// <summary>Whether <see cref="A"/> or <see cref="B"/> has been read whole from its source (for a streamed input, a copy of all its rows).</summary>
    internal bool ReadWhole => a is not null || b is not null;

    public RepresentationPair(IRowSource a, IRowSource b, SampleInfo? samples = null)
    {
        if (a.Rows != b.Rows)
            throw new RepDiffInputException($"A has {a.Rows} rows but B has {b.Rows}; both must describe the same samples");
        if (a.Rows == 0)
            throw new RepDiffInputException("the representations have zero rows");
        openedA = a;
        openedB = b;
        Samples = samples ?? new SampleInfo();
        Samples.CheckCount(a.Rows);
        Statistics = new PairStatistics(this);
    }

    /// <summary>Closes memory-mapped inputs.</summary>
    public void Dispose()
    {
        (openedA as IDisposable)?.Dispose();
        (openedB as IDisposable)?.Dispose();
    }
}
