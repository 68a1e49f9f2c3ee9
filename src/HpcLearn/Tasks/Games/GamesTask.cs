using System.Globalization;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Tasks.Shared;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// Board games learnt by self-play (AlphaZero: PUCT search guided by a residual policy/value
/// network trained on its own games), judged against our perfect-play solvers.
/// </summary>
public sealed class GamesTask : IMLTask
{
    /// <summary>The task's name in configs and model folders.</summary>
    public const string Name = "games";

    string IMLTask.Name => Name;

    /// <inheritdoc />
    public string Description => "learn tic-tac-toe or Connect Four by self-play (AlphaZero-style search + residual policy/value net), judged by a perfect solver";

    /// <inheritdoc />
    public Type ConfigType => typeof(GamesConfig);

    /// <inheritdoc />
    public RunSummary Train(RunConfig config, RunContext context)
    {
        return GamesRun.Train((GamesConfig)config, context);   // RunSession.Open prepares libtorch's kernels (TorchRuntime.PrepareKernels)
    }

    /// <summary>Writes the agent's move and the search's value for each position of <paramref name="inputPath"/> (CSV).</summary>
    public int Predict(string modelDir, string inputPath, TextWriter output)
    {
        using var model = GameModel.Load(modelDir);
        var entries = PositionFile.Read(inputPath, model.Game);
        var search = new MctsOptions { Simulations = model.Simulations, CPuct = model.CPuct };
        var net = new NetworkPolicyValue(model.Net);
        output.WriteLine("position,move,value");
        foreach (var e in entries)
        {
            if (e.State.IsTerminal) { output.WriteLine($"{e.Moves},,"); continue; }
            var tree = new PuctTree(e.State, search, new Random(0));
            BatchedSearch.Run([tree], net, 1);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.Moves},{model.Game.FormatMove(tree.ChooseMove(false))},{tree.RootValue:F4}"));
        }
        return entries.Count;
    }

    /// <summary>
    /// The share of the file's (non-terminal) positions where the agent's move is optimal by the
    /// solver's exact score (Connect Four: fastest win, slowest loss; tic-tac-toe: the outcome), and
    /// the share where it keeps the outcome. Scores given in the file (the reference benchmark's
    /// <c>MOVES SCORE</c> lines) are checked against the solver.
    /// </summary>
    public RunSummary Evaluate(string modelDir, string dataPath, TextWriter log)
    {
        using var model = GameModel.Load(modelDir);
        var solver = GameSolver.For(model.Game);
        var entries = PositionFile.Read(dataPath, model.Game).Where(e => !e.State.IsTerminal).ToList();
        if (entries.Count == 0) throw new UserError($"{dataPath}: no unfinished positions to judge");
        var scores = entries.Select(e => solver.MoveScores(e.State)).ToList();
        var exact = entries.Select((e, i) => new Judge.Position(e.State, GameSolver.Best(scores[i]))).ToList();
        // The outcome of a move is the sign of its exact score: the moves keeping the best outcome, without solving again.
        var keeping = entries.Select((e, i) => new Judge.Position(e.State, GameSolver.Best(scores[i].Select(v => v == int.MinValue ? v : Math.Sign(v)).ToArray()))).ToList();
        var player = model.Player(modelDir, seed: 0);
        var moves = entries.Select(e => player.ChooseMove(e.State)).ToList();
        double share = (double)Enumerable.Range(0, entries.Count).Count(i => exact[i].Optimal.Contains(moves[i])) / entries.Count;
        double keeps = (double)Enumerable.Range(0, entries.Count).Count(i => keeping[i].Optimal.Contains(moves[i])) / entries.Count;
        // A random legal move is optimal with probability |optimal| / |legal|.
        double random = Judge.RandomShare(exact);
        log.WriteLine(string.Format(CultureInfo.InvariantCulture, "optimal moves (exact score): {0:0.0%} of {1} positions (a random move: {2:0.0%} expected); outcome kept: {3:0.0%} (random: {4:0.0%})",
            share, entries.Count, random, keeps, Judge.RandomShare(keeping)));
        var given = entries.Select((e, i) => (e, i)).Where(x => x.e.Score is not null).ToList();
        if (given.Count > 0)
        {
            var wrong = given.Where(x => x.e.Score != scores[x.i].Max()).ToList();
            log.WriteLine(wrong.Count == 0
                ? $"scores in the file: all {given.Count} agree with the solver"
                : $"warning: {wrong.Count} of {given.Count} scores in the file disagree with the solver (first: {dataPath}:{wrong[0].e.Line}: file {wrong[0].e.Score}, solver {scores[wrong[0].i].Max()})");
        }
        return new RunSummary
        {
            Task = Name, PrimaryMetric = "judge_optimal",
            MetricsJson = RunSummary.Wrap(new Dictionary<string, double> { ["judge_optimal"] = share, ["judge_outcome_kept"] = keeps }),
            Baseline = new() { ["judge_optimal"] = random, ["judge_outcome_kept"] = Judge.RandomShare(keeping) }, BaselineDescription = "a uniformly random legal move",
            BeatsBaseline = share > random,
        };
    }
}
