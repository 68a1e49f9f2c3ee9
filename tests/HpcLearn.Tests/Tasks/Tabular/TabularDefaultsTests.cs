using Xunit;
using System.Globalization;
using System.Text;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Tasks;
using HpcLearn.Tasks.Tabular;

namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>Defaults that follow the table: batch size and epochs from the row count, a separate test file, targets read the wrong way.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class TabularDefaultsTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    // Three classes of points around three centres; 'id' numbers the rows from firstId.
    private string Table(string name, int rows, int firstId, string header = "id,x,y,label", int seed = 1)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(header + "\n");
        for (int r = 0; r < rows; r++)
        {
            int c = r % 3;
            sb.Append(CultureInfo.InvariantCulture, $"{firstId + r},{c * 2 + random.NextDouble():F3},{c - random.NextDouble():F3},{(char)('a' + c)}\n");
        }
        return _dir.Write(name, sb.ToString());
    }

    private static TabularConfig Load(string yaml) =>
        Assert.IsType<TabularConfig>(ConfigLoader.LoadFromText(yaml, "config.yaml", [], n => TaskRegistry.Find(n)?.ConfigType));

    private (TabularRun Run, string Log) Train(TabularConfig config)
    {
        var log = new StringWriter();
        var run = new TabularTask().Train(config, new RunContext { Out = log, RunsRoot = _dir["runs"], TensorBoard = false });
        return (run, log.ToString());
    }

    private static int LastStep(TabularRun run) =>
        int.Parse(File.ReadAllLines(Path.Combine(run.Folder.Root, "metrics.csv")).Last().Split(',')[0], CultureInfo.InvariantCulture);

    [Fact]
    public void A_tiny_table_takes_at_least_the_minimum_steps_by_default()
    {
        var path = Table("tiny.csv", 60, 0);
        var (run, log) = Train(Load($"task: tabular\nname: tiny\ndata:\n  path: {path}\n  target: label\n  ignore: [id]\nmodel:\n  layers: [8]\n"));
        // 48 training rows: batch 16, 3 steps per epoch, 200 epochs.
        Assert.Contains("defaults for 48 training rows: train.batch_size 16, train.epochs 200 (3 steps per epoch, 600 in all)", log);
        Assert.True(LastStep(run) >= TabularTrainingDefaults.MinSteps, $"last step {LastStep(run)}");
        var back = Assert.IsType<TabularConfig>(ConfigLoader.Load(run.Folder.ConfigPath, [], n => TaskRegistry.Find(n)?.ConfigType));
        Assert.Equal((200, 16), (back.Train.Epochs, back.Train.BatchSize)); // config.yaml says what ran
    }

    [Fact]
    public void Epochs_and_batch_size_the_config_gives_are_used_as_given_even_at_the_default_value()
    {
        var path = Table("tiny.csv", 60, 0);
        var (run, log) = Train(Load($"task: tabular\nname: given\ndata:\n  path: {path}\n  target: label\n  ignore: [id]\nmodel:\n  layers: [8]\ntrain:\n  epochs: 20\n  batch_size: 64\n"));
        Assert.DoesNotContain("defaults for", log);
        Assert.Equal(20, run.Summary.Epochs);
        Assert.Equal(20, LastStep(run)); // one batch of 48 rows per epoch
    }

    [Theory]
    [InlineData(90, 16, 100)]
    [InlineData(300, 32, 60)]
    [InlineData(4000, 64, 20)] // the quickstart's churn table: unchanged
    [InlineData(10, 16, 300)]
    public void Derived_batch_and_epochs(int rows, int batch, int epochs)
    {
        Assert.Equal(batch, TabularTrainingDefaults.Batch(rows));
        Assert.Equal(epochs, TabularTrainingDefaults.Epochs(rows, batch));
    }

    [Fact]
    public void Validation_rows_come_from_the_training_file_and_never_from_the_test_file()
    {
        var train = Table("train.csv", 90, 0);
        var test = Table("test.csv", 30, 1000, seed: 2);
        var config = Load($"task: tabular\nname: held\ndata:\n  path: {train}\n  test_path: {test}\n  target: label\nmodel:\n  layers: [8]\ntrain:\n  epochs: 3\n");
        var data = TabularData.Prepare(config, TextWriter.Null);
        Assert.All(data.Valid["id"].Numbers, id => Assert.True(id < 1000));
        Assert.All(data.Train["id"].Numbers, id => Assert.True(id < 1000));
        Assert.Equal(30, data.Test!.RowCount);
        Assert.Equal(90, data.Train.RowCount + data.Valid.RowCount);
        var (run, log) = Train(config);
        Assert.Contains($"test (30 rows of {test}):", log);
        Assert.True(run.Summary.Metrics.ContainsKey("test_accuracy"));
    }

    [Fact]
    public void Valid_fraction_zero_trains_on_every_row_and_judges_on_the_test_file()
    {
        var train = Table("train.csv", 90, 0);
        var test = Table("test.csv", 30, 1000, seed: 2);
        var config = Load($"task: tabular\nname: all\ndata:\n  path: {train}\n  test_path: {test}\n  target: label\n  valid_fraction: 0\nmodel:\n  layers: [8]\ntrain:\n  epochs: 3\n");
        var (run, log) = Train(config);
        Assert.Equal(90, run.Data.Train.RowCount);
        Assert.Contains("no validation rows", log);
        Assert.Contains("calibration: not fitted", log);
        Assert.True(run.Summary.Metrics.ContainsKey("accuracy"));
    }

    [Fact]
    public void Valid_fraction_zero_without_a_test_file_is_refused_by_key()
    {
        var e = Assert.Throws<UserError>(() => Load("task: tabular\ndata:\n  path: t.csv\n  target: label\n  valid_fraction: 0\n"));
        Assert.Equal("config.yaml:5: 'data.valid_fraction' 0 leaves no rows to measure the model on: set data.test_path to a test file, or a fraction such as 0.2", e.Message);
    }

    [Fact]
    public void A_test_file_with_a_class_the_training_rows_lack_is_refused_before_training()
    {
        var train = Table("train.csv", 60, 0);
        var test = _dir.Write("test.csv", "id,x,y,label\n1,0.1,0.2,a\n2,0.3,0.1,zebra\n");
        var e = Assert.Throws<UserError>(() => TabularData.Prepare(Load($"task: tabular\ndata:\n  path: {train}\n  test_path: {test}\n  target: label\n"), TextWriter.Null));
        Assert.Equal($"{test}: data.test_path has label 'zebra' in 'label', which no training row has; training classes: a, b, c", e.Message);
    }

    [Fact]
    public void Integer_class_ids_warn_with_the_key_that_makes_a_classification()
    {
        var sb = new StringBuilder("x,y\n");
        for (int r = 0; r < 60; r++) sb.Append(CultureInfo.InvariantCulture, $"{r * 0.1:F1},{r % 3}\n");
        var path = _dir.Write("ids.csv", sb.ToString());
        var log = new StringWriter();
        TabularData.Prepare(Load($"task: tabular\ndata:\n  path: {path}\n  target: y\n"), log);
        Assert.Contains("warning: target 'y' holds only 3 distinct whole numbers (0, 1, 2), so it trains as a regression; if they are class ids set data.kind: classification", log.ToString());

        var quiet = new StringWriter();
        TabularData.Prepare(Load($"task: tabular\ndata:\n  path: {path}\n  target: y\n  kind: regression\n"), quiet);
        Assert.DoesNotContain("warning: target", quiet.ToString());
    }

    [Fact]
    public void A_continuous_target_does_not_warn()
    {
        var path = Table("t.csv", 60, 0, "id,x,y,label");
        var log = new StringWriter();
        TabularData.Prepare(Load($"task: tabular\ndata:\n  path: {path}\n  target: x\n"), log);
        Assert.DoesNotContain("warning: target", log.ToString());
    }

    [Fact]
    public void Scikit_learns_count_header_is_refused_with_what_to_do()
    {
        // iris.csv's layout: rows, features, then the class names, as many as the columns.
        var sb = new StringBuilder("30,2,a,b\n");
        for (int r = 0; r < 30; r++) sb.Append(CultureInfo.InvariantCulture, $"{r}.5,{r % 7}.1,{r % 3},{r}\n");
        var path = _dir.Write("iris-like.csv", sb.ToString());
        var e = Assert.Throws<UserError>(() => TabularData.Prepare(Load($"task: tabular\ndata:\n  path: {path}\n  target: a\n"), TextWriter.Null));
        Assert.StartsWith($"{path}:1: the first line ('30,2,a,b') is a count header (30 rows, 2 features, then class names; scikit-learn's layout), not column names", e.Message);

        // wine_data.csv's: fewer names than columns.
        var wine = _dir.Write("wine-like.csv", "3,2,c0,c1\n1.0,2.0,0\n1.5,2.5,1\n2.0,3.0,0\n");
        var ragged = Assert.Throws<UserError>(() => TabularData.Prepare(Load($"task: tabular\ndata:\n  path: {wine}\n  target: c0\n"), TextWriter.Null));
        Assert.Contains("looks like a count header (rows, features, class names; scikit-learn's layout), not column names: replace it with a line of 3 column names", ragged.Message);
    }
}
