using System.Text.Json;
using System.Text.Json.Nodes;

namespace HpcLearn.Runs;

/// <summary>
/// Where an epoch-counted run (a Learner's) stood when it wrote a checkpoint, read from the
/// checkpoint's <see cref="CheckpointBlocks.Meta"/> block without loading anything else, for
/// <c>hpclearn status</c>.
/// </summary>
/// <param name="Path">The checkpoint file.</param>
/// <param name="Epoch">Completed epochs.</param>
/// <param name="Step">Optimiser steps taken.</param>
/// <param name="CreatedUtc">When it was written.</param>
/// <param name="LastEpoch">The last epoch of the fit in progress, when known.</param>
/// <param name="Batches">Batches done in the next epoch (0 at an epoch boundary).</param>
public sealed record CheckpointPosition(string Path, int Epoch, long Step, DateTime CreatedUtc, int? LastEpoch, int Batches)
{
    /// <summary>
    /// The position in a meta block that has one (the Learner's: its <c>Epoch</c>, <c>Step</c>,
    /// <c>CreatedUtc</c>, <c>Plan.LastEpoch</c> and <c>Progress.Batches</c>), or null: a layout
    /// counted in steps or iterations, or no JSON meta block.
    /// </summary>
    public static CheckpointPosition? From(string path, CheckpointBlocks blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (!blocks.Contains(CheckpointBlocks.Meta)) return null;
        try
        {
            if (JsonNode.Parse(blocks[CheckpointBlocks.Meta]) is not JsonObject meta
                || meta["Epoch"] is not JsonValue epoch || meta["Step"] is not JsonValue step) return null;
            return new CheckpointPosition(path, epoch.GetValue<int>(), step.GetValue<long>(),
                meta["CreatedUtc"]?.GetValue<DateTime>() ?? File.GetLastWriteTimeUtc(path),
                meta["Plan"]?["LastEpoch"]?.GetValue<int>(), meta["Progress"]?["Batches"]?.GetValue<int>() ?? 0);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
