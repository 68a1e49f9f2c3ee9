using System.Diagnostics;
using System.Globalization;
using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Tasks.Text;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;

namespace HpcLearn.Bench;

/// <summary>
/// threads-step recommend|text THREADS SECONDS: training steps per second of the small configs of
/// examples/recommend.yaml (biased MF, 50 factors, batch 256, through the Learner) and
/// examples/text.yaml (2 layers, 4 heads, 64 wide, block 64, batch 32, through TextTrainer), for
/// about SECONDS after a short warm-up. THREADS is a count, or <c>auto</c> for what hpclearn applies
/// by default (the cores, lowered by <see cref="HpcLearn.Cluster.ThreadSettings.ForLoad"/> on a busy machine). bench/run
/// threads-contention runs it beside a competing busy process.
/// </summary>
internal static class ThreadsBench
{
    public static int Run(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        string kind = args[0];
        double seconds = double.Parse(args[2], inv);
        int asked = args[1] == "auto" ? Environment.ProcessorCount : int.Parse(args[1], inv);
        int applied = TorchRuntime.SetThreads(args[1] == "auto"
            ? new HpcLearn.Cluster.ThreadSettings(asked, "cores").ForLoad(TorchRuntime.OtherRunnableTasks(), Environment.ProcessorCount).Count
            : asked);
        double rate = kind switch
        {
            "recommend" => Recommend(seconds),
            "text" => Text(seconds),
            _ => throw new ArgumentException($"unknown kind '{kind}'"),
        };
        Console.WriteLine(string.Create(inv,
            $"kind={kind} asked={asked} applied={applied} torch_threads={torch.get_num_threads()} omp_wait_policy={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "-"} steps_per_s={rate:F2}"));
        return 0;
    }

    // Whole epochs (313 steps of 256 ratings) until the time is up; the first is warm-up.
    private static double Recommend(double seconds)
    {
        var config = new RecommendConfig
        {
            Train = new TrainOptions { Epochs = 1, BatchSize = 256, LearningRate = 1e-2, WeightDecay = 0.01 },
        };
        var data = RecommendData.Prepare(config, TextWriter.Null);
        torch.manual_seed(config.Seed);
        using var model = RecommendModels.Create(config.Model, data.Users.Count, data.Items.Count, data.Min, data.Max);
        var (inputs, target) = RecommendData.Tensors(data.Train);
        var loader = new TensorDataLoader(inputs, target, 256, shuffle: true, config.Seed);
        using var learner = new Learner(model, loader, null, RecommendModels.Loss(model), config.Train);
        long stepsPerEpoch = (data.Train.Count + 255) / 256;
        learner.Fit(1);
        var sw = Stopwatch.StartNew();
        int epochs = 0;
        do { learner.Fit(1); epochs++; } while (sw.Elapsed.TotalSeconds < seconds);
        return epochs * stepsPerEpoch / sw.Elapsed.TotalSeconds;
    }

    private static double Text(double seconds)
    {
        var config = new TextConfig
        {
            Data = new TextDataOptions { BuiltinSentences = 12000, BlockSize = 64 },
            Model = new TextModelOptions { Layers = 2, Heads = 4, Embedding = 64, Dropout = 0 },
            Train = new TrainOptions { BatchSize = 32, LearningRate = 3e-3, WeightDecay = 0.1, GradClip = 1 },
            Steps = new TextStepOptions { Total = 100000, Warmup = 50 },
        };
        using var data = TextData.Prepare(config.Data, config.Seed);
        torch.manual_seed(config.Seed);
        using var model = new TextTransformer(data.Tokenizer.VocabSize, 64, config.Model);
        using var trainer = new TextTrainer(model, data, config);
        for (int i = 0; i < 3; i++) trainer.TrainStep();
        var sw = Stopwatch.StartNew();
        int steps = 0;
        do { trainer.TrainStep(); steps++; } while (sw.Elapsed.TotalSeconds < seconds);
        return steps / sw.Elapsed.TotalSeconds;
    }
}
