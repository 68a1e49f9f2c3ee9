using System.Text.Json.Nodes;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Training;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using static HpcLearn.Tests.Training.ModelJson;

namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>A small untrained tabular model folder, then its model.json damaged one number at a time.</summary>
public sealed class TabularArtifactTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static TabularSchema Schema(TabularKind kind) => new(
        [new NumericFeature("age", 40, 41, 12, MissingIndicator: true), new NumericFeature("calls", 1, 1.5, 1.2, MissingIndicator: false)],
        [new CategoricalFeature("plan", ["basic", "premium"], 2)],
        kind == TabularKind.Classification ? new TabularTarget("churn", kind, ["no", "yes"], 0, 0) : new TabularTarget("spend", kind, [], 50, 10),
        ["churn", "spend"]);

    private static readonly TabularModelOptions Options = new() { Layers = [8, 4] };

    private string Save(TabularKind kind = TabularKind.Classification)
    {
        string dir = _dir[kind.ToString()];
        var schema = Schema(kind);
        using var model = new TabularModel(schema, Options);
        double[] prior = kind == TabularKind.Classification ? [30, 10] : [50];
        ModelArtifact.Save(dir, model, new ModelManifest { Task = TabularTask.Name, Details = TabularArtifact.Details(schema, Options, prior, 1.0) });
        return dir;
    }

    private static string Load(string dir) => Error(() => TabularPredictor.Load(dir).Dispose());

    [Theory]
    [InlineData(TabularKind.Classification)]
    [InlineData(TabularKind.Regression)]
    public void The_parameter_count_from_the_architecture_is_the_networks(TabularKind kind)
    {
        using var model = new TabularModel(Schema(kind), Options);
        Assert.Equal(model.parameters().Sum(p => p.numel()), TabularModel.CountParameters(Schema(kind), Options));
    }

    [Fact]
    public void An_untouched_folder_loads()
    {
        using var p = TabularPredictor.Load(Save());
        Assert.Equal(2, p.Schema.OutputSize);
    }

    [Theory]
    [InlineData("[1000000000, 1000000000]", "details.architecture.Layers[0] is 1000000000; it must be from 1 to 1,000,000")]
    [InlineData("[-5]", "details.architecture.Layers[0] is -5; it must be from 1 to 1,000,000")]
    [InlineData("[16, 0]", "details.architecture.Layers[1] is 0; it must be from 1 to 1,000,000")]
    [InlineData("[]", "details.architecture.Layers is 0; it must be from 1 to 10,000")]
    public void Layer_widths_out_of_bounds_are_refused_before_any_tensor_is_made(string layers, string error)
    {
        string dir = Save();
        EditDetails(dir, d => d["architecture"]!["Layers"] = JsonNode.Parse(layers));
        Assert.Equal($"{PathIn(dir)}: {error}; {Damaged}", Load(dir));
    }

    [Fact]
    public void Widths_each_allowed_but_too_many_parameters_together_are_refused()
    {
        string dir = Save();
        EditDetails(dir, d => d["architecture"]!["Layers"] = new JsonArray(1_000_000, 1_000_000));
        Assert.Equal($"{PathIn(dir)}: the architecture in its details has 1,000,009,000,008 parameters, over hpclearn's limit of 2,147,483,648; {Damaged}", Load(dir));
    }

    [Fact]
    public void An_embedding_size_of_int_max_is_refused()
    {
        string dir = Save();
        EditDetails(dir, d => d["schema"]!["Categorical"]![0]!["EmbeddingSize"] = int.MaxValue);
        Assert.Equal($"{PathIn(dir)}: details.schema.Categorical[0].EmbeddingSize (column 'plan') is 2147483647; it must be from 1 to 1,000,000; {Damaged}", Load(dir));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-1.0, "-1")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void A_standard_deviation_that_is_not_positive_and_finite_is_refused(double std, string shown)
    {
        string dir = Save();
        EditDetails(dir, d => d["schema"]!["Numeric"]![1]!["Std"] = std);
        Assert.Equal($"{PathIn(dir)}: details.schema.Numeric[1].Std (column 'calls') is {shown}; it must be a positive finite number; {Damaged}", Load(dir));
    }

    [Fact]
    public void A_regression_targets_zero_std_and_a_nan_mean_are_refused()
    {
        string dir = Save(TabularKind.Regression);
        EditDetails(dir, d => d["schema"]!["Target"]!["Std"] = 0);
        Assert.Equal($"{PathIn(dir)}: details.schema.Target.Std is 0; it must be a positive finite number; {Damaged}", Load(dir));
        EditDetails(dir, d => { d["schema"]!["Target"]!["Std"] = 10; d["schema"]!["Numeric"]![0]!["Mean"] = double.NaN; });
        Assert.Equal($"{PathIn(dir)}: details.schema.Numeric[0].Mean (column 'age') is NaN; it must be a finite number; {Damaged}", Load(dir));
    }

    [Fact]
    public void A_train_prior_that_does_not_fit_the_classes_is_refused()
    {
        string dir = Save();
        EditDetails(dir, d => d["train_prior"] = new JsonArray(1, 2, 3));
        Assert.Equal($"{PathIn(dir)}: details.train_prior has 3 counts for 2 classes; {Damaged}", Load(dir));
    }

    [Fact]
    public void Predict_through_the_cli_is_exit_2_and_one_line()
    {
        string dir = Save();
        EditDetails(dir, d => d["architecture"]!["Layers"] = new JsonArray(1_000_000_000, 1_000_000_000));
        Cli.Cli.Run("predict", dir, _dir["input.csv"])
            .AssertUserError($"{PathIn(dir)}: details.architecture.Layers[0] is 1000000000; it must be from 1 to 1,000,000; {Damaged}");
    }
}
