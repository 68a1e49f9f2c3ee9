namespace HpcLearn.Tasks.Games;

/// <summary>
/// Self-play: several games in flight, all searching with the same network; each round of
/// <see cref="BatchedSearch"/> evaluates the leaves of every game still searching in one batch,
/// and a game whose search is done plays its move at once. Every position becomes a
/// <see cref="TrainingExample"/> once its game's result is known. With <see cref="SolverTargets"/>,
/// the positions it applies to are labelled by the solver on background workers
/// (<see cref="SolverTargets.Labellers"/>, one by default) while the games go on; <see cref="Play"/>
/// returns when every label is in.
/// </summary>
public static class SelfPlay
{
    /// <summary>What a batch of self-play games produced.</summary>
    /// <param name="Examples">The training examples: every position played, then the value-only ones (<paramref name="ChildExamples"/>).</param>
    /// <param name="Games">Games finished.</param>
    /// <param name="FirstPlayerWins">Of them, won by the first player.</param>
    /// <param name="Draws">Of them, drawn.</param>
    /// <param name="Evaluations">Network evaluations made.</param>
    /// <param name="ChildExamples">How many of the examples are positions after a move not played (<see cref="SolverTargets.ChildValues"/>).</param>
    public sealed record Result(List<TrainingExample> Examples, int Games, int FirstPlayerWins, int Draws, long Evaluations, int ChildExamples = 0);

    /// <summary>
    /// Plays <paramref name="games"/> games of <paramref name="net"/> against itself;
    /// <paramref name="exact"/>: the solver's targets where they apply; each game starts after a
    /// uniformly drawn number (0 to <paramref name="randomOpening"/>) of uniformly random moves,
    /// which are not training examples unless <see cref="SolverTargets.OpeningPositions"/> (those
    /// the solver labels, ahead of the game's searched positions). A cancelled
    /// <paramref name="cancel"/> ends the batch early (between search rounds): the result then
    /// holds only the games finished so far.
    /// </summary>
    public static Result Play(IPolicyValue net, int games, int inFlight, MctsOptions search, int temperatureMoves, Random rng, SolverTargets? exact = null, int randomOpening = 0,
        CancellationToken cancel = default)
    {
        var game = net.Game;
        var examples = new List<TrainingExample>();
        var finishedGames = new List<TrainingExample[]>();
        var childExamples = new List<List<TrainingExample>>();   // per finished game, filled by its labeller
        // One chain per labeller, each with its own solver (a solver is used by one thread at a time); games go round them.
        var labelling = Enumerable.Repeat(Task.CompletedTask, exact?.Labellers ?? 0).ToArray();
        int started = 0, finished = 0, firstWins = 0, draws = 0;
        long evaluations = 0;
        var active = new List<(PuctTree Tree, List<(float[] Planes, float[] Pi, int Player, GameState State, int Move)> History)>();
        int size = Game.Planes * game.Cells;
        var buffers = new BatchedSearch.Buffers();
        var trees = new List<PuctTree>(inFlight);
        // Each pass: games whose search for this move is done play it (and a finished game makes room
        // for a new one), then one batched round for every other game. A game never waits for the
        // others' searches, so per-move simulation counts that differ (selfplay.solver_simulations,
        // proven roots) keep the batches full.
        while (finished < games && !cancel.IsCancellationRequested)
        {
            while (active.Count < inFlight && started < games)
            {
                var opening = exact is { OpeningPositions: true } ? new List<GameState>() : null;
                var tree = new PuctTree(Opening(game, randomOpening, rng, opening), search, rng);
                SetSimulations(tree, exact);
                active.Add((tree, new()));
                // The opening's positions the solver labels (solver_label_opening): their targets are all the solver's.
                foreach (var s in opening ?? [])
                    if (exact!.Applies(s)) active[^1].History.Add((Encoded(s, size), UniformLegal(s), s.ToMove, s, -1));
                started++;
            }
            for (int i = active.Count - 1; i >= 0; i--)
            {
                var (tree, history) = active[i];
                if (tree.NeedsMore) continue;
                var state = tree.Root;
                var visits = tree.VisitPolicy();
                int move = tree.ChooseMove(sample: state.MovesPlayed < temperatureMoves);
                history.Add((Encoded(state, size), visits, state.ToMove, state, move));
                tree.Advance(move);
                var next = tree.Root;
                if (!next.IsTerminal) { SetSimulations(tree, exact); continue; }
                int winner = next.Winner;
                if (winner == 0) firstWins++;
                if (winner < 0) draws++;
                var done = history.Select(h => new TrainingExample(h.Planes, h.Pi, winner < 0 ? 0f : winner == h.Player ? 1f : -1f)).ToArray();
                finishedGames.Add(done);
                var children = new List<TrainingExample>();
                childExamples.Add(children);
                if (exact is not null)
                {
                    var todo = history.Select((h, k) => (h, k)).Where(x => exact.Applies(x.h.State)).ToList();
                    int chain = finished % labelling.Length;
                    var childRng = exact.ChildValues > 0 ? new Random(rng.Next()) : null;
                    if (todo.Count > 0)
                        labelling[chain] = labelling[chain].ContinueWith(_ =>
                        {
                            foreach (var (h, k) in todo)
                            {
                                var (pi, value, after) = exact.Label(h.State, h.Pi, chain, h.Move, childRng);
                                done[k] = new TrainingExample(h.Planes, pi, value);
                                foreach (var (position, outcome) in after)
                                    children.Add(new TrainingExample(Encoded(position, size), new float[game.ActionCount], outcome));
                            }
                            if (exact.ValueBackfill) Backfill(done, history.Select(h => h.Player).ToArray(), todo[0].k);
                        }, TaskScheduler.Default);
                }
                active.RemoveAt(i);
                finished++;
            }
            if (active.Count == 0) continue;
            trees.Clear();
            foreach (var (tree, _) in active) trees.Add(tree);
            evaluations += BatchedSearch.Round(trees, net, search.ParallelLeaves, buffers);
        }
        Task.WaitAll(labelling);
        foreach (var g in finishedGames) examples.AddRange(g);
        int childCount = 0;
        foreach (var c in childExamples) { examples.AddRange(c); childCount += c.Count; }
        return new Result(examples, finished, firstWins, draws, evaluations, childCount);
    }

    /// <summary>This move's simulations of <paramref name="tree"/>: the solver-labelled positions' own count where set.</summary>
    private static void SetSimulations(PuctTree tree, SolverTargets? exact)
    {
        if (exact?.Simulations is int labelled) tree.Simulations = exact.Applies(tree.Root) ? labelled : null;
    }

    /// <summary>
    /// The positions of a game before <paramref name="first"/> (its first labelled one) take the
    /// exact outcome of that position as value target, negated where the other player is to move.
    /// </summary>
    internal static void Backfill(TrainingExample[] game, int[] players, int first)
    {
        float value = game[first].Value;
        for (int k = 0; k < first; k++)
            game[k] = game[k] with { Value = players[k] == players[first] ? value : -value };
    }

    /// <summary>
    /// The start after 0..<paramref name="most"/> random moves that do not end the game;
    /// <paramref name="path"/>, when given, receives each position a random move was played from.
    /// </summary>
    internal static GameState Opening(Game game, int most, Random rng, List<GameState>? path = null)
    {
        var s = game.Initial();
        if (most == 0) return s;
        int moves = rng.Next(most + 1);
        for (int i = 0; i < moves; i++)
        {
            var quiet = s.LegalMoves().Where(a => !s.Play(a).IsTerminal).ToArray();
            if (quiet.Length == 0) break;
            path?.Add(s);
            s = s.Play(quiet[rng.Next(quiet.Length)]);
        }
        return s;
    }

    private static float[] Encoded(GameState state, int size)
    {
        var planes = new float[size];
        state.Encode(planes);
        return planes;
    }

    /// <summary>Equal shares on the legal moves of <paramref name="state"/>.</summary>
    private static float[] UniformLegal(GameState state)
    {
        var pi = new float[state.Game.ActionCount];
        var legal = state.LegalMoves();
        foreach (int a in legal) pi[a] = 1f / legal.Length;
        return pi;
    }
}
