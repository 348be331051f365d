using RepDiff.Metrics;
using RepDiff.Numerics;

namespace RepDiff.Methods.Rdx;

/// <summary>
/// docs/methods/METHODS.md §1.7: an affine map X ↦ XW + b (d×d, starting at the identity) that maximizes the
/// debiased linear CKA between the mapped source and the target. Adam (lr 1e-3) for 100 full-batch
/// steps on a seeded 70% of the rows; the map with the best CKA on the other 30% is kept.
/// </summary>
public static class CkaAlignment
{
    public const int Steps = 100;
    public const double LearningRate = 1e-3;
    public const double TrainFraction = 0.7;

    /// <summary>Refuses n samples too few for the 70/30 split (RDX checks it before it runs, for its reruns too).</summary>
    public static void CheckSize(int n)
    {
        int trainCount = (int)Math.Round(TrainFraction * n);
        if (trainCount < 4 || n - trainCount < 4)
            throw new Options.InvalidOptionException(nameof(RdxOptions.Align), $"needs at least 4 training and 4 held-out samples (70/30 split of {n})");
    }

    public static AlignmentResult Fit(Matrix source, Matrix target, int seed, IProgress<ProgressUpdate>? progress = null, string stage = "alignment")
    {
        int n = source.Rows, p = source.Cols;
        var order = Enumerable.Range(0, n).ToArray();
        Rng.Create(seed).Shuffle(order);
        CheckSize(n);
        int trainCount = (int)Math.Round(TrainFraction * n);
        var train = order[..trainCount].Order().ToArray();
        var test = order[trainCount..].Order().ToArray();
        var xTrain = source.SelectRows(train);
        var yTrain = target.SelectRows(train);
        var xTest = source.SelectRows(test);
        var yTest = target.SelectRows(test);

        var w = new Matrix(p, p);
        for (int i = 0; i < p; i++) w[i, i] = 1;
        var bias = new float[p];
        var adamW = new Adam(p * p);
        var adamB = new Adam(p);

        var mappedTrain = new Matrix(trainCount, p);
        var mappedTest = new Matrix(test.Length, p);
        var gradMapped = new Matrix(trainCount, p);
        var gradW = new Matrix(p, p);
        var gradB = new double[p];

        // Null (undefined) when the held-out rows of either side have no variance; any defined value beats it.
        double? initial = Cka.LinearDebiased(Map(xTest, w, bias, mappedTest), yTest);
        double? best = initial;
        int bestStep = 0;
        var bestW = (float[])w.Data.Clone();
        var bestBias = (float[])bias.Clone();
        for (int step = 1; step <= Steps; step++)
        {
            Map(xTrain, w, bias, mappedTrain);
            DebiasedCka.ValueAndGradient(mappedTrain, yTrain, gradMapped);
            // Minimize −CKA: the chain rule through XW + b.
            Gemm.Multiply(xTrain, true, gradMapped, false, gradW, -1f, 0f);
            Array.Clear(gradB);
            for (int i = 0; i < trainCount; i++)
            {
                var row = gradMapped.Row(i);
                for (int c = 0; c < p; c++) gradB[c] -= row[c];
            }
            adamW.Step(w.Data, gradW.Data.Select(v => (double)v).ToArray());
            adamB.Step(bias, gradB);

            double? heldOut = Cka.LinearDebiased(Map(xTest, w, bias, mappedTest), yTest);
            if (heldOut is { } value && (best is null || value > best))
            {
                best = value;
                bestStep = step;
                w.Data.CopyTo(bestW, 0);
                bias.CopyTo(bestBias, 0);
            }
            progress.Report(stage, (double)step / Steps);
        }
        var bestMap = new Matrix(p, p, bestW);
        return new AlignmentResult(bestMap, bestBias, Map(source, bestMap, bestBias, new Matrix(n, p)), initial, best, bestStep);
    }

    /// <summary>dest = x W + 1 bᵀ.</summary>
    private static Matrix Map(Matrix x, Matrix w, float[] bias, Matrix dest)
    {
        Gemm.Multiply(x, false, w, false, dest);
        for (int i = 0; i < dest.Rows; i++)
        {
            var row = dest.Row(i);
            for (int c = 0; c < row.Length; c++) row[c] += bias[c];
        }
        return dest;
    }

    /// <summary>Adam (beta1 0.9, beta2 0.999, eps 1e-8) on a flat parameter vector.</summary>
    private sealed class Adam(int size)
    {
        private readonly double[] m = new double[size];
        private readonly double[] v = new double[size];
        private int t;

        public void Step(float[] parameters, double[] gradient)
        {
            t++;
            double c1 = 1 - Math.Pow(0.9, t), c2 = 1 - Math.Pow(0.999, t);
            for (int i = 0; i < parameters.Length; i++)
            {
                m[i] = 0.9 * m[i] + 0.1 * gradient[i];
                v[i] = 0.999 * v[i] + 0.001 * gradient[i] * gradient[i];
                parameters[i] -= (float)(LearningRate * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + 1e-8));
            }
        }
    }
}
