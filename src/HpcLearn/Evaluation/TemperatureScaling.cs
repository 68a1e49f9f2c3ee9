using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Evaluation;

/// <summary>
/// Temperature scaling (Guo et al. 2017): divide every logit by one T &gt; 0 fitted to minimise
/// the NLL on held-out rows. The argmax, and so the accuracy, does not change; only the
/// confidence does (T &gt; 1 softens an over-confident model).
/// </summary>
/// <remarks>
/// The paper fits T with LBFGS. With a single parameter an exact method is simpler and surer:
/// with β = 1/T the mean NLL is f(β) = mean[logsumexp(β·z) − β·z_true], a sum of convex
/// functions of β, with f′(β) = mean[E_p(z) − z_true] and f″(β) = mean[Var_p(z)] ≥ 0 under
/// p = softmax(β·z). So f′ is monotone and the optimum is its one root, which safeguarded Newton
/// (Newton steps kept inside a shrinking bracket, bisection otherwise) finds to machine
/// precision in a handful of passes over the data, with no learning rate or line search to tune.
/// </remarks>
public static class TemperatureScaling
{
    /// <summary>The smallest temperature <see cref="Fit"/> returns (when every row is already right, the NLL falls forever as T → 0).</summary>
    public const double MinTemperature = 1e-2;

    /// <summary>The largest temperature <see cref="Fit"/> returns (when the logits are no better than uniform, the NLL falls as T → ∞).</summary>
    public const double MaxTemperature = 1e2;

    /// <summary>The T in [<see cref="MinTemperature"/>, <see cref="MaxTemperature"/>] minimising the mean NLL of softmax(logits / T).</summary>
    /// <param name="logits">One row per example, one raw score per class.</param>
    /// <param name="truth">True class per row.</param>
    /// <exception cref="ArgumentException">Empty or mismatched arrays, ragged rows, non-finite logits, or a label outside the row width.</exception>
    public static double Fit(double[][] logits, int[] truth)
    {
        Check(logits, truth);
        // Bracket β = 1/T; f′ rises with β, so its sign at the ends says whether the optimum is inside.
        double lo = 1 / MaxTemperature, hi = 1 / MinTemperature;
        if (Derivatives(logits, truth, lo).First >= 0) return MaxTemperature;
        if (Derivatives(logits, truth, hi).First <= 0) return MinTemperature;

        double beta = 1;
        for (int iteration = 0; iteration < 200; iteration++)
        {
            var (first, second) = Derivatives(logits, truth, beta);
            if (first == 0) break;
            if (first > 0) hi = beta; else lo = beta;
            double newton = second > 0 ? beta - first / second : double.NaN;
            // Bisect geometrically: the bracket spans four orders of magnitude at the start.
            double next = newton > lo && newton < hi ? newton : Math.Sqrt(lo * hi);
            if (Math.Abs(next - beta) <= 1e-14 * beta) { beta = next; break; }
            beta = next;
        }
        return 1 / beta;
    }

    /// <summary>softmax(logits / temperature) per row, computed stably (the row maximum is subtracted first).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The temperature is not a finite positive number.</exception>
    public static double[][] Apply(double[][] logits, double temperature)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must be a finite positive number.");
        return logits.Select(row => Softmax(row, 1 / temperature)).ToArray();
    }

    /// <summary>Fits T on these rows and reports calibration on them before (T = 1) and after.</summary>
    /// <param name="logits">One row per example, one raw score per class.</param>
    /// <param name="truth">True class per row.</param>
    /// <param name="fittedOn">Which rows these are, for the report, e.g. "validation split".</param>
    /// <exception cref="ArgumentException">As for <see cref="Fit"/>.</exception>
    public static CalibrationReport Report(double[][] logits, int[] truth, string fittedOn) =>
        Report(logits, truth, Fit(logits, truth), fittedOn);

    /// <summary>
    /// Calibration on these rows before (T = 1) and after a temperature fitted elsewhere, e.g. T
    /// from the validation split measured on a test set.
    /// </summary>
    /// <param name="logits">One row per example, one raw score per class.</param>
    /// <param name="truth">True class per row.</param>
    /// <param name="temperature">The fitted T.</param>
    /// <param name="fittedOn">Which rows T was fitted on.</param>
    /// <exception cref="ArgumentException">As for <see cref="Fit"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The temperature is not a finite positive number.</exception>
    public static CalibrationReport Report(double[][] logits, int[] truth, double temperature, string fittedOn)
    {
        ArgumentNullException.ThrowIfNull(fittedOn);
        Check(logits, truth);
        return new CalibrationReport(
            temperature,
            Calibration.Compute(truth, Apply(logits, 1)),
            Calibration.Compute(truth, Apply(logits, temperature)),
            fittedOn);
    }

    // f′(β) and f″(β) of the mean NLL, from the mean and variance of z under softmax(β·z).
    private static (double First, double Second) Derivatives(double[][] logits, int[] truth, double beta)
    {
        double first = 0, second = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double[] p = Softmax(logits[i], beta);
            // Shifting z by its maximum changes neither E_p(z) − z_true nor Var_p(z), and keeps
            // E(z²) − E(z)² from cancelling catastrophically when the logits are large.
            double max = logits[i].Max(), mean = 0, meanSquare = 0;
            for (int k = 0; k < p.Length; k++)
            {
                double d = logits[i][k] - max;
                mean += p[k] * d;
                meanSquare += p[k] * d * d;
            }
            first += mean - (logits[i][truth[i]] - max);
            second += Math.Max(meanSquare - mean * mean, 0);
        }
        return (first / logits.Length, second / logits.Length);
    }

    private static double[] Softmax(double[] z, double beta)
    {
        double max = z.Max();
        var p = new double[z.Length];
        double sum = 0;
        for (int k = 0; k < z.Length; k++)
            sum += p[k] = Math.Exp(beta * (z[k] - max));
        for (int k = 0; k < z.Length; k++)
            p[k] /= sum;
        return p;
    }

    private static void Check(double[][] logits, int[] truth)
    {
        ClassificationMetrics.CheckProbabilities(truth, logits);
        for (int i = 0; i < logits.Length; i++)
            if (logits[i].Any(v => !double.IsFinite(v)))
                throw new ArgumentException($"logits[{i}] holds a non-finite value; temperature scaling needs finite logits.", nameof(logits));
    }
}
