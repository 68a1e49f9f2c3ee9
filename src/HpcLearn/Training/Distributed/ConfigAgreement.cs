using System.Security.Cryptography;
using System.Text;
using HpcLearn.Cluster;
using HpcLearn.Config;

using HpcLearn.Runs;

namespace HpcLearn.Training.Distributed;

/// <summary>
/// Checks at start-up, before any data is read, that every rank of a data-parallel job resolved
/// the same config. Ranks with different settings would otherwise train different things in
/// silence (another <c>seed</c>), fail deep inside with a trace (another <c>model.layers</c>), or
/// wait for ever when one finishes first (another <c>train.epochs</c>). Every key must match but
/// <see cref="FreeKeys"/>, which only say how one process runs.
/// </summary>
public static class ConfigAgreement
{
    /// <summary>
    /// Top-level keys that may differ between ranks: <c>device</c> (e.g. one GPU per rank),
    /// <c>threads</c> (nodes with different core counts) and <c>cluster</c> (job-script settings,
    /// signals and the deadline margin; the stop itself is agreed between ranks as they train).
    /// </summary>
    public static IReadOnlyList<string> FreeKeys { get; } = ["device", "threads", "cluster"];

    /// <summary>
    /// Compares this rank's <paramref name="config"/> (and <paramref name="flags"/>: command-line
    /// settings that must match too, such as <c>--resume</c>) with every other rank's. One small
    /// all-reduce of a SHA-256 when they agree; when they do not, rank 0's settings and the first
    /// differing rank's are broadcast so that every rank names the same keys. Call it on every rank.
    /// </summary>
    /// <param name="comm">The ranks.</param>
    /// <param name="config">This rank's resolved config.</param>
    /// <param name="flags">Further settings as (name, value), e.g. <c>("--resume", "true")</c>.</param>
    /// <exception cref="UserError">On every rank, when any rank's settings differ from rank 0's.</exception>
    public static void Check(ICommunicator comm, RunConfig config, IReadOnlyList<(string Name, string Value)>? flags = null)
    {
        if (comm.Size == 1) return;
        string text = Comparable(config, flags ?? []);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        // Four 48-bit pieces: exact in a double, so the all-reduce compares them bit for bit.
        var pieces = new double[4];
        for (int i = 0; i < pieces.Length; i++)
        {
            long v = 0;
            for (int b = 0; b < 6; b++) v = (v << 8) | hash[i * 6 + b];
            pieces[i] = v;
        }
        if (RankAgreement.Agree(comm, pieces, out _, out _, out _)) return;

        string zero = Broadcast(comm, text, root: 0);
        // The lowest rank whose settings differ from rank 0's: max(-rank) is -min(rank).
        var first = new[] { zero == text ? -(double)comm.Size : -comm.Rank };
        comm.AllReduceMax(first);
        int other = (int)-first[0];
        if (other >= comm.Size) return; // the hashes differed but the texts do not: cannot happen
        string theirs = Broadcast(comm, text, root: other);
        var differences = ConfigDiff.Compare(zero, theirs);
        throw new UserError($"the ranks were started with different settings: rank {other} differs from rank 0 in {ConfigDiff.Describe(differences)} " +
            $"(rank 0 vs rank {other}); start every rank with the same config file and --set overrides (only {string.Join(", ", FreeKeys)} may differ)");
    }

    // The settings that must agree, as YAML: the config without its free keys, then the flags.
    private static string Comparable(RunConfig config, IReadOnlyList<(string Name, string Value)> flags)
    {
        var fixedPart = config with { Device = "cpu", Threads = null, Cluster = new ClusterOptions() };
        var text = new StringBuilder(ConfigWriter.ToYaml(fixedPart));
        foreach (var (name, value) in flags) text.Append(Quote(name)).Append(": ").Append(Quote(value)).Append('\n');
        return text.ToString();
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // Rank root's text to every rank: its length, then its bytes.
    private static string Broadcast(ICommunicator comm, string text, int root)
    {
        byte[] mine = Encoding.UTF8.GetBytes(text);
        var length = new[] { (double)mine.Length };
        comm.Broadcast(length, root);
        var bytes = comm.Rank == root ? mine : new byte[(int)length[0]];
        comm.Broadcast(bytes, root);
        return Encoding.UTF8.GetString(bytes);
    }
}
