using RepDiff.Numerics;

namespace RepDiff.Spectral;

/// <summary>The k most positive and k most negative eigenpairs of a symmetric operator.</summary>
/// <remarks>
/// Values/vectors hold only eigenvalues clearly away from 0 (the modes); Spectrum holds every computed
/// eigenvalue, descending, and LambdaMax/LambdaMin the extreme ones.
/// </remarks>
internal sealed record SignedModes(double[] PositiveValues, double[][] PositiveVectors, double[] NegativeValues, double[][] NegativeVectors,
    double[] Spectrum)
{
    public double LambdaMax => Spectrum[0];
    public double LambdaMin => Spectrum[^1];
    public double SpectralRadius => Math.Max(Math.Abs(LambdaMax), Math.Abs(LambdaMin));

    /// <summary>False when the iterative eigensolver stopped at its product cap before every pair converged.</summary>
    public bool Converged { get; init; } = true;

    /// <summary>The metrics SPEC and FINC report: the spectral radius under diffName, both extremes, convergence.</summary>
    public System.Text.Json.Nodes.JsonObject Metrics(string diffName) => new()
    {
        [diffName] = SpectralRadius,
        ["lambda_max"] = LambdaMax,
        ["lambda_min"] = LambdaMin,
        ["eigensolver_converged"] = Converged,
    };
}
