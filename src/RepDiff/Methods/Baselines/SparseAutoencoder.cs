using RepDiff.Options;
using System.Numerics.Tensors;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
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
        // The same two roundings per element as (x_j − mean_j) · scale (widening to double is exact), in vectors of 16
        // floats (AVX-512) or 8: TensorPrimitives' float-to-double conversion is not vectorized and took a tenth of the training.
        x = x[..Dim];
        destination = destination[..Dim];
        ReadOnlySpan<double> mean = Mean.AsSpan(0, Dim);   // checked here: the vector loads below are not
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var wideScale = Vector512.Create(Scale);
            for (; j + 16 <= Dim; j += 16)
            {
                var (low, high) = Vector512.Widen(Vector512.Create(x.Slice(j, 16)));
                Store8((low - Load8(mean, j)) * wideScale, destination, j);
                Store8((high - Load8(mean, j + 8)) * wideScale, destination, j + 8);
            }
        }
        var scale = Vector256.Create(Scale);
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
        ReadOnlySpan<double> encoder = Parameters.AsSpan(0, Latents * Dim), preBias = Parameters.AsSpan(PreBiasOffset, Dim);
        Span<double> transposed = pack.Transposed;
        // A tile's worth of latents at a time, coordinate by coordinate: each coordinate's entries fill one cache line of
        // the pack while the tile's rows are read in order. Latent by latent, every store had gone to a line of its own
        // (width doubles apart), and the copy was a fourteenth of the training.
        for (int first = 0; first < Latents; first += BlockProduct.TileCols)
        {
            int last = Math.Min(first + BlockProduct.TileCols, Latents);
            for (int t = 0; t < Dim; t++)
            {
                var packedRow = transposed.Slice(t * width, last);
                for (int j = first; j < last; j++) packedRow[j] = encoder[j * Dim + t];
            }
        }
        for (int j = 0; j < Latents; j++) pack.EncodedPreBias[j] = TensorPrimitives.Dot<double>(encoder.Slice(j * Dim, Dim), preBias);
        return pack;
    }

    /// <summary>
    /// Pre-activations W_enc (x − b_pre) + b_enc of rows [first, first + rows) of the row-major normalized inputs,
    /// into the same rows of pre (Width values per row), for the latents in [firstColumn, lastColumn) of the packed
    /// width (all of them by default). W_enc (x − b_pre) = W_enc x − W_enc b_pre, without a temporary; W_enc x runs as
    /// register tiles (most of training is here: row by row, it was bound by reading W_enc).
    /// </summary>
    private void PreActivations(double[] inputs, int first, int rows, EncoderPack encoder, double[] pre, int firstColumn = 0, int lastColumn = -1)
    {
        if (lastColumn < 0) lastColumn = encoder.Width;
        for (int g = first; g < first + rows; g += BlockProduct.TileRows)
            BlockProduct.Rows(inputs, Dim, g, Math.Min(BlockProduct.TileRows, first + rows - g), 0, Dim, encoder.Transposed, pre, encoder.Width, firstColumn, lastColumn);
        ReadOnlySpan<double> bias = Parameters.AsSpan(EncoderBiasOffset, Latents), encodedPreBias = encoder.EncodedPreBias;
        int end = Math.Min(lastColumn, Latents);
        for (int i = first; i < first + rows; i++)
        {
            // (W_enc x − W_enc b_pre) + b_enc, both roundings per entry, in one pass.
            var row = pre.AsSpan(i * encoder.Width, Latents);
            int j = firstColumn;
            for (; j + 8 <= end; j += 8)
                Store8(Load8(row, j) - Load8(encodedPreBias, j) + Load8(bias, j), row, j);
            for (; j < end; j++) row[j] = row[j] - encodedPreBias[j] + bias[j];
        }
    }

    /// <summary>
    /// Latents per chunk of a minibatch's pre-activations: the chunk's d × columns of the packed encoder (about 128 KB)
    /// stay in cache while every row of the batch passes. Row tile by row tile over all latents had read the whole
    /// encoder from memory once per eight rows: at 10,000 latents on 384 dimensions (30 MB) a step took 24 times as
    /// long as at 1,000, and at 100,000 on 12 dimensions 1.4 times ten.
    /// </summary>
    private int EncoderChunk => Math.Max(1, 16_384 / Dim / BlockProduct.TileCols) * BlockProduct.TileCols;

    /// <summary>
    /// The indices of the active latents (the k largest pre-activations, ties to the lower index, those ≤ 0
    /// dropped by the ReLU) into active, largest first; returns how many are active.
    /// </summary>
    /// <remarks>
    /// Eight latents at a time, only those a comparison with the current cut-off (0, or the smallest kept value once
    /// k are kept) does not rule out go through the scalar test: the cut-off only rises, so the result is the scalar
    /// loop's (NaN passes both, as it did). Most latents are ruled out, and their unpredictable branches were a
    /// twelfth of the training.
    /// </remarks>
    private int SelectActive(ReadOnlySpan<double> pre, Span<int> active)
    {
        int count = 0, j = 0;
        for (; j + 8 <= Latents; j += 8)
        {
            double cutOff = count == Active ? pre[active[count - 1]] : 0;
            var values = Load8(pre, j);
            ulong candidates = ~(Vector512.LessThanOrEqual(values, Vector512<double>.Zero) | Vector512.LessThanOrEqual(values, Vector512.Create(cutOff))).ExtractMostSignificantBits() & 0xFF;
            for (; candidates != 0; candidates &= candidates - 1) Consider(j + BitOperations.TrailingZeroCount(candidates), pre, active, ref count);
        }
        for (; j < Latents; j++) Consider(j, pre, active, ref count);
        return count;
    }

    private void Consider(int j, ReadOnlySpan<double> pre, Span<int> active, ref int count)
    {
        if (pre[j] <= 0) return;
        if (count == Active && pre[j] <= pre[active[count - 1]]) return;
        int pos = count == Active ? count - 1 : count++;
        while (pos > 0 && pre[active[pos - 1]] < pre[j]) { active[pos] = active[pos - 1]; pos--; }
        active[pos] = j;
    }

    /// <summary>residual = x̂ − x for one normalized row given its pre-activations and active latents; returns ‖residual‖².</summary>
    /// <remarks>
    /// One pass over the row, not one per active latent: each entry is b_pre − x, then (D_j · z_j) + r for each
    /// active j in order (a multiply and an add, not fused), the roundings of TensorPrimitives.Subtract and MultiplyAdd.
    /// </remarks>
    private double Residual(ReadOnlySpan<double> x, ReadOnlySpan<double> pre, ReadOnlySpan<int> active, Span<double> residual)
    {
        ReadOnlySpan<double> preBias = Parameters.AsSpan(PreBiasOffset, Dim), decoder = Parameters.AsSpan(DecoderOffset, Latents * Dim);
        int t = 0, dim = Dim;
        for (; t + 16 <= dim; t += 16)   // two vectors at a time: two independent chains of adds
        {
            var r0 = Load8(preBias, t) - Load8(x, t);
            var r1 = Load8(preBias, t + 8) - Load8(x, t + 8);
            foreach (int j in active)
            {
                double z = pre[j];
                r0 = Load8(decoder, j * dim + t) * z + r0;
                r1 = Load8(decoder, j * dim + t + 8) * z + r1;
            }
            Store8(r0, residual, t);
            Store8(r1, residual, t + 8);
        }
        for (; t + 8 <= dim; t += 8)
        {
            var r = Load8(preBias, t) - Load8(x, t);
            foreach (int j in active) r = Load8(decoder, j * dim + t) * pre[j] + r;
            Store8(r, residual, t);
        }
        for (; t < dim; t++)
        {
            double r = preBias[t] - x[t];
            foreach (int j in active) r = decoder[j * dim + t] * pre[j] + r;
            residual[t] = r;
        }
        return TensorPrimitives.Dot<double>(residual, residual);
    }

    private const int RowBlocks = 8;
    // Pass 1's results, one slot per batch row (and per active latent of a row), reused from step to step.
    private double[] rowPre = [], rowGradient = [], rowCentered = [], rowLoss = [], activePre = [], activeGate = [];
    private int[] activeLatent = [], activeCount = [];

    /// <summary>Doubles from one row of rowGradient and rowCentered to the next: d rounded up to whole vectors, plus one
    /// vector, so that the rows' same coordinates fall in different cache sets (with d = 256 they were 2 KB apart, and
    /// the second pass's column blocks thrashed the caches).</summary>
    private int RowStride => (Dim + 7) / 8 * 8 + 8;
    // Each latent's entries (the rows it was active in, in row order), contiguous from latentStart[j]: where the
    // row starts in the batch, z_ij and g_ij.
    private int[] latentStart = [], entryRow = [];
    /// <summary>Each latent's next free entry while they are filled: a copy of latentStart made at every step had been
    /// 400 KB of large-object heap at 100,000 latents, and its collections a seventh of the training.</summary>
    private int[] latentNext = [];
    private double[] entryPre = [], entryGate = [];

    /// <summary>
    /// The loss (1/B) Σ_i ‖x̂_i − x_i‖² of a batch of normalized rows (B×d, row-major) and its gradient with
    /// respect to <see cref="Parameters"/> (overwritten). With r = x̂ − x and g = 2r/B:
    /// ∂/∂D_j = Σ_i z_ij g_i; ∂/∂b_pre = Σ_i g_i − Σ_j (Σ_i g_ij) W_enc,j; for j active in row i, g_ij = D_j·g_i,
    /// ∂/∂W_enc,j = Σ_i g_ij (x_i − b_pre), ∂/∂b_enc,j = Σ_i g_ij. Inactive latents get no gradient (TopK and ReLU).
    /// </summary>
    /// <remarks>
    /// Two passes, each writing only its own slots, so every sum over rows runs in row order whatever the threads:
    /// per row (forward pass, g_i, g_ij), then per block of coordinates (<see cref="BlockGradient"/>). Per-thread
    /// copies of the whole gradient, cleared and added up at every step, had cost a third of the training.
    /// </remarks>
    public double LossAndGradient(double[] batch, int count, double[] gradient, bool parallel = true)
    {
        // Checked here: the gradient's vector stores are not.
        ArgumentOutOfRangeException.ThrowIfNotEqual(gradient.Length, Parameters.Length, nameof(gradient));
        ArgumentOutOfRangeException.ThrowIfLessThan(batch.Length, count * Dim, nameof(batch));
        if (rowLoss.Length < count)
        {
            (rowGradient, rowCentered) = (new double[count * RowStride], new double[count * RowStride]);
            (rowLoss, activeCount) = (new double[count], new int[count]);
            (activePre, activeGate, activeLatent) = (new double[count * Active], new double[count * Active], new int[count * Active]);
            (latentStart, latentNext, entryRow) = (new int[Latents + 1], new int[Latents], new int[count * Active]);
            (entryPre, entryGate) = (new double[count * Active], new double[count * Active]);
        }
        double factor = 2.0 / count;
        var encoder = PackedEncoder();
        if (rowPre.Length < count * encoder.Width) rowPre = new double[count * encoder.Width];
        int chunk = EncoderChunk, chunks = (encoder.Width + chunk - 1) / chunk;
        void Chunk(int c) => PreActivations(batch, 0, count, encoder, rowPre, c * chunk, Math.Min(encoder.Width, (c + 1) * chunk));
        if (parallel) Parallel.For(0, chunks, Chunk);
        else for (int c = 0; c < chunks; c++) Chunk(c);
        void Rows(int block)
        {
            int first = count * block / RowBlocks, last = count * (block + 1) / RowBlocks;
            for (int i = first; i < last; i++)
            {
                var g = rowGradient.AsSpan(i * RowStride, Dim);
                var pre = rowPre.AsSpan(i * encoder.Width, Latents);
                var active = activeLatent.AsSpan(i * Active, Active);
                int k = SelectActive(pre, active);
                var x = batch.AsSpan(i * Dim, Dim);
                rowLoss[i] = Residual(x, pre, active[..k], g);
                TensorPrimitives.Multiply(g, factor, g);    // now g = ∂loss/∂x̂
                TensorPrimitives.Subtract(x, Parameters.AsSpan(PreBiasOffset, Dim), rowCentered.AsSpan(i * RowStride, Dim));
                activeCount[i] = k;
                for (int a = 0; a < k; a++)
                {
                    int slot = i * Active + a;
                    activePre[slot] = pre[active[a]];
                    activeGate[slot] = TensorPrimitives.Dot<double>(Parameters.AsSpan(DecoderOffset + active[a] * Dim, Dim), g);
                }
            }
        }
        if (parallel) Parallel.For(0, RowBlocks, Rows);
        else for (int block = 0; block < RowBlocks; block++) Rows(block);

        // Each latent's entries in row order (a counting sort), and ∂/∂b_enc,j = Σ_i g_ij over them.
        Array.Clear(latentStart);
        for (int i = 0; i < count; i++)
            for (int a = 0; a < activeCount[i]; a++) latentStart[activeLatent[i * Active + a] + 1]++;
        for (int j = 0; j < Latents; j++) latentStart[j + 1] += latentStart[j];
        var next = latentNext;
        latentStart.AsSpan(0, Latents).CopyTo(next);
        for (int i = 0; i < count; i++)
            for (int a = 0; a < activeCount[i]; a++)
            {
                int slot = i * Active + a, e = next[activeLatent[slot]]++;
                (entryRow[e], entryPre[e], entryGate[e]) = (i * RowStride, activePre[slot], activeGate[slot]);
            }
        for (int j = 0; j < Latents; j++)
        {
            double gBias = 0;
            for (int e = latentStart[j]; e < latentStart[j + 1]; e++) gBias += entryGate[e];
            gradient[EncoderBiasOffset + j] = gBias;
        }

        int blocks = Dim / BlockWidth;
        if (parallel) Parallel.For(0, blocks, b => BlockGradient(b * BlockWidth, count, gradient));
        else for (int b = 0; b < blocks; b++) BlockGradient(b * BlockWidth, count, gradient);
        TailGradient(blocks * BlockWidth, count, gradient);
        return TensorPrimitives.Sum<double>(rowLoss.AsSpan(0, count)) / count;
    }

    /// <summary>Coordinates per block of the second pass: four vectors of each sum in registers (eight independent
    /// chains of adds per latent).</summary>
    private const int BlockWidth = 32;

    /// <summary>
    /// Coordinates [t, t + <see cref="BlockWidth"/>) of ∂/∂D_j = Σ_i z_ij g_i and ∂/∂W_enc,j = Σ_i g_ij (x_i − b_pre)
    /// for every latent, and of ∂/∂b_pre = Σ_i g_i − Σ_j (Σ_i g_ij) W_enc,j: each sum starts at +0 and adds one term
    /// at a time, (a · b) + sum, rows in order, then latents in order. The block's strip of g and of x − b_pre (128 KB
    /// at B = 256) stays in cache while every latent reads its rows there; a MultiplyAdd per (row, latent) had read and
    /// written a whole gradient row each time.
    /// </summary>
    private void BlockGradient(int t, int count, double[] gradient)
    {
        // Spans and offsets in locals: with fields and array conversions in the loop the JIT kept the sums on the stack.
        ReadOnlySpan<double> centered = rowCentered, g = rowGradient, parameters = Parameters, pre = entryPre, gate = entryGate;
        ReadOnlySpan<int> start = latentStart, row = entryRow;
        Span<double> result = gradient;
        int decoderOffset = DecoderOffset, preBiasOffset = PreBiasOffset, encoderBiasOffset = EncoderBiasOffset, dim = Dim, stride = RowStride;
        for (int j = 0; j < Latents; j++)
        {
            Vector512<double> d0 = default, d1 = default, d2 = default, d3 = default;
            Vector512<double> e0 = default, e1 = default, e2 = default, e3 = default;
            for (int e = start[j]; e < start[j + 1]; e++)
            {
                int at = row[e] + t;
                double z = pre[e], gij = gate[e];
                d0 = Load8(g, at) * z + d0;
                d1 = Load8(g, at + 8) * z + d1;
                d2 = Load8(g, at + 16) * z + d2;
                d3 = Load8(g, at + 24) * z + d3;
                e0 = Load8(centered, at) * gij + e0;
                e1 = Load8(centered, at + 8) * gij + e1;
                e2 = Load8(centered, at + 16) * gij + e2;
                e3 = Load8(centered, at + 24) * gij + e3;
            }
            int decoderAt = decoderOffset + j * dim + t, encoderAt = j * dim + t;
            Store8(d0, result, decoderAt);
            Store8(d1, result, decoderAt + 8);
            Store8(d2, result, decoderAt + 16);
            Store8(d3, result, decoderAt + 24);
            Store8(e0, result, encoderAt);
            Store8(e1, result, encoderAt + 8);
            Store8(e2, result, encoderAt + 16);
            Store8(e3, result, encoderAt + 24);
        }
        Vector512<double> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int i = 0; i < count; i++)
        {
            s0 += Load8(g, i * stride + t);
            s1 += Load8(g, i * stride + t + 8);
            s2 += Load8(g, i * stride + t + 16);
            s3 += Load8(g, i * stride + t + 24);
        }
        for (int j = 0; j < Latents; j++)
        {
            double gBias = -result[encoderBiasOffset + j];
            s0 = Load8(parameters, j * dim + t) * gBias + s0;
            s1 = Load8(parameters, j * dim + t + 8) * gBias + s1;
            s2 = Load8(parameters, j * dim + t + 16) * gBias + s2;
            s3 = Load8(parameters, j * dim + t + 24) * gBias + s3;
        }
        Store8(s0, result, preBiasOffset + t);
        Store8(s1, result, preBiasOffset + t + 8);
        Store8(s2, result, preBiasOffset + t + 16);
        Store8(s3, result, preBiasOffset + t + 24);
    }

    /// <summary>
    /// <see cref="BlockGradient"/> for the coordinates [from, Dim) past the last whole block: latent by latent, each sum
    /// adding its terms in the same order. Coordinate by coordinate, each had walked all m latents (and the encoder with a
    /// stride of d): a tenth of the training at d = 12, where no whole block exists.
    /// </summary>
    private void TailGradient(int from, int count, double[] gradient)
    {
        int width = Dim - from;
        if (width == 0) return;
        Span<double> decoderSum = stackalloc double[width], encoderSum = stackalloc double[width], preBiasSum = stackalloc double[width];
        for (int j = 0; j < Latents; j++)
        {
            decoderSum.Clear();
            encoderSum.Clear();
            for (int e = latentStart[j]; e < latentStart[j + 1]; e++)
            {
                ReadOnlySpan<double> g = rowGradient.AsSpan(entryRow[e] + from, width), centered = rowCentered.AsSpan(entryRow[e] + from, width);
                double z = entryPre[e], gij = entryGate[e];
                for (int t = 0; t < width; t++)
                {
                    decoderSum[t] = g[t] * z + decoderSum[t];
                    encoderSum[t] = centered[t] * gij + encoderSum[t];
                }
            }
            decoderSum.CopyTo(gradient.AsSpan(DecoderOffset + j * Dim + from, width));
            encoderSum.CopyTo(gradient.AsSpan(j * Dim + from, width));
        }
        preBiasSum.Clear();
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<double> g = rowGradient.AsSpan(i * RowStride + from, width);
            for (int t = 0; t < width; t++) preBiasSum[t] += g[t];
        }
        for (int j = 0; j < Latents; j++)
        {
            double gBias = -gradient[EncoderBiasOffset + j];
            ReadOnlySpan<double> encoder = Parameters.AsSpan(j * Dim + from, width);
            for (int t = 0; t < width; t++) preBiasSum[t] = encoder[t] * gBias + preBiasSum[t];
        }
        preBiasSum.CopyTo(gradient.AsSpan(PreBiasOffset + from, width));
    }

    /// <summary>Eight doubles from s[at], unchecked: the callers' loop bounds keep them inside s.</summary>
    private static Vector512<double> Load8(ReadOnlySpan<double> s, int at)
    {
        Debug.Assert(at >= 0 && at + 8 <= s.Length);
        return Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(s), (nuint)at);
    }

    private static void Store8(Vector512<double> v, Span<double> s, int at)
    {
        Debug.Assert(at >= 0 && at + 8 <= s.Length);
        v.StoreUnsafe(ref MemoryMarshal.GetReference(s), (nuint)at);
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
            if (Vector512.IsHardwareAccelerated)
            {
                // The scalar loop's operations in its order, eight at a time (no fused multiply-adds: the same bits).
                var (b1, b1c, b2, b2c, rate) = (Vector512.Create(0.9), Vector512.Create(0.1), Vector512.Create(0.999), Vector512.Create(0.001), Vector512.Create(learningRate));
                var (s1, s2, eps) = (Vector512.Create(c1), Vector512.Create(c2), Vector512.Create(1e-8));
                for (; j <= size - 8; j += 8)
                {
                    var g = Load8(gradient, j);
                    var mj = b1 * Load8(m, j) + b1c * g;
                    var vj = b2 * Load8(v, j) + b2c * g * g;
                    Store8(mj, m, j);
                    Store8(vj, v, j);
                    Store8(Load8(parameters, j) - rate * (mj / s1) / (Vector512.Sqrt(vj / s2) + eps), parameters, j);
                }
            }
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
