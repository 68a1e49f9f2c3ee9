namespace HpcLearn.Tasks.Recommend;

/// <summary>What the data says about a (user, item) pair.</summary>
public enum FeedbackKind
{
    /// <summary>A rating on a scale: the model predicts it (MSE), scored by RMSE, MAE and top-k.</summary>
    Explicit,
    /// <summary>
    /// Only that the user interacted with the item (clicked, bought, watched): the model ranks
    /// items (BPR with sampled negatives), scored by top-k beside popularity and random.
    /// </summary>
    Implicit,
}
