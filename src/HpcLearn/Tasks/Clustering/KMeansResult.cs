using HpcLearn.Cluster;

namespace HpcLearn.Tasks.Clustering;

/// <summary>The outcome of <see cref="KMeans.Fit(float[], int, int, KMeansOptions, ICommunicator)"/>: the best of the <see cref="NInitRun"/> runs.</summary>
/// <param name="Centres">Final centres, K × d row-major.</param>
/// <param name="Labels">Index of the nearest final centre for each point.</param>
/// <param name="Inertia">Sum of squared distances of the points to their centres (computed in double).</param>
/// <param name="Iterations">Lloyd iterations the kept run made.</param>
/// <param name="NInitRun">Runs made (restarts).</param>
/// <param name="InertiaHistory">For the kept run, the inertia of each iteration's assignment step, before its centre update; non-increasing.</param>
public sealed record KMeansResult(float[] Centres, int[] Labels, double Inertia, int Iterations, int NInitRun, double[] InertiaHistory)
{
    /// <summary>Whether <see cref="KMeansOptions.Stop"/> ended the run before it converged (the labels are still those of the centres).</summary>
    public bool Stopped { get; init; }
}
