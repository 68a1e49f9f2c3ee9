using HpcLearn.Cluster;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Config;
using HpcLearn.Tasks;
using Xunit;

namespace HpcLearn.Tests.Cluster.Slurm;

/// <summary>cluster.srun_mpi in the job script, its validation, and setup lines before module loads.</summary>
public sealed class SrunMpiScriptTests
{
    private static string Render(ClusterOptions cluster) => JobScript.Render(new JobSpec
    {
        Name = "p",
        WorkDirectory = "/home/me",
        LogPath = "/home/me/runs/p/job.log",
        Command = ["hpclearn", "train", "/home/me/runs/p/job.yaml"],
        Cluster = cluster,
    });

    [Theory]
    [InlineData("pmix", "launch=(srun --mpi=pmix --kill-on-bad-exit=1)")]
    [InlineData("pmi2", "launch=(srun --mpi=pmi2 --kill-on-bad-exit=1)")]
    [InlineData("cray_shasta", "launch=(srun --mpi=cray_shasta --kill-on-bad-exit=1)")]
    [InlineData("none", "launch=(srun --kill-on-bad-exit=1)")]
    public void The_srun_plugin_comes_from_the_config(string plugin, string launch)
    {
        var script = Render(new ClusterOptions { Nodes = 2, SrunMpi = plugin });
        Assert.Contains(launch + "; else launch=(mpirun", script);
        Assert.Equal(1, script.Split('\n').Count(l => l.Contains("srun ", StringComparison.Ordinal) && !l.StartsWith('#')));
    }

    [Fact]
    public void The_default_is_pmix_as_before()
    {
        Assert.Equal("pmix", new ClusterOptions().SrunMpi);
        Assert.Contains("launch=(srun --mpi=pmix --kill-on-bad-exit=1)", Render(new ClusterOptions { NtasksPerNode = 2 }));
    }

    [Theory]
    [InlineData("pmix; touch PWNED")]
    [InlineData("$(touch PWNED)")]
    [InlineData("pmi2 --export=ALL")]
    [InlineData("")]
    public void A_value_that_is_not_a_plain_name_is_refused_naming_the_key(string value)
    {
        var e = Assert.Throws<UserError>(() => ConfigLoader.LoadFromText(
            "task: tabular\ncluster:\n  srun_mpi: " + YamlString(value) + "\n", "c.yaml", [], t => TaskRegistry.Find(t)?.ConfigType));
        Assert.Contains("srun_mpi", e.Message);
        Assert.Contains("is not an srun MPI plug-in name; use letters, digits, _ and - only", e.Message);
    }

    [Fact]
    public void A_line_break_is_refused_even_when_the_options_were_not_validated()
    {
        var e = Assert.Throws<UserError>(() => Render(new ClusterOptions { NtasksPerNode = 2, SrunMpi = "pmix\ntouch PWNED" }));
        Assert.StartsWith("cluster.srun_mpi: the value holds a control character (a line break)", e.Message);
    }

    [Fact]
    public void Setup_lines_run_before_the_module_loads()
    {
        var script = Render(new ClusterOptions { Setup = ["source /etc/profile.d/modules.sh"], Modules = ["openmpi/4.1"] });
        int setup = script.IndexOf("\nsource /etc/profile.d/modules.sh\n", StringComparison.Ordinal);
        int module = script.IndexOf("\nmodule load openmpi/4.1\n", StringComparison.Ordinal);
        Assert.True(setup > 0 && module > setup, script);
    }

    private static string YamlString(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
