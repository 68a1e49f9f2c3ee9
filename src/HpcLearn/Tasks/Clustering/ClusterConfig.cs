using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// A cluster run's config (<c>task: cluster</c>): the shared keys plus <c>data</c> (the table) and
/// <c>model</c> (the algorithm). Clustering is no gradient descent: nothing of <c>train:</c> is read,
/// and a <c>train:</c> key set is refused, as is a device other than cpu. <c>hpclearn cluster DATA ...</c>
/// is the short form: its flags fill this record.
/// </summary>
public sealed record ClusterConfig : RunConfig, IValidatable
{
    private static readonly TrainOptions Unread = new();

    /// <summary>Creates a config with the task set to <c>cluster</c>.</summary>
    public ClusterConfig() => Task = ClusterTask.Name;

    /// <summary>The table and how to read it.</summary>
    public ClusterDataOptions Data { get; init; } = new();

    /// <summary>The algorithm and its settings.</summary>
    public ClusterModelOptions Model { get; init; } = new();

    /// <summary>The run's options: this config with <paramref name="threads"/> k-means threads and the run's <paramref name="stop"/> poll.</summary>
    public ClusterRunOptions ToRunOptions(int threads, Func<bool>? stop = null)
    {
        var (kMin, kMax) = Model.Algorithm == ClusterAlgorithm.Dbscan ? (1, 1) : Model.KRange();
        return new ClusterRunOptions
        {
            DataPath = Data.Path,
            Algorithm = Model.Algorithm,
            Covariance = Model.Covariance,
            Eps = Model.Eps,
            MinSamples = Model.MinSamples,
            KMin = kMin,
            KMax = kMax,
            Columns = Data.Columns.Count > 0 ? Data.Columns : null,
            Standardize = Data.Standardize,
            NInit = Model.NInit,
            Seed = Seed,
            LabelsColumn = Data.Labels,
            DropMissing = Data.DropMissing,
            Elkan = Model.Elkan,
            BatchSize = Model.BatchSize,
            Epochs = Model.Epochs,
            Stream = Data.Stream,
            ChunkRows = Data.ChunkRows,
            Threads = threads,
            Stop = stop,
        };
    }

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var key in UnreadTrainKeys())
            yield return ($"train.{key}", "is not read by the cluster task, which fits by k-means, EM or DBSCAN, not by gradient descent; remove it (mini-batch k-means takes model.batch_size and model.epochs)");
        if (!string.Equals(Device, "cpu", StringComparison.OrdinalIgnoreCase))
            yield return ("device", $"is '{Device}', but the cluster task runs on the CPU (its own SIMD kernels); remove it or set cpu");
        if (Data.Stream && Model.Algorithm != ClusterAlgorithm.MiniBatchKMeans)
            yield return ("data.stream", "runs mini-batch k-means only, which needs one chunk of rows at a time; set model.algorithm: minibatch (or leave out data.stream)");
        else if (Data.Stream && ClusterRunOptions.KProblem(Model.K, out int min, out int max) is null && max > min)
            yield return ("model.k", $"is the range {min}..{max}, but data.stream fits one k; choose k on a sample of the file in memory, then stream with that k");
    }

    // The keys of train: whose value differs from the default: set by the user, and not read here.
    private IEnumerable<string> UnreadTrainKeys()
    {
        var t = Train;
        if (t.Epochs != Unread.Epochs) yield return "epochs";
        if (t.BatchSize != Unread.BatchSize) yield return "batch_size";
        if (t.LearningRate != Unread.LearningRate) yield return "lr";
        if (t.Optimizer != Unread.Optimizer) yield return "optimizer";
        if (t.WeightDecay != Unread.WeightDecay) yield return "weight_decay";
        if (t.Schedule != Unread.Schedule) yield return "schedule";
        if (t.GradClip != Unread.GradClip) yield return "grad_clip";
        if (t.EarlyStoppingPatience != Unread.EarlyStoppingPatience) yield return "early_stopping_patience";
        if (t.CheckpointEvery != Unread.CheckpointEvery) yield return "checkpoint_every";
        if (t.KeepCheckpoints != Unread.KeepCheckpoints) yield return "keep_checkpoints";
        if (t.Calibrate != Unread.Calibrate) yield return "calibrate";
    }
}
