namespace RepDiff.Numerics;

/// <summary>Which end of the spectrum an eigensolver returns.</summary>
public enum EigenTarget { Largest, Smallest, LargestMagnitude }
