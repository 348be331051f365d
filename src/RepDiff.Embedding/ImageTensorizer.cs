using System.Runtime.CompilerServices;
using Onnx;
using RepDiff;
using RepDiff.IO;
using SkiaSharp;

namespace RepDiff.Embedding;

/// <summary>Resizes, crops and normalizes a decoded image into one sample of the input tensor.</summary>
internal sealed class ImageTensorizer
{
    private readonly ImagePreprocessing spec;
    private readonly int height, width;
    private readonly int[] sourceChannel;   // tensor channel c takes RGB channel sourceChannel[c]
    private readonly float[] gain, offset;  // value = pixel × gain[c] − offset[c]
    private readonly float[]? meanImage;    // [C, H, W] in tensor channel order

    public int Height => height;
    public int Width => width;
    public int Values => 3 * height * width;

    public ImageTensorizer(ImagePreprocessing spec, ModelDescription description)
    {
        this.spec = spec;
        (height, width) = (spec.Size![0], spec.Size[1]);
        sourceChannel = spec.ChannelOrder == "bgr" ? [2, 1, 0] : [0, 1, 2];
        gain = new float[3];
        offset = new float[3];
        for (int c = 0; c < 3; c++)
        {
            gain[c] = spec.Scale!.Value / spec.Std![c];
            offset[c] = spec.Mean![c] / spec.Std[c];
        }
        if (spec.MeanImage is not null) meanImage = LoadMeanImage(description.PathOf(spec.MeanImage)!, spec.MeanImageTensor);
    }

    /// <summary>Writes the sample's 3·H·W values (layout as specified) into <paramref name="destination"/>.</summary>
    public void Write(DecodedImage image, Span<float> destination, string name)
    {
        var rgba = Fit(image, name).Rgba;
        int plane = height * width;
        for (int c = 0; c < 3; c++)
        {
            var mean = meanImage is null ? default : meanImage.AsSpan(c * plane, plane);
            if (spec.Layout == "nchw") WritePlane(rgba.AsSpan(sourceChannel[c]), gain[c], offset[c], mean, destination.Slice(c * plane, plane));
            else WriteInterleaved(rgba.AsSpan(sourceChannel[c]), gain[c], offset[c], mean, destination[c..], plane);
        }
    }

    // Compiled optimized at once: these loops run over every pixel of the first images too, when tiered
    // compilation would still run them unoptimized. Each value is (pixel × gain − offset) − mean, in that order.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WritePlane(ReadOnlySpan<byte> pixels, float gain, float offset, ReadOnlySpan<float> mean, Span<float> plane)
    {
        if (mean.IsEmpty)
            for (int i = 0; i < plane.Length; i++) plane[i] = pixels[4 * i] * gain - offset;
        else
        {
            mean = mean[..plane.Length];
            for (int i = 0; i < plane.Length; i++) plane[i] = pixels[4 * i] * gain - offset - mean[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteInterleaved(ReadOnlySpan<byte> pixels, float gain, float offset, ReadOnlySpan<float> mean, Span<float> destination, int count)
    {
        for (int i = 0; i < count; i++) destination[3 * i] = pixels[4 * i] * gain - offset - (mean.IsEmpty ? 0 : mean[i]);
    }

    /// <summary>The image at exactly height × width: resized as specified, then centre-cropped.</summary>
    private DecodedImage Fit(DecodedImage image, string name)
    {
        var resized = spec.Resize switch
        {
            "stretch" => Resize(image, width, height),
            "shorter-side" => ResizeShorterSide(image, name),
            _ => image,
        };
        if (resized.Width < width || resized.Height < height)
            throw RepDiffInputException.ForFile(name, $"image is {resized.Width}x{resized.Height} after resizing, smaller than the model's {width}x{height} (resize: {spec.Resize})");
        return CenterCrop(resized);
    }

    /// <summary>
    /// Most pixels of an image resized by its shorter side (256 MB of RGBA). Only an extreme aspect ratio reaches it: a
    /// 5,000 × 1 strip scaled to a shorter side of 256 would be 1,280,000 × 256 pixels (1.3 GB) before its centre is cropped.
    /// </summary>
    internal const long MaxResizedPixels = 1L << 26;

    private DecodedImage ResizeShorterSide(DecodedImage image, string name)
    {
        int target = spec.ResizeTo ?? Math.Max(height, width);
        // As torchvision: the shorter side becomes target, the longer one scales with it (truncated).
        (long w, long h) = image.Width <= image.Height
            ? (target, (long)target * image.Height / image.Width)
            : ((long)target * image.Width / image.Height, (long)target);
        if (w * h > MaxResizedPixels)
            throw RepDiffInputException.ForFile(name, $"image of {image.Width}x{image.Height} pixels would be {w}x{h} with its shorter side resized to {target} " +
                $"(more than {MaxResizedPixels:N0} pixels): crop it, or use resize \"stretch\" in the model description");
        return Resize(image, (int)w, (int)h);
    }

    private DecodedImage Resize(DecodedImage image, int w, int h)
    {
        if (w == image.Width && h == image.Height) return image;
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var source = new SKBitmap();
        unsafe
        {
            fixed (byte* p = image.Rgba)
            {
                source.InstallPixels(info, (IntPtr)p, info.RowBytes);
                using var target = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque));
                if (!source.ScalePixels(target, Sampling(image.Width, w)))
                    throw new InvalidOperationException("Skia could not resize the image");
                return new DecodedImage(w, h, target.Bytes);
            }
        }
    }

    private SKSamplingOptions Sampling(int from, int to) => spec.Interpolation switch
    {
        "nearest" => new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None),
        "bicubic" => new SKSamplingOptions(SKCubicResampler.CatmullRom),
        // Shrinking past half size averages through mipmaps, so fine detail does not alias.
        _ => new SKSamplingOptions(SKFilterMode.Linear, to * 2 < from ? SKMipmapMode.Linear : SKMipmapMode.None),
    };

    private DecodedImage CenterCrop(DecodedImage image)
    {
        if (image.Width == width && image.Height == height) return image;
        int top = (int)Math.Round((image.Height - height) / 2.0), left = (int)Math.Round((image.Width - width) / 2.0);
        var rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            image.Rgba.AsSpan(((top + y) * image.Width + left) * 4, width * 4).CopyTo(rgba.AsSpan(y * width * 4));
        return new DecodedImage(width, height, rgba);
    }

    private float[] LoadMeanImage(string path, string? tensor)
    {
        float[] values;
        long[] shape;
        if (Path.GetExtension(path).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            var model = OnnxFile.Parse(path);
            var init = model.Graph.Initializer.FirstOrDefault(t => t.Name == tensor)
                ?? throw RepDiffInputException.ForFile(path, $"holds no initializer named '{tensor}' (mean_image_tensor)");
            if (init.DataType != (int)TensorProto.Types.DataType.Float) throw RepDiffInputException.ForFile(path, $"initializer '{tensor}' is not float32");
            values = init.RawData.Length > 0
                ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(init.RawData.Span).ToArray()
                : init.FloatData.ToArray();
            shape = init.Dims.ToArray();
        }
        else
        {
            using var stream = InputFile.OpenRead(path);  // a missing file or a folder is the description's error, in one line
            var header = Npy.ReadHeader(stream, path);
            if (header.Dtype != NpyDtype.Float32 || header.FortranOrder) throw RepDiffInputException.ForFile(path, "the mean image must be a C-order float32 .npy");
            var bytes = new byte[header.DataBytes];
            stream.ReadExactly(bytes);
            values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            shape = header.Shape;
        }
        var dims = shape.SkipWhile(d => d == 1).ToArray(); // a leading batch axis of 1 is fine
        if (dims is not [3, var h, var w] || h != height || w != width || values.Length != 3 * height * width)
            throw RepDiffInputException.ForFile(path, $"mean image has shape [{string.Join(", ", shape)}], expected [3, {height}, {width}]");
        return values;
    }
}
