using HpcLearn.Cluster;

namespace HpcLearn.Tasks.Clustering;

/// <summary>Options of <see cref="KMeans.Fit(float[], int, int, KMeansOptions, ICommunicator)"/>. Defaults follow scikit-learn's KMeans.</summary>
public sealed record KMeansOptions
{
    /// <summary>Number of clusters (at least 1).</summary>
    public int K { get; init; } = 8;

    /// <summary>Number of restarts from different seeds; the run with the lowest inertia is kept. Default 1.</summary>
    public int NInit { get; init; } = 1;

    /// <summary>Most Lloyd iterations per run. Default 300.</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>
    /// Stop when the summed squared centre shift is at most this times the mean feature variance
    /// (scikit-learn's <c>tol</c>). Default 1e-4; 0 stops only when the labels no longer change.
    /// </summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Initialisation. Default greedy k-means++, as scikit-learn.</summary>
    public KMeansInit Init { get; init; } = KMeansInit.GreedyKMeansPlusPlus;

    /// <summary>Starting centres, K × d row-major, for <see cref="KMeansInit.Given"/>.</summary>
    public float[]? InitialCentres { get; init; }

    /// <summary>Seed of the initialisation; the same seed and thread count give the same result.</summary>
    public int Seed { get; init; } = 0;

    /// <summary>Distance kernel of the assignment step. Default <see cref="KMeansKernel.Simd"/>.</summary>
    public KMeansKernel Kernel { get; init; } = KMeansKernel.Simd;

    /// <summary>
    /// Skip distance computations with Elkan's triangle-inequality bounds (an exact distance to the own
    /// centre and a lower bound to each other centre per point, k floats per point); the same
    /// clustering as plain Lloyd (up to exact ties). Default false.
    /// </summary>
    public bool Elkan { get; init; }

    /// <summary>Worker threads. Default <see cref="Environment.ProcessorCount"/>. The result does not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Asked once per Lloyd iteration (on every rank; the ranks stop together when any says yes):
    /// true ends the run early with the centres reached, a usable model (<see cref="KMeansResult.Stopped"/>).
    /// Null (default) never stops.
    /// </summary>
    public Func<bool>? Stop { get; init; }

    /// <summary>Checks the options against data of <paramref name="d"/> columns; throws a one-line <see cref="UserError"/>.</summary>
    public void Validate(int d)
    {
        if (K < 1) throw new UserError($"k-means: k must be at least 1 (got {K})");
        if (NInit < 1) throw new UserError($"k-means: n_init must be at least 1 (got {NInit})");
        if (MaxIterations < 1) throw new UserError($"k-means: max_iterations must be at least 1 (got {MaxIterations})");
        if (!(Tolerance >= 0) || double.IsInfinity(Tolerance)) throw new UserError($"k-means: tolerance must be a finite number >= 0 (got {Tolerance})");
        if (Threads < 1) throw new UserError($"k-means: threads must be at least 1 (got {Threads})");
        if (Init == KMeansInit.Given)
        {
            if (InitialCentres is null) throw new UserError("k-means: init 'given' needs initial centres (k x d values)");
            if (InitialCentres.Length != (long)K * d)
                throw new UserError($"k-means: initial centres have {InitialCentres.Length} values, expected k x d = {K} x {d} = {(long)K * d}");
            foreach (float v in InitialCentres)
                if (!float.IsFinite(v)) throw new UserError("k-means: initial centres contain NaN or infinity");
        }
    }
}
