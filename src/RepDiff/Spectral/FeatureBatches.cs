using RepDiff.Numerics;

namespace RepDiff.Spectral;

/// <summary>
/// Reads row batches from sources that describe the same rows and maps them side by side:
/// batch row i is [φ_1(x_i) | φ_2(y_i) | ...]. Memory is O(batch × total feature dimension).
/// </summary>
internal sealed class FeatureBatches
{
    private readonly IRowSource[] sources;
    private readonly IFeatureMap[] maps;
    private readonly int batchRows;
    // The batches' features and raw rows, [0] for whole batches and [1] for the shorter last one, kept for every pass
    // (the covariance's and the members'): at 4,096 rows of 4,000 features they are 110 MB, whose fresh pages cost
    // 0.1-0.3 s a pass on a guest where first touches are dear. So passes run one at a time.
    private readonly Matrix?[] featureBuffers = new Matrix?[2];
    private readonly Matrix?[][] rawBuffers;

    public FeatureBatches(IRowSource[] sources, IFeatureMap[] maps, int batchRows)
    {
        this.sources = sources;
        this.maps = maps;
        this.batchRows = Math.Max(1, batchRows);
        Dim = maps.Sum(m => m.Dim);
        Rows = sources[0].Rows;
        rawBuffers = [new Matrix?[maps.Length], new Matrix?[maps.Length]];
    }

    public int Rows { get; }
    public int Dim { get; }

    /// <summary>The feature maps, in the order of their blocks of columns.</summary>
    public IReadOnlyList<IFeatureMap> Maps => maps;

    /// <summary>The feature dimension of one map (its block of columns in a batch).</summary>
    public int MapDim(int map) => maps[map].Dim;

    /// <summary>Calls body(features, firstRow) for each batch in order; features is reused between calls and passes.</summary>
    public void ForEach(Action<Matrix, int> body, IProgress<ProgressUpdate>? progress, string stage)
    {
        for (int first = 0; first < Rows; first += batchRows)
        {
            int count = Math.Min(batchRows, Rows - first), kind = count == batchRows ? 0 : 1;
            var features = featureBuffers[kind] ??= new Matrix(count, Dim);
            // Each map writes its own columns of the batch directly: [φ_1(x_i) | φ_2(y_i) | ...].
            for (int s = 0, column = 0; s < maps.Length; column += maps[s].Dim, s++)
            {
                var raw = rawBuffers[kind][s] ??= new Matrix(count, sources[s].Cols);
                sources[s].ReadRows(first, count, raw.Data);
                maps[s].Map(raw, features, column, first);
            }
            body(features, first);
            progress.Report(stage, (double)(first + count) / Rows);
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
