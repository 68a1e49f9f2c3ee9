using System.Globalization;
using System.Text;
using HpcLearn.Runs;
using HpcLearn.Tasks;
using HpcLearn.Tasks.Clustering;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Clustering;

/// <summary><see cref="ClusterTask"/> from C#: the registry, the stop token, and the checks a config not read from YAML still gets.</summary>
public sealed class ClusterTaskTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Blobs(int n = 3000)
    {
        var s = ClusterData.Blobs(n, 6, 4, 2.0, seed: 3);
        var sb = new StringBuilder("a,b,c,d\n");
        for (int i = 0; i < s.N; i++)
            sb.AppendJoin(',', Enumerable.Range(0, 4).Select(j => s.Data[i * 4 + j].ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        return _tmp.Write("blobs.csv", sb.ToString());
    }

    private RunContext Context(CancellationToken stop = default) => new() { Out = TextWriter.Null, RunsRoot = _tmp["runs"], Stop = new RunStop(stop), TensorBoard = false };

    [Fact]
    public void The_registry_knows_cluster_and_its_config_type()
    {
        var task = TaskRegistry.Get("cluster");
        Assert.IsType<ClusterTask>(task);
        Assert.Equal(typeof(ClusterConfig), task.ConfigType);
    }

    [Fact]
    public void A_stop_ends_the_fit_early_and_still_leaves_a_usable_model()
    {
        var config = new ClusterConfig { Name = "stopped", Data = new() { Path = Blobs() }, Model = new() { K = "2..6", NInit = 1 } };
        var full = new ClusterTask().Train(config with { Name = "full" }, Context());
        var summary = new ClusterTask().Train(config, Context(new CancellationToken(canceled: true)));

        Assert.False(full.Interrupted);
        Assert.True(summary.Interrupted);
        Assert.Equal(Learner.CancelledReason, summary.StopReason);
        // Stopped after the first Lloyd iteration of the first k: one row of metrics, k = 2 kept.
        string run = Path.Combine(_tmp["runs"], "stopped");
        Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);
        Assert.True(File.ReadAllLines(Path.Combine(_tmp["runs"], "full", "metrics.csv")).Length > 2);
        var model = ClusterModel.Load(Path.Combine(run, "model"));
        Assert.Equal(2, model.K);
        Assert.Equal(3000, TaskRegistry.Get("cluster").Predict(Path.Combine(run, "model"), Path.Combine(_tmp.Path, "blobs.csv"), TextWriter.Null));
    }

    [Fact]
    public void KMeans_asks_its_stop_once_per_iteration_and_keeps_the_centres_reached()
    {
        var s = ClusterData.Blobs(2000, 5, 3, 3.0, seed: 1);
        int asked = 0;
        var r = KMeans.Fit(s.Data, s.N, 3, new KMeansOptions { K = 5, NInit = 3, Seed = 2, Stop = () => ++asked >= 2 });
        Assert.True(r.Stopped);
        Assert.Equal(2, r.Iterations);
        Assert.Equal(2, asked); // the later restarts never start
        Assert.Equal(KMeans.Predict(s.Data, s.N, 3, r.Centres), r.Labels);
        Assert.False(KMeans.Fit(s.Data, s.N, 3, new KMeansOptions { K = 5, Seed = 2 }).Stopped);
    }

    [Fact]
    public void A_config_made_in_code_is_checked_as_yaml_would_be()
    {
        var bad = new ClusterConfig { Data = new() { Path = Blobs(50) }, Model = new() { K = "6..2" } };
        var e = Assert.Throws<UserError>(() => new ClusterTask().Train(bad, Context()));
        Assert.Equal("'model.k' range '6..2' is empty: write the smaller k first, e.g. 2..6", e.Message);
        var gpu = new ClusterConfig { Device = "cuda", Data = new() { Path = Blobs(50) } };
        Assert.StartsWith("'device' is 'cuda', but the cluster task runs on the CPU", Assert.Throws<UserError>(() => new ClusterTask().Train(gpu, Context())).Message);
        Assert.False(Directory.Exists(_tmp["runs"]));
    }
}
