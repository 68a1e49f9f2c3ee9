namespace HpcLearn.Data;

/// <summary>
/// The customer features behind <see cref="SyntheticTabular"/>: drawn once, complete, so a target
/// can be computed from the true values before some of them are hidden as missing.
/// </summary>
internal sealed class SyntheticCustomers
{
    private const double MissingRate = 0.04;

    private SyntheticCustomers(int rows)
    {
        Age = new double[rows]; Income = new double[rows]; Tenure = new double[rows];
        Charges = new double[rows]; Calls = new double[rows];
        Plan = new string[rows]; Region = new string[rows]; Contract = new string[rows];
    }

    public double[] Age { get; }
    public double[] Income { get; }
    public double[] Tenure { get; }
    public double[] Charges { get; }
    public double[] Calls { get; }
    public string[] Plan { get; }
    public string[] Region { get; }
    public string[] Contract { get; }
    public int Rows => Age.Length;

    private static readonly string[] Regions = ["north", "south", "east", "west"];

    /// <summary>Draws <paramref name="rows"/> customers with plausible marginals and correlations.</summary>
    public static SyntheticCustomers Draw(int rows, Random random)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "need at least one row");
        var c = new SyntheticCustomers(rows);
        for (var i = 0; i < rows; i++)
        {
            c.Age[i] = Math.Clamp(Math.Round(44 + 14 * Normal(random)), 18, 80);
            var monthly = random.NextDouble() < 0.55;
            c.Contract[i] = monthly ? "monthly" : "yearly";
            var u = random.NextDouble();
            c.Plan[i] = u < 0.45 ? "basic" : u < 0.80 ? "standard" : "premium";
            c.Region[i] = Regions[random.Next(Regions.Length)];
            // Yearly customers stay longer: tenure is exponential with a longer mean, after a first year.
            var tenure = -Math.Log(1 - random.NextDouble()) * (monthly ? 14 : 36) + (monthly ? 0 : 6);
            c.Tenure[i] = Math.Min(120, Math.Round(tenure));
            // Income is log-normal (median ≈ 36k) and rises a little with age.
            c.Income[i] = 100 * Math.Round(Math.Exp(10.5 + 0.01 * (c.Age[i] - 44) + 0.45 * Normal(random)) / 100);
            var price = c.Plan[i] switch { "basic" => 35.0, "standard" => 65.0, _ => 99.0 };
            c.Charges[i] = Math.Round(Math.Max(15, price + 7 * Normal(random)), 2);
            c.Calls[i] = Poisson(random, c.Plan[i] == "basic" ? 1.8 : 1.2);
        }
        return c;
    }

    /// <summary>
    /// The feature columns with about 4% of age, income, monthly_charges and region hidden,
    /// completely at random.
    /// </summary>
    public List<TableColumn> Columns(Random random) =>
    [
        TableColumn.Numeric("age", Hide(Age, random)),
        TableColumn.Numeric("income", Hide(Income, random)),
        TableColumn.Numeric("tenure_months", (double[])Tenure.Clone()),
        TableColumn.Numeric("monthly_charges", Hide(Charges, random)),
        TableColumn.Numeric("support_calls", (double[])Calls.Clone()),
        TableColumn.Categorical("plan", (string?[])Plan.Clone()),
        TableColumn.Categorical("region", Region.Select(r => random.NextDouble() < MissingRate ? null : r).ToArray()),
        TableColumn.Categorical("contract", (string?[])Contract.Clone()),
    ];

    private static double[] Hide(double[] values, Random random) =>
        values.Select(v => random.NextDouble() < MissingRate ? double.NaN : v).ToArray();

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    // Knuth's method: fine for the small rates used here.
    private static int Poisson(Random random, double rate)
    {
        var limit = Math.Exp(-rate);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble()) k++;
        return k;
    }
}
