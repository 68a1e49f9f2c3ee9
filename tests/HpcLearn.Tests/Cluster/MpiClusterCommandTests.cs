using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HpcLearn.Tasks.Clustering;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Cluster;

/// <summary>
/// <c>mpirun -np 2 hpclearn cluster</c> against the same command in one process on the same file:
/// the same assignments, centres and inertia (bit for bit, by design: see PointShard), one set of
/// output lines, and a clear refusal for the algorithms that run on one process only.
/// </summary>
[Collection(MpiCollection.Name)]
public sealed class MpiClusterCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpclearn-mpi-cluster-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>12,000 points in 3-D around 4 centres (6 blocks of 2,048 rows: 3 on each rank), with a label column.</summary>
    private static string Blobs(string dir)
    {
        string path = Path.Combine(dir, "blobs.csv");
        if (File.Exists(path)) return path;
        var s = ClusterData.Blobs(12_000, [0, 0, 0, 8, 2, -3, -4, 7, 5, 5, -6, 4], 3, std: 1.5, seed: 3);
        var sb = new StringBuilder("x,y,z,label\n");
        for (int i = 0; i < s.N; i++)
            sb.AppendJoin(',', Enumerable.Range(0, 3).Select(j => s.Data[i * 3 + j].ToString("R", CultureInfo.InvariantCulture))).Append(',').Append(s.Labels[i]).Append('\n');
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [SkippableTheory]
    [InlineData("kmeans", "--k", "3..4")]
    [InlineData("kmeans", "--elkan")]
    [InlineData("minibatch", "--batch-size", "700")]
    public void Two_ranks_write_what_one_process_writes_or_say_mpi_is_missing(string algorithm, params string[] extra)
    {
        if (MpiRun.Missing(output)) return;
        TwoRanksWriteWhatOneWrites(_dir, output, args => MpiRun.Cli(2, TimeSpan.FromMinutes(3), args), algorithm, extra);
    }

    /// <summary>The comparison for any launcher: <paramref name="twoRanks"/> runs hpclearn on 2 ranks (mpirun here; the two-host test bed across namespaces).</summary>
    internal static void TwoRanksWriteWhatOneWrites(string dir, ITestOutputHelper output, Func<string[], MpiRun.Result> twoRanks, string algorithm, params string[] extra)
    {
        string data = Blobs(dir), one = Path.Combine(dir, "one-" + algorithm + extra.Length), two = Path.Combine(dir, "two-" + algorithm + extra.Length);
        string[] common = ["cluster", data, "--algorithm", algorithm, "--standardize", "--labels", "label", "--n-init", "2", "--seed", "9", .. extra];
        if (!extra.Contains("--k")) common = [.. common, "--k", "4"];

        var single = HpcLearn.Tests.Cli.Cli.Run([.. common, "--out", one, "--threads", "1"]);
        Assert.True(single.ExitCode == 0, single.ToString());
        var r = twoRanks([.. common, "--out", two]);
        output.WriteLine(r.Output);
        Assert.False(r.TimedOut, "mpirun did not finish");
        Assert.Equal(0, r.ExitCode);

        // Rank 0 alone prints: one data line, one split line, one line for the folder written.
        var lines = r.Output.Split('\n');
        Assert.Single(lines, l => l.StartsWith("data: ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("2 ranks (", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("wrote ", StringComparison.Ordinal));

        // Every point's label, from both ranks' shares, and the centres, as one process wrote them.
        var labels = File.ReadAllLines(Path.Combine(two, "assignments.csv"));
        Assert.Equal(12_001, labels.Length);
        Assert.Equal(File.ReadAllLines(Path.Combine(one, "assignments.csv")), labels);
        Assert.Equal(File.ReadAllText(Path.Combine(one, "centres.csv")), File.ReadAllText(Path.Combine(two, "centres.csv")));
        var (s1, s2) = (Summary(one), Summary(two));
        Assert.Equal(s1["inertia"]!.GetValue<double>(), s2["inertia"]!.GetValue<double>());
        Assert.Equal(s1["k"]!.GetValue<int>(), s2["k"]!.GetValue<int>());
        Assert.Equal(2, s2["ranks"]!.GetValue<int>());
        Assert.True(s2["ari"]!.GetValue<double>() > 0.95, s2.ToJsonString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(one, "model", "model.safetensors")), File.ReadAllBytes(Path.Combine(two, "model", "model.safetensors")));
    }

    [SkippableFact]
    public void A_gaussian_mixture_on_two_ranks_is_refused_with_one_line_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        string outDir = Path.Combine(_dir, "gmm");
        var r = MpiRun.Cli(2, TimeSpan.FromMinutes(2), "cluster", Blobs(_dir), "--algorithm", "gmm", "--k", "4", "--out", outDir);
        output.WriteLine(r.Output);
        Assert.False(r.TimedOut, "mpirun did not finish");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--algorithm gmm runs on one process, but this is one of 2 MPI ranks; only kmeans and minibatch split the rows over ranks", r.Output);
        Assert.False(Directory.Exists(outDir));
    }

    private static JsonNode Summary(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!;
}
