using RepDiff.Numerics;

namespace RepDiff.Bench;

/// <summary>
/// Benchmarks of the numerical core. GEMM and SYRK run managed and, when libopenblas.so.0 loads,
/// OpenBLAS in the same process so the ratio is measured under the same load.
/// </summary>
public static class NumericsBenchmarks
{
    private static Matrix Random(int rows, int cols, int seed)
    {
        var rng = Rng.Create(seed);
        var m = new Matrix(rows, cols);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        return m;
    }

    private static int[] Sizes(string[] args, params int[] defaults) => args.Length > 0 ? args.Select(int.Parse).ToArray() : defaults;

    /// <summary>Managed and OpenBLAS alternately, three rounds: on a shared machine the best of three is the fair figure.</summary>
    private static IEnumerable<(string Provider, bool Native)> Providers()
    {
        if (!NativeBlas.IsAvailable) Console.Error.WriteLine($"openblas skipped: {NativeBlas.UnavailableReason}");
        Console.Error.WriteLine($"OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "(unset)"}");
        for (int round = 0; round < 3; round++)
        {
            yield return ("managed", false);
            if (NativeBlas.IsAvailable) yield return ("openblas", true);
        }
    }

    /// <summary>Square single-precision GEMM, C = A·B (args: sizes, default 500 1000 2000 4000).</summary>
    [Bench("gemm")]
    public static void GemmSquare(string[] args)
    {
        foreach (int n in Sizes(args, 500, 1000, 2000, 4000))
        {
            var a = Random(n, n, 1);
            var b = Random(n, n, 2);
            var c = new Matrix(n, n);
            foreach (var (provider, native) in Providers())
            {
                NativeBlas.Enabled = native;
                Harness.Measure($"gemm.{provider}", new() { ["m"] = n, ["n"] = n, ["k"] = n },
                    () => Gemm.Multiply(a, false, b, false, c), 2.0 * n * n * n);
            }
            NativeBlas.Enabled = false;
        }
    }

    /// <summary>
    /// Shapes the methods use: distances (n×d·d×n), RFF projection (n×d·d×r), transposed products; or the shapes given
    /// as MxNxK with an optional ":ta", ":tb" or ":tatb" (20000x768x768: n×d rows times a d×d matrix).
    /// </summary>
    [Bench("gemm-shapes")]
    public static void GemmShapes(string[] args)
    {
        (int M, int N, int K, bool TA, bool TB)[] shapes = args.Length > 0
            ? args.Select(ParseShape).ToArray()
            : [(10000, 10000, 128, false, true), (20000, 2000, 512, false, false), (2000, 2000, 20000, true, false), (4000, 4000, 4000, true, true)];
        foreach (var (m, n, k, ta, tb) in shapes)
        {
            var a = ta ? Random(k, m, 1) : Random(m, k, 1);
            var b = tb ? Random(n, k, 2) : Random(k, n, 2);
            var c = new Matrix(m, n);
            foreach (var (provider, native) in Providers())
            {
                NativeBlas.Enabled = native;
                Harness.Measure($"gemm.{provider}", new() { ["m"] = m, ["n"] = n, ["k"] = k, ["transA"] = ta, ["transB"] = tb },
                    () => Gemm.Multiply(a, ta, b, tb, c), 2.0 * m * n * k);
            }
            NativeBlas.Enabled = false;
        }
    }

    private static (int, int, int, bool, bool) ParseShape(string arg)
    {
        string[] parts = arg.Split(':');
        int[] sizes = parts[0].Split('x').Select(int.Parse).ToArray();
        string flags = parts.Length > 1 ? parts[1] : "";
        return (sizes[0], sizes[1], sizes[2], flags.Contains("ta"), flags.Contains("tb"));
    }

    /// <summary>c += XᵀX into double for X n×d (args: pairs n d; default 100000×256, 20000×1024, 50000×2048).</summary>
    [Bench("syrk")]
    public static void SyrkBench(string[] args)
    {
        var shapes = args.Length >= 2
            ? Enumerable.Range(0, args.Length / 2).Select(i => (int.Parse(args[2 * i]), int.Parse(args[2 * i + 1]))).ToArray()
            : [(100000, 256), (20000, 1024), (50000, 2048)];
        foreach (var (n, d) in shapes)
        {
            var x = Random(n, d, 3);
            var c = new double[d * d];
            foreach (var (provider, native) in Providers())
            {
                NativeBlas.Enabled = native;
                Harness.Measure($"syrk.{provider}", new() { ["n"] = n, ["d"] = d },
                    () => Syrk.AddTransposeProduct(x, c), 1.0 * n * d * d);
                if (provider == "managed" && d <= Syrk.ChunkParallelMaxCols)
                {
                    Syrk.ChunksInParallel = false; // each chunk spread over the cores, as before
                    Harness.Measure("syrk.managed-blocks-parallel", new() { ["n"] = n, ["d"] = d },
                        () => Syrk.AddTransposeProduct(x, c), 1.0 * n * d * d);
                    Syrk.ChunksInParallel = true;
                }
            }
            NativeBlas.Enabled = false;
        }
    }

    /// <summary>
    /// Top-10 eigenpairs of a dense symmetric float32 n×n Gaussian kernel matrix (points in 16 dimensions,
    /// 50 clusters) — the kind of matrix the exact kernel routes hand to Lanczos (args: sizes, default 5000 20000).
    /// </summary>
    [Bench("lanczos")]
    public static void LanczosBench(string[] args)
    {
        foreach (int n in Sizes(args, 5000, 20000))
        {
            var kernel = GaussianKernel(n);
            var op = new DenseSymmetricOperator(kernel);
            var counting = new CountingOperator(op);
            EigenResult? result = null;
            Harness.Measure("lanczos.top10", new() { ["n"] = n, ["k"] = 10 },
                () => result = Lanczos.Solve(counting, 10, EigenTarget.Largest, seed: 1, tolerance: 1e-10), warmUp: false);
            var x = new double[n];
            var y = new double[n];
            x[0] = 1;
            Harness.Measure("lanczos.matvec", new() { ["n"] = n }, () => op.Multiply(x, y), 2.0 * n * n);
            Console.WriteLine($"{{\"name\":\"lanczos.detail\",\"n\":{n},\"matvecs\":{counting.Count},\"matvec_seconds\":{counting.Time.Elapsed.TotalSeconds:0.###},\"lambda1\":{result!.Values[0]},\"lambda10\":{result.Values[9]}}}");
        }
    }

    private sealed class CountingOperator(ISymmetricOperator inner) : ISymmetricOperator
    {
        public int Count;
        public readonly System.Diagnostics.Stopwatch Time = new();
        public int Size => inner.Size;
        public void Multiply(double[] x, double[] y) { Count++; Time.Start(); inner.Multiply(x, y); Time.Stop(); }
    }

    private static Matrix GaussianKernel(int n)
    {
        var rng = Rng.Create(7);
        var centres = Random(50, 16, 8);
        var points = new Matrix(n, 16);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < 16; j++) points[i, j] = centres[i % 50, j] * 3 + (float)(0.5 * Rng.Normal(rng));
        var kernel = Distances.SquaredEuclidean(points);
        System.Numerics.Tensors.TensorPrimitives.Multiply(kernel.Data, -1f / (2 * 4f), kernel.Data);
        System.Numerics.Tensors.TensorPrimitives.Exp(kernel.Data, kernel.Data);
        return kernel;
    }

    /// <summary>k-means (k-means++, 10 restarts) on clustered data (args: n d k; default 50000 128 20).</summary>
    [Bench("kmeans")]
    public static void KMeansBench(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 50000, d = args.Length > 1 ? int.Parse(args[1]) : 128, k = args.Length > 2 ? int.Parse(args[2]) : 20;
        var centres = Random(k, d, 4);
        var x = Random(n, d, 5);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) x[i, j] = 0.3f * x[i, j] + 2 * centres[i % k, j];
        Harness.Measure("kmeans", new() { ["n"] = n, ["d"] = d, ["k"] = k, ["restarts"] = 10 }, () => KMeans.Fit(x, k, seed: 1), warmUp: false);
    }

    /// <summary>
    /// k-means on the rows of an .npy file (args: PATH [k] [restarts] [rounds]; default k 5, 10 restarts, 1 round), the plain
    /// Lloyd iteration and the bounded one alternating, checked to give the same labels (write-npy writes unstructured rows).
    /// </summary>
    [Bench("kmeans-file")]
    public static void KMeansFileBench(string[] args)
    {
        var x = RepDiff.IO.Npy.ReadMatrix(args[0]);
        int k = args.Length > 1 ? int.Parse(args[1]) : 5, restarts = args.Length > 2 ? int.Parse(args[2]) : 10;
        int rounds = args.Length > 3 ? int.Parse(args[3]) : 1;
        var sizes = new Dictionary<string, object> { ["n"] = x.Rows, ["d"] = x.Cols, ["k"] = k, ["restarts"] = restarts };
        for (int round = 0; round < rounds; round++)
        {
            KMeansResult? plain = null, bounded = null;
            Harness.Measure("kmeans_plain", sizes, () => plain = KMeans.Fit(x, k, 1, restarts, 300, 1e-6, bounded: false), warmUp: false);
            Harness.Measure("kmeans_bounded", sizes, () => bounded = KMeans.Fit(x, k, 1, restarts, 300, 1e-6, bounded: true), warmUp: false);
            Console.WriteLine($"same labels: {plain!.Labels.AsSpan().SequenceEqual(bounded!.Labels)}, inertia {plain.Inertia} and {bounded.Inertia}");
        }
    }

    /// <summary>
    /// One k-means++ start run for a given number of Lloyd iterations on an .npy file's rows, its centroids and labels written
    /// beside (args: PATH k iterations OUT_PREFIX): OUT_PREFIX.centroids.npy and .labels.txt, to run scikit-learn from.
    /// </summary>
    [Bench("kmeans-save")]
    public static void KMeansSave(string[] args)
    {
        var x = RepDiff.IO.Npy.ReadMatrix(args[0]);
        int k = int.Parse(args[1]), iterations = int.Parse(args[2]);
        var fit = KMeans.Fit(x, k, seed: 1, restarts: 1, maxIterations: iterations);
        RepDiff.IO.Npy.Write(args[3] + ".centroids.npy", fit.Centroids);
        File.WriteAllLines(args[3] + ".labels.txt", fit.Labels.Select(l => l.ToString()));
        Console.WriteLine($"inertia {fit.Inertia:R}");
    }

    /// <summary>Random Fourier features of n rows in row batches (args: n d r; default 100000 512 2000).</summary>
    [Bench("rff")]
    public static void RffBench(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 100000, d = args.Length > 1 ? int.Parse(args[1]) : 512, r = args.Length > 2 ? int.Parse(args[2]) : 2000;
        var rff = RandomFourierFeatures.Sample(d, r, 1.0, 1);
        const int batch = 4096;
        var x = Random(batch, d, 6);
        var features = new Matrix(batch, 2 * r);
        Harness.Measure("rff.map", new() { ["n"] = n, ["d"] = d, ["r"] = r, ["batch"] = batch }, () =>
        {
            for (int done = 0; done < n; done += batch) rff.Map(x, features);
        }, 2.0 * n * d * r);
        var cov = new CovarianceAccumulator(2 * r);
        Harness.Measure("rff.map+covariance", new() { ["n"] = 20000, ["d"] = d, ["r"] = r, ["batch"] = batch }, () =>
        {
            for (int done = 0; done < 20000; done += batch) { rff.Map(x, features); cov.Add(features); }
        }, warmUp: false);
    }
}

public static class NumericsDenseBenchmarks
{
    /// <summary>All eigenpairs of a dense symmetric n×n (args: sizes, default 500 1000 2000), with MathNet's for comparison.</summary>
    [Bench("eigen-dense")]
    public static void DenseEigen(string[] args)
    {
        foreach (int n in args.Length > 0 ? args.Select(int.Parse) : [500, 1000, 2000])
        {
            var rng = Rng.Create(3);
            var a = new double[n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = Rng.Normal(rng);
            Harness.Measure("eigen-dense.managed", new() { ["n"] = n }, () => SymmetricEigen.Decompose(a, n), warmUp: false);
            if (n <= 1000)
                Harness.Measure("eigen-dense.mathnet", new() { ["n"] = n },
                    () => MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.OfColumnMajor(n, n, a).Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric), warmUp: false);
        }
    }
}

public static class CholeskyBenchmarks
{
    /// <summary>Cholesky of a d×d SPD matrix XᵀX/n + I·1e-3 (args: sizes, default 4000), the SPEC feature covariance size.</summary>
    [Bench("cholesky")]
    public static void CholeskyBench(string[] args)
    {
        foreach (int d in args.Length > 0 ? args.Select(int.Parse) : [4000])
        {
            var rng = new Random(1);
            var x = new Matrix(d + 100, d);
            for (int i = 0; i < x.Data.Length; i++) x.Data[i] = (float)(rng.NextDouble() * 2 - 1);
            var a = new double[(long)d * d];
            Syrk.AddTransposeProduct(x, a, 1.0 / x.Rows);
            Harness.Measure("cholesky", new() { ["d"] = d }, () => Cholesky.Factor(a, d), 1.0 * d * d * d / 3);
        }
    }
}

public static class BlockProductBenchmarks
{
    /// <summary>
    /// A dense n×n matrix times a packed block of 8 vectors (args: sizes, default 4000 12000), float64 as SPEC's block
    /// Lanczos runs it and float32 as RDX's, beside one single-vector product of the float32 matrix (which reads one
    /// triangle); GB/s of the matrix read once per product, the bound of these products.
    /// </summary>
    [Bench("block-product")]
    public static void BlockProductBench(string[] args)
    {
        foreach (int n in args.Length > 0 ? args.Select(int.Parse) : [4000, 12000])
        {
            var rng = new Random(2);
            var x = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray()).ToArray();
            var y = x.Select(v => new double[n]).ToArray();
            var single = new Matrix(n, n);
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++) single[i, j] = single[j, i] = (float)(rng.NextDouble() - 0.5);
            var floats = new DenseSymmetricOperator(single);
            Measure("float32", floats, sizeof(float));
            Harness.Measure("single-product", new() { ["n"] = n, ["storage"] = "float32" }, () => floats.Multiply(x[0], y[0]), 2.0 * n * n);
            var doubles = new DenseSymmetricOperator(single.Data.Select(v => (double)v).ToArray(), n);
            Measure("float64", doubles, sizeof(double));

            void Measure(string storage, DenseSymmetricOperator op, int bytes)
            {
                var seconds = Harness.Measure("block-product", new() { ["n"] = n, ["vectors"] = 8, ["storage"] = storage }, () => op.Multiply(x, y), 2.0 * 8 * n * n);
                Console.WriteLine($"{{\"name\":\"block-product.bandwidth\",\"n\":{n},\"storage\":\"{storage}\",\"gb_per_s\":{(double)n * n * bytes / seconds / 1e9:0.0}}}");
            }
        }
    }
}
