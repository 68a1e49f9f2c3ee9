using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Shared;

/// <summary>
/// One application (tabular, vision, ...): its config type and the three verbs of the workflow.
/// The CLI only ever talks to tasks through this interface.
/// </summary>
public interface IMLTask
{
    /// <summary>Name used in configs (<c>task: tabular</c>) and model folders.</summary>
    string Name { get; }

    /// <summary>One-line description for <c>hpclearn tasks</c>.</summary>
    string Description { get; }

    /// <summary>The config type that YAML binds onto (derives from <see cref="RunConfig"/>).</summary>
    Type ConfigType { get; }

    /// <summary>Trains, evaluates against the baseline, writes the run folder.</summary>
    RunSummary Train(RunConfig config, RunContext context);

    /// <summary>Writes predictions for the rows of <paramref name="inputPath"/> to <paramref name="output"/>.</summary>
    int Predict(string modelDir, string inputPath, TextWriter output);

    /// <summary>
    /// As <see cref="Predict(string, string, TextWriter)"/>, with warnings (e.g. an unreadable input
    /// file that was skipped) written to <paramref name="warnings"/> rather than lost.
    /// </summary>
    int Predict(string modelDir, string inputPath, TextWriter output, TextWriter warnings) => Predict(modelDir, inputPath, output);

    /// <summary>Metrics (and the baseline's) of a trained model on labelled data.</summary>
    RunSummary Evaluate(string modelDir, string dataPath, TextWriter log);
}
