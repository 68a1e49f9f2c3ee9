using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training.Optimizers;

/// <summary>
/// Our own first-order optimisers, the maths written out over libtorch tensor ops.
/// Why not TorchSharp's: their steps pass doubles as implicit <see cref="Scalar"/>s that only a
/// finalizer frees; a garbage collection during the native call (from any thread, even the
/// finalizer's) can free one while libtorch reads it. We saw AdamW die after ~1,700 steps with
/// "toFloat ... Expected false to be true" and "Unknown scalar type". Here every Scalar is
/// created for the step and disposed after it, so it is alive for the whole native call.
/// The update formulas and their order follow PyTorch's (and TorchSharp's) exactly.
/// </summary>
public abstract class Optimizer : IDisposable
{
    /// <summary>Creates an optimiser over <paramref name="parameters"/>.</summary>
    protected Optimizer(IEnumerable<Parameter> parameters, double lr)
    {
        Parameters = parameters.ToList();
        LearningRate = lr;
    }

    /// <summary>The parameters updated by <see cref="Step"/>.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Current learning rate (schedules set it before each step).</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps taken (bias correction uses it).</summary>
    public long StepCount { get; protected set; }

    /// <summary>
    /// A sharded step (data parallelism, see <see cref="Distributed.ShardedOptimizerStep"/>): when
    /// set, <see cref="Step"/> updates only the parameters i with <c>Owned[i]</c>, and another rank
    /// updates the rest and sends their new values. Null (the default): every parameter.
    /// </summary>
    public bool[]? Owned
    {
        get => _owned;
        set
        {
            if (value is not null && value.Length != Parameters.Count)
                throw new ArgumentException($"one flag per parameter: {Parameters.Count}, not {value.Length}", nameof(value));
            _owned = value;
        }
    }

    private bool[]? _owned;

    /// <summary>
    /// True after a sharded step until the state is gathered again: this rank's state is current
    /// only for its own parameters, so it must not be saved (checkpoints skip it).
    /// </summary>
    public bool StateIncomplete { get; set; }

    /// <summary>Clears the gradients.</summary>
    public void ZeroGrad()
    {
        using var scope = NewDisposeScope();
        if (ZeroAllGrads()) return;
        foreach (var p in Parameters) p.grad?.fill_(Constants.Zero);   // not zero_(): see Constants.Zero
    }

    /// <summary>Clears every gradient at once where the optimiser holds them in one buffer (<see cref="FlatParameters"/>); false: clear them one by one.</summary>
    protected virtual bool ZeroAllGrads() => false;

    /// <summary>
    /// Updates every parameter at once where the optimiser holds them in one buffer, with the same
    /// arithmetic as <see cref="Update"/> on each (<see cref="FlatParameters"/>); false: update them one by one.
    /// </summary>
    protected virtual bool UpdateAll() => false;

    /// <summary>Updates every parameter from its gradient.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        StepCount++;
        var owned = _owned;
        if (owned is null && UpdateAll()) return;
        for (int i = 0; i < Parameters.Count; i++)
        {
            if (owned is not null && !owned[i]) continue;
            var g = Parameters[i].grad;
            if (g is not null) Update(i, Parameters[i], g);
        }
        if (owned is not null) StateIncomplete = true;
    }

    /// <summary>Updates parameter <paramref name="index"/> in place from gradient <paramref name="grad"/>.</summary>
    protected abstract void Update(int index, Parameter p, Tensor grad);

    /// <summary>The per-parameter state tensors, in a fixed order (for checkpoints).</summary>
    protected abstract IEnumerable<Tensor> State();

    /// <summary>The state tensors of parameter <paramref name="index"/>, each shaped like it (Adam: m and v; SGD: the momentum buffer).</summary>
    public abstract IReadOnlyList<Tensor> StateOf(int index);

    /// <summary>Writes step count, learning rate and state tensors.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(GetType().Name);
        writer.Write(StepCount);
        writer.Write(LearningRate);
        foreach (var t in State()) t.Save(writer);
    }

    /// <summary>Reads what <see cref="Save"/> wrote, into this optimiser's tensors.</summary>
    public void Load(BinaryReader reader)
    {
        string kind = reader.ReadString();
        if (kind != GetType().Name)
            throw new UserError($"the checkpoint's optimiser is {kind}, but train.optimizer makes a {GetType().Name}; resume with the optimiser it was trained with");
        StepCount = reader.ReadInt64();
        LearningRate = reader.ReadDouble();
        foreach (var t in State()) t.Load(reader);
    }

    /// <summary>Disposes the state tensors.</summary>
    public void Dispose()
    {
        foreach (var t in State()) t.Dispose();
        DisposeFlat();
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the flat buffers of an optimiser that keeps them (the parameters keep their storage).</summary>
    protected virtual void DisposeFlat() { }
}
