using HpcLearn.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// The BPR side of a recommend run: training batches of (user, positive) pairs to which the loader
/// appends sampled negatives, a held-out batch set with fixed negatives for the per-epoch
/// validation, and its metric.
/// </summary>
public static class ImplicitTraining
{
    /// <summary>The per-epoch validation metric: the share of (held-out positive, sampled negative) pairs the model orders right.</summary>
    public const string SampledAuc = "sampled_auc";

    /// <summary>
    /// The training loader (negatives drawn per batch from (seed, rank, epoch, batch), never an item the
    /// user has in training or validation) and the validation loader over the warm interactions set
    /// aside from the training file (negatives drawn once from (seed, 0, batch), never a training or
    /// validation item of the user), or null when nothing is set aside. <paramref name="seen"/> holds
    /// each user's training and validation items. Users who interacted with every item have no negative: their pairs
    /// are left out of training, with a warning.
    /// </summary>
    /// <exception cref="UserError">No user has an item left to sample.</exception>
    public static (TensorDataLoader Train, TensorDataLoader? Valid) Loaders(RecommendData data, RecommendConfig config,
        IReadOnlyList<HashSet<int>> seen, int rank, int worldSize, TextWriter log)
    {
        int items = data.Items.Count, negatives = config.Model.Negatives;
        var sampler = new NegativeSampler(seen, items, negatives);
        var train = Where(data.Train, k => sampler.HasNegatives(data.Train.Users[k]));
        int full = Enumerable.Range(0, seen.Count).Count(u => !sampler.HasNegatives(u));
        if (train.Count == 0)
            throw new UserError($"{data.Source}: every user has interacted with every one of the {items} items, so BPR has no negative item to sample; implicit feedback needs items a user has not interacted with");
        if (full > 0)
            log.WriteLine($"warning: {full} user{(full == 1 ? " has" : "s have")} interacted with every item: with no negative to sample, their {data.Train.Count - train.Count} interactions are left out of BPR training");
        var (inputs, target) = RecommendData.Tensors(train);
        var trainLoader = new TensorDataLoader(inputs, target, config.Train.BatchSize, shuffle: true, config.Seed, rank, worldSize)
        {
            Transform = sampler.Transform(Seeds.Derive(config.Seed, SeedStream.NegativeItems, rank)),
        };

        // Validation: the interactions set aside from the training file (never the test pairs); their
        // negatives are never an item the user has in training or in validation (seen holds both).
        var held = data.Valid;
        var validSampler = new NegativeSampler(seen, items, negatives);
        var valid = Where(held, k => held.IsWarm(k) && validSampler.HasNegatives(held.Users[k]));
        if (valid.Count == 0) return (trainLoader, null);
        var (vInputs, vTarget) = RecommendData.Tensors(valid);
        return (trainLoader, new TensorDataLoader(vInputs, vTarget, 1 << 14, shuffle: false) { Transform = validSampler.Transform(config.Seed) });
    }

    /// <summary>Per-epoch validation: <see cref="SampledAuc"/>, the share of differences x_uij above 0.</summary>
    public static MetricsFunction ValidMetrics => (x, _) =>
    {
        using var scope = NewDisposeScope();
        return new Dictionary<string, double> { [SampledAuc] = x.gt(0).to_type(ScalarType.Float64).mean().ToDouble() };
    };

    private static RatingPairs Where(RatingPairs pairs, Func<int, bool> keep) => pairs.Take(Enumerable.Range(0, pairs.Count).Where(keep).ToArray());
}
