using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// Streaming Σ φφᵀ over row batches (double sums of float features); two accumulators merge by adding.
/// Batches update the upper triangle only, with one float work matrix for all of them; the lower triangle is
/// filled when <see cref="Sum"/> is read.
/// </summary>
public sealed class CovarianceAccumulator
{
    private readonly double[] sum;
    private readonly bool inDouble;
    private float[]? partial;
    private double[]? widened;
    private bool mirrored = true;

    /// <param name="inDouble">Every product and sum in double (<see cref="Syrk.AddUpperTransposeProductInDouble"/>) rather than
    /// float GEMMs summed in double: for Gram matrices whose near-null directions a method needs.</param>
    public CovarianceAccumulator(int dim, bool inDouble = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dim);
        Dim = dim;
        this.inDouble = inDouble;
        sum = DenseMemory.Zeroed(checked(dim * dim));
    }

    public int Dim { get; }

    /// <summary>Rows added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Σ φφᵀ, dim×dim row-major, both triangles.</summary>
    public double[] Sum
    {
        get
        {
            if (!mirrored) Syrk.MirrorUpper(sum, Dim);
            mirrored = true;
            return sum;
        }
    }

    /// <summary>
    /// Rows whose multiples <see cref="Add"/> sums as whole groups in either precision (a float GEMM's chunk,
    /// <see cref="Syrk.RowsPerChunk"/>, summed in double; or the double path's <see cref="Syrk.DoubleChunkRows"/>): adding a
    /// batch as consecutive pieces of such multiples gives the sums of adding it whole. 0 when the two do not nest.
    /// </summary>
    public static int RowsSummedWhole(int dim)
    {
        int rows = Syrk.RowsPerChunk(dim);
        return rows % Syrk.DoubleChunkRows == 0 ? rows : 0;
    }

    public void Add(Matrix batch)
    {
        if (batch.Cols != Dim) throw new ArgumentException($"batch has {batch.Cols} columns, the accumulator {Dim}");
        if (batch.Rows == 0 || Dim == 0) return;
        if (inDouble) Syrk.AddUpperTransposeProductInDouble(batch, sum, widened ??= new double[Syrk.DoubleWorkLength(Dim)]);
        else Syrk.AddUpperTransposeProduct(batch, sum, 1, partial ??= new float[Dim * Dim]);
        mirrored = false;
        Count += batch.Rows;
    }
}
