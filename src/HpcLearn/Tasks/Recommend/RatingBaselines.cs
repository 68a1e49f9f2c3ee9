namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// The baselines fitted on the training pairs. Unknown users or items (id -1) fall back:
/// a mean to the global mean, a bias to 0. Predictions are clipped to [min, max].
/// The biases follow Surprise's BaselineOnly (ALS, 10 sweeps, λ_u = 15, λ_i = 10):
/// b_i = Σ(r − μ − b_u) / (λ_i + |R(i)|), then b_u = Σ(r − μ − b_i) / (λ_u + |R(u)|).
/// </summary>
public sealed class RatingBaselines
{
    private readonly float[]? _userMean, _itemMean;

    private RatingBaselines(double global, float[]? userMean, float[]? itemMean, float[] userBias, float[] itemBias, int[] itemCount, float min, float max)
    {
        GlobalMean = global;
        _userMean = userMean;
        _itemMean = itemMean;
        UserBias = userBias;
        ItemBias = itemBias;
        ItemCount = itemCount;
        Min = min;
        Max = max;
    }

    /// <summary>μ, the mean training rating.</summary>
    public double GlobalMean { get; }
    /// <summary>b_u by dense user id.</summary>
    public float[] UserBias { get; }
    /// <summary>b_i by dense item id.</summary>
    public float[] ItemBias { get; }
    /// <summary>Training ratings per item.</summary>
    public int[] ItemCount { get; }
    /// <summary>Lowest rating.</summary>
    public float Min { get; }
    /// <summary>Highest rating.</summary>
    public float Max { get; }

    /// <summary>Fits every baseline on <paramref name="train"/> (all ids known).</summary>
    public static RatingBaselines Fit(RatingPairs train, int users, int items, float min, float max, int sweeps = 10, double regUser = 15, double regItem = 10)
    {
        double mu = train.Ratings.Average(r => (double)r);
        var uSum = new double[users]; var uCount = new int[users];
        var iSum = new double[items]; var iCount = new int[items];
        for (int k = 0; k < train.Count; k++)
        {
            uSum[train.Users[k]] += train.Ratings[k]; uCount[train.Users[k]]++;
            iSum[train.Items[k]] += train.Ratings[k]; iCount[train.Items[k]]++;
        }
        var bu = new double[users]; var bi = new double[items];
        for (int s = 0; s < sweeps; s++)
        {
            Array.Clear(bi);
            for (int k = 0; k < train.Count; k++) bi[train.Items[k]] += train.Ratings[k] - mu - bu[train.Users[k]];
            for (int i = 0; i < items; i++) bi[i] /= regItem + iCount[i];
            Array.Clear(bu);
            for (int k = 0; k < train.Count; k++) bu[train.Users[k]] += train.Ratings[k] - mu - bi[train.Items[k]];
            for (int u = 0; u < users; u++) bu[u] /= regUser + uCount[u];
        }
        return new RatingBaselines(mu,
            Enumerable.Range(0, users).Select(u => uCount[u] == 0 ? (float)mu : (float)(uSum[u] / uCount[u])).ToArray(),
            Enumerable.Range(0, items).Select(i => iCount[i] == 0 ? (float)mu : (float)(iSum[i] / iCount[i])).ToArray(),
            bu.Select(b => (float)b).ToArray(), bi.Select(b => (float)b).ToArray(), iCount, min, max);
    }

    /// <summary>The biases baseline as saved in a model (the means are not kept).</summary>
    public static RatingBaselines FromSaved(double global, float[] userBias, float[] itemBias, int[] itemCount, float min, float max)
        => new(global, null, null, userBias, itemBias, itemCount, min, max);

    /// <summary>Whether this instance has <paramref name="kind"/> (a saved model keeps only the biases and popularity).</summary>
    public bool Has(BaselineKind kind) => kind switch
    {
        BaselineKind.UserMean => _userMean is not null,
        BaselineKind.ItemMean => _itemMean is not null,
        BaselineKind.Random => false, // not fitted: its expected metrics come from RandomRanking
        _ => true,
    };

    /// <summary>The baseline's rating for (u, i); ids of -1 are unknown. Not defined for <see cref="BaselineKind.Popularity"/>.</summary>
    public float Predict(BaselineKind kind, int u, int i)
    {
        double v = kind switch
        {
            BaselineKind.GlobalMean => GlobalMean,
            BaselineKind.UserMean => u >= 0 ? Means(_userMean)[u] : GlobalMean,
            BaselineKind.ItemMean => i >= 0 ? Means(_itemMean)[i] : GlobalMean,
            BaselineKind.Biases => GlobalMean + (u >= 0 ? UserBias[u] : 0) + (i >= 0 ? ItemBias[i] : 0),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), "popularity ranks items; it predicts no rating"),
        };
        return Math.Clamp((float)v, Min, Max);
    }

    /// <summary>The score by which the baseline ranks every item for every user, or null when it cannot rank (global and user mean).</summary>
    public float[]? ItemScores(BaselineKind kind) => kind switch
    {
        BaselineKind.ItemMean => Means(_itemMean),
        BaselineKind.Biases => ItemBias,
        BaselineKind.Popularity => ItemCount.Select(c => (float)c).ToArray(),
        _ => null,
    };

    private static float[] Means(float[]? means) => means ?? throw new InvalidOperationException("the means are not kept in a saved model");
}
