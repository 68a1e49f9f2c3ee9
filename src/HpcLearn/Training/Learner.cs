using HpcLearn.Config;
using HpcLearn.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>
/// Model + data + loss + optimiser + metrics + callbacks. The loop is short on purpose:
/// anything optional (progress, logs, checkpoints, clipping, guards, all-reduce) is a
/// <see cref="Callback"/>.
/// </summary>
/// <remarks>
/// The training state (<see cref="Epoch"/>, <see cref="Step"/>, <see cref="Progress"/>,
/// <see cref="History"/>, ...) is read-only from outside: the loop and checkpoint restore set it.
/// Every fit takes a <see cref="CancellationToken"/>; cancelling it stops the fit cleanly, as a
/// stop signal does (see <see cref="Fit"/>), and <see cref="Continue"/> picks it up again.
/// </remarks>
public sealed partial class Learner : IDisposable
{
    private readonly List<Callback> _callbacks = new();

    /// <summary>Creates a learner and its optimiser from <paramref name="options"/>.</summary>
    public Learner(
        nn.Module<Tensor[], Tensor> model,
        TensorDataLoader train,
        TensorDataLoader? valid,
        LossFunction loss,
        TrainOptions? options = null,
        MetricsFunction? metrics = null,
        IEnumerable<Callback>? callbacks = null,
        Device? device = null)
    {
        TorchRuntime.TuneMalloc();
        TorchRuntime.PrepareKernels(); // NNPACK off, oneMKL's fast kernels on AMD CPUs too
        // Fewer threads than libtorch's default when other processes keep the cores busy (once; not after SetThreads).
        TorchRuntime.TuneThreads();
        ConvolutionCheck.Ensure(model); // a C# user's own network: its convolutions checked against float64 once per shape
        Device = device ?? CPU;
        // Before the optimiser exists: its state tensors are made on the parameters' device.
        if (Device.type != DeviceType.CPU) model.to(Device);
        Model = model;
        Train = train;
        Valid = valid;
        Loss = loss;
        Options = options ?? new TrainOptions();
        Metrics = metrics;
        Optimizer = CreateOptimizer(model, Options);
        foreach (var c in callbacks ?? []) AddCallback(c);
    }

    /// <summary>The model being trained.</summary>
    public nn.Module<Tensor[], Tensor> Model { get; }
    /// <summary>
    /// The ranks of a data-parallel run: each epoch's training loss is averaged over them (weighted
    /// by examples), so every rank records the same history. A single process by default.
    /// </summary>
    public Cluster.ICommunicator Communicator { get; init; } = new Cluster.SingleCommunicator();
    /// <summary>Where the model and each batch live (data loaders stay on the CPU).</summary>
    public Device Device { get; }
    /// <summary>Training batches.</summary>
    public TensorDataLoader Train { get; }
    /// <summary>Validation batches, if any.</summary>
    public TensorDataLoader? Valid { get; }
    /// <summary>The loss.</summary>
    public LossFunction Loss { get; }
    /// <summary>Validation metrics, if any.</summary>
    public MetricsFunction? Metrics { get; }
    /// <summary>Optimisation settings.</summary>
    public TrainOptions Options { get; }
    /// <summary>The optimiser (its state is checkpointed).</summary>
    public Optimizers.Optimizer Optimizer { get; }
    /// <summary>Callbacks in run order.</summary>
    public IReadOnlyList<Callback> Callbacks => _callbacks;

    /// <summary>Completed epochs.</summary>
    public int Epoch { get; internal set; }
    /// <summary>Optimiser steps taken.</summary>
    public long Step { get; internal set; }
    /// <summary>The fit in progress (or last run).</summary>
    public FitPlan? Plan { get; internal set; }
    /// <summary>
    /// The data cursor: progress inside the current, unfinished epoch (zero at epoch boundaries).
    /// A stop mid-epoch (a deadline, a signal) leaves it set; checkpoints save it, and the next
    /// fit continues the epoch from the next batch, so a resumed run sees exactly the batches
    /// the uninterrupted run would have.
    /// </summary>
    public EpochProgress Progress { get; internal set; } = EpochProgress.None;
    /// <summary>One record per completed epoch.</summary>
    public IReadOnlyList<EpochRecord> History => _history;
    private readonly List<EpochRecord> _history = new();
    /// <summary>Why the last fit stopped early (null if it ran all its epochs).</summary>
    public string? StopReason { get; private set; }
    /// <summary>Set by a callback that stops training because it diverged.</summary>
    public bool Diverged { get; internal set; }
    /// <summary>
    /// Set by a callback that stops training because the process must end (a deadline, a signal):
    /// the fit is unfinished, its checkpoint holds the exact position, and a resume continues it.
    /// A cancelled <see cref="CancellationToken"/> sets it too.
    /// </summary>
    public bool Interrupted { get; internal set; }
    /// <summary>Current learning rate.</summary>
    public double LearningRate => Optimizer.LearningRate;

    /// <summary>Adds a callback, keeping the list in <see cref="Callback.Order"/>.</summary>
    public void AddCallback(Callback callback)
    {
        // Insert after every callback of the same or lower order: ties keep insertion order.
        int at = _callbacks.FindIndex(c => c.Order > callback.Order);
        _callbacks.Insert(at < 0 ? _callbacks.Count : at, callback);
    }

    /// <summary>Trains <paramref name="epochs"/> more epochs at the constant rate <see cref="TrainOptions.LearningRate"/>.</summary>
    /// <param name="epochs">Epochs to add.</param>
    /// <param name="cancellationToken">
    /// Stops the fit before the next batch once cancelled: no exception, and no batch cut in half.
    /// The stop is the one a stop signal makes: <see cref="Interrupted"/> is set, <see cref="StopReason"/>
    /// says <c>cancelled</c>, the callbacks' <see cref="Callback.OnFitEnd"/> runs (so a
    /// checkpoint callback saves the exact position), and <see cref="Continue"/> goes on from the next
    /// batch. Under data parallelism the ranks agree on it (one small all-reduce per batch, only when
    /// the token can be cancelled): every rank must pass a cancellable token, or none.
    /// </param>
    public void Fit(int epochs, CancellationToken cancellationToken = default) =>
        Run(NewPlan(ScheduleKind.Constant, Options.LearningRate, epochs), cancellationToken);

    /// <summary>Trains <paramref name="epochs"/> more epochs with the one-cycle schedule peaking at <paramref name="maxLr"/>.</summary>
    /// <param name="epochs">Epochs to add.</param>
    /// <param name="maxLr">The peak learning rate.</param>
    /// <param name="cancellationToken">Stops the fit cleanly before the next batch, as in <see cref="Fit"/>.</param>
    public void FitOneCycle(int epochs, double maxLr, CancellationToken cancellationToken = default) =>
        Run(NewPlan(ScheduleKind.OneCycle, maxLr, epochs), cancellationToken);

    /// <summary>Trains as <see cref="TrainOptions"/> says (schedule, rate, epochs).</summary>
    /// <param name="cancellationToken">Stops the fit cleanly before the next batch, as in <see cref="Fit"/>.</param>
    public void FitFromOptions(CancellationToken cancellationToken = default) =>
        Run(NewPlan(Options.Schedule, Options.LearningRate, Options.Epochs), cancellationToken);

    /// <summary>
    /// Continues the fit in progress to its last epoch: one a restored checkpoint was part of, or
    /// one that was stopped (cancelled, interrupted), from its next batch.
    /// </summary>
    /// <param name="cancellationToken">Stops the fit cleanly before the next batch, as in <see cref="Fit"/>.</param>
    public void Continue(CancellationToken cancellationToken = default)
    {
        if (Plan is null) throw new InvalidOperationException("no fit to continue: restore a checkpoint first");
        Run(Plan, cancellationToken);
    }

    private FitPlan NewPlan(ScheduleKind kind, double lr, int epochs)
    {
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), "must be at least 1");
        return new FitPlan(kind, lr, Step, (long)epochs * Train.BatchesPerEpoch, Epoch + epochs);
    }

    private void Run(FitPlan plan, CancellationToken cancellationToken)
    {
        Plan = plan;
        StopReason = null;
        Diverged = false;
        Interrupted = false;
        var schedule = plan.ToSchedule();
        // Subnormal floats flushed to zero on this thread while fitting (as the CLI does for the
        // whole process), then the caller's setting back: see TorchRuntime.FlushDenormals.
        var denormals = TorchRuntime.FlushDenormals();
        try
        {
            foreach (var c in _callbacks) c.OnFitStart(this);
            Progress = Progress.ForRank(Communicator.Rank, Communicator.Size);
            try
            {
                while (Epoch < plan.LastEpoch && StopReason is null && !StopIfCancelled(cancellationToken))
                    RunEpoch(plan, schedule, cancellationToken);
                // Stopped inside an epoch (all ranks at the same batch): keep every rank's loss sums
                // for the checkpoint, so the resumed epoch's mean is the uninterrupted one's.
                if (StopReason is not null && Communicator.Size > 1 && Progress.Batches > 0 && !Diverged) GatherProgress();
            }
            finally
            {
                foreach (var c in _callbacks) c.OnFitEnd(this);
            }
        }
        finally
        {
            TorchRuntime.RestoreDenormals(denormals);
        }
    }

    // Compiled fully optimised at once: a fit calls it once per epoch, so with tiered compilation the
    // per-step loop would run as tier-0/on-stack-replacement code for the first 30 epochs (most runs).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void RunEpoch(FitPlan plan, Schedule schedule, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var c in _callbacks) c.OnEpochStart(this);
        Model.train();
        var progress = Progress;
        int first = progress.Batches;
        foreach (var batch in Train.Epoch(Epoch, progress.Batches))
        {
            using var scope = torch.NewDisposeScope();
            using (batch)
            {
                // Not before the epoch's first batch: the loop's condition has just looked.
                if (progress.Batches > first && StopIfCancelled(cancellationToken)) break;
                SetLearningRate(schedule.LearningRate(Step - plan.StartStep, plan.TotalSteps));
                Optimizer.ZeroGrad();
                var (inputs, target) = OnDevice(batch);
                var loss = Loss(Model.forward(inputs), target);
                RankWeighted(loss, batch.Size, progress.Batches).backward();
                foreach (var c in _callbacks) c.AfterBackward(this);
                Optimizer.Step();
                Step++;
                double value = TensorScalar.Value(loss);
                Progress = progress = new EpochProgress(progress.Batches + 1, progress.LossSum + value * batch.Size, progress.Examples + batch.Size);
                if (Notify(c => c.OnBatchEnd(this, value)) is { } why) { StopReason ??= why; break; }
            }
        }
        // A diverged epoch is not recorded or saved; a stopped one stays open at its data cursor.
        if (Diverged || progress.Batches < Train.BatchesPerEpoch) return;
        Epoch++;
        Progress = EpochProgress.None;
        var eval = Valid is null ? null : Communicator.Size > 1 ? EvaluateShared(Valid) : Evaluate(Valid);
        double trainLoss = progress.Examples == 0 ? double.NaN : progress.LossSum / progress.Examples;
        if (Communicator.Size > 1) trainLoss = Distributed.DistributedMetrics.Mean(Communicator, trainLoss, progress.Examples);
        var record = new EpochRecord(Epoch, Step, trainLoss,
            eval?.Loss ?? double.NaN, eval?.Metrics ?? new Dictionary<string, double>(),
            LearningRate, clock.Elapsed.TotalSeconds);
        eval?.Outputs.Dispose();
        eval?.Targets.Dispose();
        _history.Add(record);
        if (Notify(c => c.OnEpochEnd(this, record)) is { } reason) StopReason ??= reason;
    }

    // The loss whose gradient, summed over the ranks and divided by their count (the all-reduce),
    // is the mean gradient over the global batch: this rank's mean loss × its share of the batch ×
    // ranks. With every rank holding the same count that factor is 1 and the loss is used as it is;
    // it differs only when a run resumed on another number of ranks splits the global batch unevenly.
    // (The loss must be a mean over the batch, as every built-in one is.)
    private Tensor RankWeighted(Tensor loss, long examples, int batchIndex)
    {
        int ranks = Communicator.Size;
        if (ranks == 1) return loss;
        long global = Train.GlobalBatchExamples(batchIndex);
        if (examples * ranks == global) return loss;
        using var weight = torch.tensor((double)examples * ranks / global, dtype: loss.dtype, device: loss.device);
        return loss.mul(weight);
    }

    /// <summary>The stop reason of a fit (or a task's own loop) ended by its cancellation token.</summary>
    public const string CancelledReason = RunStop.CancelledReason;

    // A cancelled token stops the fit where a stop signal would: between batches, as an
    // interruption that a checkpoint keeps and Continue resumes. Data-parallel ranks decide together.
    private bool StopIfCancelled(CancellationToken token)
    {
        if (!CancelledOnAnyRank(token)) return false;
        Interrupted = true;
        StopReason ??= CancelledReason;
        return true;
    }

    /// <summary>
    /// Names what cancelled the token (a stop signal: the CLI cancels the token on the same signals
    /// that <see cref="Callbacks.DeadlineCallback"/> watches, and either may see it first).
    /// </summary>
    internal void ExplainCancellation(string reason)
    {
        if (StopReason == CancelledReason) StopReason = reason;
    }

    // Whether the token is cancelled here or on another rank: every rank gets the same answer.
    private bool CancelledOnAnyRank(CancellationToken token)
    {
        if (!token.CanBeCanceled) return false;
        bool cancelled = token.IsCancellationRequested;
        if (Communicator.Size == 1) return cancelled;
        Span<double> flag = [cancelled ? 1 : 0];
        Communicator.AllReduceMax(flag);
        return flag[0] > 0;
    }

    /// <summary>Replaces the history with a restored checkpoint's.</summary>
    internal void RestoreHistory(IEnumerable<EpochRecord> history)
    {
        _history.Clear();
        _history.AddRange(history);
    }

    private void GatherProgress()
    {
        int size = Communicator.Size, rank = Communicator.Rank;
        var data = new double[2 * size];
        data[2 * rank] = Progress.LossSum;
        data[2 * rank + 1] = Progress.Examples;
        Communicator.AllGather(data.AsSpan(), Enumerable.Repeat(2, size).ToArray());
        Progress = Progress with
        {
            RankLossSums = Enumerable.Range(0, size).Select(r => data[2 * r]).ToArray(),
            RankExamples = Enumerable.Range(0, size).Select(r => (long)data[2 * r + 1]).ToArray(),
        };
    }

    private string? Notify(Func<Callback, LoopAction> hook)
    {
        string? reason = null;
        foreach (var c in _callbacks)
            if (hook(c) == LoopAction.Stop) reason ??= c.GetType().Name;
        return reason;
    }

    private (Tensor[] Inputs, Tensor Target) OnDevice(Batch batch) => Device.type == DeviceType.CPU
        ? (batch.Inputs, batch.Target)
        : (batch.Inputs.Select(t => t.to(Device)).ToArray(), batch.Target.to(Device));

    /// <summary>Why training stopped, as said by the callback that stopped it.</summary>
    public void RequestStop(string reason) => StopReason ??= reason;

    /// <summary>Sets the learning rate of every parameter group.</summary>
    public void SetLearningRate(double lr)
    {
        Optimizer.LearningRate = lr;
    }

    /// <summary>Loss and metrics over <paramref name="data"/>, in evaluation mode, without gradients.</summary>
    public EvaluationResult Evaluate(TensorDataLoader data)
    {
        var outputs = PredictBatches(data, out var targets);
        return Score(outputs, targets);
    }

    // Loss and metrics of outputs against targets, which the result then owns.
    private EvaluationResult Score(Tensor outputs, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        double loss = TensorScalar.Value(Loss(outputs, targets));
        var metrics = Metrics?.Invoke(outputs, targets) ?? new Dictionary<string, double>();
        return new EvaluationResult(loss, metrics, outputs, targets);
    }

    /// <summary>Model outputs for the given inputs, computed in batches without gradients.</summary>
    public Tensor Predict(Tensor[] inputs, int batchSize = 1024)
    {
        using var dummy = zeros(inputs[0].shape[0]);
        using var loader = new TensorDataLoader(inputs, dummy, batchSize, shuffle: false, leaveOpen: true);
        var outputs = PredictBatches(loader, out var targets);
        targets.Dispose();
        return outputs;
    }

    // Batches [first, first + count) of the loader's first epoch (all of them by default). Called once
    // an epoch, so compiled optimised at once (see RunEpoch).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private Tensor PredictBatches(TensorDataLoader data, out Tensor targets, int first = 0, int count = int.MaxValue)
    {
        Model.eval();
        using var noGrad = torch.no_grad();
        var outs = new List<Tensor>();
        var tgts = new List<Tensor>();
        foreach (var batch in data.Epoch(0, first).Take(count))
        {
            using (batch)
            {
                var (inputs, _) = OnDevice(batch);
                outs.Add(Model.forward(inputs).detach().cpu());
                tgts.Add(batch.Target.clone());
            }
        }
        var outputs = cat(outs, 0);
        targets = cat(tgts, 0);
        foreach (var t in outs.Concat(tgts)) t.Dispose();
        return outputs;
    }

    /// <summary>Writes model and optimiser state (for checkpoints and the LR finder).</summary>
    public void SaveState(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Model.save(w);
        Optimizer.Save(w);
    }

    /// <summary>Reads model and optimiser state written by <see cref="SaveState"/>.</summary>
    public void LoadState(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Model.load(r);
        Optimizer.Load(r);
    }

    private static Optimizers.Optimizer CreateOptimizer(nn.Module model, TrainOptions o) =>
        Optimizers.OptimizerFactory.Create(o.Optimizer, model.parameters(), o.LearningRate, o.WeightDecay);

    /// <summary>Disposes the optimiser and disposable callbacks (the model belongs to the caller).</summary>
    public void Dispose()
    {
        Optimizer.Dispose();
        foreach (var c in _callbacks.OfType<IDisposable>()) c.Dispose();
    }
}
