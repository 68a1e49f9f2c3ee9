using System.Text.Json.Serialization;
using HpcLearn.Runs.Metrics;

namespace HpcLearn.Tasks.Games;

/// <summary>One self-play → train → evaluate iteration, as logged in metrics.csv.</summary>
public sealed record IterationRecord
{
    /// <summary>Iteration number, from 1.</summary>
    [JsonPropertyName("iteration")] public int Iteration { get; init; }
    /// <summary>Self-play positions added.</summary>
    [JsonPropertyName("positions")] public int Positions { get; init; }
    /// <summary>Share of self-play games won by the first player.</summary>
    [JsonPropertyName("first_player_wins")] public double FirstPlayerWins { get; init; }
    /// <summary>Share of self-play games drawn.</summary>
    [JsonPropertyName("draws")] public double Draws { get; init; }
    /// <summary>Mean policy cross-entropy over the iteration's steps.</summary>
    [JsonPropertyName("policy_loss")] public double PolicyLoss { get; init; }
    /// <summary>Mean value MSE over the iteration's steps.</summary>
    [JsonPropertyName("value_loss")] public double ValueLoss { get; init; }
    /// <summary>The new network's score against the best (NaN when not evaluated).</summary>
    [JsonPropertyName("eval_score")] public double EvalScore { get; init; }
    /// <summary>Whether the new network became the best.</summary>
    [JsonPropertyName("promoted")] public bool Promoted { get; init; }
    /// <summary>Promotions so far (the best network's generation).</summary>
    [JsonPropertyName("generation")] public int Generation { get; init; }
    /// <summary>Self-play positions per second.</summary>
    [JsonPropertyName("positions_per_second")] public double PositionsPerSecond { get; init; }
    /// <summary>Seconds in self-play, training and evaluation.</summary>
    [JsonPropertyName("seconds")] public double Seconds { get; init; }

    /// <summary>The learning rate of the iteration's training steps (<c>selfplay.lr_schedule</c>); NaN in checkpoints from before it was recorded.</summary>
    [JsonPropertyName("lr")] public double LearningRate { get; init; } = double.NaN;

    /// <summary>
    /// Share of the judge's positions where the best network's policy alone (its most probable
    /// legal move, no search) is optimal, after this iteration; NaN when not judged.
    /// </summary>
    [JsonPropertyName("judge_policy")] public double JudgePolicy { get; init; } = double.NaN;

    /// <summary>Lines the best network loses after this iteration, by the exhaustive judge; NaN when not judged.</summary>
    [JsonPropertyName("exhaustive_losses")] public double ExhaustiveLosses { get; init; } = double.NaN;

    /// <summary>Positions where the best network's move is not optimal, on the exhaustive judge's lines; NaN when not judged.</summary>
    [JsonPropertyName("exhaustive_nonoptimal")] public double ExhaustiveNonOptimal { get; init; } = double.NaN;

    /// <summary>Lines the new network lost before the promotion decision; NaN when not judged.</summary>
    [JsonPropertyName("new_exhaustive_losses")] public double NewExhaustiveLosses { get; init; } = double.NaN;

    /// <summary>
    /// This record as a metrics.csv row: the iteration is the step (a games run has no epochs).
    /// </summary>
    public MetricsRow ToRow() => MetricsRow.Of(Iteration, null,
        ("positions", Positions), ("first_player_wins", Math.Round(FirstPlayerWins, 4)), ("draws", Math.Round(Draws, 4)),
        ("policy_loss", Math.Round(PolicyLoss, 5)), ("value_loss", Math.Round(ValueLoss, 5)), ("eval_score", Math.Round(EvalScore, 4)),
        ("promoted", Promoted ? 1 : 0), ("generation", Generation), ("judge_policy", Math.Round(JudgePolicy, 4)),
        ("exhaustive_losses", ExhaustiveLosses), ("exhaustive_nonoptimal", ExhaustiveNonOptimal), ("new_exhaustive_losses", NewExhaustiveLosses),
        ("positions_per_second", Math.Round(PositionsPerSecond, 1)), ("seconds", Math.Round(Seconds, 2)), ("lr", LearningRate));
}
