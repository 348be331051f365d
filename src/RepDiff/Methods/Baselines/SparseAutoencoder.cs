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
/// and arithmetic are double; minibatch gradients are summed over a fixed split of the batch, so training
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

    public static SparseAutoencoder Train(Matrix x, SparseAutoencoderOptions options, int seed,
        IProgress<ProgressUpdate>? progress = null, string stage = "sparse autoencoder")
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
                sae.LossAndGradient(batch, count, gradient);
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
        // The same two roundings per element as (x_j − mean_j) · scale, vectorized.
        destination = destination[..Dim];
        TensorPrimitives.ConvertChecked<float, double>(x[..Dim], destination);
        TensorPrimitives.Subtract(destination, Mean, destination);
        TensorPrimitives.Multiply(destination, Scale, destination);
    }

    /// <summary>The activations z (n×m) of every row of x; at most <see cref="Active"/> nonzero per row.</summary>
    public Matrix Encode(Matrix x)
    {
        var result = new Matrix(x.Rows, Latents);
        var shift = EncodedPreBias();
        Parallel.For(0, x.Rows, () => (new double[Dim], new double[Latents], new int[Active]), (i, _, buffers) =>
        {
            var (input, pre, active) = buffers;
            Normalize(x.Row(i), input);
            int count = Forward(input, shift, pre, active);
            var row = result.Row(i);
            for (int a = 0; a < count; a++) row[active[a]] = (float)pre[active[a]];
            return buffers;
        }, _ => { });
        return result;
    }

    /// <summary>Mean ‖x̂ − x‖² over the rows of x in the normalized space: the fraction of variance left unexplained.</summary>
    public double MeanSquaredError(Matrix x)
    {
        var errors = new double[x.Rows];
        var shift = EncodedPreBias();
        Parallel.For(0, x.Rows, () => (new double[Dim], new double[Latents], new int[Active], new double[Dim]), (i, _, buffers) =>
        {
            var (input, pre, active, residual) = buffers;
            Normalize(x.Row(i), input);
            errors[i] = Residual(input, shift, pre, active, residual, out int _);
            return buffers;
        }, _ => { });
        return errors.Average();
    }

    /// <summary>residual = x̂ − x for one normalized row; returns ‖residual‖² and the number of active latents.</summary>
    private double Residual(ReadOnlySpan<double> x, ReadOnlySpan<double> shift, Span<double> pre, Span<int> active, Span<double> residual, out int count)
    {
        count = Forward(x, shift, pre, active);
        TensorPrimitives.Subtract(Parameters.AsSpan(PreBiasOffset, Dim), x, residual);
        for (int a = 0; a < count; a++)
            TensorPrimitives.MultiplyAdd(Parameters.AsSpan(DecoderOffset + active[a] * Dim, Dim), pre[active[a]], residual, residual);
        return TensorPrimitives.Dot<double>(residual, residual);
    }

    /// <summary>W_enc b_pre, one value per latent: the same for every row while the parameters stay, so computed once per pass.</summary>
    private double[] EncodedPreBias()
    {
        var preBias = Parameters.AsSpan(PreBiasOffset, Dim);
        var shift = new double[Latents];
        for (int j = 0; j < Latents; j++) shift[j] = TensorPrimitives.Dot<double>(Parameters.AsSpan(j * Dim, Dim), preBias);
        return shift;
    }

    /// <summary>
    /// Pre-activations into pre, and the indices of the active latents (the k largest pre-activations,
    /// ties to the lower index, those ≤ 0 dropped by the ReLU) into active; returns how many are active.
    /// </summary>
    /// <param name="shift">W_enc b_pre (<see cref="EncodedPreBias"/>).</param>
    private int Forward(ReadOnlySpan<double> x, ReadOnlySpan<double> shift, Span<double> pre, Span<int> active)
    {
        var encoder = Parameters.AsSpan(0, Latents * Dim);
        for (int j = 0; j < Latents; j++)
            // W_enc (x − b_pre) = W_enc x − W_enc b_pre, without a temporary.
            pre[j] = TensorPrimitives.Dot<double>(encoder.Slice(j * Dim, Dim), x) - shift[j] + Parameters[EncoderBiasOffset + j];
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

    private const int Chunks = 8;
    private double[][]? partialGradients;
    private bool[][]? touchedLatents;   // per chunk: the latents whose rows its partial gradient holds (the rest are 0)

    /// <summary>
    /// The loss (1/B) Σ_i ‖x̂_i − x_i‖² of a batch of normalized rows (B×d, row-major) and its gradient with
    /// respect to <see cref="Parameters"/> (overwritten). With r = x̂ − x and g = 2r/B:
    /// ∂/∂D_j = z_j g; ∂/∂b_pre = g − Σ_{j active} g_j W_enc,j; for active j, g_j = D_j·g,
    /// ∂/∂W_enc,j = g_j (x − b_pre), ∂/∂b_enc,j = g_j. Inactive latents get no gradient (TopK and ReLU).
    /// </summary>
    public double LossAndGradient(double[] batch, int count, double[] gradient)
    {
        partialGradients ??= Enumerable.Range(0, Chunks).Select(_ => new double[Parameters.Length]).ToArray();
        touchedLatents ??= Enumerable.Range(0, Chunks).Select(_ => new bool[Latents]).ToArray();
        var partialLosses = new double[Chunks];
        double factor = 2.0 / count;
        var shift = EncodedPreBias();
        Parallel.For(0, Chunks, chunk =>
        {
            var g = partialGradients[chunk];
            // Only active latents get gradient (TopK), a few per row: clearing just their rows instead of the whole
            // vector took a tenth of the training.
            var touched = touchedLatents[chunk];
            for (int j = 0; j < Latents; j++)
                if (touched[j]) ClearLatent(g, j);
            Array.Clear(touched);
            g.AsSpan(PreBiasOffset, Dim).Clear();
            var pre = new double[Latents];
            var active = new int[Active];
            var residual = new double[Dim];
            var centered = new double[Dim];
            var preBias = Parameters.AsSpan(PreBiasOffset, Dim);
            double loss = 0;
            for (int b = count * chunk / Chunks; b < count * (chunk + 1) / Chunks; b++)
            {
                var x = batch.AsSpan(b * Dim, Dim);
                loss += Residual(x, shift, pre, active, residual, out int k);
                TensorPrimitives.Multiply(residual, factor, residual);    // now g = ∂loss/∂x̂
                TensorPrimitives.Subtract(x, preBias, centered);
                var gPreBias = g.AsSpan(PreBiasOffset, Dim);
                TensorPrimitives.Add(gPreBias, residual, gPreBias);
                for (int a = 0; a < k; a++)
                {
                    int j = active[a];
                    touched[j] = true;
                    var decoder = Parameters.AsSpan(DecoderOffset + j * Dim, Dim);
                    var gDecoder = g.AsSpan(DecoderOffset + j * Dim, Dim);
                    TensorPrimitives.MultiplyAdd(residual, pre[j], gDecoder, gDecoder);
                    double gj = TensorPrimitives.Dot<double>(decoder, residual);
                    var gEncoder = g.AsSpan(j * Dim, Dim);
                    TensorPrimitives.MultiplyAdd(centered, gj, gEncoder, gEncoder);
                    g[EncoderBiasOffset + j] += gj;
                    TensorPrimitives.MultiplyAdd(Parameters.AsSpan(j * Dim, Dim), -gj, gPreBias, gPreBias);
                }
            }
            partialLosses[chunk] = loss;
        });
        // The sum over chunks in chunk order, element by element; a chunk's untouched rows are +0 and would not change it.
        Array.Clear(gradient);
        double total = 0;
        for (int chunk = 0; chunk < Chunks; chunk++)
        {
            var g = partialGradients[chunk];
            for (int j = 0; j < Latents; j++)
                if (touchedLatents[chunk][j]) AddLatent(g, j, gradient);
            TensorPrimitives.Add(gradient.AsSpan(PreBiasOffset, Dim), g.AsSpan(PreBiasOffset, Dim), gradient.AsSpan(PreBiasOffset, Dim));
            total += partialLosses[chunk];
        }
        return total / count;
    }

    // Latent j's parameters: its encoder row, its encoder bias, its decoder row.
    private void ClearLatent(double[] g, int j)
    {
        g.AsSpan(j * Dim, Dim).Clear();
        g[EncoderBiasOffset + j] = 0;
        g.AsSpan(DecoderOffset + j * Dim, Dim).Clear();
    }

    private void AddLatent(double[] source, int j, double[] target)
    {
        foreach (int start in (ReadOnlySpan<int>)[j * Dim, DecoderOffset + j * Dim])
            TensorPrimitives.Add(target.AsSpan(start, Dim), source.AsSpan(start, Dim), target.AsSpan(start, Dim));
        target[EncoderBiasOffset + j] += source[EncoderBiasOffset + j];
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
