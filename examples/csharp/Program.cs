// Train a tabular classifier through the mid-level API (the Learner), then predict.
// Usage: dotnet run -c Release -- [epochs]
using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Evaluation;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using TorchSharp;

int epochs = args.Length > 0 ? int.Parse(args[0]) : 10;
torch.manual_seed(7);

// 1. Data: built-in synthetic churn table, split, preprocessed on the training rows only.
var config = new TabularConfig { Seed = 7, Data = new TabularDataOptions { BuiltinRows = 3000 } };
var data = TabularData.Prepare(config, Console.Out);
using var train = data.Loader(data.Train, batchSize: 64, shuffle: true, seed: 7);   // loaders own their tensors
using var valid = data.Loader(data.Valid, batchSize: 1024, shuffle: false, seed: 7);

// 2. Model, loss, metrics and a Learner with a progress callback.
using var model = new TabularModel(data.Schema, new TabularModelOptions { Layers = [64, 32] });
using var learner = new Learner(model, train, valid,
    TabularMetrics.Loss(data.Kind), new TrainOptions(), TabularMetrics.Metrics(data.Schema.Target),
    [new ProgressCallback(Console.Out, isTerminal: false)]);

// 3. Pick a learning rate with the range test, then train with one-cycle. Ctrl+C stops the fit
//    cleanly after the current batch (no exception); the learner could Continue() later.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var lr = learner.FindLearningRate();
Console.WriteLine($"suggested learning rate: {lr.Suggestion:G3}");
learner.FitOneCycle(epochs, maxLr: Math.Clamp(lr.Suggestion, 1e-4, 1e-2), stop.Token);
if (learner.Interrupted) Console.WriteLine($"stopped after epoch {learner.Epoch}, batch {learner.Progress.Batches}: {learner.StopReason}");

// 4. Evaluate beside the baseline, then predict probabilities for a few validation rows.
var result = learner.Evaluate(valid);
var baseline = data.Baseline();
Console.WriteLine(MetricsTable.Format(result.Metrics, baseline.Metrics, baseline.Description));
using var probabilities = torch.nn.functional.softmax(learner.Predict([.. valid.Inputs]), 1);
for (int i = 0; i < 3; i++)
    Console.WriteLine($"row {i}: p(churn = yes) = {probabilities[i, 1].item<float>():F3}");
Console.WriteLine($"accuracy={result.Metrics["accuracy"]:F4} baseline={baseline.Metrics["accuracy"]:F4}");
