using System.Diagnostics;
using System.Globalization;
using HpcLearn.Tasks.Pde;

namespace HpcLearn.Bench;

/// <summary>
/// burgers [ADAM_ITERS] [LBFGS_ITERS] [float32|float64] [TOLERANCE_CHANGE] [POINTS_DIR]: Raissi's Burgers PINN (9 × 20 tanh,
/// 100 initial/boundary + 10,000 Latin-hypercube points, seed 1234), Adam lr 1e-3 then L-BFGS with
/// strong Wolfe; relative L2 error on the 256 × 100 Hopf–Cole grid. With POINTS_DIR the training
/// points are written there (xu.csv, xf.csv) for the PyTorch peer. With HARD=1 in the environment the
/// conditions are built into the output (u = −sin πx + t(1 − x²)N; the peer reads the same variable).
/// </summary>
internal static class BurgersBench
{
    public static int Run(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        var options = new BurgersPinnOptions
        {
            AdamIterations = args.Length > 0 ? int.Parse(args[0], inv) : 2000,
            LbfgsIterations = args.Length > 1 ? int.Parse(args[1], inv) : 5000,
            Float64 = args.Length > 2 && args[2] == "float64",
            LbfgsToleranceChange = args.Length > 3 ? double.Parse(args[3], inv) : 1e-9,
            HardConstraints = Environment.GetEnvironmentVariable("HARD") == "1",
        };
        var sw = Stopwatch.StartNew();
        var (xs, ts) = BurgersExact.StandardGrid();
        var exact = new BurgersExact().Grid(xs, ts);
        double exactSeconds = sw.Elapsed.TotalSeconds;
        using var pinn = new BurgersPinn(options);
        if (args.Length > 4) WritePoints(pinn, args[4]);
        double untrained = pinn.RelativeL2Error(exact, xs, ts);
        var r = pinn.Train(Console.Error.WriteLine);
        double error = pinn.RelativeL2Error(exact, xs, ts);
        int lbfgsIterations = r.Lbfgs?.Iterations ?? 0;
        Console.WriteLine(string.Create(inv,
            $"dtype={(options.Float64 ? "float64" : "float32")} adam_iters={options.AdamIterations} lbfgs_max={options.LbfgsIterations} tolerance_change={options.LbfgsToleranceChange:E0} hard_constraints={(options.HardConstraints ? 1 : 0)} threads={TorchSharp.torch.get_num_threads()} exact_grid_s={exactSeconds:F2}"));
        Console.WriteLine(string.Create(inv,
            $"untrained_l2={untrained:E3} initial_loss={r.InitialLoss:E3} adam_loss={r.AdamLoss:E3} final_loss={r.FinalLoss:E3} relative_l2_error={error:E3}"));
        Console.WriteLine(string.Create(inv,
            $"adam_s={r.AdamSeconds:F1} adam_it_per_s={options.AdamIterations / Math.Max(r.AdamSeconds, 1e-9):F1} lbfgs_s={r.LbfgsSeconds:F1} lbfgs_iters={lbfgsIterations} lbfgs_evals={r.Lbfgs?.Evaluations ?? 0} lbfgs_it_per_s={lbfgsIterations / Math.Max(r.LbfgsSeconds, 1e-9):F2} lbfgs_stop={r.Lbfgs?.Reason.ToString() ?? "none"}"));
        return 0;
    }

    private static void WritePoints(BurgersPinn pinn, string dir)
    {
        Directory.CreateDirectory(dir);
        Write(Path.Combine(dir, "xu.csv"), TorchSharp.torch.cat([pinn.InitialBoundaryPoints, pinn.InitialBoundaryValues], 1));
        Write(Path.Combine(dir, "xf.csv"), pinn.CollocationPoints);

        static void Write(string path, TorchSharp.torch.Tensor t)
        {
            var d = t.to_type(TorchSharp.torch.ScalarType.Float64).data<double>().ToArray();
            int cols = (int)t.shape[1];
            using var w = new StreamWriter(path);
            for (int i = 0; i < d.Length; i += cols)
                w.WriteLine(string.Join(",", d.Skip(i).Take(cols).Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
    }
}
