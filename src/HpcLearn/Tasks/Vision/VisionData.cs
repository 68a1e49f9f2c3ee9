using HpcLearn.Data;
using HpcLearn.Data.Images;
using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Vision;

/// <summary>
/// Images split into training and validation sets, with the training split's normalisation
/// statistics and a data card (class balance, unreadable files, images that appear in both splits).
/// </summary>
public sealed class VisionData
{
    private VisionData(ImageSet train, ImageSet valid, ImageSet? test, double[] mean, double[] std, DataCard card, string source)
    {
        Test = test;
        Train = train;
        Valid = valid;
        Mean = mean;
        Std = std;
        Card = card;
        Source = source;
    }

    /// <summary>The training images.</summary>
    public ImageSet Train { get; }

    /// <summary>The validation images (the source's test set, or a stratified share of the images).</summary>
    public ImageSet Valid { get; }

    /// <summary>The images of <c>data.test_path</c> (labels as training class indices), or null when no test set is given.</summary>
    public ImageSet? Test { get; }

    /// <summary>Whether there are validation images (none when <c>data.valid_fraction</c> is 0).</summary>
    public bool HasValid => Valid.Count > 0;

    /// <summary>Per-channel mean of the training pixels in [0, 1].</summary>
    public double[] Mean { get; }

    /// <summary>Per-channel standard deviation of the training pixels in [0, 1].</summary>
    public double[] Std { get; }

    /// <summary>What the data looked like on load.</summary>
    public DataCard Card { get; }

    /// <summary>Where the images came from, in words.</summary>
    public string Source { get; }

    /// <summary>Class names in index order.</summary>
    public IReadOnlyList<string> Classes => Train.Classes;

    /// <summary>Loads, splits and describes the data of <paramref name="config"/>; prints the data summary.</summary>
    public static VisionData Prepare(VisionConfig config, TextWriter log)
    {
        var d = config.Data;
        var (all, test) = ImageSources.Load(d, config.Seed);
        string source = d.Source == "galaxies" ? $"built-in synthetic galaxies ({d.Count}, seed {config.Seed})" : $"{d.Source} {d.Path}";
        // Checked before the split and the run folder: a test class the training images lack costs no run.
        var heldOut = d.TestPath is null ? null : ImageSources.LoadTest(d, all);
        ImageSet train, valid;
        if (test is not null) (train, valid) = (all, test);
        else if (d.ValidFraction == 0) (train, valid) = (all, all.Subset([]));
        else
        {
            var split = DataSplit.Stratified(all.Labels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), d.ValidFraction, config.Seed);
            (train, valid) = (all.Subset(split.Train), all.Subset(split.Valid));
        }
        if (d.Limit is { } limit && limit < train.Count)
            train = train.Subset(DataSplit.Stratified(train.Labels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                1 - (double)limit / train.Count, config.Seed).Train);
        var counts = train.ClassCounts();
        for (int c = 0; c < counts.Length; c++)
            if (counts[c] == 0)
                throw new UserError($"{source}: class '{train.Classes[c]}' has no training images after the split; add images or lower data.valid_fraction");
        var (mean, std) = ImageStatistics.Compute(train);
        var card = MakeCard(source, all, train, valid);
        if (heldOut is not null && DuplicatesAcross(train, heldOut) is var leaked and > 0)
            card = card with { Warnings = [.. card.Warnings, $"{leaked} test image(s) are pixel-identical to a training image: test figures are optimistic (leakage)"] };
        log.WriteLine($"data: {source}: {train.Count} training and {valid.Count} validation images, {train.Channels} x {train.Height} x {train.Width}, {train.Classes.Count} classes");
        if (heldOut is not null)
        {
            log.WriteLine($"test: {heldOut.Count} images from {d.TestPath}, measured once after training; validation: {valid.Count} images of {d.Path}");
            foreach (var s in heldOut.Skipped) log.WriteLine($"warning: test file skipped: {s.Path}: {s.Reason}");
        }
        if (all.Skipped.Count > 0)
        {
            log.WriteLine($"data: {all.Skipped.Count} unreadable file(s) skipped:");
            foreach (var s in all.Skipped.Take(10)) log.WriteLine($"  {s.Path}: {s.Reason}");
            if (all.Skipped.Count > 10) log.WriteLine($"  ... and {all.Skipped.Count - 10} more (all listed in evaluation.json's data card)");
        }
        foreach (var w in card.Warnings) log.WriteLine($"warning: {w}");
        return new VisionData(train, valid, heldOut, mean, std, card, source);
    }

    /// <summary>
    /// The training batches: shuffled, augmented and normalised, on a background thread when libtorch
    /// leaves a core free for it (<see cref="TensorDataLoader.PrefetchHasSpareCore"/>).
    /// </summary>
    public TensorDataLoader TrainLoader(ImageTransform transform, int batchSize, int seed, int rank, int worldSize)
        => new(new[] { Train.PixelTensor() }, Train.LabelTensor(), batchSize, shuffle: true, seed, rank, worldSize)
        {
            Prefetch = TensorDataLoader.PrefetchHasSpareCore,
            Transform = transform.Train,
        };

    /// <summary>The validation batches in order, normalised.</summary>
    public TensorDataLoader ValidLoader(ImageTransform transform, int batchSize)
        => new(new[] { Valid.PixelTensor() }, Valid.LabelTensor(), batchSize, shuffle: false) { Transform = transform.Eval };

    /// <summary>The test batches in order, normalised with the training statistics (null without a test set).</summary>
    public TensorDataLoader? TestLoader(ImageTransform transform, int batchSize)
        => Test is null ? null : new(new[] { Test.PixelTensor() }, Test.LabelTensor(), batchSize, shuffle: false) { Transform = transform.Eval };

    /// <summary>The trivial baseline on the validation images: always the most frequent training class.</summary>
    public BaselineResult Baseline() => Baseline(Valid);

    /// <summary>The trivial baseline on <paramref name="images"/> (validation or test): always the most frequent training class.</summary>
    public BaselineResult Baseline(ImageSet images) => Evaluation.Baseline.MajorityClass(Train.Labels, images.Labels, Classes.Count, Classes.ToArray());

    private static DataCard MakeCard(string source, ImageSet all, ImageSet train, ImageSet valid)
    {
        var warnings = new List<string>();
        if (all.Skipped.Count > 0) warnings.Add($"{all.Skipped.Count} unreadable image file(s) skipped: {string.Join("; ", all.Skipped.Take(20).Select(s => $"{s.Path} ({s.Reason})"))}");
        var counts = train.ClassCounts();
        if (counts.Max() > 5 * Math.Max(counts.Min(), 1))
            warnings.Add($"classes are imbalanced in training: {train.Classes[Array.IndexOf(counts, counts.Max())]} {counts.Max()} vs {train.Classes[Array.IndexOf(counts, counts.Min())]} {counts.Min()} images; watch macro_f1, not only accuracy");
        int duplicates = DuplicatesAcross(train, valid);
        if (duplicates > 0)
            warnings.Add($"{duplicates} validation image(s) are pixel-identical to a training image: validation figures are optimistic (leakage)");
        var balance = new Dictionary<string, int>();
        for (int c = 0; c < train.Classes.Count; c++)
            balance[train.Classes[c]] = counts[c] + valid.Labels.Count(l => l == c);
        return new DataCard(source, train.Count + valid.Count + all.Skipped.Count, train.Count, valid.Count, [], balance, duplicates, warnings.ToArray());
    }

    /// <summary>Validation images whose pixels equal a training image's (hashes, then bytes compared).</summary>
    private static int DuplicatesAcross(ImageSet train, ImageSet valid)
    {
        int size = train.ImageSize;
        if (valid.ImageSize != size) return 0;
        var seen = new Dictionary<int, List<int>>();
        for (int i = 0; i < train.Count; i++)
        {
            int h = Hash(train.Pixels.AsSpan(i * size, size));
            if (!seen.TryGetValue(h, out var list)) seen[h] = list = [];
            list.Add(i);
        }
        int count = 0;
        for (int i = 0; i < valid.Count; i++)
        {
            var image = valid.Pixels.AsSpan(i * size, size);
            if (!seen.TryGetValue(Hash(image), out var list)) continue;
            foreach (int j in list)
                if (train.Pixels.AsSpan(j * size, size).SequenceEqual(image)) { count++; break; }
        }
        return count;
    }

    private static int Hash(ReadOnlySpan<byte> pixels)
    {
        var h = new HashCode();
        h.AddBytes(pixels);
        return h.ToHashCode();
    }
}
