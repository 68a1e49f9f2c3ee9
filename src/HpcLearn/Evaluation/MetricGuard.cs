namespace HpcLearn.Evaluation;

/// <summary>
/// Argument checks shared by the metrics. Wrong shapes here are a caller's bug, not a user's
/// mistake, so they throw <see cref="ArgumentException"/> rather than <see cref="UserError"/>.
/// </summary>
internal static class MetricGuard
{
    public static void NotEmpty<T>(T[] values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length == 0)
            throw new ArgumentException($"{name} is empty; a metric needs at least one row.", name);
    }

    public static void SameLength(int truthLength, int otherLength, string otherName)
    {
        if (truthLength != otherLength)
            throw new ArgumentException(
                $"truth has {truthLength} rows but {otherName} has {otherLength}; they must have one entry per row.",
                otherName);
    }

    public static void ClassCount(int classCount)
    {
        if (classCount < 1)
            throw new ArgumentException($"classCount must be at least 1, got {classCount}.", nameof(classCount));
    }

    public static void Labels(int[] labels, int classCount, string name)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= classCount)
                throw new ArgumentException(
                    $"{name}[{i}] = {labels[i]} is not a class index in [0, {classCount}).", name);
        }
    }
}
