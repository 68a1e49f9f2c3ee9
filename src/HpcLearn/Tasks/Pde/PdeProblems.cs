using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>Built-in problems with exact solutions: Burgers, the 1-D heat equation, Poisson on the unit square.</summary>
public static class PdeProblems
{
    /// <summary>The names <see cref="Create"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["burgers", "heat", "poisson"];

    /// <summary>
    /// Burgers' equation u_t + u u_x = ν u_xx on [−1, 1] × [0, 1], u(x, 0) = −sin πx, u(±1, t) = 0
    /// (Raissi et al. 2019). The initial/boundary points are Raissi's: <paramref name="points"/>
    /// drawn with <paramref name="seed"/> from 256 x-values on t = 0 and 100 t-values on each of
    /// x = ±1. Exact solution by Hopf–Cole (<see cref="BurgersExact"/>).
    /// </summary>
    public static PdeProblem Burgers(double nu = 0.01 / Math.PI, int points = 100, int seed = 1234)
    {
        if (points < 1 || points > 456)
            throw new UserError($"pde.boundary_points must be between 1 and 456 for burgers (got {points})");
        Scalar one = 1.0, minusNu = -nu;
        var (xu, u) = RaissiInitialBoundary(points, new Random(seed));
        return new PdeProblem("burgers", PdeDomain.SpaceTime(-1, 1, 0, 1),
            f => f.Ut.add(f.U.mul(f.Ux), one).add_(f.Uxx, minusNu),          // u_t + u u_x − ν u_xx
            [new DataCondition(xu, u)])
        {
            Exact = (xs, ts) => new BurgersExact(nu: nu).Grid(xs, ts),
            Hard = HardFor("burgers"),
        };
    }

    /// <summary>
    /// The heat equation u_t = k u_xx on [−1, 1] × [0, 1], u(x, 0) = sin πx, u(±1, t) = 0; exact
    /// u = e^{−kπ²t} sin πx. <paramref name="points"/> on t = 0 and on each of x = ±1.
    /// </summary>
    public static PdeProblem Heat(double k = 0.1, int points = 100)
    {
        if (!(k > 0)) throw new UserError($"pde.diffusivity must be positive (got {k})");
        Scalar minusK = -k;
        return new PdeProblem("heat", PdeDomain.SpaceTime(-1, 1, 0, 1),
            f => f.Ut.add(f.Uxx, minusK),                                     // u_t − k u_xx
            [
                DirichletCondition.Initial(p => Math.Sin(Math.PI * p[0]), points),
                new DirichletCondition("x", BoundarySide.Min, _ => 0) { Points = points },
                new DirichletCondition("x", BoundarySide.Max, _ => 0) { Points = points },
            ])
        {
            Exact = (xs, ts) => Grid(xs, ts, (x, t) => Math.Exp(-k * Math.PI * Math.PI * t) * Math.Sin(Math.PI * x)),
            Hard = HardFor("heat"),
        };
    }

    /// <summary>
    /// Poisson's equation −Δu = 2π² sin(πx) sin(πy) on the unit square, u = 0 on its four sides;
    /// exact u = sin(πx) sin(πy). <paramref name="points"/> on each side.
    /// </summary>
    public static PdeProblem Poisson(int points = 100)
    {
        Scalar one = 1.0, pi = Math.PI, twoPiSquared = 2 * Math.PI * Math.PI;
        return new PdeProblem("poisson", PdeDomain.Rectangle(0, 1, 0, 1),
            f => f.Uxx.add(f.Uyy, one)                                        // Δu + 2π² sin πx sin πy
                .add_(f.X.mul(pi).sin().mul(f.Y.mul(pi).sin()), twoPiSquared),
            [
                new DirichletCondition("x", BoundarySide.Min, _ => 0) { Points = points },
                new DirichletCondition("x", BoundarySide.Max, _ => 0) { Points = points },
                new DirichletCondition("y", BoundarySide.Min, _ => 0) { Points = points },
                new DirichletCondition("y", BoundarySide.Max, _ => 0) { Points = points },
            ])
        {
            Exact = (xs, ys) => Grid(xs, ys, (x, y) => Math.Sin(Math.PI * x) * Math.Sin(Math.PI * y)),
            Hard = HardFor("poisson"),
        };
    }

    /// <summary>
    /// The exact form of a built-in's conditions (the same for any ν or k): burgers u = −sin πx +
    /// t(1 − x²)N, heat u = sin πx + t(1 − x²)N, poisson u = x(1 − x)y(1 − y)N; null for other names.
    /// </summary>
    public static HardConstraint? HardFor(string name)
    {
        static Tensor First(Tensor p) => p.narrow(1, 0, 1);
        static Tensor Second(Tensor p) => p.narrow(1, 1, 1);
        static Tensor OneMinusSquare(Tensor v) => v.square().neg().add(1.0);   // 1 − v², zero at ±1
        static Tensor Ramp(Tensor v) => v.mul(v.neg().add(1.0));                // v(1 − v), zero at 0 and 1
        return name switch
        {
            "burgers" => new HardConstraint(p => First(p).mul(Math.PI).sin().neg(), p => Second(p).mul(OneMinusSquare(First(p)))),
            "heat" => new HardConstraint(p => First(p).mul(Math.PI).sin(), p => Second(p).mul(OneMinusSquare(First(p)))),
            "poisson" => new HardConstraint(null, p => Ramp(First(p)).mul(Ramp(Second(p)))),
            _ => null,
        };
    }

    /// <summary>The built-in called <paramref name="name"/> with the config's settings.</summary>
    public static PdeProblem Create(string name, double nu, double diffusivity, int points, int seed) => name switch
    {
        "burgers" => Burgers(nu, points, seed),
        "heat" => Heat(diffusivity, points),
        "poisson" => Poisson(points),
        _ => throw new UserError($"pde.equation: unknown equation '{name}'; use one of {string.Join(", ", Names)}"),
    };

    private static double[,] Grid(double[] a, double[] b, Func<double, double, double> u)
    {
        var grid = new double[a.Length, b.Length];
        for (int i = 0; i < a.Length; i++)
            for (int j = 0; j < b.Length; j++) grid[i, j] = u(a[i], b[j]);
        return grid;
    }

    /// <summary>
    /// Raissi's candidates, 256 x-values on t = 0 (u = −sin πx) and 100 t-values on each of x = ±1
    /// (u = 0), of which <paramref name="n"/> are drawn without replacement.
    /// </summary>
    private static (double[] Points, double[] Values) RaissiInitialBoundary(int n, Random rng)
    {
        var candidates = new List<(double X, double T, double U)>();
        for (int i = 0; i < 256; i++) { double x = -1 + 2.0 * i / 255; candidates.Add((x, 0, -Math.Sin(Math.PI * x))); }
        for (int j = 0; j < 100; j++) candidates.Add((-1, j / 100.0, 0));
        for (int j = 0; j < 100; j++) candidates.Add((1, j / 100.0, 0));
        var order = Enumerable.Range(0, candidates.Count).ToArray();
        rng.Shuffle(order);
        var points = new double[2 * n];
        var values = new double[n];
        for (int k = 0; k < n; k++)
        {
            var (x, t, u) = candidates[order[k]];
            points[2 * k] = x; points[2 * k + 1] = t; values[k] = u;
        }
        return (points, values);
    }
}
