using HpcLearn.Data.Images;

namespace HpcLearn.Tasks.Vision;

/// <summary>Loads the training and (when the source has one) test images named by <see cref="VisionDataOptions"/>.</summary>
public static class ImageSources
{
    /// <summary>The training set and, for IDX folders with t10k files, the test set used for validation.</summary>
    public static (ImageSet Train, ImageSet? Test) Load(VisionDataOptions data, int seed)
    {
        data.Validate();
        switch (data.Source)
        {
            case "galaxies":
                return (SyntheticGalaxies.Generate(data.Count, data.ImageSize ?? 32, seed), null);
            case "idx":
                var (train, test) = IdxFiles(data.Path!);
                var trainSet = IdxSource.Load(train.Images, train.Labels);
                var testSet = test is { } t ? IdxSource.Load(t.Images, t.Labels, trainSet.Classes) : null;
                if (data.ImageSize is { } s && s != trainSet.Height)
                    throw new UserError($"data.image_size: {s}, but the IDX images are {trainSet.Height} x {trainSet.Width}; leave image_size out for IDX data");
                return (trainSet, testSet);
            default:
                var load = new ImageLoadOptions
                {
                    Height = data.ImageSize ?? 64, Width = data.ImageSize ?? 64, Channels = data.Channels, MaxBadFraction = data.MaxBadFraction,
                };
                return (data.Source == "csv" ? ImageCsvSource.Load(data.Path!, load, data.PathColumn, data.LabelColumn) : ImageFolderSource.Load(data.Path!, load), null);
        }
    }

    /// <summary>
    /// The images of <c>data.test_path</c> (folder or csv, as <c>data.path</c>), read at the training
    /// images' size and channels, their labels mapped onto <paramref name="training"/>'s classes; a class
    /// the training images lack is refused by name.
    /// </summary>
    public static ImageSet LoadTest(VisionDataOptions data, ImageSet training)
    {
        var load = new ImageLoadOptions { Height = training.Height, Width = training.Width, Channels = training.Channels, MaxBadFraction = data.MaxBadFraction };
        var test = data.Source == "csv" ? ImageCsvSource.Load(data.TestPath!, load, data.PathColumn, data.LabelColumn) : ImageFolderSource.Load(data.TestPath!, load);
        var index = training.Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        foreach (var name in test.Classes.Where(n => !index.ContainsKey(n)))
            throw new UserError(data.Source == "csv"
                ? $"{data.TestPath}: data.test_path has class '{name}' in '{data.LabelColumn}', which the training images of {data.Path} do not have; training classes: {string.Join(", ", training.Classes)}"
                : $"{System.IO.Path.Combine(data.TestPath!, name)}: data.test_path has class '{name}', which the training folder {data.Path} does not have; training classes: {string.Join(", ", training.Classes)}");
        return new ImageSet(test.Pixels, test.Labels.Select(l => index[test.Classes[l]]).ToArray(), training.Classes,
            test.Channels, test.Height, test.Width, test.Names, test.Skipped);
    }

    /// <summary>The (images, labels) files of the training and test parts of an IDX folder.</summary>
    public static ((string Images, string Labels) Train, (string Images, string Labels)? Test) IdxFiles(string folder)
    {
        if (!Directory.Exists(folder))
            throw new UserError($"{folder}: no such folder; data.path must be a folder with train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]" +
                (folder.Contains("fashion", StringComparison.OrdinalIgnoreCase) ? " (on Debian: apt install dataset-fashion-mnist)" : ""));
        string? Find(string prefix) => Directory.GetFiles(folder).Where(f => System.IO.Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal)).Order().FirstOrDefault();
        string trainImages = Find("train-images") ?? throw new UserError($"{folder}: no train-images-idx3-ubyte[.gz] file");
        string trainLabels = Find("train-labels") ?? throw new UserError($"{folder}: no train-labels-idx1-ubyte[.gz] file");
        string? testImages = Find("t10k-images"), testLabels = Find("t10k-labels");
        return ((trainImages, trainLabels), testImages is not null && testLabels is not null ? (testImages, testLabels) : null);
    }
}
