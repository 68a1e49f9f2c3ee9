namespace HpcLearn.Tasks.Recommend;

/// <summary>The trivial recommenders every model is printed beside.</summary>
public enum BaselineKind
{
    /// <summary>The training mean rating for every pair (cannot rank items).</summary>
    GlobalMean,
    /// <summary>The user's mean training rating (cannot rank items for a user).</summary>
    UserMean,
    /// <summary>The item's mean training rating; ranks items by it.</summary>
    ItemMean,
    /// <summary>μ + b_u + b_i fitted by regularised alternating least squares (Surprise's BaselineOnly); ranks items by b_i.</summary>
    Biases,
    /// <summary>Ranks items by their number of training ratings (no rating prediction).</summary>
    Popularity,
    /// <summary>A uniformly random ranking, as its exact expected metrics (implicit feedback; no rating prediction).</summary>
    Random,
}
