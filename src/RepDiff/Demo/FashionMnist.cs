using System.Globalization;

namespace RepDiff.Demo;

/// <summary>
/// The bundled Fashion-MNIST subsets (data/fashion-mnist, MIT licence, Zalando Research): 28×28 grey
/// images of garments in ten classes. "test" holds 2,000 images of the test set (200 per class), the
/// ones the demo compares models on; "train" 10,000 of the training set (1,000 per class), what the
/// demo's task model learns from.
/// </summary>
public sealed class FashionMnist
{
    /// <summary>The credit a report shows beside these images.</summary>
    public const string Attribution = "Fashion-MNIST © 2017 Zalando SE (H. Xiao, K. Rasul, R. Vollgraf, arXiv:1708.07747), MIT licence";

    public const int Side = 28;
    public const int Pixels = Side * Side;

    /// <summary>Zalando's class names, indexed by label 0..9.</summary>
    public static readonly IReadOnlyList<string> ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public const string TestSplit = "test";
    public const string TrainSplit = "train";

    public required string Split { get; init; }

    /// <summary>uint8 pixels, n × 28 × 28 row-major, 0 = background (as in the original files).</summary>
    public required byte[] Images { get; init; }

    /// <summary>Class 0..9 of each image (see <see cref="ClassNames"/>).</summary>
    public required int[] Labels { get; init; }

    /// <summary>Each image's row in Fashion-MNIST's original file of this split.</summary>
    public required int[] SourceRows { get; init; }

    public int Count => Labels.Length;

    /// <summary>The bundled subset of one split from data/fashion-mnist.</summary>
    public static FashionMnist Load(string split) => Load(BundledData.FindFolder("fashion-mnist"), split);

    public static FashionMnist Load(string folder, string split)
    {
        if (split is not (TestSplit or TrainSplit)) throw new RepDiffInputException($"Fashion-MNIST split '{split}': expected '{TestSplit}' or '{TrainSplit}'");
        string imagesPath = Path.Combine(folder, $"{split}-images.npy.gz"), labelsPath = Path.Combine(folder, $"{split}-labels.csv.gz");
        var (images, count) = BundledData.ReadUInt8Npy(imagesPath, Side, Side);
        var rows = BundledData.ReadTable(labelsPath, ',', "source_row", "label");
        if (rows.Count != count) throw RepDiffInputException.ForFile(labelsPath, $"{rows.Count} labels for {count} images in {imagesPath}");
        var labels = new int[count];
        var sourceRows = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (!int.TryParse(rows[i][0], NumberStyles.None, CultureInfo.InvariantCulture, out sourceRows[i])
                || !int.TryParse(rows[i][1], NumberStyles.None, CultureInfo.InvariantCulture, out labels[i]) || labels[i] >= ClassNames.Count)
                throw RepDiffInputException.ForFile(labelsPath, $"line {i + 2}: expected a row number and a label 0..{ClassNames.Count - 1}");
        }
        return new FashionMnist { Split = split, Images = images, Labels = labels, SourceRows = sourceRows };
    }

    /// <summary>At most <paramref name="perClass"/> images of each class, evenly spaced, in the original order.</summary>
    public FashionMnist PerClass(int perClass)
    {
        var rows = BundledData.EvenlyPerLabel(Labels, perClass);
        var images = new byte[rows.Length * Pixels];
        for (int k = 0; k < rows.Length; k++) Images.AsSpan(rows[k] * Pixels, Pixels).CopyTo(images.AsSpan(k * Pixels));
        return new FashionMnist { Split = Split, Images = images, Labels = [.. rows.Select(i => Labels[i])], SourceRows = [.. rows.Select(i => SourceRows[i])] };
    }

    /// <summary>Pixels scaled to 0..1, one image per row (n × 784): the input of the task model.</summary>
    public Matrix AsMatrix()
    {
        var m = new Matrix(Count, Pixels);
        for (int i = 0; i < Images.Length; i++) m.Data[i] = Images[i] / 255f;
        return m;
    }

    /// <summary>The images for the report (grey, 0..1).</summary>
    public ImageSet AsImageSet() => new(AsMatrix().Data, Count, Side, Side, 1);

    /// <summary>Class names per image.</summary>
    public string[] LabelNames() => Labels.Select(l => ClassNames[l]).ToArray();

    /// <summary>Ids ("test-123": split and row in the original file), class names and images, for a RepresentationPair.</summary>
    public SampleInfo Samples() => new()
    {
        Ids = SourceRows.Select(r => $"{Split}-{r.ToString(CultureInfo.InvariantCulture)}").ToArray(),
        Labels = new SampleLabels(LabelNames()),
        Images = AsImageSet(),
    };
}
