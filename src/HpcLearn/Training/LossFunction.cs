using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>Mean loss of a batch: (outputs, targets) → scalar tensor.</summary>
public delegate Tensor LossFunction(Tensor outputs, Tensor targets);

/// <summary>Metrics over a whole data set: (outputs, targets) → values by snake_case name.</summary>
public delegate IReadOnlyDictionary<string, double> MetricsFunction(Tensor outputs, Tensor targets);
