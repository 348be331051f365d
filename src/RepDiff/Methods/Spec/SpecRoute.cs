using RepDiff.Options;
using RepDiff.Spectral;

namespace RepDiff.Methods.Spec;

/// <summary>
/// How the difference operator is built: exact n×n kernels, or explicit features (normalized rows for
/// the cosine kernel, random Fourier features for the Gaussian one). Auto picks exact for small n.
/// </summary>
public enum SpecRoute { Auto, Exact, Features, Rff }
