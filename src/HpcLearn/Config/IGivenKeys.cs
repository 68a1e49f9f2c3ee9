namespace HpcLearn.Config;

/// <summary>
/// A run config that derives some defaults from the data (a tabular run's batch size and epochs
/// from its row count, an audio run's sample rate from its files), and so must know which keys the
/// file and its <c>--set</c> overrides gave: a value written out, even one equal to the built-in
/// default, is used as given. The binder fills it in; a config built in C# has none and
/// <see cref="GivenKeys.Has"/> then treats a value that differs from the built-in default as given.
/// </summary>
public interface IGivenKeys
{
    /// <summary>The dotted keys (<c>train.epochs</c>) the YAML gave, or null for a config built in C#.</summary>
    IReadOnlySet<string>? Given { get; set; }
}
