using HpcLearn.Tasks.Clustering;
using HpcLearn.Tasks.Games;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Tasks.Pde;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Tasks.Vision;
using HpcLearn.Tasks.Audio;
using HpcLearn.Tasks.Text;

namespace HpcLearn.Tasks;

/// <summary>The built-in tasks, by name.</summary>
public static class TaskRegistry
{
    /// <summary>All tasks.</summary>
    public static IReadOnlyList<IMLTask> All { get; } = [new TabularTask(), new VisionTask(), new AudioTask(), new GamesTask(), new TextTask(), new RecommendTask(), new PdeTask(), new ClusterTask()];

    /// <summary>The task called <paramref name="name"/>, or a <see cref="UserError"/> listing the known ones.</summary>
    public static IMLTask Get(string name) => Find(name)
        ?? throw new UserError($"unknown task '{name}'; known tasks: {string.Join(", ", All.Select(t => t.Name))}");

    /// <summary>The task called <paramref name="name"/>, or null.</summary>
    public static IMLTask? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
