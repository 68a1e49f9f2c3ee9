using System.Diagnostics;
using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Bench;

/// <summary>
/// One training epoch through the Learner (progress + metrics log with CSV and TensorBoard)
/// against a hand-written TorchSharp loop over the same model, data, batch order and optimiser.
/// Epochs alternate between the two so drift in the machine's speed hits both alike.
/// </summary>
internal static class LearnerOverhead
{
    public static int Run(string[] args)
    {
        int threads = args.Length > 0 ? int.Parse(args[0]) : 2;
        torch.set_num_threads(threads);
        // 41 rounds: with 15 the median per-round ratio moved between 1.5% and 9% from run to run
        // on a machine with some background load; with 41 it stayed within about a point.
        const int rows = 20000, batch = 64, rounds = 41;
        var config = new TabularConfig { Data = new TabularDataOptions { BuiltinRows = rows, ValidFraction = 0.1 } };
        var data = TabularData.Prepare(config, TextWriter.Null);
        var t = data.Tensors(data.Train);
        var loader = new TensorDataLoader(t.Inputs, t.Target, batch, shuffle: true, seed: 1);
        var options = new TrainOptions { LearningRate = 1e-3 };
        var loss = TabularMetrics.Loss(data.Kind);

        torch.manual_seed(1);
        using var bareModel = new TabularModel(data.Schema, config.Model);
        using var bareOpt = new HpcLearn.Training.Optimizers.Adam(bareModel.parameters(), options.LearningRate, options.WeightDecay);
        torch.manual_seed(1);
        using var model = new TabularModel(data.Schema, config.Model);
        string dir = Directory.CreateTempSubdirectory("hpclearn-bench-").FullName;
        var callbacks = new List<Callback>();
        callbacks.Add(new ProgressCallback(TextWriter.Null, isTerminal: false));
        callbacks.Add(new MetricsLogCallback(dir));
        using var learner = new Learner(model, loader, null, loss, options, null, callbacks);

        var bare = new List<double>();
        var withLearner = new List<double>();
        for (int round = 0; round < rounds + 1; round++)
        {
            double b = Time(() => BareEpoch(bareModel, bareOpt, loader, loss, round));
            double l = Time(() => learner.Fit(1));
            if (round == 0) continue; // warm-up: JIT, allocator, first TensorBoard file
            bare.Add(b);
            withLearner.Add(l);
        }
        double garbage = FinalizablePerStep(() => learner.Fit(2), 2 * loader.BatchesPerEpoch);
        Directory.Delete(dir, recursive: true);
        double mb = Median(bare), ml = Median(withLearner);
        string embeddings = string.Join(",", data.Schema.Categorical.Select(f => $"{f.Categories.Count + 1}x{f.EmbeddingSize}"));
        Console.WriteLine($"rows={data.Train.RowCount} batch={batch} batches_per_epoch={loader.BatchesPerEpoch} threads={threads} numeric_width={data.Schema.NumericWidth} embeddings={embeddings}");
        Console.WriteLine($"bare_epoch_ms={mb * 1000:F1}");
        Console.WriteLine($"learner_epoch_ms={ml * 1000:F1}");
        // Each round times the two loops back to back; the median of the per-round ratios is
        // robust to the machine's speed drifting between rounds.
        double ratio = Median(bare.Zip(withLearner, (b, l) => l / b).ToList());
        Console.WriteLine($"overhead_pct={(ratio - 1) * 100:F1}");
        Console.WriteLine($"finalizable_per_step={garbage:F2}");
        return 0;
    }

    // What a user would write by hand: shuffle, gather a batch, step.
    internal static void BareEpoch(nn.Module<Tensor[], Tensor> model, HpcLearn.Training.Optimizers.Optimizer opt, TensorDataLoader data, LossFunction loss, int epoch)
    {
        model.train();
        long[] order = data.ShardIndices(epoch);
        for (int start = 0; start < order.Length; start += data.BatchSize)
        {
            using var scope = torch.NewDisposeScope();
            var idx = tensor(order.AsSpan(start, Math.Min(data.BatchSize, order.Length - start)).ToArray());
            var x = data.Inputs.Select(i => i.index_select(0, idx)).ToArray();
            var y = data.Target.index_select(0, idx);
            opt.ZeroGrad();
            var l = loss(model.forward(x), y);
            l.backward();
            opt.Step();
            _ = l.ToDouble(); // a hand-written loop reads the loss too, to print it
        }
    }

    // Objects that were dropped without Dispose and wait for the finaliser, per training step. Each
    // survives the collection that finds it and is then finalised on another thread: at ~13 per
    // step (before TensorScalar, Constants.Zero and Batch.Size avoided TorchSharp's leaky calls) a
    // gen-0 collection took 40-60 ms every ~2 s. No collection may run while counting (it would
    // queue and finalise some uncounted), so the steps run inside a no-GC region.
    private static double FinalizablePerStep(Action steps, long count)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (!GC.TryStartNoGCRegion(200L << 20)) return double.NaN;
        try { steps(); }
        finally
        {
            if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        }
        GC.Collect();
        long pending = GC.GetGCMemoryInfo().FinalizationPendingCount;
        GC.WaitForPendingFinalizers();
        return (double)pending / count;
    }

    private static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalSeconds;
    }

    internal static double Median(List<double> xs)
    {
        var s = xs.OrderBy(x => x).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
