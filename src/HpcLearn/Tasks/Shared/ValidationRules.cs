using HpcLearn.Config;

namespace HpcLearn.Tasks.Shared;

/// <summary>What a run without validation examples (<c>data.valid_fraction: 0</c> beside a test set) cannot do.</summary>
public static class ValidationRules
{
    /// <summary>
    /// Refuses early stopping without validation examples: it watches the validation loss, so it
    /// would silently never stop, and the test set must not take its place (it would choose the epoch).
    /// </summary>
    public static void RequireValidationForEarlyStopping(TrainOptions train, bool hasValid)
    {
        if (!hasValid && train.EarlyStoppingPatience > 0)
            throw new UserError($"train.early_stopping_patience: {train.EarlyStoppingPatience} watches the validation loss, but data.valid_fraction is 0 (no validation examples; the test set must not choose the epoch): set data.valid_fraction to a share such as 0.2, or leave early stopping out");
    }
}
