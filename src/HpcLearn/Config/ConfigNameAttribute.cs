namespace HpcLearn.Config;

/// <summary>
/// The name of an options property or an enum value in config files, where the snake_case of its
/// C# name would not do: a C# name that reads better spelled out (<c>LearningRate</c>, key
/// <c>lr</c>) or that snake-cases badly (<c>AdamW</c> would be <c>adam_w</c>; the value is <c>adamw</c>).
/// </summary>
/// <param name="name">The key or value as written in YAML.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = true)]
public sealed class ConfigNameAttribute(string name) : Attribute
{
    /// <summary>The key or value as written in YAML.</summary>
    public string Name { get; } = name;
}
