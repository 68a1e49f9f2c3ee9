using static TorchSharp.torch;

namespace HpcLearn.Tasks.Games;

/// <summary>Evaluates positions with a <see cref="PolicyValueNet"/> in eval mode: one forward pass per batch.</summary>
public sealed class NetworkPolicyValue(PolicyValueNet net) : IPolicyValue
{
    private float[] _input = [];

    /// <inheritdoc />
    public Game Game => net.Game;

    /// <summary>The network.</summary>
    public PolicyValueNet Net => net;

    /// <summary>Positions evaluated so far.</summary>
    public long Positions { get; private set; }

    /// <inheritdoc />
    public void Evaluate(IReadOnlyList<GameState> states, float[] priors, float[] values)
    {
        int n = states.Count, size = Game.Planes * Game.Cells, actions = Game.ActionCount;
        if (_input.Length < n * size) _input = new float[n * size * 2];
        for (int i = 0; i < n; i++) states[i].Encode(_input.AsSpan(i * size, size));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (net.training) net.eval();
        using var x = tensor(_input.AsSpan(0, n * size).ToArray(), [n, Game.Planes, Game.Rows, Game.Cols]);
        var (logits, value) = net.forward(x);
        var p = logits.softmax(1);
        p.data<float>().CopyTo(priors.AsSpan(0, n * actions));
        value.data<float>().CopyTo(values.AsSpan(0, n));
        Positions += n;
    }
}
