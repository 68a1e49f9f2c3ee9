using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>The LR range test's curve and its suggestion.</summary>
/// <param name="LearningRates">Learning rates tried, increasing.</param>
/// <param name="Losses">Smoothed training loss at each.</param>
/// <param name="Suggestion">Where the loss fell fastest: a good peak rate for one-cycle.</param>
public sealed record LrFinderResult(double[] LearningRates, double[] Losses, double Suggestion);
