using System.Diagnostics;
using System.Globalization;
using HpcLearn.Cluster;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Runs.Metrics;
using HpcLearn.Training;
using TorchSharp;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// The AlphaZero loop: self-play with the best network → train the new network on the replay
/// buffer → the new network plays the best one and replaces it at ≥ <see cref="SelfPlayOptions.PromoteThreshold"/>
/// (tic-tac-toe: the exhaustive judge decides, <see cref="ExhaustivePromotion"/>, and the targets
/// are the solver's, <see cref="SolverTargets"/>) → checkpoint; at the end the best network is written as the model and scored against the
/// final opponents and the solver's judge. Under MPI every rank plays its share of each
/// iteration's self-play games with the same best network; the positions are gathered in rank
/// order, rank 0 trains, evaluates, checkpoints and writes, and a promoted network is broadcast.
/// </summary>
public static class GamesRun
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Trains as <paramref name="config"/> says and writes the run folder. Between iterations it
    /// polls the run's stop token (<see cref="RunContext.Stop"/>: signals, the job's end, the
    /// <c>train.max_time</c> budget); a stopped run keeps its checkpoint, writes the best network so far
    /// as a usable model with an interrupted summary, and <c>--resume</c> continues it.
    /// </summary>
    public static RunSummary Train(GamesConfig config, RunContext ctx)
    {
        var total = Stopwatch.StartNew();
        var log = ctx.Out;
        var comm = ctx.Communicator;
        bool root = comm.Rank == 0;
        if (config.Device != "cpu") throw new UserError($"device: task games runs on the CPU only (got '{config.Device}'); set device: cpu");
        var game = GameCatalog.Get(config.Game, "game");
        var sp = config.Selfplay;
        if (sp.GamesPerIteration < comm.Size)
            throw new UserError($"selfplay.games_per_iteration is {sp.GamesPerIteration}, fewer than the {comm.Size} MPI ranks that share them; raise it to at least {comm.Size} or start fewer ranks");
        if (sp.Overlap && comm.Size > 1)
            throw new UserError($"selfplay.overlap: true runs self-play beside training in one process, but {comm.Size} MPI ranks were started; set selfplay.overlap: false (the ranks already play in parallel) or start one process");
        using var session = RunSession.Open(GamesTask.Name, config, ctx);
        var folder = root ? session.Folder : null;
        string yaml = session.Yaml;
        if (comm.Size > 1)
            log.WriteLine($"self-play on {comm.Size} ranks ({comm.Name}): each plays its share of every iteration's games; rank 0 trains, evaluates and writes");
        log.WriteLine($"game: {game.Name}; network {config.Model.Channels} channels × {config.Model.Blocks} residual blocks{Extras(config.Model)}; " +
            $"{sp.Iterations} iterations of {sp.GamesPerIteration} self-play games ({sp.Simulations} simulations per move, {sp.GamesInFlight} games in flight)");
        // One solver (Connect Four's table is 42 MB) for the targets of the whole run.
        var targets = sp.Targets(game);
        if (sp.Overlap)
            log.WriteLine("overlap: each iteration's self-play runs beside the last iteration's training, with the best network from before that training (selfplay.overlap)");
        if (targets is { } t)
        {
            log.WriteLine($"solver targets: positions with at least {t.FromStones} stones take the solver's outcome as value target and {t.PolicyMix:0.##} of their policy target on its optimal moves (selfplay.solver_targets: false turns this off)");
            if (t.Simulations is int n) log.WriteLine($"solver targets: {n} simulations per move from {t.FromStones} stones, {sp.Simulations} before (selfplay.solver_simulations)");
            if (t.Labellers > 1) log.WriteLine($"solver targets: {t.Labellers} labellers at once, each with a solver of its own (selfplay.solver_labellers)");
            if (t.OpeningPositions) log.WriteLine($"solver targets: the random opening's positions with at least {t.FromStones} stones are labelled as training examples too (selfplay.solver_label_opening)");
            if (t.ChildValues > 0) log.WriteLine($"solver targets: each labelled position adds up to {t.ChildValues} positions after other moves as value-only examples (selfplay.solver_child_values)");
            if (t.ValueBackfill) log.WriteLine($"solver targets: positions before a game's first labelled one take its exact outcome as value target (selfplay.solver_value_backfill)");
        }

        using var candidate = new PolicyValueNet(game, config.Model);
        using var best = new PolicyValueNet(game, config.Model);
        NetTrainer.CopyWeights(candidate, best);
        using var trainer = new NetTrainer(candidate, config.Train);
        var buffer = new ReplayBuffer(game, sp.ReplaySize);
        var history = new List<IterationRecord>();
        int generation = 0, start = 0;
        if (ctx.Resume && root) (start, generation) = Resume(config, folder!, candidate, best, trainer, buffer, history, log);
        if (comm.Size > 1)
        {
            // The other ranks only play: they need the best network and where the run stands.
            Span<double> position = [start, generation];
            comm.Broadcast(position, 0);
            (start, generation) = ((int)position[0], (int)position[1]);
            Training.Distributed.ParameterBroadcast.FromRank0(best, comm);
        }

        ctx.Stop.StartBudget(config.Train.MaxTimeSpan);   // polled after each iteration, with the signals and the job's end
        var search = sp.SelfPlaySearch(game);
        var exhaustive = root && sp.PromotesByExhaustive(game) ? new ExhaustivePromotion(game, sp.AgentSearch) : null;
        if (exhaustive is not null)
            log.WriteLine("promotion: the exhaustive judge (every line against every opponent, the agent's search): a new network replaces the best unless it loses more lines, or as many with more non-optimal moves");
        var bestEval = new NetworkPolicyValue(best);
        // selfplay.overlap: the next iteration's self-play runs on its own thread with a copy of the best network.
        using var player = sp.Overlap ? new PolicyValueNet(game, config.Model) : null;
        var playerEval = player is null ? null : new NetworkPolicyValue(player);
        using var cancelPlay = new CancellationTokenSource();
        SelfPlay.Result PlayGames(IPolicyValue net, int games, Random playRng, CancellationToken cancel = default) =>
            SelfPlay.Play(net, games, Math.Min(sp.GamesPerIteration, sp.GamesInFlight), search, sp.TemperatureMoves, playRng, targets, sp.RandomOpening, cancel);
        Task<(SelfPlay.Result Result, double Seconds)>? pending = null;
        Task<(SelfPlay.Result, double)> Launch(int iteration)
        {
            NetTrainer.CopyWeights(best, player!);
            var playRng = session.Random(SeedStream.SelfPlay.At(iteration));
            return Task.Factory.StartNew(() =>
            {
                var watch = Stopwatch.StartNew();
                return (PlayGames(playerEval!, sp.GamesPerIteration, playRng, cancelPlay.Token), watch.Elapsed.TotalSeconds);
            }, cancelPlay.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        using var metricsLog = root ? new MetricsLog(folder!.Root, ctx.TensorBoard) : null;
        // The judge's positions, sampled once (rank 0, at the first iteration's end): the policy is judged on them every iteration, the agent at the end.
        List<Judge.Position>? judged = null;
        try
        {
            for (int it = start + 1; it <= sp.Iterations; it++)
            {
                var clock = Stopwatch.StartNew();
                SelfPlay.Result played;
                double? overlappedSeconds = null;   // self-play's own time when it ran beside the last training
                Random rng;
                if (player is not null)
                {
                    // This iteration's games were played beside the last one's training (the first: now);
                    // the next iteration's games start now, with the best network as it stands before this training.
                    pending ??= Launch(it);
                    (played, double seconds) = pending.GetAwaiter().GetResult();
                    overlappedSeconds = seconds;
                    pending = it < sp.Iterations ? Launch(it + 1) : null;
                    rng = session.Random(SeedStream.SelfPlayTraining.At(it));
                }
                else
                {
                    rng = session.Random(SeedStream.SelfPlay.At(it));
                    int share = sp.GamesPerIteration / comm.Size + (comm.Rank < sp.GamesPerIteration % comm.Size ? 1 : 0);
                    played = PlayGames(bestEval, share, rng);
                }
                var examples = ExampleExchange.AllGather(comm, game, played.Examples, out int[] perRank);
                Span<double> outcomes = [played.Games, played.FirstPlayerWins, played.Draws, played.ChildExamples];
                if (comm.Size > 1) comm.AllReduceSum(outcomes);
                double playSeconds = overlappedSeconds ?? clock.Elapsed.TotalSeconds;
                if (!root)
                {
                    // Rank 0 trains and judges; a promotion comes back as the new best network.
                    Span<double> decision = [0, 0];
                    comm.Broadcast(decision, 0);
                    if (decision[0] > 0) Training.Distributed.ParameterBroadcast.FromRank0(best, comm);
                    if (decision[1] > 0) return new RunSummary { Task = GamesTask.Name, Interrupted = true };
                    continue;
                }
                foreach (var e in examples) buffer.Add(e);
                double progress = (double)(it - 1) / sp.Iterations;
                if (sp.LrSchedule != "constant" && config.Train.MaxTimeSpan is { } budget && ctx.Stop.BudgetEnd is { } budgetEnd)
                    progress = Math.Max(progress, 1 - (budgetEnd - ctx.Stop.Clock.GetUtcNow()).TotalSeconds / budget.TotalSeconds);
                double lr = config.Train.LearningRate * SelfPlayOptions.LrFactor(sp.LrSchedule, progress);
                trainer.Optimizer.LearningRate = lr;
                var (lp, lv) = trainer.Fit(buffer, sp.StepsPerIteration, rng);

                double score = double.NaN, policyShare = double.NaN;
                bool promoted = true;
                ExhaustiveJudge.Result? newLines = null, bestLines = null;
                if (exhaustive is not null) (promoted, newLines, bestLines) = exhaustive.Decide(candidate, best);
                else if (sp.EvalGames > 0)
                {
                    var evalSearch = sp.EvalSearch;
                    var a = new AgentPlayer("new", new NetworkPolicyValue(candidate), evalSearch, rng.Next(), sampledMoves: 2);
                    var b = new AgentPlayer("best", bestEval, evalSearch, rng.Next(), sampledMoves: 2);
                    score = Arena.Play(game, a, b, sp.EvalGames).Score;
                    promoted = score >= sp.PromoteThreshold;
                }
                if (promoted) { NetTrainer.CopyWeights(candidate, best); generation++; }
                string? reason = it < sp.Iterations ? ctx.Stop.Poll() : null;
                if (comm.Size > 1)
                {
                    Span<double> decision = [promoted ? 1 : 0, reason is null ? 0 : 1];
                    comm.Broadcast(decision, 0);
                    if (promoted) Training.Distributed.ParameterBroadcast.FromRank0(best, comm);
                }
                if (sp.JudgePositions > 0)
                {
                    judged ??= JudgePositions(config, game, GameSolver.For(game));
                    // Judged after the promotion: the share is the best network's, the one self-play uses next.
                    policyShare = Judge.PolicyShare(new NetworkPolicyValue(best), judged);
                }
                var record = new IterationRecord
                {
                    Iteration = it, Positions = examples.Count,
                    FirstPlayerWins = outcomes[1] / outcomes[0], Draws = outcomes[2] / outcomes[0],
                    PolicyLoss = lp, ValueLoss = lv, EvalScore = score, Promoted = promoted, Generation = generation,
                    PositionsPerSecond = examples.Count / Math.Max(1e-9, playSeconds), Seconds = clock.Elapsed.TotalSeconds,
                    JudgePolicy = policyShare, LearningRate = lr,
                    ExhaustiveLosses = exhaustive?.Best?.Losses ?? double.NaN,
                    ExhaustiveNonOptimal = exhaustive?.Best?.MistakePositions ?? double.NaN,
                    NewExhaustiveLosses = newLines?.Losses ?? double.NaN,
                };
                history.Add(record);
                log.WriteLine(string.Format(Inv,
                    "iteration {0}/{1}: {2} positions{10} ({3:F0}/s); first player won {4:0%}, drew {5:0%}; loss policy {6:F3} value {7:F3}; {8}; {9:F1} s",
                    it, sp.Iterations, record.Positions, record.PositionsPerSecond, record.FirstPlayerWins, record.Draws, lp, lv,
                    newLines is not null ? string.Format(Inv, "new network, every line: lost {0} of {1}, non-optimal in {2} positions (the best: lost {3}, non-optimal in {4}) → {5}",
                            newLines.Losses, newLines.Lines, newLines.MistakePositions, bestLines!.Losses, bestLines.MistakePositions,
                            promoted ? $"promoted (generation {generation})" : "kept the best")
                    : "new vs best " + (double.IsNaN(score) ? "not played (promoted)" : $"{score:0%} → {(promoted ? $"promoted (generation {generation})" : "kept the best")}"),
                    record.Seconds, outcomes[3] > 0 ? string.Format(Inv, " ({0} of them after other moves, value only)", outcomes[3]) : "") + (comm.Size > 1 ? $" (positions by rank: {string.Join(" + ", perRank)})" : ""));
                metricsLog!.Add(history.Select(h => h.ToRow()).ToList(), record.ToRow());
                GamesCheckpoint.Save(folder!.CheckpointDir, config.Train.KeepCheckpoints, new GamesCheckpoint.Meta
                {
                    Iteration = it, Game = game.Name, Model = config.Model, Generation = generation, History = history, Config = yaml,
                }, candidate, best, trainer.Optimizer, buffer);
                if (reason is not null)
                {
                    log.WriteLine($"{reason}: stopped after iteration {it} of {sp.Iterations}; checkpoint in {folder!.CheckpointDir}");
                    // The best network so far is a usable agent; the final evaluation is left to the finished run.
                    return session.Stopped(new RunOutcome
                    {
                        Model = best, Details = GameModel.Details(game, config.Model, sp.AgentSimulations, sp.CPuct),
                        TrainSeconds = total.Elapsed.TotalSeconds, Summary = new RunSummary { Epochs = it },
                    }, reason);
                }
            }
        }
        finally
        {
            // A stop or an error: the next iteration's self-play is not needed; let it end before its network goes.
            cancelPlay.Cancel();
            try { pending?.Wait(); } catch (AggregateException) { }
        }
        double trainSeconds = total.Elapsed.TotalSeconds;
        if (!root) return new RunSummary { Task = GamesTask.Name };

        var evalClock = Stopwatch.StartNew();
        var (metrics, baseline, arena) = FinalEvaluation(config, game, best, judged, log);
        ArenaTable.Write(Path.Combine(folder!.Root, ArenaTable.FileName), arena);
        string? primary = metrics.ContainsKey("judge_optimal") ? "judge_optimal" : metrics.Keys.FirstOrDefault();
        return session.Finish(new RunOutcome
        {
            Model = best,
            Details = GameModel.Details(game, config.Model, sp.AgentSimulations, sp.CPuct),
            Metrics = metrics,
            Baseline = baseline,
            TrainSeconds = trainSeconds,
            Summary = new RunSummary
            {
                PrimaryMetric = primary,
                MetricsJson = RunSummary.Wrap(metrics), Baseline = baseline,
                BaselineDescription = "a uniformly random legal move",
                BeatsBaseline = primary is not null && baseline.TryGetValue(primary, out double b0) && metrics[primary] > b0,
                Epochs = sp.Iterations,
            },
            Timings = new() { ["evaluate_seconds"] = Math.Round(evalClock.Elapsed.TotalSeconds, 3) },
        });
    }

    private static (int Start, int Generation) Resume(GamesConfig config, RunFolder folder, PolicyValueNet candidate, PolicyValueNet best,
        NetTrainer trainer, ReplayBuffer buffer, List<IterationRecord> history, TextWriter log)
    {
        var found = GamesCheckpoint.Latest(folder.CheckpointDir, m => log.WriteLine("warning: " + m))
            ?? throw RunFolder.NoValidCheckpoint(folder.CheckpointDir);
        var (path, meta, blocks) = found;
        if (meta.Game != config.Game)
            throw new UserError($"--resume: {path} was written for game '{meta.Game}' but the config says game: {config.Game}; resume with the same game or start a new run (--set name=...)");
        if (meta.Model != config.Model)
            throw new UserError($"--resume: {path} holds a network of {Shape(meta.Model)} but the config's model: section asks for {Shape(config.Model)}; resume with the same model: section or start a new run (--set name=...)");
        GamesCheckpoint.Restore(blocks, candidate, best, trainer.Optimizer, buffer);
        history.AddRange(meta.History);
        log.WriteLine($"resuming from {path} (iteration {meta.Iteration}, generation {meta.Generation}, {buffer.Count} positions in the replay buffer)");
        return (meta.Iteration, meta.Generation);
    }

    /// <summary>The heads' widths where they are not the defaults (AlphaZero's 2 and 1 channels), and the threat planes where on.</summary>
    private static string Extras(GameNetOptions m) =>
        ((m.PolicyChannels, m.ValueChannels) == (GameNetOptions.Defaults.PolicyChannels, GameNetOptions.Defaults.ValueChannels) ? "" : $", heads of {m.PolicyChannels} (policy) and {m.ValueChannels} (value) channels")
        + (m.ThreatPlanes ? $", {ThreatPlanes.Added} threat planes" : "");

    private static string Shape(GameNetOptions m) => $"{m.Channels} channels × {m.Blocks} blocks{Extras(m)}, value head {m.ValueHidden}";

    /// <summary>The judge's test set: <see cref="SelfPlayOptions.JudgePositions"/> middle-game positions drawn with the run's seed.</summary>
    private static List<Judge.Position> JudgePositions(GamesConfig config, Game game, GameSolver solver)
    {
        var (lo, hi) = Judge.DefaultPlies(game);
        return Judge.Sample(game, solver, config.Selfplay.JudgePositions, lo, hi, config.Seed);
    }

    private static (Dictionary<string, double> Metrics, Dictionary<string, double> Baseline, List<(string Opponent, ArenaResult Result)> Arena) FinalEvaluation(GamesConfig config, Game game, PolicyValueNet best,
        List<Judge.Position>? judged, TextWriter log)
    {
        var sp = config.Selfplay;
        var metrics = new Dictionary<string, double>();
        var baseline = new Dictionary<string, double>();
        var arena = new List<(string, ArenaResult)>();
        var net = new NetworkPolicyValue(best);
        var agent = new AgentPlayer("agent", net, sp.AgentSearch, config.Seed);
        var solver = GameSolver.For(game); // one for the judge's sets and the exhaustive check
        var owned = new List<IDisposable>();
        try
        {
            if (sp.JudgePositions > 0)
            {
                var (lo, hi) = Judge.DefaultPlies(game);
                var positions = judged ?? JudgePositions(config, game, solver);
                double share = Judge.Score(agent, positions);
                double random = Judge.RandomShare(positions);
                metrics["judge_optimal"] = share;
                baseline["judge_optimal"] = random;
                log.WriteLine(string.Format(Inv, "judge: optimal move in {0:0.0%} of {1} positions (plies {2}-{3}); a random move: {4:0.0%} expected", share, positions.Count, lo, hi, random));
                // The hard set: one move keeps the outcome and neither side can win at once (drawn once, at the end).
                var hard = Judge.Sample(game, solver, sp.JudgePositions, lo, hi, config.Seed, JudgeSet.Hard);
                if (hard.Count > 0)
                {
                    double hardShare = Judge.Score(agent, hard);
                    metrics["judge_hard"] = hardShare;
                    baseline["judge_hard"] = Judge.RandomShare(hard);
                    log.WriteLine(string.Format(Inv, "judge (hard set): optimal move in {0:0.0%} of {1} positions where one move keeps the outcome; a random move: {2:0.0%} expected", hardShare, hard.Count, baseline["judge_hard"]));
                }
            }
            if (ExhaustiveJudge.CanEnumerate(game))
            {
                // Every line against every opponent: a few thousand for tic-tac-toe, about a second.
                var all = ExhaustiveJudge.Run(game, agent, solver);
                metrics["exhaustive_lines"] = all.Lines;
                metrics["exhaustive_losses"] = all.Losses;
                metrics["exhaustive_losses_as_first"] = all.AsFirst.Losses;
                metrics["exhaustive_losses_as_second"] = all.AsSecond.Losses;
                metrics["exhaustive_nonoptimal_positions"] = all.MistakePositions;
                log.WriteLine("exhaustive: " + all.Describe("agent"));
                if (all.FirstLoss is var (side, moves))
                    log.WriteLine($"exhaustive: first lost line, agent {(side == 0 ? "first" : "second")}: {ExhaustiveJudge.Format(game, moves)}");
            }
            foreach (string spec in config.FinalOpponents)
            {
                if (sp.FinalGames == 0) break;
                var opponent = PlayerSpec.Create(spec, game, Seeds.Derive(config.Seed, SeedStream.Opponents), null, owned);
                var r = Arena.Play(game, agent, opponent, sp.FinalGames);
                string key = spec.Replace(':', '_');
                metrics[$"score_vs_{key}"] = r.Score;
                metrics[$"losses_vs_{key}"] = r.Losses;
                arena.Add((spec, r));
                log.WriteLine(r.Describe("agent", spec));
            }
        }
        finally { foreach (var d in owned) d.Dispose(); }
        return (metrics, baseline, arena);
    }
}
