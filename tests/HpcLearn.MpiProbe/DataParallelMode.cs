using System.Globalization;
using HpcLearn.Cluster;
using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.MpiProbe;

/// <summary>
/// Trains the tabular model on built-in churn data with a global batch of G examples: G per step
/// in one process, or G / ranks per rank under mpirun with gradients all-reduced. Prints each
/// epoch's training loss averaged over ranks and writes every rank's final weights to
/// <c>PREFIX.rankR.bin</c> and its optimiser state to <c>PREFIX.rankR.state.bin</c>.
/// Arguments: PREFIX GLOBAL_BATCH EPOCHS [adamw|sgd] [shard|noshard] (shard: the optimiser step
/// shared out over the ranks, as hpclearn's runs do). The test compares the files of a 2-rank and a 1-rank run.
/// Ranks seed differently on purpose: only the broadcast of rank 0's weights makes them equal.
/// </summary>
internal static class DataParallelMode
{
    public static int Run(string[] args)
    {
        string prefix = args[0];
        int globalBatch = int.Parse(args[1], CultureInfo.InvariantCulture);
        int epochs = int.Parse(args[2], CultureInfo.InvariantCulture);
        // AdamW is nearly blind to the gradient's scale; SGD is not, so it also catches a wrong mean.
        var options = args.ElementAtOrDefault(3) == "sgd"
            ? new TrainOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 0.05, Schedule = ScheduleKind.Constant }
            : new TrainOptions { Optimizer = OptimizerKind.AdamW, LearningRate = 3e-3, Schedule = ScheduleKind.Constant };

        var cluster = ClusterEnvironment.Current();
        using var comm = Communicator.Create(cluster);
        torch.set_num_threads(1); // under mpirun libtorch drops to 1 thread anyway; the same reduction order on both sides
        if (globalBatch % comm.Size != 0) throw new ArgumentException($"global batch {globalBatch} does not split over {comm.Size} ranks");

        var config = new TabularConfig
        {
            Seed = 5,
            Data = new TabularDataOptions { BuiltinRows = 600, ValidFraction = 0.2 },
            Model = new TabularModelOptions { Layers = [32, 16], Dropout = 0 },
        };
        var data = TabularData.Prepare(config, TextWriter.Null);
        var all = data.Tensors(data.Train);
        // Whole global batches only: with a ragged last batch, the ranks' shards of it differ in size
        // and the mean of rank means is no longer the mean over the batch.
        long rows = all.Target.shape[0] - all.Target.shape[0] % globalBatch;
        var inputs = all.Inputs.Select(t => t.narrow(0, 0, rows)).ToArray();
        var target = all.Target.narrow(0, 0, rows);
        var loader = new TensorDataLoader(inputs, target, globalBatch / comm.Size, shuffle: true, seed: 11, rank: comm.Rank, worldSize: comm.Size);
        // Validation (120 rows in batches of 16, not sharded): under several ranks each evaluates
        // its share of the batches and the outputs are gathered; the metrics must be one process's.
        var v = data.Tensors(data.Valid);
        var valid = new TensorDataLoader(v.Inputs, v.Target, 16, shuffle: false);

        torch.manual_seed(7 + 1000 * comm.Rank);
        using var model = new TabularModel(data.Schema, config.Model);
        ParameterBroadcast.FromRank0(model, comm);
        // Small buckets, so the test exercises several all-reduces per step.
        using var reduce = new GradientAllReduceCallback(comm, bucketBytes: 4096);
        var shard = new ShardedOptimizerStep(comm);
        Callback[] callbacks = args.ElementAtOrDefault(4) == "noshard" ? [reduce] : [reduce, shard];
        using var learner = new Learner(model, loader, valid, TabularMetrics.Loss(data.Kind), options,
            TabularMetrics.Metrics(data.Schema.Target), callbacks);
        for (int e = 1; e <= epochs; e++)
        {
            learner.Fit(1);
            double loss = DistributedMetrics.Mean(comm, learner.History[^1].TrainLoss, loader.ShardSize);
            if (comm.Rank == 0)
                Console.WriteLine(FormattableString.Invariant($"epoch={e} train_loss={loss:R} valid_loss={learner.History[^1].ValidLoss:R} valid_accuracy={learner.History[^1].Metrics["accuracy"]:R} rows={rows} batch_per_rank={loader.BatchSize} steps={learner.Step} buckets={reduce.Buckets} copy_steps={reduce.CopySteps} shared={(shard.Active ? 1 : 0)} mine={shard.Mine.Count}"));
        }
        using (var file = File.Create($"{prefix}.rank{comm.Rank}.bin"))
            foreach (var p in model.parameters())
                file.Write(p.bytes);
        using (var file = File.Create($"{prefix}.rank{comm.Rank}.state.bin"))
            for (int i = 0; i < learner.Optimizer.Parameters.Count; i++)
                foreach (var t in learner.Optimizer.StateOf(i))
                    file.Write(t.bytes);
        return 0;
    }
}
