using System.Text.Json.Nodes;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// A trained agent's model folder: <c>model.safetensors</c> and <c>model.json</c> whose details
/// name the game, the network shape and the search settings it plays with.
/// </summary>
public sealed class GameModel : IDisposable
{
    private GameModel(string directory, Game game, PolicyValueNet net, int simulations, double cPuct)
    {
        Directory = directory; Game = game; Net = net; Simulations = simulations; CPuct = cPuct;
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }
    /// <summary>The game it plays.</summary>
    public Game Game { get; }
    /// <summary>The network (eval mode).</summary>
    public PolicyValueNet Net { get; }
    /// <summary>Simulations per move it was evaluated with.</summary>
    public int Simulations { get; }
    /// <summary>PUCT's exploration constant.</summary>
    public double CPuct { get; }

    /// <summary>The most simulations a move a model folder may ask for: 1,000,000 (AlphaZero used 800).</summary>
    public const int MaxSimulations = 1_000_000;

    /// <summary>model.json's task-specific part.</summary>
    public static JsonObject Details(Game game, GameNetOptions net, int simulations, double cPuct) => new()
    {
        ["game"] = game.Name,
        ["channels"] = net.Channels,
        ["blocks"] = net.Blocks,
        ["value_hidden"] = net.ValueHidden,
        ["policy_channels"] = net.PolicyChannels,
        ["value_channels"] = net.ValueChannels,
        ["threat_planes"] = net.ThreatPlanes,
        ["simulations"] = simulations,
        ["c_puct"] = cPuct,
    };

    /// <summary>Loads a model folder written by a games run; a model of another task is a <see cref="UserError"/>.</summary>
    public static GameModel Load(string directory)
    {
        var manifest = ModelArtifact.LoadManifest(directory, GamesTask.Name);
        var d = manifest.Details;
        string path = Path.Combine(directory, ModelArtifact.ManifestFile);
        string name = d["game"]?.GetValue<string>() ?? throw new UserError($"{path}: details.game is missing; the model folder is incomplete");
        var game = GameCatalog.Get(name, path);
        GameNetOptions options;
        int simulations;
        double cPuct;
        try
        {
            options = new GameNetOptions
            {
                Channels = d["channels"]?.GetValue<int>() ?? 0,
                Blocks = d["blocks"]?.GetValue<int>() ?? 0,
                ValueHidden = d["value_hidden"]?.GetValue<int>() ?? 0,
                PolicyChannels = d["policy_channels"]?.GetValue<int>() ?? GameNetOptions.Defaults.PolicyChannels, // before the key: AlphaZero's heads
                ValueChannels = d["value_channels"]?.GetValue<int>() ?? GameNetOptions.Defaults.ValueChannels,
                ThreatPlanes = d["threat_planes"]?.GetValue<bool>() ?? GameNetOptions.Defaults.ThreatPlanes,
            };
            simulations = d["simulations"]?.GetValue<int>() ?? 100;
            cPuct = d["c_puct"]?.GetValue<double>() ?? 1.5;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new UserError($"{path}: the games details hold a value of the wrong type ({e.Message}); train the model again", e);
        }
        // Bounds before the network is built: a forged width must not allocate gigabytes.
        var check = new ArchitectureCheck(path);
        check.Width("details.channels", options.Channels);
        check.Depth("details.blocks", options.Blocks, min: 0);
        check.Width("details.value_hidden", options.ValueHidden);
        check.Width("details.policy_channels", options.PolicyChannels);
        check.Width("details.value_channels", options.ValueChannels);
        check.Range("details.simulations", simulations, 1, MaxSimulations);
        check.Positive("details.c_puct", cPuct);
        check.Parameters(PolicyValueNet.CountParameters(game, options));
        var net = new PolicyValueNet(game, options);
        try { ModelArtifact.LoadWeights(directory, net); }
        catch { net.Dispose(); throw; }
        net.eval();
        return new GameModel(directory, game, net, simulations, cPuct);
    }

    /// <summary>The game of the model folder at <paramref name="directory"/>, without loading weights.</summary>
    public static Game GameOf(string directory)
    {
        var manifest = ModelArtifact.LoadManifest(directory, GamesTask.Name);
        return GameCatalog.Get(manifest.Details["game"]?.GetValue<string>() ?? "", Path.Combine(directory, ModelArtifact.ManifestFile));
    }

    /// <summary>
    /// An agent that plays with this network and <paramref name="simulations"/> (default: the
    /// model's) per move, with MCTS-Solver unless <paramref name="solver"/> is false.
    /// </summary>
    public AgentPlayer Player(string name, int seed, int? simulations = null, int sampledMoves = 0, bool solver = true)
        => new(name, new NetworkPolicyValue(Net), new MctsOptions { Simulations = simulations ?? Simulations, CPuct = CPuct, Solver = solver }, seed, sampledMoves);

    /// <inheritdoc />
    public void Dispose() => Net.Dispose();
}
