namespace RepDiff.Spectral;

/// <summary>The kernels of the spectral methods: Gaussian exp(−‖x−y‖²/(2σ²)) or cosine x̂·ŷ (docs/methods/METHODS.md §3).</summary>
public enum KernelKind { Gaussian, Cosine }
