namespace RepDiff.Spectral;

/// <summary>A route's answer: the signed modes and each mode's top members (positive modes first, then negative ones).</summary>
internal sealed record SpectralModes(SignedModes Modes, ModeMembers Members);
