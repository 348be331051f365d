using RepDiff.Numerics;

namespace RepDiff.Spectral;

/// <summary>
/// Reads row batches from sources that describe the same rows and maps them side by side:
/// batch row i is [φ_1(x_i) | φ_2(y_i) | ...]. Batches set how the covariance is summed; wide features are mapped a piece of a
/// batch at a time (<see cref="PieceRows"/>), so memory is O(min(batch, piece) × total feature dimension).
/// </summary>
internal sealed class FeatureBatches
{
    private readonly IRowSource[] sources;
    private readonly IFeatureMap[] maps;
    private readonly int batchRows, pieceRows;
    // The features and raw rows of a piece, by its row count (whole pieces, and the shorter last ones of a batch), kept for
    // every pass (the covariance's and the members'): whole batches of 4,096 rows of 4,000 features had been 110 MB, whose
    // fresh pages cost 0.1-0.3 s a pass on a guest where first touches are dear. So passes run one at a time.
    private readonly Dictionary<int, (Matrix Features, Matrix[] Raw)> buffers = [];

    public FeatureBatches(IRowSource[] sources, IFeatureMap[] maps, int batchRows)
    {
        this.sources = sources;
        this.maps = maps;
        this.batchRows = Math.Max(1, batchRows);
        Dim = maps.Sum(m => m.Dim);
        Rows = sources[0].Rows;
        pieceRows = PieceRows(this.batchRows, Dim);
    }

    public int Rows { get; }
    public int Dim { get; }

    /// <summary>The feature maps, in the order of their blocks of columns.</summary>
    public IReadOnlyList<IFeatureMap> Maps => maps;

    /// <summary>The feature dimension of one map (its block of columns in a batch).</summary>
    public int MapDim(int map) => maps[map].Dim;

    /// <summary>Features mapped at once (16 MB), where the covariance's sums allow a batch to be mapped in pieces.</summary>
    internal const int PieceFloats = 1 << 22;

    /// <summary>
    /// Rows mapped at once: the whole batch, or when its features pass <see cref="PieceFloats"/>, a whole number of the rows
    /// the covariance sums as one group (<see cref="CovarianceAccumulator.RowsSummedWhole"/>), so adding a batch piece by
    /// piece gives the same sums. At 4,096 rows of 4,000 features that is 16 MB for pieces of 1,024 rows, where whole
    /// batches had held 65 MB and a shorter last batch 29 MB more.
    /// </summary>
    internal static int PieceRows(int batchRows, int dim)
    {
        int whole = CovarianceAccumulator.RowsSummedWhole(dim);
        if ((long)batchRows * dim <= PieceFloats || whole == 0 || whole >= batchRows) return batchRows;
        return Math.Min(batchRows, Math.Max(1, PieceFloats / dim / whole) * whole);
    }

    /// <summary>
    /// Calls body(features, firstRow) for each batch in order, a piece of it at a time (<see cref="PieceRows"/>); features is
    /// reused between calls and passes.
    /// </summary>
    public void ForEach(Action<Matrix, int> body, IProgress<ProgressUpdate>? progress, string stage)
    {
        for (int batch = 0; batch < Rows; batch += batchRows)
        {
            int end = Math.Min(Rows, batch + batchRows);
            for (int first = batch; first < end; first += pieceRows)
            {
                int count = Math.Min(pieceRows, end - first);
                if (!buffers.TryGetValue(count, out var piece))
                    buffers[count] = piece = (new Matrix(count, Dim), sources.Select(source => new Matrix(count, source.Cols)).ToArray());
                // Each map writes its own columns of the piece directly: [φ_1(x_i) | φ_2(y_i) | ...].
                for (int s = 0, column = 0; s < maps.Length; column += maps[s].Dim, s++)
                {
                    sources[s].ReadRows(first, count, piece.Raw[s].Data);
                    maps[s].Map(piece.Raw[s], piece.Features, column, first);
                }
                body(piece.Features, first);
            }
            progress.Report(stage, (double)end / Rows);
        }
    }

    /// <summary>G = ΦᵀΦ / n (D × D, row-major, float64 sums) in one pass over the rows: the feature routes' covariance.</summary>
    /// <param name="inDouble">Every product in double too, rather than float GEMMs of 1,024+ rows summed in double. The
    /// eigenvalues of S·G move by √(δ‖G‖) for an error δ in G when the blocks nearly coincide (a set against its
    /// near-copy: S·G nearly nilpotent), so the float sums' 1e-7 became SPEC-diffs of 1.5e-4 (helper 101). It costs
    /// 2-3× the float GEMM: taken for the cosine features, whose route is exact, not for random Fourier features,
    /// whose approximation error (1e-2) is far above it.</param>
    public double[] MeanGram(IProgress<ProgressUpdate>? progress, bool inDouble = false)
    {
        var covariance = new CovarianceAccumulator(Dim, inDouble);
        ForEach((features, _) => covariance.Add(features), progress, "feature covariance");
        var gram = covariance.Sum;
        System.Numerics.Tensors.TensorPrimitives.Divide(gram, (double)Rows, gram);
        return gram;
    }

    /// <summary>All rows' features in one matrix (for the n ≤ D routes, where n × D is small).</summary>
    public Matrix[] MapAll()
    {
        var result = new Matrix[maps.Length];
        for (int s = 0; s < maps.Length; s++)
        {
            var raw = sources[s].ReadAll();
            result[s] = new Matrix(Rows, maps[s].Dim);
            maps[s].Map(raw, result[s], 0, 0);
        }
        return result;
    }
}
