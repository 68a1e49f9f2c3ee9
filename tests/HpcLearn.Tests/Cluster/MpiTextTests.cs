using System.Globalization;
using System.Text.Json;
using HpcLearn.Tests.Cli;
using Xunit;
using Xunit.Abstractions;
using CliRunner = HpcLearn.Tests.Cli.Cli;

namespace HpcLearn.Tests.Cluster;

/// <summary>
/// The text task's data-parallel oracle: <c>mpirun -np 2</c> with batch B per rank trains on
/// exactly the blocks one process draws with batch 2B (each rank takes its half of that draw),
/// the gradients are averaged, so the validation losses match the single process's.
/// </summary>
[Collection(MpiCollection.Name)]
public sealed class MpiTextTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpclearn-mpi-text-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Config(string dir, string name, int batch)
    {
        string path = Path.Combine(dir, name + ".yaml");
        File.WriteAllText(path, $$"""
            task: text
            name: {{name}}
            threads: 1
            data: {builtin_sentences: 1500, block_size: 32}
            model: {layers: 1, heads: 2, embedding: 32, dropout: 0.0}
            train: {batch_size: {{batch}}, lr: 0.003}
            steps: {total: 30, warmup: 5, eval_every: 10, eval_batches: 4, checkpoint_every: 10}
            """);
        return path;
    }

    private static List<double> ValidLosses(string dir, string run) => File.ReadAllLines(Path.Combine(dir, "runs", run, "metrics.csv")).Skip(1)
        .Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture)).ToList();

    [SkippableFact]
    public void Two_ranks_with_batch_b_match_one_process_with_batch_2b_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        TwoRanksMatchOne(_dir, output, args => MpiRun.Cli(2, TimeSpan.FromMinutes(4), args));
    }

    /// <summary>The oracle for any launcher: <paramref name="twoRanks"/> runs hpclearn on 2 ranks (mpirun here; the two-host test bed across namespaces).</summary>
    internal static void TwoRanksMatchOne(string dir, ITestOutputHelper output, Func<string[], MpiRun.Result> twoRanks)
    {
        var r = twoRanks(["train", Config(dir, "two", 8), "--out", Path.Combine(dir, "runs")]);
        output.WriteLine(r.Output);
        Assert.False(r.TimedOut, "mpirun did not finish");
        Assert.Equal(0, r.ExitCode);
        Assert.Single(r.Output.Split('\n'), l => l.StartsWith("data parallel: 2 ranks", StringComparison.Ordinal));
        CliRunner.Run("train", Config(dir, "one", 16), "--out", Path.Combine(dir, "runs")).AssertOk(allowStderr: true);

        Assert.Equal("step,epoch,train_loss,valid_loss", string.Join(",", File.ReadAllLines(Path.Combine(dir, "runs", "two", "metrics.csv"))[0].Split(',').Take(4)));
        var two = ValidLosses(dir, "two");
        var one = ValidLosses(dir, "one");
        Assert.Equal(3, two.Count);
        for (int i = 0; i < one.Count; i++)
            Assert.True(Math.Abs(two[i] - one[i]) <= 1e-4 * one[i], $"evaluation {i}: 2 ranks {two[i]} vs 1 process {one[i]}");
        Assert.True(one[^1] < one[0], "training lowered the validation loss");
        double Final(string run) => JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "runs", run, "summary.json"))).RootElement.GetProperty("loss").GetDouble();
        Assert.Equal(Final("one"), Final("two"), 1e-4 * Final("one"));
    }
}
