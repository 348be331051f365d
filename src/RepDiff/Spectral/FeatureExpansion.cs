using RepDiff.Numerics;

namespace RepDiff.Spectral;

/// <summary>Modes of a feature route: s_k(x) = Σ_t φ_t(x_t)·w_k[block t], one feature map per input (input t).</summary>
internal sealed class FeatureExpansion(IReadOnlyList<IFeatureMap> maps, double[][] weights) : IModeFunction
{
    public double[][] Evaluate(IReadOnlyList<Matrix> inputs, int? only = null)
    {
        int rows = inputs[0].Rows, modes = weights.Length;
        var scores = new double[modes][];
        for (int k = 0; k < modes; k++) scores[k] = new double[rows];
        if (modes == 0) return scores;
        for (int t = 0, column = 0; t < maps.Count; column += maps[t].Dim, t++)
        {
            if (only is int input && input != t) continue;
            var features = new Matrix(rows, maps[t].Dim);
            maps[t].Map(inputs[t], features, 0, 0);
            var w = new Matrix(maps[t].Dim, modes);
            for (int j = 0; j < maps[t].Dim; j++)
                for (int k = 0; k < modes; k++) w[j, k] = (float)weights[k][column + j];
            var product = Gemm.Multiply(features, w);
            for (int i = 0; i < rows; i++)
                for (int k = 0; k < modes; k++) scores[k][i] += product[i, k];
        }
        return scores;
    }
}
