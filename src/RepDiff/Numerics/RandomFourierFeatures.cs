using System.Numerics.Tensors;
using RepDiff.IO;

namespace RepDiff.Numerics;

/// <summary>
/// Random Fourier features for the Gaussian kernel exp(−‖x−y‖²/(2σ²)): φ(x) = [cos(xΩ), sin(xΩ)] / √r with
/// Ω (d×r) drawn N(0, 1/σ²), so φ(x)·φ(y) = mean over frequencies of cos((x−y)·ω) ≈ k(x, y).
/// </summary>
public sealed class RandomFourierFeatures
{
    /// <summary>d×r frequencies, already divided by sigma (the fixtures' *_omega_*.npy convention).</summary>
    public Matrix Omega { get; }

    public int InputDim => Omega.Rows;

    /// <summary>r; the feature dimension is 2r.</summary>
    public int Frequencies => Omega.Cols;

    public RandomFourierFeatures(Matrix omega)
    {
        if (omega.Rows == 0 || omega.Cols == 0) throw new ArgumentException($"frequency matrix is {omega.Rows}x{omega.Cols}; it needs at least one row and column");
        Omega = omega;
    }

    /// <summary>Ω ~ N(0, 1/σ²), filled row by row from the seed.</summary>
    public static RandomFourierFeatures Sample(int inputDim, int frequencies, double sigma, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frequencies, 1);
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "the kernel bandwidth must be positive and finite");
        var rng = Rng.Create(seed);
        var omega = new Matrix(inputDim, frequencies);
        for (int i = 0; i < omega.Data.Length; i++) omega.Data[i] = (float)(Rng.Normal(rng) / sigma);
        return new RandomFourierFeatures(omega);
    }

    /// <summary>features (batch × 2r) = [cos(xΩ), sin(xΩ)] / √r, one row per row of xBatch.</summary>
    public void Map(Matrix xBatch, Matrix features) => Map(xBatch, features, 0);

    /// <summary>Writes [cos(xΩ), sin(xΩ)] / √r into columns [column, column + 2r) of each features row (the rest untouched).</summary>
    public void Map(Matrix xBatch, Matrix features, int column)
    {
        int r = Frequencies;
        if (xBatch.Cols != InputDim) throw new ArgumentException($"rows have {xBatch.Cols} dimensions, the frequencies expect {InputDim}");
        if (features.Rows != xBatch.Rows || column < 0 || features.Cols < column + 2 * r)
            throw new ArgumentException($"features is {features.Rows}x{features.Cols}, expected {xBatch.Rows} rows with columns {column}..{column + 2 * r}");
        // xΩ lands in the first r of the 2r columns, then becomes cos and sin in place.
        Gemm.Compute(xBatch.Rows, r, InputDim, 1f, xBatch.Data, 0, InputDim, false, Omega.Data, 0, r, false, 0f, features.Data, column, features.Cols);
        float scale = 1f / MathF.Sqrt(r);
        Gemm.ParallelFor(xBatch.Rows, Environment.ProcessorCount, i =>
        {
            var row = features.Row(i).Slice(column, 2 * r);
            var projection = row[..r];
            TensorPrimitives.Sin(projection, row[r..]);
            TensorPrimitives.Cos(projection, projection);
            TensorPrimitives.Multiply(row, scale, row);
        });
    }

    /// <summary>Loads Ω from .npy; the file must have one row per input dimension.</summary>
    public static RandomFourierFeatures Load(string npyPath, int expectedInputDim)
    {
        var omega = Npy.ReadMatrix(npyPath);
        if (omega.Rows != expectedInputDim)
            throw RepDiffInputException.ForFile(npyPath,
                $"frequency matrix is {omega.Rows}×{omega.Cols} but the representation has {expectedInputDim} dimensions (expected {expectedInputDim}×r)");
        if (omega.Cols == 0) throw RepDiffInputException.ForFile(npyPath, "frequency matrix has no columns");
        foreach (float v in omega.Data)
            if (!float.IsFinite(v)) throw RepDiffInputException.ForFile(npyPath, "frequency matrix contains NaN or infinite values");
        return new RandomFourierFeatures(omega);
    }

    public void Save(string npyPath) => Npy.Write(npyPath, Omega);
}
