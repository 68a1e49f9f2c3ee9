using System.Diagnostics;
using HpcLearn.Cluster;
using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Distributed;
using TorchSharp;

namespace HpcLearn.Bench;

/// <summary>
/// Data-parallel throughput (weak scaling): each rank trains the tabular model (18,000 rows) or
/// the small image CNN (3,200 synthetic 32 x 32 galaxies, augmented on the loader's thread) with
/// 1 thread and a fixed batch per rank over its shard of the same data, gradients all-reduced after
/// every step. Run alone or under <c>mpirun -np N</c>; rank 0 prints samples per second over all
/// ranks (median epoch of one fit, after a warm-up), the gradient all-reduce's time per training step
/// (copying, MPI, and waiting for the slower rank), and, for scale, one bare MPI all-reduce of
/// the same size with the ranks in step.
/// </summary>
internal static class DataParallel
{
    public static int Run(string[] args)
    {
        int batch = args.Length > 0 ? int.Parse(args[0]) : 64, epochs = args.Length > 1 ? int.Parse(args[1]) : 5;
        string kind = args.Length > 2 ? args[2] : "tabular";
        var cluster = ClusterEnvironment.Current();
        using var comm = Communicator.Create(cluster);
        torch.set_num_threads(1);

        TensorDataLoader loader;
        torch.nn.Module<torch.Tensor[], torch.Tensor> model;
        LossFunction loss;
        HpcLearn.Tasks.Vision.ImageTransform? transform = null;
        if (kind == "cnn")
        {
            var set = HpcLearn.Data.Images.SyntheticGalaxies.Generate(3200, 32, seed: 1);
            var (mean, std) = HpcLearn.Tasks.Vision.ImageStatistics.Compute(set);
            transform = new HpcLearn.Tasks.Vision.ImageTransform(mean, std, flip: true, cropPadding: 2, seed: 1);
            loader = new TensorDataLoader([set.PixelTensor()], set.LabelTensor(), batch, shuffle: true, seed: 1, rank: comm.Rank, worldSize: comm.Size)
            {
                Prefetch = true, Transform = transform.Train,
            };
            torch.manual_seed(1);
            model = HpcLearn.Tasks.Shared.VisionModels.Create(new HpcLearn.Tasks.Shared.VisionModelOptions(), 1, 32, 32, 4);
            loss = (o, y) => torch.nn.functional.cross_entropy(o, y);
        }
        else
        {
            var config = new TabularConfig { Data = new TabularDataOptions { BuiltinRows = 20000, ValidFraction = 0.1 } };
            var data = TabularData.Prepare(config, TextWriter.Null);
            var t = data.Tensors(data.Train);
            loader = new TensorDataLoader(t.Inputs, t.Target, batch, shuffle: true, seed: 1, rank: comm.Rank, worldSize: comm.Size);
            torch.manual_seed(1);
            model = new TabularModel(data.Schema, config.Model);
            loss = TabularMetrics.Loss(data.Kind);
        }
        using var _model = model;
        using var _transform = transform;
        ParameterBroadcast.FromRank0(model, comm);
        // As hpclearn's data-parallel runs do: gradients all-reduced, the optimiser step shared out.
        using var reduce = new GradientAllReduceCallback(comm);
        var shard = new ShardedOptimizerStep(comm);
        Callback[] parallel = Environment.GetEnvironmentVariable("DDP_SHARD") == "0" ? [reduce] : [reduce, shard];
        using var learner = new Learner(model, loader, null, loss,
            new TrainOptions { LearningRate = 1e-3, Schedule = ScheduleKind.Constant }, callbacks: comm.Size > 1 ? parallel : []);

        // Warm-up: whole epochs for at least WARMUP_S seconds (default 3; at least one epoch), so that the
        // runtime's tiered JIT has recompiled the hot methods before the timing (a ~0.3 s epoch is too short
        // for that, and the recompiling thread then competes with the rank for its core).
        double warmup = double.TryParse(Environment.GetEnvironmentVariable("WARMUP_S"), System.Globalization.CultureInfo.InvariantCulture, out double w) ? w : 3;
        var warm = Stopwatch.StartNew();
        var elapsed = new double[1];
        do
        {
            comm.Barrier();
            learner.Fit(1);
            elapsed[0] = warm.Elapsed.TotalSeconds;
            comm.AllReduceMax(elapsed);   // every rank stops warming up after the same epoch
        } while (elapsed[0] < warmup);
        // Timed: one Fit over all the epochs, as a training run does. An epoch ends at the
        // all-reduce of its training loss, where the ranks meet, so each epoch's time is the
        // slowest rank's.
        var timer = new EpochTimer();
        learner.AddCallback(timer);
        comm.Barrier();
        timer.Start();
        learner.Fit(epochs);
        var seconds = timer.Seconds;
        double median = seconds.Order().ElementAt(seconds.Count / 2);
        double reduceMs = reduce.Steps == 0 ? 0 : reduce.Elapsed.TotalMilliseconds / reduce.Steps;

        long parameters = model.parameters().Sum(p => p.numel());
        var grads = new float[parameters + model.parameters().Count()];
        comm.Barrier();
        var bare = Stopwatch.StartNew();
        for (int i = 0; i < 1000; i++) comm.AllReduceSum(grads);
        double bareMs = bare.Elapsed.TotalMilliseconds / 1000;

        if (comm.Rank == 0)
        {
            string line = FormattableString.Invariant($"model={kind} ranks={comm.Size} threads=1 batch_per_rank={batch} global_batch={batch * comm.Size} rows={loader.Count} steps_per_epoch={loader.BatchesPerEpoch}");
            Console.WriteLine(line + FormattableString.Invariant(
                $" epoch_s={median:F3} samples_per_s={loader.Count / median:F0} allreduce_ms_per_step={reduceMs:F3} bare_allreduce_ms={bareMs:F3} parameters={parameters} copy_steps={reduce.CopySteps}"));
        }
        return 0;
    }
}

/// <summary>Seconds per epoch: from <see cref="Start"/> or the previous epoch's end to this one's.</summary>
internal sealed class EpochTimer : Callback
{
    private readonly Stopwatch _clock = new();
    private double _last;

    public List<double> Seconds { get; } = new();

    public void Start() => _clock.Restart();

    public override LoopAction OnEpochEnd(Learner learner, EpochRecord record)
    {
        double now = _clock.Elapsed.TotalSeconds;
        Seconds.Add(now - _last);
        _last = now;
        return LoopAction.Continue;
    }
}

