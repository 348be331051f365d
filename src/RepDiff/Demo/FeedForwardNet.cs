using RepDiff.Numerics;

namespace RepDiff.Demo;

/// <summary>
/// A classifier with several ReLU hidden layers (inputs → h1 → h2 → ... → softmax), trained with
/// minibatch Adam on float32 matrix products. <see cref="Mlp"/>'s per-sample loops in double are right
/// for 64 inputs; on 10,000 784-pixel images one epoch took it 18 s of CPU against 0.6-1.2 s here
/// (docs/benchmarks.md).
/// Seeded and reproducible: the products accumulate in a fixed order whatever the thread count
/// (see <see cref="Gemm"/>), and every other step is a plain loop.
/// </summary>
public sealed class FeedForwardNet
{
    /// <summary>Inputs, each hidden width, classes.</summary>
    public IReadOnlyList<int> LayerSizes { get; }
    public int Classes => LayerSizes[^1];
    public int HiddenLayers => LayerSizes.Count - 2;

    // Layer l maps LayerSizes[l] → LayerSizes[l + 1]: weights (in × out, row-major) and biases, each with Adam moments.
    private readonly Matrix[] weights;
    private readonly float[][] biases;
    private readonly float[][] weightM, weightV, biasM, biasV;
    private int step;

    public FeedForwardNet(IReadOnlyList<int> layerSizes, int seed)
    {
        if (layerSizes.Count < 2 || layerSizes.Any(s => s < 1)) throw new ArgumentException("need at least inputs and classes, all positive");
        LayerSizes = layerSizes.ToArray();
        int layers = layerSizes.Count - 1;
        weights = new Matrix[layers];
        biases = new float[layers][];
        weightM = new float[layers][]; weightV = new float[layers][]; biasM = new float[layers][]; biasV = new float[layers][];
        var rng = new Random(seed);
        for (int l = 0; l < layers; l++)
        {
            int fanIn = layerSizes[l], fanOut = layerSizes[l + 1];
            weights[l] = new Matrix(fanIn, fanOut);
            // He-uniform for the ReLU layers, Glorot-uniform for the softmax layer.
            double limit = l < layers - 1 ? Math.Sqrt(6.0 / fanIn) : Math.Sqrt(6.0 / (fanIn + fanOut));
            var w = weights[l].Data;
            for (int i = 0; i < w.Length; i++) w[i] = (float)((2 * rng.NextDouble() - 1) * limit);
            biases[l] = new float[fanOut];
            weightM[l] = new float[w.Length]; weightV[l] = new float[w.Length];
            biasM[l] = new float[fanOut]; biasV[l] = new float[fanOut];
        }
    }

    /// <summary>
    /// Activations of hidden layer `layer` (1-based; default the last hidden layer), n × width: the
    /// representation the demo compares.
    /// </summary>
    public Matrix HiddenLayer(Matrix x, int layer = -1)
    {
        if (layer == -1) layer = HiddenLayers;
        if (layer < 1 || layer > HiddenLayers) throw new ArgumentOutOfRangeException(nameof(layer), $"the network has {HiddenLayers} hidden layers");
        return Forward(x, layer)[layer];
    }

    /// <summary>The most probable class of each row.</summary>
    public int[] Predict(Matrix x)
    {
        var logits = Forward(x, weights.Length)[^1];
        var result = new int[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            var row = logits.Row(i);
            int best = 0;
            for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
            result[i] = best;
        }
        return result;
    }

    public double Accuracy(Matrix x, int[] labels)
    {
        var predicted = Predict(x);
        return (double)predicted.Where((p, i) => p == labels[i]).Count() / labels.Length;
    }

    /// <summary>One epoch of minibatch Adam over a seeded shuffle; returns the mean training loss.</summary>
    public double TrainEpoch(Matrix x, int[] labels, Random rng, int batchSize = 128, double learningRate = 1e-3)
    {
        if (x.Cols != LayerSizes[0] || x.Rows != labels.Length) throw new ArgumentException("inputs and labels do not match the network");
        var order = Enumerable.Range(0, x.Rows).ToArray();
        rng.Shuffle(order);
        double loss = 0;
        for (int start = 0; start < order.Length; start += batchSize)
        {
            var rows = order.AsSpan(start, Math.Min(batchSize, order.Length - start));
            loss += Step(x.SelectRows(rows), rows, labels, learningRate) * rows.Length;
        }
        return loss / order.Length;
    }

    /// <summary>
    /// Activations of layers 0 (the input) .. upTo; hidden layers after ReLU, the last layer (when
    /// upTo reaches it) as logits.
    /// </summary>
    private Matrix[] Forward(Matrix x, int upTo)
    {
        var activations = new Matrix[upTo + 1];
        activations[0] = x;
        for (int l = 0; l < upTo; l++)
        {
            var z = Gemm.Multiply(activations[l], weights[l]);
            bool relu = l < weights.Length - 1;
            var b = biases[l];
            for (int i = 0; i < z.Rows; i++)
            {
                var row = z.Row(i);
                for (int j = 0; j < row.Length; j++)
                {
                    float v = row[j] + b[j];
                    row[j] = relu && v < 0 ? 0 : v;
                }
            }
            activations[l + 1] = z;
        }
        return activations;
    }

    private double Step(Matrix batch, ReadOnlySpan<int> rows, int[] labels, double learningRate)
    {
        var activations = Forward(batch, weights.Length);
        int n = batch.Rows;
        // Softmax cross-entropy: dLoss/dlogits = (p − onehot) / n.
        var delta = activations[^1];
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            var row = delta.Row(i);
            float max = row[0];
            for (int c = 1; c < row.Length; c++) max = Math.Max(max, row[c]);
            double sum = 0;
            for (int c = 0; c < row.Length; c++) sum += Math.Exp(row[c] - max);
            int label = labels[rows[i]];
            loss -= row[label] - max - Math.Log(sum);
            for (int c = 0; c < row.Length; c++)
                row[c] = (float)((Math.Exp(row[c] - max) / sum - (c == label ? 1 : 0)) / n);
        }
        step++;
        for (int l = weights.Length - 1; l >= 0; l--)
        {
            var weightGradient = Gemm.Multiply(activations[l], delta, transposeA: true);
            var biasGradient = new float[delta.Cols];
            for (int i = 0; i < n; i++)
            {
                var row = delta.Row(i);
                for (int j = 0; j < row.Length; j++) biasGradient[j] += row[j];
            }
            if (l > 0)
            {
                // Back through this layer's weights (before they change) and the ReLU below it.
                var below = Gemm.Multiply(delta, weights[l], transposeB: true);
                var a = activations[l];
                for (int k = 0; k < below.Data.Length; k++) if (a.Data[k] <= 0) below.Data[k] = 0;
                delta = below;
            }
            Adam(weights[l].Data, weightGradient.Data, weightM[l], weightV[l], learningRate);
            Adam(biases[l], biasGradient, biasM[l], biasV[l], learningRate);
        }
        return loss / n;
    }

    private void Adam(float[] theta, float[] gradient, float[] m, float[] v, double learningRate)
    {
        const float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;
        float c1 = (float)(1 - Math.Pow(beta1, step)), c2 = (float)(1 - Math.Pow(beta2, step)), rate = (float)learningRate;
        for (int i = 0; i < theta.Length; i++)
        {
            float g = gradient[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            theta[i] -= rate * (m[i] / c1) / (MathF.Sqrt(v[i] / c2) + epsilon);
        }
    }
}
