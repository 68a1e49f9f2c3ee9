namespace HpcLearn.Tasks.Clustering;

/// <summary>The outcome of <see cref="GaussianMixture.Fit"/>: the best of the restarts.</summary>
/// <param name="Model">The fitted parameters.</param>
/// <param name="Labels">The most likely component of each training point under <paramref name="Model"/>.</param>
/// <param name="LogLikelihood">Mean log-likelihood per point under <paramref name="Model"/> (scikit-learn's <c>score</c>).</param>
/// <param name="Bic">−2·n·<paramref name="LogLikelihood"/> + p·ln n.</param>
/// <param name="Aic">−2·n·<paramref name="LogLikelihood"/> + 2p.</param>
/// <param name="Iterations">EM iterations of the kept run.</param>
/// <param name="Converged">Whether the kept run stopped on the tolerance rather than on the iteration limit.</param>
/// <param name="LogLikelihoodHistory">Mean log-likelihood at the parameters each iteration started from, then at the final ones; non-decreasing (EM).</param>
public sealed record GaussianMixtureResult(GaussianMixtureModel Model, int[] Labels, double LogLikelihood, double Bic, double Aic, int Iterations, bool Converged, double[] LogLikelihoodHistory);
