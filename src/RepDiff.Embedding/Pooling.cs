using RepDiff;

namespace RepDiff.Embedding;

/// <summary>
/// From a model output [batch, ...] to one vector per sample: as is (rank 2, or flattened with "none"),
/// the first token of [batch, tokens, dim] ("cls"), or the mean over tokens (attended ones only, when a
/// mask is given) or over every axis after the channel axis ("mean"); then optionally unit L2 norm.
/// Sums run in double, so the result does not depend on the batch it was computed in.
/// </summary>
internal static class Pooling
{
    public static float[] Pool(ReadOnlySpan<float> data, ReadOnlySpan<long> shape, int count, string mode, ReadOnlySpan<long> mask, bool normalize, string output, string model,
        ModelFlagNames? names = null)
    {
        string shapeText = "[" + string.Join(", ", shape.ToArray()) + "]";
        if (shape.Length < 2 || shape[0] != count)
            throw RepDiffInputException.ForFile(model, shape.Length == 1 && shape[0] == count
                ? $"output '{output}' has shape {shapeText}: one value per sample, no feature axis; name an output or {(names ?? ModelFlagNames.Embed).Layer} with features"
                : $"output '{output}' has shape {shapeText}; expected [batch = {count}, ...]");
        // An axis of length 0 leaves no values: written as is, the embedding had no columns.
        if (data.Length == 0)
            throw RepDiffInputException.ForFile(model, $"output '{output}' has shape {shapeText}: no values per sample");
        if (mode == "auto") mode = shape.Length == 2 ? "none" : "mean";
        long per = data.Length / count;
        int cols;
        float[] result;
        switch (mode)
        {
            case "none":
                // A text model's token axis is as long as the batch's longest text: flattened, one run's width would be
                // another's (a 3-D output of 2 texts gave 1,536 values each, 4 × 384 at that padding).
                if (!mask.IsEmpty && shape.Length >= 3)
                    throw RepDiffInputException.ForFile(model, $"pooling none keeps output '{output}' {shapeText} whole, whose token axis is the batch's padded length; choose cls or mean pooling");
                if (per > int.MaxValue / Math.Max(1, count)) throw RepDiffInputException.ForFile(model, $"output '{output}' {shapeText} is too large to flatten; choose mean or cls pooling");
                cols = (int)per;
                result = data.ToArray();
                break;
            case "cls":
                if (shape.Length != 3) throw RepDiffInputException.ForFile(model, $"cls pooling takes [batch, tokens, dim]; output '{output}' is {shapeText}");
                cols = (int)shape[2];
                result = new float[count * cols];
                for (int b = 0; b < count; b++) data.Slice((int)(b * per), cols).CopyTo(result.AsSpan(b * cols));
                break;
            case "mean":
                if (shape.Length == 2) throw RepDiffInputException.ForFile(model, $"mean pooling needs a token or spatial axis; output '{output}' is {shapeText} (use pooling none)");
                // Texts are averaged over their own tokens, which needs the token axis second: attention scores [batch, heads,
                // tokens, tokens] or a per-head reshape averaged whole took in the padding, so a text's vector hung on the
                // other texts of its batch, or made the padded length the embedding (helper 76).
                if (!mask.IsEmpty && (shape.Length != 3 || mask.Length != count * shape[1]))
                    throw RepDiffInputException.ForFile(model, $"output '{output}' is {shapeText}: a text model's layer is averaged over each text's own tokens, which takes [batch, tokens, features] with tokens = {mask.Length / count} here (attention scores or a per-head reshape are not); choose a hidden state");
                result = shape.Length == 3 ? MeanOverTokens(data, shape, count, mask, out cols) : MeanOverSpace(data, shape, count, out cols);
                break;
            default:
                throw new ArgumentException($"unknown pooling {mode}");
        }
        if (normalize) Normalize(result, count, cols);
        foreach (float v in result)
            if (!float.IsFinite(v)) throw RepDiffInputException.ForFile(model, $"output '{output}' holds NaN or infinite values");
        return result;
    }

    /// <summary>[B, L, D] → mean over L; with a [B, L] mask only the positions where it is 1 count.</summary>
    private static float[] MeanOverTokens(ReadOnlySpan<float> data, ReadOnlySpan<long> shape, int count, ReadOnlySpan<long> mask, out int cols)
    {
        int tokens = (int)shape[1];
        cols = (int)shape[2];
        bool masked = !mask.IsEmpty && mask.Length == count * tokens;
        var result = new float[count * cols];
        var sum = new double[cols];
        for (int b = 0; b < count; b++)
        {
            Array.Clear(sum);
            int used = 0;
            for (int t = 0; t < tokens; t++)
            {
                if (masked && mask[b * tokens + t] == 0) continue;
                used++;
                var row = data.Slice((b * tokens + t) * cols, cols);
                for (int j = 0; j < cols; j++) sum[j] += row[j];
            }
            for (int j = 0; j < cols; j++) result[b * cols + j] = used == 0 ? 0 : (float)(sum[j] / used);
        }
        return result;
    }

    /// <summary>[B, C, ...] → mean over every axis after C (global average pooling of a feature map).</summary>
    private static float[] MeanOverSpace(ReadOnlySpan<float> data, ReadOnlySpan<long> shape, int count, out int cols)
    {
        cols = (int)shape[1];
        long area = 1;
        for (int i = 2; i < shape.Length; i++) area *= shape[i];
        var result = new float[count * cols];
        for (int b = 0; b < count; b++)
            for (int c = 0; c < cols; c++)
            {
                double sum = 0;
                var plane = data.Slice((int)((b * (long)cols + c) * area), (int)area);
                foreach (float v in plane) sum += v;
                result[b * cols + c] = area == 0 ? 0 : (float)(sum / area);
            }
        return result;
    }

    private static void Normalize(float[] values, int count, int cols)
    {
        for (int b = 0; b < count; b++)
        {
            var row = values.AsSpan(b * cols, cols);
            double squares = 0;
            foreach (float v in row) squares += (double)v * v;
            if (squares == 0) continue;
            double scale = 1 / Math.Sqrt(squares);
            for (int j = 0; j < cols; j++) row[j] = (float)(row[j] * scale);
        }
    }
}
