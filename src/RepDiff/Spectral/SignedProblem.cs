namespace RepDiff.Spectral;

/// <summary>
/// What a spectral route solves for: the <see cref="Concepts"/> most positive and most negative modes,
/// eigenvalues within <see cref="Zero"/> of 0 not counting as modes, each mode's top
/// <see cref="Members"/> samples; <see cref="Seed"/> starts the iterative solvers.
/// </summary>
internal sealed record SignedProblem(int Concepts, int Members, double Zero, int Seed);
