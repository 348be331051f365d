using System.Numerics.Tensors;
using RepDiff.Numerics;
using RepDiff.Options;
using RepDiff.Spectral;

namespace RepDiff.Metrics;

/// <summary>
/// Centered kernel alignment (Kornblith et al. 2019): how similar two representations of the same samples
/// are, invariant to orthogonal transforms and isotropic scaling. 1 for identical representations.
/// </summary>
public static class Cka
{
    /// <summary>
    /// Linear CKA = ‖AᶜᵀBᶜ‖²_F / (‖AᶜᵀAᶜ‖_F ‖BᶜᵀBᶜ‖_F), Aᶜ, Bᶜ column-centered. Computed through the
    /// d×d cross-covariances, so it scales to any n, or through the n×n Gram matrices when they are smaller
    /// (more dimensions than samples). In [0, 1]; null when a representation has no variance (every row the same,
    /// <see cref="ConstantRows"/>): its centred kernel is zero and CKA is 0/0, undefined rather than 0.
    /// </summary>
    public static double? Linear(Matrix a, Matrix b)
    {
        var s = Sums.Of(a, b);
        double denominator = Math.Sqrt(s.NormAA) * Math.Sqrt(s.NormBB);
        return denominator == 0 ? null : Math.Clamp(s.NormAB / denominator, 0, 1);
    }

    /// <summary>
    /// Debiased linear CKA: the unbiased HSIC estimator of Song et al. (2012) in place of the biased one,
    /// through the same d×d route (Kornblith's feature-space formula). Close to 0 for unrelated
    /// representations even when n is small relative to d; the estimator can fall slightly below 0. Null when the
    /// estimate of a representation's HSIC with itself is not positive: 0 for one without variance, below 0 when a few
    /// rows dominate so much that the estimator's terms cancel beyond float32 precision; a ratio of those means nothing.
    /// At most 1 in magnitude (unbiased HSIC is an inner product of U-centred Gram matrices, so Cauchy–Schwarz bounds
    /// the ratio); the float32 sums read 1 + 1.3e-7 for a representation against itself, so it is clamped as
    /// <see cref="Linear"/> is.
    /// </summary>
    public static double? LinearDebiased(Matrix a, Matrix b)
    {
        int n = a.Rows;
        if (n < 4) throw new RepDiffInputException($"debiased CKA needs at least 4 samples, found {n}");
        var s = Sums.Of(a, b);
        double hab = DebiasedHsic(s.NormAB, s.RowNormsA, s.RowNormsB, n);
        double haa = DebiasedHsic(s.NormAA, s.RowNormsA, s.RowNormsA, n);
        double hbb = DebiasedHsic(s.NormBB, s.RowNormsB, s.RowNormsB, n);
        return haa > 0 && hbb > 0 ? Math.Clamp(hab / (Math.Sqrt(haa) * Math.Sqrt(hbb)), -1, 1) : null;
    }

    /// <summary>
    /// n(n−3)·HSIC₁ for centered features, where K̃ = K − diag(K): tr(K̃L̃) + 1ᵀK̃1·1ᵀL̃1/((n−1)(n−2)) − 2/(n−2)·1ᵀK̃L̃1,
    /// with K = XXᵀ: tr(KL) = ‖XᵀY‖²_F, and centering makes K1 = 0 so the other terms need only row norms.
    /// </summary>
    private static double DebiasedHsic(double crossNorm, double[] rowNormsX, double[] rowNormsY, int n)
    {
        double dot = 0, sumX = 0, sumY = 0;
        for (int i = 0; i < n; i++)
        {
            dot += rowNormsX[i] * rowNormsY[i];
            sumX += rowNormsX[i];
            sumY += rowNormsY[i];
        }
        return crossNorm - (double)n / (n - 2) * dot + sumX * sumY / ((n - 1.0) * (n - 2.0));
    }

    /// <summary>Default size above which <see cref="Rbf"/> works on a seeded random subset (it needs two n×n Gram matrices).</summary>
    public const int DefaultRbfMaxSamples = 5000;

    /// <summary>Largest subset RBF CKA accepts: two n×n double Gram matrices of 20,000 samples take 6.4 GB.</summary>
    public const int MaxRbfSamples = 20000;

    /// <summary>
    /// Bytes RBF CKA holds on n samples: two n×n float64 Gram matrices and each side's n×n float32 squared distances (the
    /// first side's are garbage by then, but not yet collected: 955 MB peak at n = 6,000 against 104 MB at n = 2).
    /// </summary>
    public static long RbfBytes(long n) => 24 * n * n;

    /// <summary>
    /// Refuses RBF CKA on <paramref name="samples"/> samples past the shared limit of work (<see cref="IO.MemoryBudget.WorkLimit()"/>),
    /// before any work, naming the subsample size that fits: --rbf-max-samples 20000 took 9.5 GB unchecked against 3/4 of what was free.
    /// </summary>
    public static void CheckRbfMemory(int samples)
    {
        long bytes = RbfBytes(samples), limit = IO.MemoryBudget.WorkLimit();
        if (bytes <= limit) return;
        int fits = IO.MemoryBudget.LargestFitting(samples, limit, size => RbfBytes(size));
        throw new InvalidOptionException(nameof(ContextMetricsOptions.RbfMaxSamples),
            $"RBF CKA on {samples:N0} samples needs {bytes / 1e9:F1} GB for its n×n Gram matrices (limit {limit / 1e9:F1} GB); "
            + (fits >= 2 ? $"set it to {fits:N0} to run on a seeded subsample" : "there is too little memory free for any subsample"));
    }

    /// <summary>
    /// CKA with Gaussian kernels K(i,j) = exp(−‖x_i − x_j‖² / (2σ²)), σ² = the median squared distance
    /// between distinct samples (per representation). Needs n×n: above maxSamples it uses a seeded random
    /// subset of that many samples (<paramref name="usedSamples"/> says how many were used). Pairs of duplicate rows
    /// (squared distance 0) do not enter the median. Null when a representation has every row the same (as <see cref="Linear"/>).
    /// </summary>
    public static double? Rbf(Matrix a, Matrix b, out int usedSamples, int maxSamples = DefaultRbfMaxSamples, int seed = 0)
    {
        if (a.Rows != b.Rows) throw new ArgumentException("A and B must have the same rows");
        if (a.Rows < 2) throw new RepDiffInputException("RBF CKA needs at least 2 samples");
        if (maxSamples > MaxRbfSamples)
            throw new RepDiffInputException($"RBF CKA on {maxSamples} samples would need {2.0 * 8 * maxSamples * maxSamples / 1e9:F0} GB; use at most {MaxRbfSamples} (linear CKA has no such limit)");
        if (a.Rows > maxSamples)
        {
            var rows = Sampling.Uniform(a.Rows, maxSamples, seed);
            a = a.SelectRows(rows);
            b = b.SelectRows(rows);
        }
        usedSamples = a.Rows;
        CheckRbfMemory(a.Rows);
        var ka = CenteredRbfGram(a);
        var kb = CenteredRbfGram(b);
        double ab = Dot(ka, kb), aa = Dot(ka, ka), bb = Dot(kb, kb);
        double denominator = Math.Sqrt(aa) * Math.Sqrt(bb);
        return denominator == 0 ? null : Math.Clamp(ab / denominator, 0, 1);
    }

    /// <summary>HKH for the Gaussian kernel with median bandwidth; double precision because the centering subtracts large sums.</summary>
    private static double[] CenteredRbfGram(Matrix x)
    {
        int n = x.Rows;
        var d2 = Distances.SquaredEuclidean(x);
        // Over distinct samples: when most rows are duplicates the median of all pairs is 0, which would make K all ones
        // and CKA 0 even of a representation with itself.
        double sigma2 = Selection.PositiveMedianAboveDiagonal(d2, v => v);
        double scale = sigma2 > 0 ? -1.0 / (2 * sigma2) : 0;
        var k = new double[(long)n * n];
        Parallel.For(0, n, i =>
        {
            var row = d2.Row(i);
            var ki = k.AsSpan(i * n, n);
            for (int j = 0; j < n; j++) ki[j] = Math.Exp(scale * row[j]);
        });
        // K is symmetric, so row means equal column means.
        var means = new double[n];
        Parallel.For(0, n, i => means[i] = TensorPrimitives.Sum<double>(k.AsSpan(i * n, n)) / n);
        double grand = means.Average();
        Parallel.For(0, n, i =>
        {
            var ki = k.AsSpan(i * n, n);
            for (int j = 0; j < n; j++) ki[j] += grand - means[i] - means[j];
        });
        return k;
    }

    private static double Dot(double[] x, double[] y)
    {
        int n = (int)Math.Sqrt(x.Length);
        var partial = new double[n];
        Parallel.For(0, n, i => partial[i] = TensorPrimitives.Dot<double>(x.AsSpan(i * n, n), y.AsSpan(i * n, n)));
        return partial.Sum();
    }

    /// <summary>
    /// The sums linear and debiased CKA need, over column-centered A and B: ‖AᶜᵀBᶜ‖²_F, ‖AᶜᵀAᶜ‖²_F, ‖BᶜᵀBᶜ‖²_F
    /// and the rows' squared norms. Through the feature route, rows are centered and multiplied in chunks whose
    /// float products are summed in double (as SYRK does), so precision does not degrade with n and memory stays
    /// at d×d. With more dimensions than samples the n×n Gram matrices K = AᶜAᶜᵀ, L = BᶜBᶜᵀ are smaller and give the
    /// same sums: ‖AᶜᵀBᶜ‖²_F = tr(KL) = ⟨K, L⟩_F, ‖AᶜᵀAᶜ‖²_F = ‖K‖²_F, and the row norms are K's diagonal.
    /// </summary>
    internal sealed record Sums(double NormAB, double NormAA, double NormBB, double[] RowNormsA, double[] RowNormsB)
    {
        private const int Chunk = 1024;

        public static Sums Of(Matrix a, Matrix b, bool? throughSamples = null)
        {
            if (a.Rows != b.Rows) throw new ArgumentException($"A has {a.Rows} rows and B {b.Rows}; they must describe the same samples");
            int n = a.Rows, da = a.Cols, db = b.Cols;
            // The feature route holds two d×d Gram sums and the cross product (a double sum and a float work matrix each).
            long featureBytes = 12 * ((long)da * da + (long)db * db + (long)da * db), sampleBytes = 2 * SampleKernels.Bytes(n);
            long limit = IO.MemoryBudget.WorkLimit();
            if (Math.Min(featureBytes, sampleBytes) > limit)
                throw new RepDiffInputException($"linear CKA of {n} samples of {da} and {db} dimensions needs {Math.Min(featureBytes, sampleBytes) / 1e9:F1} GB "
                    + $"(d×d or n×n sums, whichever is smaller; limit {limit / 1e9:F1} GB); reduce the dimensions (e.g. with PCA) or the samples first");
            var meanA = KMeans.ColumnMeans(a);
            var meanB = KMeans.ColumnMeans(b);
            if (throughSamples ?? sampleBytes < featureBytes)
            {
                // The kernel of explicit features: here the centred rows themselves.
                double[] k = new double[(long)n * n], l = new double[(long)n * n];
                SampleKernels.AddGram(Distances.Centre(a, meanA), 1, k);
                SampleKernels.AddGram(Distances.Centre(b, meanB), 1, l);
                var diagonal = (double[] g) => Enumerable.Range(0, n).Select(i => g[(long)i * n + i]).ToArray();
                return new Sums(Dot(k, l), Dot(k, k), Dot(l, l), diagonal(k), diagonal(l));
            }
            var gramA = new CovarianceAccumulator(da);
            var gramB = new CovarianceAccumulator(db);
            var cross = new double[(long)da * db];
            var product = new float[(long)da * db];
            var rowNormsA = new double[n];
            var rowNormsB = new double[n];
            Matrix ca = new(Math.Min(Chunk, n), da), cb = new(Math.Min(Chunk, n), db);
            for (int first = 0; first < n; first += Chunk)
            {
                int rows = Math.Min(Chunk, n - first);
                if (rows != ca.Rows) (ca, cb) = (new Matrix(rows, da), new Matrix(rows, db));   // the last, shorter chunk
                CenterRows(a, meanA, first, ca, rowNormsA);
                CenterRows(b, meanB, first, cb, rowNormsB);
                gramA.Add(ca);
                gramB.Add(cb);
                Gemm.Compute(da, db, rows, 1f, ca.Data, 0, da, true, cb.Data, 0, db, false, 0f, product, 0, db);
                Parallel.For(0, da, i =>
                {
                    for (int j = i * db; j < (i + 1) * db; j++) cross[j] += product[j];
                });
            }
            return new Sums(SquaredNorm(cross), SquaredNorm(gramA.Sum), SquaredNorm(gramB.Sum), rowNormsA, rowNormsB);
        }

        /// <summary>Rows [first, first + rows.Rows) of x minus the mean into rows, recording each row's squared norm.</summary>
        private static void CenterRows(Matrix x, float[] mean, int first, Matrix rows, double[] rowNorms) =>
            Parallel.For(0, rows.Rows, r =>
            {
                TensorPrimitives.Subtract(x.Row(first + r), mean, rows.Row(r));
                rowNorms[first + r] = TensorPrimitives.Dot<float>(rows.Row(r), rows.Row(r));
            });

        private static double SquaredNorm(double[] values) => TensorPrimitives.Dot<double>(values, values);
    }
}
