using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// Fits the network to replay-buffer batches: loss = −Σ π·log p (policy cross-entropy) +
/// (v − z)² (value MSE), weight decay in HpcLearn's own optimiser.
/// </summary>
public sealed class NetTrainer : IDisposable
{
    private readonly PolicyValueNet _net;
    private readonly int _batch;
    private readonly float[] _planes, _policies, _values;

    /// <summary>Creates a trainer for <paramref name="net"/> with the optimiser <paramref name="train"/> asks for.</summary>
    public NetTrainer(PolicyValueNet net, TrainOptions train)
    {
        _net = net;
        _batch = train.BatchSize;
        var p = net.parameters().ToList();
        Optimizer = OptimizerFactory.Create(train.Optimizer, p, train.LearningRate, train.WeightDecay);
        var g = net.Game;
        _planes = new float[_batch * Game.Planes * g.Cells];
        _policies = new float[_batch * g.ActionCount];
        _values = new float[_batch];
    }

    /// <summary>The optimiser (its state goes into checkpoints).</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Runs <paramref name="steps"/> optimiser steps; returns the mean policy and value losses.</summary>
    public (double Policy, double Value) Fit(ReplayBuffer buffer, int steps, Random rng)
    {
        var g = _net.Game;
        double sumP = 0, sumV = 0;
        _net.train();
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            buffer.Sample(_batch, rng, _planes, _policies, _values);
            var x = tensor(_planes, [_batch, Game.Planes, g.Rows, g.Cols]);   // (B, 3, H, W)
            var pi = tensor(_policies, [_batch, g.ActionCount]);              // (B, A)
            var z = tensor(_values, [_batch]);                                // (B)
            var (logits, v) = _net.forward(x);
            // Value-only examples (selfplay.solver_child_values) have no policy target: the policy loss is the mean over the others.
            int withPolicy = RowsWithPolicy(_policies, g.ActionCount);
            var policyLoss = withPolicy == _batch
                ? pi.mul(logits.log_softmax(1)).sum(1).mean().neg()
                : pi.mul(logits.log_softmax(1)).sum().div(Math.Max(1, withPolicy)).neg();
            var valueLoss = nn.functional.mse_loss(v, z);
            var loss = policyLoss.add(valueLoss, Constants.One);
            Optimizer.ZeroGrad();
            loss.backward();
            Optimizer.Step();
            sumP += (float)TensorScalar.Value(policyLoss);
            sumV += (float)TensorScalar.Value(valueLoss);
        }
        _net.eval();
        return steps == 0 ? (double.NaN, double.NaN) : (sumP / steps, sumV / steps);
    }

    /// <summary>The rows of <paramref name="policies"/> (each <paramref name="actions"/> wide) with any non-zero entry.</summary>
    internal static int RowsWithPolicy(float[] policies, int actions)
    {
        int rows = 0;
        for (int i = 0; i < policies.Length; i += actions)
            if (policies.AsSpan(i, actions).IndexOfAnyExcept(0f) >= 0) rows++;
        return rows;
    }

    /// <summary>Copies the weights (and batch-norm statistics) of <paramref name="from"/> into <paramref name="to"/>.</summary>
    public static void CopyWeights(PolicyValueNet from, PolicyValueNet to)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) from.save(w);
        ms.Position = 0;
        using var r = new BinaryReader(ms);
        to.load(r);
    }

    /// <inheritdoc />
    public void Dispose() => Optimizer.Dispose();
}
