using System.Diagnostics;
using System.Globalization;
using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Training;
using TorchSharp;

namespace HpcLearn.Bench;

/// <summary>
/// The tabular task's bare training epoch (the Learner benchmark's loop) with 1 and with 2 libtorch
/// threads, alternated epoch by epoch so that drift in the machine's speed hits both alike: which
/// thread count a network of this size should get. Args: BATCH WIDTHS (e.g. 200,100) ROUNDS [ROWS].
/// </summary>
internal static class TabularThreads
{
    public static int Run(string[] args)
    {
        int batch = int.Parse(args[0]);
        var widths = args[1].Split(',').Select(int.Parse).ToList();
        int rounds = int.Parse(args[2]);
        int rows = args.Length > 3 ? int.Parse(args[3]) : 20000;
        var config = new TabularConfig { Data = new TabularDataOptions { BuiltinRows = rows, ValidFraction = 0.1 }, Model = new TabularModelOptions { Layers = widths } };
        var data = TabularData.Prepare(config, TextWriter.Null);
        var t = data.Tensors(data.Train);
        var loader = new TensorDataLoader(t.Inputs, t.Target, batch, shuffle: true, seed: 1);
        var loss = TabularMetrics.Loss(data.Kind);
        torch.manual_seed(1);
        using var model = new TabularModel(data.Schema, config.Model);
        using var opt = new HpcLearn.Training.Optimizers.Adam(model.parameters(), 1e-3, 0);
        var times = new Dictionary<int, List<double>> { [1] = [], [2] = [] };
        for (int round = 0; round <= rounds; round++)
            foreach (int th in new[] { 1, 2 })
            {
                torch.set_num_threads(th);
                var sw = Stopwatch.StartNew();
                LearnerOverhead.BareEpoch(model, opt, loader, loss, round);
                if (round > 0) times[th].Add(sw.Elapsed.TotalMilliseconds);
            }
        double m1 = LearnerOverhead.Median(times[1]), m2 = LearnerOverhead.Median(times[2]);
        double macs = TabularModel.MultiplyAddsPerRow(data.Schema, config.Model) * batch; // what TabularThreadChoice compares
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"batch={batch} layers={args[1]} macs_per_step={macs:F0} steps={loader.BatchesPerEpoch} one_thread_ms={m1:F1} two_threads_ms={m2:F1} two_over_one={m1 / m2:F2}"));
        return 0;
    }
}
