using System.Text.Json.Serialization;

namespace HpcLearn.Evaluation.Reports;

/// <summary>One bin of a reliability diagram: predictions whose confidence fell in [Lower, Upper).</summary>
/// <param name="Lower">Lower edge of the confidence bin.</param>
/// <param name="Upper">Upper edge.</param>
/// <param name="Count">Predictions in the bin.</param>
/// <param name="Confidence">Their mean confidence (top-class probability); NaN when empty.</param>
/// <param name="Accuracy">Their accuracy; NaN when empty.</param>
public sealed record ReliabilityBin(
    [property: JsonPropertyName("lower")] double Lower,
    [property: JsonPropertyName("upper")] double Upper,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("confidence")] double Confidence,
    [property: JsonPropertyName("accuracy")] double Accuracy);

/// <summary>How well confidence matches accuracy.</summary>
/// <param name="Ece">Expected calibration error, 15 equal-width bins.</param>
/// <param name="AdaptiveEce">ECE with 15 equal-mass bins.</param>
/// <param name="Mce">Maximum calibration error over the non-empty equal-width bins.</param>
/// <param name="Brier">Multi-class Brier score: mean over rows of Σₖ (pₖ − yₖ)².</param>
/// <param name="Nll">Mean negative log-likelihood of the true class.</param>
/// <param name="Accuracy">Top-class accuracy (unchanged by temperature scaling).</param>
/// <param name="Bins">The equal-width bins (the reliability diagram).</param>
public sealed record CalibrationResult(
    [property: JsonPropertyName("ece")] double Ece,
    [property: JsonPropertyName("adaptive_ece")] double AdaptiveEce,
    [property: JsonPropertyName("mce")] double Mce,
    [property: JsonPropertyName("brier")] double Brier,
    [property: JsonPropertyName("nll")] double Nll,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("bins")] ReliabilityBin[] Bins);

/// <summary>Calibration before and after temperature scaling.</summary>
/// <param name="Temperature">The fitted temperature T (logits are divided by T); 1 means unchanged.</param>
/// <param name="Before">Calibration of the raw probabilities.</param>
/// <param name="After">Calibration after dividing the logits by T.</param>
/// <param name="FittedOn">Which rows T was fitted on (e.g. "validation split").</param>
public sealed record CalibrationReport(
    [property: JsonPropertyName("temperature")] double Temperature,
    [property: JsonPropertyName("before")] CalibrationResult Before,
    [property: JsonPropertyName("after")] CalibrationResult After,
    [property: JsonPropertyName("fitted_on")] string FittedOn);
