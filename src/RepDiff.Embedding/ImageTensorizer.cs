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
        (long w, long h) = spec.Resize switch
        {
            "stretch" => (width, height),
            "shorter-side" => ShorterSide(image),
            _ => (image.Width, image.Height),
        };
        // Only the crop is drawn, but its offset is an int and a float in Skia's matrix: a side past int's range is refused.
        if (w > int.MaxValue || h > int.MaxValue)
            throw RepDiffInputException.ForFile(name, $"image of {image.Width}x{image.Height} pixels would be {w}x{h} with its shorter side resized to {spec.ResizeTo ?? Math.Max(height, width)} " +
                $"(a side beyond {int.MaxValue:N0} pixels): crop it, or use resize \"stretch\" in the model description");
        if (w < width || h < height)
            throw RepDiffInputException.ForFile(name, $"image is {w}x{h} after resizing, smaller than the model's {width}x{height} (resize: {spec.Resize})");
        return ResizedCentre(image, w, h);
    }

    /// <summary>As torchvision: the shorter side becomes resize_to, the longer one scales with it (truncated).</summary>
    private (long W, long H) ShorterSide(DecodedImage image)
    {
        int target = spec.ResizeTo ?? Math.Max(height, width);
        return image.Width <= image.Height
            ? (target, (long)target * image.Height / image.Width)
            : ((long)target * image.Width / image.Height, target);
    }

    /// <summary>
    /// The centre height × width of the image resized to w × h, made without the rest of the resized image. Resizing
    /// first and cropping after made all of it: a 1,000 × 1 strip became 224,000 × 224 pixels (200 MB) per image, and
    /// gigabytes with several images at once, for the 224 × 224 kept. The window is drawn through the same shader
    /// Skia's ScalePixels uses (the source scaled by w/W and h/H, edges clamped), shifted by the crop's offset.
    /// </summary>
    private DecodedImage ResizedCentre(DecodedImage image, long w, long h)
    {
        int top = (int)Math.Round((h - height) / 2.0), left = (int)Math.Round((w - width) / 2.0);
        if (w == image.Width && h == image.Height) return Crop(image, left, top);
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var targetInfo = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var rgba = new byte[width * height * 4];
        unsafe
        {
            fixed (byte* p = image.Rgba)
            fixed (byte* q = rgba)
            {
                using var source = SKImage.FromPixels(info, (IntPtr)p, info.RowBytes)
                    ?? throw new InvalidOperationException("Skia could not wrap the decoded image");
                var matrix = SKMatrix.CreateScale((float)w / image.Width, (float)h / image.Height)
                    .PostConcat(SKMatrix.CreateTranslation(-left, -top));
                using var shader = source.ToShader(SKShaderTileMode.Clamp, SKShaderTileMode.Clamp, Sampling(image.Width, w), matrix);
                using var surface = SKSurface.Create(targetInfo, (IntPtr)q, targetInfo.RowBytes)
                    ?? throw new InvalidOperationException("Skia could not draw the resized image");
                using var paint = new SKPaint { Shader = shader, BlendMode = SKBlendMode.Src };
                surface.Canvas.DrawPaint(paint);
                surface.Flush();
            }
        }
        return new DecodedImage(width, height, rgba);
    }

    private SKSamplingOptions Sampling(int from, long to) => spec.Interpolation switch
    {
        "nearest" => new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None),
        "bicubic" => new SKSamplingOptions(SKCubicResampler.CatmullRom),
        // Shrinking past half size averages through mipmaps, so fine detail does not alias.
        _ => new SKSamplingOptions(SKFilterMode.Linear, to * 2 < from ? SKMipmapMode.Linear : SKMipmapMode.None),
    };

    private DecodedImage Crop(DecodedImage image, int left, int top)
    {
        if (image.Width == width && image.Height == height) return image;
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
