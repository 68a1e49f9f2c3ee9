using HpcLearn.Tasks.Tabular;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn predict</c> with a model trained once for the class.</summary>
public sealed class CliPredictTests(ChurnRunFixture fx) : IClassFixture<ChurnRunFixture>, IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private const string Header = "age,income,tenure_months,monthly_charges,support_calls,plan,region,contract";
    private const string Expects = "'age', 'income', 'tenure_months', 'monthly_charges', 'support_calls', 'plan', 'region', 'contract'";
    private static readonly string[] Rows = ["40,30000,12,50,1,basic,north,monthly", "55,60000,48,99,0,premium,east,yearly", "30,,3,70,4,standard,,monthly"];

    private string Input(string name, string header, IEnumerable<string> rows) => _tmp.Write(name, string.Join("\n", [header, .. rows]) + "\n");

    /// <summary>What the library's predictor writes for <paramref name="path"/>.</summary>
    private string Expected(string path)
    {
        using var predictor = TabularPredictor.Load(fx.ModelDir);
        var w = new StringWriter();
        predictor.WriteCsv(predictor.LoadInput(path), w);
        return w.ToString();
    }

    [Fact]
    public void Predict_to_a_file_writes_a_header_and_one_row_per_input_row()
    {
        var input = Input("in.csv", Header, Rows);
        var output = _tmp["out/preds.csv"];
        var r = Cli.Run("predict", fx.ModelDir, input, "--out", output).AssertOk(allowStderr: true);
        Assert.Equal($"wrote 3 predictions to {output}{Environment.NewLine}", r.Err);
        var lines = File.ReadAllLines(output);
        Assert.Equal("prediction,p_no,p_yes", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Equal(Expected(input), File.ReadAllText(output));
    }

    [Fact]
    public void Predict_to_stdout()
    {
        var input = Input("in.csv", Header, Rows);
        var r = Cli.Run("predict", fx.ModelDir, input).AssertOk();
        Assert.Equal(Expected(input), r.Out);
    }

    [Fact]
    public void Json_input_with_numbers_written_as_strings_predicts_like_the_csv()
    {
        var csv = Input("in.csv", Header, Rows);
        var json = _tmp.Write("in.json", """
            [{"age": "40", "income": 30000, "tenure_months": 12, "monthly_charges": 50, "support_calls": 1, "plan": "basic", "region": "north", "contract": "monthly"},
             {"age": "55", "income": 60000, "tenure_months": 48, "monthly_charges": 99, "support_calls": 0, "plan": "premium", "region": "east", "contract": "yearly"},
             {"age": "30", "income": null, "tenure_months": 3, "monthly_charges": 70, "support_calls": 4, "plan": "standard", "region": null, "contract": "monthly"}]
            """);
        Assert.Equal(Expected(csv), Cli.Run("predict", fx.ModelDir, json).AssertOk().Out);
    }

    [Fact]
    public void Numeric_feature_missing_on_every_row_is_filled_not_a_crash()
    {
        var input = Input("nomissing.csv", Header, Rows.Select(r => "," + r.Split(',', 2)[1]));
        var lines = Cli.Run("predict", fx.ModelDir, input).AssertOk().Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public void Missing_column()
    {
        var input = Input("miss.csv", Header[..Header.LastIndexOf(',')], Rows.Select(r => r[..r.LastIndexOf(',')]));
        Cli.Run("predict", fx.ModelDir, input)
            .AssertUserError($"{input}: missing column 'contract' that the model needs; it expects: {Expects}");
    }

    [Fact]
    public void Extra_column()
    {
        var input = Input("extra.csv", Header + ",customer_id", Rows.Select((r, i) => $"{r},c{i}"));
        Cli.Run("predict", fx.ModelDir, input)
            .AssertUserError($"{input}: unexpected column 'customer_id'; the model expects: {Expects} (remove the others)");
    }

    [Fact]
    public void Target_column_in_the_input_is_allowed()
    {
        var input = Input("withtarget.csv", Header + ",churn", Rows.Select(r => r + ",no"));
        Assert.Equal(4, Cli.Run("predict", fx.ModelDir, input).AssertOk().Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Word_in_a_numeric_feature_of_a_small_file_names_its_line()
    {
        var input = Input("word.csv", Header, [Rows[0], "old" + Rows[1][2..], Rows[2]]);
        Cli.Run("predict", fx.ModelDir, input).AssertUserError($"{input}:3: column 'age' is a numeric input of the model but has 'old'");
    }

    [Fact]
    public void Word_in_a_numeric_feature_of_a_larger_file_names_its_line()
    {
        var rows = Enumerable.Repeat(Rows[0], 12).ToArray();
        rows[9] = "abc" + Rows[0][2..]; // line 11
        var input = Input("word.csv", Header, rows);
        Cli.Run("predict", fx.ModelDir, input).AssertUserErrorStartsWith($"{input}:11: column 'age' is numeric but has 'abc'");
    }

    [Fact]
    public void Folder_that_is_not_a_model()
    {
        var input = Input("in.csv", Header, Rows);
        var run = fx.Run.Folder.Root;
        Cli.Run("predict", run, input)
            .AssertUserError($"'{run}' is not a model folder: it has no model.json; pass the model/ folder of a run, e.g. runs/quickstart/model");
        var none = _tmp["no-such-model"];
        Cli.Run("predict", none, input)
            .AssertUserError($"model folder '{none}' not found; pass the model/ folder of a run, e.g. runs/quickstart/model");
    }

    [Fact]
    public void Model_from_another_task()
    {
        var input = Input("in.csv", Header, Rows);
        var copy = TabularChurnTests.CopyModel(fx.ModelDir, _tmp["other-model"]);
        var json = Path.Combine(copy, "model.json");
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"task\": \"tabular\"", "\"task\": \"telepathy\""));
        Cli.Run("predict", copy, input).AssertUserError($"{copy}: made by the 'telepathy' task, which this version of hpclearn does not have");
    }

    [Fact]
    public void Failed_predict_leaves_an_existing_output_file_unchanged()
    {
        var input = Input("miss.csv", Header[..Header.LastIndexOf(',')], Rows.Select(r => r[..r.LastIndexOf(',')]));
        var output = _tmp.Write("preds.csv", "earlier predictions\n");
        var r = Cli.Run("predict", fx.ModelDir, input, "--out", output);
        r.AssertUserErrorStartsWith($"{input}: missing column 'contract'");
        Assert.Equal("earlier predictions\n", File.ReadAllText(output));
        Assert.Equal([output], Directory.GetFiles(_tmp.Path).Where(f => f.Contains("preds")));
    }

    [Fact]
    public void Predict_to_a_folder_is_a_user_error_and_writes_nothing_into_it()
    {
        var input = Input("in.csv", Header, Rows);
        var folder = Directory.CreateDirectory(_tmp["preds"]).FullName;
        foreach (var output in new[] { folder, folder + Path.DirectorySeparatorChar })
            Cli.Run("predict", fx.ModelDir, input, "--out", output).AssertUserError($"cannot write '{output}': it is a folder, not a file; give a file name");
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }
}
