using HpcLearn.Tasks.Games;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using static HpcLearn.Tests.Training.ModelJson;

namespace HpcLearn.Tests.Tasks.Games;

/// <summary>A small untrained agent's folder, then its model.json damaged one number at a time.</summary>
public sealed class GameModelTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly GameNetOptions Options = new() { Channels = 4, Blocks = 1, ValueHidden = 8 };

    private string Save()
    {
        string dir = _dir["model"];
        using var net = new PolicyValueNet(TicTacToe.Instance, Options);
        ModelArtifact.Save(dir, net, new ModelManifest { Task = GamesTask.Name, Details = GameModel.Details(TicTacToe.Instance, Options, 20, 1.5) });
        return dir;
    }

    private static string Load(string dir) => Error(() => GameModel.Load(dir).Dispose());

    [Fact]
    public void The_parameter_count_from_the_architecture_is_the_networks()
    {
        foreach (var game in GameCatalog.All)
        {
            foreach (var options in new[] { new GameNetOptions { Channels = 5, Blocks = 2, ValueHidden = 7 },
                         new GameNetOptions { Channels = 16, Blocks = 1, ValueHidden = 7, PolicyChannels = 3, ValueChannels = 5 },
                         new GameNetOptions { Channels = 16, Blocks = 1, ValueHidden = 7, ThreatPlanes = true } })
            {
                using var net = new PolicyValueNet(game, options);
                Assert.Equal(net.parameters().Sum(p => p.numel()), PolicyValueNet.CountParameters(game, options));
            }
        }
    }

    [Fact]
    public void Wider_heads_are_written_and_a_folder_from_before_the_keys_loads_with_alphazeros()
    {
        string dir = _dir["wide"];
        var wide = Options with { PolicyChannels = 4, ValueChannels = 3 };
        using (var net = new PolicyValueNet(TicTacToe.Instance, wide))
            ModelArtifact.Save(dir, net, new ModelManifest { Task = GamesTask.Name, Details = GameModel.Details(TicTacToe.Instance, wide, 20, 1.5) });
        using (var m = GameModel.Load(dir)) Assert.Equal(wide, m.Net.Options);

        string old = Save();
        EditDetails(old, d => { d.Remove("policy_channels"); d.Remove("value_channels"); });
        using var o = GameModel.Load(old);
        Assert.Equal((2, 1), (o.Net.Options.PolicyChannels, o.Net.Options.ValueChannels));
    }

    [Fact]
    public void Threat_planes_are_written_and_give_the_same_moves_after_loading_and_a_folder_from_before_the_key_has_none()
    {
        string dir = _dir["threats"];
        var threats = Options with { ThreatPlanes = true };
        var states = new List<GameState> { ConnectFour.Instance.Initial(), ConnectFour.Instance.FromMoves([3, 3, 2, 2, 4]) };
        var (before, after) = (new float[14], new float[14]);
        using (var net = new PolicyValueNet(ConnectFour.Instance, threats))
        {
            new NetworkPolicyValue(net).Evaluate(states, before, new float[2]);
            ModelArtifact.Save(dir, net, new ModelManifest { Task = GamesTask.Name, Details = GameModel.Details(ConnectFour.Instance, threats, 20, 1.5) });
        }
        using (var m = GameModel.Load(dir))
        {
            Assert.Equal(threats, m.Net.Options);
            new NetworkPolicyValue(m.Net).Evaluate(states, after, new float[2]);
        }
        Assert.Equal(before, after);

        string old = Save();
        EditDetails(old, d => d.Remove("threat_planes"));
        using var o = GameModel.Load(old);
        Assert.False(o.Net.Options.ThreatPlanes);
    }

    [Fact]
    public void An_untouched_folder_loads()
    {
        using var m = GameModel.Load(Save());
        Assert.Equal(20, m.Simulations);
    }

    [Theory]
    [InlineData("channels", 1_000_000_000, "details.channels is 1000000000; it must be from 1 to 1,000,000")]
    [InlineData("channels", 100_000, "the architecture")]
    [InlineData("blocks", -5, "details.blocks is -5; it must be from 0 to 10,000")]
    [InlineData("value_hidden", 0, "details.value_hidden is 0; it must be from 1 to 1,000,000")]
    [InlineData("value_channels", 0, "details.value_channels is 0; it must be from 1 to 1,000,000")]
    [InlineData("policy_channels", -2, "details.policy_channels is -2; it must be from 1 to 1,000,000")]
    [InlineData("simulations", 0, "details.simulations is 0; it must be from 1 to 1,000,000")]
    public void Values_out_of_bounds_are_refused(string key, int value, string error)
    {
        string dir = Save();
        EditDetails(dir, d => d[key] = value);
        Assert.StartsWith($"{PathIn(dir)}: {error}", Load(dir));
        Assert.EndsWith(Damaged, Load(dir));
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_a_user_error()
    {
        string dir = Save();
        EditDetails(dir, d => d["channels"] = "wide");
        Assert.StartsWith($"{PathIn(dir)}: the games details hold a value of the wrong type (", Load(dir));
    }
}
