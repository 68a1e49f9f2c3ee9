namespace HpcLearn.Evaluation.Reports;

/// <summary>Names and sentences shared by the report's sections.</summary>
internal static class ReportText
{
    /// <summary>The display name of a metric ("Log loss"), or its key when the metric is not a known one.</summary>
    public static string MetricName(string metric) => MetricInfo.IsKnown(metric) ? MetricInfo.DisplayName(metric) : metric;

    /// <summary>"↑" when higher is better, "↓" when lower is, "" when unknown.</summary>
    public static string Direction(string metric) => !MetricInfo.IsKnown(metric) ? "" : MetricInfo.HigherIsBetter(metric) ? "↑" : "↓";
}
