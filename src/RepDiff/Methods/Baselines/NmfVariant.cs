using System.Numerics.Tensors;
using RepDiff.Numerics;

namespace RepDiff.Methods.Baselines;

public enum NmfVariant { Auto, Nmf, SemiNmf }
