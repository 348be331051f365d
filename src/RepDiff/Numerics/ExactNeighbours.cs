using System.Numerics;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// The exact k nearest neighbours of every row (nearest first, ties by index, self excluded), each pairwise distance
/// computed once. The rows are taken in strips; a strip's distances to its own rows and to every later row feed the
/// strip's lists along its rows and the later rows' lists down its columns, so the GEMM does n²·d/2 multiply-adds instead
/// of n²·d, and no more than a strip of distances is held. Every list keeps the k best (distance, index) pairs offered to
/// it, so the order in which they come does not matter: the lists are those of sorting each row by (distance, index).
/// </summary>
/// <remarks>
/// The distances are those of <see cref="Distances.SquaredEuclidean(Matrix)"/>, bit for bit: the rows centred on their
/// column means, the same GEMM sums (an entry's value does not depend on where it lies in a block, and x_i·x_j is
/// x_j·x_i), the same finishing in double and the same recomputation of near pairs.
/// </remarks>
internal static class ExactNeighbours
{
    /// <summary>Rows per strip: one GEMM row block per core, and a strip of 10,000 columns (15 MB) stays small.</summary>
    internal const int StripRows = 2 * Gemm.MC;

    /// <summary>Columns of the later rows one task takes down a strip (a row of them is 512 contiguous bytes).</summary>
    private const int Columns = 128;

    /// <summary>The n × k lists (k &lt; n); <paramref name="stripRows"/> is for the tests, which vary it.</summary>
    public static int[] Find(Matrix x, int k, int stripRows = StripRows)
    {
        int n = x.Rows, d = x.Cols;
        if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), $"{k} neighbours of {n} rows");
        int strip = Math.Clamp(16_000_000 / n, 1, Math.Min(stripRows, n));
        DenseMemory.EnsureFits(strip, n, "the pairwise distance matrix");
        var centred = Distances.Centre(x, KMeans.ColumnMeans(x));
        var norms = Distances.RowSquaredNorms(centred);
        var lists = new BestLists(n, k);
        var distances = IO.PageAdvice.NewArray<float>((long)strip * n);
        for (int first = 0; first < n; first += strip)
        {
            int count = Math.Min(strip, n - first), width = n - first, start = first;
            // Rows [first, first + count) against rows [first, n): the rows before came down earlier strips' columns.
            Gemm.Compute(count, width, d, -2f, centred.Data, (long)first * d, d, false, centred.Data, (long)first * d, d, true,
                0f, distances, 0, width);
            Parallel.For(0, count, r =>
            {
                int i = start + r;
                var row = distances.AsSpan(r * width, width);
                Distances.FinishRow(row, 0, norms[i], norms.AsSpan(start), centred, i, centred, start);
                lists.OfferRow(i, row, start);
            });
            int later = width - count;
            Parallel.For(0, (later + Columns - 1) / Columns, c =>
            {
                int from = count + c * Columns;
                lists.OfferColumns(distances, width, count, start, from, Math.Min(Columns, width - from));
            });
        }
        return lists.Indices;
    }

    /// <summary>Every row's k best (distance, index) pairs so far, ascending; empty places hold (+∞, int.MaxValue), which any pair beats.</summary>
    private sealed class BestLists
    {
        private readonly int k;
        private readonly float[] values;

        public int[] Indices { get; }

        public BestLists(int n, int k)
        {
            this.k = k;
            values = IO.PageAdvice.NewArray<float>((long)n * k);
            Array.Fill(values, float.PositiveInfinity);
            Indices = IO.PageAdvice.NewArray<int>((long)n * k);
            Array.Fill(Indices, int.MaxValue);
        }

        /// <summary>The distance a pair must not exceed to enter row i's list.</summary>
        private float Worst(int i) => values[i * k + k - 1];

        /// <summary>Row i's distances to rows first, first + 1, … (itself left out).</summary>
        public void OfferRow(int i, ReadOnlySpan<float> row, int first)
        {
            float worst = Worst(i);
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; j <= row.Length - 8; j += 8)
                {
                    uint hits = Vector256.LessThanOrEqual(Vector256.Create(row.Slice(j, 8)), Vector256.Create(worst)).ExtractMostSignificantBits();
                    for (; hits != 0; hits &= hits - 1)
                    {
                        int t = j + BitOperations.TrailingZeroCount(hits);
                        if (first + t == i) continue;
                        Offer(i, row[t], first + t);
                        worst = Worst(i);
                    }
                }
            for (; j < row.Length; j++)
                if (row[j] <= worst && first + j != i)
                {
                    Offer(i, row[j], first + j);
                    worst = Worst(i);
                }
        }

        /// <summary>
        /// Columns [from, from + count) of a strip (rows first + from, … of x) take the strip's rows first, first + 1, …
        /// as candidates: each strip row's stretch of those columns is read in turn, against the columns' current worst.
        /// </summary>
        public void OfferColumns(float[] strip, int width, int rows, int first, int from, int count)
        {
            Span<float> worst = stackalloc float[Columns];
            for (int c = 0; c < count; c++) worst[c] = Worst(first + from + c);
            for (int r = 0; r < rows; r++)
            {
                var stretch = strip.AsSpan(r * width + from, count);
                int c = 0;
                if (Vector256.IsHardwareAccelerated)
                    for (; c <= count - 8; c += 8)
                    {
                        uint hits = Vector256.LessThanOrEqual(Vector256.Create(stretch.Slice(c, 8)), Vector256.Create((ReadOnlySpan<float>)worst.Slice(c, 8))).ExtractMostSignificantBits();
                        for (; hits != 0; hits &= hits - 1)
                        {
                            int t = c + BitOperations.TrailingZeroCount(hits);
                            Offer(first + from + t, stretch[t], first + r);
                            worst[t] = Worst(first + from + t);
                        }
                    }
                for (; c < count; c++)
                    if (stretch[c] <= worst[c])
                    {
                        Offer(first + from + c, stretch[c], first + r);
                        worst[c] = Worst(first + from + c);
                    }
            }
        }

        /// <summary>Inserts (distance, j) into row i's list if it comes before the list's last pair.</summary>
        private void Offer(int i, float distance, int j)
        {
            int at = i * k;
            int p = k - 1;
            if (Before(values[at + p], Indices[at + p], distance, j)) return;
            for (; p > 0 && Before(distance, j, values[at + p - 1], Indices[at + p - 1]); p--)
            {
                values[at + p] = values[at + p - 1];
                Indices[at + p] = Indices[at + p - 1];
            }
            values[at + p] = distance;
            Indices[at + p] = j;
        }

        // (distance a, index a) sorts before (distance b, index b).
        private static bool Before(float a, int ia, float b, int ib) => a < b || (a == b && ia < ib);
    }
}
