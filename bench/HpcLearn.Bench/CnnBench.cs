using System.Diagnostics;
using HpcLearn.Config;
using HpcLearn.Data.Images;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tasks.Vision;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;

namespace HpcLearn.Bench;

/// <summary>
/// Training throughput of the small CNN on Fashion-MNIST through the whole HpcLearn pipeline
/// (Learner, loader (prefetching when libtorch leaves a core free, as the vision task), augmentation, normalisation), and PNG decoding throughput of
/// the image-folder loader, to show which one limits training.
/// Prints images_per_s (median epoch) and decode_images_per_s.
/// </summary>
internal static class CnnBench
{
    public static int Run(string[] args)
    {
        string root = args.Length > 0 ? args[0] : IdxSource.DebianFashionMnist;
        int images = args.Length > 1 ? int.Parse(args[1]) : 12800;
        int batch = args.Length > 2 ? int.Parse(args[2]) : 128;
        int epochs = args.Length > 3 ? int.Parse(args[3]) : 4;
        int threads = args.Length > 4 ? int.Parse(args[4]) : Environment.ProcessorCount;
        bool augment = args.Length <= 5 || args[5] != "noaug";
        torch.set_num_threads(threads);
        var (train, _) = ImageSources.IdxFiles(root);
        var all = IdxSource.Load(train.Images, train.Labels);
        var set = all.Subset(Enumerable.Range(0, images).ToArray());
        var (mean, std) = ImageStatistics.Compute(set);
        using var transform = new ImageTransform(mean, std, flip: augment, cropPadding: augment ? 2 : 0, seed: 1);
        var loader = new HpcLearn.Data.TensorDataLoader([set.PixelTensor()], set.LabelTensor(), batch, shuffle: true, seed: 1)
        {
            Prefetch = HpcLearn.Data.TensorDataLoader.PrefetchHasSpareCore, Transform = transform.Train,   // as the vision task
        };
        torch.manual_seed(1);
        using var model = VisionModels.Create(new VisionModelOptions(), 1, 28, 28, 10);
        var options = new TrainOptions { LearningRate = 1e-3, Schedule = ScheduleKind.Constant };
        using var learner = new Learner(model, loader, null, (o, y) => torch.nn.functional.cross_entropy(o, y), options, null, []);
        var times = new List<double>();
        for (int e = 0; e < epochs + 1; e++)
        {
            var clock = Stopwatch.StartNew();
            learner.Fit(1);
            if (e > 0) times.Add(clock.Elapsed.TotalSeconds);   // the first epoch warms up
        }
        times.Sort();
        double median = times[times.Count / 2];
        Console.WriteLine($"images={images} batch={batch} threads={threads} augment={augment} params={model.parameters().Sum(p => p.numel())}");
        Console.WriteLine($"images_per_s={images / median:F1}");

        // The decoder: the same images as PNG files in class folders, loaded on all cores.
        string dir = Directory.CreateTempSubdirectory("hpclearn-cnn-bench-").FullName;
        int files = Math.Min(images, 6000);
        var sample = set.Subset(Enumerable.Range(0, files).ToArray());
        foreach (var c in sample.Classes) Directory.CreateDirectory(Path.Combine(dir, Safe(c)));
        Parallel.For(0, files, i => ImageGrid.SavePng(Path.Combine(dir, Safe(sample.Classes[sample.Labels[i]]), $"{i:D5}.png"),
            sample.Pixels.AsSpan(i * 784, 784).ToArray(), 1, 28, 28));
        var decodeClock = Stopwatch.StartNew();
        var decoded = ImageFolderSource.Load(dir, new ImageLoadOptions { Height = 28, Width = 28 });
        double decodeSeconds = decodeClock.Elapsed.TotalSeconds;
        Directory.Delete(dir, recursive: true);
        Console.WriteLine($"decode_images_per_s={decoded.Count / decodeSeconds:F1} decode_cores={Environment.ProcessorCount}");
        return 0;
    }

    private static string Safe(string name) => name.Replace('/', '-');
}
