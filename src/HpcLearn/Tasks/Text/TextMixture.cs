namespace HpcLearn.Tasks.Text;

/// <summary>
/// The transformer interpolated with the Kneser–Ney count model:
/// <code>
/// P(w | h) = λ P_transformer(w | h) + (1 − λ) P_count(w | h)
/// </code>
/// A mixture of two proper distributions is one, and it is never worse than the better of the two
/// at the λ that fits (the log-likelihood is concave in λ). The two models err differently: the
/// count model remembers rare strings of the training text exactly, the transformer generalises.
/// λ is fitted by EM on text the transformer never trained on (the tune piece), never on the
/// scored validation text.
/// </summary>
public static class TextMixture
{
    /// <summary>
    /// The λ in [0, 1] that maximises Σ ln(λ p_t + (1 − λ) p_c) over the tokens, by EM
    /// (λ ← mean of λ p_t / (λ p_t + (1 − λ) p_c)), from λ = 0.5 until it moves less than 1e-7.
    /// </summary>
    /// <param name="transformerNats">−ln p_t of each token.</param>
    /// <param name="countProbabilities">p_c of the same tokens.</param>
    public static double FitWeight(IReadOnlyList<double> transformerNats, IReadOnlyList<double> countProbabilities)
    {
        if (transformerNats.Count != countProbabilities.Count || transformerNats.Count == 0)
            throw new ArgumentException("needs the same, non-zero number of scores from both models");
        double lambda = 0.5;
        for (int iteration = 0; iteration < 1000; iteration++)
        {
            double sum = 0;
            for (int j = 0; j < transformerNats.Count; j++)
            {
                double t = lambda * Math.Exp(-transformerNats[j]);
                sum += t / (t + (1 - lambda) * countProbabilities[j]);
            }
            double next = sum / transformerNats.Count;
            bool done = Math.Abs(next - lambda) < 1e-7;
            lambda = next;
            if (done) break;
        }
        return lambda;
    }

    /// <summary>Mean −ln(λ p_t + (1 − λ) p_c): the mixture's nats per token.</summary>
    public static double NatsPerToken(double lambda, IReadOnlyList<double> transformerNats, IReadOnlyList<double> countProbabilities)
    {
        double sum = 0;
        for (int j = 0; j < transformerNats.Count; j++)
            sum -= Math.Log(lambda * Math.Exp(-transformerNats[j]) + (1 - lambda) * countProbabilities[j]);
        return sum / transformerNats.Count;
    }

    /// <summary>P_count(ids[j + 1] | ids[..j + 1]) for each j: the count model's scores of the targets <see cref="TextEvaluation.TargetNats"/> scores.</summary>
    public static double[] CountProbabilities(KneserNeyModel model, IReadOnlyList<int> ids)
    {
        var p = new double[ids.Count - 1];
        for (int j = 0; j < p.Length; j++) p[j] = model.Probability(ids, j + 1);
        return p;
    }
}
