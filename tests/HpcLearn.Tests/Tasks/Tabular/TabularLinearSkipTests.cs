using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HpcLearn.Evaluation;
using HpcLearn.Runs;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Tests.Training;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>
/// A small, noisy, linear table (300 training rows, 10 features, R² about 0.45 at best) trained
/// with the defaults, measured on 1,000 test rows against a ridge regression solved in the test.
/// </summary>
public sealed class LinearTableFixture : IDisposable
{
    private readonly TempFolder _root = new();

    public const int Features = 10;

    public LinearTableFixture()
    {
        var random = new Random(11);
        Beta = Enumerable.Range(0, Features).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        Train = Draw(300, random);
        Test = Draw(1000, random);
        TrainPath = Write("train.csv", Train);
        TestPath = Write("test.csv", Test);
        Config = new TabularConfig
        {
            Name = "linear",
            Data = new TabularDataOptions { Path = TrainPath, TestPath = TestPath, Target = "y" },
        };
        var log = new StringWriter();
        Run = new TabularTask().Train(Config, new RunContext { Out = log, RunsRoot = _root.Path, TensorBoard = false });
        Log = log.ToString();
    }

    public double[] Beta { get; }
    public (double[][] X, double[] Y) Train { get; }
    public (double[][] X, double[] Y) Test { get; }
    public string TrainPath { get; }
    public string TestPath { get; }
    public TabularConfig Config { get; }
    public TabularRun Run { get; }
    public string Log { get; }
    public string RunsRoot => _root.Path;

    // y = x·β + ε with x ~ N(0, I) and ε ~ N(0, 2²): signal variance about 3.3 against noise 4.
    private (double[][] X, double[] Y) Draw(int rows, Random random)
    {
        var x = new double[rows][];
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            x[i] = Enumerable.Range(0, Features).Select(_ => Normal(random)).ToArray();
            y[i] = x[i].Zip(Beta, (a, b) => a * b).Sum() + 2 * Normal(random);
        }
        return (x, y);
    }

    private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private string Write(string name, (double[][] X, double[] Y) rows)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(",", Enumerable.Range(0, Features).Select(j => $"x{j}"))).Append(",y\n");
        for (int i = 0; i < rows.Y.Length; i++)
            sb.Append(string.Join(",", rows.X[i].Append(rows.Y[i]).Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        return _root.Write(name, sb.ToString());
    }

    public void Dispose() => _root.Dispose();
}

/// <summary>The regression default's linear skip: a ridge start, the best validation epoch kept, saved and loaded with the model.</summary>
public sealed class TabularLinearSkipTests(LinearTableFixture fx) : IClassFixture<LinearTableFixture>
{
    [Fact]
    public void The_default_regression_is_within_a_small_margin_of_ridge_on_a_noisy_linear_table()
    {
        // The oracle: ridge (α = 1, sklearn's default) on standardised features by the normal equations,
        // fitted on the rows the run trained on (the training file less its validation rows), and on the whole training file.
        var trained = fx.Run.Data.Train;
        var rows = Enumerable.Range(0, trained.RowCount).Select(i => Enumerable.Range(0, LinearTableFixture.Features).Select(j => trained[$"x{j}"].Numbers[i]).ToArray()).ToArray();
        double sameRows = RidgeTestR2(rows, trained["y"].Numbers);
        double wholeFile = RidgeTestR2(fx.Train.X, fx.Train.Y);

        double r2 = fx.Run.Summary.Metrics["test_r2"];
        Assert.InRange(wholeFile, 0.3, 0.6); // the table is as noisy as meant
        Assert.True(r2 >= sameRows - 0.01, $"default regression test R² {r2:F4} against ridge's {sameRows:F4} on the same training rows");
        Assert.True(r2 >= wholeFile - 0.03, $"default regression test R² {r2:F4} against ridge's {wholeFile:F4} on the whole training file");
        Assert.Contains("model: linear skip starts at ridge regression", fx.Log);
    }

    private double RidgeTestR2(double[][] x, double[] y)
    {
        int p = LinearTableFixture.Features;
        var mean = Enumerable.Range(0, p).Select(j => x.Average(r => r[j])).ToArray();
        var std = Enumerable.Range(0, p).Select(j => Math.Sqrt(x.Average(r => (r[j] - mean[j]) * (r[j] - mean[j])))).ToArray();
        double[] Z(double[] row) => row.Select((v, j) => (v - mean[j]) / std[j]).ToArray();
        var w = Oracle.Ridge(x.Select(Z).ToArray(), y, alpha: 1, out double intercept);
        var predicted = fx.Test.X.Select(r => Z(r).Zip(w, (a, b) => a * b).Sum() + intercept).ToArray();
        return RegressionMetrics.Compute(fx.Test.Y, predicted)["r2"];
    }

    [Fact]
    public void The_run_keeps_the_epoch_with_the_best_validation_loss_the_ridge_start_included()
    {
        // metrics.csv lists every epoch's validation R²; the kept weights score at least the best of them.
        var lines = File.ReadAllLines(Path.Combine(fx.Run.Folder.Root, "metrics.csv"));
        int column = Array.IndexOf(lines[0].Split(','), "r2");
        double best = lines.Skip(1).Max(l => double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture));
        Assert.True(fx.Run.Summary.Metrics["r2"] >= best - 1e-5, $"kept R² {fx.Run.Summary.Metrics["r2"]} below an epoch's {best}");
        Assert.Matches(@"kept (the weights of epoch \d+|the last epoch's weights)", fx.Log);
    }

    [Fact]
    public void The_saved_model_has_the_linear_skip_and_predicts_what_the_run_measured()
    {
        using var predictor = TabularPredictor.Load(fx.Run.Folder.ModelDir);
        Assert.True(predictor.Manifest.Details["architecture"]!["LinearSkip"]!.GetValue<bool>());
        var table = predictor.LoadInput(fx.TestPath, requireTarget: true);
        var (metrics, _) = predictor.Evaluate(table);
        foreach (var key in new[] { "rmse", "mae", "r2" })
            Assert.Equal(fx.Run.Summary.Metrics["test_" + key], metrics[key], 1e-6 * Math.Max(1, Math.Abs(metrics[key])));
    }

    [Fact]
    public void With_the_key_off_the_network_and_run_are_as_before_the_skip()
    {
        using var tmp = new TempFolder();
        var log = new StringWriter();
        var config = fx.Config with { Name = "off", Model = fx.Config.Model with { LinearSkip = false } };
        var run = new TabularTask().Train(config, new RunContext { Out = log, RunsRoot = tmp.Path, TensorBoard = false });
        Assert.DoesNotContain("linear skip", log.ToString());
        Assert.DoesNotContain("kept ", log.ToString());
        using var predictor = TabularPredictor.Load(run.Folder.ModelDir);
        Assert.False(predictor.Manifest.Details["architecture"]!["LinearSkip"]!.GetValue<bool>());
        // The weights file holds the MLP alone: the parameters of the network without the skip.
        var names = Safetensors(run.Folder.ModelDir);
        Assert.DoesNotContain(names, n => n.StartsWith("skip", StringComparison.Ordinal));
        Assert.Contains("mlp.out.weight", names);
        Assert.Contains("skip.weight", Safetensors(fx.Run.Folder.ModelDir));
    }

    [Fact]
    public void Without_validation_rows_the_default_is_the_plain_mlp_and_config_yaml_says_so()
    {
        using var tmp = new TempFolder();
        var log = new StringWriter();
        var config = fx.Config with { Name = "all-rows", Data = fx.Config.Data with { ValidFraction = 0 } };
        var run = new TabularTask().Train(config, new RunContext { Out = log, RunsRoot = tmp.Path, TensorBoard = false });
        Assert.Contains("model.linear_skip: false (no validation rows", log.ToString());
        Assert.DoesNotContain("starts at ridge", log.ToString());
        Assert.Contains("linear_skip: false", File.ReadAllText(Path.Combine(run.Folder.Root, "config.yaml")));
        using var predictor = TabularPredictor.Load(run.Folder.ModelDir);
        Assert.False(predictor.Manifest.Details["architecture"]!["LinearSkip"]!.GetValue<bool>());
    }

    private static List<string> Safetensors(string modelDir)
    {
        var bytes = File.ReadAllBytes(Path.Combine(modelDir, "model.safetensors"));
        long length = BitConverter.ToInt64(bytes, 0);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)length))!.AsObject();
        return header.Select(kv => kv.Key).Where(k => k != "__metadata__").ToList();
    }
}

/// <summary>The ridge start and the model files around it, without training.</summary>
public sealed class TabularRidgeTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Ridge_matches_the_normal_equations_at_the_penalty_that_minimises_gcv()
    {
        var random = new Random(3);
        int n = 40, p = 5;
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, p).Select(_ => random.NextDouble() * 4 - 2).ToArray()).ToArray();
        var y = x.Select(r => 1.5 * r[0] - r[2] + 0.3 + random.NextDouble() * 3).ToArray();
        using var xt = tensor(x.SelectMany(r => r).ToArray(), [n, p]);
        using var yt = tensor(y);
        var fit = TabularRidge.Fit(xt, yt);

        // GCV by brute force: n·RSS / (n − 1 − tr H)², with H the centred hat matrix formed explicitly.
        double Gcv(double alpha)
        {
            var w = Oracle.Ridge(x, y, alpha, out double b);
            double rss = x.Select((r, i) => Math.Pow(y[i] - r.Zip(w, (a, c) => a * c).Sum() - b, 2)).Sum();
            double trace = Oracle.HatTrace(x, alpha);
            return n * rss / Math.Pow(n - 1 - trace, 2);
        }
        double expected = TabularRidge.Alphas.MinBy(Gcv);
        Assert.Equal(expected, fit.Alpha, 12);
        var weights = Oracle.Ridge(x, y, fit.Alpha, out double intercept);
        for (int j = 0; j < p; j++) Assert.Equal(weights[j], fit.Weights[j], 8);
        Assert.Equal(intercept, fit.Intercept, 8);
    }

    private static TabularSchema Schema(TabularKind kind) => new(
        [new NumericFeature("age", 40, 41, 12, MissingIndicator: false), new NumericFeature("calls", 1, 1.5, 1.2, MissingIndicator: false)],
        [new CategoricalFeature("plan", ["basic", "premium"], 2)],
        kind == TabularKind.Classification ? new TabularTarget("churn", kind, ["no", "yes"], 0, 0) : new TabularTarget("spend", kind, [], 50, 10),
        ["churn", "spend"]);

    [Fact]
    public void The_ridge_start_is_the_ridge_fit_with_the_mlp_at_zero()
    {
        var schema = Schema(TabularKind.Regression);
        using var model = new TabularModel(schema, new TabularModelOptions { Layers = [8] });
        Assert.True(model.HasLinearSkip);
        var random = new Random(5);
        int n = 50;
        var numeric = Enumerable.Range(0, n * 2).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var codes = Enumerable.Range(0, n).Select(i => (long)(i % 3)).ToArray();
        var target = Enumerable.Range(0, n).Select(i => (float)(numeric[2 * i] - 0.5 * numeric[2 * i + 1] + 0.4 * codes[i] + 0.1 * random.NextDouble())).ToArray();
        using var xn = tensor(numeric, [n, 2]);
        using var xc = tensor(codes, [n, 1]);
        using var yt = tensor(target);
        var fit = model.StartFromRidge(xn, xc, yt)!;

        // The design matrix: the numeric columns and the one-hot codes of 'plan' (missing, basic, premium).
        var design = Enumerable.Range(0, n).Select(i => new[] { numeric[2 * i], numeric[2 * i + 1], codes[i] == 0 ? 1.0 : 0, codes[i] == 1 ? 1.0 : 0, codes[i] == 2 ? 1.0 : 0 }).ToArray();
        var w = Oracle.Ridge(design, target.Select(v => (double)v).ToArray(), fit.Alpha, out double b);
        model.eval();
        using var noGrad = no_grad();
        using var outputs = model.forward([xn, xc]);
        var predicted = outputs.data<float>().ToArray();
        for (int i = 0; i < n; i++)
            Assert.Equal(design[i].Zip(w, (a, c) => a * c).Sum() + b, predicted[i], 4);
    }

    [Fact]
    public void A_regression_model_written_before_the_skip_loads_without_it()
    {
        var schema = Schema(TabularKind.Regression);
        var options = new TabularModelOptions { Layers = [8, 4], LinearSkip = false };
        using var model = new TabularModel(schema, options);
        string dir = _dir["old"];
        ModelArtifact.Save(dir, model, new ModelManifest { Task = TabularTask.Name, Details = TabularArtifact.Details(schema, options, [50], 1.0) });
        ModelJson.EditDetails(dir, d => d["architecture"]!.AsObject().Remove("LinearSkip")); // as an older version wrote it
        Assert.DoesNotContain("LinearSkip", File.ReadAllText(ModelJson.PathIn(dir)));

        var rows = new HpcLearn.Data.Table([HpcLearn.Data.TableColumn.Numeric("age", [30, 50]), HpcLearn.Data.TableColumn.Numeric("calls", [0, 3]),
            HpcLearn.Data.TableColumn.Categorical("plan", ["basic", "premium"])], "rows");
        using var predictor = TabularPredictor.Load(dir);
        using var numeric = TabularPreprocessor.NumericTensor(schema, rows);
        using var codes = TabularPreprocessor.CategoricalTensor(schema, rows);
        model.eval();
        using var noGrad = no_grad();
        using var expected = model.forward([numeric, codes]);
        Assert.Equal(TabularMetrics.Unscale(schema.Target, expected), predictor.PredictValues(rows));
    }

    [Fact]
    public void A_classifier_has_no_skip_unless_asked_and_an_old_default_regression_architecture_is_written_resolved()
    {
        Assert.False(TabularModel.UsesLinearSkip(Schema(TabularKind.Classification), new TabularModelOptions()));
        Assert.True(TabularModel.UsesLinearSkip(Schema(TabularKind.Classification), new TabularModelOptions { LinearSkip = true }));
        Assert.True(TabularModel.UsesLinearSkip(Schema(TabularKind.Regression), new TabularModelOptions()));
        // model.json holds the resolved choice, so a later change of default cannot change what saved weights mean.
        var details = TabularArtifact.Details(Schema(TabularKind.Regression), new TabularModelOptions(), [50]);
        Assert.True(details["architecture"]!["LinearSkip"]!.GetValue<bool>());
    }
}

/// <summary>Ridge regression by the normal equations and Gaussian elimination: an oracle apart from the library's eigendecomposition.</summary>
internal static class Oracle
{
    /// <summary>w minimising |y − b − Xw|² + α|w|² (intercept b unpenalised).</summary>
    public static double[] Ridge(double[][] x, double[] y, double alpha, out double intercept)
    {
        int n = x.Length, p = x[0].Length;
        var mean = Enumerable.Range(0, p).Select(j => x.Average(r => r[j])).ToArray();
        double yMean = y.Average();
        var a = new double[p, p];
        var rhs = new double[p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++)
            {
                rhs[j] += (x[i][j] - mean[j]) * (y[i] - yMean);
                for (int k = 0; k < p; k++) a[j, k] += (x[i][j] - mean[j]) * (x[i][k] - mean[k]);
            }
        for (int j = 0; j < p; j++) a[j, j] += alpha;
        var w = Solve(a, rhs);
        intercept = yMean - mean.Zip(w, (m, c) => m * c).Sum();
        return w;
    }

    /// <summary>tr(Xc (XcᵀXc + αI)⁻¹ Xcᵀ) = Σ_j [(XcᵀXc + αI)⁻¹ XcᵀXc]_jj, Xc the centred X.</summary>
    public static double HatTrace(double[][] x, double alpha)
    {
        int n = x.Length, p = x[0].Length;
        var mean = Enumerable.Range(0, p).Select(j => x.Average(r => r[j])).ToArray();
        var g = new double[p, p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++)
                for (int k = 0; k < p; k++) g[j, k] += (x[i][j] - mean[j]) * (x[i][k] - mean[k]);
        double trace = 0;
        for (int col = 0; col < p; col++)
        {
            var a = (double[,])g.Clone();
            for (int j = 0; j < p; j++) a[j, j] += alpha;
            var column = Solve(a, Enumerable.Range(0, p).Select(j => g[j, col]).ToArray());
            trace += column[col];
        }
        return trace;
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        int p = b.Length;
        a = (double[,])a.Clone();
        b = (double[])b.Clone();
        for (int c = 0; c < p; c++)
        {
            int pivot = Enumerable.Range(c, p - c).MaxBy(r => Math.Abs(a[r, c]));
            for (int k = 0; k < p; k++) (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
            (b[c], b[pivot]) = (b[pivot], b[c]);
            for (int r = c + 1; r < p; r++)
            {
                double f = a[r, c] / a[c, c];
                for (int k = c; k < p; k++) a[r, k] -= f * a[c, k];
                b[r] -= f * b[c];
            }
        }
        var x = new double[p];
        for (int r = p - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int k = r + 1; k < p; k++) s -= a[r, k] * x[k];
            x[r] = s / a[r, r];
        }
        return x;
    }
}
