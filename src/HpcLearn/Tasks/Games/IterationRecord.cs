using System.Text.Json.Serialization;

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

    /// <summary>CSV header.</summary>
    public const string CsvHeader = "iteration,positions,first_player_wins,draws,policy_loss,value_loss,eval_score,promoted,generation,positions_per_second,seconds";

    /// <summary>This record as a CSV row.</summary>
    public string ToCsv() => string.Join(",", new object[]
    {
        Iteration, Positions, Math.Round(FirstPlayerWins, 4), Math.Round(Draws, 4), Math.Round(PolicyLoss, 5), Math.Round(ValueLoss, 5),
        Math.Round(EvalScore, 4), Promoted ? 1 : 0, Generation, Math.Round(PositionsPerSecond, 1), Math.Round(Seconds, 2),
    }.Select(o => Convert.ToString(o, System.Globalization.CultureInfo.InvariantCulture)));
}
