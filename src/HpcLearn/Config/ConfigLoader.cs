using YamlDotNet.RepresentationModel;

namespace HpcLearn.Config;

/// <summary>
/// Loads a run config: reads the YAML, applies <c>--set key=value</c> overrides, picks the
/// config type from the <c>task</c> key and binds the whole document onto it.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads the config file at <paramref name="path"/>.</summary>
    /// <param name="path">The YAML file, named in error messages as given.</param>
    /// <param name="overrides">Overrides like <c>train.epochs=5</c> or <c>model.layers=[64,32]</c>, applied in order.</param>
    /// <param name="configTypeForTask">
    /// The config type (derived from <see cref="RunConfig"/>) for a task name, or null when the task
    /// is unknown; it may instead throw its own <see cref="UserError"/> listing the tasks.
    /// </param>
    /// <param name="knownTasks">Task names to suggest from when the task is unknown.</param>
    /// <exception cref="UserError">The file is missing or unreadable, or its content is not a valid config.</exception>
    public static RunConfig Load(string path, IEnumerable<string> overrides, Func<string, Type?> configTypeForTask,
        IReadOnlyCollection<string>? knownTasks = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserError($"config file '{path}' not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"cannot read config file '{path}': {e.Message}", e);
        }
        return LoadFromText(text, path, overrides, configTypeForTask, knownTasks);
    }

    /// <summary>Loads a config from YAML text (tests, built-in example configs).</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="displayName">The name shown in error messages in place of a file path.</param>
    /// <param name="overrides">As for <see cref="Load"/>.</param>
    /// <param name="configTypeForTask">As for <see cref="Load"/>.</param>
    /// <param name="knownTasks">As for <see cref="Load"/>.</param>
    /// <exception cref="UserError">The text is not a valid config.</exception>
    public static RunConfig LoadFromText(
        string yaml, string displayName, IEnumerable<string> overrides, Func<string, Type?> configTypeForTask,
        IReadOnlyCollection<string>? knownTasks = null)
    {
        var source = new ConfigSource(displayName);
        var root = YamlText.Parse(yaml, displayName) ?? new YamlMappingNode();
        if (root is not YamlMappingNode map)
        {
            throw source.Error(root, $"expected a mapping of keys at the top level (e.g. 'task: ...'), got {YamlText.Describe(root)}");
        }
        ConfigOverrides.Apply(map, overrides, source);

        var taskKey = map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: "task" })
            ?? throw source.Error(map, "missing key 'task' (which task to run)");
        var taskNode = map.Children[taskKey];
        if (taskNode is not YamlScalarNode { Value: { } task } || YamlText.IsNull(taskNode) || task.Trim().Length == 0)
        {
            throw source.Error(taskNode, $"'task' expects a task name, got {YamlText.Describe(taskNode)}");
        }
        var type = configTypeForTask(task.Trim()) ?? throw source.Error(taskNode, UnknownTask(task.Trim(), knownTasks));
        if (!typeof(RunConfig).IsAssignableFrom(type))
        {
            throw new InvalidOperationException($"The config type for task '{task}' ({type.Name}) does not derive from RunConfig.");
        }
        return (RunConfig)ConfigBinder.Bind(type, map, source, "");
    }

    private static string UnknownTask(string task, IReadOnlyCollection<string>? known)
    {
        if (known is null || known.Count == 0) return $"unknown task '{task}'";
        string? near = KeySuggestion.Nearest(task, known);
        return $"unknown task '{task}'; {(near is null ? "" : $"did you mean '{near}'? ")}known tasks: {string.Join(", ", known)}";
    }
}
