using System.Reflection;
using Xunit;

namespace HpcLearn.Tests.Architecture;

/// <summary>
/// Dependencies point down only (docs/architecture.md), checked on the compiled HpcLearn.dll,
/// method bodies included (<see cref="TypeDependencies"/>). The rules (<see cref="LayerRules.ForHpcLearn"/>),
/// top to bottom:
/// <code>
/// Cli (its own assembly: may use anything)
/// Tasks            TaskRegistry: the one place that knows every task
/// Tasks.&lt;Task&gt;     Tabular, Vision, Audio, Recommend, Pde, Clustering, Games, Text: never each other
/// Tasks.Shared     what tasks share: IMLTask, the classifier run, SmallCnn, ResNet, classifier outputs
/// Training         Learner, callbacks, optimisers (one factory), distributed helpers
/// Runs             run session and folder, checkpoints, stop token, metrics log, reports, artifacts
/// Evaluation       metrics, baselines, calibration, plots
/// Data             sources, loaders, transforms
/// Cluster          environment, communicator, signals, Slurm: used from above only through its
///                  interfaces (ICommunicator, ICommandRunner and the records they name), and
///                  SingleCommunicator (the default where none is injected) and EnvironmentSnapshot
/// Config           options records and YAML binding: a leaf
/// HpcLearn (root)  UserError, WriteFailure, TorchRuntime, Nnpack, MklCpuPath: uses nothing of ours
/// </code>
/// A component uses only components below it; since that is one order, there are no circles.
/// </summary>
public sealed class LayerTests
{
    private static readonly Assembly HpcLearnAssembly = typeof(UserError).Assembly;

    private static IReadOnlyList<LayerViolation> Check(Assembly assembly, string root) =>
        LayerRules.ForHpcLearn(root).Check(TypeDependencies.Of(assembly, root), assembly);

    [Fact]
    public void HpcLearn_uses_its_layers_only_downwards()
    {
        var found = Check(HpcLearnAssembly, "HpcLearn");
        if (found.Count > 0)
            Assert.Fail($"{found.Count} uses against the layer rules (tests/HpcLearn.Tests/Architecture/LayerTests.cs):\n"
                + string.Join("\n", found.Select(v => $"{v}   [{v.Rule}]")));
    }

    [Fact]
    public void Every_namespace_of_HpcLearn_has_a_place_in_the_rules()
    {
        var rules = LayerRules.ForHpcLearn("HpcLearn");
        var homeless = HpcLearnAssembly.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(ns => ns.StartsWith("HpcLearn", StringComparison.Ordinal) && rules.Component(ns) is null).Distinct().ToList();
        Assert.Empty(homeless);
    }

    [Fact]
    public void An_upward_use_inside_a_lambda_is_reported_as_exactly_that_edge()
    {
        const string root = "HpcLearn.Tests.Architecture.Fixture.Upward";
        var found = Check(typeof(LayerTests).Assembly, root);
        var v = Assert.Single(found);
        Assert.Equal($"{root}.Runs.RunFolder → {root}.Training.Learner (Open)", v.ToString());
        Assert.Equal("Runs uses Training, a layer above it", v.Rule);
    }

    [Fact]
    public void A_task_folder_using_another_and_a_concrete_cluster_type_are_reported()
    {
        const string root = "HpcLearn.Tests.Architecture.Fixture.Sideways";
        var found = Check(typeof(LayerTests).Assembly, root).Select(v => $"{v}   [{v.Rule}]");
        Assert.Equal(
        [
            $"{root}.Tasks.Audio.AudioTask → {root}.Tasks.Vision.VisionModels (Layers)   [Tasks.Audio uses its sibling Tasks.Vision]",
            $"{root}.Training.Learner → {root}.Cluster.StopSignals (Poll)   [Training uses Cluster other than through its interfaces]",
        ], found);
    }

    [Theory]
    [InlineData("HpcLearn", "")]
    [InlineData("HpcLearn.Training.Callbacks", "Training")]
    [InlineData("HpcLearn.Tasks", "Tasks")]
    [InlineData("HpcLearn.Tasks.Vision", "Tasks.Vision")]
    [InlineData("HpcLearn.Tasks.Text.Sub", "Tasks.Text")]
    [InlineData("HpcLearn.Tasks.Shared", "Tasks.Shared")]
    [InlineData("HpcLearn.Cluster.Slurm", "Cluster")]
    [InlineData("HpcLearn.Plugins", null)]
    [InlineData("HpcLearnish", null)]
    public void Namespaces_map_to_their_folders_component(string ns, string? component)
    {
        Assert.Equal(component, LayerRules.ForHpcLearn("HpcLearn").Component(ns)?.Name);
    }
}
