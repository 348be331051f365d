using System.Diagnostics;
using System.Numerics.Tensors;
using RepDiff.Numerics;

namespace RepDiff.Spectral;

/// <summary>
/// The ridged feature route (SPEC's --covariance-ridge ε) solved exactly in the span of the feature rows, for few samples.
/// </summary>
/// <remarks>
/// The covariance form factors G_ε = ΦᵀΦ/n + εI = L Lᵀ (D×D) and takes the top and bottom k eigenpairs (λ, u) of
/// Θ = Lᵀ S L, whose eigenvalues are those of S G_ε; it returns λ, the feature-space eigenvector w = S L u of S G_ε
/// (normalized by wᵀ G_ε w = λ², whatever factor L is) and the sample scores Φ w / (√n |λ|).
/// <para>
/// With S = diag(s_1 I, s_2 I, ...) one weight per block Φ_t, the subspace V = ⊕_t range(Φ_tᵀ) (dimension m = Σ r_t, r_t =
/// rank Φ_t ≤ n) holds Φᵀy for every y and is kept by S, so S G_ε maps V into V; on its orthogonal complement ⊕_t null(Φ_t)
/// Φ w = 0 and S G_ε acts as ε s_t on block t. So the spectrum of S G_ε is that of its restriction to V plus ε s_t repeated
/// D_t − r_t times, and those complement eigenvectors score every sample 0.
/// </para>
/// <para>
/// An orthonormal basis of V: K_t = Φ_t Φ_tᵀ = U_t Σ_t² U_tᵀ (n×n, products and sums in double), Q_t = Φ_tᵀ U_t Σ_t⁻¹ for the
/// eigenvalues kept (<see cref="RankTolerance"/>). Then Φ_t Q_t = U_t Σ_t, so in coordinates w = Q c the restriction is the
/// same problem with m features Φ_V = [U_1 Σ_1 | U_2 Σ_2 | ...]: G_V = Φ_Vᵀ Φ_V / n + εI (diagonal blocks Σ_t²/n + εI, off-diagonal
/// blocks Σ_t U_tᵀ U_u Σ_u / n), solved by <see cref="FeatureGram"/> as the covariance form is. Its c = S_V L_V u gives
/// w_t = Q_t c_t = Φ_tᵀ (U_t Σ_t⁻¹ c_t) with cᵀ G_V c = wᵀ G_ε w = λ²: the covariance form's w to the sign, and scores
/// Φ w = Φ_V c. Cost O(n² D + n³) and memory O(n D + n²) instead of O(n D² + D³) and O(D²).
/// </para>
/// <para>
/// The complement's eigenvalues ε s_t join the spectrum as the covariance form reports it (top k and bottom k). When one of
/// them would be a mode (|ε s_t| above the zero threshold and among the k largest of its sign: a large ridge on few samples)
/// its eigenvectors are an arbitrary basis of a huge degenerate space, which this route does not build: it answers null and
/// the caller takes the covariance form.
/// </para>
/// </remarks>
internal static class RidgedSpan
{
    /// <summary>
    /// Eigenvalues of K_t below this fraction of its largest are taken as zero (their directions join the complement). K_t is
    /// summed in double, so the basis vectors kept are orthonormal to about 1e-16/1e-9 = 1e-7 at worst; a direction dropped changes G by at most
    /// 1e-9 of ‖K_t‖/n, below the float sums of the covariance form's G (1e-7).
    /// </summary>
    internal const double RankTolerance = 1e-9;

    /// <summary>
    /// Whether the span is the cheaper way for n samples and D features, by rough operation counts in the covariance form's
    /// units: its float pass n D² and Cholesky D³/3, against the span's double Grams 2 n² D and the QL eigendecompositions
    /// of the blocks' n×n Grams, which dominate the rest (tred2/tql2 with every eigenvector, on one core: about 60 n³ of CPU
    /// at n = 1,000, D = 12,000, where the covariance form did 3.6e10 a CPU-second on two; 100 n³ counts the core it leaves idle).
    /// </summary>
    public static bool IsCheaper(long n, long d) => SpanCost(n, d) < CovarianceCost(n, d);

    /// <summary>
    /// Whether the ridged route on n samples and D features takes the span: where it is cheaper, or where only it fits in
    /// <paramref name="limit"/> bytes (with the quarter more <see cref="SampleKernels.CheckFeatureRoute"/> allows for).
    /// </summary>
    public static bool Takes(long n, long d, long limit) =>
        IsCheaper(n, d) || SampleKernels.FeatureRouteBytes(n, d, d, sampleSpace: false, factor: false) / 4 * 5 > limit && Bytes(n, d) / 4 * 5 <= limit;

    internal static double SpanCost(double n, double d) => 2 * n * n * d + 100 * n * n * n;

    internal static double CovarianceCost(double n, double d) => n * d * d + d * d * d / 3;

    /// <summary>
    /// Bytes the span holds at once: the features (float, n×D) and a block's transposed copy, in double each block's Gram
    /// and its eigenvectors, the m×m G_V (m ≤ 2n) and the eigensolver's work beside it; an upper bound.
    /// </summary>
    public static long Bytes(long n, long d) => 8 * n * d + 8 * n * n * 4 + 8 * (2 * n) * (2 * n) * 2;

    /// <param name="phi">Every block's features (n × D_t, float).</param>
    /// <param name="weights">s_t of each block.</param>
    /// <param name="ridge">ε &gt; 0.</param>
    /// <param name="jitter">Cholesky's first jitter for G_V (as the covariance form's for these features).</param>
    /// <returns>The covariance form's answer, or null when a complement eigenvalue would be a mode (see the remarks).</returns>
    public static SpectralModes? Solve(Matrix[] phi, IReadOnlyList<IFeatureMap> maps, double[] weights, double ridge, SignedProblem problem,
        double jitter, IProgress<ProgressUpdate>? progress, Dictionary<string, double> timings)
    {
        var clock = Stopwatch.StartNew();
        int n = phi[0].Rows, blocks = phi.Length;
        // Each block's basis: U_t Σ_t (n × r_t, as r_t columns of n) and Σ_t.
        var columns = new double[blocks][][];
        var sigmas = new double[blocks][];
        for (int t = 0; t < blocks; t++)
        {
            progress.Report(BasisStage, (double)t / blocks);
            (columns[t], sigmas[t]) = Basis(phi[t]);
        }
        progress.Report(BasisStage, 1);
        timings["span basis"] = clock.Lap();

        var offsets = new int[blocks + 1];
        for (int t = 0; t < blocks; t++) offsets[t + 1] = offsets[t] + sigmas[t].Length;
        int m = offsets[blocks];
        var gram = DenseMemory.Zeroed((long)m * m);
        var signs = new double[m];
        for (int t = 0; t < blocks; t++)
            for (int i = 0; i < sigmas[t].Length; i++)
            {
                int p = offsets[t] + i;
                signs[p] = weights[t];
                gram[(long)p * m + p] = sigmas[t][i] * sigmas[t][i] / n + ridge;
            }
        // Off-diagonal blocks (U_t Σ_t)ᵀ(U_u Σ_u)/n, mirrored; within a block the columns are orthogonal.
        for (int t = 0; t < blocks; t++)
            for (int u = t + 1; u < blocks; u++)
            {
                var (left, right, first, second) = (columns[t], columns[u], offsets[t], offsets[u]);
                Parallel.For(0, left.Length, i =>
                {
                    for (int j = 0; j < right.Length; j++)
                    {
                        double g = TensorPrimitives.Dot<double>(left[i], right[j]) / n;
                        gram[(long)(first + i) * m + second + j] = g;
                        gram[(long)(second + j) * m + first + i] = g;
                    }
                });
            }
        timings["span covariance"] = clock.Lap();

        var (reduced, cPos, cNeg) = FeatureGram.Solve(gram, signs, problem.Concepts, problem.Zero, problem.Seed, progress, timings, jitter);
        timings["eigen"] = clock.Lap();
        var modes = WithComplement(reduced, ComplementValues(phi, sigmas, weights, ridge), problem);
        if (modes is null) return null;

        double[][] coordinates = [.. cPos, .. cNeg];
        double[] values = [.. modes.PositiveValues, .. modes.NegativeValues];
        var scales = values.Select(l => 1 / (Math.Sqrt(n) * Math.Abs(l))).ToArray();
        // Scores Φ w = Φ_V c, and w_t = Φ_tᵀ (U_t Σ_t⁻¹ c_t), both scaled as the covariance form scales them.
        var scores = coordinates.Select(_ => new double[n]).ToArray();
        var perBlock = new double[blocks][][];
        for (int t = 0; t < blocks; t++)
        {
            var toRows = coordinates.Select(_ => new double[n]).ToArray();
            for (int k = 0; k < coordinates.Length; k++)
            {
                for (int i = 0; i < sigmas[t].Length; i++)
                {
                    double c = coordinates[k][offsets[t] + i] * scales[k];
                    if (c == 0) continue;
                    TensorPrimitives.MultiplyAdd(columns[t][i], c, scores[k], scores[k]);
                    TensorPrimitives.MultiplyAdd(columns[t][i], c / (sigmas[t][i] * sigmas[t][i]), toRows[k], toRows[k]);
                }
            }
            perBlock[t] = TransposedProduct.Compute(phi[t], toRows);
        }
        var featureWeights = Enumerable.Range(0, coordinates.Length).Select(k => perBlock.SelectMany(b => b[k]).ToArray()).ToArray();
        var members = ModeMembers.FromVectors(scores, problem.Members);
        timings["members"] = clock.Lap();
        return new SpectralModes(modes, members, new FeatureExpansion(maps, featureWeights));
    }

    /// <summary>The progress stage of the blocks' n×n Grams and their eigendecompositions.</summary>
    public const string BasisStage = "feature span (n×n)";

    /// <summary>U Σ (as columns) and Σ of K = Φ Φᵀ = U Σ² Uᵀ, the eigenvalues below <see cref="RankTolerance"/> of the largest dropped.</summary>
    private static (double[][] Columns, double[] Sigmas) Basis(Matrix phi)
    {
        int n = phi.Rows;
        var k = DenseMemory.Zeroed((long)n * n);
        Syrk.AddUpperTransposeProductInDouble(SampleKernels.Transpose(phi), k, new double[Syrk.DoubleWorkLength(n)]);
        Syrk.MirrorUpper(k, n);
        var eigen = SymmetricEigen.Decompose(k, n);
        double largest = eigen.Values.Length > 0 ? eigen.Values[0] : 0;
        int rank = eigen.Values.TakeWhile(v => v > RankTolerance * largest && v > 0).Count();
        var sigmas = eigen.Values.Take(rank).Select(Math.Sqrt).ToArray();
        var columns = new double[rank][];
        for (int i = 0; i < rank; i++)
        {
            columns[i] = eigen.Vectors[i];
            TensorPrimitives.Multiply(columns[i], sigmas[i], columns[i]);
        }
        return (columns, sigmas);
    }

    /// <summary>ε s_t with its multiplicity D_t − r_t, for each block.</summary>
    private static (double Value, long Count)[] ComplementValues(Matrix[] phi, double[][] sigmas, double[] weights, double ridge) =>
        [.. Enumerable.Range(0, phi.Length).Select(t => (ridge * weights[t], (long)phi[t].Cols - sigmas[t].Length))];

    /// <summary>
    /// The full problem's signed modes from the span's and the complement's eigenvalues: the spectrum is the top k and bottom
    /// k of both together; null when a complement eigenvalue would be one of the modes.
    /// </summary>
    internal static SignedModes? WithComplement(SignedModes reduced, (double Value, long Count)[] complement, SignedProblem problem)
    {
        int k = problem.Concepts;
        var all = reduced.Spectrum.ToList();
        foreach (var (value, count) in complement) all.AddRange(Enumerable.Repeat(value, (int)Math.Min(count, k)));
        all.Sort((x, y) => y.CompareTo(x));
        var top = all.Take(k).ToArray();
        var bottom = all.Skip(Math.Max(k, all.Count - k)).ToArray();
        foreach (var (value, count) in complement)
        {
            if (count == 0 || Math.Abs(value) <= problem.Zero) continue;
            // A mode of the complement: as many of its sign's modes from the span lie beyond it as there are k places.
            int beyond = value > 0 ? reduced.PositiveValues.Count(v => v > value) : reduced.NegativeValues.Count(v => v < value);
            if (beyond < k) return null;
        }
        return reduced with { Spectrum = [.. top, .. bottom] };
    }
}
