using HpcLearn.Evaluation;
using HpcLearn.Runs;
using HpcLearn.Tasks.Shared;
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
        : (o, t) => ClassificationMetrics.Compute(ClassifierOutputs.Labels(t), ClassifierOutputs.Probabilities(o));

    /// <summary>Standardised values back in the target's units.</summary>
    public static double[] Unscale(TabularTarget target, Tensor values)
        => values.data<float>().Select(v => v * target.Std + target.Mean).ToArray();
}
