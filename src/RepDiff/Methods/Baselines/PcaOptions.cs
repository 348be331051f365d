namespace RepDiff.Methods.Baselines;

/// <summary>Options of the PCA baseline: those every baseline has.</summary>
public sealed record PcaOptions : BaselineOptions;
