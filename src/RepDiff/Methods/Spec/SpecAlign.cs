using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Text.Json.Nodes;
using RepDiff.Numerics;
using RepDiff.Spectral;

namespace RepDiff.Methods.Spec;

/// <summary>
/// SPEC-align: a linear head W on B minimizing SPEC-diff(A, B W) under the cosine kernel plus
/// mu‖W − I‖²_F, by Adam on minibatches. The gradient of the spectral radius ρ = |λ*| of
/// Λ = (K_A − eta K_Y)/m, Y = B W, K_Y = Ŷ Ŷᵀ (Ŷ: rows of Y scaled to unit length), is
///   ∂ρ/∂K_Y = −s eta/m · v vᵀ            (∂λ/∂Λ = v vᵀ for a simple eigenvalue, s = sign λ*)
///   ∂ρ/∂Ŷ = 2 (∂ρ/∂K_Y) Ŷ = c v (Ŷᵀ v)ᵀ,  c = −2 s eta/m   (row i: c v_i Ŷᵀv)
///   ∂ρ/∂y_i = (I − ŷ_i ŷ_iᵀ) (∂ρ/∂ŷ_i) / ‖y_i‖   (through the row normalization)
///   ∂ρ/∂W = Bᵀ (∂ρ/∂Y),  and the penalty adds 2 mu (W − I).
/// </summary>
public static class SpecAlign
{
    /// <summary>The rows W is trained on: those not held out (at least 2 are, to measure SPEC-diff on).</summary>
    public static int TrainingRows(int n, double holdoutFraction) => n - Math.Max(2, (int)Math.Round(n * holdoutFraction));

    public static SpecAlignResult Fit(Matrix a, Matrix b, SpecAlignOptions options, IProgress<ProgressUpdate>? progress = null, string nameA = "A", string nameB = "B")
    {
        int seed = options.Seed;
        progress.Report("aligning", 0); // at once: the held-out SPEC-diff and the first step come before any step's report
        CheckRows(a, nameA);
        CheckRows(b, nameB);
        int n = a.Rows, db = b.Cols;
        var rng = Rng.Create(seed);
        var order = Enumerable.Range(0, n).ToArray();
        rng.Shuffle(order);
        int holdout = n - TrainingRows(n, options.HoldoutFraction);
        var heldOut = order[..holdout];
        var train = order[holdout..];
        Array.Sort(heldOut);
        var spec = new SpecOptions { Kernel = KernelKind.Cosine, Eta = options.Eta, Concepts = 1, Members = 1, GridSize = 2, Seed = seed };
        var aHeld = a.SelectRows(heldOut);
        double before = SpecDiff(aHeld, b.SelectRows(heldOut), spec);

        var w = Identity(db);
        var grad = new double[w.Length];
        var m1 = new double[w.Length];
        var m2 = new double[w.Length];
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        int batch = Math.Min(options.BatchSize, train.Length);
        var buffers = new StepBuffers(batch, db);
        // The minibatch's rows, gathered and widened into the same arrays every step (through SelectRows and LINQ they
        // took about a sixth of the CPU at d_B = 768, with new large-object arrays each step).
        var aHat = new double[batch * a.Cols];
        var bRows = new double[batch * db];
        for (int step = 1; step <= options.Steps; step++)
        {
            // A fresh random minibatch of training rows (partial Fisher–Yates).
            for (int i = 0; i < batch; i++)
            {
                int j = i + rng.Next(train.Length - i);
                (train[i], train[j]) = (train[j], train[i]);
            }
            for (int i = 0; i < batch; i++)
            {
                NormalizeRow(a.Row(train[i]), aHat.AsSpan(i * a.Cols, a.Cols));
                TensorPrimitives.ConvertChecked<float, double>(b.Row(train[i]), bRows.AsSpan(i * db, db));
            }
            LossAndGradient(aHat, a.Cols, bRows, db, w, options.Eta, options.Mu, grad, seed, buffers);
            double lr = options.LearningRate * Math.Sqrt(1 - Math.Pow(beta2, step)) / (1 - Math.Pow(beta1, step));
            AdamStep(w, grad, m1, m2, lr, beta1, beta2, epsilon);
            progress.Report("aligning", (double)step / options.Steps);
        }

        var head = new Matrix(db, db);
        for (int i = 0; i < w.Length; i++) head.Data[i] = (float)w[i];
        var aligned = Gemm.Multiply(b, head);
        double after = SpecDiff(aHeld, aligned.SelectRows(heldOut), spec);
        // The held-out rows are the check of the fit: a W that leaves them further apart than the identity does is no
        // alignment (on identical A and B, Adam's normalized steps on round-off gradients moved W off its optimum, the
        // identity, and SPEC-diff went from 0 to 4e-4, which the concepts then showed). Keep the identity instead.
        if (!(after < before))
        {
            var identity = new Matrix(db, db);
            for (int i = 0; i < db; i++) identity[i, i] = 1;
            return new SpecAlignResult(identity, b, before, before, heldOut) { KeptIdentity = true };
        }
        return new SpecAlignResult(head, aligned, before, after, heldOut);
    }

    /// <summary>
    /// Loss ρ(Λ(B W)) + mu‖W − I‖²_F on one minibatch (aHat: m × dA unit rows; b: m × dB; w: dB × dB,
    /// all row-major double) and its gradient with respect to W, written into grad.
    /// </summary>
    private static double SpecDiff(Matrix a, Matrix b, SpecOptions cosine)
        => new SpecMethod().Run(new RepresentationPair(a, b), cosine).Metrics["spec_diff"]!.GetValue<double>();

    internal static double LossAndGradient(double[] aHat, int da, double[] b, int db, double[] w, double eta, double mu, double[] grad, int seed = 0, StepBuffers? buffers = null)
    {
        int m = b.Length / db;
        buffers ??= new StepBuffers(m, db);
        // Y = B W and its row norms. The products run blocked in double (GemmDouble says why double).
        var y = buffers.Y;
        GemmDouble.Multiply(m, db, db, b, false, w, false, y);
        var norms = buffers.Norms;
        var yHat = buffers.YHat;
        for (int i = 0; i < m; i++)
        {
            norms[i] = Math.Sqrt(TensorPrimitives.Dot<double>(y.AsSpan(i * db, db), y.AsSpan(i * db, db)));
            if (!(norms[i] > 0)) throw new RepDiffInputException($"row {i} of the aligned minibatch has zero norm; the cosine kernel needs nonzero rows");
            TensorPrimitives.Multiply(y.AsSpan(i * db, db), 1 / norms[i], yHat.AsSpan(i * db, db));
        }
        // Λ = (Â Âᵀ − eta Ŷ Ŷᵀ)/m. Both products are exactly symmetric (each entry sums the same products in the same order).
        var lambda = buffers.Lambda;
        var kernelY = buffers.KernelY;
        GemmDouble.Gram(m, da, aHat, lambda);
        GemmDouble.Gram(m, db, yHat, kernelY);
        for (int i = 0; i < lambda.Length; i++) lambda[i] = (lambda[i] - eta * kernelY[i]) / m;
        var top = Lanczos.Solve(new DenseSymmetricOperator(lambda, m), 1, EigenTarget.LargestMagnitude, seed);
        double value = top.Values[0];
        var v = top.Vectors[0];
        double s = Math.Sign(value);
        double c = -2 * s * eta / m;

        // u = Ŷᵀ v; ∂ρ/∂ŷ_i = c v_i u; ∂ρ/∂y_i = (g − ŷ_i (ŷ_i·g)) / ‖y_i‖.
        var u = buffers.U;
        u.AsSpan().Clear();
        for (int i = 0; i < m; i++) TensorPrimitives.MultiplyAdd(yHat.AsSpan(i * db, db), v[i], u, u);
        var dy = buffers.Dy;
        for (int i = 0; i < m; i++)
        {
            var yh = yHat.AsSpan(i * db, db);
            double projection = c * v[i] * TensorPrimitives.Dot<double>(yh, u);
            var row = dy.AsSpan(i * db, db);
            TensorPrimitives.Multiply(u, c * v[i] / norms[i], row);
            TensorPrimitives.MultiplyAdd(yh, -projection / norms[i], row, row);
        }
        // ∂ρ/∂W = Bᵀ dY, plus the penalty's 2 mu (W − I); the penalty's sum by rows, added in row order.
        GemmDouble.Multiply(db, db, m, b, true, dy, false, grad);
        var rowPenalty = buffers.RowPenalty;
        Gemm.ParallelFor(db, Gemm.ThreadsFor((long)db * db), k =>
        {
            var gk = grad.AsSpan(k * db, db);
            double sum = 0;
            for (int j = 0; j < db; j++)
            {
                double d = w[k * db + j] - (k == j ? 1 : 0);
                gk[j] += 2 * mu * d;
                sum += d * d;
            }
            rowPenalty[k] = sum;
        });
        double penalty = 0;
        foreach (double sum in rowPenalty) penalty += sum;
        return Math.Abs(value) + mu * penalty;
    }

    /// <summary>
    /// One step's arrays, made once for a fit: made anew every step, the m × d_B ones (20 MB each at d_B = 5,000) went to the
    /// large-object heap each time. Every one is overwritten by the step that uses it.
    /// </summary>
    internal sealed class StepBuffers(int m, int db)
    {
        public double[] Y { get; } = new double[m * db];
        public double[] YHat { get; } = new double[m * db];
        public double[] Dy { get; } = new double[m * db];
        public double[] Norms { get; } = new double[m];
        public double[] Lambda { get; } = new double[m * m];
        public double[] KernelY { get; } = new double[m * m];
        public double[] U { get; } = new double[db];
        public double[] RowPenalty { get; } = new double[db];
    }

    /// <summary>
    /// Adam's update of every entry of W, in chunks of 16,384 entries across the cores: the same operations in the same order as one entry at a time
    /// (vector add, multiply, divide and square root round as the scalar ones do), so the same bits at any width or core count.
    /// </summary>
    internal static void AdamStep(double[] w, double[] grad, double[] m1, double[] m2, double lr, double beta1, double beta2, double epsilon)
    {
        const int chunk = 1 << 14;
        int chunks = (w.Length + chunk - 1) / chunk;
        Gemm.ParallelFor(chunks, Gemm.ThreadsFor(16L * w.Length), part =>
        {
            int start = part * chunk, end = Math.Min(w.Length, start + chunk), i = start;
            var b1 = Vector256.Create(beta1); var c1 = Vector256.Create(1 - beta1);
            var b2 = Vector256.Create(beta2); var c2 = Vector256.Create(1 - beta2);
            var rate = Vector256.Create(lr); var eps = Vector256.Create(epsilon);
            for (; i <= end - 4; i += 4)
            {
                var g = Vector256.Create(grad.AsSpan(i, 4));
                var first = b1 * Vector256.Create(m1.AsSpan(i, 4)) + c1 * g;
                var second = b2 * Vector256.Create(m2.AsSpan(i, 4)) + c2 * g * g;
                first.CopyTo(m1.AsSpan(i, 4));
                second.CopyTo(m2.AsSpan(i, 4));
                (Vector256.Create(w.AsSpan(i, 4)) - rate * first / (Vector256.Sqrt(second) + eps)).CopyTo(w.AsSpan(i, 4));
            }
            for (; i < end; i++)
            {
                m1[i] = beta1 * m1[i] + (1 - beta1) * grad[i];
                m2[i] = beta2 * m2[i] + (1 - beta2) * grad[i] * grad[i];
                w[i] -= lr * m1[i] / (Math.Sqrt(m2[i]) + epsilon);
            }
        });
    }

    internal static double[] Normalized(Matrix x)
    {
        var result = new double[x.Data.Length];
        for (int i = 0; i < x.Rows; i++) NormalizeRow(x.Row(i), result.AsSpan(i * x.Cols, x.Cols));
        return result;
    }

    private static void NormalizeRow(ReadOnlySpan<float> row, Span<double> dest)
    {
        double norm = Math.Sqrt(TensorPrimitives.Dot<float>(row, row));
        if (!(norm > 0)) throw new RepDiffInputException($"a row of A has zero norm; the cosine kernel needs nonzero rows");
        for (int j = 0; j < row.Length; j++) dest[j] = row[j] / norm;
    }

    private static double[] Identity(int d)
    {
        var w = new double[d * d];
        for (int i = 0; i < d; i++) w[i * d + i] = 1;
        return w;
    }

    /// <summary>
    /// Bytes a fit holds at once, with a quarter more for what is not counted (the eigensolver, the held-out copies, the
    /// runtime), as the feature routes count theirs: W, its gradient and Adam's two moments (four d_B × d_B doubles), the head
    /// in float and B W (n × d_B floats), and one minibatch of m rows: B's rows, Y, Ŷ and dY (m × d_B doubles), Â
    /// (m × d_A doubles) and the two m × m Gram matrices.
    /// </summary>
    public static long Bytes(long n, long da, long db, long batch)
    {
        long m = Math.Min(batch, n);
        long head = 4 * 8 * db * db + 4 * db * db + 4 * n * db;
        long minibatch = 4 * 8 * m * db + 8 * m * da + 2 * 8 * m * m;
        return (head + minibatch) / 4 * 5;
    }

    /// <summary>
    /// Refuses, before anything is allocated, a fit that would not fit in <see cref="IO.MemoryBudget.WorkLimit()"/> of what is free now:
    /// at d_B = 40,000 the four d_B × d_B matrices alone are 51 GB. The d_B² part is most of it past a few thousand dimensions,
    /// and only fewer dimensions of B shrink it.
    /// </summary>
    public static void CheckMemory(int n, int da, int db, int batch, string nameB)
    {
        long bytes = Bytes(n, da, db, batch), limit = IO.MemoryBudget.WorkLimit();
        if (bytes <= limit) return;
        throw new RepDiffInputException($"SPEC-align learns a d_B × d_B map: {nameB}'s {db} dimensions need {32.0 * db * db / 1e9:F1} GB for it, "
            + $"its gradient and Adam's moments, {bytes / 1e9:F1} GB in all with the minibatches (limit {limit / 1e9:F1} GB); reduce B's dimensions first (e.g. with PCA)"
            + (Bytes(n, da, db, 2) <= limit ? " or lower --batch-size" : ""));
    }

    /// <summary>Multiply-adds past which a fit on fewer samples than B has dimensions is refused: 10 × 5,000 (1.8e11) took 99 s and 10 × 10,000 over 120 s on a loaded machine (review 174).</summary>
    internal const double MaxWideWork = 1e11;

    /// <summary>
    /// Multiply-adds of a fit: every Adam step forms B W and Bᵀ dY on a minibatch of m rows (m·d_B² each) and touches each of
    /// W's d_B² entries a few times more (Adam's moments, the penalty).
    /// </summary>
    public static double Work(int n, int db, int batch, int steps) => (double)steps * db * db * (2.0 * Math.Min(batch, n) + 4);

    /// <summary>
    /// Refuses, before any step, a fit whose d_B² work dwarfs what its samples can inform: n samples span at most n of B's
    /// d_B directions, yet every step updates all d_B² entries of W, so a run at 0% for minutes is all but certain. A refusal,
    /// not a warning, as the memory check's: the user waits for nothing, and fewer dimensions of B are the fix either way.
    /// </summary>
    public static void CheckWork(int n, int db, int batch, int steps, string nameB)
    {
        double work = Work(n, db, batch, steps);
        if (db <= n || work <= MaxWideWork) return;
        throw new RepDiffInputException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"SPEC-align learns a d_B × d_B map from {n} samples: {nameB}'s {db} dimensions make {steps} steps about {work:G2} multiply-adds "
            + $"(limit {MaxWideWork:G2}; minutes to hours), though {n} samples span at most {n} of those dimensions; reduce B's dimensions first (e.g. with PCA)"));
    }

    /// <summary>The cosine kernel needs every row nonzero; checked up front so the message names the input's own row, not a held-out subset's.</summary>
    internal static void CheckRows(Matrix x, string name)
    {
        for (int i = 0; i < x.Rows; i++)
            if (TensorPrimitives.Dot<float>(x.Row(i), x.Row(i)) == 0)
                throw new RepDiffInputException($"row {i} of {name} has zero norm; SPEC-align's cosine kernel needs every row to be nonzero (drop the row)");
    }
}
