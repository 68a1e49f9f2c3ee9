using System.Globalization;

namespace HpcLearn.Evaluation;

/// <summary>
/// Trivial models fitted on the training split and scored on the validation split. An untrained
/// model scores about this well, so every metric is printed beside its baseline.
/// </summary>
public static class Baseline
{
    /// <summary>
    /// Always predicts the training split's most frequent class (the lowest index on a tie), with
    /// the training class frequencies as probabilities. The log-loss is therefore the cross-entropy
    /// of the training prior on the validation labels; a class unseen in training gets the clipped
    /// probability 1e-15, exactly as a model that never predicts it would.
    /// </summary>
    /// <param name="trainLabels">Class index per training row: only these choose the majority.</param>
    /// <param name="validLabels">Class index per validation row: only these are scored.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="classNames">Optional name per class index, for the description.</param>
    /// <returns>Accuracy, macro-F1 and log-loss, as <see cref="ClassificationMetrics.Compute"/> gives them.</returns>
    /// <exception cref="ArgumentException">Empty arrays, labels outside [0, classCount), or names of the wrong count.</exception>
    public static BaselineResult MajorityClass(
        int[] trainLabels, int[] validLabels, int classCount, string[]? classNames = null)
    {
        double[] prior = Prior(trainLabels, classCount, nameof(trainLabels));
        MetricGuard.NotEmpty(validLabels, nameof(validLabels));
        MetricGuard.Labels(validLabels, classCount, nameof(validLabels));
        if (classNames is not null && classNames.Length != classCount)
            throw new ArgumentException(
                $"classNames has {classNames.Length} names but there are {classCount} classes.", nameof(classNames));

        int majority = 0;
        for (int k = 1; k < classCount; k++)
            if (prior[k] > prior[majority]) majority = k;
        var probabilities = Enumerable.Repeat(prior, validLabels.Length).ToArray();
        string name = classNames is null
            ? majority.ToString(CultureInfo.InvariantCulture)
            : $"'{classNames[majority]}'";
        string share = (100 * prior[majority]).ToString("F1", CultureInfo.InvariantCulture);
        return new BaselineResult(
            ClassificationMetrics.Compute(validLabels, probabilities),
            $"majority class {name} ({share}% of training rows)");
    }

    /// <summary>
    /// Expected accuracy of guessing each class at random with its training frequency:
    /// Σₖ p_train(k) · p_valid(k). Only the key "accuracy" is given, since the guess is random.
    /// </summary>
    /// <exception cref="ArgumentException">Empty arrays or labels outside [0, classCount).</exception>
    public static BaselineResult PriorGuess(int[] trainLabels, int[] validLabels, int classCount)
    {
        double[] train = Prior(trainLabels, classCount, nameof(trainLabels));
        double[] valid = Prior(validLabels, classCount, nameof(validLabels));
        double accuracy = 0;
        for (int k = 0; k < classCount; k++)
            accuracy += train[k] * valid[k];
        return new BaselineResult(
            new OrderedDictionary<string, double> { [MetricNames.Accuracy] = accuracy },
            "random guess with the training class frequencies");
    }

    /// <summary>Always predicts the training mean; scored with <see cref="RegressionMetrics.Compute"/>.</summary>
    /// <exception cref="ArgumentException">Empty arrays.</exception>
    public static BaselineResult Mean(double[] trainTargets, double[] validTargets)
    {
        MetricGuard.NotEmpty(trainTargets, nameof(trainTargets));
        MetricGuard.NotEmpty(validTargets, nameof(validTargets));
        double mean = trainTargets.Average();
        double[] predicted = Enumerable.Repeat(mean, validTargets.Length).ToArray();
        return new BaselineResult(
            RegressionMetrics.Compute(validTargets, predicted),
            $"training mean {mean.ToString("G6", CultureInfo.InvariantCulture)}");
    }

    private static double[] Prior(int[] labels, int classCount, string name)
    {
        MetricGuard.NotEmpty(labels, name);
        MetricGuard.ClassCount(classCount);
        MetricGuard.Labels(labels, classCount, name);
        var prior = new double[classCount];
        foreach (int label in labels)
            prior[label]++;
        for (int k = 0; k < classCount; k++)
            prior[k] /= labels.Length;
        return prior;
    }
}
