using System.Globalization;
using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;

namespace HpcLearn.Bench;

/// <summary>
/// Biased matrix factorisation on synthetic ratings of MovieLens 100k's shape, trained through the
/// Learner: ratings per second of each epoch and the test RMSE beside the noise floor and the
/// biases baseline. Writes the same split (dense ids) for the PyTorch peer.
/// </summary>
internal static class RecommendBench
{
    public static int Run(string[] args)
    {
        int epochs = int.Parse(args[0]), batch = int.Parse(args[1]), threads = int.Parse(args[2]);
        string outDir = args[3];
        torch.set_num_threads(threads);
        var config = new RecommendConfig
        {
            Train = new TrainOptions { Epochs = epochs, BatchSize = batch, LearningRate = 1e-2, WeightDecay = 0.01 },
            Model = new RecommendModelOptions { L2 = 0.02 }, // as the PyTorch peer
            Data = new RecommendDataOptions { ValidFraction = 0 }, // the whole 80 % trains, as the peer's split file
        };
        var data = RecommendData.Prepare(config, TextWriter.Null);
        Directory.CreateDirectory(outDir);
        Write(Path.Combine(outDir, "train.csv"), data.Train);
        Write(Path.Combine(outDir, "test.csv"), data.Test);

        torch.manual_seed(config.Seed);
        using var model = RecommendModels.Create(config.Model, data.Users.Count, data.Items.Count, data.Min, data.Max);
        var (inputs, target) = RecommendData.Tensors(data.Train);
        var loader = new TensorDataLoader(inputs, target, batch, shuffle: true, config.Seed);
        using var learner = new Learner(model, loader, null, RecommendModels.Loss(model), config.Train);
        learner.FitOneCycle(epochs, config.Train.LearningRate);

        var baselines = RatingBaselines.Fit(data.Train, data.Users.Count, data.Items.Count, data.Min, data.Max);
        var predicted = RecommendEvaluation.Predict(new ModelScorer(model), data.Test, baselines);
        var truth = data.Test.Ratings.Select(r => (double)r).ToArray();
        var biases = Enumerable.Range(0, data.Test.Count).Select(k => (double)baselines.Predict(BaselineKind.Biases, data.Test.Users[k], data.Test.Items[k])).ToArray();
        var rates = learner.History.Skip(1).Select(h => data.Train.Count / h.Seconds).Order().ToList();
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"users={data.Users.Count} items={data.Items.Count} train={data.Train.Count} test={data.Test.Count} batch={batch} epochs={epochs} threads={threads} factors={config.Model.Factors}"));
        Console.WriteLine(string.Create(c, $"epoch_s={string.Join(",", learner.History.Select(h => h.Seconds.ToString("F3", c)))}"));
        Console.WriteLine(string.Create(c, $"ratings_per_s={rates[rates.Count / 2]:F0}"));
        // One key per line: bench/run's sed takes the last "key=" of a line, and "biases_rmse=" ends in "rmse=".
        Console.WriteLine(string.Create(c, $"rmse={Evaluation.RegressionMetrics.Rmse(truth, predicted):F4}"));
        Console.WriteLine(string.Create(c, $"biases_rmse={Evaluation.RegressionMetrics.Rmse(truth, biases):F4}"));
        Console.WriteLine(string.Create(c, $"noise_floor={data.NoiseFloor:F4}"));
        Console.WriteLine(string.Create(c, $"final_train_loss={learner.History[^1].TrainLoss:F4}"));
        return 0;
    }

    private static void Write(string path, RatingPairs pairs)
    {
        using var w = new StreamWriter(path);
        w.WriteLine("user,item,rating");
        for (int k = 0; k < pairs.Count; k++)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{pairs.Users[k]},{pairs.Items[k]},{pairs.Ratings[k]:R}"));
    }
}
