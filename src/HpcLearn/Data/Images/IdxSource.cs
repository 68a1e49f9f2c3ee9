namespace HpcLearn.Data.Images;

/// <summary>
/// A pair of IDX files (MNIST format): images (N x H x W unsigned bytes) and labels (N bytes).
/// </summary>
public static class IdxSource
{
    /// <summary>The Fashion-MNIST class names, in label order.</summary>
    public static readonly string[] FashionMnistClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the files.</summary>
    public const string DebianFashionMnist = "/usr/share/datasets/fashion-mnist";

    /// <summary>Loads images and labels; class names default to "0".."K-1" (or Fashion-MNIST's when the path says fashion).</summary>
    public static ImageSet Load(string imagesPath, string labelsPath, IReadOnlyList<string>? classes = null)
    {
        var (shape, pixels) = IdxFile.Read(imagesPath);
        if (shape.Length != 3) throw new UserError($"{imagesPath}: expected images of shape N x H x W, found {shape.Length} dimensions ({string.Join(" x ", shape)})");
        var (lshape, labelBytes) = IdxFile.Read(labelsPath);
        if (lshape.Length != 1) throw new UserError($"{labelsPath}: expected one label per image (1 dimension), found {string.Join(" x ", lshape)}");
        if (lshape[0] != shape[0]) throw new UserError($"{labelsPath}: {lshape[0]} labels for {shape[0]} images in {imagesPath}; use the label file that belongs to the image file");
        int k = labelBytes.Length == 0 ? 0 : labelBytes.Max() + 1;
        classes ??= k <= 10 && imagesPath.Contains("fashion", StringComparison.OrdinalIgnoreCase)
            ? FashionMnistClasses
            : Enumerable.Range(0, Math.Max(k, 2)).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (k > classes.Count) throw new UserError($"{labelsPath}: label {k - 1} but only {classes.Count} class names given");
        return new ImageSet(pixels, labelBytes.Select(b => (int)b).ToArray(), classes, 1, shape[1], shape[2]);
    }
}
