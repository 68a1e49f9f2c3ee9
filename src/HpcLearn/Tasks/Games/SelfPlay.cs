namespace HpcLearn.Tasks.Games;

/// <summary>
/// Self-play: several games in flight, all searching with the same network; each round of
/// <see cref="BatchedSearch"/> evaluates the leaves of every game in one batch. Every position
/// becomes a <see cref="TrainingExample"/> once its game's result is known.
/// </summary>
public static class SelfPlay
{
    /// <summary>What a batch of self-play games produced.</summary>
    public sealed record Result(List<TrainingExample> Examples, int Games, int FirstPlayerWins, int Draws, long Evaluations);

    /// <summary>
    /// Plays <paramref name="games"/> games of <paramref name="net"/> against itself. With
    /// <paramref name="exact"/> the positions' targets are the solver's (<see cref="SolverTargets"/>),
    /// else the visit distribution and the game's result.
    /// </summary>
    public static Result Play(IPolicyValue net, int games, int inFlight, MctsOptions search, int temperatureMoves, Random rng, SolverTargets? exact = null)
    {
        var game = net.Game;
        var examples = new List<TrainingExample>();
        int started = 0, finished = 0, firstWins = 0, draws = 0;
        long evaluations = 0;
        var active = new List<(PuctTree Tree, List<(float[] Planes, float[] Pi, int Player, float? Value)> History)>();
        int size = Game.Planes * game.Cells;
        while (finished < games)
        {
            while (active.Count < inFlight && started < games)
            {
                active.Add((new PuctTree(game.Initial(), search, rng), new()));
                started++;
            }
            evaluations += BatchedSearch.Run(active.Select(g => g.Tree).ToList(), net, search.ParallelLeaves);
            for (int i = active.Count - 1; i >= 0; i--)
            {
                var (tree, history) = active[i];
                var state = tree.Root;
                var planes = new float[size];
                state.Encode(planes);
                var visits = tree.VisitPolicy();
                history.Add(exact is null ? (planes, visits, state.ToMove, null) : (planes, exact.Policy(state, visits), state.ToMove, exact.Value(state)));
                int move = tree.ChooseMove(sample: state.MovesPlayed < temperatureMoves);
                tree.Advance(move);
                var next = tree.Root;
                if (!next.IsTerminal) continue;
                int winner = next.Winner;
                if (winner == 0) firstWins++;
                if (winner < 0) draws++;
                foreach (var (p, pi, player, value) in history)
                    examples.Add(new TrainingExample(p, pi, value ?? (winner < 0 ? 0f : winner == player ? 1f : -1f)));
                active.RemoveAt(i);
                finished++;
            }
        }
        return new Result(examples, games, firstWins, draws, evaluations);
    }
}
