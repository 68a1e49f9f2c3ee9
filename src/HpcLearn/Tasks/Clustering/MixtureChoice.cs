namespace HpcLearn.Tasks.Clustering;

/// <summary>One row of the Gaussian mixture k-selection table (lower BIC and AIC are better).</summary>
/// <param name="K">Components.</param>
/// <param name="LogLikelihood">Mean log-likelihood per point.</param>
/// <param name="Bic">Bayesian information criterion.</param>
/// <param name="Aic">Akaike information criterion.</param>
/// <param name="Silhouette">Silhouette of the most-likely-component labels (NaN where undefined).</param>
public sealed record MixtureChoice(int K, double LogLikelihood, double Bic, double Aic, double Silhouette);
