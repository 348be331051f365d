namespace RepDiff;

/// <summary>How far a long computation is: a stage name and the fraction of it done (0..1).</summary>
public readonly record struct ProgressUpdate(string Stage, double Fraction);
