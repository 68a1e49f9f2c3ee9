using HpcLearn.Data;
using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;
using Xunit;

namespace HpcLearn.Tests.Evaluation;

public class DataCardBuilderTests
{
    private const double Tol = 1e-12;

    // 20 rows with nothing to warn about: distinct x, two colours, two balanced classes, an
    // ignored id. The last 4 rows are the validation split.
    private static List<TableColumn> Clean(int rows = 20) =>
    [
        TableColumn.Numeric("id", Enumerable.Range(0, rows).Select(i => (double)i).ToArray()),
        TableColumn.Numeric("x", Enumerable.Range(0, rows).Select(i => i * 0.5).ToArray()),
        TableColumn.Categorical("color", Enumerable.Range(0, rows).Select(i => i % 2 == 0 ? "red" : "blue").ToArray()),
        TableColumn.Categorical("target", Enumerable.Range(0, rows).Select(i => i % 2 == 0 ? "no" : "yes").ToArray()),
    ];

    private static DataCard Card(List<TableColumn> columns, bool classification = true, string? group = null)
    {
        var all = new Table(columns, "test.csv");
        int train = all.RowCount - 4;
        return DataCardBuilder.Build(all,
            all.SelectRows(Enumerable.Range(0, train).ToArray()),
            all.SelectRows(Enumerable.Range(train, 4).ToArray()),
            "test.csv", "target", group, ["id"], classification);
    }

    // Replaces the column of the same name, or appends it.
    private static List<TableColumn> With(List<TableColumn> columns, TableColumn column)
    {
        var result = columns.Select(c => c.Name == column.Name ? column : c).ToList();
        if (!columns.Any(c => c.Name == column.Name)) result.Add(column);
        return result;
    }

    [Fact]
    public void Clean_data_has_no_warnings_and_exact_column_cards()
    {
        var card = Card(Clean(), group: "color");
        Assert.Empty(card.Warnings);
        Assert.Equal(("test.csv", 20, 16, 4, 0), (card.Source, card.Rows, card.TrainRows, card.ValidRows, card.DuplicatesAcrossSplits));
        Assert.Equal(["ignored", "feature", "group", "target"], card.Columns.Select(c => c.Role));
        var x = card.Columns[1];
        // x = 0, 0.5, ..., 9.5: mean 4.75
        Assert.Equal(("numeric", 0, 20, 0.0, 9.5), (x.Kind, x.Missing, x.Distinct, x.Min!.Value, x.Max!.Value));
        Assert.Equal(4.75, x.Mean!.Value, Tol);
        var color = card.Columns[2];
        Assert.Equal(("categorical", 0, 2), (color.Kind, color.Missing, color.Distinct));
        Assert.Null(color.Min);
        Assert.Equal(new Dictionary<string, int> { ["no"] = 10, ["yes"] = 10 }, card.ClassBalance);
    }

    [Fact]
    public void Duplicates_count_validation_rows_equal_to_a_training_row_missing_equal_to_missing()
    {
        double[] x = Enumerable.Range(0, 20).Select(i => i * 0.5).ToArray();
        string?[] color = Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? "red" : "blue").ToArray();
        // Row 16 copies row 3's x and colour (its id and target differ: ignored and target aside).
        x[16] = x[3]; color[16] = color[3];
        // Row 17 copies row 3 too: two validation rows matching one training row count twice.
        x[17] = x[3]; color[17] = color[3];
        // Rows 5 and 18 both lack x and share a colour: missing equals missing.
        x[5] = double.NaN; x[18] = double.NaN; color[18] = color[5];
        // Row 19 matches row 7's x but lacks its colour: missing is not a value.
        x[19] = x[7]; color[19] = null;
        var columns = With(With(Clean(), TableColumn.Numeric("x", x)), TableColumn.Categorical("color", color));

        var card = Card(columns);
        Assert.Equal(3, card.DuplicatesAcrossSplits);
        Assert.Equal(
            ["3 validation rows are exact copies of training rows (target and ignored columns aside): metrics may be optimistic"],
            card.Warnings);
    }

    [Fact]
    public void A_single_duplicate_reads_in_the_singular()
    {
        double[] x = Enumerable.Range(0, 20).Select(i => i * 0.5).ToArray();
        x[16] = x[2];
        var card = Card(With(Clean(), TableColumn.Numeric("x", x)));
        Assert.Equal(1, card.DuplicatesAcrossSplits);
        Assert.Equal(
            ["1 validation row is an exact copy of a training row (target and ignored columns aside): metrics may be optimistic"],
            card.Warnings);
    }

    [Fact]
    public void A_constant_column_is_warned_about_unless_it_has_gaps_or_is_ignored()
    {
        var constant = TableColumn.Numeric("c", Enumerable.Repeat(5.0, 20).ToArray());
        Assert.Equal(["column 'c' has the same value in every row: it carries no information"],
            Card(With(Clean(), constant)).Warnings);

        double[] gappy = Enumerable.Repeat(5.0, 20).ToArray();
        gappy[0] = double.NaN;
        Assert.Empty(Card(With(Clean(), TableColumn.Numeric("c", gappy))).Warnings);

        Assert.Empty(Card(With(Clean(), TableColumn.Numeric("id", Enumerable.Repeat(1.0, 20).ToArray()))).Warnings);
    }

    [Fact]
    public void Many_constant_or_gappy_columns_make_one_warning_line_each_not_one_per_column()
    {
        // A wide file used to print one warning line per column: 12 million lines for 12 million columns.
        var columns = Clean();
        for (int i = 0; i < 1000; i++) columns = With(columns, TableColumn.Numeric($"k{i}", Enumerable.Repeat(1.0, 20).ToArray()));
        for (int i = 0; i < 5; i++)
            columns = With(columns, TableColumn.Categorical($"m{i}", Enumerable.Range(0, 20).Select(r => r < 12 + i ? null : $"v{r}").ToArray()));
        Assert.Equal(
        [
            "1000 columns have the same value in every row (they carry no information): 'k0', 'k1', 'k2' and 997 more",
            "5 columns are more than 50.0% missing: 'm0' (60.0%), 'm1' (65.0%), 'm2' (70.0%) and 2 more",
        ], Card(columns).Warnings);

        var two = With(With(Clean(), TableColumn.Numeric("a", Enumerable.Repeat(1.0, 20).ToArray())), TableColumn.Numeric("b", Enumerable.Repeat(2.0, 20).ToArray()));
        Assert.Equal(["2 columns have the same value in every row (they carry no information): 'a' and 'b'"], Card(two).Warnings);
    }

    [Fact]
    public void Many_rare_classes_make_one_warning_line_and_the_log_lists_the_first_twenty()
    {
        // 30 rows of 'no', 10 of 'yes', then 60 classes of one row each (1% apiece).
        string?[] target = [.. Enumerable.Repeat("no", 30), .. Enumerable.Repeat("yes", 10), .. Enumerable.Range(0, 60).Select(i => $"c{i:00}")];
        var columns = new List<TableColumn>
        {
            TableColumn.Numeric("id", Enumerable.Range(0, 100).Select(i => (double)i).ToArray()),
            TableColumn.Numeric("x", Enumerable.Range(0, 100).Select(i => i * 0.5).ToArray()),
            TableColumn.Categorical("target", target),
        };
        var card = Card(columns);
        Assert.Equal(["60 classes are each under 5.0% of the rows: 'c00' (1 of 100), 'c01' (1 of 100), 'c02' (1 of 100) and 57 more: "
            + "their metrics will be noisy and the model may learn to ignore them"], card.Warnings);
        string classes = DataCardBuilder.ToText(card).Split('\n').Single(l => l.StartsWith("classes: ", StringComparison.Ordinal));
        Assert.EndsWith(", c17 1 (1.0%) and 42 more", classes);
    }

    [Fact]
    public void A_column_is_warned_about_only_when_more_than_half_missing()
    {
        string?[] half = Enumerable.Range(0, 20).Select(i => i < 10 ? null : $"v{i}").ToArray();
        Assert.Empty(Card(With(Clean(), TableColumn.Categorical("note", half))).Warnings);

        string?[] most = Enumerable.Range(0, 20).Select(i => i < 11 ? null : $"v{i}").ToArray();
        Assert.Equal(["column 'note' is 55.0% missing (11 of 20 rows)"],
            Card(With(Clean(), TableColumn.Categorical("note", most))).Warnings);
    }

    [Fact]
    public void A_class_is_warned_about_only_when_under_five_percent()
    {
        // 1 of 20 is exactly 5%: no warning.
        string?[] target = Enumerable.Range(0, 20).Select(i => i == 0 ? "rare" : i % 2 == 0 ? "no" : "yes").ToArray();
        var card = Card(With(Clean(), TableColumn.Categorical("target", target)));
        Assert.Empty(card.Warnings);
        Assert.Equal(["yes", "no", "rare"], card.ClassBalance!.Keys);

        // 1 of 21 is 4.8%.
        string?[] target21 = Enumerable.Range(0, 21).Select(i => i == 0 ? "rare" : i % 2 == 0 ? "no" : "yes").ToArray();
        Assert.Equal(
            ["class 'rare' is only 4.8% of the rows (1 of 21): its metrics will be noisy and the model may learn to ignore it"],
            Card(With(Clean(21), TableColumn.Categorical("target", target21))).Warnings);
    }

    [Fact]
    public void Missing_targets_get_their_own_warning_and_stay_out_of_the_balance()
    {
        string?[] target = Enumerable.Range(0, 20).Select(i => i < 2 ? null : i % 2 == 0 ? "no" : "yes").ToArray();
        var card = Card(With(Clean(), TableColumn.Categorical("target", target)));
        Assert.Equal(["the target column 'target' has 2 missing values: those rows are left out of training and validation"],
            card.Warnings);
        Assert.Equal(new Dictionary<string, int> { ["yes"] = 9, ["no"] = 9 }, card.ClassBalance);
    }

    [Fact]
    public void Regression_has_no_class_balance()
    {
        var columns = With(Clean(), TableColumn.Numeric("target", Enumerable.Range(0, 20).Select(i => i * 1.5).ToArray()));
        var card = Card(columns, classification: false);
        Assert.Null(card.ClassBalance);
        Assert.Empty(card.Warnings);
    }

    [Fact]
    public void An_unknown_target_is_a_user_error_naming_the_columns()
    {
        var all = new Table(Clean(), "test.csv");
        var e = Assert.Throws<UserError>(() => DataCardBuilder.Build(all, all, all, "test.csv", "label", null, [], true));
        Assert.Equal("test.csv: no column 'label'; columns are: id, x, color, target", e.Message);
    }

    [Fact]
    public void ToText_summarises_sizes_classes_missing_values_and_warnings()
    {
        string?[] target = Enumerable.Range(0, 20).Select(i => i < 2 ? null : i % 2 == 0 ? "no" : "yes").ToArray();
        var card = Card(With(Clean(), TableColumn.Categorical("target", target)));
        Assert.Equal(
            "data: test.csv: 20 rows (16 training, 4 validation), 4 columns (2 numeric, 2 categorical)\n" +
            "classes: no 9 (50.0%), yes 9 (50.0%)\n" +
            "missing values: target 2\n" +
            "warning: the target column 'target' has 2 missing values: those rows are left out of training and validation\n",
            DataCardBuilder.ToText(card));
    }
}
