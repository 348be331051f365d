using System.Numerics.Tensors;

namespace RepDiff.Numerics;

/// <summary>
/// k extreme eigenpairs of a symmetric operator by thick-restart Lanczos (Wu &amp; Simon) with full
/// reorthogonalization (classical Gram–Schmidt, twice). The basis holds m = max(2k + 20, 40) vectors;
/// at each restart the best Ritz vectors are kept with the residual vector, so the workspace is O(n·k).
/// A pair is converged when ‖A v − θ v‖ ≤ tolerance·‖A‖ (‖A‖ estimated by the largest |Ritz value|).
/// A single Krylov space sees only one direction of a repeated eigenvalue, so after convergence a deflated
/// run from a fresh start vector, orthogonal to the pairs found, checks for a missing copy; any better
/// eigenvalue it finds replaces the worst pair, until none is found (<see cref="Verify"/>, which a caller keeping few of
/// many solves can run on those alone). Small problems go to the dense solver.
/// </summary>
public static class Lanczos
{
    /// <summary>Top-k eigenpairs of op for the target; deterministic for a seed.</summary>
    /// <param name="maxIterations">Cap on operator products per Krylov run (0: max(1000, 60·basis size)); when it is
    /// reached the best Ritz pairs so far are returned.</param>
    /// <param name="start">A start vector close to the wanted eigenvectors (e.g. the answer for a nearby operator);
    /// a random one from the seed when null.</param>
    /// <param name="verify">Whether to probe for missed eigenvalues now (see <see cref="Verify"/>); a caller that solves
    /// many nearby operators and keeps few answers can leave it to <see cref="Verify"/> on those it keeps.</param>
    public static EigenResult Solve(ISymmetricOperator op, int k, EigenTarget target, int seed = 0, double tolerance = 1e-10,
        int maxIterations = 0, IProgress<ProgressUpdate>? progress = null, double[]? start = null, bool verify = true)
    {
        int n = op.Size;
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (k > n) throw new ArgumentOutOfRangeException(nameof(k), $"asked for {k} eigenpairs of a {n}x{n} operator");
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        if (k == 0) return new EigenResult([], []);
        int m = BasisSize(k, n);
        if (n <= 200 || 2 * m >= n) return SolveDense(op, k, target, progress);

        var main = new Run(op, target, Budget(maxIterations, m), progress);
        var found = main.Krylov(k, Rng.Create(seed), [], tolerance, start) with { Norm = main.Norm };
        if (verify) found = Verify(op, found, target, seed, tolerance, maxIterations);
        progress.Report("eigensolver", 1);
        return found;
    }

    /// <summary>
    /// The pairs of <see cref="Solve"/> (called with <c>verify: false</c> and the same op, target, seed, tolerance and
    /// maxIterations) after the probe <see cref="Solve"/> would have made: a single Krylov space sees only one direction
    /// of a repeated eigenvalue, and a warm start can miss any eigenvector it is orthogonal to, so a deflated run from a
    /// random start looks for a better eigenvalue; each find replaces the worst pair, until none is found.
    /// </summary>
    /// <returns><paramref name="found"/> itself when the probe finds nothing better.</returns>
    public static EigenResult Verify(ISymmetricOperator op, EigenResult found, EigenTarget target, int seed = 0, double tolerance = 1e-10,
        int maxIterations = 0)
    {
        int n = op.Size, m = BasisSize(found.Values.Length, n);
        if (n <= 200 || 2 * m >= n) return found;  // the dense solver's pairs are exact: Solve probes only the Krylov solver's
        return Probe(op, found, target, seed, tolerance, Budget(maxIterations, m), found.Norm);
    }

    private static int Budget(int maxIterations, int m) => maxIterations > 0 ? maxIterations : Math.Max(1000, 60 * m);

    /// <summary>
    /// The k largest and the k smallest eigenpairs from one Krylov space (which converges at both ends of the
    /// spectrum at once): about half the operator products of two <see cref="Solve"/> calls, same tolerance.
    /// </summary>
    public static (EigenResult Largest, EigenResult Smallest) SolveBothEnds(ISymmetricOperator op, int k, int seed = 0, double tolerance = 1e-10,
        IProgress<ProgressUpdate>? progress = null)
    {
        int n = op.Size;
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        int m = BasisSize(2 * k, n);
        if (k == 0 || n <= 200 || 2 * m >= n)
            return (Solve(op, k, EigenTarget.Largest, seed, tolerance, 0, progress), Solve(op, k, EigenTarget.Smallest, seed, tolerance, 0, progress));
        int budget = Math.Max(1000, 60 * m);
        var main = new Run(op, EigenTarget.Largest, budget, progress) { BothEnds = true };
        var both = main.Krylov(2 * k, Rng.Create(seed), [], tolerance);
        // The interleaved order puts the largest pairs at even positions and the smallest at odd ones.
        EigenResult Take(int parity) => new(
            both.Values.Where((_, i) => i % 2 == parity).ToArray(), both.Vectors.Where((_, i) => i % 2 == parity).ToArray())
        {
            Converged = both.Converged,
        };
        EigenResult top = Take(0), bottom = Take(1);
        // The probes for missed copies of repeated eigenvalues also share one Krylov space per round: its
        // largest and smallest Ritz pairs are checked against each end's k-th value.
        var verify = new Run(op, EigenTarget.Largest, budget, null) { Norm = main.Norm, BothEnds = true };
        double loose = Math.Max(tolerance, 1e-2 * Math.Sqrt(tolerance));
        for (int round = 1; round <= 2 * k; round++)
        {
            double[][] locked = [.. top.Vectors, .. bottom.Vectors];
            var probe = verify.Krylov(2, Rng.Create(Rng.Derive(seed, round)), locked, loose);
            double margin = 10 * Math.Max(tolerance, 1e-12) * verify.Norm;
            bool higher = probe.Values.Length > 0 && probe.Values[0] > top.Values[k - 1] + margin;
            bool lower = probe.Values.Length > 1 && probe.Values[1] < bottom.Values[k - 1] - margin;
            if (!higher && !lower) break;
            // Refine one find per round (the higher one first), then probe again.
            var target = higher ? EigenTarget.Largest : EigenTarget.Smallest;
            var extra = new Run(op, target, budget, null) { Norm = verify.Norm }
                .Krylov(1, Rng.Create(Rng.Derive(seed, round)), locked, tolerance, probe.Vectors[higher ? 0 : 1]);
            if (higher) top = Insert(top, extra, target);
            else bottom = Insert(bottom, extra, target);
        }
        progress.Report("eigensolver", 1);
        return (top, bottom);
    }

    // found with the one pair of extra added, keeping the best found.Length for the target.
    private static EigenResult Insert(EigenResult found, EigenResult extra, EigenTarget target)
    {
        var values = found.Values.Append(extra.Values[0]).ToArray();
        var vectors = found.Vectors.Append(extra.Vectors[0]).ToArray();
        var order = EigenOrder.Order(values, target).Take(found.Values.Length).ToArray();
        return new EigenResult(order.Select(i => values[i]).ToArray(), order.Select(i => vectors[i]).ToArray())
        {
            Converged = found.Converged && extra.Converged,
            Norm = found.Norm,
        };
    }

    // Look for eigenvalues a single Krylov space missed (copies of repeated eigenvalues). The probe only has
    // to decide whether the deflated operator has a better eigenvalue than the k-th found, so it runs to a
    // loose residual (its Ritz value is then accurate to about the residual squared over the gap); only a
    // real find is refined, from the probe's vector, to the full tolerance.
    private static EigenResult Probe(ISymmetricOperator op, EigenResult found, EigenTarget target, int seed,
        double tolerance, int budget, double norm)
    {
        int k = found.Values.Length;
        if (k == 0) return found;
        var verify = new Run(op, target, budget, null) { Norm = norm };
        double loose = Math.Max(tolerance, 1e-2 * Math.Sqrt(tolerance));
        for (int round = 1; round <= k; round++)
        {
            var probe = verify.Krylov(1, Rng.Create(Rng.Derive(seed, round)), found.Vectors, loose);
            double margin = 10 * Math.Max(tolerance, 1e-12) * verify.Norm;
            if (probe.Values.Length == 0 || EigenOrder.Key(probe.Values[0], target) >= EigenOrder.Key(found.Values[k - 1], target) - margin) break;
            var extra = verify.Krylov(1, Rng.Create(Rng.Derive(seed, round)), found.Vectors, tolerance, probe.Vectors[0]);
            found = Insert(found, extra, target);
        }
        return found;
    }

    internal static int BasisSize(int k, int n) => Math.Min(n, Math.Max(2 * k + 20, 40));

    // Forms the matrix column by column and decomposes it: exact for small n.
    private static EigenResult SolveDense(ISymmetricOperator op, int k, EigenTarget target, IProgress<ProgressUpdate>? progress)
    {
        int n = op.Size;
        var a = new double[n * n];
        var e = new double[n];
        var col = new double[n];
        for (int j = 0; j < n; j++)
        {
            e[j] = 1;
            op.Multiply(e, col);
            e[j] = 0;
            for (int i = 0; i < n; i++) a[i * n + j] = col[i];
        }
        var all = SymmetricEigen.Decompose(a, n);
        var order = EigenOrder.Order(all.Values, target);
        progress.Report("eigensolver", 1);
        return new EigenResult(order.Take(k).Select(i => all.Values[i]).ToArray(), order.Take(k).Select(i => all.Vectors[i]).ToArray());
    }

    private sealed class Run(ISymmetricOperator op, EigenTarget target, int budget, IProgress<ProgressUpdate>? progress)
    {
        private readonly int n = op.Size;

        /// <summary>Wants both ends: Ritz pairs ordered largest, smallest, second largest, second smallest, ...</summary>
        public bool BothEnds { get; init; }

        /// <summary>Largest |Ritz value| seen: the scale for residual tolerances.</summary>
        public double Norm { get; set; }

        /// <summary>k wanted pairs of op restricted to the complement of the locked (orthonormal) vectors.</summary>
        public EigenResult Krylov(int k, Random rng, double[][] locked, double tolerance, double[]? start = null)
        {
            int available = n - locked.Length;
            if (available <= 0) return new EigenResult([], []);
            k = Math.Min(k, available);
            int m = Math.Min(BasisSize(k, n), available);
            var v = new double[m + 1][];
            for (int i = 0; i <= m; i++) v[i] = new double[n];
            var scratch = new double[m][];
            var t = new double[(m + 1) * (m + 1)];
            var h = new double[m + 1];
            if (start is null) RandomUnit(v[0], rng, v, 0, locked);
            else
            {
                start.CopyTo(v[0], 0);
                Orthogonalize(v[0], v, 0, locked, h);
                TensorPrimitives.Divide(v[0], Math.Sqrt(TensorPrimitives.Dot(v[0], v[0])), v[0]);
            }

            int p = 0, products = 0;
            while (true)
            {
                // Expand the basis from p to m vectors; v[m] ends as the residual direction, beta its norm.
                double beta = 0;
                for (int j = p; j < m; j++)
                {
                    var w = v[j + 1];
                    op.Multiply(v[j], w);
                    products++;
                    double alpha = Orthogonalize(w, v, j + 1, locked, h);
                    t[j * (m + 1) + j] = alpha;
                    if (j + 1 >= available)
                    {
                        beta = 0; // the basis spans the whole space: every Ritz pair is exact
                        break;
                    }
                    beta = Math.Sqrt(TensorPrimitives.Dot(w, w));
                    if (beta <= 1e-13 * Math.Max(Norm, Math.Abs(alpha)))
                    {
                        beta = 0; // invariant subspace: continue from a fresh direction, uncoupled
                        RandomUnit(w, rng, v, j + 1, locked);
                    }
                    else TensorPrimitives.Divide(w, beta, w);
                    if (j + 1 < m) t[(j + 1) * (m + 1) + j] = t[j * (m + 1) + j + 1] = beta;
                }

                var proj = new double[m * m];
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < m; j++) proj[i * m + j] = t[i * (m + 1) + j];
                var ritz = SymmetricEigen.Decompose(proj, m);
                var order = BothEnds ? EigenOrder.Interleaved(ritz.Values) : EigenOrder.Order(ritz.Values, target);
                foreach (double value in ritz.Values) Norm = Math.Max(Norm, Math.Abs(value));

                // Residual of Ritz pair (θ, V y): ‖A V y − θ V y‖ = beta·|y[m−1]|.
                int converged = 0;
                while (converged < k && Math.Abs(beta * ritz.Vectors[order[converged]][m - 1]) <= tolerance * Norm) converged++;
                progress.Report("eigensolver", (double)converged / k);
                if (converged >= k || products >= budget)
                    return RitzPairs(v, ritz, order, k, m) with { Converged = converged >= k };

                // Thick restart: keep the best Ritz vectors and the residual vector; T becomes arrowhead.
                int keep = Math.Min(m - 1, k + (m - k) / 2);
                for (int i = 0; i < keep; i++)
                {
                    scratch[i] ??= new double[n];
                    Combine(v, ritz.Vectors[order[i]], m, scratch[i]);
                }
                v[m].CopyTo(v[keep], 0);
                for (int i = 0; i < keep; i++) scratch[i].CopyTo(v[i], 0);
                Array.Clear(t);
                for (int i = 0; i < keep; i++)
                {
                    t[i * (m + 1) + i] = ritz.Values[order[i]];
                    t[i * (m + 1) + keep] = t[keep * (m + 1) + i] = beta * ritz.Vectors[order[i]][m - 1];
                }
                p = keep;
            }
        }

        private EigenResult RitzPairs(double[][] v, EigenResult ritz, int[] order, int k, int size)
        {
            var values = new double[k];
            var vectors = new double[k][];
            for (int r = 0; r < k; r++)
            {
                values[r] = ritz.Values[order[r]];
                var x = new double[n];
                Combine(v, ritz.Vectors[order[r]], size, x);
                double norm = Math.Sqrt(TensorPrimitives.Dot(x, x));
                TensorPrimitives.Divide(x, norm, x);
                SymmetricEigen.NormalizeSign(x);
                vectors[r] = x;
            }
            return new EigenResult(values, vectors);
        }

        private static void Combine(double[][] v, double[] y, int size, double[] dest)
        {
            Array.Clear(dest);
            for (int l = 0; l < size; l++)
                if (y[l] != 0) TensorPrimitives.MultiplyAdd(v[l], y[l], dest, dest);
        }

        // w ⟂ locked and v[0..count): two passes of classical Gram–Schmidt. Returns the coefficient on v[count−1].
        private static double Orthogonalize(double[] w, double[][] v, int count, double[][] locked, double[] h)
        {
            double diagonal = 0;
            for (int pass = 0; pass < 2; pass++)
            {
                foreach (var u in locked) TensorPrimitives.MultiplyAdd(u, -TensorPrimitives.Dot(u, w), w, w);
                if (count == 0) continue;
                Gemv(v, count, w, h);
                diagonal += h[count - 1];
                for (int i = 0; i < count; i++) TensorPrimitives.MultiplyAdd(v[i], -h[i], w, w);
            }
            return diagonal;
        }

        private static void Gemv(double[][] v, int count, double[] w, double[] h) =>
            Gemm.ParallelFor(count, Gemm.ThreadsFor((long)count * w.Length), i => h[i] = TensorPrimitives.Dot(v[i], w));

        private void RandomUnit(double[] x, Random rng, double[][] v, int count, double[][] locked)
        {
            var h = new double[Math.Max(count, 1)];
            for (int attempt = 0; ; attempt++)
            {
                for (int i = 0; i < n; i++) x[i] = Rng.Normal(rng);
                Orthogonalize(x, v, count, locked, h);
                double norm = Math.Sqrt(TensorPrimitives.Dot(x, x));
                if (norm > 1e-8 || attempt > 10)
                {
                    TensorPrimitives.Divide(x, norm, x);
                    return;
                }
            }
        }
    }
}
