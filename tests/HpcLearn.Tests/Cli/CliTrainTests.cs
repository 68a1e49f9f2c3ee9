using System.Text.Json;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn train</c>: config errors, overrides, and never overwriting a run folder.</summary>
public sealed class CliTrainTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Missing_config_file()
    {
        var path = _tmp["missing.yaml"];
        Cli.Run("train", path, "--out", _tmp["runs"]).AssertUserError($"config file '{path}' not found");
    }

    [Fact]
    public void Cuda_without_a_cuda_build_is_a_user_error_before_anything_is_written()
    {
        var path = _tmp.Write("gpu.yaml", Cli.TinyYaml("gpu"));
        if (TorchSharp.torch.cuda.is_available()) return; // a CUDA build on a GPU machine: nothing to refuse
        Cli.Run("train", path, "--out", _tmp["runs"], "--device", "cuda").AssertUserError(
            "device 'cuda': this libtorch build has no CUDA or no GPU is visible; use device: cpu, or swap the libtorch-cpu-linux-x64 package for a CUDA build (docs/install.md)");
        Assert.False(Directory.Exists(_tmp["runs"]));
    }

    [Fact]
    public void The_thread_line_says_whether_the_count_came_from_the_config_or_the_flag()
    {
        var path = _tmp.Write("threads.yaml", Cli.TinyYaml("threads"));
        Assert.Contains("threads: 1 (from the config's threads)", Cli.Run("train", path, "--out", _tmp["runs"], "--set", "threads=1").AssertOk().Out);
        Assert.Contains("threads: 1 (from --threads)", Cli.Run("train", path, "--out", _tmp["runs2"], "--threads", "1").AssertOk().Out);
    }

    [Fact]
    public void A_hundred_thousand_threads_is_a_user_error_before_anything_is_written()
    {
        var path = _tmp.Write("many.yaml", Cli.TinyYaml("many"));
        int most = 4 * Environment.ProcessorCount;
        Cli.Run("train", path, "--out", _tmp["runs"], "--threads", "100000").AssertUserError(
            $"--threads is 100000, but this machine has {Environment.ProcessorCount} usable cores; use 1 to {most} (4 per core at most: threads beyond the cores only slow libtorch down)");
        Cli.Run("train", path, "--out", _tmp["runs"], "--set", "threads=100000").AssertUserErrorStartsWith("the config's threads is 100000, but");
        Assert.False(Directory.Exists(_tmp["runs"]));
    }

    [Fact]
    public void Unknown_device_is_a_user_error()
    {
        var path = _tmp.Write("tpu.yaml", Cli.TinyYaml("tpu"));
        Cli.Run("train", path, "--out", _tmp["runs"], "--set", "device=tpu").AssertUserError("device 'tpu' is not known; use cpu, cuda or cuda:N");
    }

    [Fact]
    public void Unknown_key_is_named_with_the_nearest_valid_one()
    {
        var path = _tmp.Write("typo.yaml", "task: tabular\ntrain: {epocs: 3}\n");
        Cli.Run("train", path, "--out", _tmp["runs"])
            .AssertUserError($"{path}:2: unknown key 'train.epocs'; did you mean 'train.epochs'?");
        Assert.False(Directory.Exists(_tmp["runs"]));
    }

    [Fact]
    public void Wrong_type_names_the_key_and_the_expected_type()
    {
        var path = _tmp.Write("type.yaml", "task: tabular\ntrain:\n  epochs: five\n");
        Cli.Run("train", path, "--out", _tmp["runs"]).AssertUserError($"{path}:3: 'train.epochs' expects an integer, got 'five'");
    }

    [Fact]
    public void Unknown_key_in_a_set_override()
    {
        var path = _tmp.Write("ok.yaml", Cli.TinyYaml("ok"));
        Cli.Run("train", path, "--out", _tmp["runs"], "--set", "train.epocs=2")
            .AssertUserError("--set train.epocs=2: unknown key 'train.epocs'; did you mean 'train.epochs'?");
    }

    [Fact]
    public void Set_overrides_the_config_file()
    {
        var path = _tmp.Write("set.yaml", Cli.TinyYaml("set", epochs: 4));
        Cli.Run("train", path, "--out", _tmp["runs"], "--set", "train.epochs=2").AssertOk();
        var run = Path.Combine(_tmp["runs"], "set");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.Equal(2, summary.RootElement.GetProperty("epochs").GetInt32());
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length); // header + 2 epochs
        Assert.Contains("\n  epochs: 2\n", File.ReadAllText(Path.Combine(run, "config.yaml")));
        Assert.Equal(["epoch-0001.ckpt", "epoch-0002.ckpt"], Directory.GetFiles(Path.Combine(run, "checkpoints")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Existing_run_folder_without_resume_is_refused_and_left_untouched()
    {
        var path = _tmp.Write("twice.yaml", Cli.TinyYaml("twice"));
        Cli.Run("train", path, "--out", _tmp["runs"]).AssertOk();
        var run = Path.Combine(_tmp["runs"], "twice");
        var before = TempFolder.Snapshot(run);
        Assert.Contains("config.yaml", before.Keys);
        Assert.Contains(Path.Combine("model", "model.json"), before.Keys);
        Assert.Contains(Path.Combine("checkpoints", "epoch-0002.ckpt"), before.Keys);

        // Even with a different config: nothing of the first run may be overwritten.
        Cli.Run("train", path, "--out", _tmp["runs"], "--set", "train.epochs=3", "--set", "seed=5")
            .AssertUserError($"run folder '{run}' already exists; add --resume to continue it, or choose another name (--set name=...) or --out DIR");
        var after = TempFolder.Snapshot(run);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (file, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[file]), file + " changed");
    }
}
