namespace RepDiff.Spectral;

/// <summary>
/// A route's answer: the signed modes, each mode's top members and the modes as functions of the input (positive
/// modes first, then negative ones; null on a stability rerun, whose concepts are never extended).
/// </summary>
internal sealed record SpectralModes(SignedModes Modes, ModeMembers Members, IModeFunction? Function);
