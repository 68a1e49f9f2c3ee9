using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// AlphaZero's network, small: a 3×3 convolution stem, residual blocks, and two heads —
/// policy logits over the actions and a value in [-1, 1] for the player to move.
/// Input: the canonical encoding (B, 3, rows, cols) of <see cref="GameState.Encode"/>, to which
/// <see cref="Games.ThreatPlanes"/> adds its fixed planes when the options ask for them.
/// </summary>
public sealed class PolicyValueNet : nn.Module<Tensor, (Tensor Logits, Tensor Value)>
{
    private readonly Sequential stem, policyConv, valueConv;
    private readonly ThreatPlanes? threats;
    private readonly ModuleList<ResidualBlock> blocks = new();
    private readonly Linear policyFc, valueFc1, valueFc2;

    /// <summary>Creates the network for <paramref name="game"/> with <paramref name="options"/>.</summary>
    public PolicyValueNet(Game game, GameNetOptions options) : base(nameof(PolicyValueNet))
    {
        Game = game;
        Options = options;
        int c = options.Channels, cells = game.Cells;
        if (options.ThreatPlanes) threats = new ThreatPlanes(game);
        stem = nn.Sequential(nn.Conv2d(InputPlanes(options), c, 3, padding: 1, bias: false), nn.BatchNorm2d(c), nn.ReLU());
        for (int i = 0; i < options.Blocks; i++) blocks.Add(new ResidualBlock(c));
        int pc = options.PolicyChannels, vc = options.ValueChannels;
        policyConv = nn.Sequential(nn.Conv2d(c, pc, 1, bias: false), nn.BatchNorm2d(pc), nn.ReLU());
        policyFc = nn.Linear(pc * cells, game.ActionCount);
        valueConv = nn.Sequential(nn.Conv2d(c, vc, 1, bias: false), nn.BatchNorm2d(vc), nn.ReLU());
        valueFc1 = nn.Linear(vc * cells, options.ValueHidden);
        valueFc2 = nn.Linear(options.ValueHidden, 1);
        RegisterComponents();
        ConvolutionCheck.Ensure(this); // oneDNN off for the process if it computes these shapes wrong on this CPU
    }

    /// <summary>The parameters of the network for <paramref name="game"/>, computed without building it (in double: it cannot overflow).</summary>
    public static double CountParameters(Game game, GameNetOptions options)
    {
        double c = options.Channels, cells = game.Cells, hidden = options.ValueHidden;
        double pc = options.PolicyChannels, vc = options.ValueChannels;
        return 9 * InputPlanes(options) * c + 2 * c        // stem: conv + batch norm
            + options.Blocks * (18 * c * c + 4 * c)         // two 3x3 convs + two batch norms a block
            + pc * c + 2 * pc + (pc * cells + 1) * game.ActionCount // policy head
            + vc * c + 2 * vc + (vc * cells + 1) * hidden + hidden + 1; // value head
    }

    /// <summary>Input planes of the first convolution: the encoding's, and <see cref="ThreatPlanes.Added"/> more with threat planes.</summary>
    public static int InputPlanes(GameNetOptions options) => Game.Planes + (options.ThreatPlanes ? ThreatPlanes.Added : 0);

    /// <summary>The game.</summary>
    public Game Game { get; }

    /// <summary>The architecture.</summary>
    public GameNetOptions Options { get; }

    /// <summary>(B, 3, rows, cols) → policy logits (B, actions) and value (B).</summary>
    public override (Tensor Logits, Tensor Value) forward(Tensor x)
    {
        if (threats is not null) x = threats.forward(x);                // (B, 3 + 4, H, W)
        var h = stem.forward(x);                                        // (B, C, H, W)
        foreach (var block in blocks) h = block.forward(h);             // (B, C, H, W)
        var p = policyConv.forward(h).flatten(1);                       // (B, policy channels·H·W)
        var logits = policyFc.forward(p);                               // (B, A)
        var v = valueConv.forward(h).flatten(1);                        // (B, value channels·H·W)
        v = valueFc1.forward(v).relu_();                                // (B, hidden)
        var value = valueFc2.forward(v).tanh_().squeeze(1);             // (B)
        return (logits, value);
    }
}
