using System.Text.Json;
using HpcLearn.Config;
using HpcLearn.Tasks;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>Classification end to end through the library: train, run folder, model round trip, evaluate.</summary>
public sealed class TabularChurnTests(ChurnRunFixture fx) : IClassFixture<ChurnRunFixture>
{
    private RunSummary Summary => fx.Run.Summary;

    [Fact]
    public void Summary_has_the_classification_metrics_and_beats_the_majority_baseline()
    {
        Assert.Equal(["accuracy", "ece", "ece_calibrated", "log_loss", "log_loss_calibrated", "macro_f1", "temperature"], Summary.Metrics.Keys.Order());
        // Temperature scaling minimises the NLL on the validation rows, where T = 1 was a candidate.
        Assert.True(Summary.Metrics["log_loss_calibrated"] <= Summary.Metrics["log_loss"] + 1e-12);
        Assert.Equal(["accuracy", "log_loss", "macro_f1"], Summary.Baseline.Keys.Order());
        Assert.Equal("tabular", Summary.Task);
        Assert.Equal(5, Summary.Epochs);
        Assert.Null(Summary.StopReason);
        Assert.True(Summary.BeatsBaseline);
        Assert.True(Summary.Metrics["accuracy"] > Summary.Baseline["accuracy"] + 0.05,
            $"accuracy {Summary.Metrics["accuracy"]} vs baseline {Summary.Baseline["accuracy"]}");
        Assert.True(Summary.Metrics["log_loss"] < Summary.Baseline["log_loss"]);
    }

    [Fact]
    public void Baseline_is_the_training_majority_class_scored_on_the_validation_rows()
    {
        var data = fx.Run.Data;
        string majority = data.Train["churn"].Labels.GroupBy(l => l).OrderByDescending(g => g.Count()).First().Key!;
        var valid = data.Valid["churn"].Labels;
        Assert.Equal("no", majority);
        Assert.Equal((double)valid.Count(l => l == majority) / valid.Length, Summary.Baseline["accuracy"], 12);
        Assert.Equal((480, 120), (data.Train.RowCount, data.Valid.RowCount));
        Assert.StartsWith("majority class 'no' (", Summary.BaselineDescription);
    }

    [Fact]
    public void Run_folder_holds_config_metrics_checkpoints_model_and_summary()
    {
        var root = fx.Run.Folder.Root;
        Assert.Equal(Path.Combine(fx.RunsRoot, "churn"), root);
        foreach (var f in new[] { "config.yaml", "metrics.csv", "summary.json", "model/model.safetensors", "model/model.json" })
            Assert.True(File.Exists(Path.Combine(root, f)), f + " is missing");
        Assert.False(Directory.Exists(Path.Combine(root, "tensorboard")), "TensorBoard was off");

        // keep_checkpoints defaults to 3: the newest three epochs remain.
        var checkpoints = Directory.GetFiles(fx.Run.Folder.CheckpointDir).Select(Path.GetFileName).Order();
        Assert.Equal(["epoch-0003.ckpt", "epoch-0004.ckpt", "epoch-0005.ckpt"], checkpoints);

        var metrics = File.ReadAllLines(Path.Combine(root, "metrics.csv"));
        Assert.Equal("step,epoch,train_loss,valid_loss,accuracy,macro_f1,log_loss,lr,seconds", metrics[0]);
        Assert.Equal(["1", "2", "3", "4", "5"], metrics.Skip(1).Select(l => l.Split(',')[1]));
    }

    [Fact]
    public void Summary_json_has_metrics_at_the_top_level_a_baseline_object_and_timings()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(fx.Run.Folder.SummaryPath));
        var json = doc.RootElement;
        Assert.Equal(Summary.Metrics["accuracy"], json.GetProperty("accuracy").GetDouble());
        Assert.Equal(Summary.Metrics["log_loss"], json.GetProperty("log_loss").GetDouble());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("baseline").ValueKind);
        Assert.Equal(Summary.Baseline["accuracy"], json.GetProperty("baseline").GetProperty("accuracy").GetDouble());
        Assert.True(json.GetProperty("beats_baseline").GetBoolean());
        Assert.Equal(5, json.GetProperty("epochs").GetInt32());
        var timings = json.GetProperty("timings");
        foreach (var key in new[] { "load_seconds", "train_seconds", "evaluate_seconds", "total_seconds" })
            Assert.True(timings.GetProperty(key).GetDouble() >= 0, key);
    }

    [Fact]
    public void Config_yaml_is_the_resolved_config_and_loads_back()
    {
        var back = Assert.IsType<TabularConfig>(ConfigLoader.Load(fx.Run.Folder.ConfigPath, [], n => TaskRegistry.Find(n)?.ConfigType));
        Assert.Equal(fx.Config.Train, back.Train);
        Assert.Equal(fx.Config.Model.Layers, back.Model.Layers);
        Assert.Equal((600, "churn", 42), (back.Data.BuiltinRows, back.Data.Builtin, back.Seed));
    }

    [Fact]
    public void Model_json_names_the_task_classes_and_metrics()
    {
        using var predictor = TabularPredictor.Load(fx.ModelDir);
        Assert.Equal("tabular", predictor.Manifest.Task);
        Assert.Equal(["no", "yes"], predictor.Schema.Target.Classes);
        Assert.Equal(["age", "income", "tenure_months", "monthly_charges", "support_calls", "plan", "region", "contract"],
            predictor.Schema.FeatureNames);
        Assert.Equal(Summary.Metrics["accuracy"], predictor.Manifest.Metrics["accuracy"]);
        Assert.Equal(42, predictor.Manifest.Provenance.Seed);
    }

    [Fact]
    public void Loaded_model_reproduces_the_training_metrics_on_the_validation_rows()
    {
        using var predictor = TabularPredictor.Load(fx.ModelDir);
        var (metrics, baseline) = predictor.Evaluate(fx.Run.Data.Valid);
        Assert.Equal(Summary.Metrics["accuracy"], metrics["accuracy"], 12);
        Assert.Equal(Summary.Metrics["macro_f1"], metrics["macro_f1"], 12);
        Assert.Equal(Summary.Metrics["log_loss_calibrated"], metrics["log_loss"], 6); // predict applies the temperature
        Assert.Equal(Summary.Baseline["accuracy"], baseline.Metrics["accuracy"], 12);
    }

    [Fact]
    public void Loaded_model_gives_the_probabilities_of_the_model_in_the_last_checkpoint()
    {
        // The last checkpoint holds the in-memory model as training left it (a separate
        // serialisation path from model.safetensors).
        var last = Path.Combine(fx.Run.Folder.CheckpointDir, "epoch-0005.ckpt");
        Assert.True(CheckpointStore.TryRead(last, out var meta, out var state, out _, out var why), why);
        Assert.Equal(5, meta!.Epoch);
        using var model = new TabularModel(fx.Run.Data.Schema, fx.Config.Model);
        using (var reader = new BinaryReader(new MemoryStream(state!))) model.load(reader);
        model.eval();
        using var predictor = TabularPredictor.Load(fx.ModelDir);
        Assert.Equal(Summary.Metrics["temperature"], predictor.Temperature, 12);
        double[][] expected;
        using (torch.no_grad())
        using (var numeric = TabularPreprocessor.NumericTensor(fx.Run.Data.Schema, fx.Run.Data.Valid))
        using (var codes = TabularPreprocessor.CategoricalTensor(fx.Run.Data.Schema, fx.Run.Data.Valid))
        using (var logits = model.forward([numeric, codes]))
        using (var scaled = logits / predictor.Temperature)
            expected = ClassifierOutputs.Probabilities(scaled);

        var actual = predictor.PredictProbabilities(fx.Run.Data.Valid);
        Assert.Equal(expected.Length, actual.Length);
        for (int r = 0; r < actual.Length; r++)
            for (int k = 0; k < 2; k++)
                Assert.Equal(expected[r][k], actual[r][k], 1e-6);
    }

    [Fact]
    public void Evaluate_on_a_csv_of_the_validation_rows_matches_the_summary()
    {
        using var tmp = new TempFolder();
        var csv = TabularRunFixture.WriteCsv(fx.Run.Data.Valid, tmp["valid.csv"]);
        var log = new StringWriter();
        var result = new TabularTask().Evaluate(fx.ModelDir, csv, log);
        Assert.Equal(Summary.Metrics["accuracy"], result.Metrics["accuracy"], 12);
        Assert.Equal(Summary.Metrics["log_loss_calibrated"], result.Metrics["log_loss"], 6);
        Assert.Equal(Summary.Baseline["accuracy"], result.Baseline["accuracy"], 12);
        Assert.True(result.BeatsBaseline);
        Assert.Contains("baseline: majority class 'no'", log.ToString());
    }

    [Fact]
    public void Predict_writes_one_row_per_input_with_the_argmax_and_probabilities()
    {
        using var tmp = new TempFolder();
        var csv = TabularRunFixture.WriteCsv(fx.Run.Data.Valid, tmp["input.csv"], "churn");
        var output = new StringWriter();
        Assert.Equal(120, new TabularTask().Predict(fx.ModelDir, csv, output));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("prediction,p_no,p_yes", lines[0]);
        Assert.Equal(121, lines.Length);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            double no = double.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture);
            double yes = double.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(1.0, no + yes, 5);
            Assert.Equal(yes > no ? "yes" : "no", cells[0]);
        }
    }

    [Fact]
    public void Predictor_refuses_a_model_folder_from_another_task()
    {
        using var tmp = new TempFolder();
        var copy = CopyModel(fx.ModelDir, tmp["vision-model"]);
        var json = Path.Combine(copy, "model.json");
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"task\": \"tabular\"", "\"task\": \"vision\""));
        var e = Assert.Throws<UserError>(() => TabularPredictor.Load(copy));
        Assert.Equal($"{json}: this model was made by the 'vision' task, not 'tabular'; use a model trained by 'tabular'", e.Message);
    }

    /// <summary>Copies a model folder (model.json and model.safetensors).</summary>
    internal static string CopyModel(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        return to;
    }
}
