using RepDiff.Trust;

namespace RepDiff.Spectral;

/// <summary>
/// A spectral explanation's concepts extended to new samples by their mode functions: concept r of a
/// direction is mode FirstMode + r − 1, with the sign its members were read with.
/// </summary>
/// <remarks>
/// A direction that explains one input of a pair scores new samples with the part of its mode on that input
/// alone (Input): held-out validation then measures how the other input places the members, and a selection
/// that also read the other input would pick samples by the very noise the measure compares
/// (docs/reliability.md, held-out validation).
/// </remarks>
internal sealed class ModeExtension(IModeFunction function, params ModeExtension.Side[] sides) : IConceptExtension
{
    /// <summary>A direction's modes: where they start in the function's modes and in their members' modes, and the input it explains (null: all).</summary>
    public sealed record Side(string Direction, int FirstMode, ModeMembers Members, int FirstMember, int? Input = null);

    private IReadOnlyList<Matrix>? evaluatedOn;
    private int? evaluatedInput;
    private double[][] scores = [];

    public double[]? Score(string direction, int rank, IReadOnlyList<Matrix> inputs)
    {
        var side = sides.FirstOrDefault(s => s.Direction == direction);
        if (side is null || rank < 1) return null;
        int mode = side.FirstMode + rank - 1, member = side.FirstMember + rank - 1;
        if (member >= side.Members.Modes) return null;
        lock (this)
        {
            // Validation asks for every concept on the same rows: evaluate every mode once.
            if (evaluatedOn is null || evaluatedInput != side.Input || !evaluatedOn.SequenceEqual(inputs, ReferenceEqualityComparer.Instance))
            {
                scores = function.Evaluate(inputs, side.Input);
                (evaluatedOn, evaluatedInput) = (inputs.ToArray(), side.Input);
            }
            if (mode >= scores.Length) return null;
            double sign = side.Members.Sign(member);
            return scores[mode].Select(s => sign * s).ToArray();
        }
    }
}
