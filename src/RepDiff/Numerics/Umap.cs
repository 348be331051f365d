namespace RepDiff.Numerics;

/// <summary>
/// UMAP (McInnes, Healy &amp; Melville 2018) to two dimensions, following umap-learn's defaults and steps:
/// k-NN graph (<see cref="NearestNeighbours"/>), fuzzy simplicial set (<see cref="FuzzyGraph"/>), spectral
/// initialization, then stochastic gradient descent on the fuzzy cross-entropy with negative sampling and the
/// a/b curve from min_dist (<see cref="UmapCurve"/>). Deterministic for a seed: the graph is built in parallel in
/// fixed chunks, the gradient descent in parallel over fixed blocks of points (<see cref="UmapDescent"/>; umap-learn's
/// parallel descent is not reproducible).
/// </summary>
public static class Umap
{
    /// <summary>
    /// The layout of the rows of x. With init (n×2 as X and Y), the descent starts there, as given (umap-learn would
    /// rescale it to [0, 10]; a finished layout is already at the descent's own scale), instead of the spectral
    /// start: used to align one layout to another.
    /// </summary>
    /// <param name="neighbours">the exact lists of x's nearest neighbours when the caller has them (<see cref="PairStatistics"/>), at
    /// least options.Neighbours − 1 per row; else they are found here</param>
    public static UmapLayout Embed(Matrix x, UmapOptions options, int seed, (float[] X, float[] Y)? init = null,
        IProgress<ProgressUpdate>? progress = null, Func<int, int[]>? neighbours = null)
    {
        options.Validate();
        int n = x.Rows;
        if (init is { } given && (given.X.Length != n || given.Y.Length != n))
            throw new ArgumentException($"the start layout has {given.X.Length} points, the data {n}");
        if (n == 1) return new UmapLayout([0f], [0f], "single point");
        int k = Math.Min(options.Neighbours, n) - 1;
        var knn = neighbours is null ? NearestNeighbours.Build(x, k, seed, progress) : NearestNeighbours.FromLists(x, neighbours(k), k);
        var graph = FuzzyGraph.FromNeighbours(knn);
        progress.Report("umap graph", 1);
        return Layout(graph, options, seed, init, x, progress);
    }

    /// <summary>The descent on a given fuzzy graph; data (or null) serves the PCA start when the spectral one cannot.</summary>
    public static UmapLayout Layout(FuzzyGraph graph, UmapOptions options, int seed, (float[] X, float[] Y)? init = null,
        Matrix? data = null, IProgress<ProgressUpdate>? progress = null)
    {
        options.Validate();
        int n = graph.N;
        string how;
        double[] start;
        if (init is { } given)
        {
            start = new double[2 * n];
            for (int i = 0; i < n; i++)
            {
                start[2 * i] = given.X[i];
                start[2 * i + 1] = given.Y[i];
            }
            how = "given layout";
        }
        else (start, how) = Initialize(graph, data, seed);
        // A given start (another layout's result) is kept as it is: it already has the scale the descent settles
        // at, and an anchored descent must not be pulled toward a squeezed copy of it.
        var embedding = init is null ? Rescale(start, seed) : start.Select(v => (float)v).ToArray();
        var (a, b) = UmapCurve.Fit(options.MinDist, options.Spread);
        var anchor = init is not null && options.AnchorStrength > 0 ? (float[])embedding.Clone() : null;
        UmapDescent.Run(graph, embedding, anchor, options, (float)a, (float)b, seed, progress);
        var xs = new float[n];
        var ys = new float[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = embedding[2 * i];
            ys[i] = embedding[2 * i + 1];
        }
        return new UmapLayout(xs, ys, how);
    }

    /// <summary>
    /// Spectral start (the graph Laplacian's first two non-trivial eigenvectors, as umap-learn) when the graph is
    /// connected and the eigensolver converges; otherwise the data's first two principal components (a
    /// disconnected graph's eigenvectors only say which component a point is in), else seeded uniform noise.
    /// </summary>
    private static (double[] Start, string How) Initialize(FuzzyGraph graph, Matrix? data, int seed)
    {
        int n = graph.N;
        if (n > 3 && Components(graph) == 1)
        {
            // umap-learn asks eigsh for tolerance 1e-4: a start needs the shape, not digits. The product cap bounds the
            // time when the leading eigenvalues crowd together near 1 (weakly linked clusters).
            var eig = Lanczos.Solve(new NormalizedAdjacency(graph), 3, EigenTarget.Largest, seed, tolerance: 1e-4, maxIterations: 5000);
            if (eig.Converged)
            {
                var start = new double[2 * n];
                for (int i = 0; i < n; i++)
                {
                    start[2 * i] = eig.Vectors[1][i];
                    start[2 * i + 1] = eig.Vectors[2][i];
                }
                if (start.Any(v => v != 0) && start.All(double.IsFinite)) return (start, "spectral");
            }
        }
        if (data is not null && data.Rows > 1)
        {
            int components = Math.Min(2, Math.Min(data.Rows, data.Cols));
            var pca = Pca.Fit(data, components);
            if (pca.ExplainedVariance.Any(v => v > 0))
            {
                var scores = Pca.Transform(pca, data);
                var start = new double[2 * n];
                for (int i = 0; i < n; i++)
                    for (int c = 0; c < components; c++) start[2 * i + c] = scores[i, c];
                return (start, "pca");
            }
        }
        var rng = Rng.Create(seed);
        var noise = new double[2 * n];
        for (int i = 0; i < noise.Length; i++) noise[i] = 20 * rng.NextDouble() - 10;
        return (noise, "random");
    }

    /// <summary>
    /// umap-learn's scaling of a computed start: scaled to a largest |coordinate| of 10, N(0, 10⁻⁴) noise added
    /// (which also separates coincident points), then mapped to [0, 10] per axis.
    /// </summary>
    private static float[] Rescale(double[] start, int seed)
    {
        int n = start.Length / 2;
        var rng = Rng.Create(Rng.Derive(seed, 7));
        var s = (double[])start.Clone();
        double largest = s.Max(Math.Abs);
        double expansion = largest > 0 ? 10 / largest : 1;
        for (int i = 0; i < s.Length; i++) s[i] = s[i] * expansion + 1e-4 * Rng.Normal(rng);
        var result = new float[s.Length];
        for (int axis = 0; axis < 2; axis++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                lo = Math.Min(lo, s[2 * i + axis]);
                hi = Math.Max(hi, s[2 * i + axis]);
            }
            double scale = hi > lo ? 10 / (hi - lo) : 0;
            for (int i = 0; i < n; i++) result[2 * i + axis] = (float)((s[2 * i + axis] - lo) * scale);
        }
        return result;
    }

    /// <summary>Connected components of the graph (union–find).</summary>
    internal static int Components(FuzzyGraph graph)
    {
        var parent = Enumerable.Range(0, graph.N).ToArray();
        int Find(int i)
        {
            while (parent[i] != i) i = parent[i] = parent[parent[i]];
            return i;
        }
        int components = graph.N;
        for (int i = 0; i < graph.N; i++)
            for (int e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
            {
                int a = Find(i), b = Find(graph.Columns[e]);
                if (a == b) continue;
                parent[Math.Max(a, b)] = Math.Min(a, b);
                components--;
            }
        return components;
    }

    /// <summary>D^−½ W D^−½ of the fuzzy graph: its top eigenvectors are the normalized Laplacian's bottom ones.</summary>
    private sealed class NormalizedAdjacency : ISymmetricOperator
    {
        private readonly FuzzyGraph _graph;
        private readonly double[] _scale;
        /// <summary>Per edge, its weight times its column's scale: the product the multiply would form on every one of its
        /// iterations, formed once (the same double, so the same eigenvectors).</summary>
        private readonly double[] _scaledWeights;

        public NormalizedAdjacency(FuzzyGraph graph)
        {
            _graph = graph;
            _scale = new double[graph.N];
            for (int i = 0; i < graph.N; i++)
            {
                double degree = 0;
                for (int e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++) degree += graph.Weights[e];
                _scale[i] = degree > 0 ? 1 / Math.Sqrt(degree) : 0;
            }
            _scaledWeights = new double[graph.Weights.Length];
            for (int e = 0; e < _scaledWeights.Length; e++) _scaledWeights[e] = graph.Weights[e] * _scale[graph.Columns[e]];
        }

        public int Size => _graph.N;

        public void Multiply(double[] x, double[] y)
        {
            var g = _graph;
            Gemm.ParallelFor((g.N + 255) / 256, Gemm.ThreadsFor(g.Weights.Length), block =>
            {
                int end = Math.Min(g.N, (block + 1) * 256);
                for (int i = block * 256; i < end; i++)
                {
                    double s = 0;
                    for (int e = g.RowStart[i]; e < g.RowStart[i + 1]; e++) s += _scaledWeights[e] * x[g.Columns[e]];
                    y[i] = _scale[i] * s;
                }
            });
        }
    }
}
