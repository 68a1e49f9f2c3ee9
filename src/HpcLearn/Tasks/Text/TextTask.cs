using System.Diagnostics;
using System.Globalization;
using HpcLearn.Cluster;
using HpcLearn.Config;
using HpcLearn.Evaluation;
using HpcLearn.Runs;
using HpcLearn.Runs.Metrics;
using HpcLearn.Tasks.Shared;
using HpcLearn.Training;
using TorchSharp;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// A character- or byte-level language model: a small decoder-only transformer trained on any
/// UTF-8 text (or the built-in corpus), then sampled with <c>hpclearn generate</c>. Prints the
/// count models' validation loss (Kneser–Ney n-gram, Witten–Bell 4-gram, unigram) beside its own, and mixes it with the Kneser–Ney model.
/// </summary>
public sealed class TextTask : IMLTask
{
    /// <summary>The task's name in configs.</summary>
    public const string Name = "text";

    string IMLTask.Name => Name;

    /// <inheritdoc />
    public string Description => "language model on a text file or folder (character or byte transformer); sample it with 'hpclearn generate'";

    /// <inheritdoc />
    public Type ConfigType => typeof(TextConfig);

    /// <inheritdoc />
    public RunSummary Train(RunConfig config, RunContext context) => Train((TextConfig)config, context);

    /// <summary>Trains, evaluates against the count models and writes the run folder.</summary>
    public RunSummary Train(TextConfig config, RunContext ctx)
    {
        var total = Stopwatch.StartNew();
        var log = ctx.Out;
        var comm = ctx.Communicator;
        if (TorchRuntime.ResolveDevice(config.Device).type != DeviceType.CPU)
            throw new UserError("the text task runs on the CPU only for now; set device: cpu");
        TorchRuntime.TuneMalloc();
        TorchRuntime.PrepareKernels();
        using var data = TextData.Prepare(config.Data, config.Seed);
        if (!ctx.IsRankZero) return Follow(config, data, comm);
        log.WriteLine($"data: {data.Description}");
        if (comm.Size > 1)
            log.WriteLine($"data parallel: {comm.Size} ranks ({comm.Name}) × batch {config.Train.BatchSize} = global batch {comm.Size * config.Train.BatchSize} blocks per step; rank 0 evaluates and writes");
        var baselines = TextBaselines.Measure(data, config.Model.NgramOrder);
        double tpc = data.ValidTokensPerChar;
        string Nats(double nats) => Invariant($"{nats:F4} nats/token ({TextTrainer.BitsPerChar(nats, tpc):F3} bits/char)");
        log.WriteLine($"count models on the validation split (fitted on the text before it; every token with its full history): " +
            $"Kneser-Ney {baselines.KneserNeyOrder}-gram {Nats(baselines.KneserNeyNats)}, Kneser-Ney 4-gram {Nats(baselines.KneserNey4Nats)}, " +
            $"Witten-Bell 4-gram {Nats(baselines.FourGramNats)}, unigram {Nats(baselines.UnigramNats)}");
        double loadSeconds = total.Elapsed.TotalSeconds;

        using var session = RunSession.Open(Name, config, ctx, loadSeconds);
        var folder = session.Folder;
        string yaml = session.Yaml;

        using var model = new TextTransformer(data.Tokenizer.VocabSize, config.Data.BlockSize, config.Model);
        log.WriteLine(Invariant($"model: {config.Model.Layers} layers, {config.Model.Heads} heads, embedding {config.Model.Embedding}, block {config.Data.BlockSize}: {model.ParameterCount:N0} parameters"));
        using var trainer = new TextTrainer(model, data, config, comm);
        var store = new TextCheckpoints(folder.CheckpointDir, config.Train.KeepCheckpoints);
        UserError? refused = null;
        if (ctx.Resume)
        {
            try
            {
                var restored = store.RestoreLatest(trainer, msg => log.WriteLine("warning: " + msg))
                    ?? throw RunFolder.NoValidCheckpoint(store.Folder);
                log.WriteLine($"resuming from {restored.Path} (step {trainer.Step})");
                if (Regrouped(restored, comm.Size, config.Train.BatchSize, trainer.Step) is { } line) log.WriteLine(line);
                if (restored.Config.Trim() != yaml.Trim()) log.WriteLine("warning: the config differs from the one the checkpoint was written with");
            }
            catch (UserError e) when (comm.Size > 1)
            {
                refused = e;
            }
        }
        ShareRefusal(comm, refused);
        ShareState(trainer, comm, model);

        var trainClock = Stopwatch.StartNew();
        double before = trainer.History.LastOrDefault()?.Seconds ?? 0;
        long firstStep = trainer.Step;
        using var metrics = new MetricsLog(folder.Root, ctx.TensorBoard);
        metrics.Write(Rows(trainer.History));
        var lastLine = TimeSpan.Zero;
        var steps = config.Steps;
        // Signals, the job's end, the budget (train.max_time) and a cancelled token: one poll per step.
        ctx.Stop.StartBudget(config.Train.MaxTimeSpan);
        while (trainer.Step < steps.Total)
        {
            string? stop = Agree(comm, ctx.Stop.Poll());
            if (stop is not null)
            {
                log.WriteLine($"stopped: {stop}; checkpoint: {store.Save(trainer, yaml)} (step {trainer.Step} of {steps.Total})");
                return session.Stopped(Stopped(data, model, trainer, trainClock.Elapsed.TotalSeconds, tpc), stop);
            }
            double loss = trainer.TrainStep();
            if (!double.IsFinite(loss))
                throw session.Diverged(Invariant($"training diverged at step {trainer.Step} (loss {loss})"), RunSession.LowerLearningRate(config.Train.LearningRate));
            bool last = trainer.Step == steps.Total;
            if (trainer.Step % steps.EvalEvery == 0 || last)
            {
                var r = trainer.Evaluate(before + trainClock.Elapsed.TotalSeconds);
                metrics.Add(Rows(trainer.History), r.ToRow());
                log.WriteLine(Invariant($"step {r.Step}/{steps.Total}  train_loss {r.TrainLoss:F4}  valid_loss {r.ValidLoss:F4} nats/token ({r.ValidBitsPerChar:F3} bits/char)  lr {NumberText.Short(r.LearningRate)}  {r.Seconds:F1}s"));
                lastLine = trainClock.Elapsed;
            }
            else if (trainClock.Elapsed - lastLine >= TimeSpan.FromSeconds(30))
            {
                log.WriteLine(Invariant($"step {trainer.Step}/{steps.Total}  train_loss {trainer.RecentTrainLoss:F4}  {before + trainClock.Elapsed.TotalSeconds:F0}s"));
                lastLine = trainClock.Elapsed;
            }
            if (trainer.Step % steps.CheckpointEvery == 0 || last) store.Save(trainer, yaml);
        }
        double trainSeconds = trainClock.Elapsed.TotalSeconds;
        long tokens = (trainer.Step - firstStep) * trainer.GlobalBatch * config.Data.BlockSize;

        var evalClock = Stopwatch.StartNew();
        int T = config.Data.BlockSize, bs = config.Train.BatchSize, order = baselines.KneserNeyOrder;
        double[] validNats = TextEvaluation.TargetNats(model, data.ValidIds, bs);
        double full = validNats.Average();
        double blocks = TextEvaluation.BlockNatsPerToken(model, data.ValidIds, bs);
        log.WriteLine();
        log.WriteLine($"validation, transformer: {Nats(full)} with full context (every token after the first block sees {T - Math.Max(1, T / 8)} to {T - 1} tokens); " +
            $"{Nats(blocks)} over all positions of consecutive {T}-token blocks (nanoGPT's way)");
        double? lambda = null, mixed = null;
        if (config.Model.Mix && data.TuneIds.Length >= 2)
        {
            // λ from the tune piece, which the transformer never trained on, with a count model that never saw it either.
            var tuneCounts = new KneserNeyModel(data.TrainIds, order, data.Tokenizer.VocabSize);
            lambda = TextMixture.FitWeight(TextEvaluation.TargetNats(model, data.TuneIds, bs), TextMixture.CountProbabilities(tuneCounts, data.TuneIds));
            mixed = TextMixture.NatsPerToken(lambda.Value, validNats, TextMixture.CountProbabilities(baselines.KneserNey, data.ValidIds));
            log.WriteLine(Invariant($"validation, mixture {lambda:F3} × transformer + {1 - lambda:F3} × Kneser-Ney {order}-gram (weight fitted on the {data.TuneIds.Length:N0}-token tune piece before validation): ") + Nats(mixed.Value));
        }
        else if (config.Model.Mix)
            log.WriteLine("no mixture: data.tune_fraction leaves no tune piece to fit its weight on");
        // The run's loss is the model that generate samples from: the mixture when there is one.
        double valid = mixed ?? full;
        string what = mixed is null ? "the transformer" : "the mixture";
        var modelMetrics = Metrics(valid, tpc);
        var baseline = Metrics(baselines.UnigramNats, tpc);
        string baselineText = Invariant($"smoothed unigram (character frequencies of the training split); Kneser-Ney {order}-gram {baselines.KneserNeyNats:F4}, Witten-Bell 4-gram {baselines.FourGramNats:F4} nats/token");
        log.WriteLine(MetricsTable.Format(new Dictionary<string, double> { [MetricNames.Loss] = valid }, new Dictionary<string, double> { [MetricNames.Loss] = baselines.UnigramNats }, baselineText));
        log.WriteLine(Invariant($"validation: {valid:F4} nats/token, {modelMetrics["bits_per_char"]:F3} bits/char ({what}); Kneser-Ney {order}-gram {baselines.KneserNeyNats:F4} nats/token: ") +
            (valid < baselines.KneserNeyNats ? $"{what} beats the Kneser-Ney {order}-gram" : $"{what} does not beat the Kneser-Ney {order}-gram yet (train longer or larger)"));

        var mixture = lambda is null ? null : new TextCountMixture(baselines.KneserNey, lambda.Value);
        TextSamples.Write(folder.Root, model, data.Tokenizer, config.Seed, mixture);
        var extras = new Dictionary<string, double>(modelMetrics)
        {
            ["valid_loss_full_context"] = Math.Round(full, 6),
            ["valid_loss_blocks"] = Math.Round(blocks, 6),
            ["valid_block_size"] = T,
        };
        if (mixed is not null)
        {
            extras["valid_loss_mixed"] = Math.Round(mixed.Value, 6);
            extras["mix_weight"] = Math.Round(lambda!.Value, 6);
        }
        extras["kn_order"] = order;
        extras["kn_loss"] = Math.Round(baselines.KneserNeyNats, 6);
        extras["kn_bits_per_char"] = Math.Round(TextTrainer.BitsPerChar(baselines.KneserNeyNats, tpc), 6);
        extras["kn4_loss"] = Math.Round(baselines.KneserNey4Nats, 6);
        extras["beats_kn"] = valid < baselines.KneserNeyNats ? 1 : 0;
        extras["ngram4_loss"] = Math.Round(baselines.FourGramNats, 6);
        extras["ngram4_bits_per_char"] = Math.Round(TextTrainer.BitsPerChar(baselines.FourGramNats, tpc), 6);
        extras["beats_ngram4"] = valid < baselines.FourGramNats ? 1 : 0;
        var summary = session.Finish(new RunOutcome
        {
            Model = model,
            Details = TextArtifact.Details(data.Tokenizer, model, lambda is null ? null : TextCountMixture.Details(order, lambda.Value)),
            Metrics = modelMetrics,
            Baseline = baseline,
            TrainSeconds = trainSeconds,
            Summary = new RunSummary
            {
                PrimaryMetric = MetricNames.Loss,
                MetricsJson = RunSummary.Wrap(extras),
                Baseline = baseline,
                BaselineDescription = baselineText,
                BeatsBaseline = valid < baselines.UnigramNats,
                Epochs = 0,
            },
            // Tokens of this attempt over this attempt's seconds.
            Timings = new()
            {
                ["train_tokens_per_second"] = trainSeconds > 0 ? Math.Round(tokens / trainSeconds, 1) : 0,
                ["evaluate_seconds"] = Math.Round(evalClock.Elapsed.TotalSeconds, 3),
            },
        });
        if (mixture is not null) TextCountMixture.Write(folder.ModelDir, data.BeforeValidIds);
        log.WriteLine($"sample it: hpclearn generate {folder.ModelDir} --prompt \"...\" --tokens 500");
        return summary;
    }

    /// <summary>
    /// The end of a stopped run: the last weights, with the latest evaluation's validation loss (none
    /// before the first evaluation) as its metrics.
    /// </summary>
    private static RunOutcome Stopped(TextData data, TextTransformer model, TextTrainer trainer, double trainSeconds, double tokensPerChar)
    {
        var metrics = trainer.History.LastOrDefault() is { } r ? Metrics(r.ValidLoss, tokensPerChar) : new Dictionary<string, double>();
        return new RunOutcome
        {
            Model = model,
            Details = TextArtifact.Details(data.Tokenizer, model),
            Metrics = metrics,
            TrainSeconds = trainSeconds,
            Summary = new RunSummary { PrimaryMetric = metrics.Count > 0 ? MetricNames.Loss : null, MetricsJson = RunSummary.Wrap(metrics) },
        };
    }

    /// <summary>
    /// A rank other than 0 under data parallelism: the same model and steps, in the same order of
    /// collective calls as rank 0 (weights, resumed state, then per step the stop decision, the
    /// gradient all-reduce and, at evaluation steps, the validation loss); it writes nothing.
    /// </summary>
    private static RunSummary Follow(TextConfig config, TextData data, ICommunicator comm)
    {
        torch.manual_seed(config.Seed);
        using var model = new TextTransformer(data.Tokenizer.VocabSize, config.Data.BlockSize, config.Model);
        using var trainer = new TextTrainer(model, data, config, comm);
        ShareRefusal(comm, null);
        ShareState(trainer, comm, model);
        torch.manual_seed(Seeds.Derive(config.Seed, SeedStream.Dropout, comm.Rank));   // dropout masks of its own
        while (trainer.Step < config.Steps.Total)
        {
            if (Agree(comm, null) is not null) return new RunSummary { Task = Name, Interrupted = true };
            trainer.TrainStep();
            if (trainer.Step % config.Steps.EvalEvery == 0 || trainer.Step == config.Steps.Total) trainer.Evaluate(0);
        }
        return new RunSummary { Task = Name };
    }

    /// <summary>
    /// Rank 0 alone reads the checkpoint: when it refuses it (a global batch these ranks cannot
    /// share), every rank stops with its line, instead of the others waiting for its weights.
    /// </summary>
    private static void ShareRefusal(ICommunicator comm, UserError? refused)
    {
        if (comm.Size == 1) return;
        byte[] message = refused is null ? [] : System.Text.Encoding.UTF8.GetBytes(refused.Message);
        Span<double> length = [message.Length];
        comm.Broadcast(length, 0);
        if (length[0] == 0) return;
        if (comm.Rank != 0) message = new byte[(int)length[0]];
        comm.Broadcast(message, 0);
        if (refused is not null) throw refused;
        throw new UserError(System.Text.Encoding.UTF8.GetString(message));
    }

    /// <summary>Rank 0's weights, optimiser state and step (a resumed run's) on every rank.</summary>
    private static void ShareState(TextTrainer trainer, ICommunicator comm, TextTransformer model)
    {
        if (comm.Size == 1) return;
        Training.Distributed.ParameterBroadcast.FromRank0(model, comm);
        byte[] state = [];
        if (comm.Rank == 0 && trainer.Step > 0)
        {
            using var buffer = new MemoryStream();
            using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) trainer.SaveState(w);
            state = buffer.ToArray();
        }
        Span<double> head = [trainer.Step, state.Length, trainer.GlobalBatch];
        comm.Broadcast(head, 0);
        trainer.GlobalBatch = (int)head[2];   // a resumed checkpoint's, which rank 0 alone read
        if (head[1] == 0) return;
        if (comm.Rank != 0) state = new byte[(int)head[1]];
        comm.Broadcast(state, 0);
        if (comm.Rank == 0) return;
        using var r = new BinaryReader(new MemoryStream(state));
        trainer.LoadState(r);
        trainer.Step = (long)head[0];
    }

    /// <summary>The line that says how a run resumed on another number of ranks keeps the checkpoint's global batch; null when nothing changed.</summary>
    internal static string? Regrouped(TextCheckpoints.Restored restored, int ranks, int batchSize, long step)
    {
        if (restored.WorldSize is not { } written || restored.GlobalBatch is not { } g) return null;
        int configGlobal = batchSize * ranks;
        if (written == ranks && g == configGlobal) return null;
        string configSays = $"the config's train.batch_size {batchSize} × {ranks} = {configGlobal} applies to new runs";
        if (written == ranks) return $"resumed with the checkpoint's global batch {g} blocks ({configSays})";
        var shares = Enumerable.Range(0, ranks).Select(r => TextData.Slice(g, r, ranks).Count).ToList();
        string split = ranks == 1 ? $"{g} on one rank"
            : shares.Distinct().Count() == 1 ? string.Join("+", shares)
            : $"{string.Join("+", shares)} (each rank's loss weighted by its share, so a step is the mean gradient over the same {g} blocks)";
        return $"resumed on {ranks} rank{(ranks == 1 ? "" : "s")} (checkpoint written by {written}): global batch {g} blocks kept as {split}; the same blocks as the uninterrupted run from step {step + 1}" +
            (g == configGlobal ? "" : $"; {configSays}");
    }

    /// <summary>Rank 0's stop decision (a signal, the job's end time) on every rank: null to go on.</summary>
    private static string? Agree(ICommunicator comm, string? rank0Stop)
    {
        if (comm.Size == 1) return rank0Stop;
        Span<double> flag = [rank0Stop is null ? 0 : 1];
        comm.Broadcast(flag, 0);
        return flag[0] == 0 ? null : rank0Stop ?? "rank 0 stopped the run";
    }

    private static List<MetricsRow> Rows(IReadOnlyList<TextEvalRecord> history) => history.Select(r => r.ToRow()).ToList();

    private static Dictionary<string, double> Metrics(double nats, double tokensPerChar) => new()
    {
        [MetricNames.Loss] = Math.Round(nats, 6),
        ["bits_per_char"] = Math.Round(TextTrainer.BitsPerChar(nats, tokensPerChar), 6),
    };

    /// <inheritdoc />
    public int Predict(string modelDir, string inputPath, TextWriter output) =>
        throw new UserError($"a text model has no per-row predictions; sample it with: hpclearn generate {modelDir} --prompt \"...\" (or score a text with hpclearn evaluate {modelDir} FILE)");

    /// <inheritdoc />
    public RunSummary Evaluate(string modelDir, string dataPath, TextWriter log)
    {
        using var artifact = TextArtifact.Load(modelDir);
        var source = TextSource.Read(dataPath);
        int[] ids;
        int chars;
        if (artifact.Tokenizer.Kind == TokenizerKind.Byte)
        {
            byte[] bytes = source.Bytes();
            ids = bytes.Select(b => (int)b).ToArray();
            chars = System.Text.Encoding.UTF8.GetString(bytes).EnumerateRunes().Count();
        }
        else
        {
            string text = source.Text();
            ids = artifact.Tokenizer.Encode(text, out int unknown);
            chars = ids.Length;
            if (unknown > 0) log.WriteLine($"warning: {unknown} characters of {dataPath} are not in the model's alphabet; they count as the unknown token");
        }
        double[] transformerNats = TextEvaluation.TargetNats(artifact.Model, ids);
        double nats = transformerNats.Average();
        double tpc = ids.Length / (double)Math.Max(1, chars);
        if (artifact.Mixture is { } mix)
        {
            double alone = nats;
            nats = TextMixture.NatsPerToken(mix.Weight, transformerNats, TextMixture.CountProbabilities(mix.Model, ids));
            log.WriteLine(Invariant($"mixture {mix.Weight:F3} × transformer + {1 - mix.Weight:F3} × Kneser-Ney {mix.Model.Order}-gram: {nats:F4} nats/token; the transformer alone {alone:F4}"));
        }
        var metrics = Metrics(nats, tpc);
        var baseline = Metrics(Math.Log(artifact.Tokenizer.VocabSize), tpc);
        string what = $"uniform over the {artifact.Tokenizer.VocabSize} tokens";
        log.WriteLine(MetricsTable.Format(new Dictionary<string, double> { [MetricNames.Loss] = nats }, new Dictionary<string, double> { [MetricNames.Loss] = baseline[MetricNames.Loss] }, what));
        log.WriteLine(Invariant($"{nats:F4} nats/token, {metrics["bits_per_char"]:F3} bits/char over {ids.Length:N0} tokens"));
        return new RunSummary
        {
            Task = Name,
            PrimaryMetric = MetricNames.Loss,
            MetricsJson = RunSummary.Wrap(metrics),
            Baseline = baseline,
            BaselineDescription = what,
            BeatsBaseline = nats < baseline[MetricNames.Loss],
        };
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
