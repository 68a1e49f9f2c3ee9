namespace HpcLearn.Tasks.Pde;

/// <summary>
/// The exact solution of Burgers' equation u_t + u u_x = ν u_xx on x ∈ [−1, 1], t ∈ [0, 1],
/// u(x, 0) = −sin(πx), u(±1, t) = 0, ν = 0.01/π, by the Hopf–Cole transformation:
/// <code>
/// u(x,t) = −∫ sin(π(x−η)) f(x−η) e^{−η²/(4νt)} dη / ∫ f(x−η) e^{−η²/(4νt)} dη,
/// f(y) = exp(−cos(πy)/(2πν)).
/// </code>
/// With η = √(4νt)·z both integrals become weighted averages over z of the exponent
/// E(z) = −cos(πy)/(2πν) − z², y = x − √(4νt)·z. They are computed by the trapezoid rule on
/// z ∈ [−12, 12] (e^{−144} is below double precision), subtracting max E before exponentiating
/// so that e^{50} and e^{−50} weights neither overflow nor underflow.
/// </summary>
public sealed class BurgersExact
{
    /// <summary>Half-width of the integration interval in z; the Gaussian weight e^{−z²} at its ends is e^{−144}.</summary>
    public const double ZMax = 12.0;

    private readonly double[] _z, _w;

    /// <summary>Creates the reference with <paramref name="points"/> trapezoid points on z ∈ [−12, 12].</summary>
    public BurgersExact(int points = 4001, double nu = 0.01 / Math.PI)
    {
        if (points < 3) throw new ArgumentOutOfRangeException(nameof(points), points, "at least 3 quadrature points");
        if (!(nu > 0)) throw new ArgumentOutOfRangeException(nameof(nu), nu, "viscosity must be positive");
        Points = points;
        Nu = nu;
        double h = 2 * ZMax / (points - 1);
        _z = new double[points];
        _w = new double[points];
        for (int i = 0; i < points; i++)
        {
            _z[i] = -ZMax + i * h;
            _w[i] = i == 0 || i == points - 1 ? h / 2 : h;
        }
    }

    /// <summary>Number of trapezoid points.</summary>
    public int Points { get; }

    /// <summary>Viscosity ν (0.01/π in the classical problem).</summary>
    public double Nu { get; }

    /// <summary>u(x, t).</summary>
    public double U(double x, double t) => U(x, t, new double[Points], new double[Points]);

    /// <summary>
    /// ∂u/∂x(x, t), differentiated under the integral sign (exact, no step size to choose):
    /// with ⟨·⟩ the average under the weights w(z) ∝ f(y) e^{−z²} and s = sin(πy), c = cos(πy),
    /// d/dx log f(y) = s/(2ν), so u = −⟨s⟩ and u_x = −π⟨c⟩ − (⟨s²⟩ − ⟨s⟩²)/(2ν).
    /// The variance is summed as ⟨(s − ⟨s⟩)²⟩ to avoid cancellation.
    /// </summary>
    public double Du_dx(double x, double t)
    {
        if (t == 0) return -Math.PI * Math.Cos(Math.PI * x);
        var e = new double[Points];
        var s = new double[Points];
        var c = new double[Points];
        double scale = Exponents(x, t, e, s, c);
        double den = 0, sumS = 0, sumC = 0;
        for (int i = 0; i < Points; i++)
        {
            e[i] = _w[i] * Math.Exp(e[i] - scale);
            den += e[i]; sumS += e[i] * s[i]; sumC += e[i] * c[i];
        }
        double meanS = sumS / den, variance = 0;
        for (int i = 0; i < Points; i++) variance += e[i] * (s[i] - meanS) * (s[i] - meanS);
        return -Math.PI * sumC / den - variance / den / (2 * Nu);
    }

    /// <summary>u on the grid: result[i, j] = u(xs[i], ts[j]); points are computed in parallel.</summary>
    public double[,] Grid(double[] xs, double[] ts)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ts);
        var u = new double[xs.Length, ts.Length];
        Parallel.For(0, xs.Length * ts.Length,
            () => (E: new double[Points], S: new double[Points]),
            (k, _, buffers) =>
            {
                int i = k / ts.Length, j = k % ts.Length;
                u[i, j] = U(xs[i], ts[j], buffers.E, buffers.S);
                return buffers;
            },
            _ => { });
        return u;
    }

    /// <summary>The standard evaluation grid: x = linspace(−1, 1, 256), t = 0, 0.01, …, 0.99.</summary>
    public static (double[] Xs, double[] Ts) StandardGrid() =>
        (Enumerable.Range(0, 256).Select(i => -1 + 2.0 * i / 255).ToArray(),
         Enumerable.Range(0, 100).Select(j => j / 100.0).ToArray());

    private double U(double x, double t, double[] e, double[] s)
    {
        if (t == 0) return -Math.Sin(Math.PI * x);
        double scale = Exponents(x, t, e, s, null);
        double num = 0, den = 0;
        for (int i = 0; i < Points; i++)
        {
            double weight = _w[i] * Math.Exp(e[i] - scale);
            num += weight * s[i];
            den += weight;
        }
        return -num / den;
    }

    /// <summary>
    /// Fills e with E(z), s with sin(πy) (and c with cos(πy)); returns max E. Points with
    /// K − z² &lt; E(0) − 50 (K = 1/(2πν) bounds −cos(πy)/(2πν)) weigh less than e^{−50} of the
    /// largest term and are given E = −∞ without evaluating sin and cos: ~40% of them.
    /// </summary>
    private double Exponents(double x, double t, double[] e, double[] s, double[]? c)
    {
        if (t < 0) throw new ArgumentOutOfRangeException(nameof(t), t, "time must be non-negative");
        double width = Math.Sqrt(4 * Nu * t), inv2PiNu = 1 / (2 * Math.PI * Nu), max = double.NegativeInfinity;
        double zLimitSquared = inv2PiNu + Math.Cos(Math.PI * x) * inv2PiNu + 50;
        for (int i = 0; i < Points; i++)
        {
            double z = _z[i];
            if (z * z > zLimitSquared)
            {
                e[i] = double.NegativeInfinity;
                s[i] = 0;
                if (c is not null) c[i] = 0;
                continue;
            }
            var (sin, cos) = Math.SinCos(Math.PI * (x - width * z));
            e[i] = -cos * inv2PiNu - z * z;
            s[i] = sin;
            if (c is not null) c[i] = cos;
            if (e[i] > max) max = e[i];
        }
        return max;
    }
}
