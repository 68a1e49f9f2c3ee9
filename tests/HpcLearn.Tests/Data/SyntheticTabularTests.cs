using HpcLearn.Data;
using Xunit;

namespace HpcLearn.Tests.Data;

public sealed class SyntheticTabularTests
{
    private const int Rows = 5000;

    private static IEnumerable<string> Cells(Table t) =>
        t.Columns.SelectMany(c => Enumerable.Range(0, t.RowCount).Select(c.Format));

    [Fact]
    public void Generators_are_deterministic_for_a_seed()
    {
        Assert.Equal(Cells(SyntheticTabular.Churn(300, 4)), Cells(SyntheticTabular.Churn(300, 4)));
        Assert.NotEqual(Cells(SyntheticTabular.Churn(300, 4)), Cells(SyntheticTabular.Churn(300, 5)));
        Assert.Equal(Cells(SyntheticTabular.Regression(300, 4)), Cells(SyntheticTabular.Regression(300, 4)));
    }

    [Fact]
    public void Churn_has_the_documented_columns_ranges_and_missing_values()
    {
        var t = SyntheticTabular.Churn(Rows, 1);

        Assert.Equal(new[] { "age", "income", "tenure_months", "monthly_charges", "support_calls", "plan", "region", "contract", "churn" },
            t.Columns.Select(c => c.Name));
        Assert.All(t["age"].Numbers.Where(double.IsFinite), a => Assert.InRange(a, 18, 80));
        Assert.All(t["income"].Numbers.Where(double.IsFinite), i => Assert.True(i > 0));
        Assert.Equal(new[] { "basic", "premium", "standard" }, t["plan"].Labels.Distinct().Order());
        foreach (var name in new[] { "age", "income", "monthly_charges", "region" })
            Assert.InRange(t[name].MissingCount, 0.02 * Rows, 0.06 * Rows);
        Assert.Equal(0, t["churn"].MissingCount);
    }

    [Fact]
    public void Churn_majority_class_is_between_60_and_72_percent()
    {
        var labels = SyntheticTabular.Churn(Rows, 2)["churn"].Labels;
        Assert.InRange(labels.Count(l => l == "no") / (double)Rows, 0.60, 0.72);
    }

    [Fact]
    public void A_simple_rule_on_the_signal_columns_beats_the_majority_class()
    {
        var t = SyntheticTabular.Churn(Rows, 3);
        var (contract, tenure, calls, churn) = (t["contract"].Labels, t["tenure_months"].Numbers, t["support_calls"].Numbers, t["churn"].Labels);

        var rule = Enumerable.Range(0, Rows).Count(i =>
            (contract[i] == "monthly" && (tenure[i] < 12 || calls[i] >= 3)) == (churn[i] == "yes")) / (double)Rows;
        var majority = churn.Count(l => l == "no") / (double)Rows;

        Assert.True(rule > majority + 0.05, $"rule {rule:F3} vs majority {majority:F3}");
    }

    [Fact]
    public void Regression_spend_is_the_documented_function_plus_noise_of_sd_25()
    {
        var t = SyntheticTabular.Regression(Rows, 6);
        var (income, tenure, charges, calls) = (t["income"].Numbers, t["tenure_months"].Numbers, t["monthly_charges"].Numbers, t["support_calls"].Numbers);
        var (contract, plan, spend) = (t["contract"].Labels, t["plan"].Labels, t["spend"].Numbers);

        var residuals = Enumerable.Range(0, Rows).Where(i => double.IsFinite(income[i]) && double.IsFinite(charges[i])).Select(i =>
        {
            var yearly = contract[i] == "yearly" ? 1 : 0;
            var premium = plan[i] == "premium" ? 1 : 0;
            return spend[i] - (150 + 0.002 * income[i] + 2.5 * tenure[i] + 1.5 * charges[i] - 12 * calls[i] + 60 * yearly + 30 * yearly * premium);
        }).ToArray();

        Assert.Equal(0, t["spend"].MissingCount);
        Assert.InRange(residuals.Average(), -2, 2);
        Assert.InRange(Math.Sqrt(residuals.Select(r => r * r).Average()), 23, 27);
    }
}
