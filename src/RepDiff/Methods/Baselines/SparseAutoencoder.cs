using RepDiff.Options;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using RepDiff.Numerics;

namespace RepDiff.Methods.Baselines;

/// <summary>
/// A TopK sparse autoencoder (Gao et al. 2024, "Scaling and evaluating sparse autoencoders"):
/// z = ReLU(TopK_k(W_enc (x − b_pre) + b_enc)), x̂ = W_decᵀ z + b_pre, loss = mean over the batch of ‖x̂ − x‖².
/// Inputs are centered and scaled so that the mean ‖x‖² is 1 (the loss is then the fraction of variance
/// left unexplained). Decoder rows are kept at unit norm after every Adam step; the encoder starts as the
/// decoder (tied initialization). Gradients are written by hand (<see cref="LossAndGradient"/>, checked against finite differences in the tests). Parameters
/// and arithmetic are double; every minibatch gradient is summed in one fixed order, so training
/// is deterministic for a seed whatever the thread count.
/// </summary>
public sealed class SparseAutoencoder
{
    public int Dim { get; }
    public int Latents { get; }
    public int Active { get; }

    /// <summary>All parameters in one vector: encoder (m×d), encoder bias (m), decoder (m×d), pre-bias (d).</summary>
    public double[] Parameters { get; }

    /// <summary>Input normalization: x' = (x − Mean) · Scale.</summary>
    public double[] Mean { get; }
    public double Scale { get; }

    private int EncoderBiasOffset => Latents * Dim;
    private int DecoderOffset => Latents * Dim + Latents;
    private int PreBiasOffset => 2 * Latents * Dim + Latents;

    public SparseAutoencoder(int dim, int latents, int active, double[] mean, double scale, int seed)
    {
        Dim = dim;
        Latents = latents;
        Active = active;
        Mean = mean;
        Scale = scale;
        Parameters = new double[2 * latents * dim + latents + dim];
        var rng = Rng.Create(seed);
        var decoder = Parameters.AsSpan(DecoderOffset, latents * dim);
        for (int j = 0; j < decoder.Length; j++) decoder[j] = Rng.Normal(rng);
        NormalizeDecoder();
        decoder.CopyTo(Parameters.AsSpan(0, latents * dim));
    }

    /// <param name="parallel">Spread each minibatch's gradient over the cores; false when the caller trains several
    /// autoencoders at once (a minibatch's work is too small for two levels of threads). The result is the same.</param>
    public static SparseAutoencoder Train(Matrix x, SparseAutoencoderOptions options, int seed,
        IProgress<ProgressUpdate>? progress = null, string stage = "sparse autoencoder", bool parallel = true)
    {
        options.Validate();
        int n = x.Rows, d = x.Cols;
        var mean = KMeans.ColumnMeans(x).Select(v => (double)v).ToArray();
        double meanSquaredNorm = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) meanSquaredNorm += (x[i, j] - mean[j]) * (x[i, j] - mean[j]);
        meanSquaredNorm /= n;
        double scale = meanSquaredNorm > 0 ? 1 / Math.Sqrt(meanSquaredNorm) : 1;
        var sae = new SparseAutoencoder(d, options.Latents, options.Active, mean, scale, seed);

        int batchSize = options.ResolvedBatchSize(n), epochs = options.ResolvedEpochs(n);
        var adam = new Adam(sae.Parameters.Length, options.LearningRate);
        var gradient = new double[sae.Parameters.Length];
        var order = Enumerable.Range(0, n).ToArray();
        var rng = Rng.Create(seed + 1);
        var batch = new double[batchSize * d];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int i = n - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            for (int first = 0; first < n; first += batchSize)
            {
                int count = Math.Min(batchSize, n - first);
                for (int b = 0; b < count; b++) sae.Normalize(x.Row(order[first + b]), batch.AsSpan(b * d, d));
                sae.LossAndGradient(batch, count, gradient, parallel);
                adam.Step(sae.Parameters, gradient);
                sae.NormalizeDecoder();
            }
            progress.Report(stage, (epoch + 1.0) / epochs);
        }
        if (!double.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum<double>(sae.Parameters)))
            throw new RepDiffInputException($"{stage}: training diverged (non-finite weights) with --learning-rate {options.LearningRate:G3}; use a smaller --learning-rate (default 1e-3)");
        return sae;
    }

    /// <summary>x' = (x − mean) · scale, the space the autoencoder works in.</summary>
    public void Normalize(ReadOnlySpan<float> x, Span<double> destination)
    {
        // The same two roundings per element as (x_j − mean_j) · scale (widening to double is exact), four at a time:
        // TensorPrimitives' float-to-double conversion is not vectorized and took a tenth of the training.
        x = x[..Dim];
        destination = destination[..Dim];
        ReadOnlySpan<double> mean = Mean;
        var scale = Vector256.Create(Scale);
        int j = 0;
        for (; j + 8 <= Dim; j += 8)
        {
            var (low, high) = Vector256.Widen(Vector256.Create(x.Slice(j, 8)));
            ((low - Vector256.Create(mean.Slice(j, 4))) * scale).CopyTo(destination.Slice(j, 4));
            ((high - Vector256.Create(mean.Slice(j + 4, 4))) * scale).CopyTo(destination.Slice(j + 4, 4));
        }
        for (; j < Dim; j++) destination[j] = (x[j] - mean[j]) * Scale;
    }

    /// <summary>The activations z (n×m) of every row of x; at most <see cref="Active"/> nonzero per row.</summary>
    public Matrix Encode(Matrix x)
    {
        var result = new Matrix(x.Rows, Latents);
        ForEachRow(x, (i, pre, active, count, _, _) =>
        {
            var row = result.Row(i);
            for (int a = 0; a < count; a++) row[active[a]] = (float)pre[active[a]];
        });
        return result;
    }

    /// <summary>Mean ‖x̂ − x‖² over the rows of x in the normalized space: the fraction of variance left unexplained.</summary>
    public double MeanSquaredError(Matrix x)
    {
        var errors = new double[x.Rows];
        ForEachRow(x, (i, pre, active, count, input, residual) => errors[i] = Residual(input, pre, active[..count], residual));
        return errors.Average();
    }

    /// <param name="scratch">Dim doubles of the calling thread's own, free to overwrite.</param>
    private delegate void RowAction(int row, ReadOnlySpan<double> pre, ReadOnlySpan<int> active, int count, ReadOnlySpan<double> input, Span<double> scratch);

    /// <summary>The forward pass of every row of x, in blocks of <see cref="BlockProduct.TileRows"/> rows spread over the cores.</summary>
    private void ForEachRow(Matrix x, RowAction action)
    {
        var encoder = PackedEncoder();
        int rowsPerTile = BlockProduct.TileRows, tiles = (x.Rows + rowsPerTile - 1) / rowsPerTile;
        Parallel.For(0, tiles, () => (new double[rowsPerTile * Dim], new double[rowsPerTile * encoder.Width], new int[Active], new double[Dim]), (tile, _, buffers) =>
        {
            var (inputs, pre, active, scratch) = buffers;
            int first = tile * rowsPerTile, rows = Math.Min(rowsPerTile, x.Rows - first);
            for (int t = 0; t < rows; t++) Normalize(x.Row(first + t), inputs.AsSpan(t * Dim, Dim));
            PreActivations(inputs, 0, rows, encoder, pre);
            for (int t = 0; t < rows; t++)
            {
                var rowPre = pre.AsSpan(t * encoder.Width, Latents);
                int count = SelectActive(rowPre, active);
                action(first + t, rowPre, active, count, inputs.AsSpan(t * Dim, Dim), scratch);
            }
            return buffers;
        }, _ => { });
    }

    /// <summary>What every forward pass with the current parameters shares: W_encᵀ packed for <see cref="BlockProduct"/> (d × Width, zero-padded) and W_enc b_pre.</summary>
    private sealed record EncoderPack(double[] Transposed, int Width, double[] EncodedPreBias);

    // Refilled at every step, never reallocated: at d = 768 a fresh one per step was 200 KB of large-object heap
    // each time, 1.2 GB of garbage per training that only a full collection returns.
    private EncoderPack? encoderPack;

    private EncoderPack PackedEncoder()
    {
        int width = BlockProduct.PackedWidth(Latents);
        var pack = encoderPack ??= new EncoderPack(new double[Dim * width], width, new double[Latents]);
        var preBias = Parameters.AsSpan(PreBiasOffset, Dim);
        for (int j = 0; j < Latents; j++)
        {
            var row = Parameters.AsSpan(j * Dim, Dim);
            for (int t = 0; t < Dim; t++) pack.Transposed[t * width + j] = row[t];
            pack.EncodedPreBias[j] = TensorPrimitives.Dot<double>(row, preBias);
        }
        return pack;
    }

    /// <summary>
    /// Pre-activations W_enc (x − b_pre) + b_enc of rows [first, first + rows) of the row-major normalized inputs,
    /// into the same rows of pre (Width values per row). W_enc (x − b_pre) = W_enc x − W_enc b_pre, without a
    /// temporary; W_enc x runs as register tiles (most of training is here: row by row, it was bound by reading W_enc).
    /// </summary>
    private void PreActivations(double[] inputs, int first, int rows, EncoderPack encoder, double[] pre)
    {
        for (int g = first; g < first + rows; g += BlockProduct.TileRows)
            BlockProduct.Rows(inputs, Dim, g, Math.Min(BlockProduct.TileRows, first + rows - g), 0, Dim, encoder.Transposed, pre, encoder.Width);
        var bias = Parameters.AsSpan(EncoderBiasOffset, Latents);
        for (int i = first; i < first + rows; i++)
        {
            var row = pre.AsSpan(i * encoder.Width, Latents);
            TensorPrimitives.Subtract(row, encoder.EncodedPreBias, row);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>
    /// The indices of the active latents (the k largest pre-activations, ties to the lower index, those ≤ 0
    /// dropped by the ReLU) into active, largest first; returns how many are active.
    /// </summary>
    private int SelectActive(ReadOnlySpan<double> pre, Span<int> active)
    {
        int count = 0;
        for (int j = 0; j < Latents; j++)
        {
            if (pre[j] <= 0) continue;
            if (count == Active && pre[j] <= pre[active[count - 1]]) continue;
            int pos = count == Active ? count - 1 : count++;
            while (pos > 0 && pre[active[pos - 1]] < pre[j]) { active[pos] = active[pos - 1]; pos--; }
            active[pos] = j;
        }
        return count;
    }

    /// <summary>residual = x̂ − x for one normalized row given its pre-activations and active latents; returns ‖residual‖².</summary>
    private double Residual(ReadOnlySpan<double> x, ReadOnlySpan<double> pre, ReadOnlySpan<int> active, Span<double> residual)
    {
        TensorPrimitives.Subtract(Parameters.AsSpan(PreBiasOffset, Dim), x, residual);
        foreach (int j in active)
            TensorPrimitives.MultiplyAdd(Parameters.AsSpan(DecoderOffset + j * Dim, Dim), pre[j], residual, residual);
        return TensorPrimitives.Dot<double>(residual, residual);
    }

    private const int RowBlocks = 8;
    // Pass 1's results, one slot per batch row (and per active latent of a row), reused from step to step.
    private double[] rowPre = [], rowGradient = [], rowCentered = [], rowLoss = [], activePre = [], activeGate = [];
    private int[] activeLatent = [], activeCount = [], entriesOfLatent = [], latentStart = [];

    /// <summary>
    /// The loss (1/B) Σ_i ‖x̂_i − x_i‖² of a batch of normalized rows (B×d, row-major) and its gradient with
    /// respect to <see cref="Parameters"/> (overwritten). With r = x̂ − x and g = 2r/B:
    /// ∂/∂D_j = Σ_i z_ij g_i; ∂/∂b_pre = Σ_i g_i − Σ_j (Σ_i g_ij) W_enc,j; for j active in row i, g_ij = D_j·g_i,
    /// ∂/∂W_enc,j = Σ_i g_ij (x_i − b_pre), ∂/∂b_enc,j = Σ_i g_ij. Inactive latents get no gradient (TopK and ReLU).
    /// </summary>
    /// <remarks>
    /// Two passes, each writing only its own slots, so the sums run in one fixed order whatever the threads: per row
    /// (forward pass, g_i, x_i − b_pre, g_ij), then per latent (its sums over the rows it was active in, in row order).
    /// Only k of the m latents are active in a row, so the second pass reads each row k times and writes each
    /// parameter once; per-thread copies of the whole gradient, cleared and added up at every step, had cost a third
    /// of the training.
    /// </remarks>
    public double LossAndGradient(double[] batch, int count, double[] gradient, bool parallel = true)
    {
        if (rowLoss.Length < count)
        {
            (rowGradient, rowCentered, rowLoss) = (new double[count * Dim], new double[count * Dim], new double[count]);
            (activePre, activeGate, activeLatent, entriesOfLatent) = (new double[count * Active], new double[count * Active], new int[count * Active], new int[count * Active]);
            (activeCount, latentStart) = (new int[count], new int[Latents + 1]);
        }
        double factor = 2.0 / count;
        var encoder = PackedEncoder();
        if (rowPre.Length < count * encoder.Width) rowPre = new double[count * encoder.Width];
        void Rows(int block)
        {
            var active = new int[Active];
            var preBias = Parameters.AsSpan(PreBiasOffset, Dim);
            int first = count * block / RowBlocks, last = count * (block + 1) / RowBlocks;
            PreActivations(batch, first, last - first, encoder, rowPre);
            for (int i = first; i < last; i++)
            {
                var x = batch.AsSpan(i * Dim, Dim);
                var g = rowGradient.AsSpan(i * Dim, Dim);
                var pre = rowPre.AsSpan(i * encoder.Width, Latents);
                int k = SelectActive(pre, active);
                rowLoss[i] = Residual(x, pre, active[..k], g);
                TensorPrimitives.Multiply(g, factor, g);    // now g = ∂loss/∂x̂
                TensorPrimitives.Subtract(x, preBias, rowCentered.AsSpan(i * Dim, Dim));
                activeCount[i] = k;
                for (int a = 0; a < k; a++)
                {
                    int j = active[a], slot = i * Active + a;
                    activeLatent[slot] = j;
                    activePre[slot] = pre[j];
                    activeGate[slot] = TensorPrimitives.Dot<double>(Parameters.AsSpan(DecoderOffset + j * Dim, Dim), g);
                }
            }
        }
        if (parallel) Parallel.For(0, RowBlocks, Rows);
        else for (int block = 0; block < RowBlocks; block++) Rows(block);

        // Each latent's active slots in row order (a counting sort).
        Array.Clear(latentStart);
        for (int i = 0; i < count; i++)
            for (int a = 0; a < activeCount[i]; a++) latentStart[activeLatent[i * Active + a] + 1]++;
        for (int j = 0; j < Latents; j++) latentStart[j + 1] += latentStart[j];
        var next = latentStart[..Latents];  // a copy: each latent's next free entry
        for (int i = 0; i < count; i++)
            for (int a = 0; a < activeCount[i]; a++) entriesOfLatent[next[activeLatent[i * Active + a]]++] = i * Active + a;

        void Latent(int j)
        {
            var gEncoder = gradient.AsSpan(j * Dim, Dim);
            var gDecoder = gradient.AsSpan(DecoderOffset + j * Dim, Dim);
            gEncoder.Clear();
            gDecoder.Clear();
            double gBias = 0;
            for (int e = latentStart[j]; e < latentStart[j + 1]; e++)
            {
                int slot = entriesOfLatent[e], i = slot / Active;
                TensorPrimitives.MultiplyAdd(rowGradient.AsSpan(i * Dim, Dim), activePre[slot], gDecoder, gDecoder);
                TensorPrimitives.MultiplyAdd(rowCentered.AsSpan(i * Dim, Dim), activeGate[slot], gEncoder, gEncoder);
                gBias += activeGate[slot];
            }
            gradient[EncoderBiasOffset + j] = gBias;
        }
        if (parallel) Parallel.For(0, Latents, Latent);
        else for (int j = 0; j < Latents; j++) Latent(j);

        var gPreBias = gradient.AsSpan(PreBiasOffset, Dim);
        gPreBias.Clear();
        for (int i = 0; i < count; i++) TensorPrimitives.Add(gPreBias, rowGradient.AsSpan(i * Dim, Dim), gPreBias);
        for (int j = 0; j < Latents; j++)
            TensorPrimitives.MultiplyAdd(Parameters.AsSpan(j * Dim, Dim), -gradient[EncoderBiasOffset + j], gPreBias, gPreBias);
        return TensorPrimitives.Sum<double>(rowLoss.AsSpan(0, count)) / count;
    }

    /// <summary>Rescales every decoder row to unit norm (zero rows stay zero).</summary>
    public void NormalizeDecoder()
    {
        for (int j = 0; j < Latents; j++)
        {
            var row = Parameters.AsSpan(DecoderOffset + j * Dim, Dim);
            double norm = TensorPrimitives.Norm<double>(row);
            if (norm > 0) TensorPrimitives.Divide(row, norm, row);
        }
    }

    /// <summary>Adam (Kingma &amp; Ba 2015) with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and bias correction.</summary>
    private sealed class Adam(int size, double learningRate)
    {
        private readonly double[] m = new double[size], v = new double[size];
        private int t;

        public void Step(double[] parameters, double[] gradient)
        {
            t++;
            double c1 = 1 - Math.Pow(0.9, t), c2 = 1 - Math.Pow(0.999, t);
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                // The scalar loop's operations in its order, four at a time (no fused multiply-adds: the same bits).
                var (b1, b1c, b2, b2c, rate) = (Vector256.Create(0.9), Vector256.Create(0.1), Vector256.Create(0.999), Vector256.Create(0.001), Vector256.Create(learningRate));
                var (s1, s2, eps) = (Vector256.Create(c1), Vector256.Create(c2), Vector256.Create(1e-8));
                for (; j <= size - 4; j += 4)
                {
                    var g = Vector256.Create(gradient.AsSpan(j, 4));
                    var mj = b1 * Vector256.Create(m.AsSpan(j, 4)) + b1c * g;
                    var vj = b2 * Vector256.Create(v.AsSpan(j, 4)) + b2c * g * g;
                    mj.CopyTo(m.AsSpan(j, 4));
                    vj.CopyTo(v.AsSpan(j, 4));
                    (Vector256.Create(parameters.AsSpan(j, 4)) - rate * (mj / s1) / (Vector256.Sqrt(vj / s2) + eps)).CopyTo(parameters.AsSpan(j, 4));
                }
            }
            for (; j < size; j++)
            {
                m[j] = 0.9 * m[j] + 0.1 * gradient[j];
                v[j] = 0.999 * v[j] + 0.001 * gradient[j] * gradient[j];
                parameters[j] -= learningRate * (m[j] / c1) / (Math.Sqrt(v[j] / c2) + 1e-8);
            }
        }
    }
}
