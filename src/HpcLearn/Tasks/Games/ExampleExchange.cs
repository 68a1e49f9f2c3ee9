using HpcLearn.Cluster;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// Gathers the self-play positions of every rank, in rank order, on every rank. The communicator
/// offers all-reduce rather than gather: each rank writes its positions at its offset into a
/// zero-filled buffer of all positions, and a sum all-reduce fills in the rest exactly (x + 0 = x).
/// </summary>
internal static class ExampleExchange
{
    /// <summary>All ranks' examples; <paramref name="counts"/> gets how many each rank contributed.</summary>
    public static List<TrainingExample> AllGather(ICommunicator comm, Game game, List<TrainingExample> mine, out int[] counts)
    {
        int n = comm.Size;
        var c = new double[n];
        c[comm.Rank] = mine.Count;
        comm.AllReduceSum(c);
        counts = c.Select(x => (int)x).ToArray();
        if (n == 1) return mine;
        int planes = Game.Planes * game.Cells, actions = game.ActionCount, width = planes + actions + 1;
        int offset = counts.Take(comm.Rank).Sum(), total = counts.Sum();
        var buffer = new float[(long)total * width];
        for (int i = 0; i < mine.Count; i++)
        {
            var row = buffer.AsSpan((offset + i) * width, width);
            var e = mine[i];
            if (e.Planes.Length != planes || e.Policy.Length != actions)
                throw new InvalidOperationException($"a {game.Name} example has {e.Planes.Length} plane values and {e.Policy.Length} policy values; expected {planes} and {actions}");
            e.Planes.CopyTo(row);
            e.Policy.CopyTo(row[planes..]);
            row[^1] = e.Value;
        }
        comm.AllReduceSum(buffer);
        var all = new List<TrainingExample>(total);
        for (int i = 0; i < total; i++)
        {
            var row = buffer.AsSpan(i * width, width);
            all.Add(new TrainingExample(row[..planes].ToArray(), row.Slice(planes, actions).ToArray(), row[^1]));
        }
        return all;
    }
}
