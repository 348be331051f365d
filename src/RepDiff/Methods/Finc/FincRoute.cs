using RepDiff.Options;

namespace RepDiff.Methods.Finc;

public enum FincRoute { Auto, Exact, Rff }
