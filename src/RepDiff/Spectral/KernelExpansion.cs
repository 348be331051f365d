using System.Numerics.Tensors;
using RepDiff.Numerics;

namespace RepDiff.Spectral;

/// <summary>
/// Modes of an exact (sample-space) route, extended to new samples as eigenfunctions (Nyström):
/// s_k(x) = Σ_t Σ_i c_{t,k,i} k_t(x_t, anchor_{t,i}), where for an eigenvector v of Λ = Σ_t w_t K_t with
/// eigenvalue λ, c_{t,k,i} = w_t v_i / λ, so that s_k equals v on the samples the run saw.
/// </summary>
internal sealed class KernelExpansion(IReadOnlyList<KernelExpansion.Term> terms) : IModeFunction
{
    /// <summary>One kernel of the operator: on which input, its anchors (the run's rows), kind, bandwidth, and per-mode coefficients [mode][anchor].</summary>
    public sealed record Term(int Input, Matrix Anchors, KernelKind Kind, double? Sigma, double[][] Coefficients);

    public double[][] Evaluate(IReadOnlyList<Matrix> inputs, int? only = null)
    {
        int rows = inputs[0].Rows;
        int modes = terms.Count == 0 ? 0 : terms[0].Coefficients.Length;
        var scores = new double[modes][];
        for (int k = 0; k < modes; k++) scores[k] = new double[rows];
        if (modes == 0) return scores;
        foreach (var term in terms.Where(t => only is null || t.Input == only))
        {
            var kernel = Cross(inputs[term.Input], term);
            var c = new Matrix(term.Anchors.Rows, modes);
            for (int i = 0; i < term.Anchors.Rows; i++)
                for (int k = 0; k < modes; k++) c[i, k] = (float)term.Coefficients[k][i];
            var product = Gemm.Multiply(kernel, c);
            for (int i = 0; i < rows; i++)
                for (int k = 0; k < modes; k++) scores[k][i] += product[i, k];
        }
        return scores;
    }

    /// <summary>k(x_i, anchor_j) for every new row and anchor.</summary>
    private static Matrix Cross(Matrix x, Term term)
    {
        if (term.Kind == KernelKind.Gaussian)
        {
            var d2 = Distances.SquaredEuclidean(x, term.Anchors);
            // Held finite in float32 too (the cast of a scale below −3.4e38 is −∞): see SampleKernels.GaussianScale.
            float scale = (float)Math.Max(-float.MaxValue, SampleKernels.GaussianScale(term.Sigma!.Value));
            TensorPrimitives.Multiply(d2.Data, scale, d2.Data);
            TensorPrimitives.Exp(d2.Data, d2.Data);
            return d2;
        }
        var unitX = new Matrix(x.Rows, x.Cols);
        new CosineFeatures(x.Cols, "the held-out rows").Map(x, unitX, 0, 0);
        var unitAnchors = new Matrix(term.Anchors.Rows, term.Anchors.Cols);
        new CosineFeatures(x.Cols, "the discovery rows").Map(term.Anchors, unitAnchors, 0, 0);
        return Gemm.Multiply(unitX, unitAnchors, transposeB: true);
    }

    /// <summary>The terms of Λ = Σ_t w_t K_t for eigenvectors [mode][sample] with eigenvalues [mode].</summary>
    public static KernelExpansion Of(IReadOnlyList<WeightedKernel> kernels, IReadOnlyList<Matrix> anchors, double[][] vectors, double[] values)
        => new(kernels.Select((kernel, t) => new Term(t, anchors[t], kernel.Kind, kernel.Sigma,
            vectors.Select((v, k) => v.Select(x => kernel.Weight * x / values[k]).ToArray()).ToArray())).ToList());
}
