namespace HpcLearn.Tasks.Recommend;

/// <summary>Which network scores a (user, item) pair.</summary>
public enum RecommendModelKind
{
    /// <summary>Biased matrix factorisation: p_u·q_i + b_u + b_i, squashed into the rating range.</summary>
    Dot,
    /// <summary>Neural: [p_u, q_i] through an MLP, squashed into the rating range.</summary>
    Neural,
}
