using static TorchSharp.torch;

namespace HpcLearn.Tasks.Recommend;

/// <summary>A network that rates (user, item) pairs and places items in an embedding space.</summary>
public interface IRecommenderModel
{
    /// <summary>The item embeddings (I, F), detached: <c>--similar-to</c> ranks items by cosine similarity in this space.</summary>
    Tensor ItemVectors();

    /// <summary>
    /// The L2 penalty λ·mean(‖p_u‖² + ‖q_i‖² + b_u² + b_i²) of the embeddings looked up by the last
    /// training forward (null in evaluation mode or with λ = 0), handed over once: the loss adds it.
    /// </summary>
    Tensor? TakePenalty();
}
