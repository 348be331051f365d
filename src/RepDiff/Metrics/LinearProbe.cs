using System.Numerics.Tensors;
using RepDiff.Numerics;

namespace RepDiff.Metrics;

/// <summary>
/// How linearly decodable labels are from a representation: multinomial logistic regression with an L2
/// penalty, k-fold (stratified, seeded) cross-validation. Features are standardized with the training
/// fold's mean and standard deviation; the penalty is scikit-learn's default C = 1, i.e. λ = 1/n_train on the
/// mean cross-entropy (the bias is not penalized); fitted with L-BFGS, stopping as scikit-learn does by default
/// (largest gradient entry below 1e-4, or 100 iterations).
/// </summary>
public static class LinearProbe
{
    public static ProbeResult CrossValidate(Matrix x, IReadOnlyList<int> labels, int folds = 5, int seed = 0,
        int maxIterations = 100, IProgress<ProgressUpdate>? progress = null, string stage = "linear probe")
    {
        int n = x.Rows;
        if (labels.Count != n) throw new RepDiffInputException($"{labels.Count} labels for {n} samples; there must be one per sample");
        if (folds < 2 || folds > n) throw new RepDiffInputException($"the linear probe needs 2 ≤ folds ≤ n; folds = {folds}, n = {n}");
        var (codes, classes) = Encode(labels);
        if (classes < 2) throw new RepDiffInputException("the linear probe needs at least two distinct labels");
        var fold = StratifiedFolds(codes, folds, seed);
        var predictions = new int[n];
        var foldAccuracies = new double[folds];
        for (int f = 0; f < folds; f++)
        {
            var train = Enumerable.Range(0, n).Where(i => fold[i] != f).ToArray();
            var test = Enumerable.Range(0, n).Where(i => fold[i] == f).ToArray();
            var (trainX, testX) = Standardize(x.SelectRows(train), x.SelectRows(test));
            var model = Fit(trainX, train.Select(i => codes[i]).ToArray(), classes, 1.0 / train.Length, maxIterations);
            int correct = 0;
            for (int t = 0; t < test.Length; t++)
            {
                predictions[test[t]] = model.Predict(testX.Row(t));
                if (predictions[test[t]] == codes[test[t]]) correct++;
            }
            foldAccuracies[f] = test.Length == 0 ? 0 : (double)correct / test.Length;
            progress.Report(stage, (f + 1.0) / folds);
        }
        double accuracy = Enumerable.Range(0, n).Count(i => predictions[i] == codes[i]) / (double)n;
        double majority = codes.GroupBy(c => c).Max(g => g.Count()) / (double)n;
        // Report predictions in the caller's label values, not internal codes.
        var distinct = new int[classes];
        for (int i = 0; i < n; i++) distinct[codes[i]] = labels[i];
        return new ProbeResult(accuracy, foldAccuracies, predictions.Select(p => distinct[p]).ToArray(), majority);
    }

    /// <summary>The fraction of samples on which two probes predict the same label.</summary>
    public static double Agreement(ProbeResult a, ProbeResult b) =>
        a.Predictions.Zip(b.Predictions).Count(p => p.First == p.Second) / (double)a.Predictions.Length;

    private static (int[] Codes, int Classes) Encode(IReadOnlyList<int> labels)
    {
        var index = new Dictionary<int, int>();
        var codes = new int[labels.Count];
        for (int i = 0; i < labels.Count; i++)
        {
            if (!index.TryGetValue(labels[i], out int c)) index[labels[i]] = c = index.Count;
            codes[i] = c;
        }
        return (codes, index.Count);
    }

    /// <summary>Shuffles with the seed, then deals each class's samples round-robin to the folds.</summary>
    private static int[] StratifiedFolds(int[] codes, int folds, int seed)
    {
        var order = Enumerable.Range(0, codes.Length).ToArray();
        var rng = Rng.Create(seed);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        int classes = codes.Max() + 1;
        // Each class starts at a different fold so that small classes do not all land in fold 0.
        var next = Enumerable.Range(0, classes).Select(c => c % folds).ToArray();
        var fold = new int[codes.Length];
        foreach (int i in order)
        {
            fold[i] = next[codes[i]];
            next[codes[i]] = (next[codes[i]] + 1) % folds;
        }
        return fold;
    }

    /// <summary>Both folds scaled by the training fold's column means and standard deviations (constant columns left centered).</summary>
    private static (Matrix Train, Matrix Test) Standardize(Matrix train, Matrix test)
    {
        var mean = KMeans.ColumnMeans(train);
        var variance = new double[train.Cols];
        for (int i = 0; i < train.Rows; i++)
        {
            var row = train.Row(i);
            for (int j = 0; j < train.Cols; j++) variance[j] += (row[j] - mean[j]) * (double)(row[j] - mean[j]);
        }
        var inverseStd = variance.Select(v => v > 0 ? (float)(1 / Math.Sqrt(v / train.Rows)) : 1f).ToArray();
        foreach (var m in new[] { train, test })
            for (int i = 0; i < m.Rows; i++)
            {
                TensorPrimitives.Subtract(m.Row(i), mean, m.Row(i));
                TensorPrimitives.Multiply(m.Row(i), inverseStd, m.Row(i));
            }
        return (train, test);
    }

    private static SoftmaxModel Fit(Matrix x, int[] codes, int classes, double lambda, int maxIterations)
    {
        var objective = new SoftmaxObjective(x, codes, classes, lambda);
        var weights = Lbfgs.Minimize(objective.Evaluate, new double[objective.Size], maxIterations, tolerance: 1e-4);
        return new SoftmaxModel(weights, classes, x.Cols);
    }

    /// <summary>Weights as classes rows of d values, then one bias per class.</summary>
    private sealed class SoftmaxModel(double[] parameters, int classes, int dim)
    {
        private readonly float[] weights = parameters.Take(classes * dim).Select(v => (float)v).ToArray();

        public int Predict(ReadOnlySpan<float> x)
        {
            int best = 0;
            double bestScore = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double score = TensorPrimitives.Dot<float>(weights.AsSpan(c * dim, dim), x) + parameters[classes * dim + c];
                if (score > bestScore) { bestScore = score; best = c; }
            }
            return best;
        }
    }

    /// <summary>
    /// Mean cross-entropy of softmax(Wx + b) plus λ/2‖W‖², and its gradient. Rows are split into a fixed
    /// number of chunks summed in order, so the result does not depend on the thread count.
    /// </summary>
    private sealed class SoftmaxObjective(Matrix x, int[] codes, int classes, double lambda)
    {
        private const int Chunks = 16;
        private readonly int dim = x.Cols;
        public int Size => classes * (x.Cols + 1);

        public double Evaluate(double[] parameters, double[] gradient)
        {
            int n = x.Rows, wSize = classes * dim;
            var weights = parameters.AsSpan(0, wSize).ToArray().Select(v => (float)v).ToArray();
            var losses = new double[Chunks];
            var partial = new float[Chunks][];
            var biasPartial = new double[Chunks][];
            Parallel.For(0, Chunks, chunk =>
            {
                var g = partial[chunk] = new float[wSize];
                var gb = biasPartial[chunk] = new double[classes];
                var p = new double[classes];
                double loss = 0;
                for (int i = (int)((long)n * chunk / Chunks); i < (int)((long)n * (chunk + 1) / Chunks); i++)
                {
                    var xi = x.Row(i);
                    double max = double.NegativeInfinity;
                    for (int c = 0; c < classes; c++)
                    {
                        p[c] = TensorPrimitives.Dot<float>(weights.AsSpan(c * dim, dim), xi) + parameters[wSize + c];
                        max = Math.Max(max, p[c]);
                    }
                    double sum = 0;
                    for (int c = 0; c < classes; c++) sum += p[c] = Math.Exp(p[c] - max);
                    loss -= Math.Log(p[codes[i]] / sum);
                    for (int c = 0; c < classes; c++)
                    {
                        float residual = (float)(p[c] / sum - (c == codes[i] ? 1 : 0));
                        gb[c] += residual;
                        var gc = g.AsSpan(c * dim, dim);
                        TensorPrimitives.MultiplyAdd(xi, residual, gc, gc);
                    }
                }
                losses[chunk] = loss;
            });
            Array.Clear(gradient);
            double total = 0;
            for (int chunk = 0; chunk < Chunks; chunk++)
            {
                total += losses[chunk];
                for (int j = 0; j < wSize; j++) gradient[j] += partial[chunk][j];
                for (int c = 0; c < classes; c++) gradient[wSize + c] += biasPartial[chunk][c];
            }
            double penalty = 0;
            for (int j = 0; j < gradient.Length; j++)
            {
                gradient[j] /= n;
                if (j < wSize)
                {
                    gradient[j] += lambda * parameters[j];
                    penalty += parameters[j] * parameters[j];
                }
            }
            return total / n + lambda / 2 * penalty;
        }
    }
}
