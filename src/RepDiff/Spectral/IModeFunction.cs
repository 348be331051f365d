namespace RepDiff.Spectral;

/// <summary>
/// The functions of the input a spectral run's modes are (docs/methods/METHODS.md §3, §7): s_k(x), whose values
/// on the samples the run saw are its mode scores, evaluated on new samples.
/// </summary>
internal interface IModeFunction
{
    /// <summary>Scores of every mode on the new rows, [mode][row], before the sign flip of <see cref="ModeMembers"/>.</summary>
    /// <param name="inputs">The new samples as the route's inputs, in its order (SPEC: A then B; FINC: the one representation).</param>
    /// <param name="only">Where given, only the part of s on that input (held-out validation selects on the explained representation alone).</param>
    double[][] Evaluate(IReadOnlyList<Matrix> inputs, int? only = null);
}
