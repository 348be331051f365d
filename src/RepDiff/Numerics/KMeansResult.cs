using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>A k-means clustering: labels per row, k×d centroids, and the sum of squared distances to them.</summary>
public sealed record KMeansResult(int[] Labels, Matrix Centroids, double Inertia);
