using System.Numerics.Tensors;
using RepDiff.Numerics;
using RepDiff.Options;

namespace RepDiff.Methods.Baselines;

/// <summary>
/// Non-negative matrix factorization by multiplicative updates.
/// NMF (Lee &amp; Seung 2001, Frobenius loss; X ≥ 0, H ≥ 0): H ← H ⊙ WᵀX / (WᵀW H), W ← W ⊙ XHᵀ / (W HHᵀ),
/// random uniform start scaled to √(mean X / k) as in scikit-learn.
/// Semi-NMF (Ding, Li &amp; Jordan 2010; X and H of any sign): H = (WᵀW)⁻¹WᵀX, then
/// W ← W ⊙ √(([XHᵀ]⁺ + W[HHᵀ]⁻) / ([XHᵀ]⁻ + W[HHᵀ]⁺)), started from a k-means indicator + 0.2 as in the paper (20 Lloyd iterations).
/// Stops when the loss changes by less than tolerance (relative) or after maxIterations (defaults 1e-4 and 200, scikit-learn's). Deterministic for a seed.
/// </summary>
public static class Nmf
{
    private const double Epsilon = 1e-12;

    /// <summary>Refuses plain NMF on a representation with negative values, naming it (<paramref name="who"/>: its file's name).</summary>
    internal static void CheckVariant(IRowSource x, NmfVariant variant, string who)
    {
        if (variant == NmfVariant.Nmf && !IsNonNegative(x))
            throw new RepDiffInputException($"NMF needs non-negative inputs; {who} has negative values (use the semi-NMF variant: --variant semi-nmf)");
    }

    /// <summary>Whether every value is 0 or more, read a block of rows at a time (a memory-mapped input is never held whole).</summary>
    private static bool IsNonNegative(IRowSource x)
    {
        if (x is Matrix m) return !m.Data.AsSpan().ContainsAnyExceptInRange(0f, float.MaxValue);
        int block = Math.Max(1, (1 << 16) / Math.Max(1, x.Cols));
        var rows = new float[(long)block * x.Cols];
        for (int first = 0; first < x.Rows; first += block)
        {
            int count = Math.Min(block, x.Rows - first);
            var span = rows.AsSpan(0, count * x.Cols);
            x.ReadRows(first, count, span);
            if (span.ContainsAnyExceptInRange(0f, float.MaxValue)) return false;
        }
        return true;
    }

    public static NmfResult Fit(Matrix x, int k, NmfVariant variant = NmfVariant.Auto, int seed = 0, int maxIterations = 200,
        double tolerance = 1e-4, IProgress<ProgressUpdate>? progress = null, string stage = "nmf")
    {
        CheckVariant(x, variant, "this representation");
        if (variant == NmfVariant.Auto) variant = IsNonNegative(x) ? NmfVariant.Nmf : NmfVariant.SemiNmf;
        Baseline.CheckDistinctRows(x, k, stage);
        double squaredNorm = 0;
        foreach (float v in x.Data) squaredNorm += (double)v * v;
        var (w, h) = variant == NmfVariant.Nmf ? RandomStart(x, k, seed) : (KMeansStart(x, k, seed), new Matrix(k, x.Cols));
        double previous = double.PositiveInfinity, loss = 0;
        int iteration = 0;
        while (iteration < maxIterations)
        {
            iteration++;
            loss = variant == NmfVariant.Nmf ? NmfStep(x, w, h, squaredNorm) : SemiNmfStep(x, w, h, squaredNorm);
            progress.Report(stage, (double)iteration / maxIterations);
            if (!double.IsInfinity(previous) && Math.Abs(previous - loss) <= tolerance * Math.Max(previous, Epsilon)) break;
            previous = loss;
        }
        if (!double.IsFinite(loss))
            throw new RepDiffInputException($"{stage}: the factorization diverged (non-finite loss); try fewer --concepts");
        NormalizeDictionary(w, h);
        return new NmfResult(w, h, variant, iteration, Math.Sqrt(Math.Max(loss, 0) / Math.Max(squaredNorm, Epsilon)));
    }

    /// <summary>One round of Lee–Seung updates (H, then W); returns ‖X − WH‖² after it.</summary>
    private static double NmfStep(Matrix x, Matrix w, Matrix h, double squaredNorm)
    {
        var wtx = Gemm.Multiply(w, x, transposeA: true);           // k×d
        var wtw = Gemm.Multiply(w, w, transposeA: true);           // k×k
        var wtwh = Gemm.Multiply(wtw, h);                          // k×d
        for (int j = 0; j < h.Data.Length; j++) h.Data[j] = (float)(h.Data[j] * (wtx.Data[j] / (wtwh.Data[j] + Epsilon)));
        var xht = RowDots(x, h);                                   // n×k
        var hht = Gemm.Multiply(h, h, transposeB: true);           // k×k
        var whht = Gemm.Multiply(w, hht);                          // n×k
        for (int j = 0; j < w.Data.Length; j++) w.Data[j] = (float)(w.Data[j] * (xht.Data[j] / (whht.Data[j] + Epsilon)));
        return Loss(w, xht, hht, squaredNorm);
    }

    /// <summary>One round of Ding et al.'s updates (least-squares H, then multiplicative W); returns ‖X − WH‖² after it.</summary>
    private static double SemiNmfStep(Matrix x, Matrix w, Matrix h, double squaredNorm)
    {
        var wtx = Gemm.Multiply(w, x, transposeA: true);           // k×d
        var wtw = Gemm.Multiply(w, w, transposeA: true);           // k×k
        SolveInPlace(wtw, wtx, h);
        var xht = RowDots(x, h);                                   // n×k
        var hht = Gemm.Multiply(h, h, transposeB: true);           // k×k
        int k = h.Rows;
        var positive = new Matrix(k, k);
        var negative = new Matrix(k, k);
        for (int j = 0; j < hht.Data.Length; j++)
        {
            positive.Data[j] = Math.Max(hht.Data[j], 0);
            negative.Data[j] = Math.Max(-hht.Data[j], 0);
        }
        var wPositive = Gemm.Multiply(w, positive);
        var wNegative = Gemm.Multiply(w, negative);
        for (int j = 0; j < w.Data.Length; j++)
        {
            double a = xht.Data[j];
            double numerator = Math.Max(a, 0) + wNegative.Data[j];
            double denominator = Math.Max(-a, 0) + wPositive.Data[j] + Epsilon;
            w.Data[j] = (float)(w.Data[j] * Math.Sqrt(numerator / denominator));
        }
        return Loss(w, xht, hht, squaredNorm);
    }

    /// <summary>
    /// XHᵀ (n×k) as n·k row dot products: with k this small a GEMM spends its time packing, while this
    /// reads X once.
    /// </summary>
    private static Matrix RowDots(Matrix x, Matrix h)
    {
        var result = new Matrix(x.Rows, h.Rows);
        Parallel.For(0, x.Rows, i =>
        {
            var row = x.Row(i);
            for (int c = 0; c < h.Rows; c++) result[i, c] = TensorPrimitives.Dot<float>(row, h.Row(c));
        });
        return result;
    }

    /// <summary>‖X − WH‖² = ‖X‖² − 2⟨W, XHᵀ⟩ + ⟨WᵀW, HHᵀ⟩, without forming WH.</summary>
    private static double Loss(Matrix w, Matrix xht, Matrix hht, double squaredNorm)
    {
        double cross = 0;
        for (int j = 0; j < w.Data.Length; j++) cross += (double)w.Data[j] * xht.Data[j];
        var wtw = Gemm.Multiply(w, w, transposeA: true);
        double quadratic = 0;
        for (int j = 0; j < wtw.Data.Length; j++) quadratic += (double)wtw.Data[j] * hht.Data[j];
        return squaredNorm - 2 * cross + quadratic;
    }

    /// <summary>
    /// H = (WᵀW)⁻¹ WᵀX for a small k×k system, in double, with a tiny ridge so empty concepts do not make it singular.
    /// WᵀW comes from a float32 product: after thousands of iterations W's columns can be so nearly dependent that its
    /// rounding (relative 1e-7) leaves it indefinite, so a failed factorization retries with ten times the ridge (a run
    /// that factors at the first ridge is unchanged).
    /// </summary>
    private static void SolveInPlace(Matrix wtw, Matrix wtx, Matrix h)
    {
        int k = wtw.Rows;
        var b = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(k, wtx.Cols, (i, j) => wtx[i, j]);
        var original = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(k, k, (i, j) => wtw[i, j]);
        double scale = Math.Max(original.Diagonal().Maximum(), Epsilon);
        MathNet.Numerics.LinearAlgebra.Matrix<double>? solution = null;
        for (double ridge = 1e-9; solution is null; ridge *= 10)
        {
            var a = original.Clone();
            for (int i = 0; i < k; i++) a[i, i] += ridge * scale;
            try
            {
                solution = a.Cholesky().Solve(b);
            }
            catch (ArgumentException) when (ridge < 1e-3)
            {
                // MathNet's way of saying "not positive definite": retry with a larger ridge.
            }
            catch (ArgumentException)
            {
                throw new RepDiffInputException("semi-NMF: the concepts' Gram matrix WᵀW is singular (the factorization collapsed); try fewer --concepts or fewer --max-iterations");
            }
        }
        for (int i = 0; i < k; i++)
            for (int j = 0; j < wtx.Cols; j++) h[i, j] = (float)solution[i, j];
    }

    private static (Matrix W, Matrix H) RandomStart(Matrix x, int k, int seed)
    {
        double mean = 0;
        foreach (float v in x.Data) mean += v;
        double scale = Math.Sqrt(mean / x.Data.Length / k);
        var rng = Rng.Create(seed);
        var w = new Matrix(x.Rows, k);
        var h = new Matrix(k, x.Cols);
        // Strictly positive entries: a multiplicative update can never move an entry away from zero.
        for (int j = 0; j < w.Data.Length; j++) w.Data[j] = (float)(scale * (rng.NextDouble() + 1e-3));
        for (int j = 0; j < h.Data.Length; j++) h.Data[j] = (float)(scale * (rng.NextDouble() + 1e-3));
        return (w, h);
    }

    /// <summary>A start only: one k-means++ run of at most 20 Lloyd iterations (full convergence costs minutes at n = 100,000 and changes little).</summary>
    private static Matrix KMeansStart(Matrix x, int k, int seed)
    {
        var clusters = KMeans.Fit(x, k, seed, restarts: 1, maxIterations: 20);
        var w = new Matrix(x.Rows, k);
        for (int i = 0; i < x.Rows; i++)
            for (int c = 0; c < k; c++) w[i, c] = clusters.Labels[i] == c ? 1.2f : 0.2f;
        return w;
    }

    /// <summary>Scales each row of H to unit norm and the matching column of W by the inverse, leaving WH unchanged.</summary>
    private static void NormalizeDictionary(Matrix w, Matrix h)
    {
        for (int c = 0; c < h.Rows; c++)
        {
            double norm = Math.Sqrt(TensorPrimitives.Dot<float>(h.Row(c), h.Row(c)));
            if (norm == 0) continue;
            TensorPrimitives.Divide(h.Row(c), (float)norm, h.Row(c));
            for (int i = 0; i < w.Rows; i++) w[i, c] = (float)(w[i, c] * norm);
        }
    }
}
