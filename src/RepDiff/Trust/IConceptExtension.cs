namespace RepDiff.Trust;

/// <summary>
/// How a method's concepts reach samples it did not see, for held-out validation (docs/methods/METHODS.md §7).
/// A method that has a function of the input for each concept (spectral methods: the mode s(x) = φ(x)·w)
/// attaches one to its <see cref="Explanation.Extension"/>; concepts without one are extended by a vote of
/// their nearest discovery samples, so no method needs a special case in the validation code.
/// </summary>
public interface IConceptExtension
{
    /// <summary>
    /// Each new sample's score on a concept (larger: more a member, on the same side as the concept's own
    /// members), or null where that concept has no function.
    /// </summary>
    /// <param name="direction">The direction's name.</param>
    /// <param name="rank">The concept's rank in it.</param>
    /// <param name="inputs">The new samples as the method's inputs: [A, B] rows for a pair method, [rows] of the one representation for a sample-set method.</param>
    double[]? Score(string direction, int rank, IReadOnlyList<Matrix> inputs);
}
