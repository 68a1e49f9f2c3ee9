using HpcLearn.Tasks.Pde;
using HpcLearn.Training.Optimizers;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Tasks.Pde;

/// <summary>
/// The general PINN solver against exact solutions (heat, Poisson, a periodic/Neumann heat problem),
/// its autograd derivatives against finite differences, and its bad-input messages.
/// </summary>
[Collection("torch-rng")]
public sealed class PdeSolverTests(ITestOutputHelper output)
{
    private static readonly PinnOptions Short = new()
    {
        Layers = [2, 16, 16, 1], CollocationPoints = 200, AdamIterations = 50, LbfgsIterations = 150, Float64 = true, Seed = 3,
    };

    private double TrainedError(PdeProblem problem, PinnOptions options)
    {
        var (a, b) = problem.Domain.EvaluationGrid();
        a = a.Where((_, i) => i % 4 == 0).ToArray();  // a coarser grid keeps the test fast
        var exact = problem.Exact!(a, b);
        using var solver = new PinnSolver(problem, options);
        double before = solver.RelativeL2Error(exact, a, b);
        var r = solver.Train();
        double after = solver.RelativeL2Error(exact, a, b);
        output.WriteLine($"{problem.Name}: relative L2 {before:E3} -> {after:E3}; loss {r.InitialLoss:E3} -> {r.FinalLoss:E3}; {r.Lbfgs}");
        Assert.Null(r.Diverged);
        Assert.Equal(options.AdamIterations, r.AdamSteps);
        Assert.Equal(options.AdamIterations + r.Lbfgs!.Evaluations, r.Losses.Count);
        return after;
    }

    [Fact]
    public void Two_halves_of_the_points_give_the_whole_sum_s_loss_and_gradients_on_any_thread_count()
    {
        // Burgers (float64, 5,000 points: above PinnSolver.HalvesFrom): the halves against the whole
        // sum as the oracle, and the halves on two threads against the same halves one after the other.
        var options = new BurgersPinnOptions { Layers = [2, 20, 20, 1], CollocationPoints = 5000, Float64 = true, Seed = 5 }.ToPinnOptions();
        Assert.True(options.CollocationPoints >= PinnSolver.HalvesFrom);
        using var solver = new PinnSolver(PdeProblems.Burgers(0.01 / Math.PI, 100, 5), options);
        (double Loss, double[] Grad) Evaluate(bool halves, int threads)
        {
            using var scope = NewDisposeScope();
            using var t = TorchRuntime.ThreadsFor(threads);
            solver.Model.zero_grad();
            double loss = solver.LossWithGradients(halves).item<double>();
            return (loss, solver.Model.parameters().SelectMany(p => p.grad!.data<double>().ToArray()).ToArray());
        }
        var whole = Evaluate(halves: false, threads: 1);
        var two = Evaluate(halves: true, threads: 2);
        var one = Evaluate(halves: true, threads: 1);
        Assert.Equal(whole.Loss, two.Loss, 1e-12 * whole.Loss);
        double scale = whole.Grad.Max(Math.Abs);
        for (int i = 0; i < whole.Grad.Length; i++) Assert.Equal(whole.Grad[i], two.Grad[i], 1e-11 * scale);
        Assert.Equal(one.Loss, two.Loss);   // bit for bit: each half runs on one libtorch thread either way
        Assert.Equal(one.Grad, two.Grad);
        // The default: the whole sum on one thread, the halves on two.
        Assert.Equal(whole.Loss, Evaluate(halves: false, threads: 1).Loss);
    }

    [Fact]
    public void Stopped_in_each_phase_then_loaded_into_a_new_solver_ends_with_the_uninterrupted_weights()
    {
        var problem = PdeProblems.Heat(k: 0.1, points: 20);
        var options = Short with { Layers = [2, 8, 8, 1], CollocationPoints = 60, AdamIterations = 20, LbfgsIterations = 30 };
        double[] Weights(PinnSolver s) => s.Model.parameters().SelectMany(p => p.data<double>().ToArray()).ToArray();
        using var straight = new PinnSolver(problem, options);
        var whole = straight.Train();

        byte[]? saved = null;
        void Save(PinnSolver s)
        {
            using var buffer = new MemoryStream();
            using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) s.SaveState(w);
            saved = buffer.ToArray();
        }
        var finals = new List<PinnResult>();
        // Stop after Adam iteration 7, then after L-BFGS iteration 12, each time in a new solver that loads the last state.
        foreach (Func<PinnSolver, bool> stopWhen in new Func<PinnSolver, bool>[] { s => s.AdamSteps == 7, s => s.LbfgsIterations == 12, _ => false })
        {
            using var solver = new PinnSolver(problem, options);
            if (saved is not null) solver.LoadState(new BinaryReader(new MemoryStream(saved)));
            int checkpoints = 0;
            var r = solver.Train(stop: () => stopWhen(solver) ? "test stop" : null, checkpoint: () => { checkpoints++; Save(solver); });
            finals.Add(r);
            if (r.Stopped is null) Assert.Equal(Weights(straight), Weights(solver));
            else Assert.Equal(1, checkpoints);
        }
        Assert.Equal(["test stop", "test stop", null], finals.Select(r => r.Stopped));
        Assert.Equal(7, finals[0].AdamSteps);
        Assert.Equal(LbfgsStopReason.Interrupted, finals[1].Lbfgs!.Reason);
        var last = finals[^1];
        Assert.Equal(whole.Lbfgs!.Iterations, last.Lbfgs!.Iterations);
        Assert.Equal(whole.Lbfgs.Evaluations, last.Lbfgs.Evaluations);
        Assert.Equal(whole.Losses, last.Losses);
        Assert.Equal(whole.FinalLoss, last.FinalLoss);
    }

    [Fact]
    public void Refinement_adds_the_candidates_with_the_largest_residual()
    {
        var problem = PdeProblems.Heat(k: 0.1, points: 20);
        var plain = Short with { Layers = [2, 8, 8, 1], CollocationPoints = 60, AdamIterations = 5, LbfgsIterations = 0 };
        var refined = plain with { RefineRounds = 1, RefinePoints = 7, RefineCandidates = 300, RefineIterations = 1 };
        // Oracle: the same network after the same Adam steps, its |f| on the round's candidates ranked here.
        using var reference = new PinnSolver(problem, plain);
        reference.Train();
        var candidates = problem.Domain.LatinHypercube(300, PinnSolver.RefinementRandom(refined.Seed, 1));
        double[] magnitude;
        using (var f = reference.Residual(tensor(candidates, [300, 2], dtype: ScalarType.Float64)).detach().abs())
            magnitude = f.data<double>().ToArray();
        var expected = Enumerable.Range(0, 300).OrderByDescending(i => magnitude[i]).Take(7)
            .SelectMany(i => new[] { candidates[2 * i], candidates[2 * i + 1] }).ToArray();

        using var solver = new PinnSolver(problem, refined);
        var r = solver.Train();
        Assert.Equal(1, solver.RefineRounds);
        Assert.Equal([67L, 2L], solver.CollocationPoints.shape);
        Assert.Equal(expected, solver.CollocationPoints.narrow(0, 60, 7).data<double>().ToArray());
        Assert.Equal(1, r.Lbfgs!.Iterations);
        Assert.True(magnitude.Order().Skip(293).First() >= magnitude.Average(), "the chosen points are among the worst");
    }

    [Fact]
    public void Stopped_inside_a_refinement_round_then_loaded_ends_with_the_uninterrupted_weights_and_points()
    {
        var problem = PdeProblems.Heat(k: 0.1, points: 20);
        var options = Short with
        {
            Layers = [2, 8, 8, 1], CollocationPoints = 60, AdamIterations = 10, LbfgsIterations = 10,
            RefineRounds = 2, RefinePoints = 5, RefineCandidates = 100, RefineIterations = 8,
        };
        double[] Weights(PinnSolver s) => s.Model.parameters().SelectMany(p => p.data<double>().ToArray()).ToArray();
        using var straight = new PinnSolver(problem, options);
        var whole = straight.Train();
        Assert.Equal(2, straight.RefineRounds);
        Assert.Equal(70, straight.CollocationPoints.shape[0]);

        byte[] saved = [];
        using (var first = new PinnSolver(problem, options))
        {
            // L-BFGS iterations count over the rounds: 10 in the first phase, 8 in round 1, so 21 is inside round 2.
            var r = first.Train(stop: () => first.LbfgsIterations == 21 ? "test stop" : null, checkpoint: () =>
            {
                using var buffer = new MemoryStream();
                using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) first.SaveState(w);
                saved = buffer.ToArray();
            });
            Assert.Equal("test stop", r.Stopped);
            Assert.Equal(2, first.RefineRounds);
        }
        using var resumed = new PinnSolver(problem, options);
        resumed.LoadState(new BinaryReader(new MemoryStream(saved)));
        Assert.Equal(70, resumed.CollocationPoints.shape[0]);
        var last = resumed.Train();
        Assert.Equal(straight.CollocationPoints.data<double>().ToArray(), resumed.CollocationPoints.data<double>().ToArray());
        Assert.Equal(Weights(straight), Weights(resumed));
        Assert.Equal(whole.Lbfgs!.Iterations, last.Lbfgs!.Iterations);
        Assert.Equal(whole.Losses, last.Losses);
    }

    [Fact]
    public void A_state_of_version_1_from_before_refinement_still_loads()
    {
        var problem = PdeProblems.Heat(k: 0.1, points: 20);
        var options = Short with { Layers = [2, 8, 8, 1], CollocationPoints = 60, AdamIterations = 5, LbfgsIterations = 5 };
        using var trained = new PinnSolver(problem, options);
        trained.Train();
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) trained.SaveState(w);
        // Version 1 was version 2 without the four trailing integers (round, iterations and evaluations before, no added points).
        var bytes = buffer.ToArray()[..^16];
        BitConverter.GetBytes(1).CopyTo(bytes, 0);
        using var loaded = new PinnSolver(problem, options);
        loaded.LoadState(new BinaryReader(new MemoryStream(bytes)));
        Assert.Equal(5, loaded.LbfgsIterations);
        Assert.Equal(0, loaded.RefineRounds);
        Assert.Equal(trained.CurrentLoss(), loaded.CurrentLoss());
    }

    [Theory]
    [InlineData("burgers")]
    [InlineData("heat")]
    [InlineData("poisson")]
    public void Hard_constraints_meet_the_conditions_exactly_for_any_network(string name)
    {
        var problem = PdeProblems.Create(name, nu: 0.01 / Math.PI, diffusivity: 0.1, points: 50, seed: 1);
        var options = Short with { Layers = [2, 8, 8, 1], CollocationPoints = 20, HardConstraints = true };
        using var solver = new PinnSolver(problem, options);   // untrained: random weights
        var rng = new Random(4);
        var s = Enumerable.Range(0, 30).Select(_ => rng.NextDouble()).ToArray();
        // (point, exact value) on every side where a condition applies.
        var cases = name == "poisson"
            ? s.SelectMany(v => new[] { (0.0, v, 0.0), (1.0, v, 0.0), (v, 0.0, 0.0), (v, 1.0, 0.0) })
            : s.SelectMany(v => new[] { (2 * v - 1, 0.0, (name == "burgers" ? -1 : 1) * Math.Sin(Math.PI * (2 * v - 1))), (-1.0, v, 0.0), (1.0, v, 0.0) });
        var list = cases.ToList();
        var u = solver.Predict(list.SelectMany(c => new[] { c.Item1, c.Item2 }).ToArray());
        for (int i = 0; i < list.Count; i++) Assert.Equal(list[i].Item3, u[i], 12);
        // Inside the domain the network still matters: an untrained one is not the exact solution.
        Assert.True(solver.RelativeL2Error(problem.Exact!(new[] { -0.5, 0.25, 0.5 }, new[] { 0.5, 0.75 }), [-0.5, 0.25, 0.5], [0.5, 0.75]) > 1e-3);
    }

    [Fact]
    public void Heat_with_hard_constraints_reaches_a_small_error_against_the_exact_solution()
    {
        double error = TrainedError(PdeProblems.Heat(k: 0.1, points: 50), Short with { HardConstraints = true });
        Assert.True(error < 0.01, $"heat relative L2 error with hard constraints {error}");
    }

    [Fact]
    public void Hard_constraints_for_a_problem_without_an_exact_form_is_a_user_error()
    {
        var heat = PdeProblems.Heat(k: 0.1, points: 20);
        var e = Assert.Throws<UserError>(() => new PinnSolver(heat with { Name = "mine", Hard = null }, Short with { HardConstraints = true }));
        Assert.Equal("pde.hard_constraints: the problem 'mine' has no exact form of its conditions (PdeProblem.Hard); set pde.hard_constraints: false or give it one", e.Message);
    }

    [Fact]
    public void Heat_equation_reaches_a_small_error_against_the_exact_solution()
    {
        double error = TrainedError(PdeProblems.Heat(k: 0.1, points: 50), Short);
        Assert.True(error < 0.02, $"heat relative L2 error {error}");
    }

    [Fact]
    public void Poisson_reaches_a_small_error_against_the_exact_solution()
    {
        double error = TrainedError(PdeProblems.Poisson(points: 30), Short with { LbfgsIterations = 400 });
        Assert.True(error < 0.02, $"poisson relative L2 error {error}");
    }

    [Fact]
    public void Periodic_and_Neumann_conditions_give_the_cosine_heat_solution()
    {
        // u_t = k u_xx, u(x, 0) = cos πx, periodic in x on [−1, 1] and u_x(−1, t) = 0: u = e^{−kπ²t} cos πx.
        const double k = 0.1;
        Scalar minusK = -k;
        var problem = new PdeProblem("cosine heat", PdeDomain.SpaceTime(-1, 1, 0, 1), f => f.Ut.add(f.Uxx, minusK),
            [
                DirichletCondition.Initial(p => Math.Cos(Math.PI * p[0]), 50),
                new PeriodicCondition("x") { Points = 50 },
                new NeumannCondition("x", BoundarySide.Min, _ => 0) { Points = 50 },
            ])
        {
            Exact = (xs, ts) =>
            {
                var u = new double[xs.Length, ts.Length];
                for (int i = 0; i < xs.Length; i++)
                    for (int j = 0; j < ts.Length; j++) u[i, j] = Math.Exp(-k * Math.PI * Math.PI * ts[j]) * Math.Cos(Math.PI * xs[i]);
                return u;
            },
        };
        double error = TrainedError(problem, Short);
        Assert.True(error < 0.03, $"periodic/Neumann relative L2 error {error}");
    }

    [Fact]
    public void Derivatives_match_finite_differences_of_the_network()
    {
        using var solver = new PinnSolver(PdeProblems.Poisson(), Short with { AdamIterations = 0, LbfgsIterations = 0 });
        double[] pts = [0.3, 0.2, 0.7, 0.55, 0.05, 0.9];
        using var scope = NewDisposeScope();
        var x = tensor(pts, [3, 2], dtype: ScalarType.Float64).requires_grad_(true);
        var f = new PdeFields(solver.Problem.Domain, x, solver.Model.forward(x));
        var uxx = f.Uxx.detach().data<double>().ToArray();
        var uyy = f.Uyy.detach().data<double>().ToArray();
        var uxy = f.D("x", "y").detach().data<double>().ToArray();
        var uy = f.Uy.detach().data<double>().ToArray();

        double U(double a, double b) => solver.Predict([a, b])[0];
        const double h = 1e-3;
        for (int k = 0; k < 3; k++)
        {
            double a = pts[2 * k], b = pts[2 * k + 1];
            double fdUy = (-U(a, b + 2 * h) + 8 * U(a, b + h) - 8 * U(a, b - h) + U(a, b - 2 * h)) / (12 * h);
            double fdUxx = (-U(a + 2 * h, b) + 16 * U(a + h, b) - 30 * U(a, b) + 16 * U(a - h, b) - U(a - 2 * h, b)) / (12 * h * h);
            double fdUyy = (-U(a, b + 2 * h) + 16 * U(a, b + h) - 30 * U(a, b) + 16 * U(a, b - h) - U(a, b - 2 * h)) / (12 * h * h);
            double fdUxy = (U(a + h, b + h) - U(a + h, b - h) - U(a - h, b + h) + U(a - h, b - h)) / (4 * h * h);
            output.WriteLine($"({a}, {b}): u_y {uy[k] - fdUy:E2}, u_xx {uxx[k] - fdUxx:E2}, u_yy {uyy[k] - fdUyy:E2}, u_xy {uxy[k] - fdUxy:E2}");
            Assert.Equal(fdUy, uy[k], 1e-7);
            Assert.Equal(fdUxx, uxx[k], 1e-5);
            Assert.Equal(fdUyy, uyy[k], 1e-5);
            Assert.Equal(fdUxy, uxy[k], 1e-5);  // central mixed difference: O(h²)
        }
    }

    [Fact]
    public void A_residual_of_the_wrong_shape_is_a_user_error()
    {
        var problem = PdeProblems.Heat() with { Name = "bad", Residual = f => f.Points };
        using var solver = new PinnSolver(problem, Short with { CollocationPoints = 5 });
        using var scope = NewDisposeScope();
        var e = Assert.Throws<UserError>(() => solver.Loss());
        Assert.Equal("the residual of 'bad' returned shape (5, 2); it must be (N, 1), one value per point (N = 5)", e.Message);
    }

    [Fact]
    public void A_domain_with_min_not_below_max_is_a_user_error()
    {
        var e = Assert.Throws<UserError>(() => PdeDomain.SpaceTime(1, 1, 0, 1));
        Assert.Equal("domain: x min (1) must be less than x max (1)", e.Message);
        var y = Assert.Throws<UserError>(() => PdeDomain.Rectangle(0, 1, 2, 0.5));
        Assert.Equal("domain: y min (2) must be less than y max (0.5)", y.Message);
    }

    [Theory]
    [InlineData(-1, 10, 100, 5, "pde.refine_rounds must be at least 0 (got -1)")]
    [InlineData(1, 0, 100, 5, "pde.refine_points must be at least 1 when pde.refine_rounds is set (got 0)")]
    [InlineData(1, 10, 5, 5, "pde.refine_candidates (5) must be at least pde.refine_points (10): the added points are the worst of the candidates")]
    [InlineData(1, 10, 100, 0, "pde.refine_iterations must be at least 1 when pde.refine_rounds is set (got 0)")]
    public void Bad_refinement_settings_are_user_errors(int rounds, int points, int candidates, int iterations, string expected)
    {
        var options = Short with { RefineRounds = rounds, RefinePoints = points, RefineCandidates = candidates, RefineIterations = iterations };
        var e = Assert.Throws<UserError>(() => new PinnSolver(PdeProblems.Heat(), options));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Zero_collocation_points_is_a_user_error()
    {
        var e = Assert.Throws<UserError>(() => new PinnSolver(PdeProblems.Heat(), Short with { CollocationPoints = 0 }));
        Assert.Equal("pde.collocation_points must be at least 1 (got 0): the PDE residual needs points inside the domain", e.Message);
    }

    [Fact]
    public void A_loss_that_turns_NaN_stops_at_the_last_finite_parameters()
    {
        int calls = 0;
        Scalar minusK = -0.1;
        var nan = tensor(double.NaN, dtype: ScalarType.Float64);
        // Finite for the initial loss and two Adam iterations, NaN from the third on.
        var problem = PdeProblems.Heat() with { Residual = f => ++calls > 3 ? f.Ut.mul(nan) : f.Ut.add(f.Uxx, minusK) };
        using var solver = new PinnSolver(problem, Short with { AdamIterations = 10 });
        var r = solver.Train();
        Assert.Equal("the loss became NaN at Adam iteration 3", r.Diverged);
        Assert.Equal(2, r.AdamSteps);
        Assert.Null(r.Lbfgs);
        Assert.True(double.IsFinite(r.FinalLoss));
        foreach (var p in solver.Model.parameters()) Assert.True(p.isfinite().all().ToBoolean());
        nan.Dispose();
    }
}
