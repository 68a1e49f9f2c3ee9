using HpcLearn.Training;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Tabular;

/// <summary>A ridge fit: y ≈ x·w + b, with the penalty α·|w|² that generalised cross-validation chose.</summary>
/// <param name="Weights">One coefficient per column of the design matrix.</param>
/// <param name="Intercept">The unpenalised intercept.</param>
/// <param name="Alpha">The penalty chosen.</param>
public sealed record RidgeSolution(double[] Weights, double Intercept, double Alpha);

/// <summary>
/// Closed-form ridge regression in double precision, the start of a regression network's linear
/// path (<see cref="TabularModelOptions.LinearSkip"/>). The penalty is chosen by generalised
/// cross-validation (GCV, an exact closed-form stand-in for leave-one-out), from one
/// eigendecomposition of the centred Gram matrix XᵀX = V diag(λ) Vᵀ:
/// w(α) = V diag(1 / (λ + α)) Vᵀ Xᵀy, with hat-matrix trace Σ λ / (λ + α).
/// </summary>
public static class TabularRidge
{
    /// <summary>Design matrices wider than this are not solved (the p × p eigendecomposition grows as p³).</summary>
    public const int MaxColumns = 4096;

    /// <summary>The penalties GCV chooses from: 10^-3 to 10^5 in quarter decades (features standardised, so λ is about n per direction).</summary>
    public static IReadOnlyList<double> Alphas { get; } = Enumerable.Range(0, 33).Select(i => Math.Pow(10, -3 + i / 4.0)).ToArray();

    /// <summary>Fits <paramref name="y"/> (n) on <paramref name="x"/> (n, p), both converted to float64.</summary>
    public static RidgeSolution Fit(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var xd = x.to(float64);                                   // (n, p)
        var yd = y.to(float64).reshape(-1);                       // (n)
        long n = xd.shape[0], p = xd.shape[1];
        var xMean = xd.mean([0]);                                 // (p)
        double yMean = TensorScalar.Value(yd.mean());
        var xc = xd - xMean;                                      // (n, p)
        var yc = yd - yMean;                                      // (n)
        var (lambdaT, v) = linalg.eigh(xc.T.mm(xc));              // (p), (p, p)
        var z = v.T.mv(xc.T.mv(yc));                              // (p): Vᵀ Xᵀ y
        double[] lambda = lambdaT.clamp_min(0).data<double>().ToArray();
        double[] zs = z.data<double>().ToArray();
        double yy = TensorScalar.Value(yc.dot(yc));
        double tiny = 1e-10 * Math.Max(1.0, lambda.Max());

        double bestAlpha = Alphas[^1], bestGcv = double.PositiveInfinity;
        foreach (double alpha in Alphas)
        {
            // Residual sum of squares and effective degrees of freedom of the fit at this α.
            double rss = yy, trace = 0;
            for (int i = 0; i < p; i++)
            {
                if (lambda[i] <= tiny) continue;
                double shrink = alpha / (lambda[i] + alpha);
                rss -= zs[i] * zs[i] / lambda[i] * (1 - shrink * shrink);
                trace += lambda[i] / (lambda[i] + alpha);
            }
            double dof = n - 1 - trace; // the intercept takes one
            if (dof <= 0) continue;
            double gcv = n * Math.Max(rss, 0) / (dof * dof);
            if (gcv < bestGcv) { bestGcv = gcv; bestAlpha = alpha; }
        }

        var inverse = tensor(lambda.Select(l => 1 / (l + bestAlpha)).ToArray(), float64);
        var w = v.mv(inverse * z);                                // (p)
        double intercept = yMean - TensorScalar.Value(xMean.dot(w));
        return new RidgeSolution(w.data<double>().ToArray(), intercept, bestAlpha);
    }
}
