using HpcLearn.Cluster;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Cluster;

/// <summary>Fewer threads on a busy machine, and the thread count of commands that use a trained model.</summary>
public sealed class ThreadSettingsLoadTests
{
    private static readonly Dictionary<string, string> NoEnv = new();

    [Theory]
    [InlineData(2, 0, 2, 2)]    // quiet 2-core machine: both cores
    [InlineData(2, 1, 2, 1)]    // one busy process on 2 cores: 1 thread
    [InlineData(2, 26, 2, 1)]   // very busy: never below 1
    [InlineData(16, 4, 32, 16)] // the threads fit beside the others
    [InlineData(32, 8, 32, 24)] // the idle cores only
    [InlineData(1, 5, 2, 1)]
    public void A_busy_machine_lowers_the_count_to_the_idle_cores(int threads, int others, int cores, int expected)
        => Assert.Equal(expected, new ThreadSettings(threads, "usable cores").ForLoad(others, cores).Count);

    [Fact]
    public void An_unknown_load_changes_nothing_and_a_lowered_count_says_why()
    {
        var t = new ThreadSettings(2, "usable cores");
        Assert.Same(t, t.ForLoad(null, 2));
        Assert.Equal("usable cores: 2, lowered as the machine is busy (3 other runnable tasks on 2 cores; HPCLEARN_BUSY_CHECK=off keeps 2)",
            t.ForLoad(3, 2).Source);
    }

    [Fact]
    public void A_model_command_takes_the_models_threads_unless_told()
    {
        Assert.Equal(new ThreadSettings(1, "the model's threads"), ThreadSettings.ForModel(null, 1, NoEnv, usableCores: 8, othersRunnable: 0));
        Assert.Equal(new ThreadSettings(3, "--threads"), ThreadSettings.ForModel(3, 1, NoEnv, usableCores: 8, othersRunnable: 0));
        Assert.Equal(new ThreadSettings(8, "usable cores"), ThreadSettings.ForModel(null, null, NoEnv, usableCores: 8, othersRunnable: 0));
        Assert.Equal(new ThreadSettings(6, "SLURM_CPUS_PER_TASK"),
            ThreadSettings.ForModel(null, null, new Dictionary<string, string> { ["SLURM_CPUS_PER_TASK"] = "6" }, usableCores: 8, othersRunnable: null));
    }

    [Fact]
    public void A_model_trained_on_a_bigger_machine_runs_on_the_cores_there_are()
        => Assert.Equal(new ThreadSettings(2, "the model's threads (64), at most the 2 usable cores"),
            ThreadSettings.ForModel(null, 64, NoEnv, usableCores: 2, othersRunnable: 0));

    [Fact]
    public void Only_a_typed_thread_count_stands_on_a_busy_machine()
    {
        Assert.Equal(1, ThreadSettings.ForModel(null, 2, NoEnv, usableCores: 2, othersRunnable: 2).Count);
        Assert.Equal(1, ThreadSettings.ForModel(null, null, NoEnv, usableCores: 2, othersRunnable: 2).Count);
        Assert.Equal(2, ThreadSettings.ForModel(2, null, NoEnv, usableCores: 2, othersRunnable: 2).Count);
    }

    [Theory]
    [InlineData("task: recommend\nthreads: 1\ntrain:\n  epochs: 8\n", 1)]
    [InlineData("task: text\nthreads: 4\n", 4)]
    [InlineData("task: tabular\nthreads: null\n", null)]
    [InlineData("task: tabular\ntrain:\n  threads: 3\n", null)] // only the top-level key
    [InlineData("task: tabular\nthreads: 0\n", null)]
    [InlineData("task: tabular\nthreads: [1, 2]\n", null)]
    [InlineData("", null)]
    [InlineData("threads: [unclosed\n", null)]
    public void The_threads_of_a_models_config_are_read_from_its_provenance(string config, int? expected)
        => Assert.Equal(expected, new Provenance { Config = config }.ConfigThreads());

    [Fact]
    public void A_saved_models_threads_come_back_from_model_json()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hpclearn-threads-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var model = torch.nn.Linear(2, 1);
            ModelArtifact.Save(dir, model, new ModelManifest { Task = "tabular", Provenance = new Provenance { Config = "task: tabular\nthreads: 3\n" } });
            int? threads = ModelArtifact.LoadManifest(dir).Provenance.ConfigThreads();
            Assert.Equal(new ThreadSettings(3, "the model's threads"), ThreadSettings.ForModel(null, threads, NoEnv, usableCores: 4, othersRunnable: 0));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
