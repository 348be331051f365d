using System.Text.Json.Serialization;

namespace RepDiff.Embedding;

/// <summary>
/// How an image becomes the model's input tensor: decode (EXIF orientation applied, grey to RGB, alpha
/// over white), resize, crop, channel order, then value = (pixel × scale − mean[c]) / std[c] − mean_image[c, y, x]
/// with pixel in 0..255. Every field is optional; <see cref="WithDefaults"/> fills the rest.
/// </summary>
public sealed record ImagePreprocessing
{
    /// <summary>Height and width of the input tensor: [h, w], or one number for a square.</summary>
    [JsonPropertyName("size"), JsonConverter(typeof(SizeConverter))] public int[]? Size { get; init; }

    /// <summary>"shorter-side" (shorter side to <see cref="ResizeTo"/>, then centre crop), "stretch" (straight to size), "none" (centre crop only).</summary>
    [JsonPropertyName("resize")] public string? Resize { get; init; }

    /// <summary>Length of the shorter side after resizing (shorter-side only); default: the larger of the size.</summary>
    [JsonPropertyName("resize_to")] public int? ResizeTo { get; init; }

    /// <summary>"bilinear", "bicubic" (Catmull-Rom) or "nearest".</summary>
    [JsonPropertyName("interpolation")] public string? Interpolation { get; init; }

    /// <summary>"rgb" or "bgr": the order of the channels in the tensor.</summary>
    [JsonPropertyName("channel_order")] public string? ChannelOrder { get; init; }

    /// <summary>"nchw" (PyTorch) or "nhwc" (TensorFlow).</summary>
    [JsonPropertyName("layout")] public string? Layout { get; init; }

    /// <summary>Multiplies the 0..255 pixel values first (1/255 for models trained on 0..1 images).</summary>
    [JsonPropertyName("scale")] public float? Scale { get; init; }

    /// <summary>Per-channel mean and standard deviation, in the tensor's channel order, after scaling.</summary>
    [JsonPropertyName("mean")] public float[]? Mean { get; init; }
    [JsonPropertyName("std")] public float[]? Std { get; init; }

    /// <summary>A mean image subtracted last: a .npy of shape [C, H, W] in the tensor's channel order, or an .onnx file holding it as an initializer.</summary>
    [JsonPropertyName("mean_image")] public string? MeanImage { get; init; }

    /// <summary>Name of the initializer holding the mean image when <see cref="MeanImage"/> is an .onnx file.</summary>
    [JsonPropertyName("mean_image_tensor")] public string? MeanImageTensor { get; init; }

    /// <summary>This record's values over <paramref name="defaults"/> (field by field).</summary>
    public ImagePreprocessing Over(ImagePreprocessing? defaults) => defaults is null ? this : new()
    {
        Size = Size ?? defaults.Size,
        Resize = Resize ?? defaults.Resize,
        ResizeTo = ResizeTo ?? defaults.ResizeTo,
        Interpolation = Interpolation ?? defaults.Interpolation,
        ChannelOrder = ChannelOrder ?? defaults.ChannelOrder,
        Layout = Layout ?? defaults.Layout,
        Scale = Scale ?? defaults.Scale,
        Mean = Mean ?? defaults.Mean,
        Std = Std ?? defaults.Std,
        MeanImage = MeanImage ?? defaults.MeanImage,
        MeanImageTensor = MeanImageTensor ?? defaults.MeanImageTensor,
    };

    /// <summary>Every unset field at its default: 224×224, shorter-side, bilinear, RGB, NCHW, scale 1/255, mean 0, std 1.</summary>
    public ImagePreprocessing WithDefaults() => Over(new ImagePreprocessing
    {
        Size = [224, 224],
        Resize = "shorter-side",
        Interpolation = "bilinear",
        ChannelOrder = "rgb",
        Layout = "nchw",
        Scale = 1f / 255,
        Mean = [0, 0, 0],
        Std = [1, 1, 1],
    });
}
