namespace HpcLearn.Data;

/// <summary>
/// Synthetic customer tables with a known signal, for smoke tests, examples and tests that need
/// realistic tabular data without a download. Deterministic for a seed.
/// <para>
/// Features: <c>age</c> (18–80), <c>income</c> (log-normal, median ≈ 36k), <c>tenure_months</c>
/// (0–120, longer on yearly contracts), <c>monthly_charges</c> (set mainly by the plan),
/// <c>support_calls</c> (Poisson counts, more on the basic plan), <c>plan</c>
/// (basic/standard/premium), <c>region</c> (north/south/east/west, no effect: a distractor) and
/// <c>contract</c> (monthly/yearly). About 4% of age, income, monthly_charges and region are missing.
/// </para>
/// </summary>
public static class SyntheticTabular
{
    /// <summary>
    /// Customers with a <c>churn</c> column ("yes"/"no") drawn from a logistic model:
    /// <code>
    /// logit P(churn) = −3 + 3.2·[monthly] − 0.11·tenure_months + 1.1·support_calls
    ///                  + 0.06·(monthly_charges − 60) − 0.02·(age − 44) + 2.8·[monthly ∧ premium]
    /// </code>
    /// The last term is the interaction: premium customers without a contract leave far more often.
    /// The Bayes accuracy (from the complete features) is about 0.88, and about 67% do not churn,
    /// so the majority-class baseline is about 0.67.
    /// </summary>
    public static Table Churn(int rows, int seed)
    {
        var random = new Random(seed);
        var c = SyntheticCustomers.Draw(rows, random);
        var churn = new string?[rows];
        for (var i = 0; i < rows; i++)
        {
            var monthly = c.Contract[i] == "monthly" ? 1.0 : 0.0;
            var premium = c.Plan[i] == "premium" ? 1.0 : 0.0;
            var logit = -3 + 3.2 * monthly - 0.11 * c.Tenure[i] + 1.1 * c.Calls[i]
                + 0.06 * (c.Charges[i] - 60) - 0.02 * (c.Age[i] - 44) + 2.8 * monthly * premium;
            churn[i] = random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? "yes" : "no";
        }
        var columns = c.Columns(random);
        columns.Add(TableColumn.Categorical("churn", churn));
        return new Table(columns, $"<synthetic churn, seed {seed}>");
    }

    /// <summary>
    /// The same customers with a numeric <c>spend</c> column:
    /// <code>
    /// spend = 150 + 0.002·income + 2.5·tenure_months + 1.5·monthly_charges − 12·support_calls
    ///         + 60·[yearly] + 30·[yearly ∧ premium] + ε,   ε ~ N(0, 25²)
    /// </code>
    /// so the best possible RMSE is about 25 (the noise), while predicting the mean gives about 110.
    /// </summary>
    public static Table Regression(int rows, int seed)
    {
        var random = new Random(seed);
        var c = SyntheticCustomers.Draw(rows, random);
        var spend = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var yearly = c.Contract[i] == "yearly" ? 1.0 : 0.0;
            var premium = c.Plan[i] == "premium" ? 1.0 : 0.0;
            var mean = 150 + 0.002 * c.Income[i] + 2.5 * c.Tenure[i] + 1.5 * c.Charges[i] - 12 * c.Calls[i]
                + 60 * yearly + 30 * yearly * premium;
            spend[i] = Math.Round(mean + 25 * SyntheticCustomers.Normal(random), 2);
        }
        var columns = c.Columns(random);
        columns.Add(TableColumn.Numeric("spend", spend));
        return new Table(columns, $"<synthetic regression, seed {seed}>");
    }
}
