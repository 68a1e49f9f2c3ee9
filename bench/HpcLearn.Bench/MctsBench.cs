using System.Diagnostics;
using System.Globalization;
using HpcLearn.Tasks.Games;
using TorchSharp;

namespace HpcLearn.Bench;

/// <summary>
/// mcts [THREADS] [SECONDS_PER_PART]: search and self-play throughput on Connect Four and tic-tac-toe.
/// Plain MCTS rollouts/s from the Connect Four start; PUCT simulations/s with uniform priors (the
/// tree's own cost, with and without MCTS-Solver) and with the default network (32 channels × 2 blocks, untrained), one leaf at
/// a time vs 32 trees × 4 leaves per batch; self-play positions/s of the default tic-tac-toe and
/// Connect Four settings. Each part runs for about SECONDS_PER_PART (default 5).
/// </summary>
internal static class MctsBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        int threads = args.Length > 0 ? int.Parse(args[0], Inv) : 1;
        double seconds = args.Length > 1 ? double.Parse(args[1], Inv) : 5;
        HpcLearn.TorchRuntime.SetThreads(threads);
        torch.manual_seed(1);
        var c4 = ConnectFour.Instance;

        // Plain MCTS: rollouts/s (one search of k rollouts from the start position, repeated).
        Report("rollout_mcts_c4", seconds, () => { new RolloutMcts(1000, 1).Search(c4.Initial()); return 1000; }, "rollouts");

        // PUCT, uniform priors: the tree alone, with MCTS-Solver (the default) and without (its cost: each expansion plays every move).
        var uniform = new UniformPolicyValue(c4);
        foreach (bool solver in new[] { true, false })
            Report(solver ? "puct_uniform_c4" : "puct_uniform_c4_nosolver", seconds, () =>
            {
                var t = new PuctTree(c4.Initial(), new MctsOptions { Simulations = 2000, Solver = solver }, new Random(1));
                return BatchedSearch.Run([t], uniform, 1);
            }, "simulations");

        using var net = new PolicyValueNet(c4, new GameNetOptions());
        var pv = new NetworkPolicyValue(net);
        Report("puct_net_c4_batch1", seconds, () =>
        {
            var t = new PuctTree(c4.Initial(), new MctsOptions { Simulations = 200 }, new Random(1));
            return BatchedSearch.Run([t], pv, 1);
        }, "simulations");
        Report("puct_net_c4_batch128", seconds, () =>
        {
            var rng = new Random(1);
            var trees = Enumerable.Range(0, 32).Select(_ => new PuctTree(c4.Initial(), new MctsOptions { Simulations = 200, ParallelLeaves = 4 }, rng)).ToList();
            return BatchedSearch.Run(trees, pv, 4);
        }, "simulations");

        // Self-play with the defaults of the examples: positions/s.
        foreach (var (game, sims) in new (Game, int)[] { (TicTacToe.Instance, 50), (c4, 50) })
        {
            using var g = new PolicyValueNet(game, new GameNetOptions());
            var p = new NetworkPolicyValue(g);
            var search = new MctsOptions { Simulations = sims, ParallelLeaves = 4, DirichletAlpha = 1.0 };
            string name = game is ConnectFour ? "c4" : "ttt";
            Report($"selfplay_{name}", seconds, () => SelfPlay.Play(p, 32, 32, search, 4, new Random(2)).Examples.Count, "positions");
        }
        return 0;
    }

    // Warm-up once, then repeat until the time is used; prints the rate.
    private static void Report(string name, double seconds, Func<int> work, string unit)
    {
        work();
        long count = 0;
        var sw = Stopwatch.StartNew();
        do count += work(); while (sw.Elapsed.TotalSeconds < seconds);
        double rate = count / sw.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(Inv, $"part={name} {unit}={count} seconds={sw.Elapsed.TotalSeconds:F2} per_second={rate:F0}"));
    }
}
