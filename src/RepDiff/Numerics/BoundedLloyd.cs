using System.Numerics.Tensors;

namespace RepDiff.Numerics;

/// <summary>
/// One restart of Lloyd's iteration that skips, each iteration, the rows whose nearest centroid provably stays (Hamerly
/// 2010): per row an upper bound on the distance to its own centroid and a lower bound on the distance to every other,
/// loosened by how far the centroids moved. Only the rows whose bounds overlap are measured again, by exactly the
/// arithmetic of the plain iteration (<see cref="KMeans.RowDots"/>, <see cref="KMeans.Nearest"/>), and a row is skipped
/// only when the gap between the bounds exceeds what float rounding of that arithmetic could move, so the labels, and
/// with them the centroids and the iteration count, are those of the plain iteration. Centroid sums are kept by moving
/// the rows that changed cluster (exact on <see cref="KMeans.SnapToSummableGrid"/>'s grid). On data without cluster
/// structure Lloyd takes hundreds of iterations in which few rows change: those iterations cost a pass over the bounds
/// instead of two over the data.
/// </summary>
internal sealed class BoundedLloyd
{
    // Rows are handled in this many fixed chunks, each keeping its own changes to the sums.
    private const int Chunks = 16;

    // Relative widening of a bound for the rounding of one double operation on it (a few units in the last place).
    private const double Up = 1 + 1e-15, Down = 1 - 1e-15;

    private readonly Matrix x;
    private readonly double[] norms;
    private readonly double[] lengths;
    private readonly int k;
    private readonly int[] labels;
    private readonly double[] upper, lower;
    private readonly double[] distance;
    private readonly bool[] measured;
    private readonly double[] sums;
    private readonly int[] counts;
    private readonly double[][] sumChanges;
    private readonly int[][] countChanges;
    private readonly bool[] changed;
    // |fl(x·c) − x·c| ≤ dotError · ‖x‖‖c‖ for a float dot product over d terms in any order; the double steps of
    // ‖x‖² + ‖c‖² − 2x·c err by at most doubleError times the magnitudes involved.
    private readonly double dotError, doubleError;

    /// <summary>Rows measured against every centroid over the run (the plain iteration measures rows × assignments).</summary>
    public long RowsMeasured => rowsMeasured;
    private long rowsMeasured;

    /// <summary>Assignments made over the run, the final one included (the plain iteration makes as many).</summary>
    public int Assignments { get; private set; }

    /// <summary>Whether float rounding of a d-term dot product can be bounded as this class needs (d·2⁻²⁴ well below 1).</summary>
    public static bool Applies(int d) => d < 1 << 20;

    public BoundedLloyd(Matrix x, double[] norms, int k)
    {
        int n = x.Rows, d = x.Cols;
        this.x = x;
        this.norms = norms;
        this.k = k;
        lengths = norms.Select(Math.Sqrt).ToArray();
        labels = new int[n];
        upper = new double[n];
        lower = new double[n];
        distance = new double[n];
        measured = new bool[n];
        sums = new double[k * d];
        counts = new int[k];
        int chunks = Math.Min(Chunks, n);
        sumChanges = new double[chunks][];
        countChanges = new int[chunks][];
        for (int c = 0; c < chunks; c++) { sumChanges[c] = new double[k * d]; countChanges[c] = new int[k]; }
        changed = new bool[chunks];
        double u = Math.ScaleB(1.0, -24);
        dotError = 1.01 * d * u / (1 - d * u);
        doubleError = (d + 8) * Math.ScaleB(1.0, -52);
    }

    public KMeansResult Run(Matrix centroids, int maxIterations, double threshold)
    {
        Array.Fill(labels, -1);
        double[]? moved = null;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            Assign(centroids, moved);
            if (counts.Contains(0)) MeasureSkippedRows(centroids);
            var updated = KMeans.CentroidsFrom(x, sums, counts, distance);
            double shift = KMeans.SquaredShift(centroids, updated);
            moved = Movements(centroids, updated);
            centroids = updated;
            if (shift <= threshold) break;
        }
        Assign(centroids, moved);
        return new KMeansResult(labels, centroids, KMeans.Inertia(x, labels, centroids));
    }

    /// <summary>
    /// Labels every row for these centroids, measuring only rows whose bounds (loosened by <paramref name="moved"/>, the
    /// distance each centroid moved since the last assignment; null the first time) do not settle it, and moves the rows that
    /// changed cluster in the sums.
    /// </summary>
    private void Assign(Matrix centroids, double[]? moved)
    {
        int n = x.Rows, d = x.Cols, chunks = sumChanges.Length;
        var cnorms = Distances.RowSquaredNorms(centroids);
        double longest = Math.Sqrt(cnorms.Max()) * Up;
        // A row's own centroid gets its own movement; every other centroid at most the largest movement of the others.
        int farthest = 0;
        double largest = 0, secondLargest = 0;
        if (moved is not null)
            for (int c = 0; c < k; c++)
            {
                if (moved[c] > largest) { secondLargest = largest; largest = moved[c]; farthest = c; }
                else if (moved[c] > secondLargest) secondLargest = moved[c];
            }
        Gemm.ParallelFor(chunks, Gemm.ThreadsFor((long)n * k * d), chunk =>
        {
            var sumChange = sumChanges[chunk];
            var countChange = countChanges[chunk];
            bool any = false;
            long measuredHere = 0;
            Span<float> dots = stackalloc float[k];
            for (int i = (int)((long)n * chunk / chunks), end = (int)((long)n * (chunk + 1) / chunks); i < end; i++)
            {
                int own = labels[i];
                // How far the computed ‖x‖² + ‖c‖² − 2x·c can be from the true squared distance, for any centroid.
                double error = 1.5 * (2 * dotError * lengths[i] * longest
                    + doubleError * (norms[i] + longest * longest + 2 * lengths[i] * longest));
                var row = x.Row(i);
                if (moved is not null)
                {
                    upper[i] = (upper[i] + moved[own]) * Up;
                    lower[i] = Math.Max(0, (lower[i] - (own == farthest ? secondLargest : largest)) * Down);
                    if (Settled(i, error)) { measured[i] = false; continue; }
                    // Tighten the upper bound with the own centroid's distance (one dot product) before measuring the others.
                    dots[own] = TensorPrimitives.Dot(row, centroids.Row(own));
                    double ownValue = KMeans.Expanded(norms[i], cnorms[own], dots[own]);
                    upper[i] = Math.Sqrt(Math.Max(0, ownValue + error)) * Up;
                    measured[i] = true;
                    if (Settled(i, error)) { distance[i] = Math.Max(0, ownValue); continue; }
                    for (int c = 0; c < k; c++)
                        if (c != own) dots[c] = TensorPrimitives.Dot(row, centroids.Row(c));
                }
                else KMeans.RowDots(row, centroids, dots);
                int label = KMeans.Nearest(norms[i], cnorms, dots, out double best, out double second);
                labels[i] = label;
                distance[i] = Math.Max(0, best);
                measured[i] = true;
                measuredHere++;
                upper[i] = Math.Sqrt(Math.Max(0, best + error)) * Up;
                lower[i] = Math.Sqrt(Math.Max(0, second - error)) * Down;
                if (label == own) continue;
                if (own >= 0)
                {
                    KMeans.AddWidened(row, sumChange.AsSpan(own * d, d), -1);
                    countChange[own]--;
                }
                KMeans.AddWidened(row, sumChange.AsSpan(label * d, d), 1);
                countChange[label]++;
                any = true;
            }
            changed[chunk] = any;
            Interlocked.Add(ref rowsMeasured, measuredHere);
        });
        Assignments++;
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            if (!changed[chunk]) continue;
            TensorPrimitives.Add(sums, sumChanges[chunk], sums);
            for (int c = 0; c < k; c++) counts[c] += countChanges[chunk][c];
            Array.Clear(sumChanges[chunk]);
            Array.Clear(countChanges[chunk]);
        }
    }

    /// <summary>
    /// Whether row i's bounds settle its label: then every other centroid's computed ‖x‖² + ‖c‖² − 2x·c exceeds its own
    /// centroid's, even after the worst rounding (<paramref name="error"/> on each), so the plain iteration keeps the label.
    /// </summary>
    private bool Settled(int i, double error) => lower[i] * lower[i] * Down - upper[i] * upper[i] * Up > 2 * error;

    /// <summary>
    /// The distance to its own centroid of every row the last assignment skipped, as the plain iteration computed it:
    /// an empty cluster takes the farthest row.
    /// </summary>
    private void MeasureSkippedRows(Matrix centroids)
    {
        var cnorms = Distances.RowSquaredNorms(centroids);
        Gemm.ParallelFor(x.Rows, Gemm.ThreadsFor((long)x.Rows * k * x.Cols), i =>
        {
            if (measured[i]) return;
            Span<float> dots = stackalloc float[k];
            KMeans.RowDots(x.Row(i), centroids, dots);
            KMeans.Nearest(norms[i], cnorms, dots, out double best, out _);
            distance[i] = Math.Max(0, best);
        });
    }

    /// <summary>How far each centroid moved, rounded up so the bounds stay bounds.</summary>
    private double[] Movements(Matrix before, Matrix after)
    {
        var moved = new double[k];
        for (int c = 0; c < k; c++)
            moved[c] = Math.Sqrt(KMeans.SquaredDistance(before.Row(c), after.Row(c))) * (1 + doubleError) * Up;
        return moved;
    }
}
