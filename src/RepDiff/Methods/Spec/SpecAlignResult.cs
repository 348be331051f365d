namespace RepDiff.Methods.Spec;

/// <summary>
/// The learned head W (d_B × d_B), B W for every row, SPEC-diff (cosine) on the held-out rows before and after, and
/// which rows those are (ascending input rows: without them neither SPEC-diff can be recomputed).
/// </summary>
public sealed record SpecAlignResult(Matrix W, Matrix AlignedB, double SpecDiffBefore, double SpecDiffAfter, int[] HeldOut)
{
    public int HeldOutRows => HeldOut.Length;

    /// <summary>The learned W did not lower SPEC-diff on the held-out rows, so W is the identity and B is left as it is.</summary>
    public bool KeptIdentity { get; init; }
}
