using HpcLearn.Evaluation;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Tabular;

/// <summary>Loss and metrics of the tabular task, by kind.</summary>
public static class TabularMetrics
{
    /// <summary>Cross-entropy on logits, or MSE on standardised targets.</summary>
    public static LossFunction Loss(TabularKind kind) => kind == TabularKind.Regression
        ? (o, t) => nn.functional.mse_loss(o, t)
        : (o, t) => nn.functional.cross_entropy(o, t);

    /// <summary>accuracy, macro_f1, log_loss — or rmse, mae, r2 in the target's own units.</summary>
    public static MetricsFunction Metrics(TabularTarget target) => target.Kind == TabularKind.Regression
        ? (o, t) => RegressionMetrics.Compute(Unscale(target, t), Unscale(target, o))
        : (o, t) => ClassificationMetrics.Compute(Labels(t), Probabilities(o));

    /// <summary>Softmax probabilities as rows.</summary>
    public static double[][] Probabilities(Tensor logits)
    {
        using var wide = logits.to_type(ScalarType.Float64);
        using var p = nn.functional.softmax(wide, 1);
        return Rows(p);
    }

    /// <summary>A (N, K) tensor as N rows of K doubles.</summary>
    public static double[][] Rows(Tensor values)
    {
        using var wide = values.to_type(ScalarType.Float64);
        var flat = wide.data<double>().ToArray();
        int k = (int)values.shape[1];
        return Enumerable.Range(0, (int)values.shape[0]).Select(r => flat.AsSpan(r * k, k).ToArray()).ToArray();
    }

    /// <summary>Class indices as ints.</summary>
    public static int[] Labels(Tensor classes) => classes.data<long>().Select(v => (int)v).ToArray();

    /// <summary>Standardised values back in the target's units.</summary>
    public static double[] Unscale(TabularTarget target, Tensor values)
        => values.data<float>().Select(v => v * target.Std + target.Mean).ToArray();
}
