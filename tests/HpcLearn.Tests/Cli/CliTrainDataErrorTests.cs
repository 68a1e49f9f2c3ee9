using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn train</c> on bad data files: one line naming the file (and line), exit 2.</summary>
public sealed class CliTrainDataErrorTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private CliResult TrainOn(string dataPath, string target = "y")
    {
        var config = _tmp.Write("data.yaml", Cli.TinyYaml("data", data: $"{{path: '{dataPath}', target: {target}}}"));
        return Cli.Run("train", config, "--out", _tmp["runs"]);
    }

    /// <summary>Header a,b,y then 30 rows (lines 2-31) with classes p and q.</summary>
    private static List<string> Rows() =>
        ["a,b,y", .. Enumerable.Range(0, 30).Select(i => $"{i},{i * 2},{(i % 2 == 0 ? "p" : "q")}")];

    private string Csv(string name, IEnumerable<string> lines) => _tmp.Write(name, string.Join("\n", lines) + "\n");

    [Fact]
    public void Valid_data_trains() => TrainOn(Csv("ok.csv", Rows())).AssertOk();

    [Fact]
    public void Missing_data_file()
    {
        var path = _tmp["nope.csv"];
        TrainOn(path).AssertUserError($"data file '{path}' not found");
    }

    [Fact]
    public void Empty_csv()
    {
        var path = _tmp.Write("empty.csv", "");
        TrainOn(path).AssertUserError($"{path}: the file is empty");
    }

    [Fact]
    public void Ragged_row_names_its_line()
    {
        var rows = Rows();
        rows[7] = "6,12"; // line 8
        var path = Csv("ragged.csv", rows);
        TrainOn(path).AssertUserError($"{path}:8: row has 2 fields but the header has 3");
    }

    [Fact]
    public void Word_in_a_numeric_column_names_its_line()
    {
        var rows = Rows();
        rows[13] = "abc,26,q"; // line 14
        var path = Csv("word.csv", rows);
        TrainOn(path).AssertUserError($"{path}:14: column 'a' is numeric but has 'abc'; fix the value, or list the column under data.categorical");
    }

    [Fact]
    public void Target_column_absent()
    {
        var path = Csv("target.csv", Rows());
        TrainOn(path, target: "label").AssertUserError($"{path}: target column 'label' not found; set data.target to one of: a, b, y");
    }

    [Fact]
    public void Class_with_one_example_under_a_stratified_split()
    {
        var path = Csv("lonely.csv", [.. Rows(), "99,1,lonely"]);
        TrainOn(path).AssertUserError($"{path}: target column 'y': class 'lonely' has only 1 example; a stratified split needs at least 2 per class: remove those rows or set data.split: random");
    }

    [Fact]
    public void A_target_with_one_class_is_refused_naming_the_column_and_the_class()
    {
        var path = Csv("one-class.csv", ["a,b,y", .. Enumerable.Range(0, 30).Select(i => $"{i},{i * 2},p")]);
        TrainOn(path).AssertUserError($"{path}: target column 'y' has only one class ('p') in its 30 labelled rows; "
            + "classification needs at least two: check data.target, or that the file holds all of the data");
        Assert.False(Directory.Exists(_tmp["runs"]));
    }
}
