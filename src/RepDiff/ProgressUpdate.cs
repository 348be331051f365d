namespace RepDiff;

/// <summary>How far a long computation is: a stage name and the fraction of it done (0..1).</summary>
public readonly record struct ProgressUpdate(string Stage, double Fraction)
{
    /// <summary>
    /// The fraction, held to 0..1 whoever reports it (NaN counts as nothing done): a method's 0/0 had been shown as
    /// "stage: NaN%", a fraction of 7 as "700%".
    /// </summary>
    public double Fraction { get; init; } = double.IsNaN(Fraction) ? 0 : Math.Clamp(Fraction, 0, 1);
}
