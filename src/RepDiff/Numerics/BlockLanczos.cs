using System.Numerics.Tensors;

namespace RepDiff.Numerics;

/// <summary>
/// Both ends of the spectrum of a symmetric operator by thick-restart block Lanczos with full
/// reorthogonalization. An operator whose single product is bound by reading its matrix (SPEC's
/// triangular factors) reads it once per block of b vectors instead of once per vector, which is where the
/// speed comes from. A block of b vectors also sees every copy of an eigenvalue repeated up to b times, so
/// no separate probe for missed copies is run, unlike <see cref="Lanczos"/>.
/// </summary>
/// <remarks>
/// The basis Q (orthonormal) is kept with its images W = A Q, so the projection is H = QᵀW. Each step
/// multiplies the pending block P (orthogonal to Q), appends it, and makes the next P from its images
/// orthogonalized against Q (classical Gram–Schmidt, twice). When the basis has m vectors the Ritz pairs
/// of H are formed; a pair (θ, Q y) is converged when ‖W y − θ Q y‖ ≤ tolerance·‖A‖ (‖A‖ estimated by the
/// largest |Ritz value|). Otherwise the best Ritz vectors are kept (Q ← Q Y, W ← W Y, no products) and the
/// expansion continues from P, which is still orthogonal to them: A Q Y = Q Y Θ + P C, the thick-restart identity.
/// </remarks>
public static class BlockLanczos
{
    /// <summary>The k largest and k smallest eigenpairs (Values descending and ascending); deterministic for a seed.</summary>
    public static (EigenResult Largest, EigenResult Smallest) SolveBothEnds(IBlockSymmetricOperator op, int k, int seed = 0,
        double tolerance = 1e-10, IProgress<ProgressUpdate>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        if (k == 0 || 2 * BasisSize(2 * k) >= op.Size) return Lanczos.SolveBothEnds(op, k, seed, tolerance, progress);
        var (values, vectors, converged) = Solve(op, 2 * k, values => EigenOrder.Interleaved(values), seed, tolerance, progress);
        EigenResult Take(int parity)
        {
            var picks = Enumerable.Range(0, 2 * k).Where(i => i % 2 == parity).ToArray();
            return new EigenResult(picks.Select(i => values[i]).ToArray(), picks.Select(i => vectors[i]).ToArray()) { Converged = converged };
        }
        return (Take(0), Take(1));
    }

    /// <summary>The k eigenpairs wanted by <paramref name="target"/>, ordered as <see cref="EigenResult"/> says; deterministic for a seed.</summary>
    public static EigenResult Solve(IBlockSymmetricOperator op, int k, EigenTarget target, int seed = 0,
        double tolerance = 1e-10, IProgress<ProgressUpdate>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        if (k == 0 || 2 * BasisSize(k) >= op.Size) return Lanczos.Solve(op, k, target, seed, tolerance, progress: progress);
        var (values, vectors, converged) = Solve(op, k, values => EigenOrder.Order(values, target), seed, tolerance, progress);
        return new EigenResult(values, vectors) { Converged = converged };
    }

    // 16 blocks: fewest products for SPEC's 20 pairs (408; 448 at 14 or 20, 496 at 12).
    private static int BasisSize(int wanted) => Math.Max(16 * BlockSize, 2 * wanted + 4 * BlockSize);

    // The first `wanted` Ritz pairs in the order `rank` gives them (unit vectors, sign-normalized).
    private static (double[] Values, double[][] Vectors, bool Converged) Solve(IBlockSymmetricOperator op, int wanted,
        Func<double[], int[]> rank, int seed, double tolerance, IProgress<ProgressUpdate>? progress)
    {
        int n = op.Size;
        const int b = BlockSize;
        int m = BasisSize(wanted);
        int budget = Math.Max(1000, 60 * m);
        var rng = Rng.Create(seed);
        var q = new List<double[]>();
        var w = new List<double[]>();
        // Vectors the restarts discard are reused: above 10,600 entries each is on the large-object heap, which only a
        // full collection frees, and at n = 20,000 (RDX) the discarded ones had raised the peak memory by 0.9 GB.
        var spare = new Stack<double[]>();
        double[] TakeVector() => spare.TryPop(out var v) ? v : new double[n];
        var pending = new double[b][];
        for (int c = 0; c < b; c++) pending[c] = new double[n];
        double norm = 0;
        for (int c = 0; c < b; c++) RandomUnit(pending, c, rng, q);
        int products = 0;
        while (true)
        {
            while (q.Count < m)
            {
                var images = new double[b][];
                for (int c = 0; c < b; c++) images[c] = TakeVector();
                op.Multiply(pending, images);
                products += b;
                q.AddRange(pending);
                w.AddRange(images);
                pending = images.Select(v =>
                {
                    var copy = TakeVector();
                    v.CopyTo(copy, 0);
                    return copy;
                }).ToArray();
                Orthonormalize(pending, q, rng, norm);
            }

            int size = q.Count;
            var ritz = SymmetricEigen.Decompose(Gram(q, w), size);
            foreach (double value in ritz.Values) norm = Math.Max(norm, Math.Abs(value));
            var order = rank(ritz.Values);

            // Residuals W y − θ Q y of the wanted pairs; the leading converged ones count.
            var wantedVectors = Enumerable.Range(0, wanted).Select(i => ritz.Vectors[order[i]]).ToArray();
            var residuals = Combine(w, wantedVectors, TakeVector);
            var ritzVectors = Combine(q, wantedVectors, TakeVector);
            int converged = 0;
            while (converged < wanted)
            {
                var r = residuals[converged];
                TensorPrimitives.MultiplyAdd<double>(ritzVectors[converged], -ritz.Values[order[converged]], r, r);
                if (Math.Sqrt(TensorPrimitives.Dot<double>(r, r)) > tolerance * norm) break;
                converged++;
            }
            progress.Report("eigensolver", (double)converged / wanted);
            if (converged == wanted || products >= budget)
            {
                progress.Report("eigensolver", 1);
                foreach (var x in ritzVectors)
                {
                    TensorPrimitives.Divide<double>(x, Math.Sqrt(TensorPrimitives.Dot<double>(x, x)), x);
                    SymmetricEigen.NormalizeSign(x);
                }
                return (order.Take(wanted).Select(i => ritz.Values[i]).ToArray(), ritzVectors, converged == wanted);
            }

            // Thick restart: keep the wanted pairs and half of the rest, best first.
            int keep = wanted + (size - wanted) / 2;
            var coefficients = Enumerable.Range(0, keep).Select(i => ritz.Vectors[order[i]]).ToArray();
            foreach (var v in residuals.Concat(ritzVectors)) spare.Push(v);
            var kept = Combine(q, coefficients, TakeVector);
            foreach (var v in q) spare.Push(v);
            q = [.. kept];
            kept = Combine(w, coefficients, TakeVector);
            foreach (var v in w) spare.Push(v);
            w = [.. kept];
        }
    }

    /// <summary>
    /// Vectors per block. Eight is one register-wide row of doubles; a deeper Krylov space of small blocks
    /// converges in fewer products than a shallow one of wide blocks (measured with a basis of 20 blocks: 448
    /// products at 8 against 688 at 16 and 1,792 at 32 for SPEC's 20 pairs at D = 4,000).
    /// </summary>
    internal const int BlockSize = 8;

    // The vector operations below walk the vectors in row chunks, so each basis chunk is read once from memory
    // for all the vectors it meets (the basis, ~5 MB at D = 4,000, does not fit in cache); chunks are dealt to
    // threads, and every sum runs in a fixed order, so results do not depend on the thread count.
    private const int Chunk = 512;

    private static int Chunks(int n) => (n + Chunk - 1) / Chunk;

    // Σ_i y[o][i] basis[i] for each coefficient vector y[o].
    private static double[][] Combine(List<double[]> basis, double[][] y, Func<double[]> vector)
    {
        int n = basis[0].Length;
        var result = y.Select(_ =>
        {
            var v = vector();
            Array.Clear(v);
            return v;
        }).ToArray();
        Parallel.For(0, Chunks(n), c =>
        {
            int start = c * Chunk, length = Math.Min(Chunk, n - start);
            for (int i = 0; i < basis.Count; i++)
            {
                var source = basis[i].AsSpan(start, length);
                for (int o = 0; o < y.Length; o++)
                    if (y[o][i] != 0)
                    {
                        var target = result[o].AsSpan(start, length);
                        TensorPrimitives.MultiplyAdd<double>(source, y[o][i], target, target);
                    }
            }
        });
        return result;
    }

    // H = QᵀW (size × size), eight rows of H per task so each chunk of W is read once per eight q vectors.
    private static double[] Gram(List<double[]> q, List<double[]> w)
    {
        int size = q.Count, n = q[0].Length;
        var h = new double[size * size];
        Parallel.For(0, (size + 7) / 8, g =>
        {
            int i0 = 8 * g, i1 = Math.Min(size, i0 + 8);
            for (int start = 0; start < n; start += Chunk)
            {
                int length = Math.Min(Chunk, n - start);
                for (int j = 0; j < size; j++)
                {
                    var wj = w[j].AsSpan(start, length);
                    for (int i = i0; i < i1; i++) h[i * size + j] += TensorPrimitives.Dot<double>(q[i].AsSpan(start, length), wj);
                }
            }
        });
        return h;
    }

    // Each block column ⟂ the basis: block −= Q (Qᵀ block), twice (classical Gram–Schmidt), with Q read once per pass.
    private static void ProjectBlock(double[][] block, List<double[]> basis)
    {
        int n = block[0].Length, count = basis.Count, b = block.Length, chunks = Chunks(n);
        if (count == 0) return;
        var partial = new double[chunks][];
        for (int pass = 0; pass < 2; pass++)
        {
            Parallel.For(0, chunks, c =>
            {
                int start = c * Chunk, length = Math.Min(Chunk, n - start);
                var h = partial[c] ??= new double[count * b];
                for (int i = 0; i < count; i++)
                {
                    var qi = basis[i].AsSpan(start, length);
                    for (int col = 0; col < b; col++) h[i * b + col] = TensorPrimitives.Dot<double>(qi, block[col].AsSpan(start, length));
                }
            });
            var coefficients = new double[count * b];
            foreach (var h in partial) TensorPrimitives.Add<double>(coefficients, h, coefficients);
            Parallel.For(0, chunks, c =>
            {
                int start = c * Chunk, length = Math.Min(Chunk, n - start);
                for (int i = 0; i < count; i++)
                {
                    var qi = basis[i].AsSpan(start, length);
                    for (int col = 0; col < b; col++)
                    {
                        var target = block[col].AsSpan(start, length);
                        TensorPrimitives.MultiplyAdd<double>(qi, -coefficients[i * b + col], target, target);
                    }
                }
            });
        }
    }

    // Each column ⟂ the basis, then ⟂ the columns before it, normalized. A column that vanishes (the block spans
    // an invariant subspace, or is rank-deficient) is replaced by a random one, so the block keeps b columns.
    private static void Orthonormalize(double[][] block, List<double[]> basis, Random rng, double norm)
    {
        var before = block.Select(x => Math.Sqrt(TensorPrimitives.Dot<double>(x, x))).ToArray();
        ProjectBlock(block, basis);
        for (int c = 0; c < block.Length; c++)
        {
            double after = Project(block[c], block, c);
            if (after <= 1e-13 * Math.Max(norm, before[c]) || after == 0) RandomUnit(block, c, rng, basis);
            else TensorPrimitives.Divide<double>(block[c], after, block[c]);
        }
    }

    // x −= its components along vectors[0..count), twice (classical Gram–Schmidt); returns its norm after.
    private static double Project(double[] x, IReadOnlyList<double[]> vectors, int count)
    {
        var h = new double[count];
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < count; i++) h[i] = TensorPrimitives.Dot<double>(vectors[i], x);
            for (int i = 0; i < count; i++) TensorPrimitives.MultiplyAdd<double>(vectors[i], -h[i], x, x);
        }
        return Math.Sqrt(TensorPrimitives.Dot<double>(x, x));
    }

    // block[c] = a random unit vector ⟂ the basis and block[0..c).
    private static void RandomUnit(double[][] block, int c, Random rng, List<double[]> basis)
    {
        var x = block[c];
        for (int attempt = 0; ; attempt++)
        {
            for (int i = 0; i < x.Length; i++) x[i] = Rng.Normal(rng);
            Project(x, basis, basis.Count);
            double after = Project(x, block, c);
            if (after > 1e-8 || attempt > 10)
            {
                TensorPrimitives.Divide<double>(x, after, x);
                return;
            }
        }
    }
}
