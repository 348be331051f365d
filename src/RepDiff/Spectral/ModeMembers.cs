namespace RepDiff.Spectral;

/// <summary>
/// Turns mode scores s (streamed row by row) into concepts, docs/methods/METHODS.md §3: flip the sign of s so that
/// Σ s &gt; 0, members = the m rows of largest s. Both signs are tracked so the flip can be decided at the end.
/// </summary>
internal sealed class ModeMembers
{
    private readonly double[] sums;
    private readonly TopMembers[] high, low;

    public ModeMembers(int modes, int members)
    {
        sums = new double[modes];
        high = Enumerable.Range(0, modes).Select(_ => new TopMembers(members)).ToArray();
        low = Enumerable.Range(0, modes).Select(_ => new TopMembers(members)).ToArray();
    }

    public int Modes => sums.Length;

    /// <summary>The sign mode k's scores are read with (members are the largest of sign · s).</summary>
    public double Sign(int mode) => sums[mode] >= 0 ? 1 : -1;

    public void Add(int mode, int row, double score)
    {
        sums[mode] += score;
        high[mode].Offer(row, score);
        low[mode].Offer(row, -score);
    }

    /// <summary>Modes given as whole sample-space vectors (e.g. eigenvectors of an n×n operator).</summary>
    public static ModeMembers FromVectors(double[][] vectors, int members)
    {
        var result = new ModeMembers(vectors.Length, members);
        for (int k = 0; k < vectors.Length; k++)
            for (int i = 0; i < vectors[k].Length; i++) result.Add(k, i, vectors[k][i]);
        return result;
    }

    /// <summary>
    /// Modes given as feature-space weights: a second pass over the rows scores s_i = scale_k · φ(x_i)·w_k
    /// for all modes at once (one matrix product per batch), keeping only the best members.
    /// </summary>
    public static ModeMembers Score(FeatureBatches batches, double[][] weights, double[] scales, int members, IProgress<ProgressUpdate>? progress)
    {
        int modes = weights.Length;
        var result = new ModeMembers(modes, members);
        if (modes == 0) return result;
        var w = new Matrix(batches.Dim, modes);
        for (int k = 0; k < modes; k++)
            for (int j = 0; j < batches.Dim; j++) w[j, k] = (float)(weights[k][j] * scales[k]);
        batches.ForEach((features, first) =>
        {
            var scores = Numerics.Gemm.Multiply(features, w);
            for (int i = 0; i < scores.Rows; i++)
                for (int k = 0; k < modes; k++) result.Add(k, first + i, scores[i, k]);
        }, progress, "scoring samples");
        return result;
    }

    /// <summary>Concepts for modes [first, first + strengths.Count), ranked 1..; grid = the first g members.</summary>
    public List<Concept> Concepts(IReadOnlyList<double> strengths, int grid, int first)
    {
        var result = new List<Concept>();
        for (int r = 0; r < strengths.Count; r++)
        {
            int k = first + r;
            var (rows, scores) = (sums[k] >= 0 ? high[k] : low[k]).Best();
            result.Add(new Concept { Rank = r + 1, Strength = strengths[r], Members = rows, Grid = rows.Take(grid).ToArray(), Scores = scores });
        }
        return result;
    }
}
